using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.DataSurface.Databricks;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.Engine.DataSurface.Sync;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;

namespace OberaConnect.Engine.Connection;

public sealed partial class OberaConnectConnection
{
    /// <summary>
    /// The Databricks warehouse settings: the configuration's "databricks" section, with the predecessor's
    /// DATABRICKS_HOST / DATABRICKS_WAREHOUSE_ID (or DATABRICKS_HTTP_PATH) / DATABRICKS_CATALOG filling what it
    /// leaves out, and the token resolved like every credential (parameter, Key Vault, DATABRICKS_TOKEN).
    /// Validated: a missing host or warehouse is a configuration error that says where to set it.
    /// </summary>
    public async Task<DatabricksSettings> GetDatabricksSettingsAsync(string? explicitToken, CancellationToken cancellationToken)
    {
        var environment = _options.Environment ?? SystemEnvironment.Instance;
        var settings = DatabricksSettings.FromEnvironment(environment.GetVariable);
        var configured = Configuration.Databricks;
        if (configured.Host is { } host) settings.Host = new Uri(host);
        if (configured.WarehouseId is { } warehouse) settings.WarehouseId = warehouse;
        if (configured.Catalog is { } catalog) settings.Catalog = catalog;
        settings.Schema = configured.Schema;
        if (settings.Host is null)
            throw new OberaConnectException("DatabricksSettingInvalid", FailureKind.Configuration,
                $"The Databricks workspace URL is not set. Set databricks.host in {Configuration.FilePath ?? "the configuration"} (for example https://adb-1234567890123456.7.azuredatabricks.net) or the DATABRICKS_HOST environment variable.");
        if (string.IsNullOrWhiteSpace(settings.WarehouseId))
            throw new OberaConnectException("DatabricksSettingInvalid", FailureKind.Configuration,
                $"The Databricks SQL warehouse is not set. Set databricks.warehouseId in {Configuration.FilePath ?? "the configuration"} to the warehouse id or its HTTP path (/sql/1.0/warehouses/<id>), or the DATABRICKS_WAREHOUSE_ID environment variable.");
        var token = await ResolveAsync(CredentialKind.DatabricksToken, explicitToken, cancellationToken).ConfigureAwait(false);
        settings.Token = token.Value.Reveal();
        return settings.Validate();
    }

    /// <summary>
    /// The export store named by <paramref name="store"/> (Sqlite or Databricks; null takes export.store).
    /// <paramref name="sqlitePath"/> overrides export.sqlitePath. The caller disposes a Databricks store.
    /// </summary>
    public async Task<INotionExportStore> OpenExportStoreAsync(string? store, string? sqlitePath, string? explicitDatabricksToken, CancellationToken cancellationToken)
    {
        var kind = ExportStoreKind(store ?? Configuration.Export.Store);
        if (kind == "Databricks")
        {
            var settings = await GetDatabricksSettingsAsync(explicitDatabricksToken, cancellationToken).ConfigureAwait(false);
            return new DatabricksExportStore(settings, _options.HttpHandler, _options.Time, Redactor);
        }
        return new SqliteExportStore(sqlitePath ?? Configuration.Export.SqlitePathOrDefault(Configuration.Paths), _options.Time);
    }

