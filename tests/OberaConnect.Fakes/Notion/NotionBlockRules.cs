using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>A block read from a request, with its nested children.</summary>
internal sealed record BlockSpec(string Type, JsonObject Content, List<BlockSpec> Children);

/// <summary>Block request shapes and limits: 100 children per array, 1000 blocks per request, two nesting levels.</summary>
internal static class NotionBlockRules
{
    public const int MaxChildren = 100;
    public const int MaxBlocksPerRequest = 1000;
    private const int MaxNesting = 2;

    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "object", "type", "id", "has_children", "archived", "in_trash", "created_time", "last_edited_time", "created_by", "last_edited_by", "parent",
    };

    public static List<BlockSpec> ReadChildren(JsonNode? node, string path, NotionStore store)
    {
        var total = 0;
        var result = ReadArray(node, path, store, 0, ref total);
        if (total > MaxBlocksPerRequest)
            throw NotionApiError.Validation($"body failed validation: the request contains {total} block elements, more than the limit of {MaxBlocksPerRequest}.");
        return result;
    }

    private static List<BlockSpec> ReadArray(JsonNode? node, string path, NotionStore store, int depth, ref int total)
    {
        if (node is not JsonArray arr) throw NotionApiError.Body(path, "should be an array", node);
        if (arr.Count > MaxChildren) throw NotionApiError.TooLong($"{path}.length", MaxChildren, arr.Count);
        var list = new List<BlockSpec>(arr.Count);
        for (var i = 0; i < arr.Count; i++) list.Add(ReadBlock(arr[i], $"{path}[{i}]", store, depth, ref total));
        return list;
    }

    private static BlockSpec ReadBlock(JsonNode? node, string path, NotionStore store, int depth, ref int total)
    {
        total++;
        if (node is not JsonObject o) throw NotionApiError.Body(path, "should be an object", node);
        var type = JsonRead.OptString(o, "type", path) ?? o.Select(kv => kv.Key).FirstOrDefault(k => !IgnoredKeys.Contains(k))
            ?? throw NotionApiError.Body(path, "should define a block type", o);
        if (type is "child_page" or "child_database")
            throw NotionApiError.Validation($"body failed validation: {path}.{type} should be not present; create pages and databases with their own endpoints.");
        var content = JsonRead.OptObject(o, type, path) ?? throw NotionApiError.Body($"{path}.{type}", "should be defined", null);
        var children = new List<BlockSpec>();
        if (content["children"] is { } kids)
        {
            if (depth >= MaxNesting) throw NotionApiError.NotPresent($"{path}.{type}.children", kids);
            children = ReadArray(kids, $"{path}.{type}.children", store, depth + 1, ref total);
        }
        return new BlockSpec(type, Normalize(type, content, $"{path}.{type}", store, existing: null), children);
    }

    /// <summary>
    /// The stored (response) form of a block's content. With <paramref name="existing"/> the given
    /// keys update an existing block, as PATCH /v1/blocks/{id} does.
    /// </summary>
    public static JsonObject Normalize(string type, JsonObject given, string path, NotionStore store, JsonObject? existing)
    {
        JsonNode? Given(string key) => given.TryGetPropertyValue(key, out var v) ? v?.DeepClone() : null;
        bool Has(string key) => given.ContainsKey(key);
        JsonArray RichText(string key, bool required)
        {
            if (Has(key)) return NotionRichText.Read(given[key], $"{path}.{key}", store);
            if (existing?[key] is JsonArray old) return (JsonArray)old.DeepClone();
            if (required) throw NotionApiError.Body($"{path}.{key}", "should be defined", null);
            return new JsonArray();
        }
        JsonNode? Keep(string key, JsonNode? fallback) => Has(key) ? Given(key) : existing is not null && existing.ContainsKey(key) ? existing[key]?.DeepClone() : fallback;
        string Color() => Has("color") ? JsonRead.OptString(given, "color", path) ?? "default" : existing?["color"]?.GetValue<string>() ?? "default";

        switch (type)
        {
            case "paragraph":
                return new JsonObject { ["rich_text"] = RichText("rich_text", true), ["icon"] = Keep("icon", null), ["color"] = Color() };
            case "heading_1":
            case "heading_2":
            case "heading_3":
                return new JsonObject
                {
                    ["rich_text"] = RichText("rich_text", true),
                    ["is_toggleable"] = Keep("is_toggleable", false),
                    ["color"] = Color(),
                };
            case "bulleted_list_item":
            case "numbered_list_item":
            case "quote":
            case "toggle":
                return new JsonObject { ["rich_text"] = RichText("rich_text", true), ["color"] = Color() };
            case "to_do":
                return new JsonObject { ["rich_text"] = RichText("rich_text", true), ["checked"] = Keep("checked", false), ["color"] = Color() };
            case "callout":
                return new JsonObject
                {
                    ["rich_text"] = RichText("rich_text", true),
                    ["icon"] = Keep("icon", new JsonObject { ["type"] = "emoji", ["emoji"] = "💡" }),
                    ["color"] = Color(),
                };
            case "code":
                return new JsonObject
                {
                    ["caption"] = RichText("caption", false),
                    ["rich_text"] = RichText("rich_text", true),
                    ["language"] = Keep("language", "plain text"),
                };
            default:
            {
                var copy = existing is null ? new JsonObject() : (JsonObject)existing.DeepClone();
                foreach (var (key, value) in given)
                {
                    if (key == "children") continue;
                    copy[key] = key is "rich_text" or "caption" ? NotionRichText.Read(value, $"{path}.{key}", store) : value?.DeepClone();
                }
                return copy;
            }
        }
    }

    /// <summary>Creates the blocks under a page or block at the given index; returns the top-level ones.</summary>
    public static List<FakeBlock> Insert(NotionStore store, string parentId, bool parentIsPage, bool accessible, List<BlockSpec> specs, int index)
    {
        var siblings = store.ChildrenOf(parentId)!;
        var created = new List<FakeBlock>(specs.Count);
        var parent = new ParentRef(parentIsPage ? ParentKind.Page : ParentKind.Block, parentId);
        foreach (var spec in specs)
        {
            var block = store.CreateBlock(parent, spec.Type, spec.Content, store.Bot.Id, accessible);
            siblings.Insert(index++, block.Id);
            created.Add(block);
            if (spec.Children.Count > 0) Insert(store, block.Id, parentIsPage: false, accessible, spec.Children, 0);
        }
        return created;
    }
}
