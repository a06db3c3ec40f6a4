using System.Text;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.Support;
using static OberaConnect.Engine.Tests.Notion.NotionResponder;

namespace OberaConnect.Engine.Tests.Notion;

public class NotionWriteTests
{
    private const string Ds = NotionShapes.DataSourceId;
    private const string Parent = NotionShapes.ParentPageId;

    /// <summary>A data source holding pages, whose query answers the title filter from the store.</summary>
    private sealed class PageStore
    {
        public List<JsonObject> Pages { get; } = new();
        public int QueriesBeforeVisible { get; set; }
        public int Queries { get; private set; }

        public Reply Create(Call call, ManualTimeProvider clock)
        {
            var body = call.Json;
            var title = (string)body["properties"]!["Name"]!["title"]![0]!["text"]!["content"]!;
            var page = NotionShapes.Page(NotionShapes.NewId(), clock.GetUtcNow(), title);
            lock (Pages) Pages.Add(page);
            return Reply.Ok(page);
        }

        public Reply Query(Call call)
        {
            Queries++;
            var wanted = (string?)call.Json["filter"]?["title"]?["equals"];
            var visible = Queries > QueriesBeforeVisible;
            var hits = visible ? Pages.Where(p => (string)p["properties"]!["Name"]!["title"]![0]!["plain_text"]! == wanted).ToList() : new List<JsonObject>();
            return Reply.Ok(NotionShapes.List(hits));
        }
    }

    private static NewPage Site(string name) => NewPage.InDataSource(Ds).With("Name", PropertyValue.Title(name)).With("Health", PropertyValue.Number(97));

    [Fact]
    public async Task A_lost_create_answer_yields_exactly_one_page_through_the_duplicate_check()
    {
        var clock = new ManualTimeProvider();
        var store = new PageStore { QueriesBeforeVisible = 1 }; // Notion's index lags: the first look finds nothing
        var responder = new NotionResponder().KnowsDataSource(Ds)
            .On("POST", "/v1/pages", c => { store.Create(c, clock); return Reply.Fail(new IOException("connection reset by peer")); })
            .On("POST", $"/v1/data_sources/{Ds}/query", store.Query);
        using var client = TestClients.Create(responder, clock);

        var result = await clock.RunAsync(client.CreatePageAsync(Site("Main office"), DuplicateCheck.ByTitle("Name", "Main office")), TimeSpan.FromMilliseconds(50));

        Assert.Equal(CreateOutcome.Recovered, result.Outcome);
        Assert.True(result.Recovered);
        Assert.Equal(1, result.Sends);
        Assert.Single(store.Pages);
        Assert.Equal((string)store.Pages[0]["id"]!, result.Value.Id);
        Assert.Equal("Main office", result.Value.Title);
        Assert.Equal(1, responder.Count("POST", "/v1/pages"));
        var looks = responder.Calls.Where(c => c.Path.EndsWith("/query")).ToList();
        Assert.Equal(2, looks.Count);
        var gap = looks[1].At - looks[0].At; // a paced re-check on the injected clock
        Assert.True(gap >= TimeSpan.FromSeconds(2) && gap < TimeSpan.FromSeconds(3), $"re-checked after {gap}");
        Assert.Equal("{\"property\":\"Name\",\"title\":{\"equals\":\"Main office\"}}", looks[0].Json["filter"]!.ToJsonString());
    }

    [Fact]
    public async Task A_lost_create_without_a_check_is_a_typed_outcome_unknown_and_is_not_resent()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().KnowsDataSource(Ds).On("POST", "/v1/pages", _ => Reply.Error(502, "bad_gateway", "Bad gateway"));
        using var client = TestClients.Create(responder, clock);

        var ex = await Assert.ThrowsAsync<NotionOutcomeUnknownException>(() => clock.RunAsync(client.CreatePageAsync(Site("Branch 2"))));

