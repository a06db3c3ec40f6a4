using OberaConnect.Engine.Http;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// The contents of the configuration file, with defaults for everything left out. Built by
/// <see cref="ConfigurationFile"/>; every setting, its JSON name, default and meaning is listed in
/// about_OberaConnect_Configuration, which is rendered from the same table the loader reads with.
/// Never holds a secret value: only where secrets are (Key Vault secret names).
/// </summary>
public sealed class OberaConnectConfiguration
{
    /// <summary>The file it was read from; null for defaults that were never loaded.</summary>
    public string? FilePath { get; internal set; }

    public NotionSettings Notion { get; } = new();

    /// <summary>Database and data source ids per workspace database, written by Initialize.</summary>
    public DatabaseIdSet Databases { get; } = new();

    public UniFiSettings UniFi { get; } = new();

    public NinjaOneSettings NinjaOne { get; } = new();

    /// <summary>Which NinjaOne organization belongs to which UniFi site.</summary>
    public SiteMappingSettings SiteMapping { get; } = new();

    public HealthScoreWeights HealthScoreWeights { get; } = new();

    /// <summary>Where logs, audit records, the failure journal, state and metrics go (resolved, absolute).</summary>
    public PathSettings Paths { get; } = new();

    /// <summary>Key Vault and the names of the secrets in it.</summary>
    public SecretSettings Secrets { get; } = new();

    /// <summary>Export-NotionDatabase: where the bronze copy goes and which extra databases it copies.</summary>
    public ExportSettings Export { get; } = new();

    /// <summary>The Databricks SQL warehouse of the Databricks export store (the token is a credential).</summary>
    public DatabricksWarehouseSettings Databricks { get; } = new();

    /// <summary>The defaults, with paths resolved for this machine and account (what an empty file gives).</summary>
    public static OberaConnectConfiguration CreateDefault(ISystemEnvironment? environment = null)
    {
        var config = new OberaConnectConfiguration();
        config.Paths.ApplyDefaults(environment ?? SystemEnvironment.Instance);
        return config;
    }
}

/// <summary>Pacing, timeout, retry and breaker settings shared by every service section.</summary>
public abstract class ServiceSettings
{
    /// <summary>Requests that may go back to back before pacing applies.</summary>
    public int Burst { get; set; }

    /// <summary>How long one attempt may take.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first attempt for 5xx and timeouts (safe requests only); 0 turns every retry off, 429 included.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>How long one request may wait in total on 429 answers (their Retry-After) before it fails.</summary>
    public int RateLimitWaitSeconds { get; set; } = 900;

    /// <summary>Failures in a row that open the circuit breaker.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long the breaker stays open.</summary>
    public int BreakerBreakSeconds { get; set; } = 60;

    /// <summary>Average requests per second the service is paced to.</summary>
    public abstract double AverageRequestsPerSecond { get; }

    /// <summary>The options the service's <see cref="ResilientHttpPipeline"/> is built with.</summary>
    public HttpResilienceOptions ToResilienceOptions() => new()
    {
        RequestsPerSecond = AverageRequestsPerSecond,
        Burst = Burst,
        RequestTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
        MaxRetries = MaxRetries,
        MaxRateLimitWait = TimeSpan.FromSeconds(RateLimitWaitSeconds),
        BreakerFailureThreshold = BreakerFailureThreshold,
        BreakerBreakDuration = TimeSpan.FromSeconds(BreakerBreakSeconds),
    };
}

public sealed class NotionSettings : ServiceSettings
{
    /// <summary>Notion-Version values the client speaks.</summary>
    public static readonly IReadOnlyList<string> SupportedApiVersions = new[] { "2026-03-11", "2025-09-03" };

    public NotionSettings() => Burst = 3;

    public string BaseUrl { get; set; } = "https://api.notion.com/";

    public string ApiVersion { get; set; } = "2026-03-11";

    /// <summary>Notion allows an average of 3 requests per second per integration.</summary>
    public double RequestsPerSecond { get; set; } = 3;

    /// <summary>
    /// How long a run waits for another run on this machine that is creating pages in the same database (the write
    /// lock in the state directory) before the record fails with WriteLockTimeout. The default outlasts a create that waits out
    /// rate limits (rateLimitWaitSeconds, 900): a record is not failed for another run's 429s.
    /// </summary>
    public int WriteLockTimeoutSeconds { get; set; } = 1200;

