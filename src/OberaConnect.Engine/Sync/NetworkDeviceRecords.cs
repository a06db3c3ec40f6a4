using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Network Devices records: one page per device, keyed by its MAC address (normalized to
/// aa:bb:cc:dd:ee:ff), related to its site. A device missing from the source keeps its page and is marked
/// "Gone From Source" (<see cref="PlanGone"/>), but only at sites this run covered: devices of a site the
/// run did not read (a filtered pipeline, a console that could not be reached) are left alone.
/// Last Seen is written with a change, never alone, so a steady inventory costs no request.
/// </summary>
public sealed class NetworkDeviceRecords
{
    public const string Database = nameof(DatabaseKey.NetworkDevices);

    /// <summary>The Status a device gets when its source no longer lists it.</summary>
    public const string GoneStatus = "Gone From Source";

    private readonly SiteRelationIndex _sites;
    private readonly SiteCoverage _covered;
    private readonly TimeProvider _time;

    public NetworkDeviceRecords(SiteRelationIndex sites, TimeProvider? time = null)
    {
        _sites = sites ?? throw new ArgumentNullException(nameof(sites));
        _covered = new SiteCoverage(sites);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Records checking timestamps on the connection's clock.</summary>
    public static NetworkDeviceRecords For(Connection.OberaConnectConnection connection, SiteRelationIndex sites, bool allowAnyTimestamp = false)
        => new(sites, connection.Options.Time) { AllowAnyTimestamp = allowAnyTimestamp };

    /// <summary>-AllowAnyTimestamp: Last Seen before 2000 or more than a day ahead is taken.</summary>
    public bool AllowAnyTimestamp { get; init; }

    /// <summary>Customer Sites page ids of the sites this run covered.</summary>
    public IReadOnlyCollection<string> CoveredSitePageIds => _covered.PageIds;

    /// <summary>Marks a site as covered (its complete device list is in this run), by name; false when it has no page.</summary>
    public bool Cover(string? siteName) => _covered.Cover(siteName);

    /// <summary>True when the input is a network device (not a NinjaOne-managed computer, which has no place in the inventory).</summary>
    public static bool IsNetworkDevice(NetworkDeviceInput input)
        => !string.Equals((input.Source ?? "").Trim(), "NinjaOne", StringComparison.OrdinalIgnoreCase);

    /// <summary>The desired page of one device. Its site counts as covered when it resolves.</summary>
    public DesiredRecord Build(NetworkDeviceInput given)
    {
        if (given is null) throw new ArgumentNullException(nameof(given));
        var check = InputRules.NetworkDevice(given, _time, AllowAnyTimestamp, out var input);
        if (!check.Ok) return DesiredRecord.Failed(input.Mac ?? given.Mac, check, given);
        var key = input.Mac!;
        if (!_sites.TryResolve(input.SiteName, "Network Devices", check.Item, out var site, out var error))
            return DesiredRecord.Failed(key, error!, given);
        _covered.Add(site);

        var p = new RecordProperties()
            .Set(NetworkDevices.DeviceName, input.Name ?? input.Model ?? key)
            .Set(NetworkDevices.Mac, key)
            .Set(NetworkDevices.Site, new[] { site.PageId })
            .Set(NetworkDevices.Status, input.Status ?? "Offline")
            .SetKnown(NetworkDevices.Vendor, VendorName(input))
            .SetKnown(NetworkDevices.Model, RecordValues.Short(input.Model))
            .SetKnown(NetworkDevices.ProductLine, input.ProductLine)
            .SetKnown(NetworkDevices.IpAddress, RecordValues.Short(input.IpAddress))
            .SetKnown(NetworkDevices.Firmware, RecordValues.Short(input.FirmwareVersion))
            .Set(NetworkDevices.FirmwareStatus, FirmwareStatusName(input.FirmwareStatus, input.UpdateAvailable is { } flag ? flag == "true" : null));
        if (input.Source != "NinjaOne") p.SetKnown(NetworkDevices.UniFiDeviceId, input.DeviceId);
        var record = new DesiredRecord(key, p, given) { Description = Describe(p[NetworkDevices.DeviceName.Name].DisplayText, key, site.Name) };
        foreach (var n in check.Notices) record.Notices.Add(n);
        if (input.LastSeen is { } seen)
        {
            p.Set(NetworkDevices.LastSeen, NotionDate.At(seen));
            record.Incidental.Add(NetworkDevices.LastSeen.Name);
        }
        return record;
    }

    /// <summary>
    /// Plans "Gone From Source" for the indexed devices no record of this run named, at covered sites only.
    /// Devices already marked are left out (nothing to write).
    /// </summary>
    public IReadOnlyList<PlannedWrite> PlanGone(UpsertSession session)
    {
        if (session is null) throw new ArgumentNullException(nameof(session));
        var plans = new List<PlannedWrite>();
        foreach (var page in _covered.UnplannedPagesAt(session))
        {
            if (NetworkDevices.Status.Read(page.Values) == GoneStatus) continue;
            var name = page.Values.TryGetValue(NetworkDevices.DeviceName.Name, out var title) ? title.DisplayText : page.Key;
            plans.Add(session.PlanUpdate(page, new RecordProperties().Set(NetworkDevices.Status, GoneStatus),
                description: Describe(name, page.Key, _covered.SiteOf(page))));
        }
        return plans;
    }

    // The device as people name it in prompts: its name, its MAC, and its site.
    private static string Describe(string name, string mac, string? site)
        => $"device '{name}' ({mac})" + (site is null ? "" : $" at '{site}'");

    // The known makers in their spelling; any other is its own option.
    private static string? VendorName(NetworkDeviceInput input)
    {
        var vendor = input.Vendor;
        if (vendor is null) return input.Source == "UniFi" ? "Ubiquiti" : null;
        return vendor.ToLowerInvariant() switch
        {
            "ubiquiti" or "ubnt" or "unifi" => "Ubiquiti",
            "mikrotik" => "MikroTik",
            "sonicwall" => "SonicWall",
            _ => RecordValues.OptionName(vendor),
        };
    }

    // The validated Firmware Status, unless UpdateAvailable says more: an offered update wins, a "no" makes Unknown up to date.
    private static string FirmwareStatusName(string? status, bool? updateAvailable)
    {
        if (updateAvailable == true) return "Update Available";
        if (status is "Update Available" or "Up To Date") return status;
        return updateAvailable == false ? "Up To Date" : "Unknown";
    }
}
