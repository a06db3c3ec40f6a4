using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Credentials;

/// <summary>The variable a secret was found in (a name, safe to show) and its value, which never prints itself.</summary>
public sealed class EnvironmentSecret
{
    public EnvironmentSecret(string variable, SecretValue value)
    {
        Variable = variable ?? throw new ArgumentNullException(nameof(variable));
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>For example OBERACONNECT_NOTION_TOKEN.</summary>
    public string Variable { get; }

    /// <summary>The value as set, untrimmed.</summary>
    public SecretValue Value { get; }

    public override string ToString() => "environment variable " + Variable;
}

/// <summary>
/// Secrets from environment variables: the development store, the fallback when Key Vault is down, and how
/// NinjaOne script variables arrive. A name such as NOTION_TOKEN is looked up as OBERACONNECT_NOTION_TOKEN
/// first, so a variable meant for this module wins over a generic one another tool also reads, then as
/// NOTION_TOKEN. Unset and blank variables are missing. Never unavailable. Values are returned as they are:
/// the <see cref="CredentialResolver"/> trims them, refuses placeholders and registers them with the redactor.
/// </summary>
public sealed class EnvironmentSecretProvider : ISecretProvider
{
    /// <summary>Prefix tried first.</summary>
    public const string Prefix = "OBERACONNECT_";

    private readonly ISystemEnvironment _environment;

    public EnvironmentSecretProvider(ISystemEnvironment? environment = null)
        => _environment = environment ?? SystemEnvironment.Instance;

    public string Name => "environment variables";

    /// <summary>The variable names tried for <paramref name="name"/>, in order.</summary>
    public static IReadOnlyList<string> VariableNames(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An environment variable name cannot be empty.", nameof(name));
        return name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? new[] { name } : new[] { Prefix + name, name };
    }

    /// <summary>The first of <see cref="VariableNames"/> that is set to something other than blanks, or null.</summary>
    public EnvironmentSecret? Find(string name)
    {
        foreach (var variable in VariableNames(name))
        {
            var value = _environment.GetVariable(variable);
            if (!string.IsNullOrWhiteSpace(value)) return new EnvironmentSecret(variable, new SecretValue(value!));
        }
        return null;
    }

    public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(name)?.Value.Reveal());
    }
}
