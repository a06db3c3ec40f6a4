using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Credentials;

/// <summary>One resolved credential: the secret, and where it came from (safe to show and log).</summary>
public sealed class ResolvedCredential
{
    internal ResolvedCredential(CredentialKind kind, SecretValue value, CredentialSource source, string origin)
    {
        Kind = kind;
        Value = value;
        Source = source;
        Origin = origin;
    }

    public CredentialKind Kind { get; }

    public SecretValue Value { get; }

    public CredentialSource Source { get; }

    /// <summary>Where exactly, for example "environment variable NOTION_TOKEN (Key Vault unreachable)". Never the value.</summary>
    public string Origin { get; }

    public override string ToString() => $"{Kind} from {Origin}";
}

/// <summary>What to resolve: a credential, and the value passed as a parameter if any.</summary>
public sealed record CredentialRequest(CredentialKind Kind, string? ExplicitValue = null);

/// <summary>Several resolved credentials and, when the vault failed, why.</summary>
public sealed class CredentialSet
{
    private readonly Dictionary<CredentialKind, ResolvedCredential> _items;

    internal CredentialSet(IEnumerable<ResolvedCredential> items, string? keyVaultFailure)
    {
        _items = items.ToDictionary(i => i.Kind);
        KeyVaultFailure = keyVaultFailure;
    }

    public ResolvedCredential this[CredentialKind kind]
        => _items.TryGetValue(kind, out var c) ? c : throw new KeyNotFoundException($"{kind} was not requested.");

    public IReadOnlyList<ResolvedCredential> Items => _items.Values.OrderBy(i => i.Kind).ToList();

    /// <summary>Why Key Vault could not be used (redacted), or null when it was not needed or worked.</summary>
    public string? KeyVaultFailure { get; }

    /// <summary>One line per credential saying where it came from, for verbose output and logs.</summary>
    public override string ToString() => string.Join("; ", Items.Select(i => i.ToString()));
}

/// <summary>A credential was not found anywhere.</summary>
public sealed class CredentialNotFoundException : OberaConnectException
{
    public CredentialNotFoundException(CredentialKind kind, string message)
        : base("CredentialNotFound", FailureKind.Configuration, message)
    {
        Credential = kind;
    }

    public CredentialKind Credential { get; }
}

/// <summary>
/// Finds each credential in order: the value passed as a parameter; Azure Key Vault when one is
/// configured, under the secret name of the configuration; the environment variable (OBERACONNECT_NAME, then
/// NAME: see <see cref="EnvironmentSecretProvider"/>). When the vault
/// cannot be reached it warns once ("Key Vault down: fallback to env vars") and goes on with environment
/// variables, so a vault outage does not stop a scheduled run that has a fallback. Every value found is
/// registered with the <see cref="SecretRedactor"/> before it is returned.
/// </summary>
public sealed class CredentialResolver
{
    private readonly SecretSettings _settings;
    private readonly ISecretProvider? _keyVault;
    private readonly EnvironmentSecretProvider _environment;
    private readonly SecretRedactor _redactor;
    private readonly IEngineOutput _output;
    private readonly object _gate = new();
    private string? _vaultFailure;

    /// <param name="settings">Secret names and vault address from the configuration.</param>
    /// <param name="keyVault">The Key Vault provider, or null when no vault is configured.</param>
    /// <param name="environment">Where environment variables are read (the real process by default).</param>
    /// <param name="redactor">Masks every value found from then on.</param>
    /// <param name="output">Receives the fallback warning and verbose notes.</param>
    public CredentialResolver(SecretSettings settings, ISecretProvider? keyVault, ISystemEnvironment? environment = null,
        SecretRedactor? redactor = null, IEngineOutput? output = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _keyVault = keyVault;
        _environment = new EnvironmentSecretProvider(environment ?? SystemEnvironment.Instance);
        _redactor = redactor ?? new SecretRedactor();
        _output = output ?? NullEngineOutput.Instance;
    }

    /// <summary>Why the vault could not be used, once it failed (redacted); null otherwise.</summary>
    public string? KeyVaultFailure { get { lock (_gate) return _vaultFailure; } }

