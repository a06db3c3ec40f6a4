using OberaConnect.Engine.Connection;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>Opens connections with the module's real providers (Key Vault when configured).</summary>
    internal static class ConnectionFactory
    {
        public static OberaConnectConnection Open(string? configPath, ConnectionOptions? options)
        {
            options ??= new ConnectionOptions();
            options.ConfigPath = configPath;
            // Builds a provider only when the configuration names a vault, signed in as secrets.keyVaultCredential says.
            options.KeyVaultFactory ??= ConfiguredKeyVault.Factory(options);
            return OberaConnectConnection.Open(options);
        }
    }
}