        Assert.Single(responder.Work);
        Assert.Equal(FailureKind.OutcomeUnknown, ex.Kind);
        Assert.Equal("NotionOutcomeUnknown", ex.ErrorId);
        Assert.Contains("Branch 2", ex.Operation);
        Assert.Contains("journal", ex.Message);
    }

    [Fact]
    public async Task A_create_certainly_absent_after_the_looks_is_sent_again_once()
    {
        var clock = new ManualTimeProvider();
        var store = new PageStore();
        var posts = 0;
        var responder = new NotionResponder().KnowsDataSource(Ds)
            .On("POST", "/v1/pages", c => ++posts == 1 ? Reply.Error(504, "gateway_timeout", "Timed out") : store.Create(c, clock))
            .On("POST", $"/v1/data_sources/{Ds}/query", store.Query);
        using var client = TestClients.Create(responder, clock);

        var result = await clock.RunAsync(client.CreatePageAsync(Site("Warehouse"), DuplicateCheck.ByTitle("Name", "Warehouse")), TimeSpan.FromMilliseconds(250));

        Assert.Equal(CreateOutcome.CreatedAfterRetry, result.Outcome);
        Assert.Equal(2, result.Sends);
        Assert.Single(store.Pages);
        Assert.Equal(3, store.Queries); // DuplicateCheckAttempts looks before the re-send
    }

    [Fact]
    public async Task Every_send_lost_and_never_found_ends_as_outcome_unknown_after_the_limit()
    {
        var clock = new ManualTimeProvider();
        var store = new PageStore();
        var responder = new NotionResponder().KnowsDataSource(Ds)
            .On("POST", "/v1/pages", _ => Reply.Error(500, "internal_server_error", "Oops"))
            .On("POST", $"/v1/data_sources/{Ds}/query", store.Query);
        using var client = TestClients.Create(responder, clock, o => { o.MaxWriteAttempts = 2; o.DuplicateCheckAttempts = 1; o.Resilience.BreakerFailureThreshold = 10; });

        var ex = await Assert.ThrowsAsync<NotionOutcomeUnknownException>(() => clock.RunAsync(client.CreatePageAsync(Site("X"), DuplicateCheck.ByTitle("Name", "X"))));

        Assert.Equal(2, responder.Count("POST", "/v1/pages"));
        Assert.Contains("2 times", ex.Message);
    }

    [Fact]
    public async Task A_failing_duplicate_check_leaves_the_outcome_unknown()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().KnowsDataSource(Ds)
            .On("POST", "/v1/pages", _ => Reply.Fail(new IOException("reset")))
            .On("POST", $"/v1/data_sources/{Ds}/query", _ => Reply.Error(401, "unauthorized", "API token is invalid."));
        using var client = TestClients.Create(responder, clock);

        var ex = await Assert.ThrowsAsync<NotionOutcomeUnknownException>(() => clock.RunAsync(client.CreatePageAsync(Site("Y"), DuplicateCheck.ByTitle("Name", "Y"))));

        Assert.IsType<NotionUnauthorizedException>(ex.InnerException);
        Assert.Equal(1, responder.Count("POST", "/v1/pages"));
    }

    [Fact]
    public async Task A_lost_database_create_is_recovered_from_the_parents_child_databases()
    {
        var clock = new ManualTimeProvider();
        var dbId = NotionShapes.NewId();
        var created = false;
        var responder = new NotionResponder()
            .On("POST", "/v1/databases", _ => { created = true; return Reply.Fail(new IOException("reset")); })
            .On("GET", $"/v1/blocks/{Parent}/children", _ => Reply.Ok(NotionShapes.List(
                created
                    ? new JsonNode[] { NotionShapes.Block(NotionShapes.NewId(), "child_database", "Customer Status", clock.GetUtcNow().AddDays(-30)),
                                       NotionShapes.Block(dbId, "child_database", "Customer Status", clock.GetUtcNow()) }
                    : Array.Empty<JsonNode>(), type: "block")))
            .On("GET", $"/v1/databases/{dbId}", _ => Reply.Ok(NotionShapes.Database(dbId, "Customer Status", (Ds, "Customer Status"))));
        using var client = TestClients.Create(responder, clock);

        var result = await clock.RunAsync(client.CreateDatabaseAsync(Parent, "Customer Status",
            new Dictionary<string, PropertyDefinition> { ["Site Name"] = PropertyDefinition.Title() }));

        Assert.True(result.Recovered);
        Assert.Equal(dbId, result.Value.Id); // the recent one, not the month-old database of the same name
        Assert.Equal(1, responder.Count("POST", "/v1/databases"));
        Assert.Equal(Ds, await client.ResolveDataSourceIdAsync(dbId));
    }

    [Fact]
    public async Task Create_database_sends_the_parent_title_and_initial_data_source_schema()
    {
        var dbId = NotionShapes.NewId();
        var responder = new NotionResponder().On("POST", "/v1/databases", _ => Reply.Ok(NotionShapes.Database(dbId, "Alerts", (Ds, "Alerts"))));
        using var client = TestClients.Create(responder);
        var schema = new Dictionary<string, PropertyDefinition>
        {
            ["Alert"] = PropertyDefinition.Title(),
            ["Severity"] = PropertyDefinition.Select(new SelectOption("Critical", NotionColor.Red), new SelectOption("Minor", NotionColor.Yellow)),
            ["State"] = PropertyDefinition.Status(new SelectOption("Open", NotionColor.Blue)),
            ["Site"] = PropertyDefinition.Relation(Ds),
            ["Device"] = PropertyDefinition.Relation(Ds, dual: true, syncedPropertyName: "Alerts"),
            ["Score"] = PropertyDefinition.Number("percent"),
            ["Seen"] = PropertyDefinition.Date(),
        };

        var result = await client.CreateDatabaseAsync("https://www.notion.so/obera/Ops-" + Parent.Replace("-", ""), "Alerts", schema);

        Assert.Equal(CreateOutcome.Created, result.Outcome);
        var body = Assert.Single(responder.Calls).Json;
        Assert.Equal("{\"type\":\"page_id\",\"page_id\":\"" + Parent + "\"}", body["parent"]!.ToJsonString());
        Assert.Equal("Alerts", (string)body["title"]![0]!["text"]!["content"]!);
        var props = body["initial_data_source"]!["properties"]!;
        Assert.Equal("{\"type\":\"title\",\"title\":{}}", props["Alert"]!.ToJsonString());
        Assert.Equal("{\"type\":\"select\",\"select\":{\"options\":[{\"name\":\"Critical\",\"color\":\"red\"},{\"name\":\"Minor\",\"color\":\"yellow\"}]}}", props["Severity"]!.ToJsonString());
        Assert.Equal("{\"type\":\"relation\",\"relation\":{\"data_source_id\":\"" + Ds + "\",\"type\":\"single_property\",\"single_property\":{}}}", props["Site"]!.ToJsonString());
        Assert.Equal("{\"type\":\"relation\",\"relation\":{\"data_source_id\":\"" + Ds + "\",\"type\":\"dual_property\",\"dual_property\":{\"synced_property_name\":\"Alerts\"}}}", props["Device"]!.ToJsonString());
        Assert.Equal("percent", (string)props["Score"]!["number"]!["format"]!);
    }

    [Fact]
    public async Task Schema_mistakes_are_refused_before_sending()
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);
        await Assert.ThrowsAsync<NotionInputException>(() => client.CreateDatabaseAsync(Parent, "Two titles",
            new Dictionary<string, PropertyDefinition> { ["A"] = PropertyDefinition.Title(), ["B"] = PropertyDefinition.Title() }));
        var color = await Assert.ThrowsAsync<NotionInputException>(() => client.UpdateDataSourceAsync(Ds,
            new Dictionary<string, PropertyDefinition> { ["Severity"] = PropertyDefinition.Select(new SelectOption("Critical", "crimson")) }));
        Assert.Contains("crimson", color.Message);
        Assert.Contains("Severity", color.Message);
        await Assert.ThrowsAsync<NotionInputException>(() => client.UpdateDataSourceAsync(Ds,
            new Dictionary<string, PropertyDefinition> { ["Tags"] = PropertyDefinition.MultiSelect(new SelectOption("a,b")) }));
        Assert.Empty(responder.Calls);
    }

    [Fact]
    public async Task Update_data_source_adds_renames_and_removes_properties()
    {
        var responder = new NotionResponder()
            .On("GET", $"/v1/databases/{Ds}", _ => Reply.Error(404, "object_not_found", "no"))
            .On("GET", $"/v1/data_sources/{Ds}", _ => Reply.Ok(new JsonObject { ["object"] = "data_source", ["id"] = Ds }))
            .On("PATCH", $"/v1/data_sources/{Ds}", _ => Reply.Ok(new JsonObject { ["object"] = "data_source", ["id"] = Ds }));
        using var client = TestClients.Create(responder);

        await client.UpdateDataSourceAsync(Ds, new Dictionary<string, PropertyDefinition>
        {
            ["Firmware"] = PropertyDefinition.RichText(),
            ["Old"] = PropertyDefinition.Rename("New"),
            ["Obsolete"] = PropertyDefinition.Remove(),
        }, title: "Devices");

        var body = responder.Calls.Last().Json;
        Assert.Equal("{\"Firmware\":{\"type\":\"rich_text\",\"rich_text\":{}},\"Old\":{\"name\":\"New\"},\"Obsolete\":null}", body["properties"]!.ToJsonString());
        Assert.Equal("Devices", (string)body["title"]![0]!["text"]!["content"]!);
    }

    public static IEnumerable<object[]> OverLimit() => new[]
    {
        new object[] { "Notes", PropertyValue.RichText(new string('x', 200_001)), "rich-text objects", "100" },
        new object[] { "Tags", PropertyValue.MultiSelect(Enumerable.Range(0, 101).Select(i => "t" + i)), "multi-select", "100" },
        new object[] { "Sites", PropertyValue.Relation(Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString())), "related pages", "100" },
        new object[] { "Owners", PropertyValue.People(Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString())), "people", "100" },
        new object[] { "Contact", PropertyValue.Email(new string('e', 190) + "@example.com"), "email", "200" },
        new object[] { "Phone", PropertyValue.PhoneNumber(new string('1', 201)), "phone_number", "200" },
        new object[] { "Console", PropertyValue.Url("https://x.example/" + new string('u', 2000)), "url", "2000" },
        new object[] { "Notes", new RichTextValue(new[] { RichTextSegment.Text(new string('z', 2001)) }), "rich-text object", "2000" },
    };

    [Theory]
    [MemberData(nameof(OverLimit))]
    public async Task Each_limit_is_a_clear_error_and_nothing_is_sent(string property, PropertyValue value, string limitWords, string limit)
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);

        var page = NewPage.UnderPage(Parent).With("title", PropertyValue.Title("x")).With(property, value);
        var create = await Assert.ThrowsAsync<NotionLimitException>(() => client.CreatePageAsync(page));
        var update = await Assert.ThrowsAsync<NotionLimitException>(() => client.UpdatePageAsync(Parent, new Dictionary<string, PropertyValue> { [property] = value }));

        foreach (var ex in new[] { create, update })
        {
            Assert.Contains($"property \"{property}\"", ex.Message);
            Assert.Contains(limitWords, ex.Message);
            Assert.Contains(limit, ex.Message);
            Assert.Contains("Nothing was sent", ex.Message);
            Assert.Equal(FailureKind.InvalidInput, ex.Kind);
            Assert.Equal("NotionLimitExceeded", ex.ErrorId);
        }
        Assert.Empty(responder.Calls);
    }

    [Fact]
    public async Task A_request_over_500_KB_is_refused_before_sending()
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);
        var page = NewPage.UnderPage(Parent);
        for (var i = 0; i < 6; i++) page.With("Text " + i, PropertyValue.RichText(new string('x', 100_000)));
        var ex = await Assert.ThrowsAsync<NotionLimitException>(() => client.UpdatePageAsync(Parent, page.Properties));
        Assert.Contains("bytes", ex.Message);
        Assert.Empty(responder.Calls);
    }

    [Fact]
    public async Task Read_only_and_impossible_values_are_refused_before_sending()
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);
        var readOnly = await Assert.ThrowsAsync<NotionInputException>(() => client.UpdatePageAsync(Parent,
            new Dictionary<string, PropertyValue> { ["Score"] = new FormulaValue("number", null, 1, null, null) }));
        Assert.Equal("NotionReadOnlyProperty", readOnly.ErrorId);
        Assert.Contains("Score", readOnly.Message);
        await Assert.ThrowsAsync<NotionInputException>(() => client.UpdatePageAsync(Parent,
            new Dictionary<string, PropertyValue> { ["Health"] = PropertyValue.Number(double.NaN) }));
        Assert.Empty(responder.Calls);
    }

    [Fact]
    public async Task Create_page_sends_typed_values_and_resolves_a_database_parent()
    {
        var responder = new NotionResponder()
            .On("GET", $"/v1/databases/{NotionShapes.DatabaseId}", _ => Reply.Ok(NotionShapes.Database(NotionShapes.DatabaseId, "Sites", (Ds, "Sites"))))
            .On("POST", "/v1/pages", c => Reply.Ok(NotionShapes.Page(NotionShapes.NewId(), DateTimeOffset.UtcNow, "Main office")));
        using var client = TestClients.Create(responder);
        var request = NewPage.InDataSource(NotionShapes.DatabaseId)
            .With("Name", PropertyValue.Title("Main office"))
            .With("Health", PropertyValue.Number(97.5))
            .With("Status", PropertyValue.Status("Healthy"))
            .With("Day", PropertyValue.Date(NotionDate.Day(new DateTime(2025, 10, 1))))
            .With("Online", PropertyValue.Checkbox(true))
            .With("Site", PropertyValue.Relation(Parent));

        var result = await client.CreatePageAsync(request);

        var body = responder.Calls.Last().Json;
        Assert.Equal("{\"type\":\"data_source_id\",\"data_source_id\":\"" + Ds + "\"}", body["parent"]!.ToJsonString());
        Assert.Equal("{\"number\":97.5}", body["properties"]!["Health"]!.ToJsonString());
        Assert.Equal("{\"status\":{\"name\":\"Healthy\"}}", body["properties"]!["Status"]!.ToJsonString());
        Assert.Equal("{\"date\":{\"start\":\"2025-10-01\",\"end\":null,\"time_zone\":null}}", body["properties"]!["Day"]!.ToJsonString());
        Assert.Equal("{\"relation\":[{\"id\":\"" + Parent + "\"}]}", body["properties"]!["Site"]!.ToJsonString());
        Assert.Equal(CreateOutcome.Created, result.Outcome);
        Assert.Equal(Ds, result.Value.ParentDataSourceId);
    }

    [Fact]
    public async Task A_page_with_150_children_is_created_with_100_and_the_rest_appended()
    {
        var pageId = NotionShapes.NewId();
        var responder = new NotionResponder()
            .On("POST", "/v1/pages", _ => Reply.Ok(NotionShapes.Page(pageId, DateTimeOffset.UtcNow, "Runbook")))
            .On("PATCH", $"/v1/blocks/{pageId}/children", c => Reply.Ok(EchoBlocks(c, pageId)));
        using var client = TestClients.Create(responder);
        var request = NewPage.UnderPage(Parent).With("title", PropertyValue.Title("Runbook"))
            .WithChildren(Enumerable.Range(0, 150).Select(i => NewBlock.Paragraph("step " + i)).ToArray());

        await client.CreatePageAsync(request, DuplicateCheck.ByChildPageTitle("Runbook"));

        Assert.Equal(100, responder.Calls[0].Json["children"]!.AsArray().Count);
        Assert.Equal(50, responder.Calls[1].Json["children"]!.AsArray().Count);
        Assert.Equal("step 100", (string)responder.Calls[1].Json["children"]![0]!["paragraph"]!["rich_text"]![0]!["text"]!["content"]!);
    }

    private static JsonObject EchoBlocks(Call call, string parentId, List<JsonObject>? store = null, DateTimeOffset? at = null)
    {
        var results = new List<JsonNode>();
        foreach (var child in call.Json["children"]!.AsArray())
        {
            var type = (string)child!["type"]!;
            var text = child[type]!["rich_text"] is JsonArray rt && rt.Count > 0 ? string.Concat(rt.Select(r => (string)r!["text"]!["content"]!)) : "";
            var block = NotionShapes.Block(NotionShapes.NewId(), type, text, at ?? DateTimeOffset.UtcNow, parentId);
            store?.Add(block);
            results.Add(block);
        }
        return NotionShapes.List(results, type: "block");
    }

    [Fact]
    public async Task Appends_are_split_into_calls_of_at_most_100_blocks_in_order()
    {
        var responder = new NotionResponder().On("PATCH", $"/v1/blocks/{Parent}/children", c => Reply.Ok(EchoBlocks(c, Parent)));
        using var client = TestClients.Create(responder);

        var result = await client.AppendChildrenAsync(Parent, Enumerable.Range(0, 250).Select(i => NewBlock.BulletedListItem("item " + i)));

        Assert.Equal(new[] { 100, 100, 50 }, responder.Calls.Select(c => c.Json["children"]!.AsArray().Count));
        Assert.All(responder.Calls, c => { Assert.Null(c.Json["after"]); Assert.Null(c.Json["position"]); });
        Assert.Equal(250, result.Blocks.Count);
        Assert.Equal("item 249", result.Blocks[^1].PlainText);
        Assert.Equal(3, result.Calls);
    }

    [Fact]
    public async Task Appends_respect_1000_block_elements_per_request()
    {
        var responder = new NotionResponder().On("PATCH", $"/v1/blocks/{Parent}/children", c => Reply.Ok(EchoBlocks(c, Parent)));
        using var client = TestClients.Create(responder);
        var toggles = Enumerable.Range(0, 30).Select(i => NewBlock.Toggle("group " + i, Enumerable.Range(0, 40).Select(j => NewBlock.Paragraph($"{i}.{j}")).ToArray()));

        await client.AppendChildrenAsync(Parent, toggles);

        static int Elements(JsonNode block)
        {
            var type = (string)block["type"]!;
            return 1 + (block[type]!["children"] is JsonArray kids ? kids.Sum(k => Elements(k!)) : 0);
        }
        var perCall = responder.Calls.Select(c => c.Json["children"]!.AsArray().Sum(b => Elements(b!))).ToList();
        Assert.All(perCall, n => Assert.True(n <= 1000, $"{n} elements in one call"));
        Assert.Equal(30 * 41, perCall.Sum());
        Assert.Equal(2, perCall.Count);
    }

    [Fact]
    public async Task Appends_respect_the_request_size()
    {
        var responder = new NotionResponder().On("PATCH", $"/v1/blocks/{Parent}/children", c => Reply.Ok(EchoBlocks(c, Parent)));
        using var client = TestClients.Create(responder);
        var big = Enumerable.Range(0, 5).Select(i => NewBlock.Paragraph(new string((char)('a' + i), 190_000)));

        await client.AppendChildrenAsync(Parent, big);

        Assert.True(responder.Calls.Count >= 3);
        Assert.All(responder.Calls, c => Assert.True(Encoding.UTF8.GetByteCount(c.Body!) <= NotionLimits.RequestBytes));
        Assert.Equal(5, responder.Calls.Sum(c => c.Json["children"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_block_too_big_for_any_request_is_refused_before_sending()
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);
        var huge = NewBlock.Toggle("huge", Enumerable.Range(0, 100).Select(i => NewBlock.Toggle("t" + i, Enumerable.Range(0, 10).Select(j => NewBlock.Paragraph("p")).ToArray())).ToArray());
        var ex = await Assert.ThrowsAsync<NotionLimitException>(() => client.AppendChildrenAsync(Parent, new[] { huge }));
        Assert.Contains("1000", ex.Message);
        var deep = NewBlock.Toggle("1", NewBlock.Toggle("2", NewBlock.Toggle("3", NewBlock.Paragraph("4"))));
        await Assert.ThrowsAsync<NotionLimitException>(() => client.AppendChildrenAsync(Parent, new[] { deep }));
        Assert.Empty(responder.Calls);
    }

    [Fact]
    public async Task A_lost_append_is_found_in_place_and_not_appended_twice()
    {
        var clock = new ManualTimeProvider();
        var children = new List<JsonObject> { NotionShapes.Block(NotionShapes.NewId(), "paragraph", "existing", clock.GetUtcNow().AddDays(-1)) };
        var responder = new NotionResponder()
            .On("PATCH", $"/v1/blocks/{Parent}/children", c => { EchoBlocks(c, Parent, children, clock.GetUtcNow()); return Reply.Fail(new IOException("reset")); })
            .On("GET", $"/v1/blocks/{Parent}/children", _ => Reply.Ok(NotionShapes.List(children, type: "block")));
        using var client = TestClients.Create(responder, clock);

        var result = await clock.RunAsync(client.AppendChildrenAsync(Parent, new[] { NewBlock.Heading2("Daily health"), NewBlock.Paragraph("All 98 sites reachable.") }));

        Assert.Equal(1, responder.Count("PATCH", ".*"));
        Assert.Equal(3, children.Count);
        Assert.Equal(1, result.RecoveredCalls);
        Assert.Equal(new[] { "Daily health", "All 98 sites reachable." }, result.Blocks.Select(b => b.PlainText));
    }

    [Fact]
    public async Task A_lost_append_that_did_not_land_is_sent_again()
    {
        var clock = new ManualTimeProvider();
        var children = new List<JsonObject>();
        var patches = 0;
        var responder = new NotionResponder()
            .On("PATCH", $"/v1/blocks/{Parent}/children", c => ++patches == 1 ? Reply.Error(502, "bad_gateway", "x") : Reply.Ok(EchoBlocks(c, Parent, children, clock.GetUtcNow())))
            .On("GET", $"/v1/blocks/{Parent}/children", _ => Reply.Ok(NotionShapes.List(children, type: "block")));
        using var client = TestClients.Create(responder, clock);

        var result = await clock.RunAsync(client.AppendChildrenAsync(Parent, new[] { NewBlock.Paragraph("once") }));

        Assert.Equal(2, patches);
        Assert.Single(children);
        Assert.Equal(0, result.RecoveredCalls);
        Assert.Equal(2, result.Calls);
    }
}
