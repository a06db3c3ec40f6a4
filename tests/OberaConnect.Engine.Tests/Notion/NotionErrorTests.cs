using System.Net.Sockets;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Support;
using static OberaConnect.Engine.Tests.Notion.NotionResponder;

namespace OberaConnect.Engine.Tests.Notion;

public class NotionErrorTests
{
    private const string PageId = "393abc1e-edcd-8169-85ce-c64d3d3f20fd";

    private static JsonObject Me() => new() { ["object"] = "user", ["id"] = "7775f3a3-893f-43fa-b625-460c61094c78", ["type"] = "bot", ["name"] = "OberaConnect", ["bot"] = new JsonObject { ["workspace_name"] = "Obera" } };

    [Fact]
    public async Task Requests_carry_bearer_token_version_and_json_content_type()
    {
        var responder = new NotionResponder().On("GET", "/v1/users/me", _ => Reply.Ok(Me()))
            .On("PATCH", "/v1/pages/.*", _ => Reply.Ok(NotionShapes.Page(PageId, DateTimeOffset.UtcNow, "x")));
        using var client = TestClients.Create(responder, tweak: o => o.NotionVersion = "2025-09-03");

        var me = await client.GetMeAsync();
        await client.UpdatePageAsync(PageId, new Dictionary<string, PropertyValue> { ["Health"] = PropertyValue.Number(1) });

        Assert.Equal("OberaConnect", me.Name);
        Assert.Equal("Obera", me.WorkspaceName);
        Assert.All(responder.Calls, c =>
        {
            Assert.Equal("Bearer " + TestClients.Token, c.Headers["Authorization"]);
            Assert.Equal("2025-09-03", c.Headers["Notion-Version"]);
        });
        Assert.StartsWith("application/json", responder.Calls[1].Headers["Content-Type"]);
        Assert.Equal("{\"properties\":{\"Health\":{\"number\":1}}}", responder.Calls[1].Body);
        Assert.Equal(2, client.Statistics.Requests);
    }

    [Fact]
    public async Task The_default_version_is_2026_03_11()
    {
        var responder = new NotionResponder().On("GET", "/v1/users/me", _ => Reply.Ok(Me()));
        using var client = TestClients.Create(responder);
        await client.GetMeAsync();
        Assert.Equal("2026-03-11", Assert.Single(responder.Calls).Headers["Notion-Version"]);
    }

    [Fact]
    public async Task A_401_fails_fast_with_one_request_and_says_what_to_check()
    {
        var responder = new NotionResponder().On("GET", "/v1/users/me", _ => Reply.Error(401, "unauthorized", "API token is invalid.", "req-401"));
        using var client = TestClients.Create(responder);

        var ex = await Assert.ThrowsAsync<NotionUnauthorizedException>(() => client.GetMeAsync());

        Assert.Single(responder.Calls);
        Assert.Equal(401, ex.Status);
        Assert.Equal("unauthorized", ex.Code);
        Assert.Equal("req-401", ex.RequestId);
        Assert.Equal("NotionUnauthorized", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("API token is invalid.", ex.Message);
        Assert.Contains("internal integration", ex.Message);
        Assert.Contains("NOTION_TOKEN", ex.Message);
        Assert.Contains("Key Vault", ex.Message);
        Assert.IsAssignableFrom<OberaConnectException>(ex);
    }

    [Fact]
    public async Task A_404_says_not_found_or_not_shared_and_how_to_share()
    {
        var responder = new NotionResponder().On("GET", "/v1/pages/.*", _ => Reply.Error(404, "object_not_found",
            "Could not find page with ID: " + PageId + ". Make sure the relevant pages and databases are shared with your integration.", "req-404",
            new JsonObject { ["integration_id"] = "7775f3a3-893f-43fa-b625-460c61094c78" }));
        using var client = TestClients.Create(responder);

        var ex = await Assert.ThrowsAsync<NotionObjectNotFoundException>(() => client.GetPageAsync(PageId));

        Assert.Contains("not found, or not shared with the integration", ex.Message);
        Assert.Contains("Connections", ex.Message);
        Assert.Contains("page " + PageId, ex.Message);
        Assert.Equal(FailureKind.NotFound, ex.Kind);
        Assert.Equal("7775f3a3-893f-43fa-b625-460c61094c78", ex.AdditionalData["integration_id"]);
        Assert.Single(responder.Calls);
    }

    [Theory]
    [InlineData(400, "validation_error", typeof(NotionBadRequestException), "NotionValidationError", FailureKind.InvalidInput)]
    [InlineData(400, "invalid_json", typeof(NotionBadRequestException), "NotionInvalidJson", FailureKind.InvalidInput)]
    [InlineData(400, "invalid_request", typeof(NotionBadRequestException), "NotionInvalidRequest", FailureKind.InvalidInput)]
    [InlineData(400, "invalid_request_url", typeof(NotionBadRequestException), "NotionInvalidRequestUrl", FailureKind.InvalidInput)]
    [InlineData(400, "missing_version", typeof(NotionBadRequestException), "NotionMissingVersion", FailureKind.InvalidInput)]
    [InlineData(403, "restricted_resource", typeof(NotionRestrictedResourceException), "NotionRestrictedResource", FailureKind.PermissionDenied)]
    [InlineData(409, "conflict_error", typeof(NotionConflictException), "NotionConflict", FailureKind.Conflict)]
    public async Task Each_error_family_has_its_type(int status, string code, Type type, string errorId, FailureKind kind)
    {
        var responder = new NotionResponder().On("GET", "/v1/pages/.*", _ => Reply.Error(status, code, "Notion says no.", "req-x"));
        using var client = TestClients.Create(responder);

        var ex = await Assert.ThrowsAnyAsync<NotionApiException>(() => client.GetPageAsync(PageId));

        Assert.IsType(type, ex);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.Code);
        Assert.Equal("Notion says no.", ex.NotionMessage);
        Assert.Contains("req-x", ex.Message);
        Assert.Single(responder.Calls);
    }

