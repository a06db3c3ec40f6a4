using System.Globalization;
using System.Runtime.CompilerServices;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources;

/// <summary>Which UniFi devices to list. Both filters given: devices of the named sites' hosts that are also in <see cref="HostIds"/>.</summary>
public sealed class UniFiDeviceQuery
{
    /// <summary>Hosts (consoles) whose devices to list; null or empty does not filter by host.</summary>
    public IReadOnlyCollection<string>? HostIds { get; set; }

    /// <summary>Sites whose hosts' devices to list, matched against a site's name and id; null does not filter by site.</summary>
    public Func<string, bool>? SiteName { get; set; }

    /// <summary>The site filter as the user typed it, for messages ("Acme*, Globex").</summary>
    public string? SiteNameText { get; set; }
}

/// <summary>Which NinjaOne alerts to list.</summary>
public sealed class NinjaOneAlertQuery
{
    /// <summary>Only alerts of devices of these organizations; null or empty: every organization.</summary>
    public IReadOnlyCollection<long>? OrganizationIds { get; set; }

    /// <summary>Only alerts of these severities (after they were looked up in the activity log); null or empty: all.</summary>
    public IReadOnlyCollection<NinjaOneSeverity>? Severities { get; set; }

    /// <summary>Most activities read to find the severities (the activity log is read newest first).</summary>
    public int MaxActivitiesForSeverity { get; set; } = 5000;
}

/// <summary>
/// The filtered reads behind Get-UniFiSite, Get-UniFiDevice, Get-NinjaOneOrganization, Get-NinjaOneDevice and
/// Get-NinjaOneAlert, over the source contracts (the real clients or the Sample). Items stream as the pages
/// arrive, except alerts, whose severities are only known once every requested alert is read. Name filters are
/// predicates so the host decides the matching rules (PowerShell wildcards in the cmdlets).
/// </summary>
public static class SourceQueries
{
    /// <summary>
    /// True when the site's name or id satisfies <paramref name="name"/>. Not the internal name (meta.name): it is
    /// "default" on most consoles, so a pattern like 'd*' would pick nearly every site.
    /// </summary>
    public static bool Matches(UniFiSite site, Func<string, bool> name)
        => name(site.Name) || (site.SiteId.Length > 0 && name(site.SiteId));

    /// <summary>UniFi sites, all or those whose name or id matches.</summary>
    public static async IAsyncEnumerable<UniFiSite> UniFiSitesAsync(IUniFiSource source, Func<string, bool>? name,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        await foreach (var site in source.GetSitesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (name is null || Matches(site, name)) yield return site;
        }
    }

    /// <summary>
    /// UniFi devices of the hosts the query names. UniFi lists devices per host, not per site: when a site filter
    /// picks a host that serves several sites, that host's devices are listed for all of them and a warning says so.
    /// A filter that leaves no host yields nothing (never every device).
    /// </summary>
    public static async IAsyncEnumerable<UniFiDevice> UniFiDevicesAsync(IUniFiSource source, UniFiDeviceQuery? query, IEngineOutput? output = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        query ??= new UniFiDeviceQuery();
        output ??= NullEngineOutput.Instance;
        IReadOnlyCollection<string>? hosts = query.HostIds is { Count: > 0 } given
            ? given.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).Distinct(StringComparer.Ordinal).ToList()
            : null;

