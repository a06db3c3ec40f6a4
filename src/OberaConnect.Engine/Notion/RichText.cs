using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>Notion's documented size limits, checked by the client before anything is sent.</summary>
public static class NotionLimits
{
    /// <summary>Characters in one rich-text object's <c>text.content</c>.</summary>
    public const int TextContent = 2000;
    /// <summary>Rich-text objects in one array (a title, a rich_text property, a block's text).</summary>
    public const int RichTextElements = 100;
    /// <summary>Characters in a URL (url property, link, bookmark).</summary>
    public const int Url = 2000;
    /// <summary>Characters in an email or phone_number value.</summary>
    public const int EmailOrPhone = 200;
    /// <summary>Items in a multi_select, relation or people value.</summary>
    public const int MultiItems = 100;
    /// <summary>Characters in an equation expression.</summary>
    public const int Equation = 1000;
    /// <summary>Blocks in one append-children call (and in a page create's children).</summary>
    public const int BlocksPerAppend = 100;
    /// <summary>Block elements (blocks at any depth) in one request.</summary>
    public const int BlockElementsPerRequest = 1000;
    /// <summary>Request body size; Notion says 500 KB, we stay under 500,000 bytes.</summary>
    public const int RequestBytes = 500_000;
    /// <summary>Nesting levels of blocks in one request (a block, its children, their children).</summary>
    public const int BlockDepthPerRequest = 3;
    /// <summary>Page size of paginated endpoints.</summary>
    public const int PageSize = 100;
    /// <summary>Rows one data-source query returns at most; the client reads past it in windows.</summary>
    public const int QueryResultCap = 10_000;
    /// <summary>
    /// Filters in one compound "and"/"or" array (Notion answers more with 400 "body.filter.or.length should be ≤ 100").
    /// Compound filters nest at most two levels (<see cref="NotionFilter.And"/>).
    /// </summary>
    public const int CompoundFilterItems = 100;
}

/// <summary>Text formatting of one rich-text object.</summary>
public sealed record RichTextAnnotations(bool Bold = false, bool Italic = false, bool Strikethrough = false,
    bool Underline = false, bool Code = false, string Color = "default")
{
    public bool IsDefault => !Bold && !Italic && !Strikethrough && !Underline && !Code && Color == "default";
}

/// <summary>
/// One rich-text object: a run of text (optionally a link, with annotations), or a mention or equation
/// kept as received. Create text runs with <see cref="RichText.From(string, string?, RichTextAnnotations?)"/>,
/// which splits long text so no run exceeds Notion's 2000 characters.
/// </summary>
public sealed class RichTextSegment
{
    private readonly string? _raw;

    private RichTextSegment(string type, string plainText, string? link, RichTextAnnotations? annotations, string? raw)
    {
        Type = type;
        PlainText = plainText;
        Link = link;
        Annotations = annotations;
        _raw = raw;
    }

    /// <summary><c>text</c>, <c>mention</c> or <c>equation</c>.</summary>
    public string Type { get; }

    /// <summary>The text a reader sees.</summary>
    public string PlainText { get; }

    /// <summary>Link URL of a text run, or the href of a mention.</summary>
    public string? Link { get; }

    public RichTextAnnotations? Annotations { get; }

    /// <summary>A text run; the caller keeps it within <see cref="NotionLimits.TextContent"/> (use <see cref="RichText.From(string, string?, RichTextAnnotations?)"/> to split).</summary>
    public static RichTextSegment Text(string content, string? link = null, RichTextAnnotations? annotations = null)
        => new("text", content ?? "", string.IsNullOrEmpty(link) ? null : link, annotations is { IsDefault: true } ? null : annotations, null);

    internal static RichTextSegment Parse(JsonElement e)
    {
        var type = Json.Str(e, "type") ?? (Json.Obj(e, "text") != null ? "text" : "unknown");
        var annotations = Json.Obj(e, "annotations") is { } a
            ? new RichTextAnnotations(Json.Bool(a, "bold") ?? false, Json.Bool(a, "italic") ?? false, Json.Bool(a, "strikethrough") ?? false,
                Json.Bool(a, "underline") ?? false, Json.Bool(a, "code") ?? false, Json.Str(a, "color") ?? "default")
            : null;
        if (annotations is { IsDefault: true }) annotations = null;
        if (type == "text" && Json.Obj(e, "text") is { } text)
        {
            var content = Json.Str(text, "content") ?? Json.Str(e, "plain_text") ?? "";
            var link = Json.Obj(text, "link") is { } l ? Json.Str(l, "url") : null;
            return new RichTextSegment("text", content, link, annotations, null);
        }
        var plain = Json.Str(e, "plain_text") ?? (type == "equation" && Json.Obj(e, "equation") is { } eq ? Json.Str(eq, "expression") : null) ?? "";
        return new RichTextSegment(type, plain, Json.Str(e, "href"), annotations, e.GetRawText());
    }

