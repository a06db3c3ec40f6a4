using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>Property values read from a request, applied only when every value passed validation.</summary>
internal sealed class PropertyWrite
{
    public Dictionary<string, PropValue> Values { get; } = new(StringComparer.Ordinal);
    public List<(PropSchema Prop, SelectOption Option)> NewOptions { get; } = new();

    public SelectOption? PendingOption(PropSchema prop, string name)
        => NewOptions.FirstOrDefault(x => x.Prop == prop && x.Option.Name == name).Option;

    /// <summary>Select options named by the write but missing from the schema are created, as Notion does.</summary>
    public void CommitOptions()
    {
        foreach (var (prop, option) in NewOptions)
            if (prop.FindOptionByName(option.Name) is null) prop.Options.Add(option);
    }
}

/// <summary>Page property values: request shapes, limits and Notion's validation messages.</summary>
internal static class NotionValueRules
{
    public const int MaxArrayItems = 100;
    public const int MaxUrl = 2000;
    public const int MaxEmail = 200;
    public const int MaxPhone = 200;

    public static PropertyWrite ReadRowProperties(NotionStore store, FakeDataSource ds, JsonObject props, string path)
    {
        var write = new PropertyWrite();
        foreach (var (key, node) in props)
        {
            var prop = ds.FindProperty(key) ?? throw NotionApiError.Validation($"{key} is not a property that exists.");
            write.Values[prop.Id] = ReadValue(store, prop, node, $"{path}.{key}", write);
        }
        return write;
    }

    /// <summary>
    /// Seeding: plain .NET values by property name, checked by the same rules as API writes but without
    /// building request JSON (25,000 rows seed in about a second). A JsonNode value is read as Notion's value object.
    /// </summary>
    public static PropertyWrite ReadRowClrValues(NotionStore store, FakeDataSource ds, IReadOnlyDictionary<string, object?> values, string path)
    {
        var write = new PropertyWrite();
        foreach (var (key, value) in values)
        {
            var prop = ds.FindProperty(key) ?? throw NotionApiError.Validation($"{key} is not a property that exists.");
            write.Values[prop.Id] = FromClr(store, prop, value, $"{path}.{key}", write);
        }
        return write;
    }

