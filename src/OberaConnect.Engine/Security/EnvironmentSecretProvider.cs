using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Security;

/// <summary>
/// Secrets from environment variables: the development store, the fallback when Key Vault is down, and
/// how NinjaOne script variables arrive. A secret name such as <c>notion-api-key</c> is looked up as
/// <c>OBERACONNECT_NOTION_API_KEY</c>, then <c>NOTION_API_KEY</c>, then the name exactly as given, so
/// the Key Vault name and the conventional variable name both work. Values are trimmed (a pasted token
/// often carries a newline) and registered with the <see cref="SecretRedactor"/>.
/// </summary>
public sealed class EnvironmentSecretProvider : ISecretProvider
{
    /// <summary>Prefix tried first, so a variable meant for this module wins over a generic one.</summary>
    public const string DefaultPrefix = "OBERACONNECT_";

    // Values people leave in .env templates; using one would only fail later with a confusing 401.
    private static readonly Regex Placeholder = new(
        @"^(?:<[^>]*>|\$\{[^}]*\}|changeme|change-me|replace-?me|todo|placeholder|dummy|example|none|null" +
        @"|(?:your|my)[-_ ]?[a-z_ -]*(?:key|token|secret|password|here)|.*x{3,}\.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly SecretRedactor _redactor;
    private readonly IProcessEnvironment _environment;
    private readonly string _prefix;

    public EnvironmentSecretProvider(SecretRedactor redactor, IProcessEnvironment? environment = null, string? prefix = DefaultPrefix)
    {
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
        _environment = environment ?? ProcessEnvironment.Instance;
        _prefix = prefix ?? "";
    }

    public string Name => "environment variables";

    /// <summary>The variable names tried for <paramref name="secretName"/>, in order.</summary>
    public IReadOnlyList<string> VariableNames(string secretName)
    {
        var conventional = secretName.Replace('-', '_').ToUpperInvariant();
        var names = new List<string>(3);
        if (_prefix.Length > 0 && !conventional.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase))
            names.Add(_prefix + conventional);
        names.Add(conventional);
        if (!string.Equals(secretName, conventional, StringComparison.Ordinal)) names.Add(secretName);
        return names;
    }

    public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidSecretNameException(name ?? "", Name, "it is empty");
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var variable in VariableNames(name))
        {
            var raw = _environment.GetVariable(variable);
            if (raw is null) continue;
            var value = raw.Trim();
            if (value.Length == 0) continue;
            if (Placeholder.IsMatch(value))
                throw new OberaConnectException("SecretPlaceholderValue", FailureKind.Configuration,
                    $"The environment variable {variable} holds a placeholder rather than a real secret. " +
                    $"Set it to the real value of '{name}' or remove it.");
            _redactor.Register(raw);
            _redactor.Register(value);
            return Task.FromResult<string?>(value);
        }
        return Task.FromResult<string?>(null);
    }
}
