using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.DataSurface.Sync;

namespace OberaConnect.Engine.Tests.DataSurface;

/// <summary>
/// The behaviour every relational side of the two-way sync must have, run against SQLite and a real
/// PostgreSQL. Each subclass creates the seed's "team" table (plus a few more types) in a fresh database
/// or schema; rows t01..t12, updated_at one minute apart from 09:01.
/// </summary>
public abstract class RelationalSyncContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Base = new(2026, 7, 4, 9, 0, 0, TimeSpan.Zero);
    protected static readonly string[] Statuses = { "active", "completed", "on_hold" };

    protected ISyncTable Table { get; private set; } = null!;

    /// <summary>Creates the table with rows and returns the sync table over it.</summary>
    protected abstract Task<ISyncTable> CreateTeamTableAsync();

    /// <summary>Runs SQL against the test database (for checks).</summary>
    protected abstract Task<object?> ScalarAsync(string sql);

    /// <summary>Store type expected for the status column in the mapping (enum labels in PostgreSQL, profiled values in SQLite).</summary>
    public virtual async Task InitializeAsync() => Table = await CreateTeamTableAsync();

    public abstract Task DisposeAsync();

    protected async Task<TableSyncMapping> InferAsync()
    {
        var schema = await Table.DescribeAsync(CancellationToken.None);
        var profiles = await Table.ProfileTextColumnsAsync(TableSyncMapping.ProfileCandidates(schema), 10, CancellationToken.None);
        return TableSyncMapping.Infer(schema, new MappingInferenceOptions(), profiles);
    }

    [Fact]
    public async Task Describe_and_inference_map_columns_as_the_seed_describes()
    {
        var mapping = await InferAsync();
        ColumnMap Map(string column) => mapping.Columns.Single(c => c.ColumnName == column);

        Assert.Equal("id", mapping.IdColumn.Name);
        Assert.Equal("postgres_id", mapping.IdProperty);
        Assert.Equal("updated_at", mapping.ChangedAtColumn!.Name);
        Assert.DoesNotContain(mapping.Columns, c => c.ColumnName is "id" or "updated_at");
        Assert.Equal(PropertyKind.Title, Map("name").Kind);
        Assert.Equal("Name", Map("name").Property);
        Assert.Equal(PropertyKind.Select, Map("status").Kind);
        Assert.Equal(Statuses, Map("status").Options);
        Assert.Equal(PropertyKind.RichText, Map("notes").Kind);
        Assert.Equal(PropertyKind.Email, Map("email").Kind);
        Assert.Equal(PropertyKind.Number, Map("energy_loss").Kind);
        Assert.Equal(PropertyKind.Number, Map("terms_remaining").Kind);
        Assert.Equal(PropertyKind.Checkbox, Map("is_cross_university").Kind);
        Assert.Equal(PropertyKind.Date, Map("founded").Kind);
        Assert.False(Map("founded").ToNotionOnly);
        Assert.Equal(PropertyKind.Date, Map("created_at").Kind);
        Assert.True(Map("created_at").ToNotionOnly);
        Assert.Equal(PropertyKind.RichText, Map("metadata").Kind);
        Assert.True(Map("metadata").ToNotionOnly);
        Assert.Equal(PropertyKind.MultiSelect, Map("tags").Kind);
    }

    [Fact]
    public async Task Changed_rows_are_read_from_the_change_time_inclusive_oldest_first()
    {
        var mapping = await InferAsync();
        var all = await Table.ReadChangedSinceAsync(mapping, null, CancellationToken.None);
        Assert.Equal(12, all.Count);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"t{i:00}"), all.Select(r => r.Id));

        var since = await Table.ReadChangedSinceAsync(mapping, Base.AddMinutes(10), CancellationToken.None);
        Assert.Equal(new[] { "t10", "t11", "t12" }, since.Select(r => r.Id));
        Assert.Equal(Base.AddMinutes(10), since[0].ChangedAt);

        var row = all[2];
        Assert.Equal("Team 3", row["name"]);
        Assert.Equal("on_hold", row["status"]);
        Assert.Equal(true, row["is_cross_university"]);
        Assert.Equal(12.5m, row["energy_loss"]);
        Assert.Equal(3L, row["terms_remaining"]);
        Assert.Equal(new DateTime(2020, 1, 3), row["founded"]);
        Assert.Equal(new[] { "a", "b,c" }, (string[])row["tags"]!);
        Assert.Equal("{\"k\": 3}", NormalizeJson((string)row["metadata"]!));
    }

    private static string NormalizeJson(string json) => JsonNode.Parse(json)!.ToJsonString().Replace(":", ": ");

    [Fact]
    public async Task Rows_are_read_by_id_and_unknown_or_malformed_ids_are_skipped()
    {
        var mapping = await InferAsync();
        var rows = await Table.ReadByIdsAsync(mapping, new[] { "t05", "t01", "nope", "t05" }, CancellationToken.None);
        Assert.Equal(new[] { "t01", "t05" }, rows.Select(r => r.Id).OrderBy(x => x));
    }

    [Fact]
    public async Task Pulled_values_update_the_row_and_set_the_change_time()
    {
        var mapping = await InferAsync();
        var changedAt = new DateTimeOffset(2026, 7, 5, 8, 30, 15, 123, TimeSpan.Zero);
        var values = new Dictionary<string, object?>
        {
            ["name"] = "Team 3 renamed ' \" ; --",
            ["status"] = "completed",
            ["energy_loss"] = 99.25m,
            ["is_cross_university"] = false,
            ["tags"] = new[] { "x", "y" },
            ["founded"] = new DateTime(2021, 2, 3),
            ["notes"] = null,
        };
        var result = await Table.WriteRowAsync(mapping, "t03", values, changedAt, CancellationToken.None);

        Assert.Equal("t03", result.Id);
        Assert.False(result.Inserted);
        Assert.Equal(changedAt, result.ChangedAt);
        var row = (await Table.ReadByIdsAsync(mapping, new[] { "t03" }, CancellationToken.None)).Single();
        Assert.Equal("Team 3 renamed ' \" ; --", row["name"]);
        Assert.Equal("completed", row["status"]);
        Assert.Equal(99.25m, row["energy_loss"]);
        Assert.Equal(false, row["is_cross_university"]);
        Assert.Equal(new[] { "x", "y" }, (string[])row["tags"]!);
        Assert.Equal(new DateTime(2021, 2, 3), row["founded"]);
        Assert.Null(row["notes"]);
        Assert.Equal("t03@example.edu", row["email"]);
        Assert.Equal(changedAt, row.ChangedAt);
        Assert.Equal(12L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM team")));
    }

    [Fact]
    public async Task Pages_without_a_row_insert_one_with_the_given_or_a_new_id()
    {
        var mapping = await InferAsync();
        var at = Base.AddDays(1);
        var named = await Table.WriteRowAsync(mapping, "t99", new Dictionary<string, object?> { ["name"] = "From Notion", ["status"] = "active" }, at, CancellationToken.None);
        Assert.True(named.Inserted);
        Assert.Equal("t99", named.Id);

        var generated = await Table.WriteRowAsync(mapping, null, new Dictionary<string, object?> { ["name"] = "No id yet" }, at, CancellationToken.None);
        Assert.True(generated.Inserted);
        Assert.True(Guid.TryParse(generated.Id, out _), generated.Id);
        var rows = await Table.ReadByIdsAsync(mapping, new[] { "t99", generated.Id }, CancellationToken.None);
        Assert.Equal(2, rows.Count);
        Assert.Equal(at, rows.Single(r => r.Id == "t99").ChangedAt);
    }

    [Fact]
    public async Task Writing_an_unmapped_column_or_a_bad_value_is_a_typed_error()
    {
        var mapping = await InferAsync();
        var unmapped = await Assert.ThrowsAsync<OberaConnectException>(() =>
            Table.WriteRowAsync(mapping, "t01", new Dictionary<string, object?> { ["updated_at"] = DateTimeOffset.UtcNow }, Base, CancellationToken.None));
        Assert.Equal("SyncColumnNotMapped", unmapped.ErrorId);
        var bad = await Assert.ThrowsAsync<OberaConnectException>(() =>
            Table.WriteRowAsync(mapping, "t01", new Dictionary<string, object?> { ["status"] = null, ["name"] = null }, Base, CancellationToken.None));
        Assert.Equal("SyncRowWriteFailed", bad.ErrorId);
        Assert.Contains("t01", bad.Message);
    }

    [Fact]
    public async Task Sync_state_tables_are_created_once_and_hold_table_and_record_bookkeeping()
    {
        await Table.InitializeStateAsync(CancellationToken.None);
        await Table.InitializeStateAsync(CancellationToken.None);
        Assert.Null(await Table.GetTableStateAsync(CancellationToken.None));

        var synced = new DateTimeOffset(2026, 7, 4, 10, 5, 30, 250, TimeSpan.Zero);
        await Table.SaveTableStateAsync(new SyncTableState(Table.Table, synced, Base.AddMinutes(12), Base.AddMinutes(3)), CancellationToken.None);
        await Table.SaveTableStateAsync(new SyncTableState(Table.Table, synced.AddHours(1), Base.AddMinutes(12), null), CancellationToken.None);
        var state = await Table.GetTableStateAsync(CancellationToken.None);
        Assert.Equal(synced.AddHours(1), state!.LastSyncedAt);
        Assert.Equal(Base.AddMinutes(12), state.RowWatermark);
        Assert.Null(state.PageWatermark);

        await Table.SaveRecordStatesAsync(new[]
        {
            new SyncRecordState("t01", "page-1", SyncStatus.Synced, synced, Base.AddMinutes(1), Base, "rh", "ph"),
            new SyncRecordState("t02", null, SyncStatus.Conflict, null, null, null, null, null, "both changed"),
        }, CancellationToken.None);
        await Table.SaveRecordStatesAsync(new[] { new SyncRecordState("t02", "page-2", SyncStatus.Pending, synced, null, null, "x", "y") }, CancellationToken.None);
        var records = await Table.GetRecordStatesAsync(CancellationToken.None);
        Assert.Equal(2, records.Count);
        Assert.Equal(new SyncRecordState("t01", "page-1", SyncStatus.Synced, synced, Base.AddMinutes(1), Base, "rh", "ph"), records["t01"]);
        Assert.Equal(SyncStatus.Pending, records["t02"].Status);
        Assert.Equal("page-2", records["t02"].PageId);
        Assert.Null(records["t02"].Message);
    }

    [Fact]
    public async Task A_row_pushed_to_notion_and_read_back_has_the_same_content()
    {
        var mapping = await InferAsync();
        foreach (var row in await Table.ReadChangedSinceAsync(mapping, null, CancellationToken.None))
        {
            var properties = NotionPropertyValues.BuildPageProperties(mapping, row, SyncStatus.Synced, Base);
            using var page = JsonDocument.Parse(AsResponsePage(properties, row.Id));
            var snapshot = NotionPropertyValues.ReadPage(mapping, page.RootElement);

            Assert.Equal(row.Id, snapshot.RecordId);
            Assert.True(NotionPropertyValues.SameContent(mapping.Columns, row.Values, snapshot.Values), "content of " + row.Id);
            Assert.Equal(NotionPropertyValues.ContentHash(mapping.TwoWayColumns, row.Values), NotionPropertyValues.ContentHash(mapping.TwoWayColumns, snapshot.Values));
            // Written back, the pulled values change nothing.
            var pulled = mapping.TwoWayColumns.ToDictionary(c => c.ColumnName, c => snapshot.Values[c.ColumnName]);
            await Table.WriteRowAsync(mapping, row.Id, pulled, Base.AddDays(2), CancellationToken.None);
            var again = (await Table.ReadByIdsAsync(mapping, new[] { row.Id }, CancellationToken.None)).Single();
            Assert.Equal(NotionPropertyValues.ContentHash(mapping.Columns, row.Values), NotionPropertyValues.ContentHash(mapping.Columns, again.Values));
        }
    }

    /// <summary>Turns request-shaped property values into the response shape Notion returns (type tags, plain_text).</summary>
    internal static string AsResponsePage(JsonObject properties, string id)
    {
        var response = new JsonObject();
        foreach (var (name, value) in properties)
        {
            var obj = (JsonObject)value!.DeepClone();
            var type = obj.Single().Key;
            if (type is "title" or "rich_text")
                foreach (var item in obj[type]!.AsArray())
                    item!["plain_text"] = (string?)item["text"]!["content"];
            obj["type"] = type;
            response[name] = obj;
        }
        return new JsonObject
        {
            ["object"] = "page",
            ["id"] = "393abc1e-edcd-8169-85ce-" + Math.Abs(id.GetHashCode()).ToString("x12"),
            ["last_edited_time"] = "2026-07-04T10:05:00.000Z",
            ["in_trash"] = false,
            ["properties"] = response,
        }.ToJsonString();
    }
}
