using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace;

// The OberaConnect operations workspace, declared once. Initialize creates it from this, Test-Schema
// compares Notion against it, the syncs write the properties marked as the module's, and
// about_OberaConnect_Schema is rendered from it (SchemaDocument). Descriptions are plain ASCII
// because Windows PowerShell 5.1 shows about_ topics without a BOM as ANSI.
//
// Choices worth knowing:
// - Every relation is single_property: a dual relation would add a back-reference column to Customer
//   Sites listing every snapshot, change and alert (hundreds per site a year) and make the root
//   database's schema depend on the others. Users can add rollups or views on their side.
// - Select, not status, for stages and states: the API can only create a status property with
//   Notion's default options and cannot rename or recolor them on 2025-09-03.
// - Select options are a starting palette: writing a value that is not an option adds it, so
//   properties whose values come from a source (Tool, ISP, Source Type) start empty.
// - Ids from the sources (UniFi Site ID, NinjaOne Org ID, MAC, ...) are rich_text: they are matched
//   with "equals", never summed, and some are not numeric.
public sealed partial class WorkspaceDefinition
{
    private static readonly SelectOption[] RiskLevels =
    {
        Opt("Low", OptionColor.Green), Opt("Medium", OptionColor.Yellow),
        Opt("High", OptionColor.Orange), Opt("Critical", OptionColor.Red),
    };

    private static readonly SelectOption[] BackupStates =
    {
        Opt("Success", OptionColor.Green), Opt("Partial", OptionColor.Yellow),
        Opt("Failed", OptionColor.Red), Opt("Unknown", OptionColor.Gray),
    };

