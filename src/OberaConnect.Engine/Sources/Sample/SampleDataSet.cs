using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources.Sample;

/// <summary>
/// One generated estate in the shape of the real APIs: what UniFi Site Manager and NinjaOne would
/// return for it, plus the operator's site details and a site map. The loopback fakes serve exactly
/// this data, so a run against the fakes and a run against the Sample agree.
/// </summary>
public sealed class SampleDataSet
{
    internal SampleDataSet(SampleOptions options)
    {
        Options = options;
    }

    /// <summary>The options it was generated from.</summary>
    public SampleOptions Options { get; }

    /// <summary>The moment it describes (start date plus day).</summary>
    public DateTimeOffset AsOf => Options.AsOf;

    public IReadOnlyList<UniFiHost> UniFiHosts { get; internal set; } = Array.Empty<UniFiHost>();
    public IReadOnlyList<UniFiSite> UniFiSites { get; internal set; } = Array.Empty<UniFiSite>();
    /// <summary>Devices with their host id and name, in host order.</summary>
    public IReadOnlyList<UniFiDevice> UniFiDevices { get; internal set; } = Array.Empty<UniFiDevice>();
    public IReadOnlyList<NinjaOneOrganization> NinjaOneOrganizations { get; internal set; } = Array.Empty<NinjaOneOrganization>();
    public IReadOnlyList<NinjaOneDevice> NinjaOneDevices { get; internal set; } = Array.Empty<NinjaOneDevice>();
    /// <summary>Open alerts as the API gives them: severity Unknown (it lives in the activities).</summary>
    public IReadOnlyList<NinjaOneAlert> NinjaOneAlerts { get; internal set; } = Array.Empty<NinjaOneAlert>();
    /// <summary>Activity log, newest first (descending id), with one activity per alert series.</summary>
    public IReadOnlyList<NinjaOneActivity> NinjaOneActivities { get; internal set; } = Array.Empty<NinjaOneActivity>();
    public IReadOnlyList<NinjaOneBackupJob> NinjaOneBackupJobs { get; internal set; } = Array.Empty<NinjaOneBackupJob>();
    /// <summary>Customer id, state, contract, contact, flags and config drift per customer (keyed by customer name).</summary>
    public IReadOnlyList<CustomerSiteDetails> Details { get; internal set; } = Array.Empty<CustomerSiteDetails>();
    /// <summary>A site map that pairs the first mismatched site by id and leaves the others to be reported.</summary>
    public SiteMap SiteMap { get; internal set; } = SiteMap.Empty;
    /// <summary>Customer names, one per site, in site order.</summary>
    public IReadOnlyList<string> CustomerNames { get; internal set; } = Array.Empty<string>();
    /// <summary>Customer names of the sites whose NinjaOne organization is named unlike the UniFi site.</summary>
    public IReadOnlyList<string> MismatchedCustomers { get; internal set; } = Array.Empty<string>();
    /// <summary>Per customer name, the last day (≤ Day) its state changed.</summary>
    public IReadOnlyDictionary<string, int> LastChangeDay { get; internal set; } = new Dictionary<string, int>();
}
