using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.DataSurface.Databricks;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.EndToEnd;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Databricks;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.DataSurface;

/// <summary>
/// Export-NotionDatabase end to end: the real <see cref="NotionClient"/> over HTTP to the <see cref="NotionFake"/>,
/// <see cref="NotionClientPageFeed"/>, <see cref="NotionExport"/> and the SQLite store (or the Databricks store over
/// HTTP to the <see cref="DatabricksFake"/>). Request counts are the fakes' own counters.
/// </summary>
public sealed class ExportThroughFakeTests : IDisposable
{
    private const string Query = "POST /v1/data_sources/{id}/query";
    private static readonly DateTimeOffset T0 = new(2026, 7, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();
    private readonly string _path = Path.Combine(Path.GetTempPath(), "oc-export-e2e-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (File.Exists(_path)) File.Delete(_path);
    }

    private static async Task<(NotionFake Fake, ManualTimeProvider Clock, SeededDatabase Db, IReadOnlyList<string> Ids)> SeedAsync(int count)
    {
        var clock = new ManualTimeProvider(T0);
        var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        var db = fake.State.CreateDatabase(fake.RootPageId, "Projects", """{"Name":{"title":{}},"Budget":{"number":{}}}""");
        // Ten pages per minute from T0: created = last edited, as for pages nobody touched since.
        var ids = fake.State.InsertPages(db.DataSourceId, count, i => new Dictionary<string, object?> { ["Name"] = $"Project {i}", ["Budget"] = i },
            i => T0.AddMinutes(i / 10));
        return (fake, clock, db, ids);
    }

    private NotionExport Export(NotionClient client, INotionExportStore? store = null, TimeSpan? overlap = null)
        => new(new NotionClientPageFeed(client, overlap), store ?? new SqliteExportStore(_path)) { RequestCounter = () => client.Statistics.Requests };

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static List<JsonObject> QueryBodies(NotionFake fake)
        => fake.Requests.Log.Where(r => r.Endpoint == Query).Select(r => (JsonObject)JsonNode.Parse(r.Body!)!).ToList();

    [Fact]
    public async Task Incremental_export_reads_only_pages_edited_since_the_watermark()
    {
        var (fake, clock, db, ids) = await SeedAsync(250);
        await using var _ = fake;
        using var client = NotionClientsOnFake.Create(fake);
        var export = Export(client);
        var source = new ExportSource(db.DatabaseId, "projects");

        var first = await export.ExportDatabaseAsync(source, fullRefresh: false, CancellationToken.None);
        Assert.True(first.FullRefresh);
        Assert.Equal((250, 250, 0, 0), (first.PagesRead, first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal(T0.AddMinutes(24), first.WatermarkAfter);
        // Resolve the data source, three pages of 100 live rows, one (empty) look at the trash.
        Assert.Equal(5, first.Requests);
        Assert.Equal(first.Requests, fake.Requests.Total);

        // A day later three pages are edited and one is added.
        clock.Advance(TimeSpan.FromDays(1));
        fake.State.UpdatePage(ids[7], new Dictionary<string, object?> { ["Budget"] = 7000 });
        fake.State.UpdatePage(ids[70], new Dictionary<string, object?> { ["Name"] = "Project 70 renamed" });
        fake.State.UpdatePage(ids[249], new Dictionary<string, object?> { ["Budget"] = -1 });
        fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Project new" });
        fake.Requests.Reset();

        var second = await export.ExportDatabaseAsync(source, fullRefresh: false, CancellationToken.None);

        Assert.False(second.FullRefresh);
        Assert.Equal(T0.AddMinutes(24), second.WatermarkBefore);
        Assert.Equal(SyncMinute(clock), second.WatermarkAfter);
        // The four changes, and the other 29 pages of the watermark's minute and the two before it (the overlap), unchanged.
        Assert.Equal((33, 1, 3, 29), (second.PagesRead, second.Inserted, second.Updated, second.Unchanged));
        // One live query (the data source id is cached by the client) and one look at the trash.
        Assert.Equal(2, fake.Requests.Count(Query));
        Assert.Equal(2, second.Requests);
        var live = QueryBodies(fake)[0];
        Assert.Equal("last_edited_time", live["filter"]!["timestamp"]!.GetValue<string>());
        // The watermark's minute minus the 2-minute overlap.
        Assert.Equal("2026-07-04T08:22:00.000Z", live["filter"]!["last_edited_time"]!["on_or_after"]!.GetValue<string>());
        Assert.Null(live["in_trash"]);
        // The client's own created_time order (what lets it read past the 10,000-row cap), not one of ours.
        Assert.Equal("created_time", Assert.Single(live["sorts"]!.AsArray())!["timestamp"]!.GetValue<string>());
        Assert.Equal(251, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Equal(7000, Scalar($"SELECT json_extract(properties_json, '$.Budget') FROM notion_raw_pages WHERE page_id = '{ids[7]}'"));
    }

    private static DateTimeOffset SyncMinute(TimeProvider clock) => OberaConnect.Engine.DataSurface.Sync.SyncDecider.FloorToMinute(clock.GetUtcNow());

    [Fact]
    public async Task The_overlap_rereads_the_watermark_minute_and_a_rerun_changes_nothing()
    {
        var (fake, clock, db, ids) = await SeedAsync(30);
        await using var _ = fake;
        using var client = NotionClientsOnFake.Create(fake);
        var export = Export(client, overlap: TimeSpan.Zero);
        var source = new ExportSource(db.DatabaseId, "projects", db.DataSourceId);
        await export.ExportDatabaseAsync(source, false, CancellationToken.None);

        // Edited later in the watermark's own minute (08:02): Notion shows the same minute, so it must be read again.
        fake.State.UpdatePage(ids[25], new Dictionary<string, object?> { ["Budget"] = 2525 });
        fake.State.SetTimestamps(ids[25], lastEdited: T0.AddMinutes(2).AddSeconds(40));
        var again = await export.ExportDatabaseAsync(source, false, CancellationToken.None);
        Assert.Equal((10, 0, 1, 9), (again.PagesRead, again.Inserted, again.Updated, again.Unchanged));

        var rerun = await export.ExportDatabaseAsync(source, false, CancellationToken.None);
        Assert.Equal((0, 0), (rerun.Inserted, rerun.Updated));
        Assert.Equal(rerun.PagesRead, rerun.Unchanged);
        Assert.Equal(again.WatermarkAfter, rerun.WatermarkAfter);
        Assert.Equal(30, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
    }

    [Fact]
    public async Task Full_refresh_reads_every_page_again_and_keeps_the_watermark()
    {
        var (fake, _, db, _) = await SeedAsync(120);
        await using var f = fake;
        using var client = NotionClientsOnFake.Create(fake);
        var export = Export(client);
        var source = new ExportSource(db.DatabaseId, "projects", db.DataSourceId);
        var first = await export.ExportDatabaseAsync(source, false, CancellationToken.None);
        fake.Requests.Reset();

        var full = await export.ExportDatabaseAsync(source, fullRefresh: true, CancellationToken.None);

        Assert.True(full.FullRefresh);
        Assert.Equal((120, 0, 0, 120), (full.PagesRead, full.Inserted, full.Updated, full.Unchanged));
        Assert.Equal(first.WatermarkAfter, full.WatermarkBefore);
        Assert.Equal(first.WatermarkAfter, full.WatermarkAfter);
        Assert.All(QueryBodies(fake), b => Assert.Null(b["filter"]));
        Assert.Equal(3, fake.Requests.Count(Query)); // two pages of live rows, one look at the trash
    }

    [Fact]
    public async Task Trashed_pages_are_kept_and_marked_even_when_trashing_left_last_edited_time_alone()
    {
        var (fake, clock, db, ids) = await SeedAsync(40);
        await using var _ = fake;
        using var client = NotionClientsOnFake.Create(fake);
        var export = Export(client);
        var source = new ExportSource(db.DatabaseId, "projects", db.DataSourceId);
        await export.ExportDatabaseAsync(source, false, CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(3));
        // Trashed without touching last_edited_time (Notion does not document that trashing moves it): an
        // incremental filter alone would never see it.
        fake.State.TrashPage(ids[3]);
        // Created and trashed between two runs: never exported live.
        var shortLived = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Short-lived" });
        fake.State.TrashPage(shortLived);

        var result = await export.ExportDatabaseAsync(source, false, CancellationToken.None);

        Assert.Equal(2, result.Trashed);
        Assert.Equal((1, 1), (result.Inserted, result.Updated));
        Assert.Equal(1, Scalar($"SELECT in_trash FROM notion_raw_pages WHERE page_id = '{ids[3]}'"));
        Assert.Equal(1, Scalar($"SELECT in_trash FROM notion_raw_pages WHERE page_id = '{shortLived}'"));
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM notion_raw_pages WHERE in_trash = 1"));
        Assert.Equal(41, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Contains(QueryBodies(fake), b => b["in_trash"]?.GetValue<bool>() == true && b["filter"] is null);

        // Restored from the trash: the next run marks it live again.
        fake.State.TrashPage(ids[3], inTrash: false);
        fake.State.UpdatePage(ids[3], new Dictionary<string, object?> { ["Budget"] = 3 });
        var restored = await export.ExportDatabaseAsync(source, false, CancellationToken.None);
        Assert.Equal(1, restored.Trashed);
        Assert.Equal(0, Scalar($"SELECT in_trash FROM notion_raw_pages WHERE page_id = '{ids[3]}'"));
    }

    [Fact]
    public async Task Twenty_five_thousand_rows_are_exported_completely_and_a_rerun_reads_only_the_overlap()
    {
        const int rowCount = 25_000, perMinute = 100;
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Health History", """{"Name":{"title":{}}}""");
        // Untitled rows: values only cost seeding and rendering time; ids are what is checked.
        var ids = fake.State.InsertPages(db.DataSourceId, rowCount, _ => NoValues, i => T0.AddMinutes(i / perMinute));
        using var client = NotionClientsOnFake.Create(fake);
        var export = Export(client);
        export.BatchSize = 2_500;
        var source = new ExportSource(db.DatabaseId, "health_history", db.DataSourceId);

        var result = await export.ExportDatabaseAsync(source, false, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal((rowCount, rowCount, 0), (result.Inserted, result.PagesRead - result.Unchanged, result.Updated));
        Assert.Equal(rowCount, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Equal(rowCount, Scalar("SELECT COUNT(DISTINCT page_id) FROM notion_raw_pages"));
        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT page_id FROM notion_raw_pages";
            using var reader = command.ExecuteReader();
            while (reader.Read()) stored.Add(reader.GetString(0));
        }
        Assert.True(stored.SetEquals(ids));
        Assert.Equal(T0.AddMinutes((rowCount - 1) / perMinute), result.WatermarkAfter);

        var rerun = await export.ExportDatabaseAsync(source, false, CancellationToken.None);
        // The watermark's minute and the two before it: 300 rows, every one unchanged.
        Assert.Equal((300, 0, 0, 300), (rerun.PagesRead, rerun.Inserted, rerun.Updated, rerun.Unchanged));
    }

    [Fact]
    public async Task The_Databricks_store_receives_the_export_as_recorded_statements()
    {
        var (fake, clock, db, ids) = await SeedAsync(30);
        await using var _ = fake;
        await using var databricks = await DatabricksFake.StartAsync();
        using var client = NotionClientsOnFake.Create(fake);
        using var store = new DatabricksExportStore(new DatabricksSettings
        {
            Host = databricks.BaseAddress, Token = databricks.Token, WarehouseId = databricks.WarehouseId,
            PollInterval = TimeSpan.FromMilliseconds(10), MaxPollInterval = TimeSpan.FromMilliseconds(20), MaxRowsPerStatement = 20,
            Resilience = new HttpResilienceOptions { RequestsPerSecond = 1000, Burst = 1000 },
        });
        var export = Export(client, store, overlap: TimeSpan.Zero);
        var source = new ExportSource(db.DatabaseId, "projects", db.DataSourceId);

        var first = (await export.RunAsync(new[] { source }, false, CancellationToken.None)).Single();
        Assert.True(first.Succeeded, first.Error);
        Assert.Equal((30, 30), (first.PagesRead, first.Inserted));
        Assert.Equal(30, databricks.Pages.Count);
        Assert.Equal(T0.AddMinutes(2), databricks.Watermarks[NotionIdsOf(db.DatabaseId)]);

        var statements = databricks.Statements.Select(s => s.Statement).ToList();
        Assert.StartsWith("CREATE SCHEMA IF NOT EXISTS `bronze`", statements[0]);
        Assert.Contains(statements, s => s.StartsWith("CREATE TABLE IF NOT EXISTS `bronze`.`notion_raw_pages`", StringComparison.Ordinal));
        var merges = databricks.Statements.Where(s => s.Statement.StartsWith("MERGE INTO `bronze`.`notion_raw_pages`", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, merges.Count); // 30 pages, at most 20 per statement
        Assert.All(merges, m => Assert.DoesNotContain("Project", m.Statement)); // values travel as parameters, never in the SQL text
        Assert.Contains(merges, m => m.Parameter("pages")!.Contains("Project 29", StringComparison.Ordinal));
        Assert.Single(databricks.Statements, s => s.Statement.StartsWith("MERGE INTO `bronze`.`notion_sync_watermarks`", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromHours(1));
        fake.State.UpdatePage(ids[4], new Dictionary<string, object?> { ["Budget"] = 44 });
        var before = databricks.Statements.Count;
        var second = (await export.RunAsync(new[] { source }, false, CancellationToken.None)).Single();
        // The edited page and the ten of the watermark's minute (08:02), which Notion cannot tell apart by time.
        Assert.Equal((11, 0, 1, 10), (second.PagesRead, second.Inserted, second.Updated, second.Unchanged));
        var secondMerges = databricks.Statements.Skip(before).Where(s => s.Statement.StartsWith("MERGE INTO `bronze`.`notion_raw_pages`", StringComparison.Ordinal)).ToList();
        Assert.Single(secondMerges);
        Assert.Contains(ids[4], secondMerges[0].Parameter("pages")!);
    }

    private static string NotionIdsOf(string id) => OberaConnect.Engine.DataSurface.NotionIds.Normalize(id);

    [Fact]
    public async Task The_connection_exports_configured_databases_by_name_with_the_configured_overlap_and_store()
    {
        var (fake, clock, db, ids) = await SeedAsync(12);
        await using var _ = fake;
        var extra = fake.State.CreateDatabase(fake.RootPageId, "Risks", """{"Name":{"title":{}}}""");
        fake.State.InsertPages(extra.DataSourceId, 3, i => new Dictionary<string, object?> { ["Name"] = "Risk " + i });
        var configPath = Path.Combine(Path.GetTempPath(), "oc-export-config-" + Guid.NewGuid().ToString("N") + ".json");
        var json = $$"""
            {
              "notion": { "baseUrl": "{{fake.BaseUrl.AbsoluteUri}}" },
              "databases": { "AzurePipeline": "{{db.DatabaseId}}" },
              "export": { "store": "sqlite", "sqlitePath": "{{_path.Replace("\\", "\\\\")}}", "overlapMinutes": 5, "databases": { "risks": "{{extra.DatabaseId}}" } }
            }
            """;
        var configuration = ConfigurationFile.Parse(json, configPath);
        Assert.Equal("Sqlite", configuration.Export.Store);
        using var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { NotionToken = fake.Token, Time = new RealTime() });

        var sources = ExportCatalog.Resolve(configuration, names: null, databaseIds: null, all: true);
        Assert.Equal(new[] { "AzurePipeline", "risks" }, sources.Select(s => s.DatabaseName));
        var results = await connection.ExportNotionAsync(sources, false, null, null, null, null, CancellationToken.None);
        Assert.Equal(new[] { 12, 3 }, results.Select(r => r.Inserted));
        Assert.Equal(15, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM notion_raw_pages WHERE database_name = 'risks'"));

        fake.Requests.Reset();
        var byName = ExportCatalog.Resolve(configuration, new[] { "AZUREPIPELINE" }, null, false);
        await connection.ExportNotionAsync(byName, false, null, null, null, null, CancellationToken.None);
        var live = QueryBodies(fake).First(b => b["in_trash"] is null);
        Assert.Equal("2026-07-04T07:56:00.000Z", live["filter"]!["last_edited_time"]!["on_or_after"]!.GetValue<string>()); // 08:01 minus 5 minutes

        var unknown = Assert.Throws<OberaConnectException>(() => ExportCatalog.Resolve(configuration, new[] { "Budget" }, null, false));
        Assert.Equal("ExportDatabaseUnknown", unknown.ErrorId);
        Assert.Contains("AzurePipeline, risks", unknown.Message);
        var byId = ExportCatalog.Resolve(configuration, null, new[] { "https://www.notion.so/Risks-" + extra.DatabaseId.Replace("-", "") }, false);
        Assert.Equal("risks", Assert.Single(byId).DatabaseName);
    }

    /// <summary>The system clock, but its own pacer (see NotionClientsOnFake).</summary>
    private sealed class RealTime : TimeProvider
    {
    }
}
