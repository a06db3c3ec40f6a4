using System.Text.Json.Nodes;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>Headers, routes, ids and the differences between the two Notion versions.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Missing_version_header_is_400_missing_version()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake, version: null);
        var answer = await api.GetAsync("v1/users/me");
        Assert.Equal(400, answer.Status);
        Assert.Equal("missing_version", answer.Code);
        Assert.Equal("error", answer.Object["object"]!.GetValue<string>());
        Assert.Equal(400, answer.Object["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(answer.Object["request_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Version_the_fake_does_not_speak_is_rejected()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake, version: "2022-06-28");
        var answer = await api.GetAsync("v1/users/me");
        Assert.Equal(400, answer.Status);
        Assert.Contains("2022-06-28", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ntn_wrong")]
    [InlineData(null)]
    public async Task Wrong_or_missing_token_is_401_unauthorized(string? token)
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake, token: token ?? "");
        using var noAuth = new HttpClient { BaseAddress = fake.BaseUrl };
        noAuth.DefaultRequestHeaders.Add("Notion-Version", "2026-03-11");
        var answer = token is null ? await SendRaw(noAuth) : await api.GetAsync("v1/users/me");
        Assert.Equal(401, answer.Status);
        Assert.Equal("unauthorized", answer.Code);
        Assert.Equal("API token is invalid.", answer.Message);

        static async Task<FakeAnswer> SendRaw(HttpClient http)
        {
            using var response = await http.GetAsync("v1/users/me");
            var text = await response.Content.ReadAsStringAsync();
            return new FakeAnswer((int)response.StatusCode, JsonNode.Parse(text), text, response.Headers, "application/json");
        }
    }

    [Fact]
    public async Task Bot_user_is_who_the_token_belongs_to()
    {
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { IntegrationName = "Sync Bot" });
        using var api = new FakeApi(fake);
        var me = await api.GetAsync("v1/users/me");
        Assert.Equal(200, me.Status);
        Assert.Equal(fake.BotUserId, me.Object["id"]!.GetValue<string>());
        Assert.Equal("bot", me.Object["type"]!.GetValue<string>());
        Assert.Equal("Sync Bot", me.Object["name"]!.GetValue<string>());
        var byId = await api.GetAsync($"v1/users/{fake.BotUserId}");
        Assert.Equal("Sync Bot", byId.Object["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "v1/nothing-here")]
    [InlineData("PUT", "v1/pages/3e7a1c8e-0d8b-4a54-9f6f-0b8e3f0a1b2c")]
    [InlineData("POST", "v1/databases/3e7a1c8e-0d8b-4a54-9f6f-0b8e3f0a1b2c/query")]
    public async Task Unknown_route_is_400_invalid_request_url(string method, string path)
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.SendAsync(new HttpMethod(method), path, "{}");
        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request_url", answer.Code);
        Assert.Equal(1, fake.Requests.Count($"{method} (unknown route)"));
    }

    [Fact]
    public async Task Body_that_is_not_json_is_400_invalid_json()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.PostAsync("v1/search", "{\"query\": ");
        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_json", answer.Code);
        Assert.Equal("Error parsing JSON body.", answer.Message);
    }

    [Fact]
    public async Task Malformed_id_in_the_path_fails_path_validation()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.GetAsync("v1/pages/not-an-id");
        Assert.Equal(400, answer.Status);
        Assert.Equal("validation_error", answer.Code);
        Assert.Contains("path.page_id should be a valid uuid", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_and_unshared_objects_both_answer_404_object_not_found_with_the_same_message()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var missingId = Guid.NewGuid().ToString("D");
        var missing = await api.GetAsync($"v1/pages/{missingId}");
        var unshared = await api.GetAsync($"v1/pages/{fake.UnsharedPageId}");
        Assert.Equal(404, missing.Status);
        Assert.Equal(404, unshared.Status);
        Assert.Equal("object_not_found", missing.Code);
        Assert.Equal("object_not_found", unshared.Code);
        Assert.Equal(missing.Message!.Replace(missingId, "ID", StringComparison.Ordinal), unshared.Message!.Replace(fake.UnsharedPageId, "ID", StringComparison.Ordinal));
        Assert.StartsWith($"Could not find page with ID: {missingId}.", missing.Message, StringComparison.Ordinal);
        Assert.Equal(fake.BotUserId, missing.Object["additional_data"]!["integration_id"]!.GetValue<string>());

        // Children of the unshared page are not reachable either.
        var childOfUnshared = await api.PostAsync("v1/pages", $$$"""{"parent":{"page_id":"{{{fake.UnsharedPageId}}}"},"properties":{"title":[{"text":{"content":"x"}}]}}""");
        Assert.Equal(404, childOfUnshared.Status);
        Assert.Equal(404, (await api.GetAsync($"v1/blocks/{fake.UnsharedPageId}/children")).Status);
        Assert.Equal(404, (await api.GetAsync($"v1/databases/{missingId}")).Status);
        Assert.Equal(404, (await api.GetAsync($"v1/data_sources/{missingId}")).Status);
        Assert.Equal(404, (await api.GetAsync($"v1/blocks/{missingId}")).Status);
    }

    [Fact]
    public async Task Undashed_ids_are_accepted()
    {
        await using var fake = await NotionFake.StartAsync();
        using var api = new FakeApi(fake);
        var answer = await api.GetAsync($"v1/pages/{fake.RootPageId.Replace("-", "", StringComparison.Ordinal)}");
        Assert.Equal(200, answer.Status);
        Assert.Equal(fake.RootPageId, answer.Object["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_2025_answers_archived_next_to_in_trash_and_2026_only_in_trash()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "Versioned");
        using var v2025 = new FakeApi(fake, "2025-09-03");
        using var v2026 = new FakeApi(fake, "2026-03-11");

        var old = await v2025.GetAsync($"v1/pages/{pageId}");
        Assert.False(old.Object["archived"]!.GetValue<bool>());
        Assert.False(old.Object["in_trash"]!.GetValue<bool>());
        var current = await v2026.GetAsync($"v1/pages/{pageId}");
        Assert.False(current.Object.ContainsKey("archived"));
        Assert.False(current.Object["in_trash"]!.GetValue<bool>());

        // 2025-09-03 still takes "archived" as the alias of in_trash; 2026-03-11 rejects it.
        var archivedOld = await v2025.PatchAsync($"v1/pages/{pageId}", """{"archived":true}""");
        Assert.True(archivedOld.Object["in_trash"]!.GetValue<bool>());
        Assert.True(archivedOld.Object["archived"]!.GetValue<bool>());
        var archivedNew = await v2026.PatchAsync($"v1/pages/{pageId}", """{"archived":false}""");
        Assert.Equal(400, archivedNew.Status);
        Assert.Contains("body.archived should be not present", archivedNew.Message, StringComparison.Ordinal);
        var restored = await v2026.PatchAsync($"v1/pages/{pageId}", """{"in_trash":false}""");
        Assert.Equal(200, restored.Status);
        Assert.False(restored.Object["in_trash"]!.GetValue<bool>());

        var block = await v2026.GetAsync($"v1/blocks/{pageId}");
        Assert.False(block.Object.ContainsKey("archived"));
        var ds = fake.State.CreateDatabase(fake.RootPageId, "X", """{"Name":{"title":{}}}""");
        Assert.False((await v2026.GetAsync($"v1/data_sources/{ds.DataSourceId}")).Object.ContainsKey("archived"));
        Assert.True((await v2025.GetAsync($"v1/data_sources/{ds.DataSourceId}")).Object.ContainsKey("archived"));
        Assert.False((await v2026.GetAsync($"v1/databases/{ds.DatabaseId}")).Object.ContainsKey("archived"));
    }

    [Fact]
    public async Task Append_takes_after_on_2025_and_position_on_2026()
    {
        await using var fake = await NotionFake.StartAsync();
        var pageId = fake.State.CreatePage(fake.RootPageId, "Blocks");
        using var v2025 = new FakeApi(fake, "2025-09-03");
        using var v2026 = new FakeApi(fake, "2026-03-11");
        static string Para(string text) => $$$"""{"paragraph":{"rich_text":[{"text":{"content":"{{{text}}}"}}]}}""";

        var first = await v2026.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Para("A")}},{{Para("C")}}]}""");
        Assert.Equal(200, first.Status);
        var a = first.Results[0]!["id"]!.GetValue<string>();

        var afterOld = await v2025.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Para("B")}}],"after":"{{a}}"}""");
        Assert.Equal(200, afterOld.Status);
        var start = await v2026.PatchAsync($"v1/blocks/{pageId}/children", $$$"""{"children":[{{{Para("0")}}}],"position":{"type":"start"}}""");
        Assert.Equal(200, start.Status);
        var afterBlock = await v2026.PatchAsync($"v1/blocks/{pageId}/children",
            $$$$"""{"children":[{{{{Para("A2")}}}}],"position":{"type":"after_block","after_block":{"id":"{{{{a}}}}"}}}""");
        Assert.Equal(200, afterBlock.Status);
        var end = await v2026.PatchAsync($"v1/blocks/{pageId}/children", $$$"""{"children":[{{{Para("D")}}}],"position":{"type":"end"}}""");
        Assert.Equal(200, end.Status);

        var texts = fake.State.GetChildren(pageId).Select(b => b["paragraph"]!["rich_text"]![0]!["plain_text"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "0", "A", "A2", "B", "C", "D" }, texts);

        var afterOnNew = await v2026.PatchAsync($"v1/blocks/{pageId}/children", $$"""{"children":[{{Para("x")}}],"after":"{{a}}"}""");
        Assert.Equal(400, afterOnNew.Status);
        Assert.Contains("body.after should be not present", afterOnNew.Message, StringComparison.Ordinal);
        var positionOnOld = await v2025.PatchAsync($"v1/blocks/{pageId}/children", $$$"""{"children":[{{{Para("x")}}}],"position":{"type":"start"}}""");
        Assert.Equal(400, positionOnOld.Status);
        Assert.Contains("body.position should be not present", positionOnOld.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base_url_ends_with_a_slash_and_binds_to_loopback()
    {
        await using var fake = await NotionFake.StartAsync();
        Assert.EndsWith("/", fake.BaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", fake.BaseUrl.Host);
        Assert.Equal(new Uri($"http://127.0.0.1:{fake.BaseUrl.Port}/v1/pages"), new Uri(fake.BaseUrl, "v1/pages"));
    }
}
