using System.Net;
using System.Text;
using System.Text.Json;
using OberaConnect.Engine.DataSurface;
using OberaConnect.Engine.DataSurface.Databricks;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Databricks;

namespace OberaConnect.Engine.Tests.DataSurface;

public sealed class DatabricksExportStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 4, 10, 0, 0, TimeSpan.Zero);
    private DatabricksFake _fake = null!;

    public async Task InitializeAsync() => _fake = await DatabricksFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private DatabricksSettings Settings(Action<DatabricksSettings>? adjust = null)
    {
        var s = new DatabricksSettings
        {
            Host = _fake.BaseAddress,
            Token = _fake.Token,
            WarehouseId = "/sql/1.0/warehouses/" + _fake.WarehouseId,
            PollInterval = TimeSpan.FromMilliseconds(10),
            MaxPollInterval = TimeSpan.FromMilliseconds(20),
            Resilience = new HttpResilienceOptions { RequestsPerSecond = 1000, Burst = 1000, BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
        };
        adjust?.Invoke(s);
        return s;
    }

    private static NotionPageRecord Record(int n, string name = "Site", bool trash = false)
        => NotionPageRecord.FromPageJson(PageJson.Page(n, T0, name, trash), "customer_sites");

    private static List<RecordedStatement> Merges(DatabricksFake fake, string table = "notion_raw_pages")
        => fake.Statements.Where(s => s.Statement.StartsWith("MERGE INTO", StringComparison.Ordinal) && s.Statement.Contains(table, StringComparison.Ordinal)).ToList();

    /// <summary>MERGE INTO target USING ... ON ... WHEN MATCHED ... THEN UPDATE SET ... WHEN NOT MATCHED THEN INSERT (...) VALUES (...), at parenthesis depth 0.</summary>
    private static void AssertWellFormedMerge(RecordedStatement s, string expectedTarget)
    {
        var tokens = SqlText.Tokenize(s.Statement);
        Assert.True(SqlText.ParenthesesBalance(tokens), "parentheses balance");
        Assert.True(tokens[0].IsWord("MERGE") && tokens[1].IsWord("INTO"), "starts with MERGE INTO");
        var (target, next) = SqlText.QualifiedNameAt(tokens, 2);
        Assert.Equal(expectedTarget, target);
        Assert.True(tokens[next].IsWord("AS") && tokens[next + 2].IsWord("USING"), "target alias then USING");

        var order = new[] { "USING", "ON", "WHEN", "MATCHED", "THEN", "UPDATE", "SET", "WHEN", "NOT", "MATCHED", "THEN", "INSERT", "VALUES" };
        var at = next;
        foreach (var word in order)
        {
            var found = SqlText.IndexOfTopLevelWord(tokens, word, at);
            Assert.True(found >= at, $"'{word}' at top level at or after token {at} in:\n{s.Statement}");
            at = found + 1;
        }
        Assert.False(SqlText.HasPositionalMarker(s.Statement));

        var markers = SqlText.ParameterMarkers(s.Statement).ToHashSet();
        var bound = s.Parameters.Select(p => p.Name).ToHashSet();
        Assert.Equal(markers.OrderBy(x => x), bound.OrderBy(x => x));
        Assert.True(s.Parameters.Count <= DatabricksFake.MaxParameters);
        Assert.True(s.RequestBytes <= DatabricksFake.MaxStatementBytes);
        Assert.Equal("INLINE", s.Disposition);
        Assert.Equal("JSON_ARRAY", s.Format);
        Assert.Equal("CONTINUE", s.OnWaitTimeout);
    }

    [Fact]
    public async Task Initialize_creates_the_schema_and_both_delta_tables_idempotently()
    {
        using var store = new DatabricksExportStore(Settings(s => s.Catalog = "ops"));
        await store.InitializeAsync(CancellationToken.None);
        await store.InitializeAsync(CancellationToken.None);

        var statements = _fake.Statements.ToList();
        Assert.Equal(6, statements.Count);
        Assert.Equal("CREATE SCHEMA IF NOT EXISTS `ops`.`bronze`", statements[0].Statement);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `ops`.`bronze`.`notion_raw_pages` (", statements[1].Statement);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `ops`.`bronze`.`notion_sync_watermarks` (", statements[2].Statement);
        Assert.All(statements.Skip(1).Take(2), s => Assert.EndsWith(") USING DELTA", s.Statement));
        Assert.All(statements, s => Assert.Equal(_fake.WarehouseId, s.WarehouseId));
        Assert.All(statements, s => Assert.Equal("30s", s.WaitTimeout));
        Assert.Contains("ops.bronze.notion_raw_pages", _fake.Tables);
        Assert.Contains("ops.bronze.notion_sync_watermarks", _fake.Tables);
        Assert.Contains("page_id STRING NOT NULL", statements[1].Statement);
        Assert.Contains("properties_json STRING NOT NULL", statements[1].Statement);
    }

    [Fact]
    public async Task Upsert_sends_well_formed_MERGE_and_reports_inserted_updated_unchanged()
    {
        using var store = new DatabricksExportStore(Settings());
        await store.InitializeAsync(CancellationToken.None);
        var batch = Enumerable.Range(1, 5).Select(i => Record(i)).ToList();

        Assert.Equal(new ExportBatchResult(5, 0, 0), await store.UpsertPagesAsync(batch, CancellationToken.None));
        Assert.Equal(new ExportBatchResult(0, 0, 5), await store.UpsertPagesAsync(batch, CancellationToken.None));
        batch[0] = Record(1, "Renamed");
        batch[4] = Record(5, trash: true);
        Assert.Equal(new ExportBatchResult(0, 2, 3), await store.UpsertPagesAsync(batch, CancellationToken.None));

        var merges = Merges(_fake);
        Assert.Equal(3, merges.Count);
        foreach (var m in merges) AssertWellFormedMerge(m, "bronze.notion_raw_pages");
        var exported = merges[0].Parameters.Single(p => p.Name == "exported_at");
        Assert.Equal("TIMESTAMP", exported.Type);
        Assert.Equal(5, _fake.Pages.Count);
        var stored = _fake.Pages[(PageJson.PageId(1), PageJson.DatabaseId)];
        Assert.Equal(batch[0].RawJson, (string?)stored["raw_json"]);
        Assert.Contains("Renamed", (string?)stored["properties_json"]);
        Assert.Equal("2026-07-04T10:00:00.000Z", (string?)stored["last_edited_time"]);
        Assert.Equal(PageJson.DataSourceId, (string?)stored["data_source_id"]);
    }

    [Fact]
    public async Task Batches_stay_within_row_and_byte_limits_and_lose_no_page()
    {
        using var store = new DatabricksExportStore(Settings(s => { s.MaxRowsPerStatement = 100; s.MaxBatchBytes = 64 * 1024; }));
        await store.InitializeAsync(CancellationToken.None);
        var text = new string('x', 3000) + "\"quoted\" \\ back";
        var batch = Enumerable.Range(1, 250).Select(i => Record(i, i % 2 == 0 ? "n" + i : text + i)).ToList();

        var result = await store.UpsertPagesAsync(batch, CancellationToken.None);

        Assert.Equal(new ExportBatchResult(250, 0, 0), result);
        var merges = Merges(_fake);
        Assert.True(merges.Count >= 3, $"expected at least 3 statements, got {merges.Count}");
        var sizes = new List<int>();
        foreach (var m in merges)
        {
            AssertWellFormedMerge(m, "bronze.notion_raw_pages");
            var pages = m.Parameter("pages")!;
            var count = JsonDocument.Parse(pages).RootElement.GetArrayLength();
            sizes.Add(count);
            Assert.InRange(count, 1, 100);
            var escapedBytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(pages)) - 2;
            Assert.True(escapedBytes <= 64 * 1024, $"batch of {escapedBytes} bytes");
        }
        Assert.Equal(250, sizes.Sum());
        Assert.Equal(250, _fake.Pages.Count);
    }

    [Fact]
    public async Task Hostile_page_text_never_reaches_the_sql_text_and_round_trips_exactly()
    {
        using var store = new DatabricksExportStore(Settings());
        await store.InitializeAsync(CancellationToken.None);
        const string hostile = "'); DROP TABLE `bronze`.`notion_raw_pages`; -- :pages ? */ /* \\' \\\\ \" ` \u2028 😀 ${x}";
        await store.UpsertPagesAsync(new[] { Record(1, "plain") }, CancellationToken.None);
        await store.UpsertPagesAsync(new[] { Record(1, hostile) }, CancellationToken.None);

        var merges = Merges(_fake);
        Assert.Equal(merges[0].Statement, merges[1].Statement);
        Assert.DoesNotContain("DROP", merges[1].Statement, StringComparison.Ordinal);
        AssertWellFormedMerge(merges[1], "bronze.notion_raw_pages");
        var stored = _fake.Pages[(PageJson.PageId(1), PageJson.DatabaseId)];
        Assert.Equal(Record(1, hostile).RawJson, (string?)stored["raw_json"]);
        Assert.Equal(hostile, JsonDocument.Parse((string)stored["properties_json"]!).RootElement.GetProperty("Site Name").GetString());
    }

    [Fact]
    public async Task Hostile_table_names_stay_one_quoted_identifier()
    {
        const string evil = "pages` WHEN MATCHED THEN DELETE; --";
        using var store = new DatabricksExportStore(Settings(s => s.PagesTable = evil));
        await store.InitializeAsync(CancellationToken.None);
        await store.UpsertPagesAsync(new[] { Record(1) }, CancellationToken.None);
        var merge = _fake.Statements.Single(s => s.Statement.StartsWith("MERGE", StringComparison.Ordinal));
        AssertWellFormedMerge(merge, "bronze." + evil);
        Assert.Contains("bronze." + evil, _fake.Tables);
        Assert.Single(_fake.Pages);
    }

    [Fact]
    public async Task Watermark_round_trips_and_only_moves_forward()
    {
        using var store = new DatabricksExportStore(Settings());
        await store.InitializeAsync(CancellationToken.None);
        Assert.Null(await store.GetWatermarkAsync(PageJson.DatabaseId, CancellationToken.None));

        await store.AdvanceWatermarkAsync(PageJson.DatabaseId, "customer_sites", T0.AddSeconds(59.5), CancellationToken.None);
        await store.AdvanceWatermarkAsync(PageJson.DatabaseId, "customer_sites", T0.AddMinutes(-10), CancellationToken.None);
        Assert.Equal(T0.AddSeconds(59.5), await store.GetWatermarkAsync(PageJson.DatabaseId.Replace("-", ""), CancellationToken.None));

        var merges = Merges(_fake, "notion_sync_watermarks");
        Assert.Equal(2, merges.Count);
        foreach (var m in merges) AssertWellFormedMerge(m, "bronze.notion_sync_watermarks");
        Assert.Equal("TIMESTAMP", merges[0].Parameters.Single(p => p.Name == "last_edited_time").Type);
        Assert.Equal("2026-07-04T10:00:59.500Z", merges[0].Parameter("last_edited_time"));
        var select = _fake.Statements.Last();
        Assert.StartsWith("SELECT", select.Statement, StringComparison.Ordinal);
        Assert.Equal(PageJson.DatabaseId, select.Parameter("database_id"));
    }

    [Fact]
    public async Task Pending_and_running_statements_are_polled_until_they_succeed()
    {
        _fake.PendingPolls = 3;
        using var store = new DatabricksExportStore(Settings());
        await store.InitializeAsync(CancellationToken.None);
        var result = await store.UpsertPagesAsync(new[] { Record(1), Record(2) }, CancellationToken.None);
        Assert.Equal(new ExportBatchResult(2, 0, 0), result);
        // Four statements (three CREATEs, one MERGE), each answered RUNNING three times, then SUCCEEDED on the fourth poll.
        Assert.Equal(4 * (3 + 1), _fake.Polls);
    }

    [Fact]
    public async Task A_failed_statement_raises_a_typed_error_with_the_warehouse_message_and_no_secret()
    {
        _fake.FailWhen = s => s.Statement.StartsWith("MERGE", StringComparison.Ordinal)
            ? new FakeStatementError("BAD_REQUEST", $"[DELTA_SCHEMA_CHANGED] schema changed (token {_fake.Token})", "42000")
            : null;
        using var store = new DatabricksExportStore(Settings());
        await store.InitializeAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<DatabricksStatementException>(() => store.UpsertPagesAsync(new[] { Record(1) }, CancellationToken.None));

        Assert.Equal("DatabricksStatementFailed", ex.ErrorId);
        Assert.Equal("FAILED", ex.State);
        Assert.Equal("BAD_REQUEST", ex.ErrorCode);
        Assert.Equal("42000", ex.SqlState);
        Assert.Contains("[DELTA_SCHEMA_CHANGED] schema changed", ex.Message);
        Assert.Contains("MERGE INTO `bronze`.`notion_raw_pages` (1 page(s))", ex.Message);
        Assert.Contains(ex.StatementId, ex.Message);
        Assert.DoesNotContain(_fake.Token, ex.Message);
    }

    [Fact]
    public async Task Merging_before_initialize_fails_with_table_not_found()
    {
        using var store = new DatabricksExportStore(Settings());
        var ex = await Assert.ThrowsAsync<DatabricksStatementException>(() => store.UpsertPagesAsync(new[] { Record(1) }, CancellationToken.None));
        Assert.Equal("42P01", ex.SqlState);
        Assert.Contains("TABLE_OR_VIEW_NOT_FOUND", ex.Message);
    }

    [Fact]
    public async Task A_refused_token_is_an_authentication_error_that_does_not_quote_it()
    {
        const string wrong = "dapi-wrong-token-9876543210";
        using var store = new DatabricksExportStore(Settings(s => s.Token = wrong));
        var ex = await Assert.ThrowsAsync<DatabricksApiException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Equal("DatabricksUnauthorized", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.Equal(401, ex.Status);
        Assert.DoesNotContain(wrong, ex.Message);
        Assert.Equal(1, _fake.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_warehouse_is_a_not_found_error()
    {
        using var store = new DatabricksExportStore(Settings(s => s.WarehouseId = "nosuchwarehouse"));
        var ex = await Assert.ThrowsAsync<DatabricksApiException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Equal("DatabricksNotFound", ex.ErrorId);
        Assert.Contains("warehouse", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Throttling_is_retried_through_the_shared_pipeline()
    {
        var clock = new ManualTimeProvider();
        _fake.NextHttpErrors.Enqueue(HttpStatusCode.TooManyRequests);
        _fake.NextHttpErrors.Enqueue(HttpStatusCode.ServiceUnavailable);
        using var client = new DatabricksSqlClient(Settings(s => s.Resilience.RequestTimeout = TimeSpan.FromMinutes(10)), time: clock);
        var result = await clock.RunAsync(client.ExecuteAsync("CREATE SCHEMA", "CREATE SCHEMA IF NOT EXISTS `bronze`", null, CancellationToken.None), TimeSpan.FromMilliseconds(100));
        Assert.Equal("SUCCEEDED", result.State);
        Assert.Equal(1, client.Statistics.RateLimited);
        Assert.Equal(2, client.Statistics.Retries);
        Assert.Single(_fake.Statements);
    }

    [Fact]
    public async Task A_statement_that_never_finishes_is_cancelled_after_the_timeout()
    {
        var clock = new ManualTimeProvider();
        _fake.NeverFinish = true;
        using var client = new DatabricksSqlClient(Settings(s =>
        {
            s.StatementTimeout = TimeSpan.FromSeconds(20);
            s.PollInterval = TimeSpan.FromSeconds(1);
            s.MaxPollInterval = TimeSpan.FromSeconds(4);
            s.Resilience.RequestTimeout = TimeSpan.FromMinutes(10);
        }), time: clock);
        var ex = await Assert.ThrowsAsync<DatabricksStatementException>(() =>
            clock.RunAsync(client.ExecuteAsync("SELECT 1", "SELECT 1", null, CancellationToken.None), TimeSpan.FromMilliseconds(100)));
        Assert.Equal("DatabricksStatementTimedOut", ex.ErrorId);
        Assert.Equal(FailureKind.Timeout, ex.Kind);
        Assert.Equal("RUNNING", ex.State);
        Assert.Contains(ex.StatementId, _fake.Cancellations);
        Assert.InRange(_fake.Polls, 4, 20);
    }

    [Fact]
    public async Task Unbound_markers_and_too_many_parameters_are_caught()
    {
        using var client = new DatabricksSqlClient(Settings());
        var unbound = await Assert.ThrowsAsync<DatabricksStatementException>(() =>
            client.ExecuteAsync("probe", "SELECT :a, :b", new[] { new DatabricksParameter("a", "1") }, CancellationToken.None));
        Assert.Equal("42P02", unbound.SqlState);

        var many = Enumerable.Range(0, 257).Select(i => new DatabricksParameter("p" + i, "v")).ToList();
        var tooMany = await Assert.ThrowsAsync<OberaConnectException>(() => client.ExecuteAsync("probe", "SELECT 1", many, CancellationToken.None));
        Assert.Equal("DatabricksTooManyParameters", tooMany.ErrorId);
        Assert.Single(_fake.Statements);
    }

    [Fact]
    public void Settings_come_from_the_predecessors_variables_and_are_validated()
    {
        var env = new Dictionary<string, string>
        {
            ["DATABRICKS_HOST"] = "adb-123.4.azuredatabricks.net",
            ["DATABRICKS_TOKEN"] = "dapi0123456789",
            ["DATABRICKS_HTTP_PATH"] = "/sql/1.0/warehouses/0123abcd4567ef89",
        };
        var s = DatabricksSettings.FromEnvironment(n => env.TryGetValue(n, out var v) ? v : null).Validate();
        Assert.Equal("https://adb-123.4.azuredatabricks.net/", s.Host!.ToString());
        Assert.Equal("0123abcd4567ef89", s.WarehouseId);
        Assert.Equal("bronze", s.Schema);

        Assert.Equal("DatabricksTokenMissing", Assert.Throws<OberaConnectException>(() => new DatabricksSettings { Host = s.Host, WarehouseId = "w" }.Validate()).ErrorId);
        var badWait = new DatabricksSettings { Host = s.Host, WarehouseId = "w", Token = "t", WaitTimeout = TimeSpan.FromSeconds(3) };
        Assert.Contains("WaitTimeout", Assert.Throws<OberaConnectException>(() => badWait.Validate()).Message);
        var plainHttp = new DatabricksSettings { Host = new Uri("http://adb-1.azuredatabricks.net"), WarehouseId = "w", Token = "t" };
        Assert.Contains("https", Assert.Throws<OberaConnectException>(() => plainHttp.Validate()).Message);
        Assert.Equal("`a``b`", DatabricksSql.QuoteIdentifier("a`b"));
        Assert.Throws<OberaConnectException>(() => DatabricksSql.QuoteIdentifier("a\nb"));
    }
}
