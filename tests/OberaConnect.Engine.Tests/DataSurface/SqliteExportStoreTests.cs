using Microsoft.Data.Sqlite;
using OberaConnect.Engine.DataSurface;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.DataSurface;

public sealed class SqliteExportStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oc-export-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(T0);

    private string DbPath => Path.Combine(_dir, "nested", "notion.db");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static NotionPageRecord Record(int n, DateTimeOffset edited, string name = "Site", bool trash = false)
        => NotionPageRecord.FromPageJson(PageJson.Page(n, edited, name, trash), "customer_sites");

    private long Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    private string Text(string sql)
    {
        using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar())!;
    }

    [Fact]
    public async Task A_path_under_a_plain_file_is_ExportStoreFailed_naming_the_path_and_the_fix()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(file, "not a folder");
        var store = new SqliteExportStore(Path.Combine(file, "export.db"), _clock);

        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => store.InitializeAsync(default));

        Assert.Equal("ExportStoreFailed", ex.ErrorId);
        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains(Path.Combine(file, "export.db"), ex.Message);
        Assert.Contains("Give -Path (or export.sqlitePath in the configuration) a file in a folder this account can create and write to.", ex.Message);
        Assert.True(ex.InnerException is IOException or UnauthorizedAccessException, ex.InnerException?.GetType().Name);
    }

    [Fact]
    public async Task A_folder_given_as_the_store_file_is_ExportStoreFailed_and_every_call_says_so()
    {
        Directory.CreateDirectory(DbPath);
        var store = new SqliteExportStore(DbPath, _clock);

        var init = await Assert.ThrowsAsync<OberaConnectException>(() => store.InitializeAsync(default));
        Assert.Equal("ExportStoreFailed", init.ErrorId);
        Assert.Equal(FailureKind.Configuration, init.Kind);
        Assert.Contains(DbPath, init.Message);
        var watermark = await Assert.ThrowsAsync<OberaConnectException>(() => store.GetWatermarkAsync("0f1e2d3c4b5a49688776a5b4c3d2e1f0", default));
        Assert.Equal("ExportStoreFailed", watermark.ErrorId);
    }

    [Fact]
    public void A_path_that_is_not_a_path_is_ExportStoreFailed()
    {
        var ex = Assert.Throws<OberaConnectException>(() => new SqliteExportStore("bad\0path", _clock));
        Assert.Equal("ExportStoreFailed", ex.ErrorId);
        Assert.Equal(FailureKind.Configuration, ex.Kind);
    }

    [Fact]
    public void An_export_result_names_its_database_in_words()
    {
        Assert.Equal("database customer_sites (0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0)",
            new DatabaseExportResult { DatabaseName = "customer_sites", DatabaseId = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" }.ToString());
        Assert.Equal("database 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
            new DatabaseExportResult { DatabaseName = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", DatabaseId = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" }.ToString());
    }

    [Fact]
    public async Task First_use_creates_the_file_the_tables_and_the_schema_version()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        Assert.False(File.Exists(DbPath));
        Assert.Null(await store.GetWatermarkAsync(PageJson.DatabaseId, CancellationToken.None));
        Assert.True(File.Exists(DbPath));
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name IN ('notion_raw_pages','notion_sync_watermarks')"));
        Assert.Equal(SqliteExportStore.SchemaVersion, Scalar("PRAGMA user_version"));
        Assert.StartsWith("SQLite ", store.Description);
    }

    [Fact]
    public async Task Upsert_inserts_then_reruns_change_nothing_then_real_changes_update()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        var batch = Enumerable.Range(1, 10).Select(i => Record(i, T0)).ToList();

        Assert.Equal(new ExportBatchResult(10, 0, 0), await store.UpsertPagesAsync(batch, CancellationToken.None));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new ExportBatchResult(0, 0, 10), await store.UpsertPagesAsync(batch, CancellationToken.None));

        // Same minute, different content: still an update (last_edited_time alone would miss it).
        var changed = batch.Select((r, i) => i < 3 ? Record(i + 1, T0, "Renamed") : r).ToList();
        changed.Add(Record(3, T0, "Trashed", trash: true));
        Assert.Equal(new ExportBatchResult(0, 3, 7), await store.UpsertPagesAsync(changed, CancellationToken.None));

        Assert.Equal(10, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Equal("Renamed", Text($"SELECT json_extract(properties_json, '$.\"Site Name\"') FROM notion_raw_pages WHERE page_id = '{PageJson.PageId(1)}'"));
        Assert.Equal(1, Scalar($"SELECT in_trash FROM notion_raw_pages WHERE page_id = '{PageJson.PageId(3)}'"));
        Assert.Equal("2026-07-04T10:00:00.000Z", Text($"SELECT first_exported_at FROM notion_raw_pages WHERE page_id = '{PageJson.PageId(1)}'"));
        Assert.Equal("2026-07-04T11:00:00.000Z", Text($"SELECT last_exported_at FROM notion_raw_pages WHERE page_id = '{PageJson.PageId(1)}'"));
        Assert.Equal("2026-07-04T10:00:00.000Z", Text($"SELECT last_exported_at FROM notion_raw_pages WHERE page_id = '{PageJson.PageId(9)}'"));
    }

    [Fact]
    public async Task The_same_page_in_two_databases_is_two_rows()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        var other = "11111111-2222-3333-4444-555555555555";
        var a = NotionPageRecord.FromPageJson(PageJson.Page(1, T0), "a");
        var b = NotionPageRecord.FromPageJson(PageJson.Page(1, T0, databaseId: other), "b");
        Assert.Equal(new ExportBatchResult(2, 0, 0), await store.UpsertPagesAsync(new[] { a, b }, CancellationToken.None));
        Assert.Equal(2, Scalar("SELECT COUNT(DISTINCT database_id) FROM notion_raw_pages"));
    }

    [Fact]
    public async Task Hostile_text_is_stored_verbatim()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        const string hostile = "x'); DROP TABLE notion_raw_pages; -- \" ` \\ $name @p :p ?\u0000\u2028 😀";
        await store.UpsertPagesAsync(new[] { Record(1, T0, hostile) }, CancellationToken.None);
        Assert.Equal(hostile, Text("SELECT json_extract(properties_json, '$.\"Site Name\"') FROM notion_raw_pages"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
    }

    [Fact]
    public async Task Watermark_is_kept_per_database_moves_forward_only_and_survives_reopening()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        var other = "11111111-2222-3333-4444-555555555555";
        await store.AdvanceWatermarkAsync(PageJson.DatabaseId, "sites", T0, CancellationToken.None);
        await store.AdvanceWatermarkAsync(other, "alerts", T0.AddDays(1), CancellationToken.None);
        await store.AdvanceWatermarkAsync(PageJson.DatabaseId, "sites", T0.AddMinutes(-5), CancellationToken.None);
        Assert.Equal(T0, await store.GetWatermarkAsync(PageJson.DatabaseId, CancellationToken.None));

        await store.AdvanceWatermarkAsync(PageJson.DatabaseId.Replace("-", "").ToUpperInvariant(), "sites", T0.AddMinutes(3), CancellationToken.None);
        var reopened = new SqliteExportStore(DbPath, _clock);
        Assert.Equal(T0.AddMinutes(3), await reopened.GetWatermarkAsync(PageJson.DatabaseId, CancellationToken.None));
        Assert.Equal(T0.AddDays(1), await reopened.GetWatermarkAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task Twenty_five_thousand_pages_upsert_in_one_batch_and_re_upsert_as_unchanged()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        var batch = Enumerable.Range(1, 25_000)
            .Select(i => NotionPageRecord.FromPageJson(PageJson.FastPage(i, T0.AddMinutes(i % 500), "Site " + i), "customer_sites")).ToList();

        var first = await store.UpsertPagesAsync(batch, CancellationToken.None);
        Assert.Equal(new ExportBatchResult(25_000, 0, 0), first);
        var again = await store.UpsertPagesAsync(batch, CancellationToken.None);
        Assert.Equal(new ExportBatchResult(0, 0, 25_000), again);
        Assert.Equal(25_000, Scalar("SELECT COUNT(*) FROM notion_raw_pages"));
        Assert.Equal(25_000, Scalar("SELECT COUNT(DISTINCT json_extract(properties_json, '$.\"Site Name\"')) FROM notion_raw_pages"));
    }

    [Fact]
    public async Task Duplicates_in_one_batch_keep_the_last()
    {
        var store = new SqliteExportStore(DbPath, _clock);
        var result = await store.UpsertPagesAsync(new[] { Record(1, T0, "first"), Record(1, T0, "last") }, CancellationToken.None);
        Assert.Equal(new ExportBatchResult(1, 0, 0), result);
        Assert.Equal("last", Text("SELECT json_extract(properties_json, '$.\"Site Name\"') FROM notion_raw_pages"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gives_a_typed_error_naming_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        await File.WriteAllTextAsync(DbPath, "this is not a SQLite database, just text that is long enough to fill a header page......");
        var store = new SqliteExportStore(DbPath, _clock);
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Equal("ExportStoreFailed", ex.ErrorId);
        Assert.Contains(DbPath, ex.Message);
    }
}
