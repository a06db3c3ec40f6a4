using System.Text.Json.Nodes;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>Databases, data source schemas, page values of every type, and page content.</summary>
public sealed class PagesAndSchemaTests
{
    private const string AllTypesSchema = """
        {
          "Name": { "title": {} },
          "Notes": { "rich_text": {} },
          "Score": { "number": { "format": "percent" } },
          "Tier": { "select": { "options": [ { "name": "Gold", "color": "yellow" } ] } },
          "Tags": { "multi_select": { "options": [ { "name": "wan" }, { "name": "lan" } ] } },
          "Stage": { "status": {} },
          "Due": { "date": {} },
          "Done": { "checkbox": {} },
          "Link": { "url": {} },
          "Mail": { "email": {} },
          "Phone": { "phone_number": {} },
          "Owner": { "people": {} },
          "Created": { "created_time": {} },
          "Edited": { "last_edited_time": {} },
          "Key": { "unique_id": { "prefix": "SITE" } },
          "Calc": { "formula": { "expression": "1+1" } }
        }
        """;

    [Fact]
    public async Task Database_is_created_with_one_data_source_and_its_schema()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var created = await api.PostAsync("v1/databases", $$$"""
            {"parent":{"type":"page_id","page_id":"{{{fake.RootPageId}}}"},"title":[{"text":{"content":"Customer Sites"}}],
             "initial_data_source":{"properties":{{{AllTypesSchema}}}}}
            """);
        Assert.Equal(200, created.Status);
        Assert.Equal("database", created.Object["object"]!.GetValue<string>());
        var dataSources = created.Object["data_sources"]!.AsArray();
        Assert.Single(dataSources);
        Assert.Equal("Customer Sites", dataSources[0]!["name"]!.GetValue<string>());

