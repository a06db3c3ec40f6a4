using System.Text.Json.Nodes;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>POST /v1/data_sources/{id}/query: every filter kind, compound filters, sorts, cursors and the 10,000-row cap.</summary>
public sealed class QueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private const string Schema = """
        {
          "Name": { "title": {} },
          "Notes": { "rich_text": {} },
          "Score": { "number": {} },
          "Tier": { "select": { "options": [ { "name": "Gold" }, { "name": "Silver" }, { "name": "Bronze" } ] } },
          "Stage": { "status": {} },
          "Tags": { "multi_select": { "options": [ { "name": "wan" }, { "name": "lan" } ] } },
          "Due": { "date": {} },
          "Done": { "checkbox": {} },
          "Link": { "url": {} },
          "Mail": { "email": {} },
          "Phone": { "phone_number": {} },
          "Owner": { "people": {} }
        }
        """;

    private sealed record Seeded(NotionFake Fake, SeededDatabase Db, string SiteA, string SiteB, string Owner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Fake.DisposeAsync();
    }

    /// <summary>Four rows A (Acme HQ), B (Acme Lab), C (Globex), D (Initech), created an hour apart from T0.</summary>
    private static async Task<Seeded> SeedAsync()
    {
        var fake = await NotionFake.StartAsync();
        var state = fake.State;
        var sites = state.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var siteA = state.InsertPage(sites.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Site A" });
        var siteB = state.InsertPage(sites.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Site B" });
        var owner = state.AddUser("Dana", "dana@example.com");
        var db = state.CreateDatabase(fake.RootPageId, "Checks", Schema);
        state.UpdateSchema(db.DataSourceId, $$$$$"""{"Site":{"relation":{"data_source_id":"{{{{{sites.DataSourceId}}}}}","single_property":{}}}}""");
        state.InsertPage(db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Acme HQ", ["Notes"] = "primary wan", ["Score"] = 90, ["Tier"] = "Gold", ["Stage"] = "Done",
            ["Tags"] = new[] { "wan", "lan" }, ["Due"] = "2026-03-01", ["Done"] = true, ["Link"] = "https://a.example",
            ["Mail"] = "a@x.example", ["Phone"] = "111", ["Site"] = new[] { siteA }, ["Owner"] = new[] { owner },
        }, T0);
        state.InsertPage(db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Acme Lab", ["Score"] = 75, ["Tier"] = "Silver", ["Tags"] = new[] { "lan" },
            ["Due"] = "2026-03-15T10:00:00Z", ["Mail"] = "b@x.example",
        }, T0.AddHours(1));
        state.InsertPage(db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Globex", ["Notes"] = "backup WAN", ["Site"] = new[] { siteB },
        }, T0.AddHours(2));
        state.InsertPage(db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Initech", ["Notes"] = "office", ["Score"] = 75.5, ["Tier"] = "Bronze", ["Stage"] = "In progress",
            ["Tags"] = new[] { "wan" }, ["Due"] = "2026-04-01",
        }, T0.AddHours(3));
        return new Seeded(fake, db, siteA, siteB, owner);
    }

    private static async Task<List<string>> NamesAsync(FakeApi api, string dataSourceId, string body)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var request = JsonNode.Parse(body)!.AsObject();
            if (cursor is not null) request["start_cursor"] = cursor;
            var answer = await api.PostAsync($"v1/data_sources/{dataSourceId}/query", request.ToJsonString());
            Assert.True(answer.Status == 200, answer.Text);
            names.AddRange(answer.Results.Select(r => r!["properties"]!["Name"]!["title"]!.AsArray().FirstOrDefault()?["plain_text"]?.GetValue<string>() ?? ""));
            cursor = answer.Object["next_cursor"]?.GetValue<string>();
        } while (cursor is not null);
        return names;
    }

    [Theory]
    [InlineData("""{"property":"Name","title":{"equals":"Acme HQ"}}""", "Acme HQ")]
    [InlineData("""{"property":"Name","title":{"does_not_equal":"Acme HQ"}}""", "Acme Lab|Globex|Initech")]
    [InlineData("""{"property":"Name","title":{"contains":"acme"}}""", "Acme HQ|Acme Lab")]
    [InlineData("""{"property":"Name","title":{"does_not_contain":"acme"}}""", "Globex|Initech")]
    [InlineData("""{"property":"Name","title":{"starts_with":"Glo"}}""", "Globex")]
    [InlineData("""{"property":"Name","title":{"ends_with":"lab"}}""", "Acme Lab")]
    [InlineData("""{"property":"Name","rich_text":{"equals":"Initech"}}""", "Initech")]
    [InlineData("""{"property":"Notes","rich_text":{"contains":"WAN"}}""", "Acme HQ|Globex")]
    [InlineData("""{"property":"Notes","rich_text":{"is_empty":true}}""", "Acme Lab")]
    [InlineData("""{"property":"Notes","rich_text":{"is_not_empty":true}}""", "Acme HQ|Globex|Initech")]
    [InlineData("""{"property":"Score","number":{"equals":75}}""", "Acme Lab")]
    [InlineData("""{"property":"Score","number":{"greater_than":75}}""", "Acme HQ|Initech")]
    [InlineData("""{"property":"Score","number":{"less_than":80}}""", "Acme Lab|Initech")]
    [InlineData("""{"property":"Score","number":{"greater_than_or_equal_to":75.5}}""", "Acme HQ|Initech")]
    [InlineData("""{"property":"Score","number":{"less_than_or_equal_to":75}}""", "Acme Lab")]
    [InlineData("""{"property":"Score","number":{"is_empty":true}}""", "Globex")]
    [InlineData("""{"property":"Tier","select":{"equals":"Gold"}}""", "Acme HQ")]
    [InlineData("""{"property":"Tier","select":{"does_not_equal":"Gold"}}""", "Acme Lab|Globex|Initech")]
    [InlineData("""{"property":"Tier","select":{"is_empty":true}}""", "Globex")]
    [InlineData("""{"property":"Stage","status":{"equals":"In progress"}}""", "Initech")]
    [InlineData("""{"property":"Stage","status":{"equals":"Not started"}}""", "Acme Lab|Globex")]
    [InlineData("""{"property":"Stage","status":{"does_not_equal":"Done"}}""", "Acme Lab|Globex|Initech")]
    [InlineData("""{"property":"Tags","multi_select":{"contains":"wan"}}""", "Acme HQ|Initech")]
    [InlineData("""{"property":"Tags","multi_select":{"is_empty":true}}""", "Globex")]
    [InlineData("""{"property":"Due","date":{"equals":"2026-03-15"}}""", "Acme Lab")]
    [InlineData("""{"property":"Due","date":{"before":"2026-03-15"}}""", "Acme HQ")]
    [InlineData("""{"property":"Due","date":{"after":"2026-03-15"}}""", "Initech")]
    [InlineData("""{"property":"Due","date":{"on_or_before":"2026-03-15"}}""", "Acme HQ|Acme Lab")]
    [InlineData("""{"property":"Due","date":{"on_or_after":"2026-03-15"}}""", "Acme Lab|Initech")]
    [InlineData("""{"property":"Due","date":{"after":"2026-03-15T09:00:00Z"}}""", "Acme Lab|Initech")]
    [InlineData("""{"property":"Due","date":{"is_empty":true}}""", "Globex")]
    [InlineData("""{"property":"Done","checkbox":{"equals":true}}""", "Acme HQ")]
    [InlineData("""{"property":"Done","checkbox":{"equals":false}}""", "Acme Lab|Globex|Initech")]
    [InlineData("""{"property":"Done","checkbox":{"does_not_equal":true}}""", "Acme Lab|Globex|Initech")]
    [InlineData("""{"property":"Site","relation":{"contains":"{SiteA}"}}""", "Acme HQ")]
    [InlineData("""{"property":"Site","relation":{"is_empty":true}}""", "Acme Lab|Initech")]
    [InlineData("""{"property":"Site","relation":{"is_not_empty":true}}""", "Acme HQ|Globex")]
    [InlineData("""{"property":"Owner","people":{"contains":"{Owner}"}}""", "Acme HQ")]
    [InlineData("""{"property":"Mail","email":{"equals":"b@x.example"}}""", "Acme Lab")]
    [InlineData("""{"property":"Link","url":{"equals":"https://a.example"}}""", "Acme HQ")]
    [InlineData("""{"property":"Phone","phone_number":{"equals":"111"}}""", "Acme HQ")]
    [InlineData("""{"timestamp":"created_time","created_time":{"on_or_after":"2026-03-01T10:00:00Z"}}""", "Globex|Initech")]
    [InlineData("""{"timestamp":"created_time","created_time":{"before":"2026-03-01T09:00:00Z"}}""", "Acme HQ")]
    [InlineData("""{"timestamp":"created_time","created_time":{"equals":"2026-03-01"}}""", "Acme HQ|Acme Lab|Globex|Initech")]
    [InlineData("""{"timestamp":"last_edited_time","last_edited_time":{"after":"2026-03-01T10:30:00Z"}}""", "Initech")]
    [InlineData("""{"and":[{"property":"Tier","select":{"is_not_empty":true}},{"or":[{"property":"Score","number":{"greater_than":80}},{"property":"Tags","multi_select":{"contains":"wan"}}]}]}""", "Acme HQ|Initech")]
    [InlineData("""{"or":[{"property":"Name","title":{"equals":"Globex"}},{"property":"Done","checkbox":{"equals":true}}]}""", "Acme HQ|Globex")]
    public async Task Filter_selects_the_matching_rows(string filter, string expected)
    {
        await using var seeded = await SeedAsync();
        foreach (var id in seeded.Fake.State.PageIds(seeded.Db.DataSourceId))
            seeded.Fake.State.SetTimestamps(id, lastEdited: id == seeded.Fake.State.PageIds(seeded.Db.DataSourceId)[^1] ? T0.AddHours(4) : T0);
        using var api = new FakeApi(seeded.Fake);
        var body = $$"""{"filter":{{filter.Replace("{SiteA}", seeded.SiteA, StringComparison.Ordinal).Replace("{Owner}", seeded.Owner, StringComparison.Ordinal)}}}""";
        var names = await NamesAsync(api, seeded.Db.DataSourceId, body);
        Assert.Equal(expected.Split('|'), names);
    }

    [Theory]
    [InlineData("""[{"property":"Score","direction":"ascending"}]""", "Acme Lab|Initech|Acme HQ|Globex")]
    [InlineData("""[{"property":"Score","direction":"descending"}]""", "Acme HQ|Initech|Acme Lab|Globex")]
    [InlineData("""[{"property":"Name","direction":"descending"}]""", "Initech|Globex|Acme Lab|Acme HQ")]
    [InlineData("""[{"property":"Tier","direction":"ascending"}]""", "Acme HQ|Acme Lab|Initech|Globex")]
    [InlineData("""[{"property":"Due","direction":"descending"}]""", "Initech|Acme Lab|Acme HQ|Globex")]
    [InlineData("""[{"timestamp":"created_time","direction":"descending"}]""", "Initech|Globex|Acme Lab|Acme HQ")]
    [InlineData("""[{"property":"Done","direction":"descending"},{"property":"Name","direction":"ascending"}]""", "Acme HQ|Acme Lab|Globex|Initech")]
    [InlineData("""[]""", "Acme HQ|Acme Lab|Globex|Initech")]
    public async Task Sorts_order_the_rows(string sorts, string expected)
    {
        await using var seeded = await SeedAsync();
        using var api = new FakeApi(seeded.Fake);
        var names = await NamesAsync(api, seeded.Db.DataSourceId, $$"""{"sorts":{{sorts}}}""");
        Assert.Equal(expected.Split('|'), names);
    }

    [Theory]
    [InlineData("""{"filter":{"property":"Nope","title":{"equals":"x"}}}""", "Could not find property with name or id: Nope")]
    [InlineData("""{"filter":{"property":"Score","title":{"equals":"x"}}}""", "cannot filter property \"Score\" of type number")]
    [InlineData("""{"filter":{"property":"Score","number":{"equals":"ten"}}}""", "body.filter.number.equals should be a number")]
    [InlineData("""{"filter":{"property":"Tier","select":{"contains":"Gold"}}}""", "is not a supported condition")]
    [InlineData("""{"filter":{"and":[{"or":[{"and":[{"property":"Done","checkbox":{"equals":true}}]}]}]}}""", "nested too deeply")]
    [InlineData("""{"sorts":[{"property":"Nope","direction":"ascending"}]}""", "Could not find sort property with name or id: Nope")]
    [InlineData("""{"sorts":[{"property":"Name","direction":"up"}]}""", "body.sorts[0].direction")]
    [InlineData("""{"page_size":101}""", "body.page_size should be ≤ `100`, instead was `101`.")]
    [InlineData("""{"start_cursor":"not-a-cursor"}""", "body.start_cursor")]
    public async Task Bad_filters_sorts_and_paging_are_validation_errors(string body, string message)
    {
        await using var seeded = await SeedAsync();
        using var api = new FakeApi(seeded.Fake);
        var answer = await api.PostAsync($"v1/data_sources/{seeded.Db.DataSourceId}/query", body);
        Assert.Equal(400, answer.Status);
        Assert.Equal("validation_error", answer.Code);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trashed_rows_are_left_out_unless_in_trash_is_asked_for()
    {
        await using var seeded = await SeedAsync();
        var ids = seeded.Fake.State.PageIds(seeded.Db.DataSourceId);
        seeded.Fake.State.TrashPage(ids[1]);
        using var api = new FakeApi(seeded.Fake);
        Assert.Equal(new[] { "Acme HQ", "Globex", "Initech" }, await NamesAsync(api, seeded.Db.DataSourceId, "{}"));
        Assert.Equal(new[] { "Acme Lab" }, await NamesAsync(api, seeded.Db.DataSourceId, """{"in_trash":true}"""));
        using var old = new FakeApi(seeded.Fake, "2025-09-03");
        Assert.Equal(new[] { "Acme Lab" }, await NamesAsync(old, seeded.Db.DataSourceId, """{"archived":true}"""));
    }

    [Fact]
    public async Task Query_answer_has_Notion_list_shape_and_filter_properties_trims_properties()
    {
        await using var seeded = await SeedAsync();
        using var api = new FakeApi(seeded.Fake);
        var answer = await api.PostAsync($"v1/data_sources/{seeded.Db.DataSourceId}/query?filter_properties=title", "{}");
        Assert.Equal("list", answer.Object["object"]!.GetValue<string>());
        Assert.Equal("page_or_data_source", answer.Object["type"]!.GetValue<string>());
        Assert.NotNull(answer.Object["page_or_data_source"]);
        Assert.False(answer.Object.ContainsKey("request_status"));
        Assert.Equal(4, answer.Results.Count);
        Assert.All(answer.Results, r => Assert.Equal(new[] { "Name" }, r!["properties"]!.AsObject().Select(kv => kv.Key)));
    }

    [Fact]
    public async Task Cursors_page_through_all_rows_page_size_at_a_time()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Many", """{"Name":{"title":{}},"N":{"number":{}}}""");
        fake.State.InsertPages(db.DataSourceId, 250, i => new Dictionary<string, object?> { ["Name"] = $"row {i}", ["N"] = i });
        using var api = new FakeApi(fake);

        var sizes = new List<int>();
        var seen = new List<double>();
        string? cursor = null;
        do
        {
            var body = cursor is null ? """{"sorts":[{"property":"N","direction":"ascending"}]}""" : $$"""{"start_cursor":"{{cursor}}"}""";
            var answer = await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", body);
            sizes.Add(answer.Results.Count);
            seen.AddRange(answer.Results.Select(r => r!["properties"]!["N"]!["number"]!.GetValue<double>()));
            cursor = answer.Object["next_cursor"]?.GetValue<string>();
            Assert.Equal(cursor is not null, answer.Object["has_more"]!.GetValue<bool>());
        } while (cursor is not null);
        Assert.Equal(new[] { 100, 100, 50 }, sizes);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i), seen);

        var small = await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", """{"page_size":7}""");
        Assert.Equal(7, small.Results.Count);
    }

    [Fact]
    public async Task A_single_query_stops_at_10000_rows_with_request_status_incomplete()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Health History", """{"Day":{"title":{}},"N":{"number":{}}}""");
        fake.State.InsertPages(db.DataSourceId, 25_000, i => new Dictionary<string, object?> { ["Day"] = $"d{i}", ["N"] = i }, i => T0.AddMinutes(i));
        Assert.Equal(25_000, fake.State.CountPages(db.DataSourceId));
        using var api = new FakeApi(fake);
        fake.Requests.Reset();

        var rows = 0;
        string? cursor = null;
        FakeAnswer last;
        do
        {
            var body = cursor is null ? """{"sorts":[{"timestamp":"created_time","direction":"ascending"}]}""" : $$"""{"start_cursor":"{{cursor}}"}""";
            last = await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", body);
            rows += last.Results.Count;
            cursor = last.Object["next_cursor"]?.GetValue<string>();
            if (cursor is not null) Assert.False(last.Object.ContainsKey("request_status"));
        } while (cursor is not null);

        Assert.Equal(10_000, rows);
        Assert.Equal(100, fake.Requests.Count("POST /v1/data_sources/{id}/query"));
        Assert.False(last.Object["has_more"]!.GetValue<bool>());
        Assert.Null(last.Object["next_cursor"]);
        Assert.Equal("incomplete", last.Object["request_status"]!["type"]!.GetValue<string>());
        Assert.Equal("query_result_limit_reached", last.Object["request_status"]!["incomplete_reason"]!.GetValue<string>());
        Assert.Equal(9_999, last.Results[^1]!["properties"]!["N"]!["number"]!.GetValue<double>());

        // The next window (a new query, filtered by created_time) goes on where the first stopped.
        var next = await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query",
            $$$"""{"filter":{"timestamp":"created_time","created_time":{"on_or_after":"{{{T0.AddMinutes(10_000).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}}}"}},"sorts":[{"timestamp":"created_time","direction":"ascending"}]}""");
        Assert.Equal(10_000, next.Results[0]!["properties"]!["N"]!["number"]!.GetValue<double>());
        Assert.True(next.Object["has_more"]!.GetValue<bool>());

        // A query matching fewer rows than the cap is complete: no request_status.
        var few = await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", """{"filter":{"property":"N","number":{"less_than":50}}}""");
        Assert.Equal(50, few.Results.Count);
        Assert.False(few.Object.ContainsKey("request_status"));
    }
}
