using System.Globalization;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Configuration;

/// <summary>How a setting's value is read and checked.</summary>
internal enum SettingKind
{
    Integer,
    Number,
    Boolean,
    Url,
    ApiVersion,
    NinjaOneRegion,
    /// <summary>NinjaOne OAuth scopes: monitoring, optionally with management and control.</summary>
    NinjaOneScope,
    KeyVaultUri,
    /// <summary>How to sign in to Key Vault: defaultChain, managedIdentity or clientSecret.</summary>
    KeyVaultCredential,
    /// <summary>An Entra application (client) id: a GUID.</summary>
    AzureClientId,
    /// <summary>An Entra directory (tenant): a GUID or a domain such as contoso.onmicrosoft.com.</summary>
    AzureTenantId,
    SecretName,
    Directory,
    MetricsFile,
    Weight,
    /// <summary>The "databases" object: database key to ids.</summary>
    DatabaseMap,
    /// <summary>The "siteMapping.map" object: UniFi site to NinjaOne organization.</summary>
    SiteMap,
    /// <summary>One of <see cref="Setting.Choices"/> (matched ignoring case, stored as listed).</summary>
    Choice,
    /// <summary>Free text (a warehouse id, a schema name), or null.</summary>
    Text,
    /// <summary>A file path, or null.</summary>
    FilePath,
    /// <summary>The "export.databases" object: export name to Notion database id.</summary>
    ExportDatabaseMap,
}

/// <summary>One setting of the file: its JSON path, how it is read, where it goes in the model, and what it means.</summary>
internal sealed class Setting
{
    public Setting(string path, SettingKind kind, string description, Func<OberaConnectConfiguration, object?> get, Action<OberaConnectConfiguration, object?> set)
    {
        Path = path;
        Kind = kind;
        Description = description;
        Get = get;
        Set = set;
    }

    /// <summary>Dotted JSON path, for example "notion.baseUrl".</summary>
    public string Path { get; }
    public SettingKind Kind { get; }
    public string Description { get; }
    public Func<OberaConnectConfiguration, object?> Get { get; }
    public Action<OberaConnectConfiguration, object?> Set { get; }

    public double Min { get; init; } = double.MinValue;
    public double Max { get; init; } = double.MaxValue;

    /// <summary>May be null (or an empty string) in the file, meaning "use the default".</summary>
    public bool Nullable { get; init; }

    /// <summary>The default as the reference shows it when it depends on the machine.</summary>
    public string? DefaultText { get; init; }

    /// <summary>The allowed values of a <see cref="SettingKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = Array.Empty<string>();

    public string Name => Path.Substring(Path.LastIndexOf('.') + 1);

    public string TypeText => Kind switch
    {
        SettingKind.Integer or SettingKind.Weight => Min > double.MinValue ? $"integer, {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)}" : "integer",
        SettingKind.Number => $"number, {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)}",
        SettingKind.Boolean => "true or false",
        SettingKind.Url => "URL (https)",
        SettingKind.ApiVersion => "one of " + string.Join(", ", NotionSettings.SupportedApiVersions),
        SettingKind.NinjaOneRegion => string.Join(", ", NinjaOneSettings.Regions.Keys) + ", or an https URL",
        SettingKind.NinjaOneScope => "space-separated scopes: monitoring, optionally management and control",
        SettingKind.KeyVaultUri => "Key Vault URI, or null",
        SettingKind.KeyVaultCredential => "one of " + string.Join(", ", SecretSettings.KeyVaultCredentials),
        SettingKind.AzureClientId => "GUID, or null",
        SettingKind.AzureTenantId => "GUID or domain, or null",
        SettingKind.SecretName => "Key Vault secret name",
        SettingKind.Directory => "folder path, or null",
        SettingKind.MetricsFile => "*.prom file path, or null",
        SettingKind.DatabaseMap => "object",
        SettingKind.SiteMap => "object",
        SettingKind.ExportDatabaseMap => "object",
        SettingKind.Choice => "one of " + string.Join(", ", Choices),
        SettingKind.Text => Nullable ? "text, or null" : "text",
        SettingKind.FilePath => "file path, or null",
        _ => "text",
    };

    /// <summary>The default as JSON text (what the sample file holds).</summary>
    public string DefaultJson(OberaConnectConfiguration defaults) => Get(defaults) switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        string s => "\"" + s + "\"",
        var other => other.ToString() ?? "null",
    };
}

