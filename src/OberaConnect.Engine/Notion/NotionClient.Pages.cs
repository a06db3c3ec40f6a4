using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Notion;

public sealed partial class NotionClient
{
    /// <summary>A page with its properties (<c>GET /v1/pages/{id}</c>). Accepts an id or a Notion link.</summary>
    public Task<NotionPage> GetPageAsync(string pageId, CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(pageId, "page id");
        return SendAsync(HttpMethod.Get, "v1/pages/" + id, null, RequestSafety.Idempotent, "page " + id, e => As<NotionPage>(e, "a page"), cancellationToken);
    }

    /// <summary>
    /// Creates a page (<c>POST /v1/pages</c>). For a data-source parent a database id is accepted too.
    /// Limits are checked before sending. Children that do not fit in the create request are appended right after.
    /// <para>A create is not idempotent. If its answer is lost (timeout, reset, 5xx after sending):
    /// with <paramref name="duplicateCheck"/>, the client looks the record up by its key (a few paced looks,
    /// for Notion's indexing delay) and returns the page it finds as <see cref="CreateOutcome.Recovered"/>, or
    /// sends again only when it is not found; without one it throws <see cref="NotionOutcomeUnknownException"/>
    /// so the caller can journal it. Either way no duplicate page is created by a retry.</para>
    /// </summary>
    public async Task<NotionCreateResult<NotionPage>> CreatePageAsync(NewPage request, DuplicateCheck? duplicateCheck = null,
        CancellationToken cancellationToken = default)
    {
        var properties = PropertiesJson(request.Properties);
        var children = request.Children.Select((b, i) => (Block: b, Json: b.ToRequestJson($"block {i + 1} ({b.Type})"))).ToList();
        var propertiesBytes = Json.Utf8Length(Json.Serialize(properties));
        if (propertiesBytes + 512 > NotionLimits.RequestBytes)
            throw new NotionLimitException("the new page's properties", "the size of one request in bytes", NotionLimits.RequestBytes, propertiesBytes + 512,
                "Send less at once: shorten long text values or move them into the page body.");
        var batches = Batch(children, reservedBytes: propertiesBytes + 512, what: "the new page");
        var first = batches.Count > 0 ? batches[0] : new List<(NewBlock Block, JsonObject Json)>();

        var parentId = request.ParentKind == "data_source_id"
            ? await ResolveDataSourceIdAsync(request.ParentId, cancellationToken).ConfigureAwait(false)
            : request.ParentId;
        var body = new JsonObject
        {
            ["parent"] = new JsonObject { ["type"] = request.ParentKind, [request.ParentKind] = parentId },
            ["properties"] = properties,
        };
        if (first.Count > 0) body["children"] = new JsonArray(first.Select(c => (JsonNode)c.Json.DeepClone()).ToArray());
        if (!string.IsNullOrEmpty(request.IconEmoji)) body["icon"] = new JsonObject { ["type"] = "emoji", ["emoji"] = request.IconEmoji };

        var where = request.ParentKind == "data_source_id" ? "data source " + parentId : "page " + parentId;
        var titleText = request.Properties.Values.OfType<TitleValue>().FirstOrDefault()?.PlainText;
        var operation = titleText is null ? $"create page in {where}" : $"create page \"{titleText}\" in {where}";

        Func<DateTimeOffset, CancellationToken, Task<NotionPage?>>? find = null;
        if (duplicateCheck != null)
        {
            if (duplicateCheck.ChildPageTitle != null)
            {
                if (request.ParentKind != "page_id")
                    throw new NotionInputException("NotionInvalidDuplicateCheck",
                        "DuplicateCheck.ByChildPageTitle applies to pages created under a page; for data-source rows use ByTitle or ByFilter.");
                find = (sentAt, ct) => FindChildPageAsync(parentId, duplicateCheck.ChildPageTitle, sentAt, ct);
            }
            else
            {
                if (duplicateCheck.DataSourceId is null && request.ParentKind != "data_source_id")
                    throw new NotionInputException("NotionInvalidDuplicateCheck",
                        "A filter duplicate check needs a data source: create the page in one, or name it in DuplicateCheck.ByFilter(..., dataSourceId).");
                var checkSource = duplicateCheck.DataSourceId is null
                    ? parentId
                    : await ResolveDataSourceIdAsync(duplicateCheck.DataSourceId, cancellationToken).ConfigureAwait(false);
                find = (_, ct) => FindByFilterAsync(checkSource, duplicateCheck, ct);
            }
        }

        var (page, outcome, sends) = await WriteOnceAsync(operation,
            ct => SendAsync(HttpMethod.Post, "v1/pages", body, RequestSafety.NotIdempotent, titleText is null ? "new page" : $"new page \"{titleText}\"",
                e => As<NotionPage>(e, "a page"), ct),
            find, duplicateCheck?.Description, cancellationToken).ConfigureAwait(false);

        if (batches.Count > 1)
        {
            var rest = batches.Skip(1).SelectMany(b => b.Select(c => c.Block)).ToList();
            await AppendChildrenAsync(page.Id, rest, AppendPosition.End, cancellationToken).ConfigureAwait(false);
        }
        return new NotionCreateResult<NotionPage>(page, outcome, sends);
    }

    private async Task<NotionPage?> FindByFilterAsync(string dataSourceId, DuplicateCheck check, CancellationToken cancellationToken)
    {
        var query = new NotionQuery { Filter = check.Filter, PageSize = 25 };
        var list = await QueryPageAsync(dataSourceId, query, null, cancellationToken).ConfigureAwait(false);
        return list.Results.OfType<NotionPage>().FirstOrDefault(p => !p.InTrash && (check.Match?.Invoke(p) ?? true));
    }

