using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Workspace;

// The OberaConnect operations workspace, declared once: each database and its typed columns in
// Workspace/Databases (CustomerSites.HealthScore, ...). Initialize creates it from this, Test-Schema
// compares Notion against it, the syncs write and the read-back reads through the same columns, and
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
    /// <summary>The OberaConnect workspace: seven databases, Customer Sites first.</summary>
    public static WorkspaceDefinition Standard { get; } = new(new[]
    {
        CustomerSites.Definition,
        DailyHealth.Definition,
        ConfigChanges.Definition,
        NetworkDevices.Definition,
        Alerts.Definition,
        AzurePipeline.Definition,
        RunbookLibrary.Definition,
    });
}
