using System.Net;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.NinjaOne;

namespace OberaConnect.Engine.Tests.Sources;

public class NinjaOneClientTests
{
    [Fact]
    public async Task Organizations_and_devices_are_paged_with_after()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 10);

        var orgs = await client.GetOrganizationsAsync().ToListAsync();
        Assert.Equal(fake.Data.NinjaOneOrganizations.OrderBy(o => o.Id), orgs);
        var orgRequests = fake.Requests.Where(r => r.Path == "/v2/organizations").ToList();
        Assert.Equal(11, orgRequests.Count); // 98 organizations, 10 a page, and the empty page that ends the list
        Assert.DoesNotContain("after=", orgRequests[0].Query);
        Assert.Contains($"after={orgs[9].Id}", orgRequests[1].Query);
        Assert.Contains($"after={orgs[^1].Id}", orgRequests[^1].Query);

        var devices = await client.GetDevicesAsync().ToListAsync();
        Assert.Equal(323, devices.Count);
        Assert.Equal(fake.Data.NinjaOneDevices.OrderBy(d => d.Id), devices);
        Assert.Equal(34, fake.Requests.Count(r => r.Path == "/v2/devices")); // 32 full pages, a short one and an empty one

        var org = fake.Data.NinjaOneOrganizations[5];
        var orgDevices = await client.GetOrganizationDevicesAsync(org.Id).ToListAsync();
        Assert.Equal(fake.Data.NinjaOneDevices.Where(d => d.OrganizationId == org.Id), orgDevices);
        Assert.Equal(1, client.TokensIssued);
    }

    [Fact]
    public async Task Activities_are_paged_newest_first_with_olderThan_and_backup_jobs_with_a_cursor()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 20);

        var activities = await client.GetActivitiesAsync().ToListAsync();
        Assert.Equal(fake.Data.NinjaOneActivities, activities);
        var activityQueries = fake.Requests.Where(r => r.Path == "/v2/activities").Select(r => r.Query).ToList();
        Assert.Equal(SourceTestKit.PagesOf(fake.Data.NinjaOneActivities.Count, 20) + 1, activityQueries.Count); // and the empty page
        Assert.Contains($"olderThan={activities[19].Id}", activityQueries[1]);

        var jobs = await client.GetBackupJobsAsync().ToListAsync();
        Assert.Equal(fake.Data.NinjaOneBackupJobs, jobs);
        var jobQueries = fake.Requests.Where(r => r.Path == "/v2/backup/jobs").Select(r => r.Query).ToList();
        Assert.Equal(SourceTestKit.PagesOf(fake.Data.NinjaOneBackupJobs.Count, 20) + 1, jobQueries.Count);
        Assert.DoesNotContain("cursor=", jobQueries[0]);
        Assert.All(jobQueries.Skip(1), q => Assert.Contains("cursor=", q));

        var limited = await client.GetActivitiesAsync(new NinjaOneActivityQuery { MaxActivities = 25 }).ToListAsync();
        Assert.Equal(25, limited.Count);
    }

    [Fact]
    public async Task Alerts_get_their_severity_from_the_activity_log()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 50);

        var raw = await client.GetAlertsAsync().ToListAsync();
        Assert.Equal(fake.Data.NinjaOneAlerts.Count, raw.Count);
        Assert.All(raw, a => Assert.Equal(NinjaOneSeverity.Unknown, a.SeverityValue));

        var resolved = await client.ResolveAsync(raw);
        var expected = fake.Data.NinjaOneActivities.Where(a => a.SeriesUid != null).ToDictionary(a => a.SeriesUid!, a => a.Severity);
        Assert.All(resolved, a => Assert.Equal(expected[a.Uid], a.SeverityValue));
        Assert.Equal(fake.Data.NinjaOneAlerts.Select(a => a.CreatedAt), resolved.Select(a => a.CreatedAt));
    }

    [Fact]
    public async Task The_token_is_reused_and_renewed_before_it_expires()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { Time = clock, TokenLifetime = TimeSpan.FromSeconds(600) });
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 500, time: clock); // renewal margin 60 s

        await client.GetOrganizationsAsync().ToListAsync();
        clock.Advance(TimeSpan.FromSeconds(500));
        await client.GetOrganizationsAsync().ToListAsync();
        Assert.Equal(1, fake.TokensIssued);

        clock.Advance(TimeSpan.FromSeconds(45)); // 545 s: inside the margin, the old token would still work until 600 s
        await client.GetOrganizationsAsync().ToListAsync();
        Assert.Equal(2, fake.TokensIssued);
        Assert.Equal(0, fake.UnauthorizedAnswers);
        Assert.Equal(2, client.TokensIssued);
    }

    [Fact]
    public async Task A_401_renews_the_token_once_and_the_call_succeeds()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 500);
        await client.GetOrganizationsAsync().ToListAsync();

        fake.RevokeAllTokens();
        var orgs = await client.GetOrganizationsAsync().ToListAsync();

        Assert.Equal(98, orgs.Count);
        Assert.Equal(2, fake.TokensIssued);
        Assert.Equal(1, fake.UnauthorizedAnswers);
    }

    [Fact]
    public async Task A_second_401_fails_with_advice_and_no_secret_or_token()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        var redactor = new SecretRedactor();
        using var client = SourceTestKit.NinjaOne(fake, redactor: redactor);
        fake.RejectAllTokens = true;

        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetOrganizationsAsync().ToListAsync());

        Assert.Equal("NinjaOneUnauthorized", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.Contains("freshly issued access token", ex.Message);
        Assert.Contains("monitoring", ex.Message);
        Assert.Equal(2, fake.UnauthorizedAnswers); // renewed once, not more
        Assert.Equal(2, fake.TokensIssued);
        Assert.DoesNotContain(fake.ClientSecret, ex.Message);
        Assert.DoesNotContain("n1-", ex.Message);
    }

    [Fact]
    public async Task Refused_client_credentials_say_what_to_check_without_the_secret()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        const string wrong = "definitely-not-the-secret-42";
        using var client = SourceTestKit.NinjaOne(fake, secret: wrong);

        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetOrganizationsAsync().ToListAsync());

        Assert.Equal("NinjaOneAuthenticationFailed", ex.ErrorId);
        Assert.Equal("invalid_client", ex.ResultCode);
        Assert.Contains("client id and client secret", ex.Message);
        Assert.False(ex.IsTransient);
        Assert.DoesNotContain(wrong, ex.Message);
        Assert.DoesNotContain(fake.Requests, r => r.Path.StartsWith("/v2/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_ridden_out()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        using var client = SourceTestKit.NinjaOne(fake, pageSize: 500);
        fake.Faults.FailNext(1, 503); // the token request fails once
        await client.GetOrganizationsAsync().ToListAsync();
        Assert.Equal(new[] { 503, 200, 200, 200 }, fake.Requests.Select(r => r.Status)); // token, then the page and the empty page

        fake.Faults.FailNext(1, 502);
        fake.Faults.RateLimitNext(1, 1);
        var orgs = await client.GetOrganizationsAsync().ToListAsync();

        Assert.Equal(98, orgs.Count);
        Assert.Equal(new[] { 502, 429, 200, 200 }, fake.Requests.Skip(4).Select(r => r.Status));
        Assert.Equal(1, client.Statistics.RateLimited);
        Assert.Equal(1, client.TokensIssued);
    }

    [Fact]
    public async Task Errors_carry_NinjaOne_resultCode_and_message_redacted()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock }
            .Then(HttpStatusCode.OK, "{\"access_token\":\"tok-abcdefghijklmnop\",\"expires_in\":\"3600\",\"token_type\":\"Bearer\"}")
            .Then(HttpStatusCode.Forbidden, "{\"resultCode\":\"FORBIDDEN\",\"errorMessage\":\"Missing scope; token tok-abcdefghijklmnop\"}");
        using var client = new NinjaOneClient("id", "secret-value-123", new NinjaOneClientOptions { Instance = "eu", Pacer = new RequestPacer(1000, 1000, clock) }, stub, clock);

        var ex = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetAlertsAsync().ToListAsync());

        Assert.Equal("NinjaOneForbidden", ex.ErrorId);
        Assert.Equal("FORBIDDEN", ex.ResultCode);
        Assert.Equal(403, ex.StatusCode);
        Assert.Contains("Missing scope", ex.Message);
        Assert.Contains("eu.ninjarmm.com", ex.Message);
        Assert.DoesNotContain("tok-abcdefghijklmnop", ex.Message); // the token was registered with the redactor on arrival
        Assert.StartsWith("https://eu.ninjarmm.com/ws/oauth/token", stub.Requests[0].Uri);
    }

    [Fact]
    public async Task Neither_the_secret_nor_the_token_reaches_the_trace()
    {
        await using var fake = await NinjaOneFake.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"ninja-trace-{Guid.NewGuid():N}.jsonl");
        try
        {
            var redactor = new SecretRedactor();
            using (var client = SourceTestKit.NinjaOne(fake, redactor: redactor, tweak: o => o.Trace = new HttpTraceWriter(path, redactor)))
                await client.GetOrganizationsAsync().ToListAsync();
            var trace = File.ReadAllText(path);
            Assert.Contains("/ws/oauth/token", trace);
            Assert.Contains("/v2/organizations", trace);
            Assert.DoesNotContain(fake.ClientSecret, trace);
            Assert.DoesNotContain("n1-", trace); // issued tokens start with n1-
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("us", "https://app.ninjarmm.com/")]
    [InlineData("app", "https://app.ninjarmm.com/")]
    [InlineData("EU", "https://eu.ninjarmm.com/")]
    [InlineData("oc", "https://oc.ninjarmm.com/")]
    [InlineData("ca", "https://ca.ninjarmm.com/")]
    [InlineData("us2", "https://us2.ninjarmm.com/")]
    [InlineData("fed", "https://fed.ninjarmm.com/")]
    [InlineData("au", "https://oc.ninjarmm.com/")]
    [InlineData("https://eu.ninjarmm.com/some/path", "https://eu.ninjarmm.com/")]
    [InlineData("acme.rmmservice.com", "https://acme.rmmservice.com/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    public void Instances_resolve_to_the_regional_host(string instance, string expected)
    {
        Assert.Equal(new Uri(expected), NinjaOneClientOptions.ResolveInstance(instance));
    }

    [Fact]
    public void Plain_http_to_a_remote_host_and_missing_credentials_are_refused()
    {
        var http = Assert.Throws<OberaConnectException>(() => NinjaOneClientOptions.ResolveInstance("http://eu.ninjarmm.com"));
        Assert.Contains("https", http.Message);
        var missing = Assert.Throws<OberaConnectException>(() => new NinjaOneClient("id", ""));
        Assert.Equal("NinjaOneCredentialsMissing", missing.ErrorId);
    }
}
