using Azure.Core;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Connection;

/// <summary>
/// The Key Vault the configuration names, signed in to as secrets.keyVaultCredential says (default chain,
/// managed identity, or an app registration whose client secret comes from <see cref="ConnectionOptions.KeyVaultClientSecret"/>
/// or the environment). The cmdlet assembly hands <see cref="Factory(ConnectionOptions)"/> to <see cref="ConnectionOptions.KeyVaultFactory"/>
/// without touching an Azure type.
/// </summary>
public static class ConfiguredKeyVault
{
    /// <summary>The variables the app registration's client secret is read from, in order (OBERACONNECT_AZURE_CLIENT_SECRET, AZURE_CLIENT_SECRET).</summary>
    public static IReadOnlyList<string> ClientSecretVariables => EnvironmentSecretProvider.VariableNames(ConfigurationSchema.KeyVaultClientSecretVariable);

    /// <summary>
    /// The factory for <see cref="ConnectionOptions.KeyVaultFactory"/>: builds a <see cref="KeyVaultSecretProvider"/>
    /// when the configuration names a vault, using the options' environment, clock and trace file.
    /// </summary>
    public static Func<SecretSettings, SecretRedactor, IEngineOutput, ISecretProvider?> Factory(ConnectionOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        return (secrets, redactor, output) => Create(secrets, redactor, output, options, credential: null, handler: null, adjust: null);
    }

    // Tests: a token credential double and a handler that trusts the loopback fake's certificate.
    internal static Func<SecretSettings, SecretRedactor, IEngineOutput, ISecretProvider?> Factory(ConnectionOptions options,
        TokenCredential credential, HttpMessageHandler handler, Action<KeyVaultSecretProviderOptions>? adjust = null)
        => (secrets, redactor, output) => Create(secrets, redactor, output, options, credential, handler, adjust);

    /// <summary>
    /// The provider options the configuration describes. <paramref name="clientSecret"/> is the app registration's
    /// secret (clientSecret only). Throws <see cref="OberaConnectException"/> (KeyVaultClientSecretMissing,
    /// KeyVaultConfigurationInvalid) naming what to set.
    /// </summary>
    public static KeyVaultSecretProviderOptions ProviderOptions(SecretSettings secrets, string? clientSecret)
        => ProviderOptions(secrets, clientSecret, allowAnyHost: false);

    private static KeyVaultSecretProviderOptions ProviderOptions(SecretSettings secrets, string? clientSecret, bool allowAnyHost)
    {
        if (secrets is null) throw new ArgumentNullException(nameof(secrets));
        if (string.IsNullOrWhiteSpace(secrets.KeyVaultUri))
            throw new OberaConnectException("KeyVaultConfigurationInvalid", FailureKind.Configuration, "secrets.keyVaultUri is not set, so there is no vault to sign in to.");
        var kind = CredentialKindOf(secrets.KeyVaultCredential);
        var options = new KeyVaultSecretProviderOptions { VaultUri = secrets.KeyVaultUri!.Trim(), Credential = kind, AllowAnyHost = allowAnyHost };
        if (kind == KeyVaultCredentialKind.ClientSecret)
        {
            if (string.IsNullOrWhiteSpace(clientSecret))
                throw new OberaConnectException("KeyVaultClientSecretMissing", FailureKind.Configuration,
                    $"secrets.keyVaultCredential is clientSecret, but no client secret of the app registration {secrets.KeyVaultClientId} was found. " +
                    $"Set the environment variable {string.Join(" or ", ClientSecretVariables)} for the account that runs the module " +
                    "(machine-wide for SYSTEM), or sign in with managedIdentity or defaultChain instead.");
            options.TenantId = secrets.KeyVaultTenantId;
            options.ClientId = secrets.KeyVaultClientId;
            options.ClientSecret = clientSecret!.Trim();
        }
        else
        {
            options.ManagedIdentityClientId = secrets.KeyVaultClientId;
        }
        return options.Validate();
    }

    internal static ISecretProvider? Create(SecretSettings secrets, SecretRedactor redactor, IEngineOutput output, ConnectionOptions options,
        TokenCredential? credential, HttpMessageHandler? handler, Action<KeyVaultSecretProviderOptions>? adjust)
    {
        if (secrets is null) throw new ArgumentNullException(nameof(secrets));
        if (string.IsNullOrWhiteSpace(secrets.KeyVaultUri)) return null;
        string? clientSecret = null;
        if (CredentialKindOf(secrets.KeyVaultCredential) == KeyVaultCredentialKind.ClientSecret)
        {
            clientSecret = options.KeyVaultClientSecret;
            if (string.IsNullOrWhiteSpace(clientSecret))
                clientSecret = new EnvironmentSecretProvider(options.Environment).Find(ConfigurationSchema.KeyVaultClientSecretVariable)?.Value.Reveal();
            // Before anything can fail and quote it.
            redactor.Register(clientSecret?.Trim());
        }
        // Only the test path (a credential double) may point at a loopback fake.
        var providerOptions = ProviderOptions(secrets, clientSecret, allowAnyHost: credential != null);
        adjust?.Invoke(providerOptions);
        var trace = options.TraceFile is { Length: > 0 } file ? new HttpTraceWriter(file, redactor) : HttpTraceWriter.FromEnvironment(redactor);
        output?.Verbose($"Key Vault {providerOptions.ResolveVaultUri()}: signing in as {providerOptions.DescribeIdentity()}.");
        return credential is null
            ? new KeyVaultSecretProvider(providerOptions, redactor, handler, options.Time, trace)
            : new KeyVaultSecretProvider(providerOptions, redactor, credential, handler, options.Time, trace);
    }

    private static KeyVaultCredentialKind CredentialKindOf(string? setting)
    {
        if (string.Equals(setting, SecretSettings.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase)) return KeyVaultCredentialKind.ManagedIdentity;
        if (string.Equals(setting, SecretSettings.ClientSecretCredential, StringComparison.OrdinalIgnoreCase)) return KeyVaultCredentialKind.ClientSecret;
        if (setting is null || string.Equals(setting, SecretSettings.DefaultChainCredential, StringComparison.OrdinalIgnoreCase)) return KeyVaultCredentialKind.DefaultChain;
        throw new OberaConnectException("KeyVaultConfigurationInvalid", FailureKind.Configuration,
            $"secrets.keyVaultCredential '{setting}' is not one of {string.Join(", ", SecretSettings.KeyVaultCredentials)}.");
    }
}
