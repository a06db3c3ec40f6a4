namespace OberaConnect.Engine.Sources;

/// <summary>
/// Where customer-site data comes from: the real UniFi + NinjaOne clients or the Sample, behind one
/// contract (<see cref="CustomerSiteSource"/> implements it over either).
/// Contract:
/// <list type="bullet">
/// <item>One source failing is not an error: the other's data still flows, each site says which
/// source is missing (<see cref="CustomerSite.UniFiStatus"/>, <see cref="CustomerSite.NinjaOneStatus"/>),
/// the snapshot carries the reason and a warning goes to the engine output.</item>
/// <item>When every configured source fails, <see cref="SourcesUnavailableException"/> is thrown.</item>
/// <item>Mapping problems (unmatched, ambiguous) are reported in <see cref="CustomerSiteSnapshot.Mismatches"/>, never guessed.</item>
/// <item>Each call reads the sources afresh (no caching between calls); within a call the data may be buffered.</item>
/// <item>Cancellation surfaces as <see cref="OperationCanceledException"/>.</item>
/// </list>
/// </summary>
public interface ICustomerSiteSource
{
    /// <summary>Short name for messages, for example "UniFi + NinjaOne" or "Sample (98 sites, day 0)".</summary>
    string Name { get; }

    /// <summary>The merged sites with the mapping report and each source's status.</summary>
    Task<CustomerSiteSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>The merged sites (the snapshot's sites, its warnings sent to the engine output).</summary>
    IAsyncEnumerable<CustomerSite> GetSitesAsync(CancellationToken cancellationToken = default);

    /// <summary>Devices of both systems with the site each belongs to.</summary>
    IAsyncEnumerable<SiteDevice> GetDevicesAsync(CancellationToken cancellationToken = default);

    /// <summary>Open alerts with severity and the site each belongs to.</summary>
    IAsyncEnumerable<SiteAlert> GetAlertsAsync(CancellationToken cancellationToken = default);
}