    [Fact]
    public async Task Retry_after_on_429_is_honoured_on_the_clock()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().OnSequence("GET", "/v1/pages/.*",
            Reply.Error(429, "rate_limited", "Slow down.").WithHeader("Retry-After", "7"),
            Reply.Ok(NotionShapes.Page(PageId, clock.GetUtcNow(), "Main office")));
        using var client = TestClients.Create(responder, clock);

        // Small clock steps: an attempt in flight under CPU load can only drift the clock a little.
        var page = await clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(100));

        Assert.Equal("Main office", page.Title);
        Assert.Equal(2, responder.Calls.Count);
        var gap = responder.Calls[1].At - responder.Calls[0].At;
        Assert.True(gap >= TimeSpan.FromSeconds(7) && gap < TimeSpan.FromSeconds(9), $"retried after {gap}");
        Assert.Equal(1, client.Statistics.RateLimited);
        Assert.Equal(1, client.Statistics.Retries);
    }

    [Fact]
    public async Task A_429_that_persists_is_retried_within_the_wait_limit_then_surfaces_as_rate_limited_saying_how_long_it_waited()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().On("GET", "/v1/pages/.*",
            _ => Reply.Error(429, "rate_limited", "Workspace limit.", additional: new JsonObject { ["rate_limit_reason"] = "workspace_rate_limit" })
                .WithHeader("Retry-After", "2"));
        // MaxRetries bounds 5xx and timeouts, not 429: those are bounded by the time waited (here 9 s, so four waits of 2 s).
        using var client = TestClients.Create(responder, clock, o => { o.Resilience.MaxRetries = 2; o.Resilience.MaxRateLimitWait = TimeSpan.FromSeconds(9); });

        var ex = await Assert.ThrowsAsync<NotionRateLimitedException>(() => clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(500)));

        Assert.Equal(5, responder.Calls.Count);
        Assert.True(responder.Calls[4].At - responder.Calls[0].At >= TimeSpan.FromSeconds(8), "each retry waited the 2 s Notion asked for");
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Equal("workspace_rate_limit", ex.RateLimitReason);
        Assert.Equal(FailureKind.RateLimited, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("workspace_rate_limit", ex.Message);
        Assert.Contains("already waited 8 s in total", ex.Message);
        Assert.Contains("limit of 9 s (notion.rateLimitWaitSeconds)", ex.Message);
    }

    [Fact]
    public async Task A_429_is_retried_beyond_max_retries_while_the_wait_limit_allows_and_a_5xx_still_counts_against_max_retries()
    {
        var clock = new ManualTimeProvider();
        var replies = Enumerable.Range(0, 8).Select(_ => Reply.Error(429, "rate_limited", "Slow down.").WithHeader("Retry-After", "1"))
            .Append(Reply.Ok(NotionShapes.Page(PageId, clock.GetUtcNow(), "Main office"))).ToArray();
        var responder = new NotionResponder().OnSequence("GET", "/v1/pages/.*", replies);
        using var client = TestClients.Create(responder, clock, o => o.Resilience.MaxRetries = 2);

        var page = await clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(250));

        Assert.Equal("Main office", page.Title);
        Assert.Equal(9, responder.Calls.Count);
        Assert.Equal(8, client.Statistics.RateLimited);

        var failing = new NotionResponder().On("GET", "/v1/pages/.*", _ => Reply.Error(503, "service_unavailable", "Down."));
        using var other = TestClients.Create(failing, clock, o => { o.Resilience.MaxRetries = 2; o.Resilience.BreakerFailureThreshold = 10; });
        await Assert.ThrowsAsync<NotionServiceException>(() => clock.RunAsync(other.GetPageAsync(PageId), TimeSpan.FromMilliseconds(250)));
        Assert.Equal(3, failing.Calls.Count);
    }

    [Fact]
    public async Task A_5xx_on_a_read_is_retried_then_surfaced_as_a_service_error()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().On("GET", "/v1/pages/.*", _ => Reply.Error(503, "service_unavailable", "Notion is unavailable.", "req-503"));
        using var client = TestClients.Create(responder, clock, o => { o.Resilience.MaxRetries = 2; o.Resilience.BreakerFailureThreshold = 10; });

        var ex = await Assert.ThrowsAsync<NotionServiceException>(() => clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(250)));

        Assert.Equal(3, responder.Calls.Count);
        Assert.Equal(503, ex.Status);
        Assert.Equal("service_unavailable", ex.Code);
        Assert.Equal(FailureKind.ServiceUnavailable, ex.Kind);
        Assert.Contains("status.notion.so", ex.Message);
        Assert.Equal(2, client.Statistics.Retries);
    }

    [Fact]
    public async Task A_5xx_then_success_is_invisible_to_the_caller()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().OnSequence("GET", "/v1/pages/.*",
            Reply.Error(500, "internal_server_error", "Oops."), Reply.Ok(NotionShapes.Page(PageId, clock.GetUtcNow(), "ok")));
        using var client = TestClients.Create(responder, clock);
        var page = await clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(250));
        Assert.Equal("ok", page.Title);
        Assert.Equal(2, responder.Calls.Count);
    }

    [Fact]
    public async Task A_proxys_html_502_gives_a_clear_error()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().On("GET", "/v1/pages/.*", _ => new Reply
        {
            Status = 502, ContentType = "text/html",
            Body = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        });
        using var client = TestClients.Create(responder, clock, o => { o.Resilience.MaxRetries = 1; o.Resilience.BreakerFailureThreshold = 10; });

        var ex = await Assert.ThrowsAsync<NotionServiceException>(() => clock.RunAsync(client.GetPageAsync(PageId), TimeSpan.FromMilliseconds(250)));

        Assert.Equal(502, ex.Status);
        Assert.Null(ex.Code);
        Assert.Contains("502 Bad Gateway", ex.Message);
        Assert.Contains("proxy", ex.Message);
        Assert.DoesNotContain("<html>", ex.Message);
    }

    [Fact]
    public async Task A_non_json_success_body_is_an_unexpected_response()
    {
        var responder = new NotionResponder().On("GET", "/v1/pages/.*", _ => new Reply { Body = "<html>login</html>", ContentType = "text/html" });
        using var client = TestClients.Create(responder);
        var ex = await Assert.ThrowsAsync<NotionUnexpectedResponseException>(() => client.GetPageAsync(PageId));
        Assert.Contains("BaseUrl", ex.Message);
    }

    [Fact]
    public async Task An_unreachable_service_is_reported_as_unavailable()
    {
        var clock = new ManualTimeProvider();
        var responder = new NotionResponder().On("GET", "/v1/users/me",
            _ => Reply.Fail(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        using var client = TestClients.Create(responder, clock, o => { o.Resilience.MaxRetries = 1; o.Resilience.BreakerFailureThreshold = 10; });
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => clock.RunAsync(client.GetMeAsync(), TimeSpan.FromMilliseconds(250)));
        Assert.Equal(2, responder.Calls.Count);
        Assert.Contains("Notion", ex.Message);
    }

    [Fact]
    public async Task The_token_appears_in_no_trace_line_and_no_exception_message()
    {
        var trace = Path.Combine(Path.GetTempPath(), "oberaconnect-notion-trace-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            // A misbehaving server that echoes the token back in a body and in an error message.
            var responder = new NotionResponder()
                .On("GET", "/v1/users/me", c => Reply.Ok(new JsonObject { ["object"] = "user", ["id"] = "u1", ["name"] = "echo " + c.Headers["Authorization"] }))
                .On("GET", "/v1/pages/.*", c => Reply.Error(400, "validation_error", "Bad header: " + c.Headers["Authorization"]));
            var redactor = new SecretRedactor();
            using var client = TestClients.Create(responder, tweak: o => o.TraceFile = trace, redactor: redactor);

            await client.GetMeAsync();
            var ex = await Assert.ThrowsAsync<NotionBadRequestException>(() => client.GetPageAsync(PageId));

            var lines = File.ReadAllLines(trace);
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.DoesNotContain(TestClients.Token, l));
            Assert.All(lines, l => Assert.DoesNotContain("Authorization", l));
            Assert.Contains(SecretRedactor.Mask, lines[0]);
            Assert.DoesNotContain(TestClients.Token, ex.Message);
            Assert.DoesNotContain(TestClients.Token, ex.NotionMessage);
            Assert.DoesNotContain(TestClients.Token, redactor.Redact("x " + TestClients.Token));
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [Fact]
    public async Task The_trace_masks_secrets_only_and_keeps_a_search_filter_value()
    {
        var trace = Path.Combine(Path.GetTempPath(), "oberaconnect-notion-trace-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var responder = new NotionResponder().On("POST", "/v1/search", _ => Reply.Ok(NotionShapes.List(Array.Empty<JsonNode>())));
            using var client = TestClients.Create(responder, tweak: o => o.TraceFile = trace);

            await foreach (var _ in client.SearchAsync("Customer", NotionSearchKind.DataSources)) { }

            var line = Assert.Single(File.ReadAllLines(trace));
            var sent = JsonNode.Parse(JsonNode.Parse(line)!["requestBody"]!.GetValue<string>())!;
            Assert.Equal("data_source", sent["filter"]!["value"]!.GetValue<string>());
            Assert.DoesNotContain(SecretRedactor.Mask, line);
            Assert.DoesNotContain(TestClients.Token, line);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [Fact]
    public void Error_mapping_accepts_any_body()
    {
        var html = NotionApiException.FromResponse(502, "<html>Bad Gateway</html>", null, "page x");
        Assert.IsType<NotionServiceException>(html);
        var empty = NotionApiException.FromResponse(503, "", null, "page x");
        Assert.IsType<NotionServiceException>(empty);
        var overload = NotionApiException.FromResponse(529, "{\"object\":\"error\",\"status\":529,\"code\":\"service_overload\",\"message\":\"Busy\"}", null, "page x");
        Assert.Equal("service_overload", overload.Code);
        var tooBig = NotionApiException.FromResponse(413, "", null, "page x");
        Assert.Equal("NotionPayloadTooLarge", tooBig.ErrorId);
        var teapot = NotionApiException.FromResponse(418, "{}", null, "page x");
        Assert.Equal("NotionApiError", teapot.ErrorId);
    }

    [Fact]
    public void Bad_settings_are_configuration_errors()
    {
        var responder = new NotionResponder();
        Assert.Equal(FailureKind.Configuration, Assert.Throws<OberaConnectException>(() => new NotionClient("", null, responder)).Kind);
        Assert.Equal(FailureKind.Configuration, Assert.Throws<OberaConnectException>(() => new NotionClient("tok en", null, responder)).Kind);
        Assert.Equal(FailureKind.Configuration, Assert.Throws<OberaConnectException>(() => new NotionClient("token-123456", new NotionClientOptions { BaseUrl = "notion" }, responder)).Kind);
        Assert.Equal(FailureKind.Configuration, Assert.Throws<OberaConnectException>(() => new NotionClient("token-123456", new NotionClientOptions { NotionVersion = "2022-06-28" }, responder)).Kind);
    }
}
