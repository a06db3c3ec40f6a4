using System.Net;
using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.NinjaOne;

namespace OberaConnect.Engine.Tests.Sources;

/// <summary>
/// What the real NinjaOne enforces and the fake now enforces too: the scopes the API app was granted, the
/// per-endpoint page-size limits, and pages that may come back shorter than asked for.
/// </summary>
public class NinjaOneLimitsTests
{
    [Fact]
    public async Task A_monitoring_only_app_gets_its_token_and_reads_with_the_default_scope()
    {
        await using var fake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { GrantedScopes = new[] { "monitoring" } });
        using var client = SourceTestKit.NinjaOne(fake);

        Assert.Equal(98, (await client.GetOrganizationsAsync().ToListAsync()).Count);
        Assert.Equal(1, fake.TokensIssued);
        // The scope the client used to ask for by default: refused by an app that has monitoring only.
        using var asking = SourceTestKit.NinjaOne(fake, tweak: o => o.Scope = "monitoring management");
        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => asking.GetOrganizationsAsync().ToListAsync());
        Assert.Equal("NinjaOneScopeNotGranted", ex.ErrorId);
    }

    [Fact]
    public async Task An_app_granted_nothing_gets_a_credentials_error_that_says_which_scope_and_where()
    {
        await using var fake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { GrantedScopes = Array.Empty<string>() });
        using var client = SourceTestKit.NinjaOne(fake);

        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetOrganizationsAsync().ToListAsync());

        Assert.Equal("NinjaOneScopeNotGranted", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Equal("invalid_scope", ex.ResultCode);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("scope 'monitoring'", ex.Message);
        Assert.Contains("Administration > Apps > API > Client App IDs", ex.Message);
        Assert.Contains("tick Monitoring under Scopes", ex.Message);
        Assert.Contains("ninjaOne.scope", ex.Message);
        Assert.Contains("Invalid scope monitoring for client", ex.Message); // NinjaOne's own words are passed on
        Assert.DoesNotContain(fake.ClientSecret, ex.Message);
        Assert.DoesNotContain("client secret", ex.Message); // the secret is fine: pointing at it would be the wrong fix
        var token = Assert.Single(fake.Requests); // a refused scope is not retried, and no API call is made
        Assert.Equal("/ws/oauth/token", token.Path);
    }

    [Fact]
    public async Task Unauthorized_client_is_the_same_clear_error()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }
            .Then(HttpStatusCode.BadRequest, "{\"error\":\"unauthorized_client\",\"error_description\":\"Client not allowed for grant type\"}");
        using var client = new NinjaOneClient("id", "secret-value-123", new NinjaOneClientOptions { Instance = "ca", Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetOrganizationsAsync().ToListAsync());

        Assert.Equal("NinjaOneScopeNotGranted", ex.ErrorId);
        Assert.Equal("unauthorized_client", ex.ResultCode);
        Assert.Contains("Client Credentials under Allowed Grant Types", ex.Message);
        Assert.Contains("ca.ninjarmm.com", ex.Message);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(null, "monitoring")]
    [InlineData(" Monitoring ", "monitoring")]
    [InlineData("management,monitoring monitoring", "monitoring management")]
    [InlineData("control management monitoring", "monitoring management control")]
    public void Scopes_are_normalized(string? scope, string expected)
        => Assert.Equal(expected, NinjaOneClientOptions.NormalizeScope(scope ?? NinjaOneClientOptions.DefaultScope, out _));

    [Theory]
    [InlineData("management", "must include 'monitoring'")]
    [InlineData("", "must include 'monitoring'")]
    [InlineData("monitoring offline_access", "'offline_access' is not a NinjaOne scope")]
    public void A_scope_without_monitoring_or_with_unknown_names_is_refused_before_any_request(string scope, string why)
    {
        Assert.Null(NinjaOneClientOptions.NormalizeScope(scope, out var problem));
        Assert.Contains(why, problem);
        var ex = Assert.Throws<OberaConnectException>(() => new NinjaOneClient("id", "secret", new NinjaOneClientOptions { Scope = scope }));
        Assert.Equal("NinjaOneInvalidSetting", ex.ErrorId);
        Assert.Contains(why, ex.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Pages_the_server_caps_below_the_requested_size_lose_no_item_at_one_extra_request_per_list(int cap)
    {
        await using var fake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { MaxPageSize = cap });
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 100);
        var data = fake.Data;

        Assert.Equal(data.NinjaOneOrganizations.OrderBy(o => o.Id), await client.GetOrganizationsAsync().ToListAsync());
        Assert.Equal(data.NinjaOneDevices.OrderBy(d => d.Id), await client.GetDevicesAsync().ToListAsync());
        var org = data.NinjaOneOrganizations.First(o => data.NinjaOneDevices.Count(d => d.OrganizationId == o.Id) > cap);
        var orgDevices = data.NinjaOneDevices.Where(d => d.OrganizationId == org.Id).OrderBy(d => d.Id).ToList();
        Assert.Equal(orgDevices, await client.GetOrganizationDevicesAsync(org.Id).ToListAsync());
        Assert.Equal(data.NinjaOneActivities, await client.GetActivitiesAsync().ToListAsync());
        Assert.Equal(data.NinjaOneBackupJobs, await client.GetBackupJobsAsync().ToListAsync());

        // Every list costs the pages its items fill, plus at most the one empty page that says "no more".
        Assert.Equal(SourceTestKit.PagesOf(data.NinjaOneOrganizations.Count, cap) + 1, Count(fake, "/v2/organizations"));
        Assert.Equal(SourceTestKit.PagesOf(data.NinjaOneDevices.Count, cap) + 1, Count(fake, "/v2/devices"));
        Assert.Equal(SourceTestKit.PagesOf(orgDevices.Count, cap) + 1, Count(fake, $"/v2/organization/{org.Id}/devices"));
        Assert.Equal(SourceTestKit.PagesOf(data.NinjaOneActivities.Count, cap) + 1, Count(fake, "/v2/activities"));
        Assert.Equal(SourceTestKit.PagesOf(data.NinjaOneBackupJobs.Count, cap) + 1, Count(fake, "/v2/backup/jobs"));
        Assert.All(fake.Requests, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task Alert_severities_survive_server_capped_activity_pages()
    {
        await using var fake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { MaxPageSize = 7 });
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 1000);

        var resolved = await client.ResolveAsync(await client.GetAlertsAsync().ToListAsync());

        var expected = fake.Data.NinjaOneActivities.Where(a => a.SeriesUid != null).ToDictionary(a => a.SeriesUid!, a => a.Severity);
        Assert.NotEmpty(resolved);
        Assert.All(resolved, a => Assert.Equal(expected[a.Uid], a.SeverityValue));
        Assert.DoesNotContain(resolved, a => a.SeverityValue == NinjaOneSeverity.Unknown);
    }

    [Theory]
    [InlineData(1, "10", "1")]
    [InlineData(9, "10", "9")]
    [InlineData(1000, "1000", "1000")]
    [InlineData(1001, "1000", "1001")]
    [InlineData(10000, "1000", "10000")]
    public async Task Page_sizes_outside_an_endpoints_limits_are_brought_within_them(int pageSize, string activities, string backupJobs)
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: pageSize);

        Assert.Equal(fake.Data.NinjaOneActivities, await client.GetActivitiesAsync().ToListAsync());
        Assert.Equal(fake.Data.NinjaOneBackupJobs, await client.GetBackupJobsAsync().ToListAsync());

        Assert.All(fake.Requests.Where(r => r.Path == "/v2/activities"), r => Assert.Contains($"pageSize={activities}&", r.Query + "&"));
        Assert.All(fake.Requests.Where(r => r.Path == "/v2/backup/jobs"), r => Assert.Contains($"pageSize={backupJobs}&", r.Query + "&"));
        Assert.All(fake.Requests, r => Assert.Equal(200, r.Status));
    }

    [Theory]
    [InlineData("v2/activities?pageSize=9", "pageSize must be between 10 and 1000")]
    [InlineData("v2/activities?pageSize=1001", "pageSize must be between 10 and 1000")]
    [InlineData("v2/backup/jobs?pageSize=10001", "pageSize must be between 1 and 10000")]
    public async Task The_fake_refuses_page_sizes_outside_the_documented_limits_in_NinjaOnes_error_shape(string pathAndQuery, string message)
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var http = new HttpClient { BaseAddress = fake.BaseUrl };
        using var tokenResponse = await http.PostAsync("ws/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = fake.ClientId, ["client_secret"] = fake.ClientSecret, ["scope"] = "monitoring",
        }));
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(new[] { "resultCode", "errorMessage" }, body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(message, body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_list_whose_cursor_does_not_move_fails_instead_of_looping_or_repeating_items()
    {
        var clock = new ManualTimeProvider();
        const string page = "[{\"id\":1,\"name\":\"A\"},{\"id\":2,\"name\":\"B\"}]";
        var stub = new StubHandler { Clock = clock }
            .Then(HttpStatusCode.OK, "{\"access_token\":\"tok-0123456789abcdef\",\"expires_in\":3600}")
            .Then(HttpStatusCode.OK, page)
            .Then(HttpStatusCode.OK, page); // a server that ignores `after`
        using var client = new NinjaOneClient("id", "secret-value-123", new NinjaOneClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var read = new List<NinjaOneOrganization>();
        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(async () =>
        {
            await foreach (var o in client.GetOrganizationsAsync()) read.Add(o);
        });

        Assert.Equal("NinjaOneUnexpectedResponse", ex.ErrorId);
        Assert.Contains("incomplete", ex.Message);
        Assert.Equal(new long[] { 1, 2 }, read.Select(o => o.Id)); // nothing repeated
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task Backup_jobs_end_where_NinjaOne_sends_no_cursor()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }
            .Then(HttpStatusCode.OK, "{\"access_token\":\"tok-0123456789abcdef\",\"expires_in\":3600}")
            .Then(HttpStatusCode.OK, "{\"results\":[{\"jobId\":\"j1\",\"deviceId\":5,\"jobStatus\":\"COMPLETED\"}]}");
        using var client = new NinjaOneClient("id", "secret-value-123", new NinjaOneClientOptions { Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var jobs = await client.GetBackupJobsAsync().ToListAsync();

        Assert.Equal("j1", Assert.Single(jobs).JobId);
        Assert.Equal(2, stub.Requests.Count); // the token and one page: no cursor means no more
    }

    private static int Count(NinjaOneFake fake, string path) => fake.Requests.Count(r => r.Path == path);
}
