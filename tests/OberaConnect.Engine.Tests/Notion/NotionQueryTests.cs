using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using static OberaConnect.Engine.Tests.Notion.NotionResponder;

namespace OberaConnect.Engine.Tests.Notion;

public class NotionQueryTests
{
    private const string Ds = NotionShapes.DataSourceId;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A data source that behaves like Notion's query endpoint in the ways windowing depends on: sorts by
    /// created_time ascending (ties by id), honours a created_time on_or_after filter (alone or inside "and"),
    /// pages by cursor, and stops at <paramref name="cap"/> rows per query with request_status incomplete.
    /// </summary>
    private static NotionResponder CappedDataSource(IReadOnlyList<(string Id, DateTimeOffset Created)> rows, int cap = 10_000)
    {
        var sorted = rows.OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        // Minimal page objects, built once as text: keeps a 30,000-row test fast.
        var json = sorted.Select(r => "{\"object\":\"page\",\"id\":\"" + r.Id + "\",\"created_time\":\"" + r.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'")
                                      + "\",\"in_trash\":false,\"properties\":{}}").ToList();
        var responder = new NotionResponder().KnowsDataSource(Ds);
        responder.On("POST", $"/v1/data_sources/{Ds}/query", call =>
        {
            var body = call.Json;
            var sorts = body["sorts"]?.ToJsonString();
            Assert.Equal("[{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}]", sorts);
            var from = FindOnOrAfter(body["filter"]);
            var pageSize = (int)body["page_size"]!;
            var offset = body["start_cursor"] is { } c ? int.Parse(((string)c!).Substring(2)) : 0;
            var first = from is null ? 0 : sorted.FindIndex(r => r.Created >= from);
            if (first < 0) first = sorted.Count;
            var matching = sorted.Count - first;
            var reachable = Math.Min(matching, cap);
            var take = Math.Max(0, Math.Min(pageSize, reachable - offset));
            var end = offset + take;
            var more = end < reachable;
            var capped = !more && matching > cap;
            var envelope = NotionShapes.List(Array.Empty<JsonNode>(), more ? "c:" + end : null, capped).ToJsonString();
            var results = string.Join(",", json.GetRange(first + offset, take));
            return Reply.Ok(envelope.Replace("\"results\":[]", "\"results\":[" + results + "]"));
        });
        return responder;
    }

    private static DateTimeOffset? FindOnOrAfter(JsonNode? filter)
    {
        if (filter is null) return null;
        if (filter["timestamp"]?.ToString() == "created_time") return DateTimeOffset.Parse((string)filter["created_time"]!["on_or_after"]!);
        if (filter["and"] is JsonArray and) return and.Select(FindOnOrAfter).FirstOrDefault(f => f != null);
        return null;
    }

    private static List<(string, DateTimeOffset)> Rows(int count, int perMinute)
        => Enumerable.Range(0, count).Select(i => (Guid.NewGuid().ToString(), T0.AddMinutes(i / perMinute))).ToList();

    [Fact]
    public async Task Pages_are_streamed_100_at_a_time_following_cursors()
    {
        var rows = Rows(250, 3);
        var responder = CappedDataSource(rows);
        using var client = TestClients.Create(responder);

        var seen = new List<NotionPage>();
        await foreach (var page in client.QueryAsync(Ds)) seen.Add(page);

        Assert.Equal(250, seen.Count);
        Assert.Equal(rows.Select(r => r.Item1).OrderBy(x => x), seen.Select(p => p.Id).OrderBy(x => x));
        Assert.Equal(3, responder.Work.Count);
        Assert.All(responder.Work, c => Assert.Equal(100, (int)c.Json["page_size"]!));
        Assert.Null(responder.Work[0].Json["start_cursor"]);
        Assert.Equal("c:100", (string)responder.Work[1].Json["start_cursor"]!);
        Assert.Equal("c:200", (string)responder.Work[2].Json["start_cursor"]!);
        Assert.Equal(3 + 2, client.Statistics.Requests); // two requests, once, find out the id is a data source
    }

