using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>The 3 requests/s average with a burst, on the fake's (manual) clock.</summary>
public sealed class RateLimitTests
{
    private static async Task<int> StatusAsync(FakeApi api) => (await api.GetAsync("v1/users/me")).Status;

    [Fact]
    public async Task Past_the_burst_requests_get_429_rate_limited_with_integer_Retry_After_until_the_clock_moves()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock, RateLimitPerSecond = 3, Burst = 5 });
        using var api = new FakeApi(fake);

        for (var i = 0; i < 5; i++) Assert.Equal(200, await StatusAsync(api));
        var limited = await api.GetAsync("v1/users/me");
        Assert.Equal(429, limited.Status);
        Assert.Equal("rate_limited", limited.Code);
        Assert.Equal(429, limited.Object["status"]!.GetValue<int>());
        var retryAfter = Assert.Single(limited.Headers.GetValues("Retry-After"));
        Assert.Equal("1", retryAfter);
        Assert.Equal(1, fake.Requests.RateLimited);
        Assert.Equal(6, fake.Requests.Count("GET /v1/users/me"));

        // A third of a second buys one request at 3/s.
        clock.Advance(TimeSpan.FromMilliseconds(340));
        Assert.Equal(200, await StatusAsync(api));
        Assert.Equal(429, await StatusAsync(api));

        // Waiting long refills the bucket only up to the burst.
        clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++) Assert.Equal(200, await StatusAsync(api));
        Assert.Equal(429, await StatusAsync(api));
    }

    [Fact]
    public async Task The_average_rate_is_what_gets_through_over_time()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock, RateLimitPerSecond = 3, Burst = 1 });
        using var api = new FakeApi(fake);

        var ok = 0;
        for (var i = 0; i < 60; i++)
        {
            if (await StatusAsync(api) == 200) ok++;
            clock.Advance(TimeSpan.FromSeconds(1.0 / 6));
        }
        // 60 requests over 10 s at 6/s: about 3/s get through.
        Assert.InRange(ok, 29, 31);
        Assert.Equal(60 - ok, fake.Requests.RateLimited);
    }

    [Fact]
    public async Task Retry_After_says_how_long_the_bucket_needs()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock, RateLimitPerSecond = 0.25, Burst = 1 });
        using var api = new FakeApi(fake);
        Assert.Equal(200, await StatusAsync(api));
        var limited = await api.GetAsync("v1/users/me");
        Assert.Equal("4", Assert.Single(limited.Headers.GetValues("Retry-After")));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(200, await StatusAsync(api));
    }

    [Fact]
    public async Task No_limit_unless_asked_and_it_can_be_switched_per_test()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        using var api = new FakeApi(fake);
        for (var i = 0; i < 40; i++) Assert.Equal(200, await StatusAsync(api));

        fake.SetRateLimit(3, burst: 2);
        Assert.Equal(200, await StatusAsync(api));
        Assert.Equal(200, await StatusAsync(api));
        Assert.Equal(429, await StatusAsync(api));

        fake.SetRateLimit(null);
        Assert.Equal(200, await StatusAsync(api));
    }

    [Fact]
    public async Task Rejected_calls_before_authentication_do_not_spend_the_budget()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock, RateLimitPerSecond = 3, Burst = 1 });
        using var wrong = new FakeApi(fake, token: "ntn_wrong");
        for (var i = 0; i < 5; i++) Assert.Equal(401, (await wrong.GetAsync("v1/users/me")).Status);
        using var api = new FakeApi(fake);
        Assert.Equal(200, await StatusAsync(api));
    }
}
