using System.Runtime.CompilerServices;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources.Sample;

/// <summary>
/// Deterministic, realistic customer-site data without any account: 98 sites, 496 UniFi devices and
/// 323 NinjaOne devices by default, some offline, open alerts of every severity, mixed backup states,
/// some configuration drift and a few customers named differently in the two systems. Usable wherever
/// a real source is: <c>Create</c> gives an <see cref="ICustomerSiteSource"/>, and
/// <see cref="SampleUniFiSource"/> / <see cref="SampleNinjaOneSource"/> stand in for the clients.
/// </summary>
public static class SampleSource
{
    /// <summary>The data for the options (same options, same data).</summary>
    public static SampleDataSet Generate(SampleOptions? options = null) => SampleGenerator.Generate(options ?? new SampleOptions());

    /// <summary>
    /// A customer-site source over the Sample: its UniFi and NinjaOne data, its site details and site
    /// map (unless <paramref name="map"/> replaces it), on a clock stopped at the Sample's moment.
    /// </summary>
    public static CustomerSiteSource Create(SampleOptions? options = null, IEngineOutput? output = null, SiteMap? map = null)
    {
        var data = Generate(options);
        return Create(data, output, map);
    }

    /// <summary>A customer-site source over already generated data.</summary>
    public static CustomerSiteSource Create(SampleDataSet data, IEngineOutput? output = null, SiteMap? map = null)
        => new(new SampleUniFiSource(data), new SampleNinjaOneSource(data), OptionsFor(data, map), output);

    /// <summary>The customer-site options matching a Sample: its details, map, and a clock stopped at its moment.</summary>
    public static CustomerSiteSourceOptions OptionsFor(SampleDataSet data, SiteMap? map = null) => new()
    {
        Name = $"Sample ({data.Options.SiteCount} sites, day {data.Options.Day})",
        Map = map ?? data.SiteMap,
        Details = data.Details,
        Time = new StoppedClock(data.AsOf),
        MismatchCommand = "Get-CustomerSite -Source Sample -IncludeMismatches",
    };

    /// <summary>Customer names whose state differs between two days (about DailyChangeRate of them per day).</summary>
    public static IReadOnlyList<string> SitesChangedBetween(SampleOptions options, int fromDay, int toDay)
    {
        options.Validate();
        var names = Generate(options.WithDay(0)).CustomerNames;
        var changed = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            if (SampleGenerator.LastChangeDay(options.Seed, i, fromDay, options.DailyChangeRate)
                != SampleGenerator.LastChangeDay(options.Seed, i, toDay, options.DailyChangeRate))
                changed.Add(names[i]);
        }
        return changed;
    }

    internal static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>A clock that always reads the same moment, so Sample results do not depend on when they are read.</summary>
    private sealed class StoppedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;
        public StoppedClock(DateTimeOffset now) => _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}

/// <summary>The Sample's UniFi Site Manager data behind the <see cref="IUniFiSource"/> contract.</summary>
public sealed class SampleUniFiSource : IUniFiSource
{
    private readonly SampleDataSet _data;

    public SampleUniFiSource(SampleDataSet data) => _data = data;

    public IAsyncEnumerable<UniFiHost> GetHostsAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.UniFiHosts, cancellationToken);

    public IAsyncEnumerable<UniFiSite> GetSitesAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.UniFiSites, cancellationToken);

    public IAsyncEnumerable<UniFiDevice> GetDevicesAsync(IEnumerable<string>? hostIds = null, CancellationToken cancellationToken = default)
    {
        var wanted = hostIds is null ? null : new HashSet<string>(hostIds, StringComparer.Ordinal);
        return SampleSource.Stream(_data.UniFiDevices.Where(d => wanted is null || wanted.Count == 0 || (d.HostId != null && wanted.Contains(d.HostId))), cancellationToken);
    }
}

/// <summary>The Sample's NinjaOne data behind the <see cref="INinjaOneSource"/> contract.</summary>
public sealed class SampleNinjaOneSource : INinjaOneSource
{
    private readonly SampleDataSet _data;

    public SampleNinjaOneSource(SampleDataSet data) => _data = data;

    public IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.NinjaOneOrganizations, cancellationToken);

    public IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.NinjaOneDevices, cancellationToken);

    public IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.NinjaOneDevices.Where(d => d.OrganizationId == organizationId), cancellationToken);

    public IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.NinjaOneAlerts, cancellationToken);

    public IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new NinjaOneActivityQuery();
        IEnumerable<NinjaOneActivity> items = _data.NinjaOneActivities;
        if (query.SeriesUid != null) items = items.Where(a => string.Equals(a.SeriesUid, query.SeriesUid, StringComparison.OrdinalIgnoreCase));
        if (query.Type != null) items = items.Where(a => string.Equals(a.ActivityType, query.Type, StringComparison.OrdinalIgnoreCase));
        if (query.NotBefore is { } nb) items = items.TakeWhile(a => a.ActivityTime is null || a.ActivityTime >= nb);
        if (query.MaxActivities is { } max) items = items.Take(max);
        return SampleSource.Stream(items, cancellationToken);
    }

    public IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync(CancellationToken cancellationToken = default)
        => SampleSource.Stream(_data.NinjaOneBackupJobs, cancellationToken);
}
