using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>Typed reads of request JSON that fail with Notion's validation wording.</summary>
internal static class JsonRead
{
    public static bool IsString(JsonNode? n) => n is JsonValue && n.GetValueKind() == JsonValueKind.String;
    public static bool IsNumber(JsonNode? n) => n is JsonValue && n.GetValueKind() == JsonValueKind.Number;
    public static bool IsBool(JsonNode? n) => n is JsonValue && n.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    public static string? OptString(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (!IsString(n)) throw NotionApiError.Body($"{path}.{key}", "should be a string", n);
        return n.GetValue<string>();
    }

    public static string ReqString(JsonObject o, string key, string path)
        => OptString(o, key, path) ?? throw NotionApiError.Body($"{path}.{key}", "should be defined", null);

    public static bool? OptBool(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (!IsBool(n)) throw NotionApiError.Body($"{path}.{key}", "should be a boolean", n);
        return n.GetValue<bool>();
    }

    public static int? OptInt(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (!IsNumber(n) || !n.AsValue().TryGetValue<int>(out var i)) throw NotionApiError.Body($"{path}.{key}", "should be an integer", n);
        return i;
    }

    public static JsonObject? OptObject(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is null) return null;
        return n as JsonObject ?? throw NotionApiError.Body($"{path}.{key}", "should be an object", n);
    }

    public static JsonArray? OptArray(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is null) return null;
        return n as JsonArray ?? throw NotionApiError.Body($"{path}.{key}", "should be an array", n);
    }

    /// <summary>Reads an id field (dashed or not) and returns it normalized.</summary>
    public static string ReqId(JsonObject o, string key, string path)
    {
        var raw = ReqString(o, key, path);
        return NotionFormats.NormalizeId(raw) ?? throw NotionApiError.Body($"{path}.{key}", "should be a valid uuid", o[key]);
    }
}

/// <summary>Turns request rich text into Notion's response form (annotations, plain_text, href) and checks its limits.</summary>
internal static class NotionRichText
{
    public const int MaxContent = 2000;
    public const int MaxItems = 100;

    public static JsonArray Read(JsonNode? node, string path, NotionStore store)
    {
        if (node is not JsonArray arr) throw NotionApiError.Body(path, "should be an array", node);
        if (arr.Count > MaxItems) throw NotionApiError.TooLong($"{path}.length", MaxItems, arr.Count);
        var result = new JsonArray();
        for (var i = 0; i < arr.Count; i++) result.Add(ReadItem(arr[i], $"{path}[{i}]", store));
        return result;
    }

    public static string Plain(JsonArray? richText)
    {
        if (richText is null || richText.Count == 0) return "";
        if (richText.Count == 1) return richText[0]?["plain_text"]?.GetValue<string>() ?? "";
        var sb = new StringBuilder();
        foreach (var item in richText) sb.Append(item?["plain_text"]?.GetValue<string>());
        return sb.ToString();
    }

    /// <summary>The response form of plain text, used by seeding and titles.</summary>
    public static JsonArray FromPlain(string text)
    {
        if (text.Length == 0) return new JsonArray();
        return new JsonArray(TextItem(text, null, DefaultAnnotations()));
    }

    /// <summary>Writes one unannotated text item, the form Notion answers for plain text.</summary>
    public static void WritePlainItem(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteStartObject("text");
        w.WriteString("content", text);
        w.WriteNull("link");
        w.WriteEndObject();
        w.WriteStartObject("annotations");
        w.WriteBoolean("bold", false);
        w.WriteBoolean("italic", false);
        w.WriteBoolean("strikethrough", false);
        w.WriteBoolean("underline", false);
        w.WriteBoolean("code", false);
        w.WriteString("color", "default");
        w.WriteEndObject();
        w.WriteString("plain_text", text);
        w.WriteNull("href");
        w.WriteEndObject();
    }

    public static JsonObject DefaultAnnotations() => new()
    {
        ["bold"] = false,
        ["italic"] = false,
        ["strikethrough"] = false,
        ["underline"] = false,
        ["code"] = false,
        ["color"] = "default",
    };

    private static JsonObject TextItem(string content, string? linkUrl, JsonObject annotations) => new()
    {
        ["type"] = "text",
        ["text"] = new JsonObject
        {
            ["content"] = content,
            ["link"] = linkUrl is null ? null : new JsonObject { ["url"] = linkUrl },
        },
        ["annotations"] = annotations,
        ["plain_text"] = content,
        ["href"] = linkUrl,
    };