    internal JsonNode ToJson(bool full)
    {
        if (_raw != null)
        {
            var node = JsonNode.Parse(_raw)!.AsObject();
            if (!full) { node.Remove("plain_text"); node.Remove("href"); }
            return node;
        }
        var textObj = new JsonObject { ["content"] = PlainText };
        if (Link != null) textObj["link"] = new JsonObject { ["url"] = Link };
        var obj = new JsonObject { ["type"] = "text", ["text"] = textObj };
        if (Annotations != null)
            obj["annotations"] = new JsonObject
            {
                ["bold"] = Annotations.Bold, ["italic"] = Annotations.Italic, ["strikethrough"] = Annotations.Strikethrough,
                ["underline"] = Annotations.Underline, ["code"] = Annotations.Code, ["color"] = Annotations.Color,
            };
        if (full)
        {
            obj["plain_text"] = PlainText;
            obj["href"] = Link;
        }
        return obj;
    }

    /// <summary>Throws <see cref="NotionLimitException"/> when this run breaks a per-object limit.</summary>
    internal void CheckLimits(string item)
    {
        if (Type == "text" && PlainText.Length > NotionLimits.TextContent)
            throw new NotionLimitException(item, "the text of one rich-text object", NotionLimits.TextContent, PlainText.Length,
                "Build the text with RichText.From(...) or PropertyValue.RichText(...), which split it into several objects.");
        if (Link != null && Link.Length > NotionLimits.Url)
            throw new NotionLimitException(item, "a link URL", NotionLimits.Url, Link.Length, "Shorten the link (for example with a redirect).");
        if (Type == "equation" && PlainText.Length > NotionLimits.Equation)
            throw new NotionLimitException(item, "an equation expression", NotionLimits.Equation, PlainText.Length, "Shorten the expression.");
    }

    public override string ToString() => PlainText;
}

/// <summary>Builds and inspects rich-text arrays.</summary>
public static class RichText
{
    /// <summary>
    /// Text as rich-text objects of at most <see cref="NotionLimits.TextContent"/> characters each, never splitting
    /// a surrogate pair. Empty text gives an empty array (which Notion stores as empty).
    /// </summary>
    public static IReadOnlyList<RichTextSegment> From(string? text, string? link = null, RichTextAnnotations? annotations = null)
    {
        var result = new List<RichTextSegment>();
        if (string.IsNullOrEmpty(text)) return result;
        var s = text!;
        var start = 0;
        while (start < s.Length)
        {
            var length = Math.Min(NotionLimits.TextContent, s.Length - start);
            // Do not end a run between the two halves of a surrogate pair (an emoji, for example).
            if (start + length < s.Length && char.IsHighSurrogate(s[start + length - 1])) length--;
            result.Add(RichTextSegment.Text(s.Substring(start, length), link, annotations));
            start += length;
        }
        return result;
    }

    /// <summary>The text a reader sees: the runs concatenated.</summary>
    public static string PlainText(IEnumerable<RichTextSegment> segments)
    {
        var sb = new StringBuilder();
        foreach (var s in segments) sb.Append(s.PlainText);
        return sb.ToString();
    }

    internal static IReadOnlyList<RichTextSegment> Parse(JsonElement? array)
    {
        var list = new List<RichTextSegment>();
        if (array is { ValueKind: JsonValueKind.Array } arr)
            foreach (var item in arr.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object) list.Add(RichTextSegment.Parse(item));
        return list;
    }

    internal static JsonArray ToJson(IEnumerable<RichTextSegment> segments, bool full)
    {
        var array = new JsonArray();
        foreach (var s in segments) array.Add(s.ToJson(full));
        return array;
    }

    internal static void CheckLimits(string item, IReadOnlyList<RichTextSegment> segments)
    {
        if (segments.Count > NotionLimits.RichTextElements)
            throw new NotionLimitException(item, "the number of rich-text objects", NotionLimits.RichTextElements, segments.Count,
                $"That is more than {NotionLimits.RichTextElements * NotionLimits.TextContent:N0} characters of text: shorten it, " +
                "or put long text in the page body as blocks instead of a property.");
        foreach (var s in segments) s.CheckLimits(item);
    }
}
