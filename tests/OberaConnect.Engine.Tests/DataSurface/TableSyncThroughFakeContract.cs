using Microsoft.Data.Sqlite;
using Npgsql;
using OberaConnect.Engine.DataSurface.Sync;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.EndToEnd;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.DataSurface;

/// <summary>
/// Sync-NotionTable end to end: <see cref="NotionTableSync"/> with a real <see cref="NotionClient"/> over HTTP to the
/// <see cref="NotionFake"/> and a real relational table (SQLite file, or a real PostgreSQL server), opened through
/// <see cref="SyncTables"/> as the cmdlet opens it. Both sides start as the predecessor's Teams example: five rows
/// t1..t5, and a Notion database holding only a title. Writes are counted on the fake.
/// </summary>
public abstract class TableSyncThroughFakeContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 7, 6, 12, 0, 0, TimeSpan.Zero);
    private const string CreatePage = "POST /v1/pages";
    private const string UpdatePage = "PATCH /v1/pages/{id}";
    private const string UpdateSchema = "PATCH /v1/data_sources/{id}";

    protected ManualTimeProvider Clock { get; } = new(T0);
    protected NotionFake Fake { get; private set; } = null!;
    protected NotionClient Client { get; private set; } = null!;
    protected SeededDatabase Db { get; private set; } = null!;
    protected ISyncTable Table { get; private set; } = null!;

    /// <summary>Creates table "team" with rows t1..t5 (updated_at an hour before T0) and returns its provider and connection string.</summary>
    protected abstract Task<(string Provider, string ConnectionString, string Table)> CreateTeamTableAsync();

    /// <summary>Runs SQL against the test database (for checks).</summary>
    protected abstract Task<object?> ScalarAsync(string sql);

    public virtual async Task InitializeAsync()
    {
        Fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = Clock });
        Db = Fake.State.CreateDatabase(Fake.RootPageId, "Teams", """{"Name":{"title":{}}}""");
        Client = NotionClientsOnFake.Create(Fake);
        var (provider, connectionString, table) = await CreateTeamTableAsync();
        Table = SyncTables.Open(provider, connectionString, table, new SecretRedactor());
    }

    public virtual async Task DisposeAsync()
    {
        (Table as IDisposable)?.Dispose();
        Client.Dispose();
        await Fake.DisposeAsync();
    }

    protected NotionTableSync Sync(string conflictAction = "LastWriteWins", string direction = "Both", bool allowDelete = false)
        => new(Table, Client, Db.DatabaseId, TableSyncOptions.FromNames(conflictAction, direction, correlationId: "test", allowDelete: allowDelete), null, Clock);

    protected async Task<List<TableSyncResult>> RunAsync(string conflictAction = "LastWriteWins", string direction = "Both", bool allowDelete = false)
        => (await Sync(conflictAction, direction, allowDelete).RunAsync(CancellationToken.None)).ToList();

    protected string PageOf(string recordId)
        => Fake.State.PageIds(Db.DataSourceId).Single(p => Fake.State.GetPropertyText(p, "postgres_id") == recordId);

    protected string? Text(string recordId, string property) => Fake.State.GetPropertyText(PageOf(recordId), property);

    /// <summary>The application changes a row (through the table's own writer), stamping updated_at.</summary>
    protected async Task ChangeRowAsync(string id, string column, object? value, DateTimeOffset at)
    {
        var schema = await Table.DescribeAsync(CancellationToken.None);
        var mapping = TableSyncMapping.Infer(schema);
        await Table.WriteRowAsync(mapping, id, new Dictionary<string, object?> { [column] = value }, at, CancellationToken.None);
    }

    private int Writes => Fake.Requests.Count(CreatePage) + Fake.Requests.Count(UpdatePage) + Fake.Requests.Count(UpdateSchema);

    private async Task FirstSyncAsync()
    {
        var results = await RunAsync();
        Assert.All(results, r => Assert.Equal(TableSyncStatus.Created, r.StatusValue));
        Clock.Advance(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task First_sync_pushes_every_row_with_its_id_status_and_time_and_a_rerun_writes_nothing()
    {
        var results = await RunAsync();

        Assert.Equal(new[] { "t1", "t2", "t3", "t4", "t5" }, results.Select(r => r.Key).OrderBy(k => k));
        Assert.All(results, r =>
        {
            Assert.Equal(TableSyncStatus.Created, r.StatusValue);
            Assert.Equal(TableSyncSide.Notion, r.SideValue);
            Assert.Equal("Push", r.Action);
            Assert.Equal("synced", r.SyncStatus);
            Assert.NotNull(r.PageId);
        });
        // The missing properties were added once, then one create per row.
        Assert.Equal(1, Fake.Requests.Count(UpdateSchema));
        Assert.Equal(5, Fake.Requests.Count(CreatePage));
        Assert.Equal(5, Fake.State.CountPages(Db.DataSourceId));
        Assert.Equal("Team 3", Text("t3", "Name"));
        Assert.Equal("on_hold", Text("t3", "status"));
        Assert.Equal("30.5", Text("t3", "budget"));
        Assert.Equal("true", Text("t3", "active"));
        Assert.Equal("synced", Text("t3", "sync_status"));
        Assert.Equal(T0, DateTimeOffset.Parse(Text("t3", "last_synced")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("select", Fake.State.GetDataSource(Db.DataSourceId)["properties"]!["status"]!["type"]!.GetValue<string>());

        Fake.Requests.Reset();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var rerun = await RunAsync();

        Assert.Equal(0, Writes);
        Assert.All(rerun, r => Assert.Equal(TableSyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(5, Fake.State.CountPages(Db.DataSourceId));
        Assert.Equal(5L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM oberaconnect_sync_state WHERE status = 'synced'")));
    }

    [Fact]
    public async Task A_mapping_file_renames_the_id_property_and_columns_and_leaves_ignored_columns_out()
    {
        const string mapping = """
            { "idProperty": "record_id", "syncStatusProperty": "Sync Status", "lastSyncedProperty": "Last Synced",
              "columns": { "status": { "property": "Stage", "type": "select" }, "active": { "ignore": true } } }
            """;
        var options = TableSyncOptions.FromNames("LastWriteWins", "Both", mapping);
        var results = await new NotionTableSync(Table, Client, Db.DatabaseId, options, null, Clock).RunAsync(CancellationToken.None);

        Assert.All(results, r => Assert.Equal(TableSyncStatus.Created, r.StatusValue));
        var properties = Fake.State.GetDataSource(Db.DataSourceId)["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "Name", "record_id", "Stage", "budget", "Sync Status", "Last Synced" }, properties);
        Assert.DoesNotContain("active", properties);
        Assert.DoesNotContain("postgres_id", properties);
        var page = Fake.State.PageIds(Db.DataSourceId).Single(p => Fake.State.GetPropertyText(p, "record_id") == "t3");
        Assert.Equal("on_hold", Fake.State.GetPropertyText(page, "Stage"));
        Assert.Equal("synced", Fake.State.GetPropertyText(page, "Sync Status"));
    }

    [Fact]
    public async Task A_changed_row_is_pushed_to_its_page()
    {
        await FirstSyncAsync();
        await ChangeRowAsync("t2", "name", "Team 2 renamed", Clock.GetUtcNow());
        Fake.Requests.Reset();

        var results = await RunAsync();

        var t2 = Assert.Single(results, r => r.StatusValue != TableSyncStatus.Unchanged);
        Assert.Equal(("t2", TableSyncStatus.Updated, TableSyncSide.Notion), (t2.Key, t2.StatusValue, t2.SideValue));
        Assert.Equal(new[] { "name" }, t2.ChangedColumns);
        Assert.Equal("Changed in the table since the last sync", t2.Reason);
        Assert.Equal("Team 2 renamed", Text("t2", "Name"));
        Assert.Equal(1, Fake.Requests.Count(UpdatePage));
        Assert.Equal(0, Fake.Requests.Count(CreatePage));
    }

    [Fact]
    public async Task Pages_edited_in_Notion_are_pulled_into_rows_and_a_page_made_in_Notion_becomes_a_row()
    {
        await FirstSyncAsync();
        Fake.State.UpdatePage(PageOf("t3"), new Dictionary<string, object?> { ["Name"] = "Team 3 from Notion", ["budget"] = 31.25 });
        var made = Fake.State.InsertPage(Db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Team 6 made in Notion", ["status"] = "active", ["budget"] = 6 });
        Fake.Requests.Reset();

        var results = await RunAsync();

        var t3 = Assert.Single(results, r => r.Key == "t3");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Database, "Pull"), (t3.StatusValue, t3.SideValue, t3.Action));
        Assert.Equal(new[] { "name", "budget" }, t3.ChangedColumns.OrderByDescending(c => c));
        Assert.Equal("Team 3 from Notion", await ScalarAsync("SELECT name FROM team WHERE id = 't3'"));
        Assert.Equal(31.25m, Convert.ToDecimal(await ScalarAsync("SELECT budget FROM team WHERE id = 't3'")));
        Assert.Equal("synced", Text("t3", "sync_status"));

        var six = Assert.Single(results, r => r.PageId == made);
        Assert.Equal((TableSyncStatus.Created, TableSyncSide.Database), (six.StatusValue, six.SideValue));
        Assert.NotNull(six.RecordId);
        Assert.Equal(six.RecordId, Fake.State.GetPropertyText(made, "postgres_id")); // the new row's id written back
        Assert.Equal("Team 6 made in Notion", await ScalarAsync($"SELECT name FROM team WHERE id = '{six.RecordId}'"));
        Assert.Equal(0, Fake.Requests.Count(CreatePage));

        Fake.Requests.Reset();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var rerun = await RunAsync();
        Assert.Equal(0, Writes);
        Assert.All(rerun, r => Assert.Equal(TableSyncStatus.Unchanged, r.StatusValue));
    }

    [Fact]
    public async Task Last_write_wins_settles_a_record_changed_on_both_sides_by_time_either_way()
    {
        await FirstSyncAsync(); // last sync 12:00; the clock is at 12:05
        Clock.Advance(TimeSpan.FromMinutes(5)); // 12:10
        Fake.State.UpdatePage(PageOf("t5"), new Dictionary<string, object?> { ["Name"] = "Team 5 (Notion, 12:10)" });
        Fake.State.UpdatePage(PageOf("t1"), new Dictionary<string, object?> { ["Name"] = "Team 1 (Notion, 12:10)" });
        await ChangeRowAsync("t5", "name", "Team 5 (table, 12:15)", T0.AddMinutes(15));
        await ChangeRowAsync("t1", "name", "Team 1 (table, 12:08)", T0.AddMinutes(8));
        Clock.Advance(TimeSpan.FromMinutes(10));

        var results = await RunAsync("LastWriteWins");

        var t5 = Assert.Single(results, r => r.Key == "t5");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Notion), (t5.StatusValue, t5.SideValue));
        Assert.Equal("Both changed; the table's change is later (last write wins)", t5.Reason);
        Assert.Equal("Team 5 (table, 12:15)", Text("t5", "Name"));
        Assert.Equal("Team 5 (table, 12:15)", await ScalarAsync("SELECT name FROM team WHERE id = 't5'"));

        var t1 = Assert.Single(results, r => r.Key == "t1");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Database), (t1.StatusValue, t1.SideValue));
        Assert.Equal("Both changed; the Notion change is later (last write wins)", t1.Reason);
        Assert.Equal("Team 1 (Notion, 12:10)", await ScalarAsync("SELECT name FROM team WHERE id = 't1'"));
        Assert.Equal("synced", Text("t1", "sync_status"));
        Assert.DoesNotContain(results, r => r.StatusValue == TableSyncStatus.Conflict);
    }

    [Fact]
    public async Task Flag_marks_a_conflict_touches_neither_side_keeps_it_until_resolved_then_PreferNotion_settles_it()
    {
        await FirstSyncAsync();
        Fake.State.UpdatePage(PageOf("t4"), new Dictionary<string, object?> { ["budget"] = 99 });
        await ChangeRowAsync("t4", "budget", 77m, Clock.GetUtcNow().AddMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Fake.Requests.Reset();

        var results = await RunAsync("Flag");

        var t4 = Assert.Single(results, r => r.Key == "t4");
        Assert.Equal((TableSyncStatus.Conflict, TableSyncSide.None, "Conflict"), (t4.StatusValue, t4.SideValue, t4.Action));
        Assert.Equal("Both sides changed since the last sync; flagged for a person to decide", t4.Reason);
        Assert.Equal(new[] { "budget" }, t4.ChangedColumns);
        Assert.Equal("conflict", Text("t4", "sync_status"));
        Assert.Equal("99", Text("t4", "budget"));
        Assert.Equal(77m, Convert.ToDecimal(await ScalarAsync("SELECT budget FROM team WHERE id = 't4'")));
        Assert.Equal(1, Fake.Requests.Count(UpdatePage)); // the status, nothing else
        Assert.Equal("conflict", await ScalarAsync("SELECT status FROM oberaconnect_sync_state WHERE record_id = 't4'"));

        // Still a conflict on the next run, even though neither side changed again; nothing is written twice.
        Fake.Requests.Reset();
        Clock.Advance(TimeSpan.FromMinutes(30));
        var again = await RunAsync("Flag");
        Assert.Equal(TableSyncStatus.Conflict, Assert.Single(again, r => r.Key == "t4").StatusValue);
        Assert.Equal(0, Writes);

        // A person decides for Notion.
        var settled = await RunAsync("PreferNotion");
        var resolved = Assert.Single(settled, r => r.Key == "t4");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Database), (resolved.StatusValue, resolved.SideValue));
        Assert.Equal(99m, Convert.ToDecimal(await ScalarAsync("SELECT budget FROM team WHERE id = 't4'")));
        Assert.Equal("synced", Text("t4", "sync_status"));
    }

    [Fact]
    public async Task A_trashed_page_stays_in_conflict_until_PreferDatabase_creates_it_again_from_its_row()
    {
        await FirstSyncAsync();
        var trashed = PageOf("t3");
        await Client.TrashPageAsync(trashed);
        Clock.Advance(TimeSpan.FromMinutes(2));

        // Last write wins cannot order a deletion against nothing: the record is in conflict, the row untouched.
        var flagged = Assert.Single(await RunAsync(), r => r.Key == "t3");
        Assert.Equal(TableSyncStatus.Conflict, flagged.StatusValue);
        Assert.Contains("PreferDatabase (create the page again from the row)", flagged.Reason);
        Assert.Contains("name", flagged.ChangedColumns);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team WHERE id = 't3'")));
        // PreferNotion without -AllowDelete does not carry the deletion over: still a conflict.
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TableSyncStatus.Conflict, Assert.Single(await RunAsync("PreferNotion"), r => r.Key == "t3").StatusValue);

        Clock.Advance(TimeSpan.FromMinutes(2));
        var settled = Assert.Single(await RunAsync("PreferDatabase"), r => r.Key == "t3");
        Assert.Equal((TableSyncStatus.Created, TableSyncSide.Notion, "Push"), (settled.StatusValue, settled.SideValue, settled.Action));
        Assert.NotEqual(trashed, settled.PageId);
        Assert.Equal("Team 3", Text("t3", "Name"));
        Assert.Equal("synced", Text("t3", "sync_status"));
        Assert.True(Fake.State.IsInTrash(trashed));

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(await RunAsync(), r => r.Key == "t3" && r.StatusValue != TableSyncStatus.Unchanged);
    }

    [Fact]
    public async Task A_trashed_page_deletes_its_row_only_with_PreferNotion_and_AllowDelete_and_never_under_a_declined_write()
    {
        await FirstSyncAsync();
        await Client.TrashPageAsync(PageOf("t2"));
        Clock.Advance(TimeSpan.FromMinutes(2));

        // Planned, then declined (-WhatIf): the row stays.
        var sync = Sync("PreferNotion", allowDelete: true);
        var plan = await sync.PlanAsync(CancellationToken.None);
        var item = plan.Items.Single(i => i.Key == "t2");
        Assert.Equal(SyncAction.DeleteRow, item.Decision.Action);
        var delete = Assert.Single(item.Writes);
        Assert.Equal(TableSyncSide.Database, delete.Side);
        Assert.StartsWith("Delete the row", delete.Action);
        delete.Approved = false;
        Assert.Equal(TableSyncStatus.Skipped, (await sync.ApplyAsync(plan, item, CancellationToken.None)).StatusValue);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team WHERE id = 't2'")));

        var results = await RunAsync("PreferNotion", allowDelete: true);
        var deleted = Assert.Single(results, r => r.Key == "t2");
        Assert.Equal((TableSyncStatus.Deleted, TableSyncSide.Database, "DeleteRow"), (deleted.StatusValue, deleted.SideValue, deleted.Action));
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team WHERE id = 't2'")));
        Assert.Equal(4L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team")));

        // Settled for good: the next run has nothing to say about t2.
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(await RunAsync("PreferNotion", allowDelete: true), r => r.Key == "t2" && r.StatusValue is TableSyncStatus.Conflict or TableSyncStatus.Deleted or TableSyncStatus.Created);
    }

    [Fact]
    public async Task A_deleted_row_is_inserted_again_from_its_page_with_PreferNotion_or_trashes_it_with_PreferDatabase_and_AllowDelete()
    {
        await FirstSyncAsync();
        await ScalarAsync("DELETE FROM team WHERE id IN ('t1', 't5')");
        // A deleted row is noticed through its page (the table has no row left to read as changed).
        Fake.State.UpdatePage(PageOf("t1"), new Dictionary<string, object?> { ["budget"] = 11 });
        Fake.State.UpdatePage(PageOf("t5"), new Dictionary<string, object?> { ["budget"] = 55 });
        Clock.Advance(TimeSpan.FromMinutes(2));

        var flagged = await RunAsync();
        Assert.All(flagged.Where(r => r.Key is "t1" or "t5"), r =>
        {
            Assert.Equal(TableSyncStatus.Conflict, r.StatusValue);
            Assert.Contains("PreferNotion (insert the row again from the page)", r.Reason);
            Assert.Contains("budget", r.ChangedColumns);
        });

        Clock.Advance(TimeSpan.FromMinutes(2));
        var restored = await RunAsync("PreferNotion");
        var t1 = Assert.Single(restored, r => r.Key == "t1");
        Assert.Equal((TableSyncStatus.Created, TableSyncSide.Database), (t1.StatusValue, t1.SideValue));
        Assert.Equal(11m, Convert.ToDecimal(await ScalarAsync("SELECT budget FROM team WHERE id = 't1'")));
        Assert.Equal(55m, Convert.ToDecimal(await ScalarAsync("SELECT budget FROM team WHERE id = 't5'")));

        // Deleted again, and this time the table wins with deletes allowed: the page goes to the trash.
        await ScalarAsync("DELETE FROM team WHERE id = 't5'");
        Fake.State.UpdatePage(PageOf("t5"), new Dictionary<string, object?> { ["budget"] = 56 });
        Clock.Advance(TimeSpan.FromMinutes(2));
        var page = PageOf("t5");
        var trashed = Assert.Single(await RunAsync("PreferDatabase", allowDelete: true), r => r.Key == "t5");
        Assert.Equal((TableSyncStatus.Deleted, TableSyncSide.Notion, "DeletePage"), (trashed.StatusValue, trashed.SideValue, trashed.Action));
        Assert.True(Fake.State.IsInTrash(page));
    }

    [Fact]
    public async Task Last_write_wins_never_flags_a_conflict_where_Flag_does()
    {
        await FirstSyncAsync();
        Fake.State.UpdatePage(PageOf("t2"), new Dictionary<string, object?> { ["active"] = true });
        await ChangeRowAsync("t2", "budget", 21m, Clock.GetUtcNow().AddMinutes(3));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var planned = await Sync("Flag").PlanAsync(CancellationToken.None);
        Assert.Equal(SyncAction.Conflict, planned.Items.Single(i => i.Key == "t2").Decision.Action);

        var results = await RunAsync("LastWriteWins");
        var t2 = Assert.Single(results, r => r.Key == "t2");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Notion), (t2.StatusValue, t2.SideValue));
        Assert.Equal("false", Text("t2", "active"));
        Assert.Equal("21", Text("t2", "budget"));
    }

    [Fact]
    public async Task A_plan_whose_writes_are_all_declined_lists_both_sides_and_writes_nothing()
    {
        // A page made in Notion before any sync: the plan pulls it (a table write) and pushes the rows (Notion writes).
        Fake.State.InsertPage(Db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Team 9 from Notion" });
        var sync = Sync();

        var plan = await sync.PlanAsync(CancellationToken.None);

        Assert.NotNull(plan.SchemaWrite);
        Assert.Contains("postgres_id", plan.SchemaWrite!.Action);
        Assert.Contains("Create the sync state tables", plan.StateWrite.Action);
        var writes = plan.Items.SelectMany(i => i.Writes).ToList();
        Assert.Equal(5, writes.Count(w => w.Side == TableSyncSide.Notion && w.Action.StartsWith("Create page", StringComparison.Ordinal)));
        Assert.Single(writes, w => w.Side == TableSyncSide.Database && w.Action.StartsWith("Insert a new row", StringComparison.Ordinal));
        Assert.Single(writes, w => w.Side == TableSyncSide.Notion && w.Action.StartsWith("Set sync_status synced", StringComparison.Ordinal));

        plan.SchemaWrite.Approved = false;
        plan.StateWrite.Approved = false;
        foreach (var w in writes) w.Approved = false;
        await sync.ApplySetupAsync(plan, CancellationToken.None);
        var results = new List<TableSyncResult>();
        foreach (var item in plan.Items) results.Add(await sync.ApplyAsync(plan, item, CancellationToken.None));
        await sync.FinishAsync(plan, results, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(TableSyncStatus.Skipped, r.StatusValue));
        Assert.Equal(0, Writes);
        Assert.Equal(1, Fake.State.CountPages(Db.DataSourceId));
        Assert.Equal(5L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team")));
        Assert.False(await Table.StateExistsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Direction_Push_leaves_a_Notion_change_pending_and_a_later_run_pulls_it()
    {
        await FirstSyncAsync();
        Fake.State.UpdatePage(PageOf("t1"), new Dictionary<string, object?> { ["Name"] = "Team 1 edited in Notion" });
        Clock.Advance(TimeSpan.FromMinutes(1));

        var pushOnly = await RunAsync(direction: "Push");
        var t1 = Assert.Single(pushOnly, r => r.Key == "t1");
        Assert.Equal((TableSyncStatus.Skipped, "pending"), (t1.StatusValue, t1.SyncStatus));
        Assert.Equal("pending", Text("t1", "sync_status"));
        Assert.Equal("Team 1", await ScalarAsync("SELECT name FROM team WHERE id = 't1'"));

        Clock.Advance(TimeSpan.FromMinutes(30));
        var both = await RunAsync();
        var pulled = Assert.Single(both, r => r.Key == "t1");
        Assert.Equal((TableSyncStatus.Updated, TableSyncSide.Database), (pulled.StatusValue, pulled.SideValue));
        Assert.Equal("Team 1 edited in Notion", await ScalarAsync("SELECT name FROM team WHERE id = 't1'"));
        Assert.Equal("synced", Text("t1", "sync_status"));
    }
}

/// <summary>The sync against a SQLite file (works in Windows PowerShell 5.1 too).</summary>
public sealed class SqliteTableSyncThroughFakeTests : TableSyncThroughFakeContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "oc-tablesync-" + Guid.NewGuid().ToString("N") + ".db");

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        c.Open();
        return c;
    }

    protected override Task<(string Provider, string ConnectionString, string Table)> CreateTeamTableAsync()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE team (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT, budget NUMERIC, active BOOLEAN, updated_at TIMESTAMP);" +
                          "INSERT INTO team VALUES ('t1', 'Team 1', 'active', 10.5, 1, '2026-07-06T11:00:00.000Z')," +
                          "('t2', 'Team 2', 'active', 20.5, 0, '2026-07-06T11:01:00.000Z'), ('t3', 'Team 3', 'on_hold', 30.5, 1, '2026-07-06T11:02:00.000Z')," +
                          "('t4', 'Team 4', 'on_hold', 40.5, 0, '2026-07-06T11:03:00.000Z'), ('t5', 'Team 5', 'active', 50.5, 1, '2026-07-06T11:04:00.000Z');";
        cmd.ExecuteNonQuery();
        return Task.FromResult((SyncTables.Sqlite, $"Data Source={_path}", "team"));
    }

    protected override Task<object?> ScalarAsync(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Task.FromResult(cmd.ExecuteScalar());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (File.Exists(_path)) File.Delete(_path);
    }
}

