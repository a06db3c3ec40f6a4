using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

public class CustomerSiteSourceTests
{
    [Fact]
    public async Task The_real_clients_against_the_fakes_give_the_same_sites_as_the_sample()
    {
        var data = SampleSource.Generate(new SampleOptions { Day = 2 });
        await using var uniFiFake = await UniFiFake.StartAsync(new UniFiFakeOptions { Data = data });
        await using var ninjaFake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { Data = data });
        using var uniFi = SourceTestKit.UniFi(uniFiFake, pageSize: 30);
        using var ninja = SourceTestKit.NinjaOne(ninjaFake, pageSize: 60);

        var overHttp = await new CustomerSiteSource(uniFi, ninja, SampleSource.OptionsFor(data)).GetSnapshotAsync();
        var direct = await SampleSource.Create(data).GetSnapshotAsync();

        Assert.True(overHttp.IsComplete);
        Assert.Equal(direct.Sites, overHttp.Sites);
        Assert.Equal(direct.Mismatches, overHttp.Mismatches);
        Assert.Equal(98 + 2, overHttp.Sites.Count);
    }

    [Fact]
    public async Task When_UniFi_is_down_NinjaOne_data_still_flows_and_every_site_says_UniFi_is_missing()
    {
        var data = SampleSource.Generate();
        await using var uniFiFake = await UniFiFake.StartAsync(new UniFiFakeOptions { Data = data });
        await using var ninjaFake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { Data = data });
        uniFiFake.Faults.Down = true;
        using var uniFi = SourceTestKit.UniFi(uniFiFake);
        using var ninja = SourceTestKit.NinjaOne(ninjaFake);
        var output = new RecordingOutput();

        var snapshot = await new CustomerSiteSource(uniFi, ninja, SampleSource.OptionsFor(data), output).GetSnapshotAsync();

        Assert.Equal(SourceState.Unavailable, snapshot.UniFi.State);
        Assert.Equal("UniFiServerError", snapshot.UniFi.ErrorId);
        Assert.True(snapshot.UniFi.IsTransient);
        Assert.Equal(SourceState.Present, snapshot.NinjaOne.State);
        Assert.False(snapshot.IsComplete);
        Assert.Equal(98, snapshot.Sites.Count);
        Assert.All(snapshot.Sites, s =>
        {
            Assert.Equal(SourceState.Unavailable, s.UniFiStatusValue);
            Assert.Equal(SourceState.Present, s.NinjaOneStatusValue);
            Assert.Equal("UniFi", s.MissingSources);
            Assert.Null(s.WifiClients);
            Assert.Equal(0, s.NetworkDevicesTotal);
        });
        Assert.Equal(323, snapshot.Sites.Sum(s => s.ManagedDevicesTotal));
        Assert.Equal(data.NinjaOneAlerts.Count, snapshot.Sites.Sum(s => s.ActiveAlerts));
        Assert.Empty(snapshot.Mismatches); // nothing could be compared, so nothing is called unmatched
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("UniFi Site Manager could not be read", warning);
        Assert.Contains("NinjaOne data only", warning);
        Assert.Equal(snapshot.Warnings, output.Warnings);
    }

    [Fact]
    public async Task When_NinjaOne_refuses_the_credentials_UniFi_data_still_flows_and_sites_say_NinjaOne_is_missing()
    {
        var data = SampleSource.Generate();
        await using var uniFiFake = await UniFiFake.StartAsync(new UniFiFakeOptions { Data = data });
        await using var ninjaFake = await NinjaOneFake.StartAsync(new NinjaOneFakeOptions { Data = data });
        using var uniFi = SourceTestKit.UniFi(uniFiFake);
        using var ninja = SourceTestKit.NinjaOne(ninjaFake, secret: "wrong-secret-xyz-123");
        var output = new RecordingOutput();

        var snapshot = await new CustomerSiteSource(uniFi, ninja, SampleSource.OptionsFor(data), output).GetSnapshotAsync();

        Assert.Equal(SourceState.Present, snapshot.UniFi.State);
        Assert.Equal(SourceState.Unavailable, snapshot.NinjaOne.State);
        Assert.Equal("NinjaOneAuthenticationFailed", snapshot.NinjaOne.ErrorId);
        Assert.False(snapshot.NinjaOne.IsTransient);
        Assert.Contains("client id and client secret", snapshot.NinjaOne.Message);
        Assert.Equal(98, snapshot.Sites.Count);
        Assert.All(snapshot.Sites, s =>
        {
            Assert.Equal(SourceState.Present, s.UniFiStatusValue);
            Assert.Equal(SourceState.Unavailable, s.NinjaOneStatusValue);
            Assert.Equal("NinjaOne", s.MissingSources);
            Assert.Equal(BackupStatus.Unknown, s.BackupStatusValue);
        });
        Assert.Equal(496, snapshot.Sites.Sum(s => s.NetworkDevicesTotal));
        Assert.Equal(data.UniFiSites.Select(s => s.Name).OrderBy(n => n), snapshot.Sites.Select(s => s.UniFiSiteName).OrderBy(n => n));
        // Sites are named as UniFi names them, except the one the site map names: its name stays stable while NinjaOne is down.
        var mapped = data.SiteMap.Entries.Single();
        Assert.All(snapshot.Sites, s => Assert.Equal(s.UniFiSiteId == mapped.UniFi ? mapped.SiteName : s.UniFiSiteName, s.SiteName));
        Assert.Contains(output.Warnings, w => w.Contains("NinjaOne could not be read") && w.Contains("UniFi data only"));
        Assert.DoesNotContain(output.Warnings, w => w.Contains("wrong-secret-xyz-123"));
    }

    [Fact]
    public async Task When_every_source_is_down_the_read_fails_naming_both()
    {
        await using var uniFiFake = await UniFiFake.StartAsync();
        await using var ninjaFake = await NinjaOneFake.StartAsync();
        uniFiFake.Faults.Down = true;
        ninjaFake.Faults.Down = true;
        using var uniFi = SourceTestKit.UniFi(uniFiFake);
        using var ninja = SourceTestKit.NinjaOne(ninjaFake);

        var ex = await Assert.ThrowsAsync<SourcesUnavailableException>(() => new CustomerSiteSource(uniFi, ninja).GetSnapshotAsync());

        Assert.Equal("SourcesUnavailable", ex.ErrorId);
        Assert.True(ex.IsTransient);
        Assert.Contains("UniFi:", ex.Message);
        Assert.Contains("NinjaOne:", ex.Message);
        Assert.All(ex.Statuses, s => Assert.Equal(SourceState.Unavailable, s.State));
    }

    [Fact]
    public async Task A_single_configured_source_that_fails_is_an_error_not_an_empty_result()
    {
        await using var uniFiFake = await UniFiFake.StartAsync();
        using var uniFi = SourceTestKit.UniFi(uniFiFake, apiKey: "not-the-key-000000");

        var ex = await Assert.ThrowsAsync<SourcesUnavailableException>(() => new CustomerSiteSource(uniFi, null).GetSnapshotAsync());

        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("Check the API key", ex.Message);
    }

    [Fact]
    public async Task Unreadable_backups_leave_the_rest_of_NinjaOne_in_place()
    {
        var data = SampleSource.Generate();
        var ninja = new FailingParts(new SampleNinjaOneSource(data)) { FailBackups = true, FailActivities = true };
        var output = new RecordingOutput();

        var snapshot = await new CustomerSiteSource(new SampleUniFiSource(data), ninja, SampleSource.OptionsFor(data), output).GetSnapshotAsync();

        Assert.Equal(SourceState.Present, snapshot.NinjaOne.State);
        Assert.All(snapshot.Sites, s => Assert.Equal(BackupStatus.Unknown, s.BackupStatusValue));
        Assert.Equal(323, snapshot.Sites.Sum(s => s.ManagedDevicesTotal));
        // Without severities every alert counts as a warning.
        Assert.Equal(data.NinjaOneAlerts.Count, snapshot.Sites.Sum(s => s.WarningAlerts));
        Assert.Equal(0, snapshot.Sites.Sum(s => s.CriticalAlerts));
        Assert.Contains(output.Warnings, w => w.Contains("backup jobs could not be read"));
        Assert.Contains(output.Warnings, w => w.Contains("alert severities could not be read"));
    }

    [Fact]
    public async Task A_merged_site_adds_up_the_raw_data_of_both_systems()
    {
        var data = SampleSource.Generate(new SampleOptions { Day = 1 });
        var snapshot = await SampleSource.Create(data).GetSnapshotAsync();
        var severities = data.NinjaOneActivities.Where(a => a.SeriesUid != null).ToDictionary(a => a.SeriesUid!, a => a.Severity);

        foreach (var site in snapshot.Sites.Where(s => s.IsComplete))
        {
            var u = data.UniFiSites.Single(x => x.SiteId == site.UniFiSiteId);
            var devices = data.NinjaOneDevices.Where(d => d.OrganizationId == site.NinjaOneOrganizationId).ToList();
            var ids = devices.Select(d => d.Id).ToHashSet();
            var alerts = data.NinjaOneAlerts.Where(a => ids.Contains(a.DeviceId!.Value)).ToList();
            Assert.Equal(u.DevicesTotal, site.NetworkDevicesTotal);
            Assert.Equal(u.DevicesOffline, site.NetworkDevicesOffline);
            Assert.Equal(u.WifiClients, site.WifiClients);
            Assert.Equal(devices.Count, site.ManagedDevicesTotal);
            Assert.Equal(devices.Count(d => d.IsOffline), site.ManagedDevicesOffline);
            Assert.Equal(u.DevicesTotal + devices.Count, site.DevicesTotal);
            Assert.Equal(site.DevicesTotal - site.DevicesOffline, site.DevicesOnline);
            Assert.Equal(alerts.Count, site.ActiveAlerts);
            Assert.Equal(alerts.Count(a => severities[a.Uid] is NinjaOneSeverity.Critical or NinjaOneSeverity.Major), site.CriticalAlerts);
            Assert.Equal(alerts.Count(a => severities[a.Uid] is NinjaOneSeverity.Moderate or NinjaOneSeverity.Minor), site.WarningAlerts);
            Assert.Equal(Math.Min(5, alerts.Count), site.AlertSummary.Length == 0 ? 0 : site.AlertSummary.Split("; ").Length);
            Assert.Null(site.WeakSignalClients); // Site Manager does not report signal quality
            Assert.Null(site.OpenTickets);
        }
        var withDetails = snapshot.Sites.First(s => s.IsComplete);
        Assert.StartsWith("OC-", withDetails.CustomerId);
        Assert.NotNull(withDetails.State);
        Assert.NotNull(withDetails.ContractRenewal);
        Assert.NotNull(withDetails.PrimaryContact);
        Assert.NotNull(withDetails.ConfigDrift);
        Assert.Contains(snapshot.Sites, s => s.HasAzure);
        Assert.Contains(snapshot.Sites, s => s.HasSonicWall);
        Assert.Contains(snapshot.Sites, s => s.HasMikroTik);

        var calc = new HealthScoreCalculator();
        foreach (var site in snapshot.Sites)
        {
            var manual = calc.CalculateScore(site.DevicesOnline, site.DevicesTotal, 0, site.WifiClients ?? 0,
                site.CriticalAlerts, site.WarningAlerts, site.BackupStatusValue, site.ConfigDrift ?? false);
            Assert.Equal(manual, site.HealthScore);
            Assert.Equal(HealthScoreCalculator.RiskFor(manual), site.RiskLevelValue);
            Assert.StartsWith($"{manual} ({site.RiskLevel})", site.HealthExplanation);
        }
        Assert.True(snapshot.Sites.Select(s => s.RiskLevel).Distinct().Count() >= 3, "the sample should span several risk levels");
    }

    [Fact]
    public async Task Sites_are_scored_with_the_weights_the_source_is_given()
    {
        var data = SampleSource.Generate();
        var weights = new HealthWeights { DeviceAvailability = 60, WifiQuality = 0, Alerts = 10, Backup = 20, ConfigCompliance = 10 };
        var options = SampleSource.OptionsFor(data);
        options.HealthWeights = weights;
        var custom = await new CustomerSiteSource(new SampleUniFiSource(data), new SampleNinjaOneSource(data), options).GetSnapshotAsync();
        var standard = await SampleSource.Create(data).GetSnapshotAsync();

        var calc = new HealthScoreCalculator(weights);
        Assert.All(custom.Sites, s => Assert.Equal(calc.Calculate(s.ToHealthInputs()).Score, s.HealthScore));
        Assert.Contains(custom.Sites.Zip(standard.Sites), p => p.First.HealthScore != p.Second.HealthScore);
        Assert.Equal(standard.Sites.Select(s => s with { HealthScore = 0, RiskLevelValue = default, HealthExplanation = "" }),
            custom.Sites.Select(s => s with { HealthScore = 0, RiskLevelValue = default, HealthExplanation = "" }));
        Assert.Equal(custom.Sites[0].HealthScore, standard.Sites[0].Scored(calc).HealthScore);

        options.HealthWeights = weights with { Backup = 25 };
        var ex = Assert.Throws<InvalidHealthWeightsException>(() => new CustomerSiteSource(new SampleUniFiSource(data), null, options));
        Assert.Contains("sum to 105", ex.Message);
    }

    [Fact]
    public async Task Backup_status_comes_from_each_devices_latest_finished_job()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        NinjaOneBackupJob Job(long device, NinjaOneBackupJobStatus status, double hoursAgo)
            => new() { JobId = $"{device}-{hoursAgo}", DeviceId = device, Status = status, EndedAt = status is NinjaOneBackupJobStatus.Running ? null : now.AddHours(-hoursAgo), StartedAt = now.AddHours(-hoursAgo - 1) };

        var orgs = new[] { Org(1, "All Good"), Org(2, "Half"), Org(3, "Broken"), Org(4, "Stale"), Org(5, "No Jobs"), Org(6, "Running") };
        var devices = new[] { Dev(11, 1), Dev(12, 1), Dev(21, 2), Dev(22, 2), Dev(31, 3), Dev(41, 4), Dev(51, 5), Dev(61, 6) };
        var jobs = new[]
        {
            Job(11, NinjaOneBackupJobStatus.Failed, 30), Job(11, NinjaOneBackupJobStatus.Completed, 6), Job(12, NinjaOneBackupJobStatus.Completed, 5),
            Job(21, NinjaOneBackupJobStatus.Completed, 5), Job(22, NinjaOneBackupJobStatus.Canceled, 5),
            Job(31, NinjaOneBackupJobStatus.Completed, 40), Job(31, NinjaOneBackupJobStatus.Failed, 10),
            Job(41, NinjaOneBackupJobStatus.Completed, 24 * 5),
            Job(61, NinjaOneBackupJobStatus.Completed, 20), Job(61, NinjaOneBackupJobStatus.Running, 0.2),
        };
        var ninja = new ListNinjaOneSource { Organizations = orgs, Devices = devices, Jobs = jobs };
        var source = new CustomerSiteSource(null, ninja, new CustomerSiteSourceOptions { Time = new FixedClock(now) });

        var sites = (await source.GetSnapshotAsync()).Sites.ToDictionary(s => s.SiteName);

        Assert.Equal(BackupStatus.Success, sites["All Good"].BackupStatusValue);
        Assert.Equal(2, sites["All Good"].BackupDevicesSucceeded);
        Assert.Equal(BackupStatus.Partial, sites["Half"].BackupStatusValue);
        Assert.Equal(BackupStatus.Failed, sites["Broken"].BackupStatusValue);
        Assert.Equal(BackupStatus.Failed, sites["Stale"].BackupStatusValue); // 5 days old is past the 3-day limit
        Assert.Equal(BackupStatus.Unknown, sites["No Jobs"].BackupStatusValue);
        Assert.Equal(BackupStatus.Success, sites["Running"].BackupStatusValue); // a running job does not hide the last finished one
        Assert.All(sites.Values, s => Assert.Equal(SourceState.NotConfigured, s.UniFiStatusValue));
    }

    [Fact]
    public async Task Technology_flags_are_detected_from_device_names_when_no_details_say_otherwise()
    {
        var ninja = new ListNinjaOneSource
        {
            Organizations = new[] { Org(1, "Acme"), Org(2, "Beta") },
            Devices = new[] { Dev(11, 1) with { DisplayName = "ACME-SonicWall-TZ370" }, Dev(12, 1) with { DisplayName = "Azure-VM-01" }, Dev(21, 2) with { DisplayName = "mikrotik-hex" } },
        };
        var details = new[] { new CustomerSiteDetails { Site = "beta", HasMikroTik = false, CustomerId = "C-2", ConfigDrift = true } };
        var source = new CustomerSiteSource(null, ninja, new CustomerSiteSourceOptions { Details = details });

        var sites = (await source.GetSnapshotAsync()).Sites.ToDictionary(s => s.SiteName);

        Assert.True(sites["Acme"].HasSonicWall);
        Assert.True(sites["Acme"].HasAzure);
        Assert.False(sites["Acme"].HasMikroTik);
        Assert.False(sites["Beta"].HasMikroTik); // the operator's details win
        Assert.Equal("C-2", sites["Beta"].CustomerId);
        Assert.True(sites["Beta"].ConfigDrift);
        Assert.Null(sites["Acme"].ConfigDrift);
    }

    [Fact]
    public async Task Devices_and_alerts_stream_with_the_site_they_belong_to()
    {
        var data = SampleSource.Generate();
        var source = SampleSource.Create(data);
        var snapshot = await source.GetSnapshotAsync();

        var devices = await source.GetDevicesAsync().ToListAsync();
        Assert.Equal(496, devices.Count(d => d.Source == SourceSystem.UniFi));
        Assert.Equal(323, devices.Count(d => d.Source == SourceSystem.NinjaOne));
        Assert.All(devices, d => Assert.NotNull(d.SiteName));
        foreach (var site in snapshot.Sites)
        {
            Assert.Equal(site.NetworkDevicesTotal, devices.Count(d => d.Source == SourceSystem.UniFi && d.SiteName == site.SiteName));
            Assert.Equal(site.DevicesOffline, devices.Count(d => d.SiteName == site.SiteName && !d.IsOnline));
        }
        Assert.All(devices.Where(d => d.Source == SourceSystem.UniFi), d => Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", d.Mac));

        var alerts = await source.GetAlertsAsync().ToListAsync();
        Assert.Equal(data.NinjaOneAlerts.Count, alerts.Count);
        Assert.All(alerts, a => Assert.NotNull(a.SiteName));
        Assert.All(alerts, a => Assert.NotEqual("", a.Severity));
        foreach (var site in snapshot.Sites)
            Assert.Equal(site.CriticalAlerts, alerts.Count(a => a.SiteName == site.SiteName && a.Level == AlertLevel.Critical));
    }

    [Fact]
    public async Task Unmatched_sites_can_be_left_out_but_are_still_reported()
    {
        var data = SampleSource.Generate();
        var options = SampleSource.OptionsFor(data);
        options.IncludeUnmatched = false;
        var snapshot = await new CustomerSiteSource(new SampleUniFiSource(data), new SampleNinjaOneSource(data), options).GetSnapshotAsync();
        Assert.Equal(96, snapshot.Sites.Count);
        Assert.All(snapshot.Sites, s => Assert.True(s.IsComplete));
        Assert.Equal(4, snapshot.Mismatches.Count);
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_a_source_outage()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SampleSource.Create().GetSnapshotAsync(cts.Token));
    }

    [Fact]
    public void A_source_needs_at_least_one_system()
    {
        var ex = Assert.Throws<OberaConnectException>(() => new CustomerSiteSource(null, null));
        Assert.Equal("NoSourceConfigured", ex.ErrorId);
    }

    private static NinjaOneOrganization Org(long id, string name) => new() { Id = id, Name = name };
    private static NinjaOneDevice Dev(long id, long org) => new() { Id = id, OrganizationId = org, DisplayName = $"D{id}" };

    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;
        public FixedClock(DateTimeOffset now) => _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
    }

    /// <summary>NinjaOne data from lists.</summary>
    private sealed class ListNinjaOneSource : INinjaOneSource
    {
        public IReadOnlyList<NinjaOneOrganization> Organizations { get; init; } = Array.Empty<NinjaOneOrganization>();
        public IReadOnlyList<NinjaOneDevice> Devices { get; init; } = Array.Empty<NinjaOneDevice>();
        public IReadOnlyList<NinjaOneAlert> Alerts { get; init; } = Array.Empty<NinjaOneAlert>();
        public IReadOnlyList<NinjaOneActivity> Activities { get; init; } = Array.Empty<NinjaOneActivity>();
        public IReadOnlyList<NinjaOneBackupJob> Jobs { get; init; } = Array.Empty<NinjaOneBackupJob>();

        public IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default) => Organizations.ToAsyncEnumerable();
        public IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default) => Devices.ToAsyncEnumerable();
        public IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default) => Devices.Where(d => d.OrganizationId == organizationId).ToAsyncEnumerable();
        public IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync(CancellationToken cancellationToken = default) => Alerts.ToAsyncEnumerable();
        public IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null, CancellationToken cancellationToken = default) => Activities.ToAsyncEnumerable();
        public IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync(CancellationToken cancellationToken = default) => Jobs.ToAsyncEnumerable();
    }

    /// <summary>Wraps a NinjaOne source and makes its optional parts fail.</summary>
    private sealed class FailingParts : INinjaOneSource
    {
        private readonly INinjaOneSource _inner;
        public FailingParts(INinjaOneSource inner) => _inner = inner;
        public bool FailBackups { get; init; }
        public bool FailActivities { get; init; }

        public IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default) => _inner.GetOrganizationsAsync(cancellationToken);
        public IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default) => _inner.GetDevicesAsync(cancellationToken);
        public IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default) => _inner.GetOrganizationDevicesAsync(organizationId, cancellationToken);
        public IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync(CancellationToken cancellationToken = default) => _inner.GetAlertsAsync(cancellationToken);

        public IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null, CancellationToken cancellationToken = default)
            => FailActivities ? Throw<NinjaOneActivity>("NinjaOneForbidden") : _inner.GetActivitiesAsync(query, cancellationToken);

        public IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync(CancellationToken cancellationToken = default)
            => FailBackups ? Throw<NinjaOneBackupJob>("NinjaOneNotFound") : _inner.GetBackupJobsAsync(cancellationToken);

        private static async IAsyncEnumerable<T> Throw<T>(string errorId)
        {
            await Task.Yield();
            throw new NinjaOneApiException(errorId, FailureKind.PermissionDenied, $"{errorId}: not licensed", 403, null, null);
#pragma warning disable CS0162 // an iterator needs a yield to be one
            yield break;
#pragma warning restore CS0162
        }
    }
}