    private static PropValue FromClr(NotionStore store, PropSchema prop, object? value, string path, PropertyWrite write)
    {
        if (value is JsonNode node) return ReadValue(store, prop, node, path, write);
        var type = prop.Type;
        if (NotionSchemaRules.ReadOnlyTypes.Contains(type))
            throw NotionApiError.Validation($"{prop.Name} is a {type} property, which is read-only and cannot be set.");
        var p = $"{path}.{type}";
        static string Str(object v) => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        static List<string> Many(object? v) => v switch
        {
            null => new List<string>(),
            string s => new List<string> { s },
            IEnumerable e => e.Cast<object>().Select(Str).ToList(),
            _ => new List<string> { Str(v) },
        };
        switch (type)
        {
            case "title":
            case "rich_text":
            {
                var text = value is null ? "" : Str(value);
                if (text.Length > NotionRichText.MaxContent) throw NotionApiError.TooLong($"{p}[0].text.content.length", NotionRichText.MaxContent, text.Length);
                return new PropValue { Plain = text };
            }
            case "number":
                return value is null ? new PropValue() : new PropValue { Number = Convert.ToDouble(value, CultureInfo.InvariantCulture) };
            case "checkbox":
                return new PropValue { Checkbox = value is bool b ? b : Convert.ToBoolean(value, CultureInfo.InvariantCulture) };
            case "select":
            case "status":
                return value is null ? new PropValue() : new PropValue { OptionId = ResolveOptionName(store, prop, Str(value), null, p, write).Id };
            case "multi_select":
            {
                var names = Many(value);
                if (names.Count > MaxArrayItems) throw NotionApiError.TooLong($"{p}.length", MaxArrayItems, names.Count);
                var ids = new List<string>();
                foreach (var name in names)
                {
                    var id = ResolveOptionName(store, prop, name, null, p, write).Id;
                    if (!ids.Contains(id)) ids.Add(id);
                }
                return new PropValue { OptionIds = ids };
            }
            case "date":
            {
                var start = value switch
                {
                    null => null,
                    DateTimeOffset dto => dto.ToString("o", CultureInfo.InvariantCulture),
                    DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "o", CultureInfo.InvariantCulture),
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => Str(value),
                };
                if (start is null) return new PropValue();
                if (!NotionFormats.TryParseDate(start, out var instant, out var hasTime, out var normalized))
                    throw NotionApiError.Body($"{p}.start", "should be a valid ISO 8601 date string", JsonValue.Create(start));
                return new PropValue { Date = new DateValue(normalized, null, null, instant, hasTime) };
            }
            case "url":
            case "email":
            case "phone_number":
            {
                if (value is null) return new PropValue();
                var text = Str(value);
                var max = type == "url" ? MaxUrl : type == "email" ? MaxEmail : MaxPhone;
                if (text.Length > max) throw NotionApiError.TooLong($"{p}.length", max, text.Length);
                return new PropValue { Text = text.Length == 0 ? null : text };
            }
            case "relation":
            case "people":
            {
                var raw = Many(value);
                if (raw.Count > MaxArrayItems) throw NotionApiError.TooLong($"{p}.length", MaxArrayItems, raw.Count);
                var ids = new List<string>();
                for (var i = 0; i < raw.Count; i++)
                {
                    var id = NotionFormats.NormalizeId(raw[i]) ?? throw NotionApiError.Body($"{p}[{i}].id", "should be a valid uuid", JsonValue.Create(raw[i]));
                    if (!ids.Contains(id)) ids.Add(id);
                }
                CheckRelatedIds(store, prop, ids);
                return new PropValue { Ids = ids };
            }
            default:
                throw NotionApiError.Validation($"{prop.Name} is a {type} property; seed it with a JsonNode value or not at all.");
        }
    }

    private static void CheckRelatedIds(NotionStore store, PropSchema prop, List<string> ids)
    {
        foreach (var id in ids)
        {
            if (prop.Type == "people")
            {
                if (store.FindUser(id) is null) throw NotionApiError.Validation($"Could not find user with ID: {id}.");
                continue;
            }
            var related = store.FindPage(id);
            if (related is null || !related.Accessible)
                throw NotionApiError.Validation($"Related page {id} of {prop.Name} does not exist or is not shared with the integration.");
            if (prop.RelationDataSourceId is { } dsId && related.DataSource?.Id != dsId)
                throw NotionApiError.Validation($"Related page {id} is not in the data source that {prop.Name} relates to.");
        }
    }

    /// <summary>A page under a page has one property, its title, under the key "title".</summary>
    public static PropValue? ReadPlainPageTitle(NotionStore store, JsonObject props, string path)
    {
        PropValue? title = null;
        var titleProp = new PropSchema { Id = "title", Name = "title", Type = "title" };
        foreach (var (key, node) in props)
        {
            if (key != "title") throw NotionApiError.Validation($"{key} is not a property that exists.");
            title = ReadValue(store, titleProp, node, $"{path}.{key}", new PropertyWrite());
        }
        return title;
    }

    public static PropValue ReadValue(NotionStore store, PropSchema prop, JsonNode? node, string path, PropertyWrite write)
    {
        var type = prop.Type;
        if (NotionSchemaRules.ReadOnlyTypes.Contains(type))
            throw NotionApiError.Validation($"{prop.Name} is a {type} property, which is read-only and cannot be set.");
        JsonNode? inner;
        if (node is JsonArray && type is "title" or "rich_text")
        {
            inner = node;
        }
        else if (node is JsonObject o)
        {
            var declared = JsonRead.OptString(o, "type", path);
            if (declared is not null && declared != type) throw NotionApiError.Validation($"{prop.Name} is expected to be {type}.");
            if (!o.TryGetPropertyValue(type, out inner))
            {
                if (o.Any(kv => kv.Key != "type" && kv.Key != "id" && NotionSchemaRules.KnownTypes.Contains(kv.Key)))
                    throw NotionApiError.Validation($"{prop.Name} is expected to be {type}.");
                throw NotionApiError.Body($"{path}.{type}", "should be defined", null);
            }
        }
        else
        {
            throw NotionApiError.Validation($"{prop.Name} is expected to be {type}.");
        }

        var p = $"{path}.{type}";
        switch (type)
        {
            case "title":
            case "rich_text":
            {
                var rt = NotionRichText.Read(inner, p, store);
                return new PropValue { RichText = rt, Plain = NotionRichText.Plain(rt) };
            }
            case "number":
                if (inner is null) return new PropValue();
                if (!JsonRead.IsNumber(inner)) throw NotionApiError.Body(p, "should be a number or `null`", inner);
                return new PropValue { Number = inner.GetValue<double>() };
            case "checkbox":
                if (!JsonRead.IsBool(inner)) throw NotionApiError.Body(p, "should be a boolean", inner);
                return new PropValue { Checkbox = inner!.GetValue<bool>() };
            case "select":
            case "status":
                if (inner is null) return new PropValue();
                if (inner is not JsonObject sel) throw NotionApiError.Body(p, "should be an object or `null`", inner);
                return new PropValue { OptionId = ResolveOption(store, prop, sel, p, write).Id };
            case "multi_select":
            {
                if (inner is not JsonArray arr) throw NotionApiError.Body(p, "should be an array", inner);
                if (arr.Count > MaxArrayItems) throw NotionApiError.TooLong($"{p}.length", MaxArrayItems, arr.Count);
                var ids = new List<string>();
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is not JsonObject item) throw NotionApiError.Body($"{p}[{i}]", "should be an object", arr[i]);
                    var id = ResolveOption(store, prop, item, $"{p}[{i}]", write).Id;
                    if (!ids.Contains(id)) ids.Add(id);
                }
                return new PropValue { OptionIds = ids };
            }
            case "date":
                if (inner is null) return new PropValue();
                if (inner is not JsonObject d) throw NotionApiError.Body(p, "should be an object or `null`", inner);
                return new PropValue { Date = ReadDate(d, p) };
            case "url":
                return ReadText(inner, p, MaxUrl);
            case "email":
                return ReadText(inner, p, MaxEmail);
            case "phone_number":
                return ReadText(inner, p, MaxPhone);
            case "relation":
            case "people":
            {
                var ids = ReadIdList(inner, p);
                CheckRelatedIds(store, prop, ids);
                return new PropValue { Ids = ids };
            }
            case "files":
            {
                if (inner is not JsonArray files) throw NotionApiError.Body(p, "should be an array", inner);
                if (files.Count > MaxArrayItems) throw NotionApiError.TooLong($"{p}.length", MaxArrayItems, files.Count);
                return new PropValue { RichText = (JsonArray)files.DeepClone() };
            }
            default:
                throw NotionApiError.Validation($"{prop.Name} is a {type} property, which the Notion fake does not accept writes for.");
        }
    }

    private static PropValue ReadText(JsonNode? inner, string path, int max)
    {
        if (inner is null) return new PropValue();
        if (!JsonRead.IsString(inner)) throw NotionApiError.Body(path, "should be a string or `null`", inner);
        var s = inner.GetValue<string>();
        if (s.Length > max) throw NotionApiError.TooLong($"{path}.length", max, s.Length);
        return new PropValue { Text = s.Length == 0 ? null : s };
    }

    private static List<string> ReadIdList(JsonNode? inner, string path)
    {
        if (inner is not JsonArray arr) throw NotionApiError.Body(path, "should be an array", inner);
        if (arr.Count > MaxArrayItems) throw NotionApiError.TooLong($"{path}.length", MaxArrayItems, arr.Count);
        var ids = new List<string>();
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonObject item) throw NotionApiError.Body($"{path}[{i}]", "should be an object", arr[i]);
            var id = JsonRead.ReqId(item, "id", $"{path}[{i}]");
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids;
    }

    private static SelectOption ResolveOption(NotionStore store, PropSchema prop, JsonObject sel, string path, PropertyWrite write)
    {
        var id = JsonRead.OptString(sel, "id", path);
        var name = JsonRead.OptString(sel, "name", path);
        if (id is not null)
        {
            var byId = prop.FindOptionById(id);
            if (byId is null) throw NotionApiError.Validation($"Invalid {prop.Type} option id \"{id}\" for property \"{prop.Name}\".");
            return byId;
        }
        if (name is null) throw NotionApiError.Body($"{path}.name", "should be defined", null);
        return ResolveOptionName(store, prop, name, JsonRead.OptString(sel, "color", path), path, write);
    }

    private static SelectOption ResolveOptionName(NotionStore store, PropSchema prop, string name, string? color, string path, PropertyWrite write)
    {
        var existing = prop.FindOptionByName(name) ?? write.PendingOption(prop, name);
        if (existing is not null) return existing;
        if (prop.Type == "status")
            throw NotionApiError.Validation($"Invalid status option. Status option \"{name}\" does not exist for property \"{prop.Name}\".");
        if (store.StrictSelectOptions)
            throw NotionApiError.Validation($"Invalid {prop.Type} option. Option \"{name}\" does not exist for property \"{prop.Name}\".");
        NotionSchemaRules.CheckOptionName(name, path);
        var created = new SelectOption { Id = NotionFormats.NewId(), Name = name, Color = color ?? NotionFormats.ColorFor(name) };
        write.NewOptions.Add((prop, created));
        return created;
    }

    public static DateValue ReadDate(JsonObject d, string path)
    {
        var startRaw = JsonRead.OptString(d, "start", path) ?? throw NotionApiError.Body($"{path}.start", "should be defined", null);
        if (!NotionFormats.TryParseDate(startRaw, out var instant, out var hasTime, out var start))
            throw NotionApiError.Body($"{path}.start", "should be a valid ISO 8601 date string", d["start"]);
        string? end = null;
        var endRaw = JsonRead.OptString(d, "end", path);
        if (endRaw is not null)
        {
            if (!NotionFormats.TryParseDate(endRaw, out _, out _, out var e))
                throw NotionApiError.Body($"{path}.end", "should be a valid ISO 8601 date string", d["end"]);
            end = e;
        }
        var tz = JsonRead.OptString(d, "time_zone", path);
        return new DateValue(start, end, tz, instant, hasTime);
    }

    public static JsonObject DateJson(DateValue d) => new()
    {
        ["start"] = d.Start,
        ["end"] = d.End,
        ["time_zone"] = d.TimeZone,
    };

    /// <summary>Stores the values on a row and keeps the other side of dual relations in step.</summary>
    public static void ApplyToRow(NotionStore store, FakePage page, PropertyWrite write)
    {
        write.CommitOptions();
        var ds = page.DataSource!;
        foreach (var (propId, value) in write.Values)
        {
            var prop = ds.Properties.First(p => p.Id == propId);
            if (prop.Type == "relation" && prop.RelationDual)
            {
                var before = page.Values.TryGetValue(propId, out var old) ? old.Ids ?? new List<string>() : new List<string>();
                var after = value.Ids ?? new List<string>();
                foreach (var id in after.Except(before)) SyncOtherSide(store, prop, id, page.Id, add: true);
                foreach (var id in before.Except(after)) SyncOtherSide(store, prop, id, page.Id, add: false);
            }
            page.Values[propId] = value;
        }
    }

    private static void SyncOtherSide(NotionStore store, PropSchema prop, string otherPageId, string pageId, bool add)
    {
        if (store.FindPage(otherPageId) is not { DataSource: { } otherDs } other || prop.SyncedPropertyId is not { } syncedId) return;
        if (otherDs.Properties.All(p => p.Id != syncedId)) return;
        if (!other.Values.TryGetValue(syncedId, out var v)) other.Values[syncedId] = v = new PropValue();
        v.Ids ??= new List<string>();
        if (add && !v.Ids.Contains(pageId)) v.Ids.Add(pageId);
        if (!add) v.Ids.Remove(pageId);
        store.Touch(other);
    }
}
