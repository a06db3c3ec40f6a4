using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Azure Pipeline database: each column declared once, the definition built from them.</summary>
public static class AzurePipeline
{
    public static readonly TitleColumn ServiceName = Columns.Title("Service Name", "The service, for example 'Azure VPN'.");
    public static readonly SelectColumn Stage = Columns.Select("Stage", "Where the service is: Idea, Design, Build, Test, Pilot, Production, Retired.",
            Opt("Idea", OptionColor.Gray), Opt("Design", OptionColor.Blue), Opt("Build", OptionColor.Purple),
            Opt("Test", OptionColor.Yellow), Opt("Pilot", OptionColor.Orange), Opt("Production", OptionColor.Green),
            Opt("Retired", OptionColor.Brown));
    public static readonly SelectColumn Category = Columns.Select("Category", "Kind of service.",
            Opt("Networking", OptionColor.Blue), Opt("Identity", OptionColor.Purple), Opt("Security", OptionColor.Red),
            Opt("Compute", OptionColor.Orange), Opt("Storage", OptionColor.Brown), Opt("Backup", OptionColor.Green),
            Opt("Monitoring", OptionColor.Yellow), Opt("Other", OptionColor.Gray));
    public static readonly DateColumn LastStageChange = Columns.Date("Last Stage Change", "When the stage last changed (UTC, with time).");
    public static readonly TextColumn StageHistory = Columns.Text("Stage History", "One line per move, oldest first ('2026-11-22 Build -> Test'); the oldest lines go past 2,000 characters.");
    public static readonly IdsColumn Owner = SharedColumns.Owner.DescribedAs("Who drives the service.");
    public static readonly TextColumn Description = Columns.Text("Description", "What the service is and for whom.").ForUsers();
    public static readonly UrlColumn Documentation = Columns.Url("Documentation", "Link to the design or runbook.").ForUsers();

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        ServiceName, Stage, Category, LastStageChange, StageHistory, Owner, Description, Documentation,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.AzurePipeline, "Azure Pipeline", WritePattern.Update, ServiceName.Name,
        "Azure services the MSP offers, moved through stages from idea to retirement. Standalone.",
        All.Select(c => c.Definition));
}
