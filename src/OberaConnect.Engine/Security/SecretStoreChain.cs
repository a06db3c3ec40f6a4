using System.Collections.Concurrent;

namespace OberaConnect.Engine.Security;

/// <summary>
/// Asks secret stores in order (Key Vault, then environment variables) and falls back when one is
/// unreachable: the seed's failure domain "Key Vault down: fallback to env vars". The first
/// <see cref="SecretStoreUnavailableException"/> from a store produces one warning and takes that store out
/// of the chain for the rest of its life, so a down vault costs its retries once, not once per secret.
/// Errors that mean "fix your configuration" (a disabled secret, a refused identity) are not swallowed.
/// </summary>
public sealed class SecretStoreChain : ISecretProvider
{
    private readonly IReadOnlyList<ISecretProvider> _stores;
    private readonly IEngineOutput _output;
    private readonly ConcurrentDictionary<ISecretProvider, SecretStoreUnavailableException> _unavailable = new();
    private readonly ConcurrentDictionary<string, string> _sources = new(StringComparer.OrdinalIgnoreCase);

    public SecretStoreChain(IEnumerable<ISecretProvider> stores, IEngineOutput? output = null)
    {
        _stores = (stores ?? throw new ArgumentNullException(nameof(stores))).ToList();
        if (_stores.Count == 0) throw new ArgumentException("A secret store chain needs at least one store.", nameof(stores));
        _output = output ?? NullEngineOutput.Instance;
    }

    public string Name => string.Join(", then ", _stores.Select(s => s.Name));

    /// <summary>Which store answered for each secret name found so far (for the audit log and -Verbose; never values).</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>Stores that were found unavailable, with the reason.</summary>
    public IReadOnlyDictionary<string, string> UnavailableStores => _unavailable.ToDictionary(p => p.Key.Name, p => p.Value.Message);

    public async Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        SecretStoreUnavailableException? last = null;
        var anyAnswered = false;
        for (var i = 0; i < _stores.Count; i++)
        {
            var store = _stores[i];
            if (_unavailable.TryGetValue(store, out var known)) { last = known; continue; }
            try
            {
                var value = await store.GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
                anyAnswered = true;
                if (value != null)
                {
                    _sources[name] = store.Name;
                    _output.Verbose($"Secret '{name}' read from {store.Name}.");
                    return value;
                }
                _output.Verbose($"Secret '{name}' is not in {store.Name}.");
            }
            catch (SecretStoreUnavailableException ex)
            {
                last = ex;
                if (_unavailable.TryAdd(store, ex))
                {
                    var next = _stores.Skip(i + 1).Select(s => s.Name).FirstOrDefault();
                    _output.Warning(next is null
                        ? $"{ex.Message} No other secret store is configured."
                        : $"{ex.Message} Falling back to {next} for the rest of this run.");
                }
            }
        }
        if (!anyAnswered && last != null) throw last;
        return null;
    }
}
