namespace OberaConnect.Engine.Security;

/// <summary>
/// A store that resolves secret names to values (Azure Key Vault; environment variables).
/// Credential resolution asks providers in order; a provider that is unreachable throws
/// <see cref="SecretStoreUnavailableException"/> so the resolver can fall back and warn.
/// </summary>
public interface ISecretProvider
{
    /// <summary>Short name for messages, for example "Azure Key Vault (https://x.vault.azure.net/)".</summary>
    string Name { get; }

    /// <summary>The secret's value, or null when the store has no enabled secret of that name.</summary>
    Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The secret store could not be reached or refused our identity.</summary>
public sealed class SecretStoreUnavailableException : OberaConnectException
{
    public SecretStoreUnavailableException(string store, string reason, Exception? inner = null)
        : base("SecretStoreUnavailable", FailureKind.ServiceUnavailable, $"{store} could not be used: {reason}", inner)
    {
        Store = store;
    }

    public string Store { get; }
}
