using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>A database created by seeding: its id and the id of its one data source.</summary>
public sealed record SeededDatabase(string DatabaseId, string DataSourceId);

/// <summary>
/// Seeds and inspects the fake workspace directly (no HTTP, no counters, no rate limit). Values go
/// through the same validation as API writes, so a seed Notion would reject fails here too
/// (<see cref="ArgumentException"/> carrying Notion's message).
/// </summary>
public sealed class NotionFakeState
{
    internal NotionFakeState(NotionStore store) => Store = store;

    internal NotionStore Store { get; }

    public string RootPageId => Store.RootPageId;
    public string UnsharedPageId => Store.UnsharedPageId;
    public string BotUserId => Store.Bot.Id;

    /// <summary>A plain page under a page; returns its id.</summary>
    public string CreatePage(string parentPageId, string title)
        => Locked(() =>
        {
            var parent = Store.GetPage(Id(parentPageId));
            return Store.CreatePlainPage(new ParentRef(ParentKind.Page, parent.Id), NotionRichText.FromPlain(title), null, Store.Bot.Id, null).Id;
        });

    /// <summary>
    /// A database with one data source under a page. <paramref name="propertiesJson"/> is the schema as
    /// Notion takes it in <c>initial_data_source.properties</c>, e.g.
    /// <c>{"Name":{"title":{}},"Tier":{"select":{"options":[{"name":"Gold"}]}},"Score":{"number":{}}}</c>.
    /// </summary>
    public SeededDatabase CreateDatabase(string parentPageId, string title, string propertiesJson)
        => CreateDatabase(parentPageId, title, ParseObject(propertiesJson));

    public SeededDatabase CreateDatabase(string parentPageId, string title, JsonObject properties)
        => Locked(() =>
        {
            var parent = Store.GetPage(Id(parentPageId));
            var db = Store.CreateDatabase(parent, NotionRichText.FromPlain(title), new JsonArray(), false, null);
            var ds = Store.CreateDataSource(db, NotionRichText.FromPlain(title), Store.Bot.Id, null);
            try
            {
                NotionSchemaRules.AddInitialProperties(Store, ds, (JsonObject)properties.DeepClone(), "properties");
            }
            catch
            {
                Store.RemoveDatabase(db);
                throw;
            }
            return new SeededDatabase(db.Id, ds.Id);
        });

    /// <summary>Changes a schema as PATCH /v1/data_sources/{id} "properties" would.</summary>
    public void UpdateSchema(string dataSourceId, string propertiesJson)
        => Locked(() =>
        {
            NotionSchemaRules.ApplyUpdate(Store, Store.GetDataSource(Id(dataSourceId)), ParseObject(propertiesJson), "properties");
            return 0;
        });

    /// <summary>A person user (for people properties); returns the user id.</summary>
    public string AddUser(string name, string email)
        => Locked(() =>
        {
            var user = new FakeUser { Id = NotionFormats.NewId(), Name = name, Email = email };
            Store.Users[user.Id] = user;
            return user.Id;
        });

    /// <summary>
    /// A row with plain .NET values by property name: string (title, rich_text, select, status, url, email,
    /// phone_number, date), numbers, bool, DateTimeOffset/DateTime/DateOnly (date), string lists
    /// (multi_select names, relation page ids, people user ids), or a JsonNode holding Notion's own value object.
    /// </summary>
    public string InsertPage(string dataSourceId, IReadOnlyDictionary<string, object?> values, DateTimeOffset? createdTime = null)
        => InsertPages(dataSourceId, 1, _ => values, createdTime is { } t ? _ => t : null)[0];

