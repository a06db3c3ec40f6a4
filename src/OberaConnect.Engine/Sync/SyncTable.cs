using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Sync;

/// <summary>How records of one database are written.</summary>
public enum WriteMode
{
    /// <summary>Create new keys, update owned properties of existing ones (Customer Sites, Network Devices, Alerts).</summary>
    Upsert,
    /// <summary>Create new keys; an existing key is left as it is (Daily Health: history is never rewritten).</summary>
    InsertOnly,
    /// <summary>Like <see cref="InsertOnly"/>, and an existing record whose content differs is reported, never modified (Config Changes).</summary>
    Immutable,
}

/// <summary>What kind of property holds a database's natural key.</summary>
public enum KeyKind { Title, RichText, Number }

/// <summary>One Notion database as a sync sees it: where it is, how records are keyed, what the module owns.</summary>
public sealed class SyncTable
{
    public SyncTable(string database, string dataSourceId, string keyProperty, KeyKind keyKind, WriteMode mode, IEnumerable<string> ownedProperties)
    {
        Database = database;
        DataSourceId = dataSourceId;
        KeyProperty = keyProperty;
        KeyKind = keyKind;
        Mode = mode;
        OwnedProperties = new HashSet<string>(ownedProperties, StringComparer.Ordinal) { keyProperty };
    }

    /// <summary>The workspace database key, for example "CustomerSites".</summary>
    public string Database { get; }

    /// <summary>The database as people name it in prompts ("Customer Sites"); the key when not set.</summary>
    public string Title { get => _title ?? Database; init => _title = value; }

    private readonly string? _title;

    public string DataSourceId { get; }

    /// <summary>The property holding the natural key (Site Name, MAC, Change ID, ...).</summary>
    public string KeyProperty { get; }

    public KeyKind KeyKind { get; }

    public WriteMode Mode { get; }

    /// <summary>Properties the module writes and compares. Anything else on a page belongs to its users and is never touched.</summary>
    public IReadOnlyCollection<string> OwnedProperties { get; }

    /// <summary>
    /// Optional filter limiting which pages are read into the index (for example one date of Daily Health),
    /// so a sync reads only the part of the database it can affect.
    /// </summary>
    public NotionFilter? Scope { get; init; }

    /// <summary>Normalizes a key for matching: trimmed, case-insensitive (Notion's own equals filter ignores case too).</summary>
    public static string NormalizeKey(string key) => (key ?? "").Trim().ToUpperInvariant();

    /// <summary>The key of an existing page, or null when the page has none.</summary>
    public string? KeyOf(NotionPage page)
    {
        if (!page.Properties.TryGetValue(KeyProperty, out var value)) return null;
        return value switch
        {
            TextValue t => t.PlainText,
            NumberValue n when n.Value is double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>The duplicate check that finds a record of this table by its key (for creates whose answer was lost).</summary>
    public DuplicateCheck DuplicateCheckFor(string key) => KeyKind switch
    {
        KeyKind.Title => DuplicateCheck.ByTitle(KeyProperty, key),
        KeyKind.RichText => DuplicateCheck.ByRichText(KeyProperty, key),
        _ => DuplicateCheck.ByNumber(KeyProperty, double.Parse(key, System.Globalization.CultureInfo.InvariantCulture)),
    };
}

/// <summary>What a record should look like in Notion.</summary>
public sealed class DesiredRecord
{
    public DesiredRecord(string key, IDictionary<string, PropertyValue> properties, object? input = null)
    {
        Key = key;
        Properties = properties;
        Input = input;
    }

    public string Key { get; }

    /// <summary>Values of owned properties, the key property included.</summary>
    public IDictionary<string, PropertyValue> Properties { get; }

    /// <summary>The object the record came from (a piped site, a CSV row), kept for error records and the journal.</summary>
    public object? Input { get; }

    /// <summary>
    /// The record as people name it, for -WhatIf and -Confirm: "site 'Acme Corp'", "device 'USW-24' (aa:bb:..) at 'Acme Corp'",
    /// never an id alone. Null names the record by its key.
    /// </summary>
    public string? Description { get; init; }

    /// <summary>Page body for new pages (runbooks).</summary>
    public IList<NewBlock> Children { get; } = new List<NewBlock>();

    /// <summary>
    /// Why this record cannot be written (its input failed validation, its site has no Customer Sites page).
    /// Planning reports it Failed with this error and sends nothing; the input is still journaled for -RetryFailed.
    /// </summary>
    public OberaConnectException? Problem { get; init; }

    /// <summary>
    /// Owned properties written along with a change but never a reason to write on their own ("Last Sync",
    /// a device's "Last Seen"): otherwise every run would rewrite every page.
    /// </summary>
    public ISet<string> Incidental { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A record that cannot be written: planning reports <paramref name="problem"/> as its failure.</summary>
    public static DesiredRecord Failed(string key, OberaConnectException problem, object? input)
        => new(key, new Dictionary<string, PropertyValue>(StringComparer.Ordinal), input) { Problem = problem };
}
