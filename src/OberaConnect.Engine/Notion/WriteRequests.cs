namespace OberaConnect.Engine.Notion;

/// <summary>A page to create: its parent, property values and optional body blocks.</summary>
public sealed class NewPage
{
    private NewPage(string parentKind, string parentId)
    {
        ParentKind = parentKind;
        ParentId = parentId;
    }

    /// <summary>A row of a data source. A database id (or link) is accepted too and resolved to its single data source.</summary>
    public static NewPage InDataSource(string dataSourceOrDatabaseId) => new("data_source_id", dataSourceOrDatabaseId);

    /// <summary>A page under another page (its properties may only hold a title).</summary>
    public static NewPage UnderPage(string pageId) => new("page_id", NotionId.Normalize(pageId, "parent page id"));

    /// <summary><c>data_source_id</c> or <c>page_id</c>.</summary>
    public string ParentKind { get; }

    /// <summary>The parent as given (normalized for pages; for data sources resolved when sent).</summary>
    public string ParentId { get; }

    /// <summary>Property name (or id) → value.</summary>
    public IDictionary<string, PropertyValue> Properties { get; } = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);

    /// <summary>Body blocks; more than fit in one request are appended right after the create.</summary>
    public IList<NewBlock> Children { get; } = new List<NewBlock>();

    /// <summary>An emoji icon, or null.</summary>
    public string? IconEmoji { get; set; }

    /// <summary>Sets a property value (fluent).</summary>
    public NewPage With(string propertyName, PropertyValue value)
    {
        Properties[propertyName] = value;
        return this;
    }

    /// <summary>Adds body blocks (fluent).</summary>
    public NewPage WithChildren(params NewBlock[] blocks)
    {
        foreach (var b in blocks) Children.Add(b);
        return this;
    }
}

/// <summary>
/// How to find a page by its natural key, so a create whose answer was lost can be settled without
/// writing twice: the client looks the key up (a data-source query, or the parent page's child pages)
/// and returns the page it finds instead of creating a second one.
/// </summary>
public sealed class DuplicateCheck
{
    private DuplicateCheck(NotionFilter? filter, Func<NotionPage, bool>? match, string? dataSourceId, string? childPageTitle, string description)
    {
        Filter = filter;
        Match = match;
        DataSourceId = dataSourceId;
        ChildPageTitle = childPageTitle;
        Description = description;
    }

    /// <summary>The query filter that finds the record (data-source parents).</summary>
    public NotionFilter? Filter { get; }

    /// <summary>An exact test applied to each page the filter returns (a filter may match more loosely than the key).</summary>
    public Func<NotionPage, bool>? Match { get; }

    /// <summary>Where to look; null means the data source the page is created in.</summary>
    public string? DataSourceId { get; }

    /// <summary>For page parents: the title of the child page to look for.</summary>
    public string? ChildPageTitle { get; }

    /// <summary>The key, for messages ("Site Name = Main office").</summary>
    public string Description { get; }

    /// <summary>The record whose title property equals <paramref name="title"/> exactly.</summary>
    public static DuplicateCheck ByTitle(string titleProperty, string title)
        => new(NotionFilter.Title(titleProperty).EqualTo(title),
            p => p.Properties.TryGetValue(titleProperty, out var v) && v is TextValue t && string.Equals(t.PlainText, title, StringComparison.Ordinal),
            null, null, $"{titleProperty} = {title}");

    /// <summary>The record whose rich_text property equals <paramref name="value"/> exactly.</summary>
    public static DuplicateCheck ByRichText(string property, string value)
        => new(NotionFilter.RichText(property).EqualTo(value),
            p => p.Properties.TryGetValue(property, out var v) && v is TextValue t && string.Equals(t.PlainText, value, StringComparison.Ordinal),
            null, null, $"{property} = {value}");

    /// <summary>The record whose number property equals <paramref name="value"/>.</summary>
    public static DuplicateCheck ByNumber(string property, double value)
        => new(NotionFilter.Number(property).EqualTo(value), p => p.Get<NumberValue>(property)?.Value == value, null, null, $"{property} = {value}");

    /// <summary>Any filter (for composite keys); <paramref name="match"/> optionally confirms each candidate.</summary>
    public static DuplicateCheck ByFilter(NotionFilter filter, Func<NotionPage, bool>? match = null, string? dataSourceId = null, string? description = null)
        => new(filter, match, dataSourceId, null, description ?? filter.ToJson());

    /// <summary>For a page created under a page: a child page with this exact title.</summary>
    public static DuplicateCheck ByChildPageTitle(string title) => new(null, null, null, title, $"child page \"{title}\"");
}

/// <summary>How a create ended.</summary>
public enum CreateOutcome
{
    /// <summary>Created; Notion's answer arrived.</summary>
    Created,

    /// <summary>The answer was lost, and the record was found by its key: nothing was created twice.</summary>
    Recovered,

    /// <summary>The answer was lost, the record was certainly absent, and the create was sent again.</summary>
    CreatedAfterRetry,
}

/// <summary>The result of a create: the object and how it came about.</summary>
public sealed class NotionCreateResult<T> where T : NotionObject
{
    public NotionCreateResult(T value, CreateOutcome outcome, int sends)
    {
        Value = value;
        Outcome = outcome;
        Sends = sends;
    }

    public T Value { get; }
    public CreateOutcome Outcome { get; }

    /// <summary>True when the object was found after a lost answer rather than taken from Notion's answer.</summary>
    public bool Recovered => Outcome == CreateOutcome.Recovered;

    /// <summary>How many times the create was sent.</summary>
    public int Sends { get; }
}

/// <summary>Where appended blocks go.</summary>
public sealed class AppendPosition
{
    private AppendPosition(string kind, string? afterBlockId)
    {
        Kind = kind;
        AfterBlockId = afterBlockId;
    }

    /// <summary><c>end</c>, <c>start</c> or <c>after_block</c>.</summary>
    public string Kind { get; }
    public string? AfterBlockId { get; }

    public static AppendPosition End { get; } = new("end", null);

    /// <summary>Before the existing children (needs Notion-Version 2026-03-11).</summary>
    public static AppendPosition Start { get; } = new("start", null);

    public static AppendPosition After(string blockId) => new("after_block", NotionId.Normalize(blockId, "block id"));
}

/// <summary>The result of appending blocks, possibly over several calls.</summary>
public sealed class AppendResult
{
    internal AppendResult(IReadOnlyList<NotionBlock> blocks, int calls, int recoveredCalls)
    {
        Blocks = blocks;
        Calls = calls;
        RecoveredCalls = recoveredCalls;
    }

    /// <summary>The new top-level blocks, in order.</summary>
    public IReadOnlyList<NotionBlock> Blocks { get; }

    /// <summary>How many append calls were sent.</summary>
    public int Calls { get; }

    /// <summary>Calls whose answer was lost and whose blocks were then found in place (not appended twice).</summary>
    public int RecoveredCalls { get; }
}

/// <summary>What <see cref="NotionClient.SearchAsync"/> looks for.</summary>
public enum NotionSearchKind
{
    All,
    Pages,
    DataSources,
}
