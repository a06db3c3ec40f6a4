using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.DataSurface.Sync;

namespace OberaConnect.Engine.Tests.DataSurface;

public class TableSyncMappingTests
{
    private static readonly RelationalTableSchema Students = new("public.student", new[]
    {
        new RelationalColumn("id", ColumnKind.Uuid, "uuid", false, true),
        new RelationalColumn("full_name", ColumnKind.Text, "text", false),
        new RelationalColumn("status", ColumnKind.Text, "text"),
        new RelationalColumn("university_id", ColumnKind.Text, "text"),
        new RelationalColumn("contact_email", ColumnKind.Text, "text"),
        new RelationalColumn("website", ColumnKind.Text, "text"),
        new RelationalColumn("phone", ColumnKind.Text, "text"),
        new RelationalColumn("gpa", ColumnKind.Decimal, "numeric"),
        new RelationalColumn("photo", ColumnKind.Other, "bytea"),
        new RelationalColumn("updated_at", ColumnKind.Timestamp, "timestamp with time zone"),
    });

    private static readonly Dictionary<string, TextColumnProfile> Profiles = new()
    {
        ["status"] = new("status", 40, new[] { "outgoing", "incoming", "alumni", "established" }),
        ["university_id"] = new("university_id", 3, new[] { "CPP", "UCLA", "MIT" }),
        ["full_name"] = new("full_name", 40, null),
    };

    [Fact]
    public void Inference_uses_names_types_and_value_variety()
    {
        var m = TableSyncMapping.Infer(Students, profiles: Profiles);
        ColumnMap Map(string c) => m.Columns.Single(x => x.ColumnName == c);
        Assert.Equal(PropertyKind.Title, Map("full_name").Kind);
        Assert.Equal(PropertyKind.Select, Map("status").Kind);
        Assert.Equal(new[] { "alumni", "established", "incoming", "outgoing" }, Map("status").Options);
        Assert.Equal(PropertyKind.RichText, Map("university_id").Kind);   // 3 values, each seen once: not a select
        Assert.Equal(PropertyKind.Email, Map("contact_email").Kind);
        Assert.Equal(PropertyKind.Url, Map("website").Kind);
        Assert.Equal(PropertyKind.PhoneNumber, Map("phone").Kind);
        Assert.Equal(PropertyKind.Number, Map("gpa").Kind);
        Assert.True(Map("photo").ToNotionOnly);
        Assert.Equal("id", m.IdColumn.Name);
        Assert.Equal("updated_at", m.ChangedAtColumn!.Name);
    }

    [Fact]
    public void A_mapping_file_renames_retypes_ignores_and_limits()
    {
        const string file = """
        {
          // comments are allowed
          "titleColumn": "full_name", "titleProperty": "Student",
          "idProperty": "pg id", "syncStatusProperty": "Sync Status", "lastSyncedProperty": "Last Synced",
          "columns": {
            "status": { "property": "Status", "type": "select", "options": ["incoming", "alumni"] },
            "university_id": { "type": "select" },
            "photo": { "ignore": true },
            "gpa": { "direction": "toNotion" },
          }
        }
        """;
        var m = TableSyncMapping.FromJson(file, Students, Profiles);
        Assert.Equal("Student", m.Title.Property);
        Assert.Equal("pg id", m.IdProperty);
        Assert.Equal("Sync Status", m.SyncStatusProperty);
        var status = m.Columns.Single(c => c.ColumnName == "status");
        Assert.Equal("Status", status.Property);
        Assert.Equal(new[] { "incoming", "alumni" }, status.Options);
        Assert.Equal(PropertyKind.Select, m.Columns.Single(c => c.ColumnName == "university_id").Kind);
        Assert.DoesNotContain(m.Columns, c => c.ColumnName == "photo");
        Assert.True(m.Columns.Single(c => c.ColumnName == "gpa").ToNotionOnly);

        var only = TableSyncMapping.FromJson("""{"inferOthers": false, "columns": {"status": {}}}""", Students, Profiles);
        Assert.Equal(new[] { "full_name", "status" }, only.Columns.Select(c => c.ColumnName));
    }

