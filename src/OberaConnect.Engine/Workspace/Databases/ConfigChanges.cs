using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Config Changes database: each column declared once, the definition built from them.</summary>
public static class ConfigChanges
{
    public static readonly TitleColumn Change = Columns.Title("Change", "Short summary: site, tool, action and target, for example 'Acme Corp - sonicwall: add address object'.");
    public static readonly TextColumn ChangeId = Columns.Text("Change ID", "The id the tool gave the change; unique.");
    public static readonly ComputedColumn Ref = Columns.UniqueId("Ref", "CHG", "Notion's running number (CHG-1, CHG-2, ...) to quote in tickets.");
    public static readonly IdsColumn Site = SharedColumns.Site;
    public static readonly DateColumn Timestamp = Columns.Date("Timestamp", "When the change was made (UTC, with time).");
    public static readonly SelectColumn Tool = Columns.Select("Tool", "The tool that made the change; options appear as tools report.");
    public static readonly SelectColumn Action = Columns.Select("Action", "What kind of change it was.",
            Opt("Create", OptionColor.Green), Opt("Update", OptionColor.Blue), Opt("Delete", OptionColor.Red),
            Opt("Backup", OptionColor.Gray), Opt("Restore", OptionColor.Orange), Opt("Reboot", OptionColor.Yellow),
            Opt("Firmware Upgrade", OptionColor.Purple));
    public static readonly TextColumn TargetDevice = Columns.Text("Target Device", "The device changed (name or address).");
    public static readonly TextColumn Engineer = Columns.Text("Engineer", "Who made the change (the tool's user name).");
    public static readonly SelectColumn Result = Columns.Select("Result", "How the change ended.",
            Opt("Success", OptionColor.Green), Opt("Failed", OptionColor.Red),
            Opt("Partial", OptionColor.Yellow), Opt("Rolled Back", OptionColor.Orange));
    public static readonly TextColumn Ticket = Columns.Text("Ticket", "PSA ticket the change belongs to.");
    public static readonly TextColumn Details = Columns.Text("Details", "What was changed, cut at 2,000 characters.");

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        Change, ChangeId, Ref, Site, Timestamp, Tool, Action, TargetDevice, Engineer, Result, Ticket, Details,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.ConfigChanges, "Config Changes", WritePattern.Immutable, ChangeId.Name,
        "The audit log of configuration changes made with oberaconnect-tools: one page per change, " +
        "created once and never edited or deleted by the module.",
        All.Select(c => c.Definition));
}
