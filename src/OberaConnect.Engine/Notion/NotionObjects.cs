using System.Text.Json;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// Any object the Notion API returns. <see cref="Parse(string)"/> maps <c>object</c> to a typed class
/// (page, database, data_source, block, user, list, error) and anything else — comments, views, file
/// uploads, kinds added later — to <see cref="NotionRawObject"/>, never failing on a well-formed object.
/// </summary>
public abstract class NotionObject
{
    protected NotionObject(JsonElement e)
    {
        ObjectType = Json.Str(e, "object") ?? "";
        Id = Json.Id(e, "id") ?? "";
        RawJson = e.GetRawText();
    }

    /// <summary>Notion's <c>object</c> field (<c>page</c>, <c>block</c>, ...); empty when the answer has none.</summary>
    public string ObjectType { get; }

    /// <summary>Normalized id (dashed lowercase); empty for objects without one.</summary>
    public string Id { get; }

    /// <summary>The object exactly as received.</summary>
    public string RawJson { get; }

    /// <summary>Parses any Notion answer body. Throws <see cref="JsonException"/> only for text that is not a JSON object.</summary>
    public static NotionObject Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("A Notion object must be a JSON object.");
        return Parse(doc.RootElement);
    }

    public static NotionObject Parse(JsonElement e) => (Json.Str(e, "object") ?? "") switch
    {
        "page" => new NotionPage(e),
        "database" => new NotionDatabase(e),
        "data_source" => new NotionDataSource(e),
        "block" => new NotionBlock(e),
        "user" => new NotionUser(e),
        "list" => new NotionList(e),
        "error" => new NotionError(e),
        _ => new NotionRawObject(e),
    };

    /// <summary>Reads the parent object (<c>{type, &lt;type&gt;: id}</c>).</summary>
    internal static (string? Type, string? Id, string? DatabaseId) ParentOf(JsonElement e)
    {
        if (Json.Obj(e, "parent") is not { } p) return (null, null, null);
        var type = Json.Str(p, "type");
        var id = type is null ? null : Json.Id(p, type);
        return (type, id, Json.Id(p, "database_id"));
    }

    /// <summary>Trash state on any version: <c>in_trash</c> (2026-03-11 and later), else <c>archived</c> (older).</summary>
    internal static bool InTrashOf(JsonElement e) => Json.Bool(e, "in_trash") ?? Json.Bool(e, "archived") ?? false;
}

/// <summary>A page, as returned by retrieve, create, update and queries.</summary>
public sealed class NotionPage : NotionObject
{
    internal NotionPage(JsonElement e) : base(e)
    {
        Url = Json.Str(e, "url");
        CreatedTime = Json.Time(e, "created_time") ?? default;
        LastEditedTime = Json.Time(e, "last_edited_time") ?? default;
        CreatedById = Json.Obj(e, "created_by") is { } by ? Json.Id(by, "id") : null;
        InTrash = InTrashOf(e);
        var (type, id, databaseId) = ParentOf(e);
        ParentType = type;
        ParentId = id;
        ParentDataSourceId = type == "data_source_id" ? id : null;
        ParentDatabaseId = type == "database_id" ? id : databaseId;
        var props = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        if (Json.Obj(e, "properties") is { } p)
            foreach (var prop in p.EnumerateObject())
                if (prop.Value.ValueKind == JsonValueKind.Object) props[prop.Name] = PropertyValue.Parse(prop.Value);
        Properties = props;
    }

    public static new NotionPage Parse(string json) => NotionObject.Parse(json) as NotionPage
                                                       ?? throw new JsonException("The JSON is not a Notion page object.");

    public string? Url { get; }
    public DateTimeOffset CreatedTime { get; }
    public DateTimeOffset LastEditedTime { get; }

    /// <summary>The user (a person, or an integration's bot) that created the page; null when the answer does not say.</summary>
    public string? CreatedById { get; }

    /// <summary>True when the page is in the trash (<c>in_trash</c>, or <c>archived</c> on older versions).</summary>
    public bool InTrash { get; }

    /// <summary><c>data_source_id</c>, <c>database_id</c>, <c>page_id</c>, <c>block_id</c> or <c>workspace</c>.</summary>
    public string? ParentType { get; }
    public string? ParentId { get; }
    public string? ParentDataSourceId { get; }
    public string? ParentDatabaseId { get; }

