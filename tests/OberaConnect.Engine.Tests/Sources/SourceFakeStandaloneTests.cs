using System.Text.RegularExpressions;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

/// <summary>
/// The standalone runners behind <c>dotnet run --project tests/OberaConnect.Fakes -- --service unifi|ninjaone</c>:
/// what they print is enough to point a configuration and the real clients at them.
/// </summary>
public sealed class SourceFakeStandaloneTests
{
    [Fact]
    public async Task UniFi_prints_its_base_URL_and_key_and_serves_the_Sample_it_describes()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = UniFiStandalone.RunAsync(new[] { "--port", "0", "--api-key", "unifi-standalone-key-31", "--sites", "6", "--day", "2" },
            TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        var baseUrl = new Uri(Value(text, "base URL"));
        Assert.Equal("unifi-standalone-key-31", Value(text, "API key"));
        var sites = int.Parse(Regex.Match(text, @"(\d+) sites,").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"\"baseUrl\": \"{baseUrl}\"", text, StringComparison.Ordinal);
        Assert.Contains("Sample day 2", text, StringComparison.Ordinal);

        using (var client = new UniFiClient("unifi-standalone-key-31", new UniFiClientOptions { BaseUrl = baseUrl, Resilience = SourceTestKit.Quick() }))
        {
            var listed = await client.GetSitesAsync().ToListAsync();
            Assert.Equal(sites, listed.Count);
            Assert.True(listed.Count >= 6);
        }
        using (var refused = new UniFiClient("unifi-wrong-key-99", new UniFiClientOptions { BaseUrl = baseUrl, Resilience = SourceTestKit.Quick() }))
        {
            var error = await Assert.ThrowsAsync<UniFiApiException>(() => refused.GetSitesAsync().ToListAsync());
            Assert.Equal(FailureKind.Authentication, error.Kind);
        }

        stop.Cancel();
        Assert.Equal(0, await run);
        Assert.Matches(@"requests: 2 \(1 answered with an error\)", output.ToString());
    }