        var dsId = dataSources[0]!["id"]!.GetValue<string>();
        var ds = await api.GetAsync($"v1/data_sources/{dsId}");
        var props = ds.Object["properties"]!.AsObject();
        Assert.Equal(16, props.Count);
        Assert.Equal("title", props["Name"]!["id"]!.GetValue<string>());
        Assert.Equal("percent", props["Score"]!["number"]!["format"]!.GetValue<string>());
        var gold = props["Tier"]!["select"]!["options"]![0]!;
        Assert.Equal("Gold", gold["name"]!.GetValue<string>());
        Assert.Equal("yellow", gold["color"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(gold["id"]!.GetValue<string>()));
        var stage = props["Stage"]!["status"]!;
        Assert.Equal(new[] { "Not started", "In progress", "Done" }, stage["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal(3, stage["groups"]!.AsArray().Count);
        Assert.Equal("SITE", props["Key"]!["unique_id"]!["prefix"]!.GetValue<string>());
        foreach (var (name, prop) in props)
        {
            Assert.Equal(name, prop!["name"]!.GetValue<string>());
            Assert.True(prop["id"]!.GetValue<string>().Length > 0);
        }
        Assert.Equal(ds.Object["parent"]!["database_id"]!.GetValue<string>(), created.Object["id"]!.GetValue<string>());
        Assert.Equal(fake.RootPageId, ds.Object["database_parent"]!["page_id"]!.GetValue<string>());

        var db = await api.GetAsync($"v1/databases/{created.Object["id"]}");
        Assert.Equal(dsId, db.Object["data_sources"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Root_page_children_include_child_database_blocks_with_their_title()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        await api.CreateDatabaseAsync(fake.RootPageId, "Health History", """{"Name":{"title":{}}}""");
        fake.State.CreatePage(fake.RootPageId, "Runbooks");
        var children = await api.GetAsync($"v1/blocks/{fake.RootPageId}/children");
        Assert.Equal("block", children.Object["type"]!.GetValue<string>());
        var db = children.Results.Single(b => b!["type"]!.GetValue<string>() == "child_database");
        Assert.Equal("Health History", db!["child_database"]!["title"]!.GetValue<string>());
        var page = children.Results.Single(b => b!["type"]!.GetValue<string>() == "child_page");
        Assert.Equal("Runbooks", page!["child_page"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Page_values_of_every_type_are_stored_and_answered_as_Notion_shapes_them()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero));
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        var ownerId = fake.State.AddUser("Dana Ops", "dana@example.com");
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", AllTypesSchema);
        using var api = new FakeApi(fake);

        var created = await api.PostAsync("v1/pages", $$$"""
            {"parent":{"type":"data_source_id","data_source_id":"{{{db.DataSourceId}}}"},
             "properties":{
               "Name":{"title":[{"text":{"content":"Acme HQ","link":{"url":"https://acme.example"}},"annotations":{"bold":true}}]},
               "Notes":{"rich_text":[{"text":{"content":"Two "}},{"type":"text","text":{"content":"WANs"}}]},
               "Score":{"number":0.87},
               "Tier":{"select":{"name":"Gold"}},
               "Tags":{"multi_select":[{"name":"wan"},{"name":"new-tag"}]},
               "Stage":{"status":{"name":"In progress"}},
               "Due":{"date":{"start":"2026-03-20","end":null}},
               "Done":{"checkbox":true},
               "Link":{"url":"https://unifi.ui.com"},
               "Mail":{"email":"noc@acme.example"},
               "Phone":{"phone_number":"+1 555 0100"},
               "Owner":{"people":[{"object":"user","id":"{{{ownerId}}}"}]}
             }}
            """);
        Assert.True(created.Status == 200, created.Text);
        var page = created.Object;
        Assert.Equal("2026-03-14T09:26:00.000Z", page["created_time"]!.GetValue<string>());
        Assert.Equal("data_source_id", page["parent"]!["type"]!.GetValue<string>());
        Assert.Equal(db.DataSourceId, page["parent"]!["data_source_id"]!.GetValue<string>());
        Assert.Equal(db.DatabaseId, page["parent"]!["database_id"]!.GetValue<string>());

        var p = page["properties"]!;
        var title = p["Name"]!["title"]![0]!;
        Assert.Equal("Acme HQ", title["plain_text"]!.GetValue<string>());
        Assert.Equal("https://acme.example", title["href"]!.GetValue<string>());
        Assert.True(title["annotations"]!["bold"]!.GetValue<bool>());
        Assert.False(title["annotations"]!["italic"]!.GetValue<bool>());
        Assert.Equal("default", title["annotations"]!["color"]!.GetValue<string>());
        Assert.Equal(2, p["Notes"]!["rich_text"]!.AsArray().Count);
        Assert.Equal(0.87, p["Score"]!["number"]!.GetValue<double>());
        Assert.Equal("Gold", p["Tier"]!["select"]!["name"]!.GetValue<string>());
        Assert.Equal("yellow", p["Tier"]!["select"]!["color"]!.GetValue<string>());
        Assert.Equal(new[] { "wan", "new-tag" }, p["Tags"]!["multi_select"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("In progress", p["Stage"]!["status"]!["name"]!.GetValue<string>());
        Assert.Equal("2026-03-20", p["Due"]!["date"]!["start"]!.GetValue<string>());
        Assert.Null(p["Due"]!["date"]!["end"]);
        Assert.True(p["Done"]!["checkbox"]!.GetValue<bool>());
        Assert.Equal("https://unifi.ui.com", p["Link"]!["url"]!.GetValue<string>());
        Assert.Equal("noc@acme.example", p["Mail"]!["email"]!.GetValue<string>());
        Assert.Equal("+1 555 0100", p["Phone"]!["phone_number"]!.GetValue<string>());
        Assert.Equal("Dana Ops", p["Owner"]!["people"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("2026-03-14T09:26:00.000Z", p["Created"]!["created_time"]!.GetValue<string>());
        Assert.Equal("2026-03-14T09:26:00.000Z", p["Edited"]!["last_edited_time"]!.GetValue<string>());
        Assert.Equal("SITE", p["Key"]!["unique_id"]!["prefix"]!.GetValue<string>());
        Assert.Equal(1, p["Key"]!["unique_id"]!["number"]!.GetValue<int>());
        Assert.Equal("formula", p["Calc"]!["type"]!.GetValue<string>());
        foreach (var (name, value) in p.AsObject()) Assert.Equal(value!["type"]!.GetValue<string>(), value.AsObject().Select(kv => kv.Key).First(k => k is not ("id" or "type" or "has_more")));

        // Notion creates a select option named on write; it is now part of the schema.
        var schema = fake.State.GetDataSource(db.DataSourceId);
        Assert.Contains("new-tag", schema["properties"]!["Tags"]!["multi_select"]!["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));

        // Unique ids count up per data source; created time follows the clock, minute-granular.
        clock.Advance(TimeSpan.FromMinutes(3));
        var second = await api.PostAsync("v1/pages", $$$$"""{"parent":{"data_source_id":"{{{{db.DataSourceId}}}}"},"properties":{"Name":{"title":[{"text":{"content":"Acme Lab"}}]}}}""");
        Assert.Equal(2, second.Object["properties"]!["Key"]!["unique_id"]!["number"]!.GetValue<int>());
        Assert.Equal("2026-03-14T09:29:00.000Z", second.Object["created_time"]!.GetValue<string>());
        Assert.Equal("Not started", second.Object["properties"]!["Stage"]!["status"]!["name"]!.GetValue<string>());
        Assert.Null(second.Object["properties"]!["Score"]!["number"]);
        Assert.Null(second.Object["properties"]!["Tier"]!["select"]);
        Assert.Empty(second.Object["properties"]!["Tags"]!["multi_select"]!.AsArray());
        Assert.False(second.Object["properties"]!["Done"]!["checkbox"]!.GetValue<bool>());

        // An update changes the values given and last_edited_time, nothing else.
        clock.Advance(TimeSpan.FromMinutes(10));
        var id = page["id"]!.GetValue<string>();
        var updated = await api.PatchAsync($"v1/pages/{id}", """{"properties":{"Score":{"number":null},"Tier":{"select":null},"Done":{"checkbox":false}}}""");
        Assert.Equal(200, updated.Status);
        Assert.Null(updated.Object["properties"]!["Score"]!["number"]);
        Assert.Null(updated.Object["properties"]!["Tier"]!["select"]);
        Assert.Equal("Acme HQ", fake.State.GetPropertyText(id, "Name"));
        Assert.Equal("2026-03-14T09:39:00.000Z", updated.Object["last_edited_time"]!.GetValue<string>());
        Assert.Equal("2026-03-14T09:26:00.000Z", updated.Object["created_time"]!.GetValue<string>());

        var fetched = await api.GetAsync($"v1/pages/{id}?filter_properties=title");
        Assert.Single(fetched.Object["properties"]!.AsObject());
    }

    [Fact]
    public async Task Pages_are_created_under_a_database_id_and_under_a_page()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Alerts", """{"Alert":{"title":{}}}""");
        using var api = new FakeApi(fake);
        var byDatabase = await api.PostAsync("v1/pages", $$$$"""{"parent":{"database_id":"{{{{db.DatabaseId}}}}"},"properties":{"Alert":{"title":[{"text":{"content":"WAN down"}}]}}}""");
        Assert.Equal(200, byDatabase.Status);
        Assert.Equal(db.DataSourceId, byDatabase.Object["parent"]!["data_source_id"]!.GetValue<string>());
        Assert.Equal(1, fake.State.CountPages(db.DataSourceId));

        var child = await api.PostAsync("v1/pages", $$$"""
            {"parent":{"page_id":"{{{fake.RootPageId}}}"},"properties":{"title":[{"text":{"content":"Runbook: WAN failover"}}]},
             "children":[{"heading_2":{"rich_text":[{"text":{"content":"Steps"}}]}},{"to_do":{"rich_text":[{"text":{"content":"Check ISP"}}]}}]}
            """);
        Assert.Equal(200, child.Status);
        Assert.Equal("page_id", child.Object["parent"]!["type"]!.GetValue<string>());
        var childId = child.Object["id"]!.GetValue<string>();
        var blocks = await api.GetAsync($"v1/blocks/{childId}/children");
        Assert.Equal(new[] { "heading_2", "to_do" }, blocks.Results.Select(b => b!["type"]!.GetValue<string>()));
        Assert.False(blocks.Results[1]!["to_do"]!["checked"]!.GetValue<bool>());
        Assert.Equal("Runbook: WAN failover", (await api.GetAsync($"v1/blocks/{childId}")).Object["child_page"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trashed_pages_can_be_read_and_restored_but_not_edited()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}},"Score":{"number":{}}}""");
        var id = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Old site" });
        using var api = new FakeApi(fake);
        Assert.True((await api.PatchAsync($"v1/pages/{id}", """{"in_trash":true}""")).Object["in_trash"]!.GetValue<bool>());
        Assert.True(fake.State.IsInTrash(id));
        var read = await api.GetAsync($"v1/pages/{id}");
        Assert.Equal(200, read.Status);
        Assert.True(read.Object["in_trash"]!.GetValue<bool>());
        var edit = await api.PatchAsync($"v1/pages/{id}", """{"properties":{"Score":{"number":1}}}""");
        Assert.Equal(400, edit.Status);
        Assert.Contains("archived", edit.Message, StringComparison.Ordinal);
        Assert.Equal(200, (await api.PatchAsync($"v1/pages/{id}", """{"in_trash":false}""")).Status);
        Assert.False(fake.State.IsInTrash(id));

        Assert.Equal(200, (await api.DeleteAsync($"v1/blocks/{id}")).Status);
        Assert.True(fake.State.IsInTrash(id));
        Assert.Equal(400, (await api.DeleteAsync($"v1/blocks/{id}")).Status);
    }

    [Fact]
    public async Task Data_source_update_adds_properties_and_options_renames_and_removes()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Devices", """{"Name":{"title":{}},"Model":{"select":{"options":[{"name":"UDM"}]}},"Old":{"rich_text":{}}}""");
        var row = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "gw-1", ["Model"] = "UDM" });
        using var api = new FakeApi(fake);
        var answer = await api.PatchAsync($"v1/data_sources/{db.DataSourceId}", """
            {"title":[{"text":{"content":"Network Devices"}}],
             "properties":{
               "Firmware":{"rich_text":{}},
               "Serial":{"unique_id":{"prefix":"DEV"}},
               "Model":{"select":{"options":[{"name":"UDM"},{"name":"USW-24","color":"blue"}]}},
               "Name":{"name":"Device"},
               "Old":null
             }}
            """);
        Assert.True(answer.Status == 200, answer.Text);
        var props = answer.Object["properties"]!.AsObject();
        Assert.True(props.ContainsKey("Firmware"));
        Assert.True(props.ContainsKey("Device"));
        Assert.False(props.ContainsKey("Name"));
        Assert.False(props.ContainsKey("Old"));
        Assert.Equal("title", props["Device"]!["id"]!.GetValue<string>());
        var options = props["Model"]!["select"]!["options"]!.AsArray();
        Assert.Equal(new[] { "UDM", "USW-24" }, options.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("blue", options[1]!["color"]!.GetValue<string>());
        Assert.Equal("Network Devices", answer.Object["title"]![0]!["plain_text"]!.GetValue<string>());

        // The existing row keeps its values under the new names and got a unique id.
        Assert.Equal("gw-1", fake.State.GetPropertyText(row, "Device"));
        Assert.Equal("UDM", fake.State.GetPropertyText(row, "Model"));
        Assert.Equal("DEV-1", fake.State.GetPropertyText(row, "Serial"));

        var bad = await api.PatchAsync($"v1/data_sources/{db.DataSourceId}", """{"properties":{"Extra":{"number":{}},"Nope":{"name":"x"}}}""");
        Assert.Equal(400, bad.Status);
        Assert.Equal("Nope is not a property that exists.", bad.Message);
        Assert.False(fake.State.GetDataSource(db.DataSourceId)["properties"]!.AsObject().ContainsKey("Extra"));
    }

    [Fact]
    public async Task Dual_relation_keeps_both_sides_in_step()
    {
        await using var fake = await NotionFake.StartAsync();
        var sites = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var health = fake.State.CreateDatabase(fake.RootPageId, "Health", $$$$$"""
            {"Day":{"title":{}},"Site":{"relation":{"data_source_id":"{{{{{sites.DataSourceId}}}}}","dual_property":{"synced_property_name":"Snapshots"}}},
             "One way":{"relation":{"data_source_id":"{{{{{sites.DataSourceId}}}}}","single_property":{}}}}
            """);
        var siteId = fake.State.InsertPage(sites.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Acme" });
        using var api = new FakeApi(fake);

        var schema = await api.GetAsync($"v1/data_sources/{health.DataSourceId}");
        var relation = schema.Object["properties"]!["Site"]!["relation"]!;
        Assert.Equal(sites.DataSourceId, relation["data_source_id"]!.GetValue<string>());
        Assert.Equal(sites.DatabaseId, relation["database_id"]!.GetValue<string>());
        Assert.Equal("dual_property", relation["type"]!.GetValue<string>());
        Assert.Equal("Snapshots", relation["dual_property"]!["synced_property_name"]!.GetValue<string>());
        Assert.Equal("single_property", schema.Object["properties"]!["One way"]!["relation"]!["type"]!.GetValue<string>());

        var snap = await api.PostAsync("v1/pages", $$$$"""{"parent":{"data_source_id":"{{{{health.DataSourceId}}}}"},"properties":{"Day":{"title":[{"text":{"content":"2026-03-14"}}]},"Site":{"relation":[{"id":"{{{{siteId}}}}"}]}}}""");
        Assert.Equal(200, snap.Status);
        Assert.Equal(siteId, snap.Object["properties"]!["Site"]!["relation"]![0]!["id"]!.GetValue<string>());
        Assert.False(snap.Object["properties"]!["Site"]!["has_more"]!.GetValue<bool>());
        Assert.Equal(snap.Object["id"]!.GetValue<string>(), fake.State.GetPropertyText(siteId, "Snapshots"));

        await api.PatchAsync($"v1/pages/{snap.Object["id"]}", """{"properties":{"Site":{"relation":[]}}}""");
        Assert.Null(fake.State.GetPropertyText(siteId, "Snapshots"));

        var wrongTarget = await api.PostAsync("v1/pages", $$$$"""{"parent":{"data_source_id":"{{{{health.DataSourceId}}}}"},"properties":{"Site":{"relation":[{"id":"{{{{snap.Object["id"]}}}}"}]}}}""");
        Assert.Equal(400, wrongTarget.Status);
    }

    [Fact]
    public async Task Block_content_is_updated_trashed_and_listed_in_pages()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "Log");
        using var api = new FakeApi(fake);
        var children = string.Join(",", Enumerable.Range(0, 5).Select(i => $$$"""{"paragraph":{"rich_text":[{"text":{"content":"line {{{i}}}"}}]}}"""));
        var appended = await api.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{children}}]}""");
        Assert.Equal(5, appended.Results.Count);

        var page1 = await api.GetAsync($"v1/blocks/{pageId}/children?page_size=2");
        Assert.True(page1.Object["has_more"]!.GetValue<bool>());
        var cursor = page1.Object["next_cursor"]!.GetValue<string>();
        Assert.Equal(appended.Results[2]!["id"]!.GetValue<string>(), cursor);
        var page2 = await api.GetAsync($"v1/blocks/{pageId}/children?page_size=2&start_cursor={cursor}");
        Assert.Equal(new[] { "line 2", "line 3" }, page2.Results.Select(b => b!["paragraph"]!["rich_text"]![0]!["plain_text"]!.GetValue<string>()));

        var second = appended.Results[1]!["id"]!.GetValue<string>();
        var edited = await api.PatchAsync($"v1/blocks/{second}", """{"paragraph":{"rich_text":[{"text":{"content":"edited"},"annotations":{"code":true}}]}}""");
        Assert.Equal("edited", edited.Object["paragraph"]!["rich_text"]![0]!["plain_text"]!.GetValue<string>());
        Assert.True(edited.Object["paragraph"]!["rich_text"]![0]!["annotations"]!["code"]!.GetValue<bool>());
        var wrongType = await api.PatchAsync($"v1/blocks/{second}", """{"heading_1":{"rich_text":[]}}""");
        Assert.Equal(400, wrongType.Status);

        Assert.True((await api.DeleteAsync($"v1/blocks/{second}")).Object["in_trash"]!.GetValue<bool>());
        var all = await api.GetAsync($"v1/blocks/{pageId}/children");
        Assert.Equal(4, all.Results.Count);
        Assert.DoesNotContain(all.Results, b => b!["id"]!.GetValue<string>() == second);
        Assert.True((await api.GetAsync($"v1/blocks/{second}")).Object["in_trash"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Search_finds_pages_and_data_sources_by_title_and_pages_through_results()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Runbook Library", """{"Name":{"title":{}}}""");
        fake.State.InsertPages(db.DataSourceId, 5, i => new Dictionary<string, object?> { ["Name"] = $"Runbook {i}" });
        var trashed = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Runbook gone" });
        fake.State.TrashPage(trashed);
        using var api = new FakeApi(fake);

        var sources = await api.PostAsync("v1/search", """{"query":"runbook","filter":{"property":"object","value":"data_source"}}""");
        Assert.Equal(db.DataSourceId, Assert.Single(sources.Results)!["id"]!.GetValue<string>());
        Assert.Equal("data_source", sources.Results[0]!["object"]!.GetValue<string>());

        var first = await api.PostAsync("v1/search", """{"query":"Runbook","filter":{"property":"object","value":"page"},"page_size":3}""");
        Assert.Equal(3, first.Results.Count);
        Assert.True(first.Object["has_more"]!.GetValue<bool>());
        var rest = await api.PostAsync("v1/search", $$"""{"query":"Runbook","filter":{"property":"object","value":"page"},"start_cursor":"{{first.Object["next_cursor"]}}"}""");
        Assert.Equal(2, rest.Results.Count);
        Assert.False(rest.Object["has_more"]!.GetValue<bool>());
        var seen = first.Results.Concat(rest.Results).Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(5, seen.Distinct().Count());
        Assert.DoesNotContain(trashed, seen);
        Assert.DoesNotContain(fake.UnsharedPageId, (await api.PostAsync("v1/search", "{}")).Results.Select(r => r!["id"]!.GetValue<string>()));

        var databaseFilter = await api.PostAsync("v1/search", """{"filter":{"property":"object","value":"database"}}""");
        Assert.Equal(400, databaseFilter.Status);
    }

    [Fact]
    public async Task Seeding_rejects_what_Notion_would_reject()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "S", """{"Name":{"title":{}},"Stage":{"status":{}}}""");
        var e = Assert.Throws<ArgumentException>(() => fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Nope"] = "x" }));
        Assert.Contains("Nope is not a property that exists.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Stage"] = "Blocked" }));
        Assert.Equal(0, fake.State.CountPages(db.DataSourceId));
    }
}
