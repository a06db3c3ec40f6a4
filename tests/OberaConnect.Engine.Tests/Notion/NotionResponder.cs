using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Tests.Notion;

/// <summary>
/// A scriptable in-test Notion: routes by method and path pattern to handlers that answer JSON, and
/// records every request with its headers and body. Unrouted requests get a 404 object_not_found.
/// </summary>
internal sealed class NotionResponder : HttpMessageHandler
{
    private readonly List<(string Method, Regex Path, Func<Call, Reply> Handler)> _routes = new();

    public List<Call> Calls { get; } = new();
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public sealed record Call(string Method, string Path, string Query, string? Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
    {
        public JsonObject Json => (JsonObject)JsonNode.Parse(Body!)!;
        public string? QueryValue(string name)
        {
            foreach (var pair in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq > 0 && pair[..eq] == name) return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
            return null;
        }
    }

    public sealed class Reply
    {
        public int Status { get; init; } = 200;
        public string Body { get; init; } = "{}";
        public string ContentType { get; init; } = "application/json";
        public Dictionary<string, string> Headers { get; } = new();
        public Exception? Throw { get; init; }

        public static Reply Ok(JsonNode body) => new() { Body = body.ToJsonString() };
        public static Reply Ok(string body) => new() { Body = body };
        public static Reply Error(int status, string code, string message, string? requestId = "req-1", JsonObject? additional = null)
        {
            var obj = new JsonObject { ["object"] = "error", ["status"] = status, ["code"] = code, ["message"] = message, ["request_id"] = requestId };
            if (additional != null) obj["additional_data"] = additional;
            return new Reply { Status = status, Body = obj.ToJsonString() };
        }
        public static Reply Fail(Exception ex) => new() { Throw = ex };
        public Reply WithHeader(string name, string value) { Headers[name] = value; return this; }
    }

    /// <summary>Routes requests whose path (without query) matches <paramref name="pathPattern"/> (anchored).</summary>
    public NotionResponder On(string method, string pathPattern, Func<Call, Reply> handler)
    {
        _routes.Add((method, new Regex("^" + pathPattern + "$"), handler));
        return this;
    }

    /// <summary>Answers in order; the last answer repeats.</summary>
    public NotionResponder OnSequence(string method, string pathPattern, params Reply[] replies)
    {
        var next = 0;
        return On(method, pathPattern, _ => replies[Math.Min(next++, replies.Length - 1)]);
    }

    /// <summary>Makes <paramref name="dataSourceId"/> resolve as a data source (not a database), as Notion does.</summary>
    public NotionResponder KnowsDataSource(string dataSourceId)
    {
        On("GET", "/v1/databases/" + dataSourceId, _ => Reply.Error(404, "object_not_found", "Could not find database with ID: " + dataSourceId + "."));
        return On("GET", "/v1/data_sources/" + dataSourceId, _ => Reply.Ok(new JsonObject { ["object"] = "data_source", ["id"] = dataSourceId }));
    }

    /// <summary>Calls other than the data-source resolution ones.</summary>
    public List<Call> Work
    {
        get { lock (Calls) return Calls.Where(c => !(c.Method == "GET" && (c.Path.StartsWith("/v1/databases/") || c.Path.StartsWith("/v1/data_sources/")))).ToList(); }
    }

    public int Count(string method, string pathPattern)
    {
        var regex = new Regex("^" + pathPattern + "$");
        lock (Calls) return Calls.Count(c => c.Method == method && regex.IsMatch(c.Path));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers) headers[h.Key] = string.Join(",", h.Value);
        if (request.Content != null) foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
        var call = new Call(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body, headers, Clock.GetUtcNow());
        lock (Calls) Calls.Add(call);

        Reply reply;
        var route = _routes.LastOrDefault(r => r.Method == call.Method && r.Path.IsMatch(call.Path));
        reply = route.Handler is null ? Reply.Error(404, "object_not_found", $"No route for {call.Method} {call.Path}.") : route.Handler(call);
        if (reply.Throw != null) throw reply.Throw;
        var response = new HttpResponseMessage((HttpStatusCode)reply.Status) { Content = new StringContent(reply.Body, Encoding.UTF8, reply.ContentType) };
        foreach (var h in reply.Headers) response.Headers.TryAddWithoutValidation(h.Key, h.Value);
        return response;
    }
}

/// <summary>Notion-shaped JSON for test answers.</summary>
internal static class NotionShapes
{
    public const string DataSourceId = "11111111-1111-4111-8111-111111111111";
    public const string DatabaseId = "22222222-2222-4222-8222-222222222222";
    public const string ParentPageId = "33333333-3333-4333-8333-333333333333";

    public static string NewId() => Guid.NewGuid().ToString();

    public static JsonObject Title(string text) => new()
    {
        ["id"] = "title",
        ["type"] = "title",
        ["title"] = new JsonArray(new JsonObject
        {
            ["type"] = "text", ["text"] = new JsonObject { ["content"] = text, ["link"] = null }, ["plain_text"] = text, ["href"] = null,
        }),
    };

    public static JsonObject Page(string id, DateTimeOffset created, string title, string dataSourceId = DataSourceId, JsonObject? extraProperties = null,
        bool inTrash = false, bool modern = true)
    {
        var props = new JsonObject { ["Name"] = Title(title) };
        if (extraProperties != null)
            foreach (var p in extraProperties) props[p.Key] = p.Value?.DeepClone();
        var page = new JsonObject
        {
            ["object"] = "page",
            ["id"] = id,
            ["created_time"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'"),
            ["last_edited_time"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'"),
            ["parent"] = new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = dataSourceId, ["database_id"] = DatabaseId },
            ["in_trash"] = inTrash,
            ["properties"] = props,
            ["url"] = "https://www.notion.so/" + id.Replace("-", ""),
        };
        if (!modern) { page.Remove("in_trash"); page["archived"] = inTrash; }
        return page;
    }

    public static JsonObject List(IEnumerable<JsonNode> results, string? nextCursor = null, bool capped = false, string type = "page_or_data_source")
    {
        var list = new JsonObject
        {
            ["object"] = "list",
            ["results"] = new JsonArray(results.Select(r => r.DeepClone()).ToArray()),
            ["next_cursor"] = nextCursor,
            ["has_more"] = nextCursor != null,
            ["type"] = type,
            [type] = new JsonObject(),
        };
        if (capped) list["request_status"] = new JsonObject { ["type"] = "incomplete", ["incomplete_reason"] = "query_result_limit_reached" };
        return list;
    }

    public static JsonObject Block(string id, string type, string text, DateTimeOffset created, string parentId = ParentPageId)
    {
        var content = type is "child_database" or "child_page"
            ? new JsonObject { ["title"] = text }
            : new JsonObject { ["rich_text"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = text }, ["plain_text"] = text }) };
        return new JsonObject
        {
            ["object"] = "block", ["id"] = id, ["type"] = type, [type] = content, ["has_children"] = false, ["in_trash"] = false,
            ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = parentId },
            ["created_time"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'"),
            ["last_edited_time"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00.000'Z'"),
        };
    }

    public static JsonObject Database(string id, string title, params (string Id, string Name)[] dataSources) => new()
    {
        ["object"] = "database", ["id"] = id,
        ["title"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = title }, ["plain_text"] = title }),
        ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = ParentPageId },
        ["in_trash"] = false,
        ["data_sources"] = new JsonArray(dataSources.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["name"] = d.Name }).ToArray()),
    };
}
