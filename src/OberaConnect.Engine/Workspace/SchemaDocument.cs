using System.Text;
using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// Renders about_OberaConnect_Schema (module/en-US/about_OberaConnect_Schema.help.txt) from the workspace
/// definition, so the document users read is the schema the module creates. A test fails when the
/// committed file differs from <see cref="Render"/>.
/// </summary>
public static class SchemaDocument
{
    /// <summary>The file's path inside the repository.</summary>
    public const string RepositoryPath = "module/en-US/about_OberaConnect_Schema.help.txt";

    /// <summary>Environment variable that makes the document test rewrite the file instead of failing.</summary>
    public const string UpdateVariable = "OBERACONNECT_UPDATE_SCHEMA_DOC";

    /// <summary>The whole topic: plain ASCII, "\n" line ends, no line longer than 80 characters.</summary>
    public static string Render(WorkspaceDefinition? definition = null)
    {
        var ws = definition ?? WorkspaceDefinition.Standard;
        var sb = new StringBuilder();
        sb.Append("TOPIC\n    about_OberaConnect_Schema\n\n");
        sb.Append("SHORT DESCRIPTION\n");
        TextLayout.AppendParagraph(sb, "The Notion databases OberaConnect creates and writes: their properties, types, options, natural keys and relations, and which properties the module owns.", 4);
        sb.Append('\n');

        sb.Append("LONG DESCRIPTION\n");
        TextLayout.AppendParagraph(sb, "This topic is generated from the workspace definition in the engine (WorkspaceDefinition.Standard). Do not edit it by hand: a test compares it with the definition. To regenerate it after changing the definition, run the engine tests with " + UpdateVariable + "=1.", 4);
        sb.Append('\n');
        TextLayout.AppendParagraph(sb, CommandNames.Initialize + " creates the databases in this order, because a relation is created with the data source id of the database it points to:", 4);
        sb.Append('\n');
        var n = 1;
        foreach (var db in ws.Databases)
        {
            var deps = db.DependsOn.Select(k => ws[k].Title).ToList();
            var line = $"{n++}. {db.Title} ({db.Key})" + (deps.Count > 0 ? " -> " + string.Join(", ", deps) : db.Key == ws.Databases[0].Key ? ", the root" : ", standalone");
            TextLayout.AppendParagraph(sb, line, 8);
        }
        sb.Append('\n');
        TextLayout.AppendParagraph(sb, "The name in parentheses is the database's key: its name under \"databases\" in the configuration file (see about_OberaConnect_Configuration) and the value of -Database parameters. Titles may be renamed in Notion; the module finds databases by id.", 4);
        sb.Append('\n');

        sb.Append("  WHO WRITES A PROPERTY\n");
        TextLayout.AppendDefinitions(sb, 4, new[]
        {
            ("module", "The module writes it and compares it to decide whether a page needs an update. An edit made in Notion is overwritten at the next sync of an upsert database."),
            ("user", "Created for people to fill in. The module never writes or compares it."),
            ("notion", "Computed by Notion. Nobody writes it."),
            ("key", "The natural key: how the module finds the page of a record, and how it avoids creating a duplicate."),
        });
        sb.Append("  WRITE PATTERNS\n");
        TextLayout.AppendDefinitions(sb, 4, Enum.GetValues(typeof(WritePattern)).Cast<WritePattern>().Select(p => (PatternName(p), PatternText(p))).ToArray());
        sb.Append("  RELATIONS\n");
        TextLayout.AppendParagraph(sb, "Every relation is one-way (single_property): the Customer Sites schema stays what is written here, and a site page does not list hundreds of snapshots. Add rollups or linked views in Notion if you want them; they are yours.", 4);
        sb.Append('\n');
        sb.Append("  YOUR OWN PROPERTIES\n");
        TextLayout.AppendParagraph(sb, "Properties you add in Notion are left alone, and " + CommandNames.TestSchema + " reports them for information only. Renaming, deleting or retyping a property the module owns makes syncs of that database fail; " + CommandNames.TestSchema + " names the property and how to put it back. Select options may be added freely; a value the module writes that is not yet an option is added by Notion.", 4);
        sb.Append('\n');

        foreach (var db in ws.Databases) AppendDatabase(sb, ws, db);

        sb.Append("SEE ALSO\n");
        sb.Append("    about_OberaConnect_Configuration\n");
        sb.Append("    ").Append(CommandNames.Initialize).Append('\n');
        sb.Append("    ").Append(CommandNames.TestSchema).Append('\n');
        sb.Append('\n');
        sb.Append("KEYWORDS\n    Notion, schema, database, property, Customer Sites, Daily Health\n");
        return sb.ToString();
    }

