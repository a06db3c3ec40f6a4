using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Daily Health database: each column declared once, the definition built from them.</summary>
public static class DailyHealth
{
    public static readonly TitleColumn Snapshot = Columns.Title("Snapshot", "The site name and the date joined by an em dash (U+2014), for example 'Acme Corp [em dash] 2026-11-22'.");
    public static readonly TextColumn SnapshotKey = Columns.Text("Snapshot Key", "Site name, '|', date (yyyy-MM-dd): one snapshot per site per day. A key already present is skipped.");
    public static readonly DateColumn Date = Columns.Date("Date", "The day the snapshot describes (date only).");
    public static readonly IdsColumn Site = SharedColumns.Site;
    public static readonly NumberColumn HealthScore = Columns.Number("Health Score", "0 to 100, as on the site's page that day.");
    public static readonly SelectColumn RiskLevel = Columns.Select("Risk Level", "Risk level that day.", SharedColumns.RiskLevels);
    public static readonly NumberColumn DevicesOnline = Columns.Number("Devices Online", "UniFi devices reporting.");
    public static readonly NumberColumn DevicesOffline = Columns.Number("Devices Offline", "UniFi devices not reporting.");
    public static readonly NumberColumn DevicesTotal = Columns.Number("Devices Total", "UniFi devices adopted at the site.");
    public static readonly NumberColumn WifiClients = Columns.Number("WiFi Clients", "Wireless clients connected.");
    public static readonly NumberColumn ActiveAlerts = Columns.Number("Active Alerts", "Open NinjaOne alerts.");
    public static readonly NumberColumn CriticalAlerts = Columns.Number("Critical Alerts", "Open alerts of severity CRITICAL.");
    public static readonly SelectColumn BackupStatus = Columns.Select("Backup Status", "Worst recent backup job result.", SharedColumns.BackupStates);
    public static readonly CheckboxColumn ConfigDrift = Columns.Checkbox("Config Drift", "Checked when the configuration differed from its baseline.");

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        Snapshot, SnapshotKey, Date, Site, HealthScore, RiskLevel, DevicesOnline, DevicesOffline, DevicesTotal, WifiClients, ActiveAlerts, CriticalAlerts, BackupStatus, ConfigDrift,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.DailyHealth, "Daily Health", WritePattern.InsertOnly, SnapshotKey.Name,
        "One page per site per day, written once and never changed, for trends ('compare this week " +
        "to last month'). On a free workspace with several members, 98 sites reach the 1,000-block cap " +
        "in about ten days.",
        All.Select(c => c.Definition));
}
