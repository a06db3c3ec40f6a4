namespace OberaConnect.Engine.Workspace;

/// <summary>
/// The set of databases the module creates and writes, in creation order. <see cref="Standard"/> is the
/// OberaConnect workspace; other instances exist for tests of the validation.
/// </summary>
public sealed partial class WorkspaceDefinition
{
    private readonly Dictionary<DatabaseKey, DatabaseDefinition> _byKey = new();

    /// <param name="databasesInCreationOrder">Databases listed so that every relation target comes before the databases pointing at it.</param>
    public WorkspaceDefinition(IEnumerable<DatabaseDefinition> databasesInCreationOrder)
    {
        Databases = (databasesInCreationOrder ?? throw new ArgumentNullException(nameof(databasesInCreationOrder))).ToList().AsReadOnly();
        foreach (var db in Databases)
        {
            if (!_byKey.ContainsKey(db.Key)) _byKey.Add(db.Key, db);
        }
    }

    /// <summary>Every database, in the order Initialize creates them.</summary>
    public IReadOnlyList<DatabaseDefinition> Databases { get; }

    /// <summary>The order Initialize creates databases in: relation targets first (it is the declared order, which <see cref="Validate"/> checks).</summary>
    public IReadOnlyList<DatabaseKey> CreationOrder => Databases.Select(d => d.Key).ToList();

    /// <summary>The database with this key; throws for a key the definition does not hold.</summary>
    public DatabaseDefinition this[DatabaseKey key]
        => _byKey.TryGetValue(key, out var db) ? db : throw new KeyNotFoundException($"The workspace has no database {key}.");

    /// <summary>Databases with a relation pointing at <paramref name="key"/>.</summary>
    public IReadOnlyList<DatabaseDefinition> RelatedFrom(DatabaseKey key)
        => Databases.Where(d => d.Key != key && d.Relations.Any(r => r.RelationTarget == key)).ToList();

    /// <summary>
    /// Every problem with the definition itself, as sentences; empty when it is sound. Checks unique keys,
    /// titles and property names, exactly one title property, the natural key, relation targets and
    /// creation order, options and formats only where they belong, and who owns computed properties.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Databases.Count == 0) problems.Add("The workspace defines no database.");

        var seenKeys = new HashSet<DatabaseKey>();
        var seenTitles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var created = new HashSet<DatabaseKey>();
        foreach (var db in Databases)
        {
            if (!seenKeys.Add(db.Key)) problems.Add($"Database key {db.Key} is defined more than once.");
            if (string.IsNullOrWhiteSpace(db.Title)) problems.Add($"{db.Key}: the title is empty.");
            else if (!seenTitles.Add(db.Title)) problems.Add($"{db.Key}: the title '{db.Title}' is used by another database.");
            ValidateDatabase(db, created, problems);
            created.Add(db.Key);
        }
        return problems;
    }

    /// <summary>Throws <see cref="WorkspaceDefinitionException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public WorkspaceDefinition EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new WorkspaceDefinitionException(problems);
        return this;
    }

    private void ValidateDatabase(DatabaseDefinition db, HashSet<DatabaseKey> createdBefore, List<string> problems)
    {
        var where = db.Title;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in db.Properties)
        {
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name.Trim() != p.Name)
            {
                problems.Add($"{where}: property name '{p.Name}' is empty or has leading/trailing spaces.");
                continue;
            }
            if (!names.Add(p.Name)) problems.Add($"{where}: property '{p.Name}' is defined more than once (names are compared ignoring case).");
            ValidateProperty(db, p, createdBefore, problems);
        }

        var titles = db.Properties.Count(p => p.Type == NotionPropertyType.Title);
        if (titles != 1) problems.Add($"{where}: needs exactly one title property, has {titles}.");

        var key = db.Find(db.NaturalKey);
        if (key is null)
        {
            problems.Add($"{where}: the natural key '{db.NaturalKey}' is not one of its properties.");
        }
        else
        {
            if (key.Type is not (NotionPropertyType.Title or NotionPropertyType.RichText or NotionPropertyType.Number))
                problems.Add($"{where}: the natural key '{key.Name}' is {key.Type.ApiName()}; it must be title, rich_text or number (a value the module knows before writing).");
            if (key.Owner != PropertyOwner.Module)
                problems.Add($"{where}: the natural key '{key.Name}' must be owned by the module (it writes the key).");
        }
    }

    private void ValidateProperty(DatabaseDefinition db, PropertyDefinition p, HashSet<DatabaseKey> createdBefore, List<string> problems)
    {
        var where = $"{db.Title}.{p.Name}";
        if (p.Type == NotionPropertyType.Relation)
        {
            if (p.RelationTarget is not DatabaseKey target)
            {
                problems.Add($"{where}: relation without a target database.");
            }
            else if (!_byKey.ContainsKey(target))
            {
                problems.Add($"{where}: relation target {target} is not a database of the workspace.");
            }
            else if (target != db.Key && !createdBefore.Contains(target))
            {
                problems.Add($"{where}: relation target {target} is created after {db.Key}; list {target} first (relations are made with the target's data source id).");
            }
        }
        else if (p.RelationTarget is not null)
        {
            problems.Add($"{where}: only relation properties have a target database.");
        }

        if (p.Type.HasOptions())
        {
            var optionNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var o in p.Options)
            {
                if (string.IsNullOrWhiteSpace(o.Name)) problems.Add($"{where}: an option has no name.");
                else if (o.Name.IndexOf(',') >= 0) problems.Add($"{where}: option '{o.Name}' contains a comma, which Notion refuses in option names.");
                else if (!optionNames.Add(o.Name)) problems.Add($"{where}: option '{o.Name}' is listed more than once.");
            }
            if (p.Type == NotionPropertyType.Status && p.Options.Count > 0)
                problems.Add($"{where}: status options cannot be set reliably through the API (Notion creates its own groups); use a select.");
        }
        else if (p.Options.Count > 0)
        {
            problems.Add($"{where}: only select, multi_select and status properties have options.");
        }

        if (p.NumberFormat is not null && p.Type != NotionPropertyType.Number)
            problems.Add($"{where}: only number properties have a number format.");
        if (p.UniqueIdPrefix is not null && p.Type != NotionPropertyType.UniqueId)
            problems.Add($"{where}: only unique_id properties have a prefix.");

        if (p.Type.IsComputed() && p.Owner != PropertyOwner.Notion)
            problems.Add($"{where}: {p.Type.ApiName()} is computed by Notion; its owner must be Notion.");
        if (!p.Type.IsComputed() && p.Owner == PropertyOwner.Notion)
            problems.Add($"{where}: only computed properties (created_time, last_edited_time, unique_id) are owned by Notion.");

        if (string.IsNullOrWhiteSpace(p.Description))
            problems.Add($"{where}: no description (the schema document needs one).");
    }
}

/// <summary>The workspace definition is inconsistent (a programming error caught by tests and at startup).</summary>
public sealed class WorkspaceDefinitionException : OberaConnectException
{
    public WorkspaceDefinitionException(IReadOnlyList<string> problems)
        : base("InvalidWorkspaceDefinition", FailureKind.InvalidState,
            "The workspace definition is inconsistent: " + string.Join(" ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
