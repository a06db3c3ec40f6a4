using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// A page of a workspace database as the read-back cmdlets return it: typed properties named like the columns of its
/// database (CustomerSites.HealthScore → HealthScore), filled by a <see cref="RecordMap{T}"/>, plus the page's identity and timestamps.
/// </summary>
public abstract class WorkspaceRecord
{
    public string PageId { get; set; } = "";
    public string? Url { get; set; }
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset LastEditedTime { get; set; }

    /// <summary>Sets the identity fields from the page.</summary>
    internal void SetIdentity(NotionPage page)
    {
        PageId = page.Id;
        Url = page.Url;
        CreatedTime = page.CreatedTime;
        LastEditedTime = page.LastEditedTime;
    }
}

/// <summary>A page of Customer Sites: the site's current health and what the sources reported at the last sync.</summary>
public sealed class CustomerStatus : WorkspaceRecord
{
    public string SiteName { get; set; } = "";
    public double? HealthScore { get; set; }
    public string? RiskLevel { get; set; }
    public int? DevicesOnline { get; set; }
    public int? DevicesOffline { get; set; }
    public int? DevicesTotal { get; set; }
    public int? WifiClients { get; set; }
    public int? PendingUpdates { get; set; }

    /// <summary>WAN uptime as a fraction (0.999 is 99.9%).</summary>
    public double? WanUptime { get; set; }
    public string? Isp { get; set; }
    public int? OpenTickets { get; set; }
    public int? ActiveAlerts { get; set; }
    public int? CriticalAlerts { get; set; }
    public string? BackupStatus { get; set; }
    public bool ConfigDrift { get; set; }
    public DateTimeOffset? LastSync { get; set; }
    public IReadOnlyList<string> DataSources { get => _dataSources; set => _dataSources = NameList.From(value); }

    private IReadOnlyList<string> _dataSources = NameList.Empty;
    public string? SourceStatus { get; set; }
    public string? UniFiSiteId { get; set; }
    public string? UniFiHostId { get; set; }
    public string? NinjaOneOrgId { get; set; }
    public string? CustomerId { get; set; }
    public string? State { get; set; }
    public DateTime? ContractRenewal { get; set; }
    public string? PrimaryContact { get; set; }
    public bool HasMikroTik { get; set; }
    public bool HasSonicWall { get; set; }
    public bool HasAzure { get; set; }
    public string? Notes { get; set; }

    private static readonly RecordMap<CustomerStatus> Map = new(typeof(CustomerSites));

    internal static CustomerStatus FromPage(NotionPage p) => Map.Read(p);

    public override string ToString() => $"{SiteName}: {HealthScore} ({RiskLevel})";
}

/// <summary>A page of Daily Health: one site's snapshot of one day.</summary>
public sealed class DailyHealthRecord : WorkspaceRecord
{
    public string Snapshot { get; set; } = "";
    public string? SnapshotKey { get; set; }

    /// <summary>The site's name (from Customer Sites).</summary>
    public string? SiteName { get; set; }

    /// <summary>The site's page id in Customer Sites.</summary>
    public string? SiteId { get; set; }
    public DateTime? Date { get; set; }
    public double? HealthScore { get; set; }
    public string? RiskLevel { get; set; }
    public int? DevicesOnline { get; set; }
    public int? DevicesOffline { get; set; }
    public int? DevicesTotal { get; set; }
    public int? WifiClients { get; set; }
    public int? ActiveAlerts { get; set; }
    public int? CriticalAlerts { get; set; }
    public string? BackupStatus { get; set; }
    public bool ConfigDrift { get; set; }

    private static readonly RecordMap<DailyHealthRecord> Map = new(typeof(DailyHealth));

    internal static DailyHealthRecord FromPage(NotionPage p, SiteDirectory sites) => Map.Read(p, sites);

    public override string ToString() => Snapshot;
}

/// <summary>A page of Config Changes: one entry of the audit log.</summary>
public sealed class ConfigChangeRecord : WorkspaceRecord
{
    public string Change { get; set; } = "";
    public string? ChangeId { get; set; }

