using System.Text.RegularExpressions;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Security;

/// <summary>Which Azure identity reads the vault.</summary>
public enum KeyVaultCredentialKind
{
    /// <summary>
    /// The Azure.Identity default chain: environment variables (AZURE_CLIENT_ID...), workload identity,
    /// managed identity, then developer sign-ins (Visual Studio, Azure CLI, Azure PowerShell, azd).
    /// Convenient interactively; for unattended runs name the identity explicitly.
    /// </summary>
    DefaultChain,

    /// <summary>The machine's managed identity (Azure VM, Arc-enabled server); a user-assigned one by client id.</summary>
    ManagedIdentity,

    /// <summary>An app registration (service principal) with a client secret: tenant, client id and secret.</summary>
    ClientSecret,
}

/// <summary>Where the vault is and how to sign in to it. Only engine types, so the cmdlet assembly needs no Azure reference.</summary>
public sealed class KeyVaultSecretProviderOptions
{
    private static readonly Regex VaultNameShape = new(@"^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){1,22}[A-Za-z0-9]$", RegexOptions.CultureInvariant);
    /// <summary>An Entra ID GUID (client or tenant id); the configuration file checks its settings with the same shape.</summary>
    internal static readonly Regex GuidShape = new(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant);
    /// <summary>A tenant given by its domain (contoso.onmicrosoft.com).</summary>
    internal static readonly Regex TenantDomainShape = new(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant);

    /// <summary>DNS suffixes of the public and sovereign Key Vault clouds.</summary>
    public static readonly IReadOnlyList<string> KnownVaultSuffixes = new[]
    {
        ".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".vault.microsoftazure.de",
    };

    /// <summary>The vault, as <c>https://name.vault.azure.net/</c> or just its name.</summary>
    public string VaultUri { get; set; } = "";

    /// <summary>Which identity signs in.</summary>
    public KeyVaultCredentialKind Credential { get; set; } = KeyVaultCredentialKind.DefaultChain;

    /// <summary>Client id of a user-assigned managed identity (ManagedIdentity; also used by DefaultChain). Empty: system-assigned.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Directory (tenant) id or domain, for ClientSecret.</summary>
    public string? TenantId { get; set; }

    /// <summary>Application (client) id, for ClientSecret.</summary>
    public string? ClientId { get; set; }

    /// <summary>Client secret, for ClientSecret. Registered with the redactor; never written anywhere.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Pacing and retries of vault requests. Key Vault allows thousands of secret reads per 10 s per vault;
    /// we read a handful, so the defaults favour failing over to environment variables quickly.
    /// </summary>
    public HttpResilienceOptions Resilience { get; set; } = new()
    {
        RequestsPerSecond = 20,
        Burst = 10,
        RequestTimeout = TimeSpan.FromSeconds(15),
        MaxRetries = 2,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(4),
        MaxRetryAfter = TimeSpan.FromSeconds(30),
    };

    // Tests point the provider at a loopback fake; production accepts only Key Vault hosts.
    internal bool AllowAnyHost { get; set; }

    /// <summary>The vault URI in canonical form; throws <see cref="OberaConnectException"/> (KeyVaultConfigurationInvalid) naming what is wrong.</summary>
    public Uri ResolveVaultUri()
    {
        var text = (VaultUri ?? "").Trim();
        if (text.Length == 0) throw Invalid("VaultUri is empty. Set it to the vault's URI, for example https://contoso-ops.vault.azure.net/.");
        if (text.IndexOf("://", StringComparison.Ordinal) < 0)
        {
            if (!VaultNameShape.IsMatch(text))
                throw Invalid($"VaultUri '{text}' is neither a URI nor a vault name (3-24 letters, digits and single hyphens, starting with a letter).");
            text = "https://" + text + ".vault.azure.net/";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw Invalid($"VaultUri '{text}' is not a valid URI. Use the form https://name.vault.azure.net/.");
        if (uri.Scheme != Uri.UriSchemeHttps)
            throw Invalid($"VaultUri '{text}' must use https (Key Vault refuses anything else).");
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0))
            throw Invalid($"VaultUri '{text}' must be just the vault address, without a path, query or credentials (https://name.vault.azure.net/).");
        if (!AllowAnyHost)
        {
            var host = uri.Host.ToLowerInvariant();
            var suffix = KnownVaultSuffixes.FirstOrDefault(s => host.EndsWith(s, StringComparison.Ordinal));
            if (suffix is null)
                throw Invalid($"VaultUri '{text}' is not a Key Vault address (expected a host ending in {string.Join(", ", KnownVaultSuffixes)}).");
            var name = host.Substring(0, host.Length - suffix.Length);
            if (!VaultNameShape.IsMatch(name))
                throw Invalid($"VaultUri '{text}': '{name}' is not a valid vault name (3-24 letters, digits and single hyphens, starting with a letter).");
            if (!uri.IsDefaultPort) throw Invalid($"VaultUri '{text}' must not name a port.");
        }
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>Checks every setting; throws naming the first one that is wrong.</summary>
    public KeyVaultSecretProviderOptions Validate()
    {
        ResolveVaultUri();
        switch (Credential)
        {
            case KeyVaultCredentialKind.ManagedIdentity:
            case KeyVaultCredentialKind.DefaultChain:
                if (!string.IsNullOrWhiteSpace(ManagedIdentityClientId) && !GuidShape.IsMatch(ManagedIdentityClientId!.Trim()))
                    throw Invalid($"ManagedIdentityClientId '{ManagedIdentityClientId}' is not a GUID. Use the client id of the user-assigned identity, or leave it empty for the system-assigned one.");
                break;
            case KeyVaultCredentialKind.ClientSecret:
                if (string.IsNullOrWhiteSpace(TenantId) || !(GuidShape.IsMatch(TenantId!.Trim()) || TenantDomainShape.IsMatch(TenantId.Trim())))
                    throw Invalid($"TenantId '{TenantId}' must be the directory (tenant) id GUID or a domain such as contoso.onmicrosoft.com.");
                if (string.IsNullOrWhiteSpace(ClientId) || !GuidShape.IsMatch(ClientId!.Trim()))
                    throw Invalid($"ClientId '{ClientId}' must be the application (client) id GUID of the app registration.");
                if (string.IsNullOrWhiteSpace(ClientSecret))
                    throw Invalid("ClientSecret is empty. Supply the app registration's client secret (for example from Get-Secret as a PSCredential).");
                break;
            default:
                throw Invalid($"Credential '{Credential}' is not one of DefaultChain, ManagedIdentity, ClientSecret.");
        }
        Resilience.Validate("Azure Key Vault");
        return this;
    }

    /// <summary>The identity in words, for error messages ("the managed identity (client id ...)").</summary>
    public string DescribeIdentity() => Credential switch
    {
        KeyVaultCredentialKind.ManagedIdentity => string.IsNullOrWhiteSpace(ManagedIdentityClientId)
            ? "the system-assigned managed identity of this machine"
            : $"the user-assigned managed identity (client id {ManagedIdentityClientId!.Trim()})",
        KeyVaultCredentialKind.ClientSecret => $"the service principal (client id {ClientId?.Trim()}, tenant {TenantId?.Trim()})",
        _ => "the identity found by the default Azure credential chain (AZURE_* environment variables, workload or managed identity, or a developer sign-in such as Connect-AzAccount / az login)",
    };

    private static OberaConnectException Invalid(string message)
        => new("KeyVaultConfigurationInvalid", FailureKind.Configuration, "Azure Key Vault settings: " + message);
}
