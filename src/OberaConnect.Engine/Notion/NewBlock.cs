using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// A block to append to a page or block (or to create with a page). Text is split into rich-text objects
/// of at most 2000 characters; the client checks the per-request limits (100 blocks, 1000 block elements,
/// 500 KB, three levels of nesting) and splits appends into as many calls as needed.
/// </summary>
public sealed class NewBlock
{
    private readonly JsonObject _content;

    private NewBlock(string type, JsonObject content, IReadOnlyList<RichTextSegment> text, IReadOnlyList<NewBlock> children)
    {
        Type = type;
        _content = content;
        Text = text;
        Children = children;
    }

    /// <summary>Block type, for example <c>paragraph</c>.</summary>
    public string Type { get; }

    /// <summary>The block's rich text (empty for blocks without text).</summary>
    public IReadOnlyList<RichTextSegment> Text { get; }

    /// <summary>Nested blocks, sent in the same request.</summary>
    public IReadOnlyList<NewBlock> Children { get; }

    /// <summary>The block's text without formatting.</summary>
    public string PlainText => RichText.PlainText(Text);

    /// <summary>This block and every nested block: what Notion counts against 1000 elements per request.</summary>
    public int ElementCount => 1 + Children.Sum(c => c.ElementCount);

    /// <summary>Levels of nesting, 1 for a block without children.</summary>
    public int Depth => 1 + (Children.Count == 0 ? 0 : Children.Max(c => c.Depth));

    public static NewBlock Paragraph(string text, params NewBlock[] children) => TextBlock("paragraph", text, children);
    public static NewBlock Heading1(string text) => TextBlock("heading_1", text, Array.Empty<NewBlock>());
    public static NewBlock Heading2(string text) => TextBlock("heading_2", text, Array.Empty<NewBlock>());
    public static NewBlock Heading3(string text) => TextBlock("heading_3", text, Array.Empty<NewBlock>());
    public static NewBlock BulletedListItem(string text, params NewBlock[] children) => TextBlock("bulleted_list_item", text, children);
    public static NewBlock NumberedListItem(string text, params NewBlock[] children) => TextBlock("numbered_list_item", text, children);
    public static NewBlock Quote(string text, params NewBlock[] children) => TextBlock("quote", text, children);
    public static NewBlock Toggle(string text, params NewBlock[] children) => TextBlock("toggle", text, children);

    public static NewBlock ToDo(string text, bool done = false, params NewBlock[] children)
    {
        var b = TextBlock("to_do", text, children);
        b._content["checked"] = done;
        return b;
    }

    public static NewBlock Callout(string text, string? emoji = null, params NewBlock[] children)
    {
        var b = TextBlock("callout", text, children);
        if (!string.IsNullOrEmpty(emoji)) b._content["icon"] = new JsonObject { ["type"] = "emoji", ["emoji"] = emoji };
        return b;
    }

    /// <summary>A code block; <paramref name="language"/> is one of Notion's names (<c>powershell</c>, <c>json</c>, <c>plain text</c>, ...).</summary>
    public static NewBlock Code(string text, string language = "plain text")
    {
        var b = TextBlock("code", text, Array.Empty<NewBlock>());
        b._content["language"] = language;
        return b;
    }

    public static NewBlock Divider() => new("divider", new JsonObject(), Array.Empty<RichTextSegment>(), Array.Empty<NewBlock>());

    public static NewBlock Bookmark(string url)
        => new("bookmark", new JsonObject { ["url"] = url }, Array.Empty<RichTextSegment>(), Array.Empty<NewBlock>());

    /// <summary>A block type not covered above: <paramref name="content"/> is the object under the type key (without children).</summary>
    public static NewBlock Raw(string type, JsonObject content, params NewBlock[] children)
    {
        var text = content["rich_text"] is JsonArray arr
            ? arr.OfType<JsonObject>().Select(o => RichTextSegment.Text((string?)o["text"]?["content"] ?? "")).ToList()
            : new List<RichTextSegment>();
        return new NewBlock(type, (JsonObject)content.DeepClone(), text, children);
    }

    /// <summary>Block types whose content is a rich_text array (plus optional children), for <see cref="FromRichText"/>.</summary>
    private static readonly HashSet<string> RichTextTypes = new(StringComparer.Ordinal)
    {
        "paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item", "numbered_list_item", "quote", "toggle", "to_do", "callout", "code",
    };

    /// <summary>
    /// A text block of <paramref name="type"/> (paragraph, heading_1..3, bulleted/numbered_list_item, quote, toggle, to_do,
    /// callout, code) from styled runs: bold, italic, code, links. The caller keeps each run within 2000 characters and
    /// the block within 100 runs (limits are checked, naming the block, when the request is built).
    /// </summary>
    public static NewBlock FromRichText(string type, IReadOnlyList<RichTextSegment> text, params NewBlock[] children)
    {
        if (!RichTextTypes.Contains(type))
            throw new NotionInputException("NotionInvalidBlock", $"'{type}' is not a block type with rich text; use one of {string.Join(", ", RichTextTypes)}.");
        var segments = text.ToList();
        return new NewBlock(type, new JsonObject { ["rich_text"] = RichText.ToJson(segments, full: false) }, segments, children);
    }

    /// <summary>A to-do item from styled runs.</summary>
    public static NewBlock ToDo(IReadOnlyList<RichTextSegment> text, bool done, params NewBlock[] children)
    {
        var b = FromRichText("to_do", text, children);
        b._content["checked"] = done;
        return b;
    }

    /// <summary>A code block from runs (each at most 2000 characters); <paramref name="language"/> is one of Notion's names.</summary>
    public static NewBlock Code(IReadOnlyList<RichTextSegment> text, string language)
    {
        var b = FromRichText("code", text);
        b._content["language"] = language;
        return b;
    }

    private static NewBlock TextBlock(string type, string text, NewBlock[] children)
    {
        var segments = RichText.From(text);
        return new NewBlock(type, new JsonObject { ["rich_text"] = RichText.ToJson(segments, full: false) }, segments, children);
    }

    /// <summary>The request JSON; checks text limits and nesting, naming <paramref name="item"/> in errors.</summary>
    internal JsonObject ToRequestJson(string item, int level = 1)
    {
        if (level > NotionLimits.BlockDepthPerRequest)
            throw new NotionLimitException(item, "nesting levels of blocks in one request", NotionLimits.BlockDepthPerRequest, level,
                "Append the deeper blocks in a second call, to the block that should contain them.");
        RichText.CheckLimits(item, Text);
        if (Type == "bookmark" && ((string?)_content["url"])?.Length > NotionLimits.Url)
            throw new NotionLimitException(item, "a bookmark URL", NotionLimits.Url, ((string?)_content["url"])!.Length, "Shorten the URL.");
        var content = (JsonObject)_content.DeepClone();
        if (Children.Count > 0)
        {
            if (Children.Count > NotionLimits.BlocksPerAppend)
                throw new NotionLimitException(item, "nested blocks under one block in one request", NotionLimits.BlocksPerAppend, Children.Count,
                    "Append the extra children in further calls to this block.");
            var arr = new JsonArray();
            for (var i = 0; i < Children.Count; i++) arr.Add(Children[i].ToRequestJson($"{item} → child {i + 1} ({Children[i].Type})", level + 1));
            content["children"] = arr;
        }
        return new JsonObject { ["object"] = "block", ["type"] = Type, [Type] = content };
    }

    public override string ToString() => Type + ": " + PlainText;
}
