using System.Runtime.CompilerServices;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

/// <summary>The filters behind Get-UniFiSite, Get-UniFiDevice, Get-NinjaOneOrganization, Get-NinjaOneDevice, Get-NinjaOneAlert and Get-CustomerSite -Name.</summary>
public class SourceQueriesTests
{
    private static readonly SampleDataSet Data = SampleSource.Generate(new SampleOptions { SiteCount = 20, Day = 3 });

    private static Func<string, bool> Is(string name) => n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task Sites_match_by_name_or_id_but_not_by_the_internal_name_most_consoles_call_default()
    {
        var source = new SampleUniFiSource(Data);
        var site = Data.UniFiSites[4];

        var byName = await SourceQueries.UniFiSitesAsync(source, Is(site.Name.ToUpperInvariant())).ToListAsync();
        var byId = await SourceQueries.UniFiSitesAsync(source, Is(site.SiteId)).ToListAsync();
        var all = await SourceQueries.UniFiSitesAsync(source, null).ToListAsync();

        Assert.Equal(site, Assert.Single(byName));
        Assert.Equal(site, Assert.Single(byId));
        Assert.Equal(Data.UniFiSites, all);
        Assert.Equal("default", site.InternalName);
        Assert.Empty(await SourceQueries.UniFiSitesAsync(source, Is("default")).ToListAsync());
    }

    [Fact]
    public async Task Devices_of_a_site_are_those_of_its_host_and_an_unknown_site_lists_none_rather_than_all()
    {
        var source = new SampleUniFiSource(Data);
        var site = Data.UniFiSites.First(s => s.HostId != null);

        var ofSite = await SourceQueries.UniFiDevicesAsync(source, new UniFiDeviceQuery { SiteName = Is(site.Name) }).ToListAsync();
        var output = new RecordingOutput();
        var ofNothing = await SourceQueries.UniFiDevicesAsync(source, new UniFiDeviceQuery { SiteName = Is("No Such Site"), SiteNameText = "'No Such Site'" }, output).ToListAsync();
        var disjoint = await SourceQueries.UniFiDevicesAsync(source,
            new UniFiDeviceQuery { SiteName = Is(site.Name), HostIds = new[] { Data.UniFiHosts.First(h => h.Id != site.HostId).Id } }).ToListAsync();
        var all = await SourceQueries.UniFiDevicesAsync(source, null).ToListAsync();

        Assert.NotEmpty(ofSite);
        Assert.Equal(Data.UniFiDevices.Where(d => d.HostId == site.HostId), ofSite);
        Assert.Empty(ofNothing);
        Assert.Contains(output.VerboseLines, l => l.Contains("'No Such Site'", StringComparison.Ordinal));
        Assert.Empty(disjoint);
        Assert.Equal(Data.UniFiDevices.Count, all.Count);
    }

    [Fact]
    public async Task Devices_of_given_hosts_are_only_theirs_even_when_the_source_ignores_the_filter()
    {
        var hosts = Data.UniFiHosts.Take(2).Select(h => h.Id).ToList();
        var ignoring = new HostFilterIgnoringSource(Data.UniFiSites, Data.UniFiDevices);

        var devices = await SourceQueries.UniFiDevicesAsync(ignoring, new UniFiDeviceQuery { HostIds = hosts }).ToListAsync();

        Assert.Equal(Data.UniFiDevices.Where(d => hosts.Contains(d.HostId!)), devices);
    }