    [Theory]
    [InlineData("""{"columns": {"nope": {}}}""", "nope")]
    [InlineData("""{"columns": {"status": {"type": "relation"}}}""", "relation")]
    [InlineData("""{"columns": {"gpa": {"type": "checkbox"}}}""", "gpa")]
    [InlineData("""{"columns": {"status": {"property": "Name"}}}""", "Name")]
    [InlineData("""{"columns": {"status": {"direction": "sideways"}}}""", "sideways")]
    [InlineData("""{"idColumn": "missing"}""", "missing")]
    [InlineData("""{"changedAtColumn": "status"}""", "status")]
    [InlineData("""{"columns": [1]}""", "columns")]
    [InlineData("""not json""", "JSON")]
    public void Mapping_file_mistakes_are_configuration_errors_naming_the_culprit(string file, string named)
    {
        var ex = Assert.ThrowsAny<OberaConnectException>(() => TableSyncMapping.FromJson(file, Students, Profiles));
        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void A_table_without_a_title_candidate_asks_for_one()
    {
        var schema = new RelationalTableSchema("t", new[] { new RelationalColumn("id", ColumnKind.Integer, "int", false, true), new RelationalColumn("code", ColumnKind.Text, "text") });
        Assert.Contains("titleColumn", Assert.Throws<OberaConnectException>(() => TableSyncMapping.Infer(schema)).Message);
        Assert.Equal("code", TableSyncMapping.Infer(schema, new MappingInferenceOptions { TitleColumn = "code" }).Title.ColumnName);
    }

    [Fact]
    public void The_written_mapping_file_reads_back_to_the_same_mapping()
    {
        var m = TableSyncMapping.Infer(Students, profiles: Profiles);
        var again = TableSyncMapping.FromJson(m.ToJson(), Students);
        Assert.Equal(m.Columns.Select(c => c.ToString()), again.Columns.Select(c => c.ToString()));
        Assert.Equal(m.Columns.Select(c => string.Join("|", c.Options)), again.Columns.Select(c => string.Join("|", c.Options)));
    }

    [Fact]
    public void The_notion_schema_has_every_property_and_the_sync_bookkeeping()
    {
        var m = TableSyncMapping.Infer(Students, profiles: Profiles);
        var schema = m.ToNotionSchema();
        Assert.NotNull(schema["Name"]!["title"]);
        Assert.Equal(4, schema["status"]!["select"]!["options"]!.AsArray().Count);
        Assert.NotNull(schema["postgres_id"]!["rich_text"]);
        Assert.Equal(new[] { "synced", "pending", "conflict" }, schema["sync_status"]!["select"]!["options"]!.AsArray().Select(o => (string)o!["name"]!));
        Assert.NotNull(schema["last_synced"]!["date"]);
        Assert.Equal(m.Columns.Count + 3, schema.Count);
    }

    [Fact]
    public void Values_follow_notion_limits()
    {
        var m = TableSyncMapping.Infer(Students, profiles: Profiles);
        var warnings = new List<string>();
        var longText = new string('é', 4500) + "😀" + new string('x', 10);
        var row = new RelationalRow("0b7e8e4e-6f57-4a64-9a1c-2d1f0d5c7e11", null, new Dictionary<string, object?>
        {
            ["full_name"] = longText, ["status"] = "a,b", ["gpa"] = 3.70m, ["university_id"] = null,
        });
        var props = NotionPropertyValues.BuildPageProperties(m, row, SyncStatus.Pending, new DateTimeOffset(2026, 7, 4, 10, 0, 0, TimeSpan.Zero), warnings);
        var title = props["Name"]!["title"]!.AsArray();
        Assert.Equal(3, title.Count);
        Assert.All(title, t => Assert.True(((string)t!["text"]!["content"]!).Length <= 2000));
        Assert.Equal(longText, string.Concat(title.Select(t => (string)t!["text"]!["content"]!)));
        Assert.Equal("a;b", (string?)props["status"]!["select"]!["name"]);
        Assert.Equal(3.7, (double)props["gpa"]!["number"]!);
        Assert.Empty(props["university_id"]!["rich_text"]!.AsArray());
        Assert.Equal("pending", (string?)props["sync_status"]!["select"]!["name"]);
        Assert.Equal("2026-07-04T10:00:00Z", (string?)props["last_synced"]!["date"]!["start"]);
        Assert.Equal(row.Id, (string?)props["postgres_id"]!["rich_text"]![0]!["text"]!["content"]);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_notion_value_the_column_cannot_hold_is_an_error_naming_page_and_property()
    {
        var m = TableSyncMapping.FromJson("""{"columns": {"gpa": {"type": "rich_text"}}}""", Students, Profiles);
        using var value = JsonDocument.Parse("""{"type":"rich_text","rich_text":[{"plain_text":"excellent"}]}""");
        var ex = Assert.Throws<OberaConnectException>(() => NotionPropertyValues.FromNotion(m.Columns.Single(c => c.ColumnName == "gpa"), value.RootElement, "page-42"));
        Assert.Equal("SyncValueInvalid", ex.ErrorId);
        Assert.Contains("page-42", ex.Message);
        Assert.Contains("gpa", ex.Message);
    }

    [Fact]
    public void Content_hash_ignores_representation_but_not_content()
    {
        var m = TableSyncMapping.Infer(Students, profiles: Profiles);
        var a = new Dictionary<string, object?> { ["gpa"] = 3.70m, ["full_name"] = "Ann", ["university_id"] = "" };
        var b = new Dictionary<string, object?> { ["gpa"] = 3.7d, ["full_name"] = "Ann", ["university_id"] = null };
        var c = new Dictionary<string, object?> { ["gpa"] = 3.71d, ["full_name"] = "Ann" };
        Assert.Equal(NotionPropertyValues.ContentHash(m.Columns, a), NotionPropertyValues.ContentHash(m.Columns, b));
        Assert.NotEqual(NotionPropertyValues.ContentHash(m.Columns, a), NotionPropertyValues.ContentHash(m.Columns, c));
        Assert.True(NotionPropertyValues.SameContent(m.Columns, a, b));
        Assert.False(NotionPropertyValues.SameContent(m.Columns, a, c));
    }
}