    [Fact]
    public async Task The_stream_is_lazy_and_does_not_read_ahead()
    {
        var responder = CappedDataSource(Rows(250, 3));
        using var client = TestClients.Create(responder);
        var taken = 0;
        await foreach (var _ in client.QueryAsync(Ds))
            if (++taken == 150) break;
        Assert.Equal(2, responder.Work.Count);
    }

    [Fact]
    public async Task Windowing_reads_30000_rows_past_the_10000_cap_without_duplicates()
    {
        // 7 rows per minute, so every window boundary falls inside a minute shared by both windows.
        var rows = Rows(30_000, 7);
        var responder = CappedDataSource(rows);
        using var client = TestClients.Create(responder);

        var ids = new List<string>();
        var last = DateTimeOffset.MinValue;
        await foreach (var page in client.QueryAsync(Ds))
        {
            Assert.True(page.CreatedTime >= last, "rows come oldest first");
            last = page.CreatedTime;
            ids.Add(page.Id);
        }

        Assert.Equal(30_000, ids.Count);
        Assert.Equal(30_000, ids.Distinct().Count());
        var windows = responder.Work.Count(c => c.Json["start_cursor"] is null);
        Assert.True(windows >= 4, $"expected at least 4 windows, saw {windows}");
        Assert.All(responder.Work.Skip(1).Where(c => c.Json["start_cursor"] is null),
            c => Assert.Contains("on_or_after", c.Json["filter"]!.ToJsonString()));
    }

    [Fact]
    public async Task Windowing_keeps_the_callers_filter()
    {
        var rows = Rows(250, 1);
        var responder = CappedDataSource(rows, cap: 100);
        using var client = TestClients.Create(responder);
        var query = NotionQuery.Where(NotionFilter.And(NotionFilter.Checkbox("Online").EqualTo(true), NotionFilter.Number("Health").GreaterThan(1)));

        var count = 0;
        await foreach (var _ in client.QueryAsync(Ds, query)) count++;

        Assert.Equal(250, count);
        var later = responder.Work.Last().Json["filter"]!;
        // The window condition joins the caller's "and" instead of nesting a new level.
        Assert.Equal(3, later["and"]!.AsArray().Count);
        Assert.Contains("Online", later.ToJsonString());
    }

    [Fact]
    public async Task A_window_that_cannot_make_progress_fails_clearly()
    {
        var rows = Rows(150, 1000); // all in one minute, cap 100
        var responder = CappedDataSource(rows, cap: 100);
        using var client = TestClients.Create(responder);

        var ex = await Assert.ThrowsAsync<NotionQueryCapException>(async () => { await foreach (var _ in client.QueryAsync(Ds)) { } });

        Assert.Contains("single created_time minute", ex.Message);
        Assert.Contains("Narrow the filter", ex.Message);
        Assert.Single(responder.Work);
    }

    [Fact]
    public async Task A_query_with_its_own_sorts_that_reaches_the_cap_fails_instead_of_misordering()
    {
        var responder = new NotionResponder().KnowsDataSource(Ds).On("POST", $"/v1/data_sources/{Ds}/query",
            _ => Reply.Ok(NotionShapes.List(new[] { NotionShapes.Page(NotionShapes.NewId(), T0, "a") }, capped: true)));
        using var client = TestClients.Create(responder);
        var query = new NotionQuery().OrderBy(NotionSort.ByProperty("Name"));

        var ex = await Assert.ThrowsAsync<NotionQueryCapException>(async () => { await foreach (var _ in client.QueryAsync(Ds, query)) { } });
        Assert.Contains("remove the sorts", ex.Message);
        Assert.Equal("[{\"property\":\"Name\",\"direction\":\"ascending\"}]", responder.Work[0].Json["sorts"]!.ToJsonString());
    }

    [Fact]
    public async Task An_incomplete_answer_for_another_reason_is_not_taken_as_complete()
    {
        var list = NotionShapes.List(new[] { NotionShapes.Page(NotionShapes.NewId(), T0, "a") });
        list["request_status"] = new JsonObject { ["type"] = "incomplete", ["incomplete_reason"] = "something_new" };
        var responder = new NotionResponder().KnowsDataSource(Ds).On("POST", $"/v1/data_sources/{Ds}/query", _ => Reply.Ok(list));
        using var client = TestClients.Create(responder);
        var ex = await Assert.ThrowsAsync<NotionQueryCapException>(async () => { await foreach (var _ in client.QueryAsync(Ds)) { } });
        Assert.Contains("something_new", ex.Message);
    }

