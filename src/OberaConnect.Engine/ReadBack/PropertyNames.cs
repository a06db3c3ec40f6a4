using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Property names a person gives to a read (Get-NotionPage -Property and -Filter, Get-NotionDuplicate -Property), matched
/// to the database's properties: exactly, else ignoring case. The workspace definition answers without a request; a name it
/// does not know (a column people added) is looked up in the data source's schema, read at most once. A name in neither
/// is an <see cref="ErrorId"/> error that lists the properties there are, so a typo never reads as "no values".
/// </summary>
internal sealed class PropertyNames
{
    /// <summary>ErrorId of a property name the database does not have.</summary>
    public const string ErrorId = "UnknownProperty";

    private readonly NotionWorkspace _workspace;
    private readonly DatabaseKey _database;
    private NotionDataSource? _schema;

    public PropertyNames(NotionWorkspace workspace, DatabaseKey database)
    {
        _workspace = workspace;
        _database = database;
    }

    /// <summary>The property <paramref name="name"/> names, as the database spells it, with its Notion type.</summary>
    public async Task<(string Name, string Type)> FindAsync(string name, CancellationToken cancellationToken)
    {
        var definition = _workspace.Definition[_database];
        var text = (name ?? "").Trim();
        var defined = definition.Find(text) ?? definition.Properties.FirstOrDefault(p => string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
        if (defined != null) return (defined.Name, defined.Type.ApiName());
        _schema ??= await _workspace.Notion.GetDataSourceAsync(await _workspace.DataSourceIdAsync(_database, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var match = _schema.Properties.Values.FirstOrDefault(p => string.Equals(p.Name, text, StringComparison.Ordinal))
                    ?? _schema.Properties.Values.FirstOrDefault(p => string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
        if (match != null) return (match.Name, match.Type);
        var known = definition.Properties.Select(p => p.Name).Concat(_schema.Properties.Keys).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        var near = Configuration.KeySuggestion.Nearest(text, known);
        throw new InputValidationException(ErrorId, "property name", definition.Title, name, "is not a property of the database" + (near is null ? "" : $" (did you mean '{near}'?)"),
            $"Use one of: {string.Join(", ", known)}.");
    }

    /// <summary>Every name of <paramref name="names"/> as the database spells it, in the given order, duplicates dropped.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var resolved = new List<string>();
        foreach (var name in names)
        {
            var (found, _) = await FindAsync(name, cancellationToken).ConfigureAwait(false);
            if (!resolved.Contains(found, StringComparer.Ordinal)) resolved.Add(found);
        }
        return resolved;
    }
}