    /// <summary>
    /// Records a sync reads ahead before reading its database: an input of at most this many records reads only their keys
    /// (filtered queries), a larger one every page (Sync.IndexRead). 0 reads every page at once and writes each record as it
    /// arrives, for pipelines that stay open long.
    /// </summary>
    public int KeyReadLimit { get; set; } = Sync.IndexRead.DefaultKeyLimit;

    public override double AverageRequestsPerSecond => RequestsPerSecond;
}

public sealed class UniFiSettings : ServiceSettings
{
    public UniFiSettings() => Burst = 5;

    public string BaseUrl { get; set; } = "https://api.ui.com";

    public int PageSize { get; set; } = 100;

    /// <summary>UniFi states its limits per minute (10,000 for /v1, 100 for early-access endpoints).</summary>
    public int RequestsPerMinute { get; set; } = 300;

    public override double AverageRequestsPerSecond => RequestsPerMinute / 60.0;
}

public sealed class NinjaOneSettings : ServiceSettings
{
    /// <summary>NinjaOne regions and their API base URLs (the client's table, so the two cannot differ).</summary>
    public static readonly IReadOnlyDictionary<string, string> Regions = Sources.NinjaOne.NinjaOneClientOptions.RegionHosts
        .ToDictionary(r => r.Key, r => "https://" + r.Value, StringComparer.OrdinalIgnoreCase);

    public NinjaOneSettings() => Burst = 5;

    /// <summary>us, eu, oc, ca, us2, fed, or the full base URL of the instance.</summary>
    public string Region { get; set; } = "us";

    /// <summary>The API base URL the region stands for.</summary>
    public string BaseUrl => Regions.TryGetValue(Region, out var url) ? url : Region;

    /// <summary>OAuth scopes the token is asked for, space-separated; they must be among those the API app was granted.</summary>
    public string Scope { get; set; } = Sources.NinjaOne.NinjaOneClientOptions.DefaultScope;

    public int PageSize { get; set; } = 100;

    /// <summary>NinjaOne documents no limit; this is deliberately gentle.</summary>
    public double RequestsPerSecond { get; set; } = 5;

    public override double AverageRequestsPerSecond => RequestsPerSecond;
}

/// <summary>Ids of one workspace database.</summary>
public sealed record DatabaseIds(string? DatabaseId, string? DataSourceId)
{
    public bool IsEmpty => DatabaseId is null && DataSourceId is null;
}

/// <summary>Ids of the workspace databases, by key. A database without ids has not been initialized.</summary>
public sealed class DatabaseIdSet
{
    private readonly Dictionary<DatabaseKey, DatabaseIds> _ids = new();

    /// <summary>The ids of <paramref name="key"/>, or null when the file has none.</summary>
    public DatabaseIds? this[DatabaseKey key] => _ids.TryGetValue(key, out var ids) ? ids : null;

    public bool IsConfigured(DatabaseKey key) => this[key] is { IsEmpty: false };

    /// <summary>Keys with ids, in workspace order.</summary>
    public IReadOnlyList<DatabaseKey> Configured => _ids.Where(kv => !kv.Value.IsEmpty).Select(kv => kv.Key).OrderBy(k => k).ToList();

    /// <summary>The ids, or an error that says how to get them.</summary>
    public DatabaseIds Require(DatabaseKey key, string? filePath = null)
    {
        if (this[key] is { IsEmpty: false } ids) return ids;
        var title = WorkspaceDefinition.Standard[key].Title;
        throw new ConfigurationException(ConfigurationErrors.DatabaseNotConfigured,
            $"{title} ({key}) has no database id in {filePath ?? "the configuration"}. Run {CommandNames.Initialize} to create the workspace, " +
            $"or paste the database's URL into \"databases\": {{ \"{key}\": \"https://www.notion.so/...\" }}.",
            filePath, "databases." + key);
    }

    internal void Set(DatabaseKey key, DatabaseIds ids) => _ids[key] = ids;
}

/// <summary>A NinjaOne organization, by id or by name.</summary>
public sealed record NinjaOneOrganizationRef(long? Id, string? Name)
{
    public override string ToString() => Id is long id ? $"#{id}" : $"'{Name}'";
}