    /// <summary>Property name → value.</summary>
    public IReadOnlyDictionary<string, PropertyValue> Properties { get; }

    /// <summary>The plain text of the title property (every page has one), or empty.</summary>
    public string Title => Properties.Values.OfType<TitleValue>().FirstOrDefault()?.PlainText ?? "";

    /// <summary>The property's value as <typeparamref name="T"/>, or null when absent or of another type.</summary>
    public T? Get<T>(string propertyName) where T : PropertyValue
        => Properties.TryGetValue(propertyName, out var v) ? v as T : null;

    public override string ToString() => $"{Title} ({Id})";
}

/// <summary>A database: a container of one or more data sources (API 2025-09-03 and later).</summary>
public sealed class NotionDatabase : NotionObject
{
    internal NotionDatabase(JsonElement e) : base(e)
    {
        Title = Json.PlainText(Json.Arr(e, "title"));
        Url = Json.Str(e, "url");
        InTrash = InTrashOf(e);
        IsInline = Json.Bool(e, "is_inline") ?? false;
        CreatedTime = Json.Time(e, "created_time") ?? default;
        LastEditedTime = Json.Time(e, "last_edited_time") ?? default;
        var (type, id, _) = ParentOf(e);
        ParentType = type;
        ParentId = id;
        var sources = new List<NotionDataSourceRef>();
        if (Json.Arr(e, "data_sources") is { } arr)
            foreach (var s in arr.EnumerateArray())
                if (Json.Id(s, "id") is { } dsId) sources.Add(new NotionDataSourceRef(dsId, Json.Str(s, "name") ?? ""));
        DataSources = sources;
    }

    public string Title { get; }
    public string? Url { get; }
    public bool InTrash { get; }
    public bool IsInline { get; }
    public DateTimeOffset CreatedTime { get; }
    public DateTimeOffset LastEditedTime { get; }
    public string? ParentType { get; }
    public string? ParentId { get; }

    /// <summary>The data sources of the database; most have exactly one.</summary>
    public IReadOnlyList<NotionDataSourceRef> DataSources { get; }

    public override string ToString() => $"{Title} ({Id})";
}

/// <summary>A data source listed by its database.</summary>
public sealed record NotionDataSourceRef(string Id, string Name);

/// <summary>A data source: the table inside a database, holding the schema and the rows.</summary>
public sealed class NotionDataSource : NotionObject
{
    internal NotionDataSource(JsonElement e) : base(e)
    {
        Title = Json.PlainText(Json.Arr(e, "title"));
        Url = Json.Str(e, "url");
        InTrash = InTrashOf(e);
        CreatedTime = Json.Time(e, "created_time") ?? default;
        LastEditedTime = Json.Time(e, "last_edited_time") ?? default;
        var (type, id, _) = ParentOf(e);
        DatabaseId = type == "database_id" ? id : null;
        var props = new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
        if (Json.Obj(e, "properties") is { } p)
            foreach (var prop in p.EnumerateObject())
                if (prop.Value.ValueKind == JsonValueKind.Object) props[prop.Name] = PropertySchema.Parse(prop.Name, prop.Value);
        Properties = props;
    }

    public string Title { get; }
    public string? Url { get; }
    public bool InTrash { get; }
    public DateTimeOffset CreatedTime { get; }
    public DateTimeOffset LastEditedTime { get; }

    /// <summary>The database that contains this data source.</summary>
    public string? DatabaseId { get; }

    /// <summary>The schema: property name → definition.</summary>
    public IReadOnlyDictionary<string, PropertySchema> Properties { get; }

    /// <summary>The name of the title property.</summary>
    public string? TitlePropertyName => Properties.Values.FirstOrDefault(p => p.Type == "title")?.Name;

    public override string ToString() => $"{Title} ({Id})";
}

