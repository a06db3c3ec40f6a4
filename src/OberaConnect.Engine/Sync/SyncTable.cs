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

    /// <summary>
    /// What two keys of <paramref name="database"/>'s <paramref name="property"/> are compared by: a site name (Customer
    /// Sites' Site Name) by the site-name rule (<see cref="Validation.SiteName.IdentityKey"/>: case, runs of spaces and
    /// Unicode forms aside), any other key trimmed and in any case (<see cref="NormalizeKey"/>).
    /// </summary>
    public static string IdentityOf(string database, string property, string key)
        => database == nameof(Workspace.DatabaseKey.CustomerSites) && property == SiteNameProperty
            ? Validation.SiteName.IdentityKey(key) : NormalizeKey(key);

    /// <summary>The key as this table compares keys (<see cref="IdentityOf(string, string, string)"/>).</summary>
    public string Identity(string key) => IdentityOf(Database, KeyProperty, key);

    internal static readonly string SiteNameProperty = Workspace.Databases.CustomerSites.SiteName.Name;

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

    /// <summary>
    /// The condition that finds every page holding <paramref name="key"/> as this table compares keys (<see cref="Identity"/>),
    /// and perhaps a few more: the caller keeps the pages whose key has the same identity. Text keys are matched with
    /// "contains", which Notion evaluates ignoring case, one condition per word (an "and" of them when there are several),
    /// so a page spelling the key in another case or with other spacing is found as a whole read would find it. A page
    /// whose key differs only by Unicode compatibility forms (full-width letters, ligatures) is found by a whole read only,
    /// so a key read reads every page for the keys its filters did not find (<see cref="KeysSetUnicodeFormsAside"/>).
    /// </summary>
    public NotionFilter KeyCondition(string key)
    {
        if (KeyKind == KeyKind.Number) return DuplicateCheckFor(key).Filter!;
        var condition = KeyKind == KeyKind.Title ? NotionFilter.Title(KeyProperty) : NotionFilter.RichText(KeyProperty);
        var words = (key ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return condition.EqualTo(key ?? "");
        // A key compared trimmed and in any case only (not by the site-name rule) keeps its inner spacing: one condition.
        if (words.Length == 1 || !KeysSetUnicodeFormsAside)
            return condition.Contains(key!.Trim());
        return NotionFilter.And(words.Select(w => condition.Contains(w)).ToArray());
    }

    /// <summary>
    /// True when keys are compared by the site-name rule (Customer Sites' Site Name), which sets Unicode compatibility
    /// forms aside as no Notion filter can: a filtered read cannot prove such a key has no page.
    /// </summary>
    public bool KeysSetUnicodeFormsAside => Database == nameof(Workspace.DatabaseKey.CustomerSites) && KeyProperty == SiteNameProperty;

    /// <summary>
    /// The filters that find the pages of <paramref name="keys"/> (<see cref="KeyCondition"/>), batched within Notion's limits:
    /// an "or" of at most <paramref name="maxKeys"/> key conditions and <see cref="NotionLimits.CompoundFilterItems"/> conditions
    /// in all, each combined with <paramref name="scope"/> when given. Keys of the same identity are asked once. One
    /// filter answers several keys, so a run of a few keys costs one query (more only when a filter matches more than 100 pages).
    /// </summary>
    public IReadOnlyList<KeyBatch> KeyFilters(IEnumerable<string> keys, int maxKeys = NotionLimits.CompoundFilterItems, NotionFilter? scope = null)
    {
        var batches = new List<KeyBatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = new List<(string Key, NotionFilter Condition, int Size)>();
        var size = 0;
        void Close()
        {
            if (current.Count == 0) return;
            var conditions = current.Select(c => c.Condition).ToArray();
            var filter = conditions.Length == 1 ? conditions[0] : NotionFilter.Or(conditions);
            if (scope != null) filter = NotionFilter.And(scope, filter);
            batches.Add(new KeyBatch(current.Select(c => c.Key).ToList(), filter));
            current.Clear();
            size = 0;
        }
        foreach (var key in keys)
        {
            if (string.IsNullOrWhiteSpace(key) || !seen.Add(Identity(key))) continue;
            // A number key that is no number names no page: there is nothing to ask for (its record is planned as new).
            if (KeyKind == KeyKind.Number && !double.TryParse(key, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) continue;
            var condition = KeyCondition(key);
            var conditionSize = condition.Depth == 0 ? 1 : condition.AndParts().Count();
            if (current.Count >= Math.Max(1, maxKeys) || size + conditionSize > NotionLimits.CompoundFilterItems) Close();
            current.Add((key, condition, conditionSize));
            size += conditionSize;
        }
        Close();
        return batches;
    }

    /// <summary>The duplicate check that finds a record of this table by its key (for creates whose answer was lost).</summary>
    public DuplicateCheck DuplicateCheckFor(string key) => KeyKind switch
    {
        KeyKind.Title => DuplicateCheck.ByTitle(KeyProperty, key),
        KeyKind.RichText => DuplicateCheck.ByRichText(KeyProperty, key),
        _ => DuplicateCheck.ByNumber(KeyProperty, double.Parse(key, System.Globalization.CultureInfo.InvariantCulture)),
    };
}

/// <summary>Keys asked together in one query, and the filter that asks them.</summary>
public sealed class KeyBatch
{
    public KeyBatch(IReadOnlyList<string> keys, NotionFilter filter)
    {
        Keys = keys;
        Filter = filter;
    }

    public IReadOnlyList<string> Keys { get; }
    public NotionFilter Filter { get; }
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
    /// When the page holding the key spells it differently (another case or spacing of the same key), write this record's
    /// spelling: an explicit rename (Sync-CustomerStatus -RenameSite). Otherwise the page keeps its spelling and the result says so.
    /// </summary>
    public bool RenameKey { get; init; }

    /// <summary>Changes made to the input under a documented rule (text cut, control characters removed), shown as warnings.</summary>
    public IList<string> Notices { get; } = new List<string>();

    /// <summary>
    /// Owned properties written along with a change but never a reason to write on their own ("Last Sync",
    /// a device's "Last Seen"): otherwise every run would rewrite every page.
    /// </summary>
    public ISet<string> Incidental { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// A record that cannot be written: planning reports <paramref name="problem"/> as its failure. The key is shown as
    /// received, shortened and with control characters escaped (a 5,000-character id makes a short result and error).
    /// </summary>
    public static DesiredRecord Failed(string? key, OberaConnectException problem, object? input)
        => new(string.IsNullOrWhiteSpace(key) ? "" : Validation.InputValidationException.Printable(key!.Trim()),
            new Dictionary<string, PropertyValue>(StringComparer.Ordinal), input) { Problem = problem };

    /// <summary><see cref="Failed(string?, OberaConnectException, object?)"/> with the notices of the check that refused it.</summary>
    public static DesiredRecord Failed(string? key, Validation.RecordCheck check, object? input)
    {
        var record = Failed(key, check.Error ?? throw new ArgumentException("The check found nothing wrong.", nameof(check)), input);
        foreach (var n in check.Notices) record.Notices.Add(n);
        return record;
    }
}
