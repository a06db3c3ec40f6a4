using System.Globalization;
using System.Text.Json;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Engine.Tests.Configuration;
using RecordingOutput = OberaConnect.Engine.Tests.Sources.RecordingOutput;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The connection as the source cmdlets use it: a configuration file whose UniFi base URL and NinjaOne region are
/// the loopback fakes, credentials from environment variables, and the merged view, the Sample and the filtered
/// reads through <see cref="OberaConnectConnection"/>.
/// </summary>
public sealed class ConnectionSourcesTests : IAsyncLifetime
{
    private const string UniFiKey = "unifi-e2e-key-4b1d9e";
    private const string NinjaId = "ninja-e2e-client";
    private const string NinjaSecret = "ninja-e2e-secret-8c2f6a";

    private readonly TempFolder _folder = new();
    private readonly SampleDataSet _data = SampleSource.Generate(new SampleOptions { SiteCount = 12, Day = 1 });
    private UniFiFake _uniFi = null!;
    private NinjaOneFake _ninja = null!;

    public async Task InitializeAsync()
    {
        _uniFi = await UniFiFake.StartAsync(new UniFiFakeOptions { Data = _data, ApiKey = UniFiKey });
        _ninja = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { Data = _data, ClientId = NinjaId, ClientSecret = NinjaSecret });
    }

    public async Task DisposeAsync()
    {
        await _uniFi.DisposeAsync();
        await _ninja.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Configured_sources_come_back_merged_the_way_the_same_data_merges_without_HTTP()
    {
        var output = new RecordingOutput();
        using var connection = Open(Config(), AllCredentials(), output);

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();

        Assert.True(snapshot.IsComplete);
        Assert.Equal(SourceState.Present, snapshot.UniFi.State);
        Assert.Equal(SourceState.Present, snapshot.NinjaOne.State);
        Assert.Equal(Expected(SiteMap.Empty, HealthWeights.Default).Select(WithoutTime), snapshot.Sites.Select(WithoutTime));
        // Every customer but the one named differently in the two systems is paired by name.
        Assert.Equal(_data.CustomerNames.Count - _data.MismatchedCustomers.Count, snapshot.Sites.Count(s => s.IsComplete && s.MatchedByValue == SiteMatchKind.Name));
        Assert.Contains(snapshot.Mismatches, m => m.KindValue == SiteMismatchKind.UnmatchedUniFiSite && m.Id == _data.SiteMap.Entries.Single().UniFi);
        Assert.Contains(output.Warnings, w => w.Contains("Site matching", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Warnings, w => w.Contains("skipped", StringComparison.Ordinal));
        Assert.Contains(_uniFi.Requests, r => r.Path.EndsWith("/sites", StringComparison.Ordinal));
        Assert.Contains(_ninja.Requests, r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_UniFi_fake_is_down_NinjaOne_data_still_flows_with_a_warning_and_every_site_misses_UniFi()
    {
        _uniFi.Faults.Down = true;
        var output = new RecordingOutput();
        using var connection = Open(Config(), AllCredentials(), output);

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();

        Assert.Equal(SourceState.Unavailable, snapshot.UniFi.State);
        Assert.Equal(SourceState.Present, snapshot.NinjaOne.State);
        Assert.Equal(_data.NinjaOneOrganizations.Count, snapshot.Sites.Count);
        Assert.All(snapshot.Sites, s =>
        {
            Assert.Equal(SourceState.Unavailable, s.UniFiStatusValue);
            Assert.Equal("UniFi", s.MissingSources);
            Assert.Null(s.WifiClients);
        });
        Assert.Equal(_data.NinjaOneDevices.Count, snapshot.Sites.Sum(s => s.ManagedDevicesTotal));
        Assert.Equal(_data.NinjaOneAlerts.Count, snapshot.Sites.Sum(s => s.ActiveAlerts));
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("UniFi Site Manager could not be read", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(UniFiKey, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_only_NinjaOne_credentials_UniFi_is_skipped_with_a_warning_and_the_rest_works()
    {
        var output = new RecordingOutput();
        var environment = Environment().Set("NINJAONE_CLIENT_ID", NinjaId).Set("NINJAONE_CLIENT_SECRET", NinjaSecret);
        using var connection = Open(Config(), environment, output);

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();

        var skipped = Assert.Single(output.Warnings, w => w.StartsWith("UniFi is skipped", StringComparison.Ordinal));
        Assert.Contains("UNIFI_API_KEY", skipped, StringComparison.Ordinal);
        Assert.Equal(SourceState.NotConfigured, snapshot.UniFi.State);
        Assert.True(snapshot.IsComplete); // a source that is not configured is not a failure
        Assert.Equal(_data.NinjaOneOrganizations.Count, snapshot.Sites.Count);
        Assert.All(snapshot.Sites, s => Assert.Equal(SourceState.NotConfigured, s.UniFiStatusValue));
        Assert.All(snapshot.Sites, s => Assert.Equal("UniFi", s.MissingSources));
        Assert.Empty(_uniFi.Requests);
        Assert.Equal(new[] { CredentialKind.NinjaOneClientId, CredentialKind.NinjaOneClientSecret },
            connection.ResolvedCredentials.Select(c => c.Kind).OrderBy(k => k));
    }

    [Fact]
    public async Task Without_any_source_credentials_the_error_names_every_way_to_give_them_and_nothing_is_sent()
    {
        using var connection = Open(Config(), Environment(), new RecordingOutput());

        var error = await Assert.ThrowsAsync<OberaConnectException>(() => connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None));

        Assert.Equal("NoSourceCredentials", error.ErrorId);
        Assert.Equal(FailureKind.Configuration, error.Kind);
        foreach (var way in new[] { "UNIFI_API_KEY", "NINJAONE_CLIENT_ID", "-UniFiApiKey", "-NinjaOneCredential", "Key Vault", "-Source Sample" })
            Assert.Contains(way, error.Message, StringComparison.Ordinal);
        Assert.Empty(_uniFi.Requests);
        Assert.Empty(_ninja.Requests);
    }

    [Fact]
    public async Task The_Sample_needs_no_credentials_and_sends_nothing()
    {
        var output = new RecordingOutput();
        using var connection = Open(Config(), Environment(), output);

        var source = await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Sample, new SampleOptions { SiteCount = 12, Day = 1 }, CancellationToken.None);
        var sites = await source.GetSitesAsync().ToListAsync();

        Assert.Equal(await SampleSource.Create(_data).GetSitesAsync().ToListAsync(), sites);
        Assert.Empty(connection.ResolvedCredentials);
        Assert.Empty(_uniFi.Requests);
        Assert.Empty(_ninja.Requests);
    }

    [Fact]
    public async Task The_configured_site_map_and_health_weights_reach_the_merged_view()
    {
        var entry = _data.SiteMap.Entries.Single();
        var mapped = Config(map: new Dictionary<string, long> { [entry.UniFi!] = long.Parse(entry.NinjaOne!, CultureInfo.InvariantCulture) },
            weights: (60, 10, 10, 10, 10));
        using var connection = Open(mapped, AllCredentials(), new RecordingOutput());

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();

        var custom = new HealthWeights { DeviceAvailability = 60, WifiQuality = 10, Alerts = 10, Backup = 10, ConfigCompliance = 10 };
        var expectedMap = new SiteMap(new[] { new OberaConnect.Engine.Sources.SiteMapEntry { UniFi = entry.UniFi, NinjaOne = entry.NinjaOne } });
        Assert.Equal(Expected(expectedMap, custom).Select(WithoutTime), snapshot.Sites.Select(WithoutTime));
        var paired = Assert.Single(snapshot.Sites, s => s.MatchedByValue == SiteMatchKind.Explicit);
        Assert.True(paired.IsComplete);
        Assert.Equal(entry.UniFi, paired.UniFiSiteId);
        Assert.DoesNotContain(snapshot.Mismatches, m => m.KindValue is SiteMismatchKind.UnmatchedUniFiSite or SiteMismatchKind.UnmatchedNinjaOneOrganization);

        // The weights change scores: each site carries the custom weights' score, and some differ from the default one.
        var defaults = new HealthScoreCalculator();
        var withCustom = new HealthScoreCalculator(custom);
        Assert.All(snapshot.Sites, s => Assert.Equal(withCustom.Calculate(s.ToHealthInputs()).Score, s.HealthScore));
        Assert.Contains(snapshot.Sites, s => defaults.Calculate(s.ToHealthInputs()).Score != s.HealthScore);
    }

    [Fact]
    public async Task The_configured_weights_reach_the_Sample_too()
    {
        using var connection = Open(Config(weights: (60, 10, 10, 10, 10)), Environment(), new RecordingOutput());

        var sites = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Sample, new SampleOptions { SiteCount = 12, Day = 1 }, CancellationToken.None))
            .GetSitesAsync().ToListAsync();

        var custom = new HealthScoreCalculator(new HealthWeights { DeviceAvailability = 60, WifiQuality = 10, Alerts = 10, Backup = 10, ConfigCompliance = 10 });
        Assert.All(sites, s => Assert.Equal(custom.Calculate(s.ToHealthInputs()).Score, s.HealthScore));
        var byDefault = await SampleSource.Create(_data).GetSitesAsync().ToListAsync();
        Assert.NotEqual(byDefault.Select(s => s.HealthScore), sites.Select(s => s.HealthScore));
    }

    [Fact]
    public async Task The_filtered_reads_of_the_source_cmdlets_go_through_the_configured_clients()
    {
        var output = new RecordingOutput();
        using var connection = Open(Config(), AllCredentials(), output);
        var first = _data.UniFiSites[0];

        var sites = new List<UniFiSite>();
        await connection.ReadUniFiSitesAsync(n => string.Equals(n, first.Name, StringComparison.OrdinalIgnoreCase), sites.Add);
        var devices = new List<UniFiDevice>();
        await connection.ReadUniFiDevicesAsync(new UniFiDeviceQuery { HostIds = new[] { first.HostId! } }, devices.Add);
        var orgs = new List<NinjaOneOrganization>();
        await connection.ReadNinjaOneOrganizationsAsync(null, orgs.Add);
        var offline = new List<NinjaOneDevice>();
        await connection.ReadNinjaOneDevicesAsync(null, offlineOnly: true, offline.Add);
        var critical = new List<NinjaOneAlert>();
        await connection.ReadNinjaOneAlertsAsync(new NinjaOneAlertQuery { Severities = new[] { NinjaOneSeverity.Critical } }, critical.Add);

        Assert.Equal(first.SiteId, Assert.Single(sites).SiteId);
        Assert.Equal(_data.UniFiDevices.Where(d => d.HostId == first.HostId).Select(d => d.Id), devices.Select(d => d.Id));
        Assert.Equal(_data.NinjaOneOrganizations.Select(o => (o.Id, o.Name)), orgs.Select(o => (o.Id, o.Name)));
        Assert.NotEmpty(offline);
        Assert.Equal(_data.NinjaOneDevices.Where(d => d.IsOffline).Select(d => d.Id), offline.Select(d => d.Id));
        Assert.NotEmpty(critical);
        Assert.All(critical, a => Assert.Equal(NinjaOneSeverity.Critical, a.SeverityValue));
        var expectedCritical = (await new SampleNinjaOneSource(_data).ResolveAsync(_data.NinjaOneAlerts)).Count(a => a.SeverityValue == NinjaOneSeverity.Critical);
        Assert.Equal(expectedCritical, critical.Count);
        Assert.Contains(_uniFi.Requests, r => r.Path.EndsWith("/devices", StringComparison.Ordinal) && r.Query.Contains("hostIds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_credentials_end_a_filtered_read_with_the_services_error_and_no_secret()
    {
        using var connection = Open(Config(), AllCredentials().Set("UNIFI_API_KEY", "unifi-wrong-key-0a9b8c"), new RecordingOutput());

        var error = await Assert.ThrowsAnyAsync<OberaConnectException>(() => connection.ReadUniFiSitesAsync(null, _ => { }));

        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.DoesNotContain("unifi-wrong-key-0a9b8c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_configuration_file_the_defaults_serve_the_Sample_but_a_named_missing_file_is_an_error()
    {
        var environment = new FakeSystemEnvironment(_folder.Path, windows: true);

        using (var connection = OberaConnectConnection.OpenOrDefaults(new ConnectionOptions { Environment = environment }))
        {
            Assert.Null(connection.Configuration.FilePath);
            var sites = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Sample, new SampleOptions { SiteCount = 12, Day = 1 }, CancellationToken.None))
                .GetSitesAsync().ToListAsync();
            Assert.Equal(await SampleSource.Create(_data).GetSitesAsync().ToListAsync(), sites);
        }

        var missing = Path.Combine(_folder.Path, "nowhere", "config.json");
        Assert.Throws<ConfigurationFileNotFoundException>(() => OberaConnectConnection.OpenOrDefaults(new ConnectionOptions { Environment = environment, ConfigPath = missing }));
        environment.Set(ConfigurationLocations.EnvironmentVariable, missing);
        Assert.Throws<ConfigurationFileNotFoundException>(() => OberaConnectConnection.OpenOrDefaults(new ConnectionOptions { Environment = environment }));

        var file = Config(weights: (60, 10, 10, 10, 10));
        environment.Set(ConfigurationLocations.EnvironmentVariable, null);
        using var explicitFile = OberaConnectConnection.OpenOrDefaults(new ConnectionOptions { Environment = environment, ConfigPath = file });
        Assert.Equal(60, explicitFile.Configuration.HealthScoreWeights.DeviceAvailability);
    }

    [Theory]
    [InlineData(1, 7)]     // below the activities' minimum of 10, pages capped at 7 by the server
    [InlineData(1000, 7)]  // far above what the server serves
    [InlineData(1000, 1000)]
    public async Task A_monitoring_only_NinjaOne_app_reads_everything_whatever_the_page_size_and_the_servers_page_cap(int pageSize, int serverCap)
    {
        await using var ninja = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions
        {
            Data = _data, ClientId = NinjaId, ClientSecret = NinjaSecret, GrantedScopes = new[] { "monitoring" }, MaxPageSize = serverCap,
        });
        var output = new RecordingOutput();
        using var connection = Open(Config(ninja: ninja, ninjaPageSize: pageSize), AllCredentials(), output);

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();
        var critical = new List<NinjaOneAlert>();
        await connection.ReadNinjaOneAlertsAsync(new NinjaOneAlertQuery { Severities = new[] { NinjaOneSeverity.Critical } }, critical.Add);

        Assert.Equal(SourceState.Present, snapshot.NinjaOne.State);
        Assert.True(snapshot.IsComplete);
        // The same sites, devices, alert severities and backup results as the data gives without HTTP.
        Assert.Equal(Expected(SiteMap.Empty, HealthWeights.Default).Select(WithoutTime), snapshot.Sites.Select(WithoutTime));
        Assert.DoesNotContain(output.Warnings, w => w.Contains("NinjaOne", StringComparison.Ordinal) && !w.Contains("Site matching", StringComparison.Ordinal));
        var expectedCritical = (await new SampleNinjaOneSource(_data).ResolveAsync(_data.NinjaOneAlerts)).Count(a => a.SeverityValue == NinjaOneSeverity.Critical);
        Assert.NotEqual(0, expectedCritical);
        Assert.Equal(expectedCritical, critical.Count);
        Assert.All(ninja.Requests, r => Assert.Equal(200, r.Status));
        Assert.Contains(ninja.Requests, r => r.Path == "/v2/activities");
        Assert.Contains(ninja.Requests, r => r.Path == "/v2/backup/jobs");
    }

    [Fact]
    public async Task A_NinjaOne_app_granted_nothing_gets_the_clear_scope_error_and_UniFi_still_flows()
    {
        await using var ninja = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions
        {
            Data = _data, ClientId = NinjaId, ClientSecret = NinjaSecret, GrantedScopes = Array.Empty<string>(),
        });
        var output = new RecordingOutput();
        using var connection = Open(Config(ninja: ninja), AllCredentials(), output);

        var snapshot = await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();
        var error = await Assert.ThrowsAnyAsync<OberaConnectException>(() => connection.ReadNinjaOneOrganizationsAsync(null, _ => { }));

        Assert.Equal(SourceState.Unavailable, snapshot.NinjaOne.State);
        Assert.Equal("NinjaOneScopeNotGranted", snapshot.NinjaOne.ErrorId);
        Assert.False(snapshot.NinjaOne.IsTransient);
        Assert.Equal(SourceState.Present, snapshot.UniFi.State);
        Assert.All(snapshot.Sites, s => Assert.Equal(SourceState.Unavailable, s.NinjaOneStatusValue));
        var warning = Assert.Single(output.Warnings, w => w.Contains("NinjaOne could not be read", StringComparison.Ordinal));
        foreach (var text in new[] { warning, error.Message })
        {
            Assert.Contains("Administration > Apps > API > Client App IDs", text, StringComparison.Ordinal);
            Assert.Contains("tick Monitoring under Scopes", text, StringComparison.Ordinal);
            Assert.Contains("ninjaOne.scope", text, StringComparison.Ordinal);
            Assert.DoesNotContain(NinjaSecret, text, StringComparison.Ordinal);
        }
        Assert.Equal("NinjaOneScopeNotGranted", error.ErrorId);
        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.DoesNotContain(ninja.Requests, r => r.Path.StartsWith("/v2/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configured_scope_beyond_what_the_app_was_granted_names_both_and_the_default_reads()
    {
        using (var asking = Open(Config(ninjaScope: "monitoring management"), AllCredentials(), new RecordingOutput()))
        {
            var error = await Assert.ThrowsAnyAsync<OberaConnectException>(() => asking.ReadNinjaOneOrganizationsAsync(null, _ => { }));
            Assert.Equal("NinjaOneScopeNotGranted", error.ErrorId);
            Assert.Contains("scope 'monitoring management'", error.Message, StringComparison.Ordinal);
            Assert.Contains("Invalid scope management for client", error.Message, StringComparison.Ordinal);
        }

        using var byDefault = Open(Config(), AllCredentials(), new RecordingOutput());
        var organizations = new List<NinjaOneOrganization>();
        await byDefault.ReadNinjaOneOrganizationsAsync(null, organizations.Add);
        Assert.Equal(_data.NinjaOneOrganizations.Count, organizations.Count);
        Assert.Equal("monitoring", byDefault.Configuration.NinjaOne.Scope);
    }

    [Fact]
    public async Task A_run_counts_the_requests_of_every_source_it_read_in_the_metrics()
    {
        using var connection = Open(Config(), AllCredentials(), new RecordingOutput());
        // What a sync run does: the tally starts before the sources are read (their clients do not exist yet).
        var requests = new OberaConnect.Engine.Operations.RequestTally(connection.RequestStatistics);
        await (await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Configured, null, CancellationToken.None)).GetSnapshotAsync();
        var metrics = Path.Combine(_folder.Path, "metrics", "oberaconnect.prom");

        await OberaConnect.Engine.Operations.RunMetrics.RecordAsync(metrics, "Sync-CustomerStatus", true, requests, TimeProvider.System, NullEngineOutput.Instance, CancellationToken.None);

        var values = new OberaConnect.Engine.Operations.MetricsTextfile(Path.GetDirectoryName(metrics)!).Read();
        Assert.Equal(_uniFi.Requests.Count, values[("oberaconnect_requests_total", "unifi")]);
        Assert.Equal(_ninja.Requests.Count, values[("oberaconnect_requests_total", "ninjaone")]);
        Assert.True(values[("oberaconnect_requests_total", "unifi")] > 0);
        Assert.Equal(1, values[("oberaconnect_sync_total", "Sync-CustomerStatus")]);
        Assert.Equal(0, values[("oberaconnect_sync_errors_total", "Sync-CustomerStatus")]);
    }

    // ---- helpers

    private FakeSystemEnvironment Environment() => new(_folder.Path, windows: true);

    private FakeSystemEnvironment AllCredentials() => Environment()
        .Set("UNIFI_API_KEY", UniFiKey).Set("NINJAONE_CLIENT_ID", NinjaId).Set("NINJAONE_CLIENT_SECRET", NinjaSecret);

    private OberaConnectConnection Open(string configPath, FakeSystemEnvironment environment, IEngineOutput output)
        => OberaConnectConnection.Open(new ConnectionOptions
        {
            ConfigPath = configPath,
            Environment = environment,
            // Now is the Sample's moment, so backup ages read as they do without HTTP (on the Sample's stopped clock).
            Time = new ShiftedClock(_data.AsOf),
        }, output);

    /// <summary>
    /// A configuration file pointing at the fakes (or another NinjaOne fake), paced for tests, with an optional site map,
    /// weights, NinjaOne page size and scope (left out when null, so the default applies).
    /// </summary>
    private string Config(IReadOnlyDictionary<string, long>? map = null, (int D, int W, int A, int B, int C)? weights = null,
        NinjaOneFake? ninja = null, int ninjaPageSize = 1000, string? ninjaScope = null)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("unifi");
            json.WriteString("baseUrl", _uniFi.BaseUrl.ToString());
            json.WriteNumber("requestsPerMinute", 10000);
            json.WriteNumber("burst", 100);
            json.WriteNumber("maxRetries", 0);
            json.WriteEndObject();
            json.WriteStartObject("ninjaOne");
            json.WriteString("region", (ninja ?? _ninja).BaseUrl.ToString());
            if (ninjaScope != null) json.WriteString("scope", ninjaScope);
            json.WriteNumber("requestsPerSecond", 50);
            json.WriteNumber("burst", 100);
            json.WriteNumber("pageSize", ninjaPageSize);
            json.WriteNumber("maxRetries", 0);
            json.WriteEndObject();
            if (map != null)
            {
                json.WriteStartObject("siteMapping");
                json.WriteStartObject("map");
                foreach (var (site, org) in map) json.WriteNumber(site, org);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            if (weights is { } w)
            {
                json.WriteStartObject("healthScoreWeights");
                json.WriteNumber("deviceAvailability", w.D);
                json.WriteNumber("wifiQuality", w.W);
                json.WriteNumber("alerts", w.A);
                json.WriteNumber("backup", w.B);
                json.WriteNumber("configCompliance", w.C);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return _folder.File($"config-{Guid.NewGuid():N}.json", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The sites the same data gives without HTTP, with the map and weights a configuration would bring (no site details).</summary>
    private IReadOnlyList<CustomerSite> Expected(SiteMap map, HealthWeights weights)
    {
        var options = SampleSource.OptionsFor(_data, map);
        options.Details = Array.Empty<CustomerSiteDetails>();
        options.HealthWeights = weights;
        return new CustomerSiteSource(new SampleUniFiSource(_data), new SampleNinjaOneSource(_data), options).GetSnapshotAsync().GetAwaiter().GetResult().Sites;
    }

    private static CustomerSite WithoutTime(CustomerSite site) => site with { AsOf = default };

    /// <summary>The real clock moved so that it starts at a given moment: timers and pacing run at real speed.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private readonly TimeSpan _offset;
        public ShiftedClock(DateTimeOffset start) => _offset = start - System.GetUtcNow();
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    }
}