/// <summary>One explicit mapping: a UniFi site (by site id or name) to a NinjaOne organization (by id or name).</summary>
public sealed record SiteMapEntry(string UniFiSite, NinjaOneOrganizationRef Organization);

public sealed class SiteMappingSettings
{
    /// <summary>Sites not in the map are matched to the organization with the same name (ignoring case and punctuation).</summary>
    public bool MatchByName { get; set; } = true;

    public IReadOnlyList<SiteMapEntry> Entries { get; internal set; } = Array.Empty<SiteMapEntry>();

    /// <summary>
    /// True when a site and an organization name are the same for <see cref="MatchByName"/>: letters and digits
    /// compared ignoring case, so "Acme Corp." matches "ACME-Corp".
    /// </summary>
    public static bool SameName(string? a, string? b)
        => a is not null && b is not null && KeySuggestion.Normalize(a).Length > 0 && KeySuggestion.Normalize(a) == KeySuggestion.Normalize(b);

    /// <summary>The organization mapped to a site: by site id first, then by site name (ignoring case); null when not mapped.</summary>
    public NinjaOneOrganizationRef? Find(string? uniFiSiteId, string? uniFiSiteName)
    {
        foreach (var e in Entries)
        {
            if (uniFiSiteId is not null && string.Equals(e.UniFiSite, uniFiSiteId, StringComparison.OrdinalIgnoreCase)) return e.Organization;
        }
        foreach (var e in Entries)
        {
            if (uniFiSiteName is not null && string.Equals(e.UniFiSite, uniFiSiteName.Trim(), StringComparison.OrdinalIgnoreCase)) return e.Organization;
        }
        return null;
    }
}

/// <summary>Points each part of the health score weighs; they add up to 100.</summary>
public sealed class HealthScoreWeights
{
    public int DeviceAvailability { get; set; } = 30;
    public int WifiQuality { get; set; } = 20;
    public int Alerts { get; set; } = 20;
    public int Backup { get; set; } = 15;
    public int ConfigCompliance { get; set; } = 15;

    public int Sum => DeviceAvailability + WifiQuality + Alerts + Backup + ConfigCompliance;

    /// <summary>Throws <see cref="ConfigurationException"/> (ConfigInvalidHealthWeights) unless each is at least 0 and they add up to 100.</summary>
    public HealthScoreWeights Validate()
    {
        var problem = Problem();
        if (problem is not null) throw new ConfigurationException(ConfigurationErrors.InvalidHealthWeights, problem, null, "healthScoreWeights");
        return this;
    }

    internal string? Problem()
    {
        var parts = $"deviceAvailability {DeviceAvailability} + wifiQuality {WifiQuality} + alerts {Alerts} + backup {Backup} + configCompliance {ConfigCompliance}";
        if (DeviceAvailability < 0 || WifiQuality < 0 || Alerts < 0 || Backup < 0 || ConfigCompliance < 0)
            return $"healthScoreWeights: every weight must be 0 or more ({parts}).";
        return Sum == 100 ? null : $"healthScoreWeights must add up to 100, but they add up to {Sum} ({parts}). Adjust them so the total is 100.";
    }
}

/// <summary>Where the module keeps what it writes locally.</summary>
public sealed class PathSettings
{
    public string? LogDirectory { get; set; }
    public string? AuditDirectory { get; set; }
    public string? JournalDirectory { get; set; }
    public string? StateDirectory { get; set; }

    /// <summary>Prometheus textfile (*.prom) the module writes after each run; null writes none.</summary>
    public string? MetricsPath { get; set; }

    /// <summary>The data directory the defaults were taken from.</summary>
    public string DataDirectory { get; private set; } = "";

    /// <summary>Fills the directories left out with the defaults of <see cref="ConfigurationLocations"/> for this account.</summary>
    internal void ApplyDefaults(ISystemEnvironment env)
    {
        DataDirectory = ConfigurationLocations.DefaultDataDirectory(env);
        LogDirectory ??= ConfigurationLocations.DefaultLogDirectory(env);
        AuditDirectory ??= ConfigurationLocations.InDataDirectory(env, "audit");
        JournalDirectory ??= ConfigurationLocations.InDataDirectory(env, "journal");
        StateDirectory ??= ConfigurationLocations.InDataDirectory(env, "state");
    }
}

