using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.DataSurface;

namespace OberaConnect.Engine.Tests.DataSurface;

public class NotionPageRecordTests
{
    private static readonly DateTimeOffset Edited = new(2026, 7, 4, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public void FromPageJson_takes_identity_times_trash_and_parent_from_the_page()
    {
        var raw = PageJson.Page(7, Edited, "Acme HQ", inTrash: true);
        var record = NotionPageRecord.FromPageJson(raw, "customer_sites");

        Assert.Equal(PageJson.PageId(7), record.PageId);
        Assert.Equal(PageJson.DatabaseId, record.DatabaseId);
        Assert.Equal(PageJson.DataSourceId, record.DataSourceId);
        Assert.Equal("customer_sites", record.DatabaseName);
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 9, 9, 0, TimeSpan.Zero), record.CreatedTime);
        Assert.Equal(Edited, record.LastEditedTime);
        Assert.True(record.InTrash);
        Assert.Equal(raw, record.RawJson);
        using var props = JsonDocument.Parse(record.PropertiesJson);
        Assert.Equal("Acme HQ", props.RootElement.GetProperty("Site Name").GetString());
        Assert.Equal(7, props.RootElement.GetProperty("Health").GetInt32());
    }

    [Fact]
    public void FromPageJson_of_an_old_version_page_uses_archived_and_the_given_database()
    {
        var raw = """{"object":"page","id":"393abc1eedcd816985cec64d3d3f20fd","created_time":"2026-07-04T09:09:00.000Z","last_edited_time":"2026-07-04T09:10:00.000Z","parent":{"type":"page_id","page_id":"393abc1e-edcd-80f3-813b-e205934558c6"},"archived":true,"properties":{}}""";
        var record = NotionPageRecord.FromPageJson(raw, "runbooks", "DAF41515AA5F4D1497A89193425EC491");
        Assert.Equal("393abc1e-edcd-8169-85ce-c64d3d3f20fd", record.PageId);
        Assert.Equal(PageJson.DatabaseId, record.DatabaseId);
        Assert.Null(record.DataSourceId);
        Assert.True(record.InTrash);
        Assert.Equal("{}", record.PropertiesJson);
    }

    [Fact]
    public void FromPageJson_without_any_database_id_fails_naming_the_page()
    {
        var raw = """{"id":"393abc1eedcd816985cec64d3d3f20fd","created_time":"2026-07-04T09:09:00.000Z","last_edited_time":"2026-07-04T09:10:00.000Z","parent":{"type":"workspace","workspace":true},"properties":{}}""";
        var ex = Assert.Throws<OberaConnectException>(() => NotionPageRecord.FromPageJson(raw, "runbooks"));
        Assert.Equal("NotionPageParentMissing", ex.ErrorId);
        Assert.Contains("393abc1eedcd816985cec64d3d3f20fd", ex.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"object\":\"page\"}")]
    [InlineData("{\"id\":\"393abc1eedcd816985cec64d3d3f20fd\",\"parent\":{\"database_id\":\"daf41515aa5f4d1497a89193425ec491\"}}")]
    public void FromPageJson_refuses_broken_pages(string raw)
    {
        var ex = Assert.Throws<OberaConnectException>(() => NotionPageRecord.FromPageJson(raw, "x"));
        Assert.Equal(FailureKind.InvalidInput, ex.Kind);
    }

    [Theory]
    [InlineData("daf41515aa5f4d1497a89193425ec491")]
    [InlineData("DAF41515-AA5F-4D14-97A8-9193425EC491")]
    [InlineData(" daf41515-aa5f-4d14-97a8-9193425ec491 ")]
    public void Ids_are_normalized_to_dashed_lower_case(string id)
        => Assert.Equal(PageJson.DatabaseId, NotionIds.Normalize(id));

    [Theory]
    [InlineData("daf41515aa5f4d1497a89193425ec49")]
    [InlineData("daf41515aa5f4d1497a89193425ec4911")]
    [InlineData("zaf41515aa5f4d1497a89193425ec491")]
    [InlineData("")]
    public void Bad_ids_are_refused(string id)
        => Assert.Equal("NotionIdInvalid", Assert.Throws<OberaConnectException>(() => NotionIds.Normalize(id)).ErrorId);

    [Fact]
    public void Flattener_gives_each_property_type_one_plain_json_type()
    {
        var properties = JsonNode.Parse("""
        {
          "Name": {"type":"title","title":[{"plain_text":"Acme "},{"text":{"content":"HQ"}}]},
          "Notes": {"type":"rich_text","rich_text":[]},
          "Score": {"type":"number","number":87.5},
          "Online": {"type":"checkbox","checkbox":true},
          "Status": {"type":"status","status":{"id":"x","name":"Healthy","color":"green"}},
          "Tier": {"type":"select","select":null},
          "Tags": {"type":"multi_select","multi_select":[{"name":"wifi"},{"name":"vpn"}]},
          "Due": {"type":"date","date":{"start":"2026-07-01","end":"2026-07-03","time_zone":null}},
          "Site": {"type":"relation","relation":[{"id":"a1"},{"id":"b2"}],"has_more":false},
          "Owner": {"type":"people","people":[{"object":"user","id":"u1","name":"Ann"}]},
          "Web": {"type":"url","url":"https://example.com"},
          "Mail": {"type":"email","email":null},
          "Ticket": {"type":"unique_id","unique_id":{"prefix":"OPS","number":42}},
          "Seq": {"type":"unique_id","unique_id":{"prefix":null,"number":9}},
          "Calc": {"type":"formula","formula":{"type":"number","number":3}},
          "When": {"type":"formula","formula":{"type":"date","date":{"start":"2026-01-02T03:04:00.000Z"}}},
          "Sum": {"type":"rollup","rollup":{"type":"array","array":[{"type":"number","number":1},{"type":"title","title":[{"plain_text":"x"}]}]}},
          "Edited": {"type":"last_edited_time","last_edited_time":"2026-07-04T10:15:00.000Z"},
          "By": {"type":"created_by","created_by":{"object":"user","id":"u9"}},
          "Files": {"type":"files","files":[{"name":"report.pdf","type":"external","external":{"url":"https://x"}}]},
          "Click": {"type":"button","button":{}},
          "Future": {"type":"place","place":{"lat":1.5}}
        }
        """)!;
        using var doc = JsonDocument.Parse(properties.ToJsonString());
        var flat = JsonNode.Parse(NotionPropertyFlattener.Flatten(doc.RootElement))!.AsObject();

        Assert.Equal("Acme HQ", (string?)flat["Name"]);
        Assert.Null(flat["Notes"]);
        Assert.Equal(87.5, (double)flat["Score"]!);
        Assert.True((bool)flat["Online"]!);
        Assert.Equal("Healthy", (string?)flat["Status"]);
        Assert.Null(flat["Tier"]);
        Assert.Equal(new[] { "wifi", "vpn" }, flat["Tags"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("2026-07-01", (string?)flat["Due"]);
        Assert.Equal(new[] { "a1", "b2" }, flat["Site"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(new[] { "u1" }, flat["Owner"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("https://example.com", (string?)flat["Web"]);
        Assert.Null(flat["Mail"]);
        Assert.Equal("OPS-42", (string?)flat["Ticket"]);
        Assert.Equal(9, (int)flat["Seq"]!);
        Assert.Equal(3, (int)flat["Calc"]!);
        Assert.Equal("2026-01-02T03:04:00.000Z", (string?)flat["When"]);
        Assert.Equal(1, (int)flat["Sum"]![0]!);
        Assert.Equal("x", (string?)flat["Sum"]![1]);
        Assert.Equal("2026-07-04T10:15:00.000Z", (string?)flat["Edited"]);
        Assert.Equal("u9", (string?)flat["By"]);
        Assert.Equal("report.pdf", (string?)flat["Files"]![0]);
        Assert.Null(flat["Click"]);
        Assert.Equal(1.5, (double)flat["Future"]!["lat"]!);
        Assert.Equal(properties.AsObject().Count, flat.Count);
    }
}
