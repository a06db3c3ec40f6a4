using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Credentials;

/// <summary>The credentials the module uses.</summary>
public enum CredentialKind
{
    NotionToken,
    UniFiApiKey,
    NinjaOneClientId,
    NinjaOneClientSecret,
    /// <summary>Databricks personal access token or service principal token (the Databricks export store only).</summary>
    DatabricksToken,
}

/// <summary>Where a credential came from.</summary>
public enum CredentialSource
{
    /// <summary>Passed to the cmdlet (SecureString or PSCredential).</summary>
    Parameter,
    /// <summary>Azure Key Vault, under the secret name the configuration gives.</summary>
    KeyVault,
    /// <summary>An environment variable.</summary>
    EnvironmentVariable,
}

/// <summary>The three ways one credential can be given, in the words messages and the reference use.</summary>
public sealed class CredentialDescriptor
{
    private readonly Func<SecretSettings, string> _secretName;

    private CredentialDescriptor(CredentialKind kind, string displayName, string parameter, string secretNameSetting,
        Func<SecretSettings, string> secretName, string environmentVariable)
    {
        Kind = kind;
        DisplayName = displayName;
        Parameter = parameter;
        SecretNameSetting = secretNameSetting;
        _secretName = secretName;
        EnvironmentVariable = environmentVariable;
    }

    public CredentialKind Kind { get; }

    /// <summary>For example "Notion integration token".</summary>
    public string DisplayName { get; }

    /// <summary>The cmdlet parameter that takes it, for example "-NotionToken (SecureString)".</summary>
    public string Parameter { get; }

    /// <summary>The configuration setting naming its Key Vault secret, for example "secrets.notionTokenSecretName".</summary>
    public string SecretNameSetting { get; }

    /// <summary>For example NOTION_TOKEN.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>The variables read, in order: OBERACONNECT_NOTION_TOKEN, then NOTION_TOKEN.</summary>
    public IReadOnlyList<string> EnvironmentVariables => EnvironmentSecretProvider.VariableNames(EnvironmentVariable);

    /// <summary>"OBERACONNECT_NOTION_TOKEN or NOTION_TOKEN", for messages and the reference.</summary>
    public string EnvironmentVariablesText => string.Join(" or ", EnvironmentVariables);

    /// <summary>The Key Vault secret name the configuration gives.</summary>
    public string SecretName(SecretSettings settings) => _secretName(settings);

    public static readonly IReadOnlyList<CredentialDescriptor> All = new[]
    {
        new CredentialDescriptor(CredentialKind.NotionToken, "Notion integration token", "-NotionToken (SecureString)",
            "secrets.notionTokenSecretName", s => s.NotionTokenSecretName, "NOTION_TOKEN"),
        new CredentialDescriptor(CredentialKind.UniFiApiKey, "UniFi Site Manager API key", "-UniFiApiKey (SecureString)",
            "secrets.unifiApiKeySecretName", s => s.UniFiApiKeySecretName, "UNIFI_API_KEY"),
        new CredentialDescriptor(CredentialKind.NinjaOneClientId, "NinjaOne client id", "-NinjaOneCredential (PSCredential user name)",
            "secrets.ninjaOneClientIdSecretName", s => s.NinjaOneClientIdSecretName, "NINJAONE_CLIENT_ID"),
        new CredentialDescriptor(CredentialKind.NinjaOneClientSecret, "NinjaOne client secret", "-NinjaOneCredential (PSCredential password)",
            "secrets.ninjaOneClientSecretSecretName", s => s.NinjaOneClientSecretSecretName, "NINJAONE_CLIENT_SECRET"),
        new CredentialDescriptor(CredentialKind.DatabricksToken, "Databricks access token", "-DatabricksToken (SecureString)",
            "secrets.databricksTokenSecretName", s => s.DatabricksTokenSecretName, "DATABRICKS_TOKEN"),
    };

    public static CredentialDescriptor For(CredentialKind kind) => All.First(d => d.Kind == kind);
}