/// <summary>Where secrets are: a Key Vault and the names of the secrets in it. Never the secrets themselves.</summary>
public sealed class SecretSettings
{
    /// <summary>https://&lt;vault&gt;.vault.azure.net/; null uses no vault (parameters and environment variables only).</summary>
    public string? KeyVaultUri { get; set; }

    /// <summary>How the module signs in to the vault: one of <see cref="KeyVaultCredentials"/>.</summary>
    public string KeyVaultCredential { get; set; } = DefaultChainCredential;

    /// <summary>
    /// Application (client) id: of the app registration for clientSecret; of a user-assigned managed identity
    /// for managedIdentity and defaultChain. Null: the system-assigned identity.
    /// </summary>
    public string? KeyVaultClientId { get; set; }

    /// <summary>Directory (tenant) id or domain of the app registration, for clientSecret.</summary>
    public string? KeyVaultTenantId { get; set; }

    public const string DefaultChainCredential = "defaultChain";
    public const string ManagedIdentityCredential = "managedIdentity";
    public const string ClientSecretCredential = "clientSecret";

    /// <summary>The values secrets.keyVaultCredential takes.</summary>
    public static readonly IReadOnlyList<string> KeyVaultCredentials = new[] { DefaultChainCredential, ManagedIdentityCredential, ClientSecretCredential };

    public string NotionTokenSecretName { get; set; } = "notion-token";
    public string UniFiApiKeySecretName { get; set; } = "unifi-api-key";
    public string NinjaOneClientIdSecretName { get; set; } = "ninjaone-client-id";
    public string NinjaOneClientSecretSecretName { get; set; } = "ninjaone-client-secret";
    public string DatabricksTokenSecretName { get; set; } = "databricks-token";
}

/// <summary>Where Export-NotionDatabase writes, and the Notion databases it copies besides the workspace's own.</summary>
public sealed class ExportSettings
{
    /// <summary>The stores Export-NotionDatabase can write to.</summary>
    public static readonly IReadOnlyList<string> Stores = new[] { "Sqlite", "Databricks" };

    /// <summary>Sqlite or Databricks: the store used when -Store is not given.</summary>
    public string Store { get; set; } = "Sqlite";

    /// <summary>The SQLite export file; null means &lt;data&gt;/export/notion-export.db (see <see cref="SqlitePathOrDefault"/>).</summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// An incremental run reads pages edited on or after the watermark's minute minus this many minutes:
    /// Notion's last_edited_time is cut to the minute and its query index can lag behind an edit.
    /// </summary>
    public int OverlapMinutes { get; set; } = 2;

    /// <summary>Extra databases to export (name → database id), besides the workspace databases of "databases".</summary>
    public IReadOnlyList<ExportDatabaseEntry> Databases { get; internal set; } = Array.Empty<ExportDatabaseEntry>();

    /// <summary>The SQLite file to use: <see cref="SqlitePath"/>, or export/notion-export.db in the data directory.</summary>
    public string SqlitePathOrDefault(PathSettings paths)
        => SqlitePath ?? Path.Combine(paths.DataDirectory.Length > 0 ? paths.DataDirectory : Path.GetTempPath(), "export", "notion-export.db");
}

/// <summary>One extra database of the export: the name its bronze rows carry, and its Notion id.</summary>
public sealed record ExportDatabaseEntry(string Name, string DatabaseId);

/// <summary>The Databricks SQL warehouse the export writes to. Never the token (secrets.databricksTokenSecretName names it).</summary>
public sealed class DatabricksWarehouseSettings
{
    /// <summary>Workspace URL, for example https://adb-1234567890123456.7.azuredatabricks.net; null reads DATABRICKS_HOST.</summary>
    public string? Host { get; set; }

    /// <summary>SQL warehouse id or its HTTP path (/sql/1.0/warehouses/&lt;id&gt;); null reads DATABRICKS_WAREHOUSE_ID or DATABRICKS_HTTP_PATH.</summary>
    public string? WarehouseId { get; set; }

    /// <summary>Unity Catalog catalog; null uses the warehouse's default catalog.</summary>
    public string? Catalog { get; set; }

    /// <summary>Schema of the bronze tables.</summary>
    public string Schema { get; set; } = "bronze";
}
