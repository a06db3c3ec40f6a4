using System.Net;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

public class UniFiClientTests
{
    [Fact]
    public async Task Sites_are_read_page_by_page_following_nextToken()
    {
        await using var fake = await UniFiFake.StartAsync();
        using var client = SourceTestKit.UniFi(fake, pageSize: 7);

        var sites = await client.GetSitesAsync().ToListAsync();

        Assert.Equal(fake.Data.UniFiSites, sites);
        var requests = fake.Requests.Where(r => r.Path == "/v1/sites").ToList();
        Assert.Equal(14, requests.Count); // 98 sites, 7 a page
        Assert.DoesNotContain("nextToken", requests[0].Query);
        Assert.All(requests.Skip(1), r => Assert.Contains("nextToken=", r.Query));
        Assert.All(requests, r => Assert.Contains("pageSize=7", r.Query));
    }

    [Fact]
    public async Task Devices_are_read_for_the_given_hosts_in_batches_with_host_names()
    {
        await using var fake = await UniFiFake.StartAsync();
        using var client = SourceTestKit.UniFi(fake, pageSize: 4, tweak: o => o.HostIdsPerRequest = 10);
        var hosts = fake.Data.UniFiHosts.Take(25).Select(h => h.Id).ToList();

        var devices = await client.GetDevicesAsync(hosts).ToListAsync();

        var expected = fake.Data.UniFiDevices.Where(d => hosts.Contains(d.HostId!)).ToList();
        Assert.Equal(expected, devices);
        Assert.All(devices, d => Assert.False(string.IsNullOrEmpty(d.HostName)));
        var queries = fake.Requests.Where(r => r.Path == "/v1/devices").Select(r => r.Query).ToList();
        Assert.Equal(3 + 3 + 2, queries.Count); // batches of 10, 10 and 5 hosts, 4 hosts a page
        Assert.All(queries, q => Assert.Contains("hostIds[]=", Uri.UnescapeDataString(q)));

        var all = await client.GetDevicesAsync().ToListAsync();
        Assert.Equal(496, all.Count);
        var hostList = await client.GetHostsAsync().ToListAsync();
        Assert.Equal(fake.Data.UniFiHosts.Select(h => (h.Id, h.Name)), hostList.Select(h => (h.Id, h.Name)));
    }