    [Fact]
    public async Task NinjaOne_prints_its_base_URL_and_client_credentials_and_moves_the_Sample_to_now()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = NinjaOneStandalone.RunAsync(new[] { "--port", "0", "--client-id", "standalone-id", "--client-secret", "standalone-secret-77", "--sites", "6" },
            TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        var baseUrl = new Uri(Value(text, "base URL"));
        Assert.Equal("standalone-id", Value(text, "client id"));
        Assert.Equal("standalone-secret-77", Value(text, "client secret"));
        var organizations = int.Parse(Regex.Match(text, @"(\d+) organizations").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"\"region\": \"{baseUrl}\"", text, StringComparison.Ordinal);

        using var client = new NinjaOneClient("standalone-id", "standalone-secret-77",
            new NinjaOneClientOptions { Instance = baseUrl.ToString(), Resilience = SourceTestKit.Quick() });
        Assert.Equal(organizations, (await client.GetOrganizationsAsync().ToListAsync()).Count);
        // Dates are moved to this hour so that clients judging backup age by the real clock see fresh backups.
        var latest = (await client.GetBackupJobsAsync().ToListAsync()).Max(j => j.EndedAt ?? j.StartedAt);
        Assert.NotNull(latest);
        Assert.InRange(DateTimeOffset.UtcNow - latest!.Value, TimeSpan.Zero, TimeSpan.FromDays(1));

        stop.Cancel();
        Assert.Equal(0, await run);
        Assert.Contains("tokens issued: 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NinjaOne_standalone_takes_the_granted_scopes_and_a_page_cap()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = NinjaOneStandalone.RunAsync(new[] { "--port", "0", "--sites", "6", "--granted-scopes", "monitoring,management", "--max-page-size", "4" },
            TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        var baseUrl = new Uri(Value(text, "base URL"));
        Assert.Contains("granted scopes   monitoring management", text, StringComparison.Ordinal);
        Assert.Contains("max page size    4", text, StringComparison.Ordinal);
        var organizations = int.Parse(Regex.Match(text, @"(\d+) organizations").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (var client = Client(baseUrl, "monitoring management"))
            Assert.Equal(organizations, (await client.GetOrganizationsAsync().ToListAsync()).Count);
        using (var extra = Client(baseUrl, "monitoring control"))
            Assert.Equal("NinjaOneScopeNotGranted", (await Assert.ThrowsAsync<NinjaOneApiException>(() => extra.GetOrganizationsAsync().ToListAsync())).ErrorId);

        stop.Cancel();
        Assert.Equal(0, await run);
        // 2 token requests (one refused), and the organizations in pages of 4 plus the empty page that ends them.
        var expected = 2 + SourceTestKit.PagesOf(organizations, 4) + 1;
        Assert.Contains($"requests: {expected} (1 answered with an error), tokens issued: 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NinjaOne_standalone_granted_nothing_refuses_every_token_with_invalid_scope()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = NinjaOneStandalone.RunAsync(new[] { "--port", "0", "--sites", "3", "--granted-scopes", "" }, TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        Assert.Contains("granted scopes   (none)", text, StringComparison.Ordinal);

        using (var client = Client(new Uri(Value(text, "base URL")), "monitoring"))
        {
            var error = await Assert.ThrowsAsync<NinjaOneApiException>(() => client.GetOrganizationsAsync().ToListAsync());
            Assert.Equal("NinjaOneScopeNotGranted", error.ErrorId);
            Assert.Equal("invalid_scope", error.ResultCode);
        }

        stop.Cancel();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task UniFi_standalone_takes_a_page_cap()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = UniFiStandalone.RunAsync(new[] { "--port", "0", "--api-key", "unifi-standalone-key-31", "--sites", "6", "--max-page-size", "2" },
            TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        var sites = int.Parse(Regex.Match(text, @"(\d+) sites,").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (var client = new UniFiClient("unifi-standalone-key-31", new UniFiClientOptions { BaseUrl = new Uri(Value(text, "base URL")), Resilience = SourceTestKit.Quick() }))
            Assert.Equal(sites, (await client.GetSitesAsync().ToListAsync()).Count);

        stop.Cancel();
        Assert.Equal(0, await run);
        Assert.Contains($"requests: {SourceTestKit.PagesOf(sites, 2)} (0 answered with an error)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Sample_dates_can_be_kept()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = NinjaOneStandalone.RunAsync(new[] { "--port", "0", "--sites", "3", "--sample-dates" }, TextWriter.Synchronized(output), stop.Token);
        Assert.Contains("as of 2026-01-05 06:00 UTC", await StartedAsync(run, output), StringComparison.Ordinal);
        stop.Cancel();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Unknown_options_and_missing_values_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => UniFiStandalone.RunAsync(new[] { "--bogus" }, TextWriter.Null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => NinjaOneStandalone.RunAsync(new[] { "--client-id" }, TextWriter.Null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => NinjaOneStandalone.RunAsync(new[] { "--max-page-size", "0" }, TextWriter.Null, CancellationToken.None));
        var help = new StringWriter();
        Assert.Equal(0, await UniFiStandalone.RunAsync(new[] { "--help" }, help, CancellationToken.None));
        Assert.Contains("--sites <n>", help.ToString(), StringComparison.Ordinal);
    }

    private static NinjaOneClient Client(Uri baseUrl, string scope)
        => new(new NinjaOneFakeOptions().ClientId, new NinjaOneFakeOptions().ClientSecret,
            new NinjaOneClientOptions { Instance = baseUrl.ToString(), Scope = scope, Resilience = SourceTestKit.Quick() });

    private static string Value(string text, string label) => Regex.Match(text, $@"{Regex.Escape(label)}\s+(\S+)").Groups[1].Value;

    private static async Task<string> StartedAsync(Task<int> run, StringWriter output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, output.ToString());
            Assert.True(DateTime.UtcNow < deadline, "The standalone fake did not start: " + output);
            await Task.Delay(20);
        }
        return output.ToString();
    }
}