/// <summary>
/// Every setting of the configuration file. The loader reads with it (so an unknown name is an error
/// with a suggestion), the sample file and about_OberaConnect_Configuration are written from it, so the
/// three cannot drift apart.
/// </summary>
internal static class ConfigurationSchema
{
    /// <summary>Top-level sections in file order, with what they hold.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Sections = new[]
    {
        ("notion", "The Notion API: address, version, pacing, timeouts, retries and circuit breaker."),
        ("databases", "Ids of the workspace databases, written by " + CommandNames.Initialize + "."),
        ("unifi", "UniFi Site Manager API."),
        ("ninjaOne", "NinjaOne API."),
        ("siteMapping", "Which NinjaOne organization belongs to which UniFi site."),
        ("healthScoreWeights", "Points each part of the health score weighs; they must add up to 100."),
        ("paths", "Where the module writes locally. Relative paths are relative to the configuration file's folder."),
        ("export", "Export-NotionDatabase: the store it writes to by default and the databases it copies besides the workspace's own."),
        ("databricks", "The Databricks SQL warehouse of the Databricks export store. The token is a credential (see CREDENTIALS)."),
        ("secrets", "Where secrets are: a Key Vault and the names of the secrets in it. Never the secrets themselves."),
    };

    /// <summary>The environment variable (after its OBERACONNECT_ form) holding the client secret of secrets.keyVaultCredential clientSecret.</summary>
    public const string KeyVaultClientSecretVariable = "AZURE_CLIENT_SECRET";

    public static readonly IReadOnlyList<Setting> Settings = Build();

