using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Customer Sites database: each column declared once, the definition built from them.</summary>
public static class CustomerSites
{
    public static readonly TitleColumn SiteName = Columns.Title("Site Name", "The site's name in UniFi Site Manager (meta.desc), or the NinjaOne organization name for a site without UniFi.");
    public static readonly TextColumn CustomerId = Columns.Text("Customer ID", "Your own customer number (PSA or billing).").ForUsers();
    public static readonly SelectColumn State = Columns.Select("State", "Where the site is (US state or region), for filtering; options appear as you add them.").ForUsers();
    public static readonly NumberColumn HealthScore = Columns.Number("Health Score", "0 to 100, computed with the weights of the healthScoreWeights setting.");
    public static readonly SelectColumn RiskLevel = Columns.Select("Risk Level", "From the health score and critical alerts: Low, Medium, High, Critical.",
            Opt("Low", OptionColor.Green), Opt("Medium", OptionColor.Yellow), Opt("High", OptionColor.Orange), Opt("Critical", OptionColor.Red));
    public static readonly NumberColumn DevicesOnline = Columns.Number("Devices Online", "UniFi devices reporting (total minus offline).");
    public static readonly NumberColumn DevicesOffline = Columns.Number("Devices Offline", "UniFi devices not reporting.");
    public static readonly NumberColumn DevicesTotal = Columns.Number("Devices Total", "UniFi devices adopted at the site.");
    public static readonly NumberColumn WifiClients = Columns.Number("WiFi Clients", "Wireless clients connected at sync time.");
    public static readonly NumberColumn PendingUpdates = Columns.Number("Pending Updates", "UniFi devices with a firmware update waiting.");
    public static readonly NumberColumn WanUptime = Columns.Number("WAN Uptime", "WAN uptime as UniFi reports it, stored as a fraction (0.999 shows as 99.9%).", NumberFormat.Percent);
    public static readonly SelectColumn Isp = Columns.Select("ISP", "Internet provider as UniFi reports it; options appear as providers are seen.");
    public static readonly NumberColumn OpenTickets = Columns.Number("Open Tickets", "Open NinjaOne tickets of the mapped organization.");
    public static readonly NumberColumn ActiveAlerts = Columns.Number("Active Alerts", "Open NinjaOne alerts on the organization's devices.");
    public static readonly NumberColumn CriticalAlerts = Columns.Number("Critical Alerts", "Open alerts of severity CRITICAL among the active alerts.");
    public static readonly SelectColumn BackupStatus = Columns.Select("Backup Status", "Worst recent NinjaOne backup job result of the organization.",
            Opt("Success", OptionColor.Green), Opt("Partial", OptionColor.Yellow), Opt("Failed", OptionColor.Red), Opt("Unknown", OptionColor.Gray));
    public static readonly CheckboxColumn ConfigDrift = Columns.Checkbox("Config Drift", "Checked when the site's configuration differs from its recorded baseline.");
    public static readonly DateColumn LastSync = Columns.Date("Last Sync", "When the module last wrote this page (UTC, with time).");
    public static readonly MultiSelectColumn DataSources = Columns.MultiSelect("Data Sources", "Sources that answered for this site at the last sync.",
            Opt("UniFi", OptionColor.Blue), Opt("NinjaOne", OptionColor.Purple));
    public static readonly TextColumn SourceStatus = Columns.Text("Source Status", "What was missing at the last sync, for example 'NinjaOne: no organization mapped'; empty when every source answered.");
    public static readonly TextColumn UniFiSiteId = Columns.Text("UniFi Site ID", "UniFi Site Manager site id (siteId).").AsSourceId();
    public static readonly TextColumn UniFiHostId = Columns.Text("UniFi Host ID", "UniFi console (host) id, used to list the site's devices.").AsSourceId();
    public static readonly TextColumn NinjaOneOrgId = Columns.Text("NinjaOne Org ID", "NinjaOne organization id the site is mapped to (see siteMapping).").AsSourceId();
    public static readonly DateColumn ContractRenewal = Columns.Date("Contract Renewal", "When the customer's contract renews.").ForUsers();
    public static readonly TextColumn PrimaryContact = Columns.Text("Primary Contact", "The customer's contact for this site.").ForUsers();
    public static readonly CheckboxColumn HasMikroTik = Columns.Checkbox("Has MikroTik", "The site has MikroTik equipment.").ForUsers();
    public static readonly CheckboxColumn HasSonicWall = Columns.Checkbox("Has SonicWall", "The site has a SonicWall firewall.").ForUsers();
    public static readonly CheckboxColumn HasAzure = Columns.Checkbox("Has Azure", "The customer uses Azure services we manage.").ForUsers();
    public static readonly TextColumn Notes = SharedColumns.Notes.DescribedAs("Free text for engineers.");

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        SiteName, CustomerId, State, HealthScore, RiskLevel, DevicesOnline, DevicesOffline, DevicesTotal, WifiClients, PendingUpdates, WanUptime, Isp, OpenTickets, ActiveAlerts, CriticalAlerts, BackupStatus, ConfigDrift, LastSync, DataSources, SourceStatus, UniFiSiteId, UniFiHostId, NinjaOneOrgId, ContractRenewal, PrimaryContact, HasMikroTik, HasSonicWall, HasAzure, Notes,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.CustomerSites, "Customer Sites", WritePattern.Upsert, SiteName.Name,
        "One page per customer site: its current health score, device and alert counts, and what each " +
        "source reported at the last sync. The root: every other operational database relates to it.",
        All.Select(c => c.Definition));
}
