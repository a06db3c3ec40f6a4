using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Alerts database: each column declared once, the definition built from them.</summary>
public static class Alerts
{
    public static readonly TitleColumn Alert = Columns.Title("Alert", "The alert's subject, or the start of its message.");
    public static readonly TextColumn AlertUid = Columns.Text("Alert UID", "NinjaOne alert uid.");
    public static readonly IdsColumn Site = SharedColumns.Site;
    public static readonly TextColumn Device = Columns.Text("Device", "The device that raised it (NinjaOne display name).");
    public static readonly SelectColumn Severity = Columns.Select("Severity", "NinjaOne severity, from the alert's activity.",
            Opt("NONE", OptionColor.Gray), Opt("MINOR", OptionColor.Blue), Opt("MODERATE", OptionColor.Yellow),
            Opt("MAJOR", OptionColor.Orange), Opt("CRITICAL", OptionColor.Red));
    public static readonly SelectColumn Status = Columns.Select("Status", "Open while NinjaOne lists it, then Resolved.",
            Opt("Open", OptionColor.Red), Opt("Resolved", OptionColor.Green));
    public static readonly TextColumn Message = Columns.Text("Message", "The alert's full message, cut at 2,000 characters.");
    public static readonly SelectColumn SourceType = Columns.Select("Source Type", "NinjaOne source type (condition, ...); options appear as they are seen.");
    public static readonly DateColumn Created = Columns.Date("Created", "When NinjaOne raised it (UTC, with time).");
    public static readonly DateColumn ResolvedAt = Columns.Date("Resolved At", "When the module saw it resolved (UTC, with time).");
    public static readonly IdsColumn AssignedTo = Columns.People("Assigned To", "The engineer working on it.").ForUsers();

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        Alert, AlertUid, Site, Device, Severity, Status, Message, SourceType, Created, ResolvedAt, AssignedTo,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.Alerts, "Alerts", WritePattern.Upsert, AlertUid.Name,
        "NinjaOne alerts as incidents: created when raised, marked Resolved when they leave NinjaOne's " +
        "open alerts. Pages are never deleted.",
        All.Select(c => c.Definition));
}