    private static IReadOnlyList<Setting> Build()
    {
        var list = new List<Setting>
        {
            new("notion.baseUrl", SettingKind.Url, "Notion API base address.", c => c.Notion.BaseUrl, (c, v) => c.Notion.BaseUrl = (string)v!),
            new("notion.apiVersion", SettingKind.ApiVersion, "Notion-Version header. 2026-03-11 is current; 2025-09-03 for workspaces that need it.",
                c => c.Notion.ApiVersion, (c, v) => c.Notion.ApiVersion = (string)v!),
            new("notion.requestsPerSecond", SettingKind.Number, "Average requests per second to Notion, shared by every process on this machine that uses the same integration token and state directory (Notion allows 3 per integration).",
                c => c.Notion.RequestsPerSecond, (c, v) => c.Notion.RequestsPerSecond = (double)v!) { Min = 0.1, Max = 3 },
        };
        AddServiceSettings(list, "notion", c => c.Notion);
        list.Add(new("notion.writeLockTimeoutSeconds", SettingKind.Integer, "Seconds a run waits for another run on this machine that is creating pages in the same database (runs take turns to check a key and create its page, so none creates it twice) before the record fails with WriteLockTimeout. The default outlasts a create waiting out rate limits (rateLimitWaitSeconds).",
            c => c.Notion.WriteLockTimeoutSeconds, (c, v) => c.Notion.WriteLockTimeoutSeconds = (int)v!) { Min = 1, Max = 7200 });
        list.Add(new("notion.keyReadLimit", SettingKind.Integer, "Records a sync reads ahead before it reads its database: an input of at most this many records reads only their keys with filtered queries (one site fixed costs one query), a larger one reads every page. 0 reads every page at once and writes each record as it arrives, for pipelines that stay open long.",
            c => c.Notion.KeyReadLimit, (c, v) => c.Notion.KeyReadLimit = (int)v!) { Min = 0, Max = 1000 });
        list.Add(new Setting("databases", SettingKind.DatabaseMap,
            "One entry per database key (" + string.Join(", ", Enum.GetNames(typeof(DatabaseKey))) + "): " +
            "{ \"databaseId\": ..., \"dataSourceId\": ... } or just the database id or URL as a string. Ids may be given " +
            "with or without dashes or as the database's Notion URL; they are stored dashed. Initialize fills them in.",
            _ => null, (_, _) => { }) { Nullable = true });
        list.AddRange(new[]
        {
            new Setting("unifi.baseUrl", SettingKind.Url, "UniFi Site Manager API base address.", c => c.UniFi.BaseUrl, (c, v) => c.UniFi.BaseUrl = (string)v!),
            new Setting("unifi.pageSize", SettingKind.Integer, "Items per page when listing sites and devices.", c => c.UniFi.PageSize, (c, v) => c.UniFi.PageSize = (int)v!) { Min = 1, Max = 500 },
            new Setting("unifi.requestsPerMinute", SettingKind.Integer, "Average requests per minute to UniFi (the API allows 10,000 on /v1 and 100 on early-access endpoints).",
                c => c.UniFi.RequestsPerMinute, (c, v) => c.UniFi.RequestsPerMinute = (int)v!) { Min = 1, Max = 10000 },
        });
        AddServiceSettings(list, "unifi", c => c.UniFi);
        list.AddRange(new[]
        {
            new Setting("ninjaOne.region", SettingKind.NinjaOneRegion, "NinjaOne instance: us (app.ninjarmm.com), eu, oc, ca, us2, fed (fed.ninjarmm.com, US federal), or the instance's full https base URL.",
                c => c.NinjaOne.Region, (c, v) => c.NinjaOne.Region = (string)v!),
            new Setting("ninjaOne.scope", SettingKind.NinjaOneScope,
                "OAuth scopes the access token is asked for. NinjaOne refuses the token (invalid_scope) when one of them was not granted to the API app " +
                "(Administration > Apps > API > Client App IDs), so ask only for scopes the app has. The module only reads, which needs monitoring alone.",
                c => c.NinjaOne.Scope, (c, v) => c.NinjaOne.Scope = (string)v!),
            new Setting("ninjaOne.pageSize", SettingKind.Integer,
                "Items asked for per page when listing organizations, devices, activities and backup jobs. Each endpoint gets it within its own limits " +
                "(activities 10 to 1000), and a list is read until NinjaOne says it has no more, so a server that serves smaller pages loses nothing.",
                c => c.NinjaOne.PageSize, (c, v) => c.NinjaOne.PageSize = (int)v!) { Min = 1, Max = 1000 },
            new Setting("ninjaOne.requestsPerSecond", SettingKind.Number, "Average requests per second to NinjaOne (no documented limit; be gentle).",
                c => c.NinjaOne.RequestsPerSecond, (c, v) => c.NinjaOne.RequestsPerSecond = (double)v!) { Min = 0.1, Max = 50 },
        });
        AddServiceSettings(list, "ninjaOne", c => c.NinjaOne);
        list.AddRange(new[]
        {
            new Setting("siteMapping.matchByName", SettingKind.Boolean, "A UniFi site missing from the map is matched to the NinjaOne organization of the same name (ignoring case and punctuation).",
                c => c.SiteMapping.MatchByName, (c, v) => c.SiteMapping.MatchByName = (bool)v!),
            new Setting("siteMapping.map", SettingKind.SiteMap,
                "Explicit pairs: \"<UniFi site id or name>\": <NinjaOne organization id> or \"<organization name>\". A number (or a string of digits) is an organization id; other text is its name. A site is looked up by id first, then by name, ignoring case.",
                _ => null, (_, _) => { }) { Nullable = true },
            new Setting("healthScoreWeights.deviceAvailability", SettingKind.Weight, "Share of devices online.", c => c.HealthScoreWeights.DeviceAvailability, (c, v) => c.HealthScoreWeights.DeviceAvailability = (int)v!) { Min = 0, Max = 100 },
            new Setting("healthScoreWeights.wifiQuality", SettingKind.Weight, "Share of WiFi clients without weak signal.", c => c.HealthScoreWeights.WifiQuality, (c, v) => c.HealthScoreWeights.WifiQuality = (int)v!) { Min = 0, Max = 100 },
            new Setting("healthScoreWeights.alerts", SettingKind.Weight, "Open alerts (critical ones weigh most).", c => c.HealthScoreWeights.Alerts, (c, v) => c.HealthScoreWeights.Alerts = (int)v!) { Min = 0, Max = 100 },
            new Setting("healthScoreWeights.backup", SettingKind.Weight, "Backup job results.", c => c.HealthScoreWeights.Backup, (c, v) => c.HealthScoreWeights.Backup = (int)v!) { Min = 0, Max = 100 },
            new Setting("healthScoreWeights.configCompliance", SettingKind.Weight, "No configuration drift.", c => c.HealthScoreWeights.ConfigCompliance, (c, v) => c.HealthScoreWeights.ConfigCompliance = (int)v!) { Min = 0, Max = 100 },
            new Setting("paths.logDirectory", SettingKind.Directory, "Run logs of unattended jobs (Invoke-OberaConnectJob and the job scripts): one file per run, OberaConnectJob-<date>-<time>-<process>.log, kept 30 days unless -KeepLogDays says otherwise.", c => c.Paths.LogDirectory, (c, v) => c.Paths.LogDirectory = (string?)v) { Nullable = true, DefaultText = "the folder named by the " + ConfigurationLocations.LogDirectoryVariable + " environment variable when it is set, otherwise <data>/logs" },
            new Setting("paths.auditDirectory", SettingKind.Directory, "Audit records of every write (JSON lines).", c => c.Paths.AuditDirectory, (c, v) => c.Paths.AuditDirectory = (string?)v) { Nullable = true, DefaultText = "<data>/audit" },
            new Setting("paths.journalDirectory", SettingKind.Directory, "Failed records kept for -RetryFailed.", c => c.Paths.JournalDirectory, (c, v) => c.Paths.JournalDirectory = (string?)v) { Nullable = true, DefaultText = "<data>/journal" },
            new Setting("paths.stateDirectory", SettingKind.Directory, "What the module remembers between runs (watermarks, caches).", c => c.Paths.StateDirectory, (c, v) => c.Paths.StateDirectory = (string?)v) { Nullable = true, DefaultText = "<data>/state" },
            new Setting("paths.metricsPath", SettingKind.MetricsFile, "Prometheus textfile written after each run, for the textfile collector of windows_exporter or node_exporter (for example C:\\Program Files\\windows_exporter\\textfile_inputs\\oberaconnect.prom). Null writes no metrics.",
                c => c.Paths.MetricsPath, (c, v) => c.Paths.MetricsPath = (string?)v) { Nullable = true },
            new Setting("secrets.keyVaultUri", SettingKind.KeyVaultUri, "Azure Key Vault holding the secrets, for example https://contoso-ops.vault.azure.net/. Null: no vault; credentials come from parameters or environment variables.",
                c => c.Secrets.KeyVaultUri, (c, v) => c.Secrets.KeyVaultUri = (string?)v) { Nullable = true },
            new Setting("secrets.keyVaultCredential", SettingKind.KeyVaultCredential,
                "How the module signs in to the vault. defaultChain: the Azure default chain (AZURE_* environment variables, workload or managed identity, then a developer sign-in such as az login or Connect-AzAccount). " +
                "managedIdentity: the machine's managed identity (Azure VM, Arc-enabled server), the user-assigned one named by keyVaultClientId. " +
                "clientSecret: an app registration (keyVaultTenantId and keyVaultClientId), whose client secret comes from the environment variable " +
                string.Join(" or ", Credentials.EnvironmentSecretProvider.VariableNames(KeyVaultClientSecretVariable)) + ", never from this file.",
                c => c.Secrets.KeyVaultCredential, (c, v) => c.Secrets.KeyVaultCredential = (string)v!),
            new Setting("secrets.keyVaultClientId", SettingKind.AzureClientId,
                "Application (client) id: of the app registration for clientSecret; of a user-assigned managed identity for managedIdentity and defaultChain. Null: the system-assigned identity.",
                c => c.Secrets.KeyVaultClientId, (c, v) => c.Secrets.KeyVaultClientId = (string?)v) { Nullable = true },
            new Setting("secrets.keyVaultTenantId", SettingKind.AzureTenantId,
                "Directory (tenant) id or domain of the app registration, for clientSecret.",
                c => c.Secrets.KeyVaultTenantId, (c, v) => c.Secrets.KeyVaultTenantId = (string?)v) { Nullable = true },
            new Setting("secrets.notionTokenSecretName", SettingKind.SecretName, "Name of the Key Vault secret holding the Notion integration token.", c => c.Secrets.NotionTokenSecretName, (c, v) => c.Secrets.NotionTokenSecretName = (string)v!),
            new Setting("secrets.unifiApiKeySecretName", SettingKind.SecretName, "Name of the Key Vault secret holding the UniFi Site Manager API key.", c => c.Secrets.UniFiApiKeySecretName, (c, v) => c.Secrets.UniFiApiKeySecretName = (string)v!),
            new Setting("secrets.ninjaOneClientIdSecretName", SettingKind.SecretName, "Name of the Key Vault secret holding the NinjaOne client id.", c => c.Secrets.NinjaOneClientIdSecretName, (c, v) => c.Secrets.NinjaOneClientIdSecretName = (string)v!),
            new Setting("secrets.ninjaOneClientSecretSecretName", SettingKind.SecretName, "Name of the Key Vault secret holding the NinjaOne client secret.", c => c.Secrets.NinjaOneClientSecretSecretName, (c, v) => c.Secrets.NinjaOneClientSecretSecretName = (string)v!),
            new Setting("secrets.databricksTokenSecretName", SettingKind.SecretName, "Name of the Key Vault secret holding the Databricks access token (Databricks export store only).", c => c.Secrets.DatabricksTokenSecretName, (c, v) => c.Secrets.DatabricksTokenSecretName = (string)v!),
            new Setting("export.store", SettingKind.Choice, "The store Export-NotionDatabase and Initialize-NotionExportStore use when -Store is not given: Sqlite (a local file) or Databricks (Delta tables through a SQL warehouse).",
                c => c.Export.Store, (c, v) => c.Export.Store = (string)v!) { Choices = ExportSettings.Stores },
            new Setting("export.sqlitePath", SettingKind.FilePath, "The SQLite export file (created with its tables on first use).", c => c.Export.SqlitePath, (c, v) => c.Export.SqlitePath = (string?)v) { Nullable = true, DefaultText = "<data>/export/notion-export.db" },
            new Setting("export.overlapMinutes", SettingKind.Integer, "An incremental export reads pages edited since this many minutes before the watermark's minute: Notion cuts last_edited_time to the minute and its query index can lag behind an edit. Pages read again are counted unchanged.",
                c => c.Export.OverlapMinutes, (c, v) => c.Export.OverlapMinutes = (int)v!) { Min = 0, Max = 1440 },
            new Setting("export.databases", SettingKind.ExportDatabaseMap,
                "Extra Notion databases to export, besides the workspace databases: \"<name>\": \"<database id or URL>\". The name is what the bronze rows carry (database_name) and what -Database takes; use letters, digits, _ and -.",
                _ => null, (_, _) => { }) { Nullable = true },
            new Setting("databricks.host", SettingKind.Url, "Databricks workspace URL, for example https://adb-1234567890123456.7.azuredatabricks.net. Null reads DATABRICKS_HOST.", c => c.Databricks.Host, (c, v) => c.Databricks.Host = (string?)v) { Nullable = true },
            new Setting("databricks.warehouseId", SettingKind.Text, "SQL warehouse id, or its HTTP path (/sql/1.0/warehouses/<id>) from the warehouse's Connection details. Null reads DATABRICKS_WAREHOUSE_ID or DATABRICKS_HTTP_PATH.",
                c => c.Databricks.WarehouseId, (c, v) => c.Databricks.WarehouseId = (string?)v) { Nullable = true },
            new Setting("databricks.catalog", SettingKind.Text, "Unity Catalog catalog of the bronze schema. Null uses the warehouse's default catalog.", c => c.Databricks.Catalog, (c, v) => c.Databricks.Catalog = (string?)v) { Nullable = true },
            new Setting("databricks.schema", SettingKind.Text, "Schema of the bronze tables notion_raw_pages and notion_sync_watermarks.", c => c.Databricks.Schema, (c, v) => c.Databricks.Schema = (string?)v ?? "bronze"),
        });

        // Keep the list in section order, then declaration order within a section.
        var order = Sections.Select(s => s.Name).ToList();
        return list.Select((s, i) => (s, i)).OrderBy(t => order.IndexOf(t.s.Path.Split('.')[0])).ThenBy(t => t.i).Select(t => t.s).ToList();
    }