    /// <summary>
    /// Export-NotionDatabase: copies <paramref name="sources"/> into the store (incrementally from each database's
    /// watermark unless <paramref name="fullRefresh"/>), with export.overlapMinutes of overlap. One result per database;
    /// a database that fails is reported in its result and the next one goes on.
    /// </summary>
    public async Task<IReadOnlyList<DatabaseExportResult>> ExportNotionAsync(IReadOnlyList<ExportSource> sources, bool fullRefresh, string? store,
        string? sqlitePath, string? explicitDatabricksToken, IEngineOutput? output, CancellationToken cancellationToken,
        Action<DatabaseExportResult>? completed = null)
    {
        if (sources is null) throw new ArgumentNullException(nameof(sources));
        INotionExportStore? target = null;
        var requests = new RequestTally(() => WithStore(RequestStatistics(), target));
        var succeeded = false;
        try
        {
            var notion = await GetNotionAsync(cancellationToken).ConfigureAwait(false);
            target = await OpenExportStoreAsync(store, sqlitePath, explicitDatabricksToken, cancellationToken).ConfigureAwait(false);
            var feed = new NotionClientPageFeed(notion, TimeSpan.FromMinutes(Configuration.Export.OverlapMinutes));
            var export = new NotionExport(feed, target, output, _options.Time) { RequestCounter = () => notion.Statistics.Requests, Completed = completed };
            var results = await export.RunAsync(sources, fullRefresh, cancellationToken).ConfigureAwait(false);
            succeeded = results.All(r => r.Succeeded);
            return results;
        }
        finally
        {
            // Counted whatever happened, a run that could not start included: the metric is how a failing job is noticed.
            await RunMetrics.RecordAsync(Configuration.Paths.MetricsPath, CommandNames.ExportNotion, succeeded, requests, _options.Time ?? TimeProvider.System,
                output ?? Output, CancellationToken.None).ConfigureAwait(false);
            (target as IDisposable)?.Dispose();
        }
    }

    // The connection's services, and Databricks while an export writes to it.
    private static IReadOnlyDictionary<string, HttpStatistics> WithStore(IReadOnlyDictionary<string, HttpStatistics> services, INotionExportStore? store)
    {
        if (store is not DatabricksExportStore databricks) return services;
        var all = services.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        all[MetricServices.Databricks] = databricks.Client.Statistics;
        return all;
    }

    /// <summary>Initialize-NotionExportStore: creates the export tables (idempotent) and says where.</summary>
    public async Task<ExportStoreInfo> InitializeExportStoreAsync(string? store, string? sqlitePath, string? explicitDatabricksToken, CancellationToken cancellationToken)
    {
        var target = await OpenExportStoreAsync(store, sqlitePath, explicitDatabricksToken, cancellationToken).ConfigureAwait(false);
        try
        {
            await target.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return ExportStoreInfo.Of(target);
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Sync-NotionTable: the two-way sync of <paramref name="table"/> with the Notion database <paramref name="databaseId"/>,
    /// on this connection's Notion client (the token is resolved here) and clock.
    /// </summary>
    public async Task<NotionTableSync> CreateTableSyncAsync(ISyncTable table, string databaseId, TableSyncOptions options, CancellationToken cancellationToken)
    {
        var requests = new RequestTally(RequestStatistics);
        var notion = await GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var sync = new NotionTableSync(table, notion, databaseId, options, Output, _options.Time);
        sync.RecordRunsIn(Configuration.Paths.MetricsPath, requests);
        return sync;
    }

    /// <summary>Where the export store is, for messages and -WhatIf, without opening it or resolving any credential.</summary>
    public string DescribeExportStore(string? store, string? sqlitePath)
    {
        var kind = ExportStoreKind(store ?? Configuration.Export.Store);
        if (kind == "Sqlite") return "SQLite " + SqliteExportStore.FullPath(sqlitePath ?? Configuration.Export.SqlitePathOrDefault(Configuration.Paths));
        var environment = _options.Environment ?? SystemEnvironment.Instance;
        var host = Configuration.Databricks.Host ?? environment.GetVariable("DATABRICKS_HOST") ?? "(databricks.host not set)";
        var catalog = Configuration.Databricks.Catalog ?? environment.GetVariable("DATABRICKS_CATALOG");
        return $"Databricks {host} {DatabricksSql.QualifiedName(catalog, Configuration.Databricks.Schema, "notion_raw_pages")}";
    }

    /// <summary>The store name as the configuration lists it (Sqlite, Databricks), or an error naming the choices.</summary>
    public static string ExportStoreKind(string name)
        => ExportSettings.Stores.FirstOrDefault(s => string.Equals(s, name?.Trim(), StringComparison.OrdinalIgnoreCase))
           ?? throw new OberaConnectException("ExportStoreUnknown", FailureKind.InvalidInput,
               $"'{name}' is not an export store; use {string.Join(" or ", ExportSettings.Stores)}.");
}
