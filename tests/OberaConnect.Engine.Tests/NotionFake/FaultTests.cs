using System.Text.Json;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>Injected failures: statuses, an HTML 502, delays, dropped connections, and writes whose answer is lost.</summary>
public sealed class FaultTests
{
    private static string NewPageBody(NotionFake fake, string title = "Fault test")
        => $$$"""{"parent":{"page_id":"{{{fake.RootPageId}}}"},"properties":{"title":[{"text":{"content":"{{{title}}}"}}]}}""";

    private static int ChildPages(NotionFake fake) => fake.State.GetChildren(fake.RootPageId).Count(b => b["type"]!.GetValue<string>() == "child_page");

    [Theory]
    [InlineData(429, "rate_limited", "7")]
    [InlineData(409, "conflict_error", null)]
    [InlineData(500, "internal_server_error", null)]
    [InlineData(503, "service_unavailable", null)]
    [InlineData(504, "gateway_timeout", null)]
    [InlineData(529, "service_overload", "1")]
    public async Task Injected_status_is_answered_with_Notion_error_body_and_nothing_is_applied(int status, string code, string? retryAfter)
    {
        await using var fake = await NotionFake.StartAsync();
        var fault = status == 429 ? NotionFault.RateLimited(7) : NotionFault.Status(status, status == 529 ? 1 : null);
        fake.Faults.Add("POST /v1/pages", fault);
        using var api = new FakeApi(fake);
        var pagesBefore = ChildPages(fake);

        var answer = await api.PostAsync("v1/pages", NewPageBody(fake));
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.Equal("error", answer.Object["object"]!.GetValue<string>());
        Assert.Equal(status, answer.Object["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(answer.Message));
        if (retryAfter is null) Assert.False(answer.Headers.Contains("Retry-After"));
        else Assert.Equal(retryAfter, Assert.Single(answer.Headers.GetValues("Retry-After")));
        Assert.Equal(pagesBefore, ChildPages(fake));

        // Fired once: the next request goes through.
        Assert.Equal(200, (await api.PostAsync("v1/pages", NewPageBody(fake))).Status);
        Assert.Equal(pagesBefore + 1, ChildPages(fake));
        Assert.Equal(1, fake.Faults.Fired);
        Assert.Equal(0, fake.Faults.Pending);
    }

    [Fact]
    public async Task Bad_gateway_answers_an_HTML_page_not_JSON()
    {
        await using var fake = await NotionFake.StartAsync();
        fake.Faults.Add("GET /v1/users/me", NotionFault.BadGateway());
        using var api = new FakeApi(fake);
        var answer = await api.GetAsync("v1/users/me");
        Assert.Equal(502, answer.Status);
        Assert.Equal("text/html", answer.ContentType);
        Assert.StartsWith("<html>", answer.Text, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(answer.Text));
    }

    [Fact]
    public async Task Faults_are_scoped_to_their_endpoint_and_count()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Q", """{"Name":{"title":{}}}""");
        fake.Faults.Add("POST /v1/data_sources/{id}/query", NotionFault.ServiceUnavailable(), times: 2);
        using var api = new FakeApi(fake);

        Assert.Equal(200, (await api.GetAsync($"v1/data_sources/{db.DataSourceId}")).Status);
        Assert.Equal(200, (await api.PostAsync("v1/search", "{}")).Status);
        Assert.Equal(2, fake.Faults.Pending);
        Assert.Equal(503, (await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", "{}")).Status);
        Assert.Equal(503, (await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", "{}")).Status);
        Assert.Equal(200, (await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", "{}")).Status);

        fake.Faults.Add("*", NotionFault.InternalServerError());
        Assert.Equal(500, (await api.GetAsync("v1/users/me")).Status);
        Assert.Equal(200, (await api.GetAsync("v1/users/me")).Status);

        fake.Faults.Add("GET /v1/users/me", NotionFault.InternalServerError(), times: 5);
        fake.Faults.Clear();
        Assert.Equal(200, (await api.GetAsync("v1/users/me")).Status);
    }

    [Fact]
    public async Task Delay_holds_the_request_until_the_fake_clock_passes_it()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        fake.Faults.Add("GET /v1/users/me", NotionFault.Delay(TimeSpan.FromMinutes(5)));
        using var api = new FakeApi(fake);

        var pending = api.GetAsync("v1/users/me");
        while (fake.Requests.Total == 0) await Task.Delay(5);
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        var answer = await clock.RunAsync(pending, step: TimeSpan.FromMinutes(1));
        Assert.Equal(200, answer.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Stopping_the_fake_ends_a_request_still_held_by_a_delay()
    {
        var clock = new ManualTimeProvider();
        var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        fake.Faults.Add("GET /v1/users/me", NotionFault.Delay(TimeSpan.FromDays(1)));
        using var api = new FakeApi(fake);
        var pending = api.GetAsync("v1/users/me");
        while (fake.Requests.Total == 0) await Task.Delay(5);
        await fake.DisposeAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }

    [Fact]
    public async Task Delay_longer_than_the_client_timeout_makes_the_client_time_out()
    {
        await using var fake = await NotionFake.StartAsync();
        fake.Faults.Add("POST /v1/search", NotionFault.Delay(TimeSpan.FromHours(1)));
        using var impatient = new FakeApi(fake, timeout: TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.PostAsync("v1/search", "{}"));
        using var api = new FakeApi(fake);
        Assert.Equal(200, (await api.PostAsync("v1/search", "{}")).Status);
    }

    [Fact]
    public async Task Dropped_connection_fails_the_call_and_applies_nothing()
    {
        await using var fake = await NotionFake.StartAsync();
        fake.Faults.Add("POST /v1/pages", NotionFault.DropConnection());
        using var api = new FakeApi(fake);
        var before = ChildPages(fake);
        await Assert.ThrowsAsync<HttpRequestException>(() => api.PostAsync("v1/pages", NewPageBody(fake)));
        Assert.Equal(before, ChildPages(fake));
        Assert.Equal(1, fake.Requests.Count("POST /v1/pages"));
    }

    [Fact]
    public async Task Lost_response_fails_the_call_but_the_write_happened()
    {
        await using var fake = await NotionFake.StartAsync();
        fake.Faults.Add("POST /v1/pages", NotionFault.LoseResponse());
        using var api = new FakeApi(fake);
        var before = ChildPages(fake);
        await Assert.ThrowsAsync<HttpRequestException>(() => api.PostAsync("v1/pages", NewPageBody(fake, "Written anyway")));
        Assert.Equal(before + 1, ChildPages(fake));
        Assert.Contains(fake.State.GetChildren(fake.RootPageId), b => b["child_page"]?["title"]?.GetValue<string>() == "Written anyway");
        var log = Assert.Single(fake.Requests.Log);
        Assert.Equal(0, log.Status);
    }
}