        if (query.SiteName != null)
        {
            var sites = new List<UniFiSite>();
            await foreach (var s in source.GetSitesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                sites.Add(s);
            var chosen = sites.Where(s => Matches(s, query.SiteName)).ToList();
            var siteHosts = chosen.Where(s => s.HostId != null).Select(s => s.HostId!).Distinct(StringComparer.Ordinal).ToList();
            var wanted = hosts is null ? siteHosts : siteHosts.Where(h => hosts.Contains(h, StringComparer.Ordinal)).ToList();
            if (wanted.Count == 0)
            {
                output.Verbose(chosen.Count == 0
                    ? $"No UniFi site matches {query.SiteNameText ?? "the site filter"}, so no devices are listed."
                    : $"The UniFi sites matching {query.SiteNameText ?? "the site filter"} are not on the hosts asked for, so no devices are listed.");
                yield break;
            }
            foreach (var host in wanted)
            {
                var served = sites.Where(s => string.Equals(s.HostId, host, StringComparison.Ordinal)).ToList();
                if (served.Count > 1)
                    output.Warning($"UniFi host {host} serves {served.Count} sites ({string.Join(", ", served.Select(s => s.Name))}); " +
                                   "UniFi lists devices per host, so the devices of all of them are listed. Filter on HostName or Model to narrow them.");
            }
            hosts = wanted;
        }

        await foreach (var device in source.GetDevicesAsync(hosts, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // The API filters by host; check again so a source that ignores the filter never widens the result.
            if (hosts != null && (device.HostId is null || !hosts.Contains(device.HostId, StringComparer.Ordinal))) continue;
            yield return device;
        }
    }

    /// <summary>NinjaOne organizations, all or those whose name (or id) matches.</summary>
    public static async IAsyncEnumerable<NinjaOneOrganization> OrganizationsAsync(INinjaOneSource source, Func<string, bool>? name,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        await foreach (var org in source.GetOrganizationsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (name is null || name(org.Name) || name(org.Id.ToString(CultureInfo.InvariantCulture))) yield return org;
        }
    }

    /// <summary>NinjaOne devices of one organization (or of all when null), only the offline ones when asked.</summary>
    public static async IAsyncEnumerable<NinjaOneDevice> NinjaOneDevicesAsync(INinjaOneSource source, long? organizationId, bool offlineOnly,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        var devices = organizationId is { } id ? source.GetOrganizationDevicesAsync(id, cancellationToken) : source.GetDevicesAsync(cancellationToken);
        await foreach (var device in devices.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!offlineOnly || device.IsOffline) yield return device;
        }
    }

    /// <summary>
    /// Open NinjaOne alerts with their severity looked up in the activity log, filtered by organization (through
    /// the devices they were raised on) and severity. If the activity log cannot be read, the alerts keep severity
    /// Unknown and a warning says why (a severity filter then only matches Unknown).
    /// </summary>
    public static async IAsyncEnumerable<NinjaOneAlert> NinjaOneAlertsAsync(INinjaOneSource source, NinjaOneAlertQuery? query, IEngineOutput? output = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        query ??= new NinjaOneAlertQuery();
        output ??= NullEngineOutput.Instance;

        var alerts = new List<NinjaOneAlert>();
        await foreach (var a in source.GetAlertsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            alerts.Add(a);

        if (query.OrganizationIds is { Count: > 0 } orgs)
        {
            var devices = new HashSet<long>();
            // A few organizations: their own device lists; many: one pass over every device is fewer requests.
            if (orgs.Count <= 10)
            {
                foreach (var org in orgs.Distinct())
                {
                    await foreach (var d in source.GetOrganizationDevicesAsync(org, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                        devices.Add(d.Id);
                }
            }
            else
            {
                var wanted = new HashSet<long>(orgs);
                await foreach (var d in source.GetDevicesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    if (wanted.Contains(d.OrganizationId)) devices.Add(d.Id);
            }
            alerts = alerts.Where(a => a.DeviceId is { } id && devices.Contains(id)).ToList();
        }

        IReadOnlyList<NinjaOneAlert> resolved = alerts;
        if (alerts.Count > 0)
        {
            try
            {
                resolved = await source.ResolveAsync(alerts, query.MaxActivitiesForSeverity, cancellationToken).ConfigureAwait(false);
            }
            catch (OberaConnectException ex)
            {
                output.Warning($"NinjaOne alert severities could not be read from the activity log, so they are shown as Unknown: {ex.Message}");
            }
        }

        var severities = query.Severities is { Count: > 0 } s ? new HashSet<NinjaOneSeverity>(s) : null;
        foreach (var alert in resolved)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (severities is null || severities.Contains(alert.SeverityValue)) yield return alert;
        }
    }

    /// <summary>Parses a NinjaOne severity name (CRITICAL, MAJOR, MODERATE, MINOR, NONE or UNKNOWN, any case).</summary>
    public static NinjaOneSeverity ParseSeverity(string text)
    {
        var value = (text ?? "").Trim();
        if (string.Equals(value, "Unknown", StringComparison.OrdinalIgnoreCase)) return NinjaOneSeverity.Unknown;
        var parsed = NinjaOneParse.Severity(value);
        if (parsed == NinjaOneSeverity.Unknown)
            throw new OberaConnectException("InvalidNinjaOneSeverity", FailureKind.InvalidInput,
                $"'{value}' is not a NinjaOne severity. Use Critical, Major, Moderate, Minor, None or Unknown.");
        return parsed;
    }
}
