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

        /// <summary>Like <see cref="Open"/>, but with the default settings when no file was named and none exists.</summary>
        public static OberaConnectConnection OpenOrDefaults(string? configPath, ConnectionOptions? options)
        {
            options ??= new ConnectionOptions();
            options.ConfigPath = configPath;
            options.KeyVaultFactory ??= ConfiguredKeyVault.Factory(options);
            return OberaConnectConnection.OpenOrDefaults(options);
        }

        /// <summary>A fresh connection with the same options (after the configuration file changed).</summary>
        public static OberaConnectConnection Reopen(OberaConnectConnection connection) =>
            Open(connection.Options.ConfigPath ?? connection.Configuration.FilePath, connection.Options);
    }
}
