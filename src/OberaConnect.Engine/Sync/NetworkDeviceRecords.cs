using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

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

    public NetworkDeviceRecords(SiteRelationIndex sites)
    {
        _sites = sites ?? throw new ArgumentNullException(nameof(sites));
        _covered = new SiteCoverage(sites);
    }

    /// <summary>Customer Sites page ids of the sites this run covered.</summary>
    public IReadOnlyCollection<string> CoveredSitePageIds => _covered.PageIds;

    /// <summary>Marks a site as covered (its complete device list is in this run), by name; false when it has no page.</summary>
    public bool Cover(string? siteName) => _covered.Cover(siteName);

    /// <summary>True when the input is a network device (not a NinjaOne-managed computer, which has no place in the inventory).</summary>
    public static bool IsNetworkDevice(NetworkDeviceInput input)
        => !string.Equals((input.Source ?? "").Trim(), "NinjaOne", StringComparison.OrdinalIgnoreCase);

    /// <summary>The desired page of one device. Its site counts as covered when it resolves.</summary>
    public DesiredRecord Build(NetworkDeviceInput input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var label = RecordValues.Clean(input.Name) ?? RecordValues.Clean(input.DeviceId) ?? RecordValues.Clean(input.Mac) ?? "(unnamed)";
        var item = $"Network device '{label}'";
        if (!MacAddress.TryParse(input.Mac, out var mac, out var badMac, item))
            return DesiredRecord.Failed(RecordValues.Clean(input.Mac) ?? "", badMac!, input);
        var key = mac.ToString();
        if (!_sites.TryResolve(input.SiteName, "Network Devices", item, out var site, out var error))
            return DesiredRecord.Failed(key, error!, input);
        _covered.Add(site);

        var p = new Dictionary<string, PropertyValue>(StringComparer.Ordinal)
        {
            ["Device Name"] = PropertyValue.Title(NotionText.Truncate(RecordValues.Clean(input.Name) ?? RecordValues.Clean(input.Model) ?? key, 200)),
            ["MAC"] = PropertyValue.RichText(key),
            ["Site"] = PropertyValue.Relation(site.PageId),
            ["Status"] = PropertyValue.Select(StatusName(input.Status)),
        };
        if (VendorName(input) is { } vendor) p["Vendor"] = PropertyValue.Select(vendor);
        if (RecordValues.Clean(input.Model) is { } model) p["Model"] = RecordValues.ShortText(model);
        if (RecordValues.Clean(input.ProductLine) is { } line) p["Product Line"] = PropertyValue.Select(ProductLineName(line));
        if (RecordValues.Clean(input.IpAddress) is { } ip) p["IP Address"] = RecordValues.ShortText(ip);
        if (RecordValues.Clean(input.FirmwareVersion) is { } firmware) p["Firmware"] = RecordValues.ShortText(firmware);
        if (!RecordValues.TryFlag(input.UpdateAvailable, "UpdateAvailable", item, out var update, out var badFlag))
            return DesiredRecord.Failed(key, badFlag!, input);
        p["Firmware Status"] = PropertyValue.Select(FirmwareStatusName(input.FirmwareStatus, update));
        if (RecordValues.Clean(input.DeviceId) is { } deviceId && !string.Equals((input.Source ?? "UniFi").Trim(), "NinjaOne", StringComparison.OrdinalIgnoreCase))
            p["UniFi Device ID"] = PropertyValue.RichText(deviceId);
        var record = new DesiredRecord(key, p, input) { Description = Describe(p["Device Name"].DisplayText, key, site.Name) };
        if (input.LastSeen is { } seen)
        {
            p["Last Seen"] = PropertyValue.Date(NotionDate.At(seen));
            record.Incidental.Add("Last Seen");
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
            if (page.Values.TryGetValue("Status", out var status) && status is OptionValue { Name: GoneStatus }) continue;
            var name = page.Values.TryGetValue("Device Name", out var title) ? title.DisplayText : page.Key;
            plans.Add(session.PlanUpdate(page, new Dictionary<string, PropertyValue>(StringComparer.Ordinal)
            {
                ["Status"] = PropertyValue.Select(GoneStatus),
            }, description: Describe(name, page.Key, _covered.SiteOf(page))));
        }
        return plans;
    }

    // The device as people name it in prompts: its name, its MAC, and its site.
    private static string Describe(string name, string mac, string? site)
        => $"device '{name}' ({mac})" + (site is null ? "" : $" at '{site}'");

    internal static string StatusName(string? status) => (status ?? "").Trim().ToLowerInvariant() switch
    {
        "online" or "connected" or "up" => "Online",
        "updating" or "upgrading" or "provisioning" => "Updating",
        _ => "Offline",
    };

    private static string? VendorName(NetworkDeviceInput input)
    {
        var vendor = RecordValues.Clean(input.Vendor);
        if (vendor is null)
            return string.Equals((input.Source ?? "").Trim(), "UniFi", StringComparison.OrdinalIgnoreCase) ? "Ubiquiti" : null;
        return vendor.ToLowerInvariant() switch
        {
            "ubiquiti" or "ubnt" or "unifi" => "Ubiquiti",
            "mikrotik" => "MikroTik",
            "sonicwall" => "SonicWall",
            _ => RecordValues.OptionName(vendor),
        };
    }

    private static string ProductLineName(string line) => line.Trim().ToLowerInvariant() switch
    {
        "network" => "Network",
        "protect" => "Protect",
        "access" => "Access",
        "talk" => "Talk",
        "connect" => "Connect",
        _ => "Other",
    };

    private static string FirmwareStatusName(string? status, bool? updateAvailable)
    {
        if (updateAvailable == true) return "Update Available";
        var s = (status ?? "").Trim().Replace(" ", "").Replace("_", "").ToLowerInvariant();
        if (s is "updateavailable" or "outdated") return "Update Available";
        if (s is "uptodate" or "current" || updateAvailable == false) return "Up To Date";
        return "Unknown";
    }
}
