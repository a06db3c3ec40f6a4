using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>The Runbook Library database: each column declared once, the definition built from them.</summary>
public static class RunbookLibrary
{
    public static readonly TitleColumn Title = Columns.Title("Title", "The document's title.");
    public static readonly SelectColumn Category = Columns.Select("Category", "Kind of document.",
            Opt("Network", OptionColor.Blue), Opt("Security", OptionColor.Red), Opt("Backup", OptionColor.Green),
            Opt("Azure", OptionColor.Purple), Opt("Onboarding", OptionColor.Yellow),
            Opt("Incident Response", OptionColor.Orange), Opt("Maintenance", OptionColor.Gray));
    public static readonly MultiSelectColumn Tags = Columns.MultiSelect("Tags", "Tags from the document; options appear as they are used.");
    public static readonly TextColumn SourceFile = Columns.Text("Source File", "The Markdown file the page was published from.");
    public static readonly TextColumn ContentHash = Columns.Text("Content Hash", "SHA-256 of the source file; the page body is rewritten only when it changes.");
    public static readonly IdsColumn Owner = SharedColumns.Owner.DescribedAs("Who keeps the document true.");
    public static readonly DateColumn LastReviewed = Columns.Date("Last Reviewed", "When someone last checked the document.").ForUsers();
    public static readonly ComputedColumn LastEdited = Columns.LastEditedTime("Last Edited", "When the page last changed, by anyone.");

    /// <summary>Every column, in display order.</summary>
    public static IReadOnlyList<Column> All { get; } = new Column[]
    {
        Title, Category, Tags, SourceFile, ContentHash, Owner, LastReviewed, LastEdited,
    };

    public static DatabaseDefinition Definition { get; } = new(DatabaseKey.RunbookLibrary, "Runbook Library", WritePattern.Update, Title.Name,
        "SOPs and runbooks published from Markdown files: added when new, rewritten when the file " +
        "changes. Standalone: documents name devices in their text, not through relations.",
        All.Select(c => c.Definition));
}