    private static void AddServiceSettings(List<Setting> list, string section, Func<OberaConnectConfiguration, ServiceSettings> of)
    {
        list.Add(new Setting(section + ".burst", SettingKind.Integer, "Requests that may go back to back before pacing applies.", c => of(c).Burst, (c, v) => of(c).Burst = (int)v!) { Min = 1, Max = 100 });
        list.Add(new Setting(section + ".timeoutSeconds", SettingKind.Integer, "How long one attempt may take, in seconds.", c => of(c).TimeoutSeconds, (c, v) => of(c).TimeoutSeconds = (int)v!) { Min = 1, Max = 600 });
        list.Add(new Setting(section + ".maxRetries", SettingKind.Integer, "Retries after the first attempt for 5xx and timeouts, only for requests safe to repeat. 429 is not counted: it is retried as Retry-After asks, within rateLimitWaitSeconds. 0 turns every retry off, 429 included.", c => of(c).MaxRetries, (c, v) => of(c).MaxRetries = (int)v!) { Min = 0, Max = 20 });
        list.Add(new Setting(section + ".rateLimitWaitSeconds", SettingKind.Integer, "Seconds one request may wait in total on 429 answers (as their Retry-After asks) before it fails with a rate-limit error: jobs sharing one integration wait their turn instead of failing records.", c => of(c).RateLimitWaitSeconds, (c, v) => of(c).RateLimitWaitSeconds = (int)v!) { Min = 1, Max = 86400 });
        list.Add(new Setting(section + ".breakerFailureThreshold", SettingKind.Integer, "Failures (not 429), with no success among them within the break time, that open the circuit breaker.", c => of(c).BreakerFailureThreshold, (c, v) => of(c).BreakerFailureThreshold = (int)v!) { Min = 2, Max = 100 });
        list.Add(new Setting(section + ".breakerBreakSeconds", SettingKind.Integer, "Seconds the breaker stays open before one trial request.", c => of(c).BreakerBreakSeconds, (c, v) => of(c).BreakerBreakSeconds = (int)v!) { Min = 1, Max = 3600 });
    }
}