/// <summary>A block (paragraph, heading, child page, child database, ...).</summary>
public sealed class NotionBlock : NotionObject
{
    internal NotionBlock(JsonElement e) : base(e)
    {
        Type = Json.Str(e, "type") ?? "";
        HasChildren = Json.Bool(e, "has_children") ?? false;
        InTrash = InTrashOf(e);
        CreatedTime = Json.Time(e, "created_time");
        LastEditedTime = Json.Time(e, "last_edited_time");
        var (type, id, _) = ParentOf(e);
        ParentType = type;
        ParentId = id;
        if (Json.Obj(e, Type) is { } content)
        {
            PlainText = Json.PlainText(Json.Arr(content, "rich_text"));
            ChildTitle = Json.Str(content, "title");
        }
        else
        {
            PlainText = "";
        }
    }

    /// <summary>Block type (<c>paragraph</c>, <c>child_database</c>, ...).</summary>
    public string Type { get; }
    public bool HasChildren { get; }
    public bool InTrash { get; }
    public DateTimeOffset? CreatedTime { get; }
    public DateTimeOffset? LastEditedTime { get; }
    public string? ParentType { get; }
    public string? ParentId { get; }

    /// <summary>The block's text (its rich_text), empty for blocks without text.</summary>
    public string PlainText { get; }

    /// <summary>Title of a child_page or child_database block.</summary>
    public string? ChildTitle { get; }

    public override string ToString() => $"{Type}: {ChildTitle ?? PlainText}";
}

/// <summary>A user or bot.</summary>
public sealed class NotionUser : NotionObject
{
    internal NotionUser(JsonElement e) : base(e)
    {
        Name = Json.Str(e, "name");
        UserType = Json.Str(e, "type");
        if (Json.Obj(e, "person") is { } person) Email = Json.Str(person, "email");
        if (Json.Obj(e, "bot") is { } bot)
        {
            WorkspaceName = Json.Str(bot, "workspace_name");
            WorkspaceId = Json.Id(bot, "workspace_id");
        }
    }

    public string? Name { get; }

    /// <summary><c>person</c> or <c>bot</c>.</summary>
    public string? UserType { get; }
    public string? Email { get; }

    /// <summary>For the integration's own bot user: the workspace it belongs to.</summary>
    public string? WorkspaceName { get; }
    public string? WorkspaceId { get; }

    public override string ToString() => $"{Name} ({UserType}, {Id})";
}

/// <summary>A page of a paginated answer.</summary>
public sealed class NotionList : NotionObject
{
    internal NotionList(JsonElement e) : base(e)
    {
        var results = new List<NotionObject>();
        if (Json.Arr(e, "results") is { } arr)
            foreach (var item in arr.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object) results.Add(Parse(item));
        Results = results;
        NextCursor = Json.Str(e, "next_cursor");
        HasMore = Json.Bool(e, "has_more") ?? false;
        ResultType = Json.Str(e, "type");
        if (Json.Obj(e, "request_status") is { } status)
        {
            IsIncomplete = Json.Str(status, "type") == "incomplete";
            IncompleteReason = Json.Str(status, "incomplete_reason");
        }
    }

    public IReadOnlyList<NotionObject> Results { get; }
    public string? NextCursor { get; }
    public bool HasMore { get; }

    /// <summary>Notion's <c>type</c> of the results (<c>page_or_data_source</c>, <c>block</c>, <c>user</c>, ...).</summary>
    public string? ResultType { get; }

    /// <summary>True when Notion stopped early (<c>request_status.type = incomplete</c>).</summary>
    public bool IsIncomplete { get; }

    /// <summary>Why, for example <c>query_result_limit_reached</c> at the 10,000-row cap.</summary>
    public string? IncompleteReason { get; }

    internal bool HitResultCap => IsIncomplete && IncompleteReason == "query_result_limit_reached";
}

/// <summary>An error body (<c>object: "error"</c>); the client raises <see cref="NotionApiException"/> for these.</summary>
public sealed class NotionError : NotionObject
{
    internal NotionError(JsonElement e) : base(e)
    {
        Status = (int?)Json.Number(e, "status");
        Code = Json.Str(e, "code");
        Message = Json.Str(e, "message");
        RequestId = Json.Str(e, "request_id");
    }

    public int? Status { get; }
    public string? Code { get; }
    public string? Message { get; }
    public string? RequestId { get; }
}

/// <summary>Any other object kind (comment, view, file_upload, async_task, ...), kept raw.</summary>
public sealed class NotionRawObject : NotionObject
{
    internal NotionRawObject(JsonElement e) : base(e) { }
}