    /// <summary>A row a person made in Notion's app (its created_by is that user, see <see cref="AddUser"/>), with plain .NET values.</summary>
    public string InsertPageBy(string userId, string dataSourceId, IReadOnlyDictionary<string, object?> values)
        => Locked(() =>
        {
            var ds = Store.GetDataSource(Id(dataSourceId));
            var write = NotionValueRules.ReadRowClrValues(Store, ds, values, "properties");
            var page = Store.CreateRow(ds, new Dictionary<string, PropValue>(), Id(userId), null);
            NotionValueRules.ApplyToRow(Store, page, write);
            return page.Id;
        });

    /// <summary>A row from Notion's request form of "properties".</summary>
    public string InsertPageJson(string dataSourceId, string propertiesJson, DateTimeOffset? createdTime = null)
        => Locked(() =>
        {
            var ds = Store.GetDataSource(Id(dataSourceId));
            var write = NotionValueRules.ReadRowProperties(Store, ds, ParseObject(propertiesJson), "properties");
            var page = Store.CreateRow(ds, new Dictionary<string, PropValue>(), Store.Bot.Id, createdTime);
            NotionValueRules.ApplyToRow(Store, page, write);
            return page.Id;
        });

    /// <summary>Bulk insert: <paramref name="count"/> rows, values and (optionally) created time per index.</summary>
    public IReadOnlyList<string> InsertPages(string dataSourceId, int count, Func<int, IReadOnlyDictionary<string, object?>> values,
        Func<int, DateTimeOffset>? createdTime = null)
        => Locked(() =>
        {
            var ds = Store.GetDataSource(Id(dataSourceId));
            var ids = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var write = NotionValueRules.ReadRowClrValues(Store, ds, values(i), $"rows[{i}].properties");
                var created = createdTime?.Invoke(i);
                var page = Store.CreateRow(ds, new Dictionary<string, PropValue>(), Store.Bot.Id, created);
                NotionValueRules.ApplyToRow(Store, page, write);
                ids.Add(page.Id);
            }
            return (IReadOnlyList<string>)ids;
        });

    /// <summary>Changes some values of a row (plain .NET values, as for <see cref="InsertPage"/>).</summary>
    public void UpdatePage(string pageId, IReadOnlyDictionary<string, object?> values)
        => Locked(() =>
        {
            var page = Store.GetPage(Id(pageId));
            var ds = page.DataSource ?? throw NotionApiError.Validation("Only rows of a data source have properties to update.");
            NotionValueRules.ApplyToRow(Store, page, NotionValueRules.ReadRowClrValues(Store, ds, values, "properties"));
            Store.Touch(page);
            return 0;
        });

    /// <summary>Sets a page's created and/or last edited time (rounded down to the minute, as Notion shows them).</summary>
    public void SetTimestamps(string pageId, DateTimeOffset? created = null, DateTimeOffset? lastEdited = null)
        => Locked(() =>
        {
            var page = Store.GetPage(Id(pageId));
            if (created is { } c) page.Created = NotionFormats.ToMinute(c);
            if (lastEdited is { } e) page.LastEdited = NotionFormats.ToMinute(e);
            return 0;
        });

    public void TrashPage(string pageId, bool inTrash = true)
        => Locked(() => Store.GetPage(Id(pageId)).InTrash = inTrash);

    /// <summary>Rows in a data source (trashed ones only when asked).</summary>
    public int CountPages(string dataSourceId, bool includeTrashed = false)
        => Locked(() => Store.GetDataSource(Id(dataSourceId)).Rows.Count(r => includeTrashed || !r.InTrash));

    /// <summary>Row ids in creation order.</summary>
    public IReadOnlyList<string> PageIds(string dataSourceId, bool includeTrashed = false)
        => Locked(() => (IReadOnlyList<string>)Store.GetDataSource(Id(dataSourceId)).Rows.Where(r => includeTrashed || !r.InTrash).Select(r => r.Id).ToList());

    public bool IsInTrash(string id) => Locked(() => Store.IsTrashed(Id(id)));

    /// <summary>The page object as GET /v1/pages/{id} returns it (2026-03-11).</summary>
    public JsonObject GetPage(string pageId)
        => Locked(() => Render(w => NotionRender.WritePage(w, Store.GetPage(Id(pageId)), Ctx())));

    /// <summary>The page's "properties" object, keyed by property name.</summary>
    public JsonObject GetPageProperties(string pageId) => (JsonObject)GetPage(pageId)["properties"]!.DeepClone();

    /// <summary>
    /// One property as text: plain text for title/rich_text, the option name(s) for select/status/multi_select
    /// (comma-joined), the number, the date start, url/email/phone, "true"/"false"; null when empty.
    /// </summary>
    public string? GetPropertyText(string pageId, string propertyName)
        => Locked(() =>
        {
            var page = Store.GetPage(Id(pageId));
            if (page.DataSource is not { } ds) return propertyName == "title" ? Store.PageTitle(page) : null;
            var prop = ds.FindProperty(propertyName) ?? throw NotionApiError.Validation($"{propertyName} is not a property that exists.");
            page.Values.TryGetValue(prop.Id, out var v);
            return prop.Type switch
            {
                "title" or "rich_text" => v?.Plain is { Length: > 0 } s ? s : null,
                "number" => v?.Number?.ToString(CultureInfo.InvariantCulture),
                "select" or "status" => v?.OptionId is { } o ? prop.FindOptionById(o)?.Name : null,
                "multi_select" => v?.OptionIds is { Count: > 0 } ids ? string.Join(",", ids.Select(x => prop.FindOptionById(x)?.Name)) : null,
                "date" => v?.Date?.Start,
                "checkbox" => (v?.Checkbox ?? false) ? "true" : "false",
                "url" or "email" or "phone_number" => v?.Text,
                "relation" or "people" => v?.Ids is { Count: > 0 } rel ? string.Join(",", rel) : null,
                "unique_id" => (prop.UniquePrefix is null ? "" : prop.UniquePrefix + "-") + (v?.UniqueNumber ?? 0).ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
        });

    /// <summary>The data source object (schema included) as GET /v1/data_sources/{id} returns it.</summary>
    public JsonObject GetDataSource(string dataSourceId)
        => Locked(() => Render(w => NotionRender.WriteDataSource(w, Store.GetDataSource(Id(dataSourceId)), Ctx())));

    /// <summary>Child blocks of a page or block (child pages and databases included), in order.</summary>
    public IReadOnlyList<JsonObject> GetChildren(string blockId, bool includeTrashed = false)
        => Locked(() =>
        {
            var id = Id(blockId);
            var children = Store.ChildrenOf(id) ?? new List<string>();
            return (IReadOnlyList<JsonObject>)children.Where(c => includeTrashed || !Store.IsTrashed(c))
                .Select(c => Render(w => NotionRender.WriteBlockLike(w, Store.GetBlockLike(c), Ctx()))).ToList();
        });

    /// <summary>The data source ids of the databases whose title is <paramref name="title"/>.</summary>
    public IReadOnlyList<string> FindDataSources(string title)
        => Locked(() => (IReadOnlyList<string>)Store.DataSources.Values.Where(d => NotionRichText.Plain(d.Title) == title).OrderBy(d => d.Seq).Select(d => d.Id).ToList());

    // ---- helpers ---------------------------------------------------------------------------------

    private RenderContext Ctx() => new(Store, NotionApiVersion.V2026_03_11);

    private T Locked<T>(Func<T> action)
    {
        lock (Store.Gate)
        {
            try
            {
                return action();
            }
            catch (NotionApiError e)
            {
                throw new ArgumentException($"Notion would answer {e.Status} {e.Code}: {e.Message}", e);
            }
        }
    }

    private static string Id(string id) => NotionFormats.NormalizeId(id) ?? throw new ArgumentException($"'{id}' is not a Notion id (a UUID, dashed or not).", nameof(id));

    private static JsonObject ParseObject(string json)
        => JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("Expected a JSON object.", nameof(json));

    private static JsonObject Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
    }
}