    /// <summary>The OberaConnect workspace: seven databases, Customer Sites first.</summary>
    public static WorkspaceDefinition Standard { get; } = new(new[]
    {
        new DatabaseDefinition(DatabaseKey.CustomerSites, "Customer Sites", WritePattern.Upsert, "Site Name",
            "One page per customer site: its current health score, device and alert counts, and what each " +
            "source reported at the last sync. The root: every other operational database relates to it.",
            new[]
            {
                Title("Site Name", "The site's name in UniFi Site Manager (meta.desc), or the NinjaOne organization name for a site without UniFi."),
                Text("Customer ID", "Your own customer number (PSA or billing).").ForUsers(),
                Select("State", "Where the site is (US state or region), for filtering; options appear as you add them.").ForUsers(),
                Number("Health Score", "0 to 100, computed with the weights of the healthScoreWeights setting."),
                Select("Risk Level", "From the health score and critical alerts: Low, Medium, High, Critical.", RiskLevels),
                Number("Devices Online", "UniFi devices reporting (total minus offline)."),
                Number("Devices Offline", "UniFi devices not reporting."),
                Number("Devices Total", "UniFi devices adopted at the site."),
                Number("WiFi Clients", "Wireless clients connected at sync time."),
                Number("Pending Updates", "UniFi devices with a firmware update waiting."),
                Number("WAN Uptime", "WAN uptime as UniFi reports it, stored as a fraction (0.999 shows as 99.9%).", NumberFormat.Percent),
                Select("ISP", "Internet provider as UniFi reports it; options appear as providers are seen."),
                Number("Open Tickets", "Open NinjaOne tickets of the mapped organization."),
                Number("Active Alerts", "Open NinjaOne alerts on the organization's devices."),
                Number("Critical Alerts", "Open alerts of severity CRITICAL among the active alerts."),
                Select("Backup Status", "Worst recent NinjaOne backup job result of the organization.", BackupStates),
                Checkbox("Config Drift", "Checked when the site's configuration differs from its recorded baseline."),
                Date("Last Sync", "When the module last wrote this page (UTC, with time)."),
                MultiSelect("Data Sources", "Sources that answered for this site at the last sync.",
                    Opt("UniFi", OptionColor.Blue), Opt("NinjaOne", OptionColor.Purple)),
                Text("Source Status", "What was missing at the last sync, for example 'NinjaOne: no organization mapped'; empty when every source answered."),
                Text("UniFi Site ID", "UniFi Site Manager site id (siteId).").AsSourceId(),
                Text("UniFi Host ID", "UniFi console (host) id, used to list the site's devices.").AsSourceId(),
                Text("NinjaOne Org ID", "NinjaOne organization id the site is mapped to (see siteMapping).").AsSourceId(),
                Date("Contract Renewal", "When the customer's contract renews.").ForUsers(),
                Text("Primary Contact", "The customer's contact for this site.").ForUsers(),
                Checkbox("Has MikroTik", "The site has MikroTik equipment.").ForUsers(),
                Checkbox("Has SonicWall", "The site has a SonicWall firewall.").ForUsers(),
                Checkbox("Has Azure", "The customer uses Azure services we manage.").ForUsers(),
                Text("Notes", "Free text for engineers.").ForUsers(),
            }),

        new DatabaseDefinition(DatabaseKey.DailyHealth, "Daily Health", WritePattern.InsertOnly, "Snapshot Key",
            "One page per site per day, written once and never changed, for trends ('compare this week " +
            "to last month'). On a free workspace with several members, 98 sites reach the 1,000-block cap " +
            "in about ten days.",
            new[]
            {
                Title("Snapshot", "The site name and the date joined by an em dash (U+2014), for example 'Acme Corp [em dash] 2026-11-22'."),
                Text("Snapshot Key", "Site name, '|', date (yyyy-MM-dd): one snapshot per site per day. A key already present is skipped."),
                Date("Date", "The day the snapshot describes (date only)."),
                Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites."),
                Number("Health Score", "0 to 100, as on the site's page that day."),
                Select("Risk Level", "Risk level that day.", RiskLevels),
                Number("Devices Online", "UniFi devices reporting."),
                Number("Devices Offline", "UniFi devices not reporting."),
                Number("Devices Total", "UniFi devices adopted at the site."),
                Number("WiFi Clients", "Wireless clients connected."),
                Number("Active Alerts", "Open NinjaOne alerts."),
                Number("Critical Alerts", "Open alerts of severity CRITICAL."),
                Select("Backup Status", "Worst recent backup job result.", BackupStates),
                Checkbox("Config Drift", "Checked when the configuration differed from its baseline."),
            }),

        new DatabaseDefinition(DatabaseKey.ConfigChanges, "Config Changes", WritePattern.Immutable, "Change ID",
            "The audit log of configuration changes made with oberaconnect-tools: one page per change, " +
            "created once and never edited or deleted by the module.",
            new[]
            {
                Title("Change", "Short summary: site, tool, action and target, for example 'Acme Corp - sonicwall: add address object'."),
                Text("Change ID", "The id the tool gave the change; unique."),
                UniqueId("Ref", "CHG", "Notion's running number (CHG-1, CHG-2, ...) to quote in tickets."),
                Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites."),
                Date("Timestamp", "When the change was made (UTC, with time)."),
                Select("Tool", "The tool that made the change; options appear as tools report."),
                Select("Action", "What kind of change it was.",
                    Opt("Create", OptionColor.Green), Opt("Update", OptionColor.Blue), Opt("Delete", OptionColor.Red),
                    Opt("Backup", OptionColor.Gray), Opt("Restore", OptionColor.Orange), Opt("Reboot", OptionColor.Yellow),
                    Opt("Firmware Upgrade", OptionColor.Purple)),
                Text("Target Device", "The device changed (name or address)."),
                Text("Engineer", "Who made the change (the tool's user name)."),
                Select("Result", "How the change ended.",
                    Opt("Success", OptionColor.Green), Opt("Failed", OptionColor.Red),
                    Opt("Partial", OptionColor.Yellow), Opt("Rolled Back", OptionColor.Orange)),
                Text("Ticket", "PSA ticket the change belongs to."),
                Text("Details", "What was changed, cut at 2,000 characters."),
            }),

        new DatabaseDefinition(DatabaseKey.NetworkDevices, "Network Devices", WritePattern.Upsert, "MAC",
            "Hardware inventory across all sites, kept in step with UniFi. A device that disappears from " +
            "UniFi keeps its page, marked Gone From Source.",
            new[]
            {
                Title("Device Name", "The device's name in UniFi (its model when unnamed)."),
                Text("MAC", "MAC address, lower case with colons (aa:bb:cc:dd:ee:ff)."),
                Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites."),
                Select("Vendor", "Maker of the device.",
                    Opt("Ubiquiti", OptionColor.Blue), Opt("MikroTik", OptionColor.Orange),
                    Opt("SonicWall", OptionColor.Red), Opt("Other", OptionColor.Gray)),
                Text("Model", "Model as the source reports it."),
                Select("Product Line", "UniFi product line.",
                    Opt("Network", OptionColor.Blue), Opt("Protect", OptionColor.Purple), Opt("Access", OptionColor.Green),
                    Opt("Talk", OptionColor.Yellow), Opt("Connect", OptionColor.Pink), Opt("Other", OptionColor.Gray)),
                Text("IP Address", "Management IP address."),
                Select("Status", "Online, Offline, Updating, or Gone From Source (no longer listed by UniFi).",
                    Opt("Online", OptionColor.Green), Opt("Offline", OptionColor.Red),
                    Opt("Updating", OptionColor.Yellow), Opt("Gone From Source", OptionColor.Gray)),
                Text("Firmware", "Firmware version running."),
                Select("Firmware Status", "Whether newer firmware exists.",
                    Opt("Up To Date", OptionColor.Green), Opt("Update Available", OptionColor.Yellow),
                    Opt("Unknown", OptionColor.Gray)),
                Text("Update Available", "The firmware version offered; empty when none."),
                Date("Last Seen", "When the device last reported (UTC, with time)."),
                Text("UniFi Device ID", "UniFi device id.").AsSourceId(),
                CreatedTime("First Seen", "When the module first created the page."),
                Text("Notes", "Free text: rack position, purpose, quirks.").ForUsers(),
            }),

        new DatabaseDefinition(DatabaseKey.Alerts, "Alerts", WritePattern.Upsert, "Alert UID",
            "NinjaOne alerts as incidents: created when raised, marked Resolved when they leave NinjaOne's " +
            "open alerts. Pages are never deleted.",
            new[]
            {
                Title("Alert", "The alert's subject, or the start of its message."),
                Text("Alert UID", "NinjaOne alert uid."),
                Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites."),
                Text("Device", "The device that raised it (NinjaOne display name)."),
                Select("Severity", "NinjaOne severity, from the alert's activity.",
                    Opt("NONE", OptionColor.Gray), Opt("MINOR", OptionColor.Blue), Opt("MODERATE", OptionColor.Yellow),
                    Opt("MAJOR", OptionColor.Orange), Opt("CRITICAL", OptionColor.Red)),
                Select("Status", "Open while NinjaOne lists it, then Resolved.",
                    Opt("Open", OptionColor.Red), Opt("Resolved", OptionColor.Green)),
                Text("Message", "The alert's full message, cut at 2,000 characters."),
                Select("Source Type", "NinjaOne source type (condition, ...); options appear as they are seen."),
                Date("Created", "When NinjaOne raised it (UTC, with time)."),
                Date("Resolved At", "When the module saw it resolved (UTC, with time)."),
                People("Assigned To", "The engineer working on it.").ForUsers(),
            }),

        new DatabaseDefinition(DatabaseKey.AzurePipeline, "Azure Pipeline", WritePattern.Update, "Service Name",
            "Azure services the MSP offers, moved through stages from idea to retirement. Standalone.",
            new[]
            {
                Title("Service Name", "The service, for example 'Azure VPN'."),
                Select("Stage", "Where the service is: Idea, Design, Build, Test, Pilot, Production, Retired.",
                    Opt("Idea", OptionColor.Gray), Opt("Design", OptionColor.Blue), Opt("Build", OptionColor.Purple),
                    Opt("Test", OptionColor.Yellow), Opt("Pilot", OptionColor.Orange), Opt("Production", OptionColor.Green),
                    Opt("Retired", OptionColor.Brown)),
                Select("Category", "Kind of service.",
                    Opt("Networking", OptionColor.Blue), Opt("Identity", OptionColor.Purple), Opt("Security", OptionColor.Red),
                    Opt("Compute", OptionColor.Orange), Opt("Storage", OptionColor.Brown), Opt("Backup", OptionColor.Green),
                    Opt("Monitoring", OptionColor.Yellow), Opt("Other", OptionColor.Gray)),
                Date("Last Stage Change", "When the stage last changed (UTC, with time)."),
                Text("Stage History", "One line per move, oldest first ('2026-11-22 Build -> Test'); the oldest lines go past 2,000 characters."),
                People("Owner", "Who drives the service.").ForUsers(),
                Text("Description", "What the service is and for whom.").ForUsers(),
                Url("Documentation", "Link to the design or runbook.").ForUsers(),
            }),

        new DatabaseDefinition(DatabaseKey.RunbookLibrary, "Runbook Library", WritePattern.Update, "Title",
            "SOPs and runbooks published from Markdown files: added when new, rewritten when the file " +
            "changes. Standalone: documents name devices in their text, not through relations.",
            new[]
            {
                Title("Title", "The document's title."),
                Select("Category", "Kind of document.",
                    Opt("Network", OptionColor.Blue), Opt("Security", OptionColor.Red), Opt("Backup", OptionColor.Green),
                    Opt("Azure", OptionColor.Purple), Opt("Onboarding", OptionColor.Yellow),
                    Opt("Incident Response", OptionColor.Orange), Opt("Maintenance", OptionColor.Gray)),
                MultiSelect("Tags", "Tags from the document; options appear as they are used."),
                Text("Source File", "The Markdown file the page was published from."),
                Text("Content Hash", "SHA-256 of the source file; the page body is rewritten only when it changes."),
                People("Owner", "Who keeps the document true.").ForUsers(),
                Date("Last Reviewed", "When someone last checked the document.").ForUsers(),
                LastEditedTime("Last Edited", "When the page last changed, by anyone."),
            }),
    });
}
