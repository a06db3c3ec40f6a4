using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Connection;

/// <summary>
/// The Key Vault provider the module uses when the configuration names a vault: Azure.Identity's default chain
/// (managed identity, a service principal from AZURE_* variables, or a developer sign-in). A method the cmdlet
/// assembly can hand to <see cref="ConnectionOptions.KeyVaultFactory"/> without referencing Azure or TimeProvider types.
/// </summary>
public static class DefaultKeyVault
{
    public static ISecretProvider? Create(SecretSettings secrets, SecretRedactor redactor, IEngineOutput output)
    {
        if (secrets is null) throw new ArgumentNullException(nameof(secrets));
        if (string.IsNullOrWhiteSpace(secrets.KeyVaultUri)) return null;
        return new KeyVaultSecretProvider(new KeyVaultSecretProviderOptions { VaultUri = secrets.KeyVaultUri! }, redactor);
    }
}