    [Fact]
    public async Task A_database_id_resolves_to_its_data_source_once()
    {
        var responder = CappedDataSource(Rows(5, 1));
        responder.On("GET", $"/v1/databases/{NotionShapes.DatabaseId}", _ => Reply.Ok(NotionShapes.Database(NotionShapes.DatabaseId, "Customer Status", (Ds, "Customer Status"))));
        using var client = TestClients.Create(responder);

        var link = "https://www.notion.so/obera/Customer-Status-" + NotionShapes.DatabaseId.Replace("-", "") + "?v=abc";
        var first = 0;
        await foreach (var _ in client.QueryAsync(link)) first++;
        var second = 0;
        await foreach (var _ in client.QueryAsync(NotionShapes.DatabaseId)) second++;

        Assert.Equal(5, first);
        Assert.Equal(5, second);
        Assert.Equal(1, responder.Count("GET", "/v1/databases/.*"));
        Assert.Equal(Ds, await client.ResolveDataSourceIdAsync(NotionShapes.DatabaseId));
    }

    [Fact]
    public async Task A_data_source_id_is_accepted_where_a_database_id_is()
    {
        var responder = new NotionResponder()
            .On("GET", "/v1/databases/.*", _ => Reply.Error(404, "object_not_found", "Could not find database."))
            .On("GET", $"/v1/data_sources/{Ds}", _ => Reply.Ok(new JsonObject
            {
                ["object"] = "data_source", ["id"] = Ds,
                ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = NotionShapes.DatabaseId },
                ["properties"] = new JsonObject
                {
                    ["Name"] = new JsonObject { ["id"] = "title", ["name"] = "Name", ["type"] = "title", ["title"] = new JsonObject() },
                    ["Severity"] = new JsonObject { ["id"] = "sev", ["name"] = "Severity", ["type"] = "select", ["select"] = new JsonObject
                    {
                        ["options"] = new JsonArray(new JsonObject { ["id"] = "1", ["name"] = "Critical", ["color"] = "red" }),
                    } },
                    ["Site"] = new JsonObject { ["id"] = "rel", ["name"] = "Site", ["type"] = "relation", ["relation"] = new JsonObject
                    {
                        ["data_source_id"] = NotionShapes.DataSourceId, ["database_id"] = NotionShapes.DatabaseId, ["type"] = "dual_property",
                        ["dual_property"] = new JsonObject { ["synced_property_name"] = "Alerts", ["synced_property_id"] = "xyz" },
                    } },
                },
            }));
        using var client = TestClients.Create(responder);

        var ds = await client.GetDataSourceAsync(Ds);

