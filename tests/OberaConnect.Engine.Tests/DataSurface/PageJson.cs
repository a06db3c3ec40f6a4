using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Tests.DataSurface;

/// <summary>Page objects shaped like Notion-Version 2025-09-03 responses (see shared/fixtures/notion-recorded).</summary>
internal static class PageJson
{
    public const string DatabaseId = "daf41515-aa5f-4d14-97a8-9193425ec491";
    public const string DataSourceId = "4ee04178-60dc-4b13-a1ea-14e3b9661a33";

    public static string PageId(int n) => $"393abc1e-edcd-8169-85ce-{n:x12}";

    /// <summary>The same page shape built as text, for bulk tests (names must need no JSON escaping).</summary>
    public static string FastPage(int n, DateTimeOffset edited, string name)
        => "{\"object\":\"page\",\"id\":\"" + PageId(n) + "\",\"created_time\":\"2026-07-04T09:09:00.000Z\",\"last_edited_time\":\""
           + edited.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'") + "\",\"parent\":{\"type\":\"data_source_id\",\"data_source_id\":\""
           + DataSourceId + "\",\"database_id\":\"" + DatabaseId + "\"},\"in_trash\":false,\"properties\":{\"Site Name\":{\"id\":\"title\",\"type\":\"title\",\"title\":[{\"type\":\"text\",\"text\":{\"content\":\""
           + name + "\"},\"plain_text\":\"" + name + "\"}]},\"Health\":{\"id\":\"h\",\"type\":\"number\",\"number\":" + (n % 100) + "}}}";

    public static string Page(int n, DateTimeOffset edited, string name = "Site", bool inTrash = false, JsonObject? extraProperties = null, string databaseId = DatabaseId)
    {
        var properties = new JsonObject
        {
            ["Site Name"] = new JsonObject
            {
                ["id"] = "title", ["type"] = "title",
                ["title"] = new JsonArray(new JsonObject
                {
                    ["type"] = "text", ["text"] = new JsonObject { ["content"] = name, ["link"] = null },
                    ["plain_text"] = name, ["href"] = null,
                }),
            },
            ["Health"] = new JsonObject { ["id"] = "h%3D", ["type"] = "number", ["number"] = n % 100 },
        };
        if (extraProperties != null)
            foreach (var p in extraProperties.ToList()) properties[p.Key] = p.Value?.DeepClone();
        var page = new JsonObject
        {
            ["object"] = "page",
            ["id"] = PageId(n),
            ["created_time"] = "2026-07-04T09:09:00.000Z",
            ["last_edited_time"] = edited.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'"),
            ["created_by"] = new JsonObject { ["object"] = "user", ["id"] = "7775f3a3-893f-43fa-b625-460c61094c78" },
            ["parent"] = new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = DataSourceId, ["database_id"] = databaseId },
            ["in_trash"] = inTrash,
            ["archived"] = inTrash,
            ["properties"] = properties,
            ["url"] = "https://app.notion.com/p/" + PageId(n).Replace("-", ""),
        };
        return page.ToJsonString();
    }
}
