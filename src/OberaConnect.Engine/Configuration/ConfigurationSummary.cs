using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// The effective configuration as Get-OberaConnectConfiguration shows it: the file, every setting after
/// defaults, the workspace databases and their ids, and where each credential comes from. Only secret
/// NAMES and sources, never a secret value (the configuration never holds one, and nothing is resolved here).
/// </summary>
public sealed class ConfigurationSummary
{
    private ConfigurationSummary() { }

    /// <summary>The configuration file; null when only defaults apply.</summary>
    public string? FilePath { get; private set; }

    /// <summary>Why this file: "-ConfigPath", "OBERACONNECT_CONFIG", "user file", "machine file", "session (Connect-OberaConnect)".</summary>
    public string Source { get; private set; } = "";

    public string NotionBaseUrl { get; private set; } = "";
    public string NotionVersion { get; private set; } = "";
    public double NotionRequestsPerSecond { get; private set; }
    public int NotionBurst { get; private set; }
    public int NotionTimeoutSeconds { get; private set; }
    public int NotionMaxRetries { get; private set; }

    /// <summary>Every workspace database with its ids (null when not configured yet).</summary>
    public IReadOnlyList<DatabaseSetting> Databases { get => _databases; private set => _databases = ReadableList<DatabaseSetting>.From(value); }

    private IReadOnlyList<DatabaseSetting> _databases = ReadableList<DatabaseSetting>.From(null);

    /// <summary>How many of the seven databases have ids.</summary>
    public int DatabasesConfigured => Databases.Count(d => d.Configured);

    public string UniFiBaseUrl { get; private set; } = "";
    public int UniFiRequestsPerMinute { get; private set; }
    public int UniFiPageSize { get; private set; }

    public string NinjaOneRegion { get; private set; } = "";
    public string NinjaOneBaseUrl { get; private set; } = "";

    /// <summary>The OAuth scopes the token is asked for (ninjaOne.scope).</summary>
    public string NinjaOneScope { get; private set; } = "";
    public double NinjaOneRequestsPerSecond { get; private set; }
    public int NinjaOnePageSize { get; private set; }

    /// <summary>Explicit UniFi site to NinjaOne organization mappings.</summary>
    public int SiteMappings { get; private set; }
    public bool MatchSitesByName { get; private set; }

    /// <summary>For example "deviceAvailability 30, wifiQuality 20, alerts 20, backup 15, configCompliance 15".</summary>
    public string HealthScoreWeights { get; private set; } = "";

    public string? LogDirectory { get; private set; }
    public string? AuditDirectory { get; private set; }
    public string? JournalDirectory { get; private set; }
    public string? StateDirectory { get; private set; }
    public string? MetricsPath { get; private set; }

    /// <summary>The vault secrets are read from; null when none is configured.</summary>
    public string? KeyVaultUri { get; private set; }

    public string NotionTokenSecretName { get; private set; } = "";
    public string UniFiApiKeySecretName { get; private set; } = "";
    public string NinjaOneClientIdSecretName { get; private set; } = "";
    public string NinjaOneClientSecretSecretName { get; private set; } = "";

    /// <summary>Where each credential comes from: resolved already (session), or the order it would be looked for in.</summary>
    public IReadOnlyList<CredentialSetting> Credentials { get => _credentials; private set => _credentials = ReadableList<CredentialSetting>.From(value); }

    private IReadOnlyList<CredentialSetting> _credentials = ReadableList<CredentialSetting>.From(null);

    public override string ToString() => $"{FilePath ?? "(defaults)"}: {DatabasesConfigured} of {Databases.Count} databases configured";

    /// <summary>
    /// The summary of <paramref name="configuration"/>. <paramref name="resolved"/> are credentials a session
    /// connection already resolved (their actual source is shown); for the others the sources that would be tried
    /// are listed, with whether the environment variable is set. Reads environment variable presence only, never values.
    /// </summary>
    public static ConfigurationSummary From(OberaConnectConfiguration configuration, string source,
        IReadOnlyList<ResolvedCredential>? resolved = null, ISystemEnvironment? environment = null)
    {
        if (configuration is null) throw new ArgumentNullException(nameof(configuration));
        var env = environment ?? SystemEnvironment.Instance;
        var c = configuration;
        var w = c.HealthScoreWeights;
        return new ConfigurationSummary
        {
            FilePath = c.FilePath,
            Source = source ?? "",
            NotionBaseUrl = c.Notion.BaseUrl,
            NotionVersion = c.Notion.ApiVersion,
            NotionRequestsPerSecond = c.Notion.RequestsPerSecond,
            NotionBurst = c.Notion.Burst,
            NotionTimeoutSeconds = c.Notion.TimeoutSeconds,
            NotionMaxRetries = c.Notion.MaxRetries,
            Databases = WorkspaceDefinition.Standard.Databases.Select(d => new DatabaseSetting(d.Key.ToString(), d.Title,
                c.Databases[d.Key]?.DatabaseId, c.Databases[d.Key]?.DataSourceId)).ToList(),
            UniFiBaseUrl = c.UniFi.BaseUrl,
            UniFiRequestsPerMinute = c.UniFi.RequestsPerMinute,
            UniFiPageSize = c.UniFi.PageSize,
            NinjaOneRegion = c.NinjaOne.Region,
            NinjaOneBaseUrl = c.NinjaOne.BaseUrl,
            NinjaOneScope = c.NinjaOne.Scope,
            NinjaOneRequestsPerSecond = c.NinjaOne.RequestsPerSecond,
            NinjaOnePageSize = c.NinjaOne.PageSize,
            SiteMappings = c.SiteMapping.Entries.Count,
            MatchSitesByName = c.SiteMapping.MatchByName,
            HealthScoreWeights = $"deviceAvailability {w.DeviceAvailability}, wifiQuality {w.WifiQuality}, alerts {w.Alerts}, backup {w.Backup}, configCompliance {w.ConfigCompliance}",
            LogDirectory = c.Paths.LogDirectory,
            AuditDirectory = c.Paths.AuditDirectory,
            JournalDirectory = c.Paths.JournalDirectory,
            StateDirectory = c.Paths.StateDirectory,
            MetricsPath = c.Paths.MetricsPath,
            KeyVaultUri = c.Secrets.KeyVaultUri,
            NotionTokenSecretName = c.Secrets.NotionTokenSecretName,
            UniFiApiKeySecretName = c.Secrets.UniFiApiKeySecretName,
            NinjaOneClientIdSecretName = c.Secrets.NinjaOneClientIdSecretName,
            NinjaOneClientSecretSecretName = c.Secrets.NinjaOneClientSecretSecretName,
            Credentials = CredentialDescriptor.All.Select(d => CredentialSetting.For(d, c.Secrets, resolved?.FirstOrDefault(r => r.Kind == d.Kind), env)).ToList(),
        };
    }