    private static JsonObject ReadItem(JsonNode? node, string path, NotionStore store)
    {
        if (node is not JsonObject o) throw NotionApiError.Body(path, "should be an object", node);
        var type = JsonRead.OptString(o, "type", path);
        type ??= o.ContainsKey("text") ? "text" : o.ContainsKey("mention") ? "mention" : o.ContainsKey("equation") ? "equation" : null;
        var annotations = ReadAnnotations(o, path);
        switch (type)
        {
            case "text":
            {
                var text = JsonRead.OptObject(o, "text", path) ?? throw NotionApiError.Body($"{path}.text", "should be defined", null);
                var content = JsonRead.ReqString(text, "content", $"{path}.text");
                if (content.Length > MaxContent) throw NotionApiError.TooLong($"{path}.text.content.length", MaxContent, content.Length);
                string? url = null;
                var link = JsonRead.OptObject(text, "link", $"{path}.text");
                if (link is not null)
                {
                    url = JsonRead.ReqString(link, "url", $"{path}.text.link");
                    if (url.Length > MaxContent) throw NotionApiError.TooLong($"{path}.text.link.url.length", MaxContent, url.Length);
                }
                return TextItem(content, url, annotations);
            }
            case "equation":
            {
                var eq = JsonRead.OptObject(o, "equation", path) ?? throw NotionApiError.Body($"{path}.equation", "should be defined", null);
                var expression = JsonRead.ReqString(eq, "expression", $"{path}.equation");
                return new JsonObject
                {
                    ["type"] = "equation",
                    ["equation"] = new JsonObject { ["expression"] = expression },
                    ["annotations"] = annotations,
                    ["plain_text"] = expression,
                    ["href"] = null,
                };
            }
            case "mention":
            {
                var mention = JsonRead.OptObject(o, "mention", path) ?? throw NotionApiError.Body($"{path}.mention", "should be defined", null);
                var (normalized, plain, href) = ReadMention(mention, $"{path}.mention", store);
                return new JsonObject
                {
                    ["type"] = "mention",
                    ["mention"] = normalized,
                    ["annotations"] = annotations,
                    ["plain_text"] = plain,
                    ["href"] = href,
                };
            }
            default:
                throw NotionApiError.Body(path, "should be a text, mention or equation rich text item", node);
        }
    }

    private static (JsonObject Mention, string Plain, string? Href) ReadMention(JsonObject m, string path, NotionStore store)
    {
        var type = JsonRead.OptString(m, "type", path)
            ?? m.Select(kv => kv.Key).FirstOrDefault(k => k is "date" or "user" or "page" or "database" or "link_preview")
            ?? throw NotionApiError.Body(path, "should be a date, user, page, database or link_preview mention", m);
        switch (type)
        {
            case "date":
            {
                var d = JsonRead.OptObject(m, "date", path) ?? throw NotionApiError.Body($"{path}.date", "should be defined", null);
                var date = NotionValueRules.ReadDate(d, $"{path}.date");
                var plain = date.End is null ? date.Start : $"{date.Start} → {date.End}";
                return (new JsonObject { ["type"] = "date", ["date"] = NotionValueRules.DateJson(date) }, plain, null);
            }
            case "user":
            {
                var u = JsonRead.OptObject(m, "user", path) ?? throw NotionApiError.Body($"{path}.user", "should be defined", null);
                var id = JsonRead.ReqId(u, "id", $"{path}.user");
                var name = store.FindUser(id)?.Name ?? "Anonymous";
                return (new JsonObject { ["type"] = "user", ["user"] = NotionFormats.PartialUser(id) }, "@" + name, null);
            }
            case "page":
            {
                var p = JsonRead.OptObject(m, "page", path) ?? throw NotionApiError.Body($"{path}.page", "should be defined", null);
                var id = JsonRead.ReqId(p, "id", $"{path}.page");
                var page = store.FindPage(id);
                var title = page is null ? "Untitled" : store.PageTitle(page);
                return (new JsonObject { ["type"] = "page", ["page"] = new JsonObject { ["id"] = id } },
                    title.Length == 0 ? "Untitled" : title, NotionFormats.PageUrl(id, ""));
            }
            case "database":
            {
                var p = JsonRead.OptObject(m, "database", path) ?? throw NotionApiError.Body($"{path}.database", "should be defined", null);
                var id = JsonRead.ReqId(p, "id", $"{path}.database");
                var db = store.FindDatabase(id);
                var title = db is null ? "Untitled" : Plain(db.Title);
                return (new JsonObject { ["type"] = "database", ["database"] = new JsonObject { ["id"] = id } },
                    title.Length == 0 ? "Untitled" : title, NotionFormats.DatabaseUrl(id));
            }
            default:
            {
                var copy = (JsonObject)m.DeepClone();
                copy["type"] = type;
                var url = (m[type] as JsonObject)?["url"]?.GetValue<string>();
                return (copy, url ?? "", url);
            }
        }
    }

    private static JsonObject ReadAnnotations(JsonObject o, string path)
    {
        var result = DefaultAnnotations();
        var a = JsonRead.OptObject(o, "annotations", path);
        if (a is null) return result;
        foreach (var key in new[] { "bold", "italic", "strikethrough", "underline", "code" })
        {
            var b = JsonRead.OptBool(a, key, $"{path}.annotations");
            if (b is { } v) result[key] = v;
        }
        var color = JsonRead.OptString(a, "color", $"{path}.annotations");
        if (color is not null) result["color"] = color;
        return result;
    }
}
