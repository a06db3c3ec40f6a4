using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>Request counters per endpoint (method + route template) and in total, and the request log.</summary>
public sealed class CounterTests
{
    [Fact]
    public async Task Requests_are_counted_per_route_template_and_in_total_including_failures()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        var db = fake.State.CreateDatabase(fake.RootPageId, "C", """{"Name":{"title":{}}}""");
        using var api = new FakeApi(fake);

        await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", "{}");
        await api.PostAsync($"v1/data_sources/{db.DataSourceId}/query", "{}");
        await api.PostAsync("v1/pages", $$$"""{"parent":{"data_source_id":"{{{db.DataSourceId}}}"},"properties":{}}""");
        await api.GetAsync($"v1/pages/{Guid.NewGuid()}");
        await api.GetAsync("v1/unknown");
        fake.SetRateLimit(3, burst: 1);
        await api.GetAsync("v1/users/me");
        await api.GetAsync("v1/users/me");

        Assert.Equal(2, fake.Requests.Count("POST /v1/data_sources/{id}/query"));
        Assert.Equal(1, fake.Requests.Count("POST /v1/pages"));
        Assert.Equal(1, fake.Requests.Count("GET /v1/pages/{id}"));
        Assert.Equal(1, fake.Requests.Count("GET (unknown route)"));
        Assert.Equal(2, fake.Requests.Count("GET /v1/users/me"));
        Assert.Equal(1, fake.Requests.RateLimited);
        Assert.Equal(0, fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal(7, fake.Requests.Total);
        Assert.Equal(7, fake.Requests.ByEndpoint.Values.Sum());

        var log = fake.Requests.Log;
        Assert.Equal(7, log.Count);
        Assert.Equal("POST /v1/data_sources/{id}/query", log[0].Endpoint);
        Assert.Equal($"/v1/data_sources/{db.DataSourceId}/query", log[0].Path);
        Assert.Equal("2026-03-11", log[0].NotionVersion);
        Assert.Equal("{}", log[0].Body);
        Assert.Equal(200, log[0].Status);
        Assert.Equal(404, log[3].Status);
        Assert.Equal(429, log[^1].Status);
        Assert.Equal(clock.GetUtcNow(), log[0].At);

        fake.Requests.Reset();
        Assert.Equal(0, fake.Requests.Total);
        Assert.Equal(0, fake.Requests.RateLimited);
        Assert.Empty(fake.Requests.ByEndpoint);
        Assert.Empty(fake.Requests.Log);
    }

    [Fact]
    public async Task Seeding_does_not_count_as_requests()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "C", """{"Name":{"title":{}}}""");
        fake.State.InsertPages(db.DataSourceId, 500, i => new Dictionary<string, object?> { ["Name"] = $"r{i}" });
        Assert.Equal(500, fake.State.CountPages(db.DataSourceId));
        Assert.Equal(0, fake.Requests.Total);
    }

    [Fact]
    public async Task Concurrent_writes_are_all_applied_and_counted()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "C", """{"Name":{"title":{}},"Key":{"unique_id":{}}}""");
        using var api = new FakeApi(fake);
        var writes = Enumerable.Range(0, 40).Select(i => api.PostAsync("v1/pages",
            $$$$"""{"parent":{"data_source_id":"{{{{db.DataSourceId}}}}"},"properties":{"Name":{"title":[{"text":{"content":"p{{{{i}}}}"}}]}}}"""));
        var answers = await Task.WhenAll(writes);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(40, fake.State.CountPages(db.DataSourceId));
        Assert.Equal(40, fake.Requests.Count("POST /v1/pages"));
        var numbers = answers.Select(a => a.Object["properties"]!["Key"]!["unique_id"]!["number"]!.GetValue<int>()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 40), numbers);
    }
}
