namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>
/// The Daily Health database: each column declared once, the definition built from them. A snapshot copies the site's
/// columns of Customer Sites, so it takes those columns (name, type, options) and only describes them for a day.
/// </summary>
public static class DailyHealth
{
    public static readonly TitleColumn Snapshot = Columns.Title("Snapshot", "The site name and the date joined by an em dash (U+2014), for example 'Acme Corp [em dash] 2026-11-22'.");
    public static readonly TextColumn SnapshotKey = Columns.Text("Snapshot Key", "Site name, '|', date (yyyy-MM-dd): one snapshot per site per day. A key already present is skipped.");
    public static readonly DateColumn Date = Columns.Date("Date", "The day the snapshot describes (date only).");
    public static readonly IdsColumn Site = SharedColumns.Site;
    public static readonly NumberColumn HealthScore = CustomerSites.HealthScore.DescribedAs("0 to 100, as on the site's page that day.");
    public static readonly SelectColumn RiskLevel = CustomerSites.RiskLevel.DescribedAs("Risk level that day.");
    public static readonly NumberColumn DevicesOnline = CustomerSites.DevicesOnline.DescribedAs("UniFi devices reporting.");
    public static readonly NumberColumn DevicesOffline = CustomerSites.DevicesOffline.DescribedAs("UniFi devices not reporting.");
    public static readonly NumberColumn DevicesTotal = CustomerSites.DevicesTotal.DescribedAs("UniFi devices adopted at the site.");
    public static readonly NumberColumn WifiClients = CustomerSites.WifiClients.DescribedAs("Wireless clients connected.");
    public static readonly NumberColumn ActiveAlerts = CustomerSites.ActiveAlerts.DescribedAs("Open NinjaOne alerts.");
    public static readonly NumberColumn CriticalAlerts = CustomerSites.CriticalAlerts.DescribedAs("Open alerts of severity CRITICAL.");
    public static readonly SelectColumn BackupStatus = CustomerSites.BackupStatus.DescribedAs("Worst recent backup job result.");
    public static readonly CheckboxColumn ConfigDrift = CustomerSites.ConfigDrift.DescribedAs("Checked when the configuration differed from its baseline.");

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