    [Fact]
    public async Task A_host_serving_several_sites_lists_their_devices_together_with_a_warning()
    {
        var sites = new[]
        {
            new UniFiSite { SiteId = "s1", HostId = "h1", Name = "Acme North" },
            new UniFiSite { SiteId = "s2", HostId = "h1", Name = "Acme South" },
            new UniFiSite { SiteId = "s3", HostId = "h2", Name = "Globex" },
        };
        var devices = new[]
        {
            new UniFiDevice { Id = "d1", HostId = "h1", Name = "gw-1" },
            new UniFiDevice { Id = "d2", HostId = "h1", Name = "ap-1" },
            new UniFiDevice { Id = "d3", HostId = "h2", Name = "gw-2" },
        };
        var output = new RecordingOutput();

        var listed = await SourceQueries.UniFiDevicesAsync(new HostFilterIgnoringSource(sites, devices), new UniFiDeviceQuery { SiteName = Is("Acme North") }, output).ToListAsync();

        Assert.Equal(new[] { "d1", "d2" }, listed.Select(d => d.Id));
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("h1 serves 2 sites", warning, StringComparison.Ordinal);
        Assert.Contains("Acme South", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organizations_match_by_name_or_id()
    {
        var source = new SampleNinjaOneSource(Data);
        var org = Data.NinjaOneOrganizations[7];

        Assert.Equal(org, Assert.Single(await SourceQueries.OrganizationsAsync(source, Is(org.Name)).ToListAsync()));
        Assert.Equal(org, Assert.Single(await SourceQueries.OrganizationsAsync(source, Is(org.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToListAsync()));
        Assert.Equal(Data.NinjaOneOrganizations.Count, (await SourceQueries.OrganizationsAsync(source, null).ToListAsync()).Count);
    }

    [Fact]
    public async Task NinjaOne_devices_of_an_organization_and_only_the_offline_ones()
    {
        var source = new SampleNinjaOneSource(Data);
        var org = Data.NinjaOneDevices.First(d => d.IsOffline).OrganizationId;

        var ofOrg = await SourceQueries.NinjaOneDevicesAsync(source, org, offlineOnly: false).ToListAsync();
        var offline = await SourceQueries.NinjaOneDevicesAsync(source, null, offlineOnly: true).ToListAsync();
        var offlineOfOrg = await SourceQueries.NinjaOneDevicesAsync(source, org, offlineOnly: true).ToListAsync();

        Assert.Equal(Data.NinjaOneDevices.Where(d => d.OrganizationId == org), ofOrg);
        Assert.Equal(Data.NinjaOneDevices.Where(d => d.IsOffline), offline);
        Assert.NotEmpty(offlineOfOrg);
        Assert.Equal(Data.NinjaOneDevices.Where(d => d.IsOffline && d.OrganizationId == org), offlineOfOrg);
    }

    [Fact]
    public async Task Alerts_get_their_severity_from_the_activity_log_and_filter_by_severity_and_organization()
    {
        var source = new SampleNinjaOneSource(Data);
        var resolved = await source.ResolveAsync(Data.NinjaOneAlerts);
        var org = Data.NinjaOneDevices.First(d => Data.NinjaOneAlerts.Any(a => a.DeviceId == d.Id)).OrganizationId;
        var devicesOfOrg = Data.NinjaOneDevices.Where(d => d.OrganizationId == org).Select(d => d.Id).ToHashSet();

        var all = await SourceQueries.NinjaOneAlertsAsync(source, null).ToListAsync();
        var severe = await SourceQueries.NinjaOneAlertsAsync(source, new NinjaOneAlertQuery { Severities = new[] { NinjaOneSeverity.Critical, NinjaOneSeverity.Major } }).ToListAsync();
        var ofOrg = await SourceQueries.NinjaOneAlertsAsync(source, new NinjaOneAlertQuery { OrganizationIds = new[] { org } }).ToListAsync();
        // More than ten organizations take the path that reads every device once.
        var manyOrgs = Data.NinjaOneOrganizations.Select(o => o.Id).ToList();
        var ofMany = await SourceQueries.NinjaOneAlertsAsync(source, new NinjaOneAlertQuery { OrganizationIds = manyOrgs }).ToListAsync();

        Assert.Equal(resolved, all);
        Assert.Contains(all, a => a.SeverityValue != NinjaOneSeverity.Unknown);
        Assert.NotEmpty(severe);
        Assert.Equal(resolved.Where(a => a.SeverityValue is NinjaOneSeverity.Critical or NinjaOneSeverity.Major), severe);
        Assert.NotEmpty(ofOrg);
        Assert.Equal(resolved.Where(a => a.DeviceId is { } id && devicesOfOrg.Contains(id)), ofOrg);
        Assert.True(manyOrgs.Count > 10);
        Assert.Equal(resolved.Where(a => a.DeviceId != null && Data.NinjaOneDevices.Any(d => d.Id == a.DeviceId)), ofMany);
    }

    [Fact]
    public async Task When_the_activity_log_fails_alerts_keep_Unknown_and_a_warning_says_why()
    {
        var output = new RecordingOutput();
        var source = new ActivityFailingSource(new SampleNinjaOneSource(Data));

        var alerts = await SourceQueries.NinjaOneAlertsAsync(source, null, output).ToListAsync();
        var unknownOnly = await SourceQueries.NinjaOneAlertsAsync(source, new NinjaOneAlertQuery { Severities = new[] { NinjaOneSeverity.Unknown } }).ToListAsync();

        Assert.Equal(Data.NinjaOneAlerts.Count, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(NinjaOneSeverity.Unknown, a.SeverityValue));
        Assert.Equal(alerts, unknownOnly);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("activity log", warning, StringComparison.Ordinal);
        Assert.Contains("activities are down", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("critical", NinjaOneSeverity.Critical)]
    [InlineData("Major", NinjaOneSeverity.Major)]
    [InlineData("MODERATE", NinjaOneSeverity.Moderate)]
    [InlineData("minor", NinjaOneSeverity.Minor)]
    [InlineData("None", NinjaOneSeverity.None)]
    [InlineData("unknown", NinjaOneSeverity.Unknown)]
    public void Severity_names_parse_in_any_case(string text, NinjaOneSeverity expected) => Assert.Equal(expected, SourceQueries.ParseSeverity(text));

    [Fact]
    public void An_unknown_severity_name_is_refused_with_the_names_to_use()
    {
        var error = Assert.Throws<OberaConnectException>(() => SourceQueries.ParseSeverity("Severe"));
        Assert.Equal("InvalidNinjaOneSeverity", error.ErrorId);
        Assert.Contains("Critical, Major, Moderate, Minor, None or Unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_customer_site_name_filter_keeps_matching_sites_and_their_mismatches()
    {
        using var connection = OberaConnectConnection.FromConfiguration(OberaConnect.Engine.Configuration.OberaConnectConfiguration.CreateDefault(), new ConnectionOptions());
        // 98 sites: three customers are named differently in the two systems and the Sample's map pairs only one.
        var sample = new SampleOptions { Day = 3 };
        var everything = await connection.SelectCustomerSitesAsync(new CustomerSiteQuery { Source = SiteSourceKind.Sample, Sample = sample });
        var unmatched = everything.Mismatches.First(m => m.Name != null);
        var target = everything.Sites.First(s => s.IsComplete);

        var one = await connection.SelectCustomerSitesAsync(new CustomerSiteQuery { Source = SiteSourceKind.Sample, Sample = sample, Name = Is(target.SiteName) });
        var ofMismatch = await connection.SelectCustomerSitesAsync(new CustomerSiteQuery { Source = SiteSourceKind.Sample, Sample = sample, Name = Is(unmatched.Name!) });
        var byOrganization = await connection.SelectCustomerSitesAsync(new CustomerSiteQuery { Source = SiteSourceKind.Sample, Sample = sample, Name = Is(target.NinjaOneOrganizationName!) });

        Assert.Equal((await SampleSource.Create(sample).GetSnapshotAsync()).Sites, everything.Sites);
        Assert.NotEmpty(everything.Mismatches);
        Assert.Equal(target, Assert.Single(one.Sites));
        Assert.Empty(one.Mismatches);
        Assert.Contains(unmatched, ofMismatch.Mismatches);
        Assert.All(ofMismatch.Mismatches, m => Assert.Equal(unmatched.Name, m.Name));
        Assert.Contains(target, byOrganization.Sites);
    }

    /// <summary>A UniFi source that answers every device request with all devices, as a buggy or older API might.</summary>
    private sealed class HostFilterIgnoringSource : IUniFiSource
    {
        private readonly IReadOnlyList<UniFiSite> _sites;
        private readonly IReadOnlyList<UniFiDevice> _devices;

        public HostFilterIgnoringSource(IReadOnlyList<UniFiSite> sites, IReadOnlyList<UniFiDevice> devices)
        {
            _sites = sites;
            _devices = devices;
        }

        public IAsyncEnumerable<UniFiHost> GetHostsAsync(CancellationToken cancellationToken = default) => Stream(Array.Empty<UniFiHost>());
        public IAsyncEnumerable<UniFiSite> GetSitesAsync(CancellationToken cancellationToken = default) => Stream(_sites);
        public IAsyncEnumerable<UniFiDevice> GetDevicesAsync(IEnumerable<string>? hostIds = null, CancellationToken cancellationToken = default) => Stream(_devices);
    }

    /// <summary>The Sample's NinjaOne data whose activity log is down.</summary>
    private sealed class ActivityFailingSource : INinjaOneSource
    {
        private readonly INinjaOneSource _inner;
        public ActivityFailingSource(INinjaOneSource inner) => _inner = inner;

        public IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default) => _inner.GetOrganizationsAsync(cancellationToken);
        public IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default) => _inner.GetDevicesAsync(cancellationToken);
        public IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default) => _inner.GetOrganizationDevicesAsync(organizationId, cancellationToken);
        public IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync(CancellationToken cancellationToken = default) => _inner.GetAlertsAsync(cancellationToken);
        public IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync(CancellationToken cancellationToken = default) => _inner.GetBackupJobsAsync(cancellationToken);

        public async IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new NinjaOneApiException("NinjaOneServerError", FailureKind.ServiceUnavailable, "NinjaOne activities are down (test).", 503, null, null);
#pragma warning disable CS0162 // an iterator needs a yield to be one
            yield break;
#pragma warning restore CS0162
        }
    }

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
