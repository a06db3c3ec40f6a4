using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;

namespace OberaConnect.Engine.Tests.Sources;

public class SampleSourceTests
{
    [Fact]
    public void The_same_options_give_the_same_data_and_another_seed_gives_other_data()
    {
        var a = SampleSource.Generate(new SampleOptions { Day = 3 });
        var b = SampleSource.Generate(new SampleOptions { Day = 3 });
        Assert.Equal(a.UniFiSites, b.UniFiSites);
        Assert.Equal(a.UniFiDevices, b.UniFiDevices);
        Assert.Equal(a.NinjaOneOrganizations, b.NinjaOneOrganizations);
        Assert.Equal(a.NinjaOneDevices, b.NinjaOneDevices);
        Assert.Equal(a.NinjaOneAlerts, b.NinjaOneAlerts);
        Assert.Equal(a.NinjaOneActivities, b.NinjaOneActivities);
        Assert.Equal(a.NinjaOneBackupJobs, b.NinjaOneBackupJobs);
        Assert.Equal(a.Details, b.Details);

        var other = SampleSource.Generate(new SampleOptions { Day = 3, Seed = 7 });
        Assert.NotEqual(a.CustomerNames, other.CustomerNames);
        Assert.NotEqual(a.UniFiSites.Select(s => s.SiteId), other.UniFiSites.Select(s => s.SiteId));
    }

    [Fact]
    public void The_default_sample_has_the_shape_of_the_production_estate()
    {
        var data = SampleSource.Generate();
        Assert.Equal(98, data.UniFiSites.Count);
        Assert.Equal(98, data.NinjaOneOrganizations.Count);
        Assert.Equal(98, data.UniFiHosts.Count);
        Assert.InRange(data.UniFiDevices.Count, 480, 520);
        Assert.Equal(496, data.UniFiDevices.Count);
        Assert.Equal(323, data.NinjaOneDevices.Count);
        Assert.Equal(data.UniFiDevices.Count, data.UniFiSites.Sum(s => s.DevicesTotal));
        Assert.Equal(data.UniFiDevices.Count(d => !d.IsOnline), data.UniFiSites.Sum(s => s.DevicesOffline));
        Assert.Contains(data.UniFiDevices, d => !d.IsOnline);
        Assert.Contains(data.NinjaOneDevices, d => d.IsOffline);
        Assert.All(data.UniFiSites, s => Assert.True(s.DevicesTotal >= 1));
        Assert.Equal(data.UniFiDevices.Count, data.UniFiDevices.Select(d => d.Mac).Distinct().Count());
        Assert.Equal(data.NinjaOneDevices.Count, data.NinjaOneDevices.Select(d => d.Id).Distinct().Count());

        // Alerts carry no severity, as in the API; their activities do, in several severities.
        Assert.NotEmpty(data.NinjaOneAlerts);
        Assert.All(data.NinjaOneAlerts, a => Assert.Equal(NinjaOneSeverity.Unknown, a.SeverityValue));
        var severities = data.NinjaOneActivities.Where(a => a.SeriesUid != null).Select(a => a.Severity).Distinct().ToList();
        Assert.True(severities.Count >= 4, $"expected a mix of severities, got {string.Join(",", severities)}");
        Assert.Equal(data.NinjaOneActivities.OrderByDescending(a => a.Id).Select(a => a.Id), data.NinjaOneActivities.Select(a => a.Id));

        Assert.Contains(data.Details, d => d.ConfigDrift == true);
        Assert.Contains(data.Details, d => d.ConfigDrift == false);
        Assert.Equal(3, data.MismatchedCustomers.Count);
        Assert.Single(data.SiteMap.Entries);
    }