    /// <summary>Resolves one credential.</summary>
    /// <param name="kind">Which credential.</param>
    /// <param name="explicitValue">The value passed to the cmdlet (from a SecureString or PSCredential), or null.</param>
    /// <param name="cancellationToken">Stops a vault lookup.</param>
    /// <exception cref="CredentialNotFoundException">No source has it; the message names all three ways.</exception>
    public async Task<ResolvedCredential> ResolveAsync(CredentialKind kind, string? explicitValue, CancellationToken cancellationToken)
    {
        var d = CredentialDescriptor.For(kind);
        if (!string.IsNullOrWhiteSpace(explicitValue))
            return Found(d, explicitValue!, CredentialSource.Parameter, "parameter " + d.Parameter.Split(' ')[0]);

        var secretName = d.SecretName(_settings);
        string vaultStatus;
        if (_keyVault is null)
        {
            vaultStatus = "no Key Vault is configured (secrets.keyVaultUri is not set)";
        }
        else if (KeyVaultFailure is { } failure)
        {
            vaultStatus = "the Key Vault could not be reached: " + failure;
        }
        else
        {
            try
            {
                var value = await _keyVault.GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
                if (!string.IsNullOrWhiteSpace(value))
                    return Found(d, value!, CredentialSource.KeyVault, $"Azure Key Vault secret '{secretName}' ({_keyVault.Name})");
                vaultStatus = $"the Key Vault has no secret named '{secretName}'";
                _output.Verbose($"{d.DisplayName}: {_keyVault.Name} has no secret named '{secretName}'; trying the environment variable {d.EnvironmentVariablesText}.");
            }
            catch (SecretStoreUnavailableException ex)
            {
                var reason = _redactor.Redact(ex.Message);
                var first = false;
                lock (_gate)
                {
                    if (_vaultFailure is null) { _vaultFailure = reason; first = true; }
                }
                if (first) _output.Warning("Key Vault down: fallback to env vars. " + reason);
                vaultStatus = "the Key Vault could not be reached: " + reason;
            }
        }

        if (_environment.Find(d.EnvironmentVariable) is { } fromEnvironment)
        {
            var note = KeyVaultFailure is null ? "" : " (Key Vault unreachable)";
            return Found(d, fromEnvironment.Value.Reveal(), CredentialSource.EnvironmentVariable, $"environment variable {fromEnvironment.Variable}{note}");
        }

        throw new CredentialNotFoundException(kind,
            $"No {d.DisplayName} was found. Give it one of three ways: " +
            $"(1) the {d.Parameter} parameter; " +
            $"(2) Azure Key Vault, as the secret named '{secretName}' (setting {d.SecretNameSetting}) in the vault of secrets.keyVaultUri - {vaultStatus}; " +
            $"(3) the environment variable {d.EnvironmentVariablesText}.");
    }

    /// <summary>Resolves several credentials, in order; the vault failure, if any, is reported once.</summary>
    public async Task<CredentialSet> ResolveAsync(IEnumerable<CredentialRequest> requests, CancellationToken cancellationToken)
    {
        if (requests is null) throw new ArgumentNullException(nameof(requests));
        var resolved = new List<ResolvedCredential>();
        foreach (var r in requests)
            resolved.Add(await ResolveAsync(r.Kind, r.ExplicitValue, cancellationToken).ConfigureAwait(false));
        return new CredentialSet(resolved, KeyVaultFailure);
    }

    private ResolvedCredential Found(CredentialDescriptor d, string raw, CredentialSource source, string origin)
    {
        // Secrets copied from files and portals often carry a trailing newline.
        var value = raw.Trim();
        if (SuspiciousValue.IsCredentialPlaceholder(value))
        {
            throw new OberaConnectException("CredentialPlaceholderValue", FailureKind.Configuration,
                $"The {d.DisplayName} from {origin} looks like a placeholder, not a real value (suspicious default value). Set the real value there.");
        }
        _redactor.Register(value);
        _output.Verbose($"{d.DisplayName}: from {origin}.");
        return new ResolvedCredential(d.Kind, new SecretValue(value), source, origin);
    }
}
