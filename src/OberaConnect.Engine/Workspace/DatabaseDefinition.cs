namespace OberaConnect.Engine.Workspace;

/// <summary>
/// Stable name of each workspace database: the key under "databases" in the configuration file and
/// the value of -Database parameters. Never renamed (scripts and config files depend on it).
/// </summary>
public enum DatabaseKey
{
    CustomerSites,
    DailyHealth,
    ConfigChanges,
    NetworkDevices,
    Alerts,
    AzurePipeline,
    RunbookLibrary,
}

/// <summary>How the module writes a database.</summary>
public enum WritePattern
{
    /// <summary>Mirror of a source: find the page by its natural key, create it when missing, otherwise update the properties the module owns that differ.</summary>
    Upsert,

    /// <summary>One page per key, written once; a key already present is skipped, never updated (history).</summary>
    InsertOnly,

    /// <summary>Audit log: pages are created once and never updated or deleted by the module, whatever happens.</summary>
    Immutable,

    /// <summary>Moved by explicit commands (a stage change, a document edit): the page is updated in place, created when missing.</summary>
    Update,
}

/// <summary>One database of the workspace: its key, title, how it is written and its properties.</summary>
public sealed class DatabaseDefinition
{
    public DatabaseDefinition(DatabaseKey key, string title, WritePattern writePattern, string naturalKey,
        string purpose, IEnumerable<PropertyDefinition> properties)
    {
        Key = key;
        Title = title ?? throw new ArgumentNullException(nameof(title));
        WritePattern = writePattern;
        NaturalKey = naturalKey ?? throw new ArgumentNullException(nameof(naturalKey));
        Purpose = purpose ?? throw new ArgumentNullException(nameof(purpose));
        Properties = (properties ?? throw new ArgumentNullException(nameof(properties))).ToList().AsReadOnly();
    }

    public DatabaseKey Key { get; }

    /// <summary>The database's title in Notion as Initialize creates it (users may rename it; ids are what count).</summary>
    public string Title { get; }

    public WritePattern WritePattern { get; }

    /// <summary>Name of the property that identifies a record (the upsert / duplicate check key).</summary>
    public string NaturalKey { get; }

    /// <summary>What the database is for, in a sentence or two.</summary>
    public string Purpose { get; }

    /// <summary>Properties in display order.</summary>
    public IReadOnlyList<PropertyDefinition> Properties { get; }

    /// <summary>The property with this exact name, or null.</summary>
    public PropertyDefinition? Find(string name)
    {
        foreach (var p in Properties)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal)) return p;
        }
        return null;
    }

    /// <summary>The property with this exact name; throws when there is none (a programming error).</summary>
    public PropertyDefinition this[string name]
        => Find(name) ?? throw new KeyNotFoundException($"{Title} has no property '{name}'.");

    /// <summary>The title property (every valid definition has exactly one).</summary>
    public PropertyDefinition TitleProperty => Properties.First(p => p.Type == NotionPropertyType.Title);

    /// <summary>The natural key property (every valid definition has it).</summary>
    public PropertyDefinition KeyProperty => this[NaturalKey];

    /// <summary>Properties the module writes and compares.</summary>
    public IEnumerable<PropertyDefinition> ModuleProperties => Properties.Where(p => p.Owner == PropertyOwner.Module);

    /// <summary>Relation properties, each with its <see cref="PropertyDefinition.RelationTarget"/>.</summary>
    public IEnumerable<PropertyDefinition> Relations => Properties.Where(p => p.Type == NotionPropertyType.Relation);

    /// <summary>Databases that must exist first (relation targets other than itself).</summary>
    public IReadOnlyList<DatabaseKey> DependsOn => Relations
        .Where(p => p.RelationTarget is not null && p.RelationTarget != Key)
        .Select(p => p.RelationTarget!.Value)
        .Distinct()
        .ToList();

    public override string ToString() => $"{Title} ({Key})";
}