    /// <summary>How a configuration location is named in <see cref="Source"/>.</summary>
    public static string Describe(ConfigurationOrigin origin) => origin switch
    {
        ConfigurationOrigin.Parameter => "-ConfigPath",
        ConfigurationOrigin.EnvironmentVariable => ConfigurationLocations.EnvironmentVariable,
        ConfigurationOrigin.UserFile => "user file",
        ConfigurationOrigin.MachineFile => "machine file",
        _ => origin.ToString(),
    };
}

/// <summary>One workspace database in the configuration.</summary>
public sealed class DatabaseSetting
{
    public DatabaseSetting(string database, string title, string? databaseId, string? dataSourceId)
    {
        Database = database;
        Title = title;
        DatabaseId = databaseId;
        DataSourceId = dataSourceId;
    }

    /// <summary>The key under "databases", for example CustomerSites.</summary>
    public string Database { get; }

    /// <summary>The title Initialize gives it in Notion.</summary>
    public string Title { get; }

    public string? DatabaseId { get; }
    public string? DataSourceId { get; }
    public bool Configured => DatabaseId is not null || DataSourceId is not null;

    public override string ToString() => $"{Database}: {DatabaseId ?? DataSourceId ?? "(not configured)"}";
}

/// <summary>Where one credential comes from. Never its value.</summary>
public sealed class CredentialSetting
{
    private CredentialSetting(string credential, string displayName, string parameter, string? keyVaultSecretName,
        string environmentVariable, bool environmentVariableSet, string source)
    {
        Credential = credential;
        DisplayName = displayName;
        Parameter = parameter;
        KeyVaultSecretName = keyVaultSecretName;
        EnvironmentVariable = environmentVariable;
        EnvironmentVariableSet = environmentVariableSet;
        Source = source;
    }

    /// <summary>NotionToken, UniFiApiKey, NinjaOneClientId or NinjaOneClientSecret.</summary>
    public string Credential { get; }
    public string DisplayName { get; }

    /// <summary>The Connect-OberaConnect parameter that takes it.</summary>
    public string Parameter { get; }

    /// <summary>The Key Vault secret name, or null when no vault is configured.</summary>
    public string? KeyVaultSecretName { get; }

    public string EnvironmentVariable { get; }

    /// <summary>Whether the environment variable is set for this process (its value is not read into the summary).</summary>
    public bool EnvironmentVariableSet { get; }

    /// <summary>Where it came from (a connected session), or the order in which it would be looked for.</summary>
    public string Source { get; }

    public override string ToString() => $"{DisplayName}: {Source}";

    internal static CredentialSetting For(CredentialDescriptor d, SecretSettings secrets, ResolvedCredential? resolved, ISystemEnvironment env)
    {
        var vaultSecret = secrets.KeyVaultUri is null ? null : d.SecretName(secrets);
        // The resolver's own lookup (OBERACONNECT_ prefix first, then the plain name), so the summary never says
        // "not set" for a credential that resolves from the prefixed variable.
        var variableSet = new EnvironmentSecretProvider(env).Find(d.EnvironmentVariable) != null;
        string source;
        if (resolved is not null)
        {
            source = resolved.Origin;
        }
        else
        {
            var steps = new List<string> { d.Parameter.Split(' ')[0] + " of " + CommandNames.Connect };
            if (vaultSecret is not null) steps.Add($"Azure Key Vault secret '{vaultSecret}' ({secrets.KeyVaultUri})");
            steps.Add($"environment variable {d.EnvironmentVariablesText} ({(variableSet ? "set" : "not set")})");
            source = "looked for in: " + string.Join(", then ", steps);
        }
        return new CredentialSetting(d.Kind.ToString(), d.DisplayName, d.Parameter, vaultSecret, d.EnvironmentVariable, variableSet, source);
    }
}