    private static void AppendDatabase(StringBuilder sb, WorkspaceDefinition ws, DatabaseDefinition db)
    {
        sb.Append(db.Title.ToUpperInvariant()).Append(" (").Append(db.Key).Append(")\n");
        TextLayout.AppendParagraph(sb, db.Purpose, 4);
        sb.Append('\n');
        TextLayout.AppendParagraph(sb, $"Write pattern: {PatternName(db.WritePattern)}, by {db.NaturalKey}.", 4);
        var targets = db.DependsOn.Select(k => ws[k].Title).ToList();
        var from = ws.RelatedFrom(db.Key).Select(d => d.Title).ToList();
        if (targets.Count > 0) TextLayout.AppendParagraph(sb, "Relates to: " + string.Join(", ", targets) + ".", 4);
        if (from.Count > 0) TextLayout.AppendParagraph(sb, "Related from: " + string.Join(", ", from) + ".", 4);
        if (targets.Count == 0 && from.Count == 0) TextLayout.AppendParagraph(sb, "No relations: standalone.", 4);
        sb.Append('\n');

        var nameWidth = Math.Max(18, db.Properties.Max(p => p.Name.Length));
        var rows = db.Properties.Select(p => (IReadOnlyList<IReadOnlyList<string>>)new IReadOnlyList<string>[]
        {
            new[] { p.Name },
            new[] { p.Type.ApiName() },
            new[] { Role(db, p) },
            OptionsCell(ws, p),
        });
        TextLayout.AppendTable(sb, 4, new[] { "Property", "Type", "Role", "Options / format" }, new[] { nameWidth, 16, 11 }, rows);
        sb.Append('\n');

        foreach (var p in db.Properties)
        {
            sb.Append("    ").Append(p.Name).Append('\n');
            TextLayout.AppendParagraph(sb, p.Description, 8);
        }
        sb.Append('\n');
    }

    private static string Role(DatabaseDefinition db, PropertyDefinition p)
    {
        var owner = p.Owner.ToString().ToLowerInvariant();
        return string.Equals(p.Name, db.NaturalKey, StringComparison.Ordinal) ? "key, " + owner : owner;
    }

    private static IReadOnlyList<string> OptionsCell(WorkspaceDefinition ws, PropertyDefinition p)
    {
        switch (p.Type)
        {
            case NotionPropertyType.Number:
                // Plain numbers are the common case; only a different format is worth a cell.
                return p.NumberFormat is null or NumberFormat.Number ? Array.Empty<string>() : new[] { "format: " + p.NumberFormat.Value.ApiName() };
            case NotionPropertyType.Relation:
                return new[] { "-> " + (p.RelationTarget is DatabaseKey t ? ws[t].Title : "?") };
            case NotionPropertyType.UniqueId:
                return new[] { "prefix: " + (p.UniqueIdPrefix ?? "(none)") };
            case NotionPropertyType.Select:
            case NotionPropertyType.MultiSelect:
            case NotionPropertyType.Status:
                return p.Options.Count == 0
                    ? new[] { "(options added on write)" }
                    : p.Options.Select(o => $"{o.Name} ({o.Color.ApiName()})").ToArray();
            default:
                return Array.Empty<string>();
        }
    }

    internal static string PatternName(WritePattern p) => p switch
    {
        WritePattern.Upsert => "upsert",
        WritePattern.InsertOnly => "insert-only",
        WritePattern.Immutable => "immutable",
        _ => "update",
    };

    private static string PatternText(WritePattern p) => p switch
    {
        WritePattern.Upsert => "Mirror of a source. The page of each record is found by its key and created when missing; properties the module owns are updated when they differ. Pages are never deleted.",
        WritePattern.InsertOnly => "History. One page per key, written once; a key already present is skipped, never updated.",
        WritePattern.Immutable => "Audit log. Pages are created once and never updated or deleted by the module.",
        _ => "Moved by explicit commands (a stage change, a new version of a document). The page is updated in place and created when missing.",
    };
}