/// <summary>
/// The sync against a REAL PostgreSQL server (.ci/services starts it; OBERACONNECT_TEST_POSTGRES overrides the
/// connection string). Without a server these tests fail on purpose. The status column is an enum type here.
/// </summary>
public sealed class PostgresTableSyncThroughFakeTests : TableSyncThroughFakeContract
{
    private readonly string _schema = "ts_" + Guid.NewGuid().ToString("N").Substring(0, 12);

    protected override async Task<(string Provider, string ConnectionString, string Table)> CreateTeamTableAsync()
    {
        await using (var c = await PostgresSyncTableTests.OpenTestConnectionAsync())
        await using (var cmd = new NpgsqlCommand($@"
CREATE SCHEMA {_schema};
CREATE TYPE {_schema}.team_status AS ENUM ('active', 'on_hold');
CREATE TABLE {_schema}.team (id text PRIMARY KEY, name text NOT NULL, status {_schema}.team_status, budget numeric(12,2), active boolean, updated_at timestamptz);
INSERT INTO {_schema}.team VALUES
 ('t1', 'Team 1', 'active', 10.5, true, '2026-07-06T11:00:00Z'), ('t2', 'Team 2', 'active', 20.5, false, '2026-07-06T11:01:00Z'),
 ('t3', 'Team 3', 'on_hold', 30.5, true, '2026-07-06T11:02:00Z'), ('t4', 'Team 4', 'on_hold', 40.5, false, '2026-07-06T11:03:00Z'),
 ('t5', 'Team 5', 'active', 50.5, true, '2026-07-06T11:04:00Z');", c))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        return (SyncTables.PostgreSql, PostgresSyncTableTests.ConnectionString, _schema + ".team");
    }

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var c = await PostgresSyncTableTests.OpenTestConnectionAsync(_schema);
        await using var cmd = new NpgsqlCommand(sql, c);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            await using var c = await PostgresSyncTableTests.OpenTestConnectionAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (InvalidOperationException)
        {
            // No server: the test itself already failed with the clear message.
        }
    }
}