        Assert.Equal(Ds, ds.Id);
        Assert.Equal(NotionShapes.DatabaseId, ds.DatabaseId);
        Assert.Equal("Name", ds.TitlePropertyName);
        Assert.Equal("red", Assert.Single(ds.Properties["Severity"].Options).Color);
        var relation = ds.Properties["Site"].Relation!;
        Assert.True(relation.IsDual);
        Assert.Equal("Alerts", relation.SyncedPropertyName);
        Assert.Equal(Ds, relation.DataSourceId);
    }

    [Fact]
    public async Task A_database_with_several_data_sources_is_not_guessed()
    {
        var responder = new NotionResponder().On("GET", "/v1/databases/.*", _ => Reply.Ok(NotionShapes.Database(NotionShapes.DatabaseId, "Alerts",
            ("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "Alerts 2025"), ("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "Alerts 2026"))));
        using var client = TestClients.Create(responder);
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => client.ResolveDataSourceIdAsync(NotionShapes.DatabaseId));
        Assert.Equal("NotionMultipleDataSources", ex.ErrorId);
        Assert.Contains("Alerts 2026", ex.Message);
        Assert.Contains("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", ex.Message);
    }

    [Fact]
    public async Task Search_streams_pages_and_data_sources_with_the_object_filter()
    {
        var responder = new NotionResponder().OnSequence("POST", "/v1/search",
            Reply.Ok(NotionShapes.List(new[] { NotionShapes.Page(NotionShapes.NewId(), T0, "Runbook A") }, "cur-2")),
            Reply.Ok(NotionShapes.List(new JsonNode[] { new JsonObject { ["object"] = "data_source", ["id"] = Ds, ["title"] = new JsonArray() } })));
        using var client = TestClients.Create(responder);

        var found = new List<NotionObject>();
        await foreach (var o in client.SearchAsync("Runbook", NotionSearchKind.Pages)) found.Add(o);

        Assert.IsType<NotionPage>(found[0]);
        Assert.IsType<NotionDataSource>(found[1]);
        Assert.Equal("{\"property\":\"object\",\"value\":\"page\"}", responder.Work[0].Json["filter"]!.ToJsonString());
        Assert.Equal("Runbook", (string)responder.Work[0].Json["query"]!);
        Assert.Equal("cur-2", (string)responder.Work[1].Json["start_cursor"]!);
    }

    [Fact]
    public async Task Children_are_listed_with_cursors_in_the_query_string()
    {
        var parent = NotionShapes.ParentPageId;
        var responder = new NotionResponder().On("GET", $"/v1/blocks/{parent}/children", c =>
        {
            var cursor = c.QueryValue("start_cursor");
            var first = cursor is null;
            var blocks = Enumerable.Range(first ? 0 : 100, first ? 100 : 20).Select(i => (JsonNode)NotionShapes.Block(NotionShapes.NewId(), "paragraph", "p" + i, T0));
            return Reply.Ok(NotionShapes.List(blocks, first ? "next-1" : null, type: "block"));
        });
        using var client = TestClients.Create(responder);

        var texts = new List<string>();
        await foreach (var b in client.ListChildrenAsync(parent)) texts.Add(b.PlainText);

        Assert.Equal(120, texts.Count);
        Assert.Equal("p119", texts[^1]);
        Assert.Equal("100", responder.Work[0].QueryValue("page_size"));
        Assert.Equal("next-1", responder.Work[1].QueryValue("start_cursor"));
    }
}

public class NotionPropertyItemTests
{
    private const string PageId = "393abc1e-edcd-8169-85ce-c64d3d3f20fd";

    [Fact]
    public async Task A_truncated_relation_is_read_completely_from_the_property_endpoint()
    {
        var related = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).ToList();
        var responder = new NotionResponder().On("GET", $"/v1/pages/{PageId}/properties/.*", c =>
        {
            Assert.Equal($"/v1/pages/{PageId}/properties/%3AxYz", c.Path);
            var first = c.QueryValue("start_cursor") is null;
            var items = (first ? related.Take(25) : related.Skip(25)).Select(id => (JsonNode)new JsonObject
            {
                ["object"] = "property_item", ["id"] = ":xYz", ["type"] = "relation", ["relation"] = new JsonObject { ["id"] = id },
            });
            var list = NotionShapes.List(items, first ? "cursor-2" : null, type: "property_item");
            list["property_item"] = new JsonObject { ["id"] = ":xYz", ["type"] = "relation", ["relation"] = new JsonObject() };
            return NotionResponder.Reply.Ok(list);
        });
        using var client = TestClients.Create(responder);

        var value = Assert.IsType<RelationValue>(await client.GetPropertyAsync(PageId, "%3AxYz"));

        Assert.Equal(related, value.Ids);
        Assert.False(value.HasMore);
        Assert.Equal(2, responder.Calls.Count);
    }

    [Fact]
    public async Task A_simple_property_item_is_read_as_its_value()
    {
        var responder = new NotionResponder().On("GET", $"/v1/pages/{PageId}/properties/.*",
            _ => NotionResponder.Reply.Ok(new JsonObject { ["object"] = "property_item", ["id"] = "abc", ["type"] = "number", ["number"] = 42 }));
        using var client = TestClients.Create(responder);
        Assert.Equal(PropertyValue.Number(42), await client.GetPropertyAsync(PageId, "abc"));
    }
}