    [Fact]
    public async Task The_merged_sample_has_every_backup_state_and_reports_the_names_that_do_not_match()
    {
        var data = SampleSource.Generate();
        var snapshot = await SampleSource.Create(data).GetSnapshotAsync();
        var states = snapshot.Sites.Select(s => s.BackupStatusValue).Distinct().ToList();
        Assert.Contains(BackupStatus.Success, states);
        Assert.Contains(BackupStatus.Partial, states);
        Assert.Contains(BackupStatus.Failed, states);
        Assert.Contains(BackupStatus.Unknown, states);
        Assert.Contains(snapshot.Sites, s => s.CriticalAlerts > 0);
        Assert.Contains(snapshot.Sites, s => s.WarningAlerts > 0);
        Assert.Contains(snapshot.Sites, s => s.ConfigDrift == true);
        Assert.Contains(snapshot.Sites, s => s.DevicesOffline > 0);

        // Three customers are named differently in NinjaOne; the sample's site map pairs one of them.
        Assert.Equal(2, snapshot.Mismatches.Count(m => m.KindValue == SiteMismatchKind.UnmatchedUniFiSite));
        Assert.Equal(2, snapshot.Mismatches.Count(m => m.KindValue == SiteMismatchKind.UnmatchedNinjaOneOrganization));
        // 95 pairs by name + 1 by the map, and the two unpaired customers on each side.
        Assert.Equal(95, snapshot.Sites.Count(s => s.MatchedByValue == SiteMatchKind.Name));
        var explicitSite = Assert.Single(snapshot.Sites, s => s.MatchedByValue == SiteMatchKind.Explicit);
        Assert.Equal(data.MismatchedCustomers[0], explicitSite.SiteName);
        Assert.True(explicitSite.IsComplete);
        Assert.Equal(96 + 2 + 2, snapshot.Sites.Count);
        Assert.Equal(96, snapshot.Sites.Count(s => s.IsComplete));
        Assert.Equal(496, snapshot.Sites.Sum(s => s.NetworkDevicesTotal));
        Assert.Equal(323, snapshot.Sites.Sum(s => s.ManagedDevicesTotal));
    }

    [Fact]
    public void The_sample_scales_to_500_sites()
    {
        var data = SampleSource.Generate(new SampleOptions { SiteCount = 500 });
        Assert.Equal(500, data.UniFiSites.Count);
        Assert.Equal(500, data.NinjaOneOrganizations.Count);
        Assert.Equal((int)Math.Round(496.0 * 500 / 98), data.UniFiDevices.Count);
        Assert.Equal((int)Math.Round(323.0 * 500 / 98), data.NinjaOneDevices.Count);
        Assert.Equal(500, data.CustomerNames.Select(SiteMatcher.Key).Distinct().Count());
        // The first sites are the same customers whatever the size.
        Assert.Equal(SampleSource.Generate().CustomerNames.Take(50), data.CustomerNames.Take(50));
    }

    [Fact]
    public async Task Successive_days_change_about_a_tenth_of_the_sites_and_nothing_else()
    {
        var options = new SampleOptions();
        var changed = SampleSource.SitesChangedBetween(options, 4, 5);
        Assert.InRange(changed.Count, 3, 20);

        var day4 = await SampleSource.Create(options.WithDay(4)).GetSnapshotAsync();
        var day5 = await SampleSource.Create(options.WithDay(5)).GetSnapshotAsync();
        var before = day4.Sites.ToDictionary(s => s.SiteName, s => s with { AsOf = default });
        var after = day5.Sites.ToDictionary(s => s.SiteName, s => s with { AsOf = default });
        Assert.Equal(before.Keys.OrderBy(k => k), after.Keys.OrderBy(k => k));
        var differing = before.Keys.Where(k => before[k] != after[k]).ToList();
        var data = SampleSource.Generate(options);
        var expected = day4.Sites.Where(s => changed.Contains(Customer(data, s))).Select(s => s.SiteName).ToList();
        Assert.Equal(expected.OrderBy(x => x), differing.OrderBy(x => x));

        var again = await SampleSource.Create(options.WithDay(4)).GetSnapshotAsync();
        Assert.Equal(day4.Sites, again.Sites);
    }

    [Fact]
    public void Bad_sample_options_are_refused_with_the_value()
    {
        var ex = Assert.Throws<OberaConnectException>(() => SampleSource.Generate(new SampleOptions { SiteCount = 0 }));
        Assert.Contains("SiteCount", ex.Message);
        Assert.Contains("got 0", ex.Message);
    }

    // Site i of the Sample is UniFi site i and NinjaOne organization i.
    private static string Customer(SampleDataSet data, CustomerSite site)
    {
        var index = site.UniFiSiteId != null
            ? data.UniFiSites.ToList().FindIndex(u => u.SiteId == site.UniFiSiteId)
            : data.NinjaOneOrganizations.ToList().FindIndex(o => o.Id == site.NinjaOneOrganizationId);
        return data.CustomerNames[index];
    }
}