    /// <summary>Notion's running number, for example CHG-12.</summary>
    public string? Ref { get; set; }
    public string? SiteName { get; set; }
    public string? SiteId { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? Tool { get; set; }
    public string? Action { get; set; }
    public string? TargetDevice { get; set; }
    public string? Engineer { get; set; }
    public string? Result { get; set; }
    public string? Ticket { get; set; }
    public string? Details { get; set; }

    private static readonly RecordMap<ConfigChangeRecord> Map = new(typeof(ConfigChanges));

    internal static ConfigChangeRecord FromPage(NotionPage p, SiteDirectory sites) => Map.Read(p, sites);

    public override string ToString() => Change;
}

/// <summary>A page of Network Devices: one device of the inventory.</summary>
public sealed class NetworkDeviceRecord : WorkspaceRecord
{
    public string DeviceName { get; set; } = "";
    public string? Mac { get; set; }
    public string? SiteName { get; set; }
    public string? SiteId { get; set; }
    public string? Vendor { get; set; }
    public string? Model { get; set; }
    public string? ProductLine { get; set; }
    public string? IpAddress { get; set; }
    public string? Status { get; set; }
    public string? Firmware { get; set; }
    public string? FirmwareStatus { get; set; }
    public string? UpdateAvailable { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public string? UniFiDeviceId { get; set; }
    public DateTimeOffset? FirstSeen { get; set; }
    public string? Notes { get; set; }

    private static readonly RecordMap<NetworkDeviceRecord> Map = new(typeof(NetworkDevices));

    internal static NetworkDeviceRecord FromPage(NotionPage p, SiteDirectory sites) => Map.Read(p, sites);

    public override string ToString() => $"{DeviceName} ({Mac})";
}

/// <summary>A page of Alerts: one NinjaOne alert as an incident.</summary>
public sealed class AlertRecord : WorkspaceRecord
{
    public string Alert { get; set; } = "";
    public string? AlertUid { get; set; }
    public string? SiteName { get; set; }
    public string? SiteId { get; set; }
    public string? Device { get; set; }
    public string? Severity { get; set; }
    public string? Status { get; set; }
    public string? Message { get; set; }
    public string? SourceType { get; set; }
    public DateTimeOffset? Created { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Notion user ids of the people assigned.</summary>
    public IReadOnlyList<string> AssignedTo { get => _assignedTo; set => _assignedTo = NameList.From(value); }

    private IReadOnlyList<string> _assignedTo = NameList.Empty;

    private static readonly RecordMap<AlertRecord> Map = new(typeof(Alerts));

    internal static AlertRecord FromPage(NotionPage p, SiteDirectory sites) => Map.Read(p, sites);

    public override string ToString() => Alert;
}

/// <summary>
/// A page's properties by name that reads as one text in Export-Csv ("Site Name: Acme; Health Score: 72"), not as its
/// type name; ConvertTo-Json still writes an object, PowerShell still indexes it by name.
/// </summary>
public sealed class PropertyBag : System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>
{
    public PropertyBag(IDictionary<string, object?> properties) : base(properties) { }

    public override string ToString() => string.Join("; ", this.Select(kv => kv.Key + ": " + Text(kv.Value)));

    private static string Text(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// Any page of any workspace database (Get-NotionPage): the title, and every property (or the ones asked for)
/// as a plain value in <see cref="Properties"/>, keyed by the Notion property name.
/// </summary>
public sealed class WorkspacePageRecord : WorkspaceRecord
{
    /// <summary>The database key, for example CustomerSites.</summary>
    public string Database { get; set; } = "";
    public string Title { get; set; } = "";

    /// <summary>
    /// Property name → plain value: text → string, number → double, select/status → option name, multi-select →
    /// a list of names (one text in Export-Csv), date → DateTime (a day) or DateTimeOffset (with a time), checkbox → bool, relation/people → a list of ids,
    /// timestamps → DateTimeOffset, unique id → "CHG-12", formula/rollup → their result. Names ignore case.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Properties { get; set; } = new PropertyBag(new Dictionary<string, object?>());

    internal static WorkspacePageRecord FromPage(NotionPage p, string database, IReadOnlyCollection<string>? only)
    {
        var bag = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in p.Properties)
        {
            if (only != null && !only.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)) continue;
            var value = PageFields.Plain(kv.Value);
            bag[kv.Key] = value is string[] names ? NameList.From(names) : value;
        }
        var r = new WorkspacePageRecord { Database = database, Title = p.Title, Properties = new PropertyBag(bag) };
        r.SetIdentity(p);
        return r;
    }

    public override string ToString() => Title;
}