    private async Task<NotionPage?> FindChildPageAsync(string parentPageId, string title, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await foreach (var block in ListChildrenAsync(parentPageId, cancellationToken).ConfigureAwait(false))
            if (block.Type == "child_page" && string.Equals(block.ChildTitle, title, StringComparison.Ordinal) && IsRecent(block.CreatedTime, sentAt))
                return await GetPageAsync(block.Id, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Sets property values of a page (<c>PATCH /v1/pages/{id}</c>); properties not named are left as they are.
    /// Limits are checked before sending. Safe to repeat.
    /// </summary>
    public Task<NotionPage> UpdatePageAsync(string pageId, IEnumerable<KeyValuePair<string, PropertyValue>> properties,
        CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(pageId, "page id");
        var body = new JsonObject { ["properties"] = PropertiesJson(properties) };
        return SendAsync(Patch, "v1/pages/" + id, body, RequestSafety.Idempotent, "page " + id, e => As<NotionPage>(e, "a page"), cancellationToken);
    }

    /// <summary>Moves a page to the trash (<c>in_trash: true</c>; <c>archived: true</c> before 2026-03-11). Safe to repeat.</summary>
    public Task<NotionPage> TrashPageAsync(string pageId, CancellationToken cancellationToken = default) => SetTrashAsync(pageId, true, cancellationToken);

    /// <summary>Restores a page from the trash. Safe to repeat.</summary>
    public Task<NotionPage> RestorePageAsync(string pageId, CancellationToken cancellationToken = default) => SetTrashAsync(pageId, false, cancellationToken);

    private Task<NotionPage> SetTrashAsync(string pageId, bool inTrash, CancellationToken cancellationToken)
    {
        var id = NotionId.Normalize(pageId, "page id");
        var body = new JsonObject { [_options.IsAtLeast2026 ? "in_trash" : "archived"] = inTrash };
        return SendAsync(Patch, "v1/pages/" + id, body, RequestSafety.Idempotent, "page " + id, e => As<NotionPage>(e, "a page"), cancellationToken);
    }

    /// <summary>
    /// One property of a page, complete (<c>GET /v1/pages/{id}/properties/{property_id}</c>): the page object
    /// carries at most 25 items of a relation, people, title or rich_text value; this pages through all of them.
    /// </summary>
    public async Task<PropertyValue> GetPropertyAsync(string pageId, string propertyId, CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(pageId, "page id");
        var escapedProperty = Escape(Uri.UnescapeDataString(propertyId));
        var target = $"property {propertyId} of page {id}";
        string? type = null, cursor = null;
        var segments = new List<RichTextSegment>();
        var ids = new List<string>();
        PropertyValue? single = null;
        do
        {
            var url = $"v1/pages/{id}/properties/{escapedProperty}?page_size={NotionLimits.PageSize}" + (cursor is null ? "" : "&start_cursor=" + Escape(cursor));
            var (value, more, next) = await SendAsync(HttpMethod.Get, url, null, RequestSafety.Idempotent, target, e => ReadPropertyItems(e, ref type, segments, ids),
                cancellationToken).ConfigureAwait(false);
            single ??= value;
            cursor = more ? next : null;
        } while (cursor != null);

        if (single != null) return single;
        return type switch
        {
            "title" => new TitleValue(segments),
            "rich_text" => new RichTextValue(segments),
            "relation" => new RelationValue(ids, hasMore: false),
            "people" => new PeopleValue(ids),
            _ => new UnknownValue(type ?? "", null, writable: false),
        };
    }

    // A property endpoint answers either one property_item (simple types) or a list of them (paginated types).
    private static (PropertyValue? Single, bool HasMore, string? Next) ReadPropertyItems(JsonElement e, ref string? type, List<RichTextSegment> segments, List<string> ids)
    {
        if (Json.Str(e, "object") != "list") return (PropertyValue.Parse(e), false, null);
        if (Json.Obj(e, "property_item") is { } info) type ??= Json.Str(info, "type");
        if (Json.Arr(e, "results") is { } results)
            foreach (var item in results.EnumerateArray())
            {
                var itemType = Json.Str(item, "type");
                type ??= itemType;
                switch (itemType)
                {
                    case "title":
                    case "rich_text":
                        if (Json.Obj(item, itemType) is { } rt) segments.Add(RichTextSegment.Parse(rt));
                        break;
                    case "relation":
                    case "people":
                        if (Json.Obj(item, itemType) is { } r && Json.Id(r, "id") is { } rid) ids.Add(rid);
                        break;
                }
            }
        if (type is not ("title" or "rich_text" or "relation" or "people") && Json.Obj(e, "property_item") is { } whole)
            return (PropertyValue.Parse(whole), false, null);
        return (null, Json.Bool(e, "has_more") ?? false, Json.Str(e, "next_cursor"));
    }

    private static JsonObject PropertiesJson(IEnumerable<KeyValuePair<string, PropertyValue>> properties)
    {
        var obj = new JsonObject();
        foreach (var p in properties)
        {
            if (string.IsNullOrEmpty(p.Key))
                throw new NotionInputException("NotionInvalidProperty", "A property value has an empty property name.");
            if (p.Value is null)
                throw new NotionInputException("NotionInvalidProperty", $"{Describe.Property(p.Key)} has no value object; use an empty value (for example PropertyValue.Number(null)) to clear it.");
            obj[p.Key] = p.Value.ToRequestJson(p.Key);
        }
        return obj;
    }
}