    [Fact]
    public async Task A_wrong_api_key_is_a_typed_error_with_trace_id_and_advice_but_not_the_key()
    {
        await using var fake = await UniFiFake.StartAsync();
        const string wrongKey = "wrong-key-0123456789abcdef";
        using var client = SourceTestKit.UniFi(fake, apiKey: wrongKey);

        var ex = await Assert.ThrowsAsync<UniFiApiException>(() => client.GetSitesAsync().ToListAsync());

        Assert.Equal("UniFiUnauthorized", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("UNAUTHORIZED", ex.Code);
        Assert.False(string.IsNullOrEmpty(ex.TraceId));
        Assert.Contains(ex.TraceId!, ex.Message);
        Assert.Contains("Check the API key", ex.Message);
        Assert.DoesNotContain(wrongKey, ex.Message);
        Assert.Single(fake.Requests); // a 401 is not retried
    }

    [Theory]
    [InlineData(403, "forbidden", "UniFiForbidden", "owner or super admin")]
    [InlineData(404, "NOT_FOUND", "UniFiNotFound", "base URL")]
    [InlineData(400, "bad_request", "UniFiBadRequest", "page size")]
    public async Task Error_answers_map_to_typed_errors_whatever_the_code_case(int status, string code, string errorId, string advice)
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }.Then((HttpStatusCode)status,
            $"{{\"code\":\"{code}\",\"httpStatusCode\":{status},\"message\":\"nope for key secret_abcdefghijklmnopqrstuvwxyz\",\"traceId\":\"t-123\"}}");
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var ex = await Assert.ThrowsAsync<UniFiApiException>(() => client.GetSitesAsync().ToListAsync());

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(code.ToUpperInvariant(), ex.Code);
        Assert.Equal("t-123", ex.TraceId);
        Assert.Contains(advice, ex.Message);
        Assert.DoesNotContain("secret_abcdefghij", ex.Message); // service text is redacted
    }

    [Fact]
    public async Task A_429_waits_for_Retry_After_on_the_clock_then_continues()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }
            .Then((HttpStatusCode)429, "{\"code\":\"RATE_LIMIT\",\"httpStatusCode\":429,\"message\":\"rate limit exceeded, retry after 5.37s\",\"traceId\":\"x\"}", TimeSpan.FromSeconds(6))
            .Then(HttpStatusCode.OK, "{\"data\":[{\"siteId\":\"a\",\"meta\":{\"desc\":\"A\"}}],\"httpStatusCode\":200}");
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var sites = await clock.RunAsync(client.GetSitesAsync().ToListAsync(), TimeSpan.FromMilliseconds(500));

        Assert.Equal("A", Assert.Single(sites).Name);
        Assert.Equal(2, stub.Requests.Count);
        Assert.True(stub.Requests[1].At - stub.Requests[0].At >= TimeSpan.FromSeconds(6));
        Assert.Equal(1, client.Statistics.RateLimited);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_from_the_fake_are_ridden_out()
    {
        await using var fake = await UniFiFake.StartAsync();
        using var client = SourceTestKit.UniFi(fake, pageSize: 50);
        fake.Faults.RateLimitNext(1, retryAfterSeconds: 1);
        fake.Faults.FailNext(1, 502);

        var sites = await client.GetSitesAsync().ToListAsync();

        Assert.Equal(98, sites.Count);
        Assert.Equal(new[] { 429, 502, 200, 200 }, fake.Requests.Select(r => r.Status));
        Assert.Equal(1, client.Statistics.RateLimited);
        Assert.Equal(2, client.Statistics.Retries);
    }

    [Fact]
    public async Task A_service_that_stays_down_is_a_server_error_after_the_retries()
    {
        await using var fake = await UniFiFake.StartAsync();
        using var client = SourceTestKit.UniFi(fake);
        fake.Faults.Down = true;

        var ex = await Assert.ThrowsAsync<UniFiApiException>(() => client.GetSitesAsync().ToListAsync());

        Assert.Equal("UniFiServerError", ex.ErrorId);
        Assert.True(ex.IsTransient);
        Assert.Equal(3, fake.Requests.Count); // first try and two retries
    }

    [Fact]
    public async Task Parsing_tolerates_missing_and_new_fields_strings_for_numbers_and_odd_macs()
    {
        const string body = """
            {"data":[
              {"siteId":"s1","hostId":"h1","newThing":{"x":1},
               "meta":{"desc":"Acme","name":"default","timezone":"America/Chicago","gatewayMac":"F4-E2-C6-C2-3F-13"},
               "statistics":{"counts":{"totalDevice":"12","offlineDevice":"2","wifiClient":"40.0","wiredClient":7,"criticalNotification":"1","pendingUpdateDevice":null},
                             "ispInfo":{"name":"AT&T"},"percentages":{"wanUptime":"99.5"}}},
              {"siteId":"s2"},
              {"siteId":"s3","meta":{"name":"branch"},"statistics":"unexpected"}
            ],"httpStatusCode":200,"traceId":"t"}
            """;
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }.Then(HttpStatusCode.OK, body);
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var sites = await client.GetSitesAsync().ToListAsync();

        Assert.Equal(3, sites.Count);
        var s1 = sites[0];
        Assert.Equal("Acme", s1.Name);
        Assert.Equal("default", s1.InternalName);
        Assert.Equal("f4:e2:c6:c2:3f:13", s1.GatewayMac);
        Assert.Equal(12, s1.DevicesTotal);
        Assert.Equal(2, s1.DevicesOffline);
        Assert.Equal(10, s1.DevicesOnline);
        Assert.Equal(40, s1.WifiClients);
        Assert.Equal(7, s1.WiredClients);
        Assert.Equal(1, s1.CriticalNotifications);
        Assert.Null(s1.PendingUpdates);
        Assert.Equal(99.5, s1.WanUptimePercent);
        Assert.Equal("AT&T", s1.IspName);
        Assert.Equal("s2", sites[1].Name); // no meta at all: the id stands in
        Assert.Null(sites[1].DevicesTotal);
        Assert.Null(sites[1].DevicesOnline);
        Assert.Equal("branch", sites[2].Name);
    }

    [Fact]
    public async Task Device_fields_are_read_tolerantly()
    {
        const string body = """
            {"data":[{"hostId":"h1","hostName":"Console","devices":[
              {"id":"D1","mac":"AABBCCDDEEFF","name":"AP","model":"U6 Pro","ip":"10.0.0.2","productLine":"network","status":"ONLINE","version":"7.1","firmwareStatus":"updateAvailable","updateAvailable":"7.2"},
              {"id":"D2","mac":"aabb.ccdd.ee00","status":"offline","updateAvailable":true},
              {"id":"D3","status":"online","firmwareStatus":"upToDate","updateAvailable":null}
            ]}]}
            """;
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }.Then(HttpStatusCode.OK, body);
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var devices = await client.GetDevicesAsync(new[] { "h1" }).ToListAsync();

        Assert.Equal("aa:bb:cc:dd:ee:ff", devices[0].Mac);
        Assert.True(devices[0].IsOnline);
        Assert.True(devices[0].IsUpdateAvailable);
        Assert.Equal("7.2", devices[0].UpdateAvailable);
        Assert.Equal("Console", devices[0].HostName);
        Assert.Equal("aa:bb:cc:dd:ee:00", devices[1].Mac);
        Assert.False(devices[1].IsOnline);
        Assert.True(devices[1].IsUpdateAvailable);
        Assert.False(devices[2].IsUpdateAvailable);
        Assert.Contains("hostIds[]=h1", stub.Requests[0].Uri);
    }

    [Fact]
    public async Task A_repeated_nextToken_stops_the_listing_instead_of_looping()
    {
        var clock = new ManualTimeProvider();
        var page = "{\"data\":[{\"siteId\":\"a\"}],\"nextToken\":\"same\"}";
        var stub = new StubHandler { Clock = clock }.Then(HttpStatusCode.OK, page).Then(HttpStatusCode.OK, page).Then(HttpStatusCode.OK, page);
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var ex = await Assert.ThrowsAsync<UniFiApiException>(() => client.GetSitesAsync().ToListAsync());
        Assert.Contains("same nextToken twice", ex.Message);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public void Pacing_defaults_follow_UniFi_limits_and_stay_configurable()
    {
        var v1 = new UniFiClientOptions().EffectiveResilience();
        Assert.Equal(10000.0 / 60.0, v1.RequestsPerSecond, 6);
        var ea = new UniFiClientOptions { ApiVersion = UniFiApiVersion.EarlyAccess }.EffectiveResilience();
        Assert.Equal(100.0 / 60.0, ea.RequestsPerSecond, 6);
        var custom = new UniFiClientOptions { Resilience = new HttpResilienceOptions { RequestsPerSecond = 2 } }.EffectiveResilience();
        Assert.Equal(2, custom.RequestsPerSecond);
    }

    [Fact]
    public async Task Early_access_uses_the_ea_paths_without_paging_parameters()
    {
        await using var fake = await UniFiFake.StartAsync();
        using var client = SourceTestKit.UniFi(fake, pageSize: 7, tweak: o => o.ApiVersion = UniFiApiVersion.EarlyAccess);

        Assert.Equal(fake.Data.UniFiSites, await client.GetSitesAsync().ToListAsync());
        var host = fake.Data.UniFiHosts[0].Id;
        Assert.Equal(fake.Data.UniFiDevices.Where(d => d.HostId == host), await client.GetDevicesAsync(new[] { host }).ToListAsync());

        Assert.Equal(new[] { "/ea/sites", "/ea/devices" }, fake.Requests.Select(r => r.Path)); // one answer each: /ea/ lists are not paged
        Assert.Equal("", fake.Requests[0].Query);
        Assert.Equal("?hostIds[]=" + host, Uri.UnescapeDataString(fake.Requests[1].Query));
    }

    [Fact]
    public async Task An_early_access_answer_with_a_nextToken_is_still_followed()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }
            .Then(HttpStatusCode.OK, "{\"data\":[{\"siteId\":\"a\"}],\"nextToken\":\"t1\"}")
            .Then(HttpStatusCode.OK, "{\"data\":[{\"siteId\":\"b\"}]}");
        using var client = new UniFiClient("k-0123456789", new UniFiClientOptions { ApiVersion = UniFiApiVersion.EarlyAccess, Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        Assert.Equal(new[] { "a", "b" }, (await client.GetSitesAsync().ToListAsync()).Select(s => s.SiteId));
        Assert.EndsWith("/ea/sites", stub.Requests[0].Uri);
        Assert.EndsWith("/ea/sites?nextToken=t1", stub.Requests[1].Uri);
    }

    [Fact]
    public async Task Pages_the_server_caps_below_the_requested_size_lose_nothing_and_cost_no_extra_request()
    {
        await using var fake = await UniFiFake.StartAsync(new UniFiFakeOptions { MaxPageSize = 7 });
        using var client = SourceTestKit.UniFi(fake, pageSize: 500);

        Assert.Equal(fake.Data.UniFiSites, await client.GetSitesAsync().ToListAsync());
        var byHost = fake.Data.UniFiHosts.SelectMany(h => fake.Data.UniFiDevices.Where(d => d.HostId == h.Id)).ToList();
        Assert.Equal(fake.Data.UniFiDevices.Count, byHost.Count);
        Assert.Equal(byHost, await client.GetDevicesAsync().ToListAsync());

        // nextToken says when a list ends, so a short page never stops it and no empty page is needed.
        Assert.Equal(SourceTestKit.PagesOf(fake.Data.UniFiSites.Count, 7), fake.Requests.Count(r => r.Path == "/v1/sites"));
        var hostsWithDevices = fake.Data.UniFiHosts.Count(h => fake.Data.UniFiDevices.Any(d => d.HostId == h.Id));
        Assert.Equal(SourceTestKit.PagesOf(hostsWithDevices, 7), fake.Requests.Count(r => r.Path == "/v1/devices"));
        Assert.All(fake.Requests, r => Assert.Contains("pageSize=500", r.Query));
    }

    [Fact]
    public void Plain_http_to_a_remote_host_and_a_missing_key_are_refused()
    {
        var http = Assert.Throws<OberaConnectException>(() => new UniFiClient("k-0123456789", new UniFiClientOptions { BaseUrl = new Uri("http://api.ui.com/") }));
        Assert.Contains("https", http.Message);
        var missing = Assert.Throws<OberaConnectException>(() => new UniFiClient(" "));
        Assert.Equal("UniFiApiKeyMissing", missing.ErrorId);
    }

    [Fact]
    public async Task The_api_key_never_reaches_the_trace()
    {
        await using var fake = await UniFiFake.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"unifi-trace-{Guid.NewGuid():N}.jsonl");
        try
        {
            var redactor = new SecretRedactor();
            using (var client = SourceTestKit.UniFi(fake, redactor: redactor, tweak: o => o.Trace = new HttpTraceWriter(path, redactor)))
                await client.GetSitesAsync().ToListAsync();
            var trace = File.ReadAllText(path);
            Assert.Contains("/v1/sites", trace);
            Assert.DoesNotContain(fake.ApiKey, trace);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
