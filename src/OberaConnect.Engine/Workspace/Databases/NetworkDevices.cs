using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Network Devices database: each column declared once, the definition built from them.</summary>
public static class NetworkDevices
{
    public static readonly TitleColumn DeviceName = Columns.Title("Device Name", "The device's name in UniFi (its model when unnamed).");
    public static readonly TextColumn Mac = Columns.Text("MAC", "MAC address, lower case with colons (aa:bb:cc:dd:ee:ff).");
    public static readonly IdsColumn Site = SharedColumns.Site;
    public static readonly SelectColumn Vendor = Columns.Select("Vendor", "Maker of the device.",
            Opt("Ubiquiti", OptionColor.Blue), Opt("MikroTik", OptionColor.Orange),
            Opt("SonicWall", OptionColor.Red), Opt("Other", OptionColor.Gray));
    public static readonly TextColumn Model = Columns.Text("Model", "Model as the source reports it.");
    public static readonly SelectColumn ProductLine = Columns.Select("Product Line", "UniFi product line.",
            Opt("Network", OptionColor.Blue), Opt("Protect", OptionColor.Purple), Opt("Access", OptionColor.Green),
            Opt("Talk", OptionColor.Yellow), Opt("Connect", OptionColor.Pink), Opt("Other", OptionColor.Gray));
    public static readonly TextColumn IpAddress = Columns.Text("IP Address", "Management IP address.");
    public static readonly SelectColumn Status = Columns.Select("Status", "Online, Offline, Updating, or Gone From Source (no longer listed by UniFi).",
            Opt("Online", OptionColor.Green), Opt("Offline", OptionColor.Red),
            Opt("Updating", OptionColor.Yellow), Opt("Gone From Source", OptionColor.Gray));
    public static readonly TextColumn Firmware = Columns.Text("Firmware", "Firmware version running.");
    public static readonly SelectColumn FirmwareStatus = Columns.Select("Firmware Status", "Whether newer firmware exists.",
            Opt("Up To Date", OptionColor.Green), Opt("Update Available", OptionColor.Yellow),
            Opt("Unknown", OptionColor.Gray));
    public static readonly TextColumn UpdateAvailable = Columns.Text("Update Available", "The firmware version offered; empty when none.");
    public static readonly DateColumn LastSeen = Columns.Date("Last Seen", "When the device last reported (UTC, with time).");
    public static readonly TextColumn UniFiDeviceId = Columns.Text("UniFi Device ID", "UniFi device id.").AsSourceId();
    public static readonly ComputedColumn FirstSeen = Columns.CreatedTime("First Seen", "When the module first created the page.");
    public static readonly TextColumn Notes = SharedColumns.Notes.DescribedAs("Free text: rack position, purpose, quirks.");

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        DeviceName, Mac, Site, Vendor, Model, ProductLine, IpAddress, Status, Firmware, FirmwareStatus, UpdateAvailable, LastSeen, UniFiDeviceId, FirstSeen, Notes,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.NetworkDevices, "Network Devices", WritePattern.Upsert, Mac.Name,
        "Hardware inventory across all sites, kept in step with UniFi. A device that disappears from " +
        "UniFi keeps its page, marked Gone From Source.",
        All.Select(c => c.Definition));
}
