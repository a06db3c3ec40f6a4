using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>Notion's size limits and value checks, answered as validation_error (or 413) with Notion's wording.</summary>
public sealed class ValidationTests
{
    private const string Schema = """
        {
          "Name": { "title": {} },
          "Notes": { "rich_text": {} },
          "Score": { "number": {} },
          "Tier": { "select": { "options": [ { "name": "Gold" } ] } },
          "Tags": { "multi_select": {} },
          "Stage": { "status": {} },
          "Link": { "url": {} },
          "Mail": { "email": {} },
          "Phone": { "phone_number": {} },
          "Rel": { "relation": { "data_source_id": "{self}", "single_property": {} } },
          "Owner": { "people": {} },
          "Created": { "created_time": {} }
        }
        """;

    private const string TextItem = """{"text":{"content":"a"}}""";
    private const string IdItem = """{"id":"3e7a1c8e-0d8b-4a54-9f6f-0b8e3f0a1b2c"}""";
    private const string Divider = """{"divider":{}}""";

    private static string Repeat(string item, int count) => string.Join(",", Enumerable.Repeat(item, count));

    private static string Text(int length) => new('x', length);

    private static string Names(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => "{\"name\":\"t" + i + "\"}"));

    public static TheoryData<string, string> PropertyCases() => new()
    {
        { $$$"""{"Name":{"title":[{"text":{"content":"{{{Text(2001)}}}"}}]}}""", "body failed validation: body.properties.Name.title[0].text.content.length should be ≤ `2000`, instead was `2001`." },
        { $$$"""{"Notes":{"rich_text":[{{{Repeat(TextItem, 101)}}}]}}""", "body failed validation: body.properties.Notes.rich_text.length should be ≤ `100`, instead was `101`." },
        { $$$$"""{"Notes":{"rich_text":[{"text":{"content":"a","link":{"url":"https://{{{{Text(1995)}}}}"}}}]}}""", "body.properties.Notes.rich_text[0].text.link.url.length should be ≤ `2000`, instead was `2003`." },
        { $$$"""{"Tags":{"multi_select":[{{{Names(101)}}}]}}""", "body.properties.Tags.multi_select.length should be ≤ `100`, instead was `101`." },
        { $$$"""{"Rel":{"relation":[{{{Repeat(IdItem, 101)}}}]}}""", "body.properties.Rel.relation.length should be ≤ `100`, instead was `101`." },
        { $$$"""{"Owner":{"people":[{{{Repeat(IdItem, 101)}}}]}}""", "body.properties.Owner.people.length should be ≤ `100`, instead was `101`." },
        { $$$"""{"Mail":{"email":"{{{Text(201)}}}"}}""", "body.properties.Mail.email.length should be ≤ `200`, instead was `201`." },
        { $$$"""{"Phone":{"phone_number":"{{{Text(201)}}}"}}""", "body.properties.Phone.phone_number.length should be ≤ `200`, instead was `201`." },
        { $$$"""{"Link":{"url":"https://{{{Text(1993)}}}"}}""", "body.properties.Link.url.length should be ≤ `2000`, instead was `2001`." },
        { """{"Nope":{"rich_text":[]}}""", "Nope is not a property that exists." },
        { """{"Score":{"rich_text":[{"text":{"content":"high"}}]}}""", "Score is expected to be number." },
        { """{"Score":5}""", "Score is expected to be number." },
        { """{"Score":{"number":"high"}}""", "body failed validation: body.properties.Score.number should be a number or `null`, instead was `\"high\"`." },
        { """{"Tier":{"select":"Gold"}}""", "body.properties.Tier.select should be an object or `null`" },
        { """{"Stage":{"status":{"name":"Blocked"}}}""", "Invalid status option. Status option \"Blocked\" does not exist for property \"Stage\"." },
        { """{"Tier":{"select":{"name":"Gold, Silver"}}}""", "Invalid select option, commas not allowed: Gold, Silver" },
        { """{"Created":{"created_time":"2026-01-01T00:00:00Z"}}""", "Created is a created_time property, which is read-only" },
        { """{"Rel":{"relation":[{"id":"not-a-uuid"}]}}""", "body.properties.Rel.relation[0].id should be a valid uuid" },
    };

    [Theory]
    [MemberData(nameof(PropertyCases))]
    public async Task Page_property_that_breaks_a_rule_is_rejected_and_nothing_is_written(string properties, string message)
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "V", """{"Name":{"title":{}}}""");
        fake.State.UpdateSchema(db.DataSourceId, Schema.Replace("{self}", db.DataSourceId, StringComparison.Ordinal));
        using var api = new FakeApi(fake);
        var answer = await api.PostAsync("v1/pages", $$"""{"parent":{"data_source_id":"{{db.DataSourceId}}"},"properties":{{properties}}}""");
        Assert.Equal(400, answer.Status);
        Assert.Equal("validation_error", answer.Code);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
        Assert.Equal(0, fake.State.CountPages(db.DataSourceId));
    }

    [Fact]
    public async Task Unknown_select_option_is_created_by_default_and_rejected_when_strict()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "S", """{"Name":{"title":{}},"Tier":{"select":{"options":[{"name":"Gold"}]}}}""");
        using var api = new FakeApi(fake);
        string Body(string tier) => $$$$$"""{"parent":{"data_source_id":"{{{{{db.DataSourceId}}}}}"},"properties":{"Tier":{"select":{"name":"{{{{{tier}}}}}"}}}}""";

        Assert.Equal(200, (await api.PostAsync("v1/pages", Body("Platinum"))).Status);
        Assert.Equal(2, fake.State.GetDataSource(db.DataSourceId)["properties"]!["Tier"]!["select"]!["options"]!.AsArray().Count);

        fake.StrictSelectOptions = true;
        var strict = await api.PostAsync("v1/pages", Body("Diamond"));
        Assert.Equal(400, strict.Status);
        Assert.Equal("validation_error", strict.Code);
        Assert.Contains("\"Diamond\" does not exist for property \"Tier\"", strict.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.State.GetDataSource(db.DataSourceId)["properties"]!["Tier"]!["select"]!["options"]!.AsArray().Count);
        Assert.Equal(200, (await api.PostAsync("v1/pages", Body("Gold"))).Status);
    }

    [Fact]
    public async Task Strict_select_options_can_be_set_at_start()
    {
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { StrictSelectOptions = true });
        var db = fake.State.CreateDatabase(fake.RootPageId, "S", """{"Name":{"title":{}},"Tags":{"multi_select":{"options":[{"name":"wan"}]}}}""");
        using var api = new FakeApi(fake);
        var answer = await api.PostAsync("v1/pages", $$$$"""{"parent":{"data_source_id":"{{{{db.DataSourceId}}}}"},"properties":{"Tags":{"multi_select":[{"name":"wan"},{"name":"typo"}]}}}""");
        Assert.Equal(400, answer.Status);
        Assert.Equal(0, fake.State.CountPages(db.DataSourceId));
    }

    [Fact]
    public async Task More_than_100_children_in_one_append_is_rejected()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "P");
        using var api = new FakeApi(fake);
        var answer = await api.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Repeat(Divider, 101)}}]}""");
        Assert.Equal(400, answer.Status);
        Assert.Equal("body failed validation: body.children.length should be ≤ `100`, instead was `101`.", answer.Message);
        Assert.Empty(fake.State.GetChildren(pageId));
        Assert.Equal(200, (await api.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Repeat(Divider, 100)}}]}""")).Status);
    }

    [Fact]
    public async Task More_than_1000_blocks_in_one_request_is_rejected()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "P");
        using var api = new FakeApi(fake);
        var toggle = $$$"""{"toggle":{"rich_text":[{"text":{"content":"t"}}],"children":[{{{Repeat(Divider, 10)}}}]}}""";
        var answer = await api.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Repeat(toggle, 91)}}]}""");
        Assert.Equal(400, answer.Status);
        Assert.Contains("1001 block elements", answer.Message, StringComparison.Ordinal);
        Assert.Equal(200, (await api.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Repeat(toggle, 90)}}]}""")).Status);
        Assert.Equal(90, fake.State.GetChildren(pageId).Count);
    }

    [Fact]
    public async Task Children_nested_deeper_than_two_levels_are_rejected()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "P");
        using var api = new FakeApi(fake);
        var answer = await api.PatchAsync($"v1/blocks/{pageId}/children", """
            {"children":[{"toggle":{"rich_text":[],"children":[{"toggle":{"rich_text":[],"children":[{"toggle":{"rich_text":[],"children":[{"divider":{}}]}}]}}]}}]}
            """);
        Assert.Equal(400, answer.Status);
        Assert.Contains("children should be not present", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_text_over_2000_characters_is_rejected()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "P");
        using var api = new FakeApi(fake);
        var answer = await api.PatchAsync($"v1/blocks/{pageId}/children", $$$"""{"children":[{"paragraph":{"rich_text":[{"text":{"content":"{{{Text(2001)}}}"}}]}}]}""");
        Assert.Equal(400, answer.Status);
        Assert.Equal("body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.", answer.Message);
    }

    [Fact]
    public async Task Request_body_over_500_KB_is_413()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.PostAsync("v1/search", $$"""{"query":"{{Text(520_000)}}"}""");
        Assert.Equal(413, answer.Status);
        Assert.Equal("error", answer.Object["object"]!.GetValue<string>());
        Assert.Equal(413, answer.Object["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Page_under_a_database_with_two_data_sources_needs_a_data_source_parent()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Two", """{"Name":{"title":{}}}""");
        using var api = new FakeApi(fake);
        var second = await api.PostAsync("v1/data_sources", $$$$"""{"parent":{"type":"database_id","database_id":"{{{{db.DatabaseId}}}}"},"properties":{"Title":{"title":{}}},"title":[{"text":{"content":"Second"}}]}""");
        Assert.Equal(200, second.Status);
        Assert.Equal(2, (await api.GetAsync($"v1/databases/{db.DatabaseId}")).Object["data_sources"]!.AsArray().Count);
        var answer = await api.PostAsync("v1/pages", $$$"""{"parent":{"database_id":"{{{db.DatabaseId}}}"},"properties":{}}""");
        Assert.Equal(400, answer.Status);
        Assert.Contains("data_source_id", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_schema_goes_in_initial_data_source_not_top_level_properties()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.PostAsync("v1/databases", $$$$$"""{"parent":{"page_id":"{{{{{fake.RootPageId}}}}}"},"title":[],"properties":{"Name":{"title":{}}}}""");
        Assert.Equal(400, answer.Status);
        Assert.Contains("body.properties should be not present", answer.Message, StringComparison.Ordinal);
        var badType = await api.PostAsync("v1/databases", $$$$$$"""{"parent":{"page_id":"{{{{{{fake.RootPageId}}}}}}"},"initial_data_source":{"properties":{"Name":{"title":{}},"X":{"sparkline":{}}}}}""");
        Assert.Equal(400, badType.Status);
        Assert.DoesNotContain(fake.State.GetChildren(fake.RootPageId), b => b["type"]!.GetValue<string>() == "child_database");
    }
}
