using System.Globalization;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OberaConnect.Fakes.Notion;

/// <summary>A finished answer: status, JSON (or HTML) body, and the Retry-After seconds if any.</summary>
internal sealed record ApiResult(int Status, byte[] Body, int? RetryAfterSeconds = null, string ContentType = "application/json; charset=utf-8");

/// <summary>One authenticated, versioned request as a handler sees it.</summary>
internal sealed class ApiCall
{
    public required HttpContext Http { get; init; }
    public required NotionApiVersion Version { get; init; }
    public JsonObject? Body { get; init; }

    public JsonObject BodyOrEmpty => Body ?? new JsonObject();

    /// <summary>The {id} route value, dashed; a malformed one fails as Notion's path validation does.</summary>
    public string PathId(string name)
    {
        var raw = Http.Request.RouteValues["id"] as string ?? "";
        return NotionFormats.NormalizeId(raw)
            ?? throw NotionApiError.Validation($"path failed validation: path.{name} should be a valid uuid, instead was `\"{raw}\"`.");
    }

    /// <summary>The page_size of a GET list (default 100, 1 to 100), refused as Notion's query validation does.</summary>
    public int QueryPageSize()
    {
        int? requested = null;
        if (Http.Request.Query.TryGetValue("page_size", out var ps))
        {
            if (!int.TryParse(ps.ToString(), out var n))
                throw NotionApiError.Validation($"query failed validation: query.page_size should be a number, instead was `\"{ps}\"`.");
            requested = n;
        }
        return NotionApi.PageSize(requested, "query.page_size");
    }

    public HashSet<string>? FilterProperties()
    {
        var values = Http.Request.Query["filter_properties"];
        if (values.Count == 0) return null;
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
            foreach (var part in (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                set.Add(part);
                set.Add(Uri.UnescapeDataString(part));
            }
        return set;
    }
}

/// <summary>
/// The Notion REST surface on Kestrel minimal APIs. Every request goes through <see cref="HandleAsync"/>:
/// count, injected faults, route, Notion-Version, bearer token, rate limit, body, handler.
/// </summary>
internal sealed class NotionApi
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string ArchivedBlockMessage = "Can't edit block that is archived. You must unarchive the block before editing.";

    private readonly NotionStore _store;
    private readonly NotionRequestCounters _counters;
    private readonly NotionFaults _faults;
    private readonly NotionRateLimiter _limiter;
    private readonly CursorBook _cursors = new();
    private readonly string _token;
    private CancellationToken _stopping;

    public NotionApi(NotionStore store, NotionRequestCounters counters, NotionFaults faults, NotionRateLimiter limiter, string token)
    {
        _store = store;
        _counters = counters;
        _faults = faults;
        _limiter = limiter;
        _token = token;
    }

    /// <summary>The endpoints the fake answers, as "METHOD /route/template" (the keys of the request counters).</summary>
    public static IReadOnlyList<string> Endpoints { get; } = new[]
    {
        "GET /v1/users/me", "GET /v1/users", "GET /v1/users/{id}",
        "POST /v1/databases", "GET /v1/databases/{id}", "PATCH /v1/databases/{id}",
        "POST /v1/data_sources", "GET /v1/data_sources/{id}", "PATCH /v1/data_sources/{id}", "POST /v1/data_sources/{id}/query",
        "POST /v1/pages", "GET /v1/pages/{id}", "PATCH /v1/pages/{id}", "GET /v1/pages/{id}/properties/{property_id}",
        "GET /v1/blocks/{id}", "PATCH /v1/blocks/{id}", "DELETE /v1/blocks/{id}",
        "GET /v1/blocks/{id}/children", "PATCH /v1/blocks/{id}/children",
        "POST /v1/search",
    };

    public void Map(WebApplication app)
    {
        _stopping = app.Lifetime.ApplicationStopping;
        var handlers = Handlers();
        if (!handlers.Keys.Order(StringComparer.Ordinal).SequenceEqual(Endpoints.Order(StringComparer.Ordinal)))
            throw new InvalidOperationException("NotionApi.Endpoints and the mapped handlers differ.");
        foreach (var (endpoint, handler) in handlers)
        {
            var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
            var method = endpoint[..space];
            var pattern = endpoint[(space + 1)..];
            app.MapMethods(pattern, new[] { method }, (HttpContext http) => HandleAsync(http, endpoint, handler));
        }
        // Unknown paths and methods: Notion's invalid_request_url.
        app.MapFallback("{*path}", (HttpContext http) => HandleAsync(http, $"{http.Request.Method} (unknown route)", null));
    }

    private Dictionary<string, Func<ApiCall, ApiResult>> Handlers()
        => new(StringComparer.Ordinal)
        {
            ["GET /v1/users/me"] = GetMe,
            ["GET /v1/users"] = ListUsers,
            ["GET /v1/users/{id}"] = GetUser,
            ["POST /v1/databases"] = CreateDatabase,
            ["GET /v1/databases/{id}"] = GetDatabase,
            ["PATCH /v1/databases/{id}"] = UpdateDatabase,
            ["POST /v1/data_sources"] = CreateDataSource,
            ["GET /v1/data_sources/{id}"] = GetDataSource,
            ["PATCH /v1/data_sources/{id}"] = UpdateDataSource,
            ["POST /v1/data_sources/{id}/query"] = QueryDataSource,
            ["POST /v1/pages"] = CreatePage,
            ["GET /v1/pages/{id}"] = GetPage,
            ["PATCH /v1/pages/{id}"] = UpdatePage,
            ["GET /v1/pages/{id}/properties/{property_id}"] = GetPageProperty,
            ["GET /v1/blocks/{id}"] = GetBlock,
            ["PATCH /v1/blocks/{id}"] = UpdateBlock,
            ["DELETE /v1/blocks/{id}"] = DeleteBlock,
            ["GET /v1/blocks/{id}/children"] = ListChildren,
            ["PATCH /v1/blocks/{id}/children"] = AppendChildren,
            ["POST /v1/search"] = Search,
        };

    // ---- pipeline --------------------------------------------------------------------------------

    private async Task HandleAsync(HttpContext http, string endpoint, Func<ApiCall, ApiResult>? handler)
    {
        var at = _store.Now();
        var versionHeader = http.Request.Headers["Notion-Version"].ToString();
        var path = http.Request.Path + http.Request.QueryString;
        _counters.Record(endpoint);
        string? bodyText = null;
        var status = 0;
        var logged = false;
        // Logged before the answer (or abort) goes out: a client that has its answer must find its request in the log.
        void Log()
        {
            if (logged) return;
            logged = true;
            _counters.Append(new NotionRecordedRequest(endpoint, path, versionHeader.Length == 0 ? null : versionHeader, bodyText, status, at));
        }
        try
        {
            var fault = _faults.TryTake(endpoint);
            var loseResponse = false;
            switch (fault?.Kind)
            {
                case NotionFaultKind.Status:
                {
                    var result = FaultResult(fault);
                    status = result.Status;
                    Log();
                    await WriteAsync(http, result);
                    return;
                }
                case NotionFaultKind.DropConnection:
                    Log();
                    http.Abort();
                    return;
                case NotionFaultKind.Delay:
                    // Ends early when the client gives up or the fake stops (a manual clock may never reach it).
                    using (var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping))
                    {
                        try { await Task.Delay(fault.DelayBy, _store.Time, wait.Token); }
                        catch (OperationCanceledException)
                        {
                            Log();
                            http.Abort();
                            return;
                        }
                    }
                    break;
                case NotionFaultKind.LoseResponse:
                    loseResponse = true;
                    break;
            }

            var (bytes, tooLarge) = await ReadBodyAsync(http);
            if (bytes.Length > 0) bodyText = Encoding.UTF8.GetString(bytes);
            var answer = Process(http, handler, versionHeader, bytes, tooLarge);
            if (loseResponse)
            {
                Log();
                http.Abort();
                return;
            }
            status = answer.Status;
            Log();
            await WriteAsync(http, answer);
        }
        finally
        {
            Log();
        }
    }

    private ApiResult Process(HttpContext http, Func<ApiCall, ApiResult>? handler, string versionHeader, byte[] bytes, bool tooLarge)
    {
        if (handler is null) return Error(400, "invalid_request_url", "Invalid request URL.");
        if (versionHeader.Length == 0)
            return Error(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
        if (!NotionVersions.TryParse(versionHeader, out var version))
            return Error(400, "validation_error",
                $"Notion-Version header failed validation: the Notion fake speaks `{NotionVersions.V2025}` and `{NotionVersions.V2026}`, instead was `\"{versionHeader}\"`.");
        var auth = http.Request.Headers.Authorization.ToString();
        if (!string.Equals(auth, "Bearer " + _token, StringComparison.Ordinal))
            return Error(401, "unauthorized", "API token is invalid.");
        if (!_limiter.TryAcquire(out var retryAfter))
        {
            _counters.RecordRateLimited();
            return Error(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.") with { RetryAfterSeconds = retryAfter };
        }
        if (tooLarge)
            return Error(413, "validation_error", $"Request body too large: the limit is {_store.Options.MaxRequestBodyBytes} bytes.");

        JsonObject? body = null;
        if (bytes.AsSpan().Trim(" \t\r\n"u8).Length > 0)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(bytes); }
            catch (JsonException) { return Error(400, "invalid_json", "Error parsing JSON body."); }
            if (node is not JsonObject obj)
                return Error(400, "validation_error", $"body failed validation: body should be an object, instead was `{NotionApiError.Describe(node)}`.");
            body = obj;
        }
        try
        {
            return handler(new ApiCall { Http = http, Version = version, Body = body });
        }
        catch (NotionApiError e)
        {
            return Error(e.Status, e.Code, e.Message, e.AdditionalData);
        }
    }

    private async Task<(byte[] Bytes, bool TooLarge)> ReadBodyAsync(HttpContext http)
    {
        var max = _store.Options.MaxRequestBodyBytes;
        if (http.Request.ContentLength is { } declared && declared > max) return (Array.Empty<byte>(), true);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > max) return (Array.Empty<byte>(), true);
        }
        return (buffer.ToArray(), false);
    }

    private static async Task WriteAsync(HttpContext http, ApiResult result)
    {
        http.Response.StatusCode = result.Status;
        http.Response.ContentType = result.ContentType;
        if (result.RetryAfterSeconds is { } ra) http.Response.Headers["Retry-After"] = ra.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.ContentLength = result.Body.Length;
        await http.Response.Body.WriteAsync(result.Body, http.RequestAborted);
    }

    private static ApiResult FaultResult(NotionFault fault)
    {
        var status = fault.StatusCode;
        if (status == 502)
        {
            const string html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
            return new ApiResult(502, Encoding.UTF8.GetBytes(html), fault.RetryAfterSeconds, "text/html");
        }
        var (code, message) = status switch
        {
            429 => ("rate_limited", "You have been rate limited. Please try again in a few minutes."),
            409 => ("conflict_error", "Conflict occurred while saving. Please try again."),
            500 => ("internal_server_error", "Unexpected error occurred."),
            503 => ("service_unavailable", "Notion is unavailable, please try again later."),
            504 => ("gateway_timeout", "Notion timed out while attempting to complete this request. Please try again later."),
            529 => ("service_overload", "Notion is experiencing high load. Please try again later."),
            400 => ("validation_error", "Injected validation error."),
            401 => ("unauthorized", "API token is invalid."),
            403 => ("restricted_resource", "API token does not have access to this resource."),
            404 => ("object_not_found", "Could not find the requested object."),
            _ => ("internal_server_error", "Unexpected error occurred."),
        };
        var retryAfter = fault.RetryAfterSeconds ?? (status is 429 or 529 ? 1 : null);
        return Error(status, code, message) with { RetryAfterSeconds = retryAfter };
    }

    // ---- JSON helpers ----------------------------------------------------------------------------

    private static ApiResult Object(Action<Utf8JsonWriter> members, int status = 200)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            members(w);
            w.WriteString("request_id", NotionFormats.NewId());
            w.WriteEndObject();
        }
        return new ApiResult(status, buffer.WrittenSpan.ToArray());
    }

    private static ApiResult List(string type, IEnumerable<Action<Utf8JsonWriter>> items, string? nextCursor, bool hasMore, bool incomplete = false)
        => Object(w =>
        {
            w.WriteString("object", "list");
            w.WriteStartArray("results");
            foreach (var item in items) item(w);
            w.WriteEndArray();
            if (nextCursor is null) w.WriteNull("next_cursor"); else w.WriteString("next_cursor", nextCursor);
            w.WriteBoolean("has_more", hasMore);
            w.WriteString("type", type);
            w.WriteStartObject(type);
            w.WriteEndObject();
            if (incomplete)
            {
                w.WriteStartObject("request_status");
                w.WriteString("type", "incomplete");
                w.WriteString("incomplete_reason", "query_result_limit_reached");
                w.WriteEndObject();
            }
        });

    public static ApiResult Error(int status, string code, string message, JsonObject? additionalData = null)
        => Object(w =>
        {
            w.WriteString("object", "error");
            w.WriteNumber("status", status);
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (additionalData is not null)
            {
                w.WritePropertyName("additional_data");
                additionalData.WriteTo(w);
            }
        }, status);

    private RenderContext Ctx(ApiCall call, HashSet<string>? filter = null) => new(_store, call.Version, filter);

    /// <summary>in_trash, or its alias archived where the version still has it.</summary>
    private static bool? TrashFlag(JsonObject body, NotionApiVersion version)
    {
        var inTrash = JsonRead.OptBool(body, "in_trash", "body");
        if (body.TryGetPropertyValue("archived", out var archived))
        {
            if (!version.HasArchived()) throw NotionApiError.NotPresent("body.archived", archived);
            inTrash ??= JsonRead.OptBool(body, "archived", "body");
        }
        return inTrash;
    }

    internal static int PageSize(int? requested, string path)
    {
        var size = requested ?? 100;
        if (size > 100) throw NotionApiError.TooLong(path, 100, size);
        if (size < 1) throw NotionApiError.Validation($"body failed validation: {path} should be ≥ `1`, instead was `{size}`.");
        return size;
    }

    private static JsonArray ReadRichTextOrEmpty(JsonObject body, string key, string path, NotionStore store)
        => body.TryGetPropertyValue(key, out var n) && n is not null ? NotionRichText.Read(n, $"{path}.{key}", store) : new JsonArray();

    // ---- users -----------------------------------------------------------------------------------

    private ApiResult GetMe(ApiCall call) => Object(w => NotionRender.WriteUserMembers(w, _store.Bot, _store));

    private ApiResult ListUsers(ApiCall call)
    {
        lock (_store.Gate)
        {
            var users = _store.Users.Values.ToList();
            return List("user", users.Select(u => (Action<Utf8JsonWriter>)(w => NotionRender.WriteUser(w, u, _store))), null, false);
        }
    }

    private ApiResult GetUser(ApiCall call)
    {
        var id = call.PathId("user_id");
        lock (_store.Gate)
        {
            var user = _store.FindUser(id) ?? throw _store.NotFound("user", id);
            return Object(w => NotionRender.WriteUserMembers(w, user, _store));
        }
    }

    // ---- databases -------------------------------------------------------------------------------

    private ApiResult CreateDatabase(ApiCall call)
    {
        var body = call.Body ?? throw NotionApiError.Body("body", "should be defined", null);
        var parent = JsonRead.OptObject(body, "parent", "body") ?? throw NotionApiError.Body("body.parent", "should be defined", null);
        var parentType = JsonRead.OptString(parent, "type", "body.parent") ?? (parent.ContainsKey("page_id") ? "page_id" : null);
        if (parentType != "page_id") throw NotionApiError.Body("body.parent.page_id", "should be defined", null);
        var pageId = JsonRead.ReqId(parent, "page_id", "body.parent");
        if (body.TryGetPropertyValue("properties", out var topLevelProps)) throw NotionApiError.NotPresent("body.properties", topLevelProps);
        var initial = JsonRead.OptObject(body, "initial_data_source", "body");
        var isInline = JsonRead.OptBool(body, "is_inline", "body") ?? false;
        lock (_store.Gate)
        {
            var page = _store.GetPage(pageId);
            if (page.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
            var title = ReadRichTextOrEmpty(body, "title", "body", _store);
            var description = ReadRichTextOrEmpty(body, "description", "body", _store);
            var dsTitle = initial is not null && initial.ContainsKey("title") ? ReadRichTextOrEmpty(initial, "title", "body.initial_data_source", _store) : (JsonArray)title.DeepClone();
            var db = _store.CreateDatabase(page, title, description, isInline, null);
            var ds = _store.CreateDataSource(db, dsTitle, _store.Bot.Id, null);
            try
            {
                NotionSchemaRules.AddInitialProperties(_store, ds, initial is null ? null : JsonRead.OptObject(initial, "properties", "body.initial_data_source"),
                    "body.initial_data_source.properties");
            }
            catch
            {
                _store.RemoveDatabase(db);
                throw;
            }
            if (body.ContainsKey("icon")) db.Icon = body["icon"]?.DeepClone();
            if (body.ContainsKey("cover")) db.Cover = body["cover"]?.DeepClone();
            ds.Icon = db.Icon?.DeepClone();
            return Object(w => NotionRender.WriteDatabaseMembers(w, db, Ctx(call)));
        }
    }

    private ApiResult GetDatabase(ApiCall call)
    {
        var id = call.PathId("database_id");
        lock (_store.Gate)
        {
            var db = _store.GetDatabase(id);
            return Object(w => NotionRender.WriteDatabaseMembers(w, db, Ctx(call)));
        }
    }

    private ApiResult UpdateDatabase(ApiCall call)
    {
        var id = call.PathId("database_id");
        var body = call.BodyOrEmpty;
        if (body.TryGetPropertyValue("properties", out var props)) throw NotionApiError.NotPresent("body.properties", props);
        lock (_store.Gate)
        {
            var db = _store.GetDatabase(id);
            var trash = TrashFlag(body, call.Version);
            if (db.InTrash && trash != false && body.Any(kv => kv.Key is not ("in_trash" or "archived")))
                throw NotionApiError.Validation(ArchivedBlockMessage);
            if (body.ContainsKey("title")) db.Title = ReadRichTextOrEmpty(body, "title", "body", _store);
            if (body.ContainsKey("description")) db.Description = ReadRichTextOrEmpty(body, "description", "body", _store);
            if (body.ContainsKey("icon")) db.Icon = body["icon"]?.DeepClone();
            if (body.ContainsKey("cover")) db.Cover = body["cover"]?.DeepClone();
            if (JsonRead.OptBool(body, "is_inline", "body") is { } inline) db.IsInline = inline;
            if (JsonRead.OptBool(body, "is_locked", "body") is { } locked) db.IsLocked = locked;
            if (trash is { } t) db.InTrash = t;
            db.LastEdited = NotionFormats.ToMillisecond(_store.Now());
            return Object(w => NotionRender.WriteDatabaseMembers(w, db, Ctx(call)));
        }
    }

    // ---- data sources ----------------------------------------------------------------------------

    private ApiResult CreateDataSource(ApiCall call)
    {
        var body = call.Body ?? throw NotionApiError.Body("body", "should be defined", null);
        var parent = JsonRead.OptObject(body, "parent", "body") ?? throw NotionApiError.Body("body.parent", "should be defined", null);
        var dbId = JsonRead.ReqId(parent, "database_id", "body.parent");
        var props = JsonRead.OptObject(body, "properties", "body") ?? throw NotionApiError.Body("body.properties", "should be defined", null);
        lock (_store.Gate)
        {
            var db = _store.GetDatabase(dbId);
            var title = ReadRichTextOrEmpty(body, "title", "body", _store);
            var ds = _store.CreateDataSource(db, title, _store.Bot.Id, null);
            try
            {
                NotionSchemaRules.AddInitialProperties(_store, ds, props, "body.properties");
            }
            catch
            {
                _store.RemoveDataSource(ds);
                throw;
            }
            if (body.ContainsKey("icon")) ds.Icon = body["icon"]?.DeepClone();
            return Object(w => NotionRender.WriteDataSourceMembers(w, ds, Ctx(call)));
        }
    }

    private ApiResult GetDataSource(ApiCall call)
    {
        var id = call.PathId("data_source_id");
        lock (_store.Gate)
        {
            var ds = _store.GetDataSource(id);
            return Object(w => NotionRender.WriteDataSourceMembers(w, ds, Ctx(call)));
        }
    }

    private ApiResult UpdateDataSource(ApiCall call)
    {
        var id = call.PathId("data_source_id");
        var body = call.BodyOrEmpty;
        lock (_store.Gate)
        {
            var ds = _store.GetDataSource(id);
            var trash = TrashFlag(body, call.Version);
            var props = JsonRead.OptObject(body, "properties", "body");
            var title = body.ContainsKey("title") ? ReadRichTextOrEmpty(body, "title", "body", _store) : null;
            var description = body.ContainsKey("description") ? ReadRichTextOrEmpty(body, "description", "body", _store) : null;
            if (props is not null) NotionSchemaRules.ApplyUpdate(_store, ds, props, "body.properties");
            if (title is not null) ds.Title = title;
            if (description is not null) ds.Description = description;
            if (body.ContainsKey("icon")) ds.Icon = body["icon"]?.DeepClone();
            if (body.ContainsKey("cover")) ds.Cover = body["cover"]?.DeepClone();
            if (trash is { } t) ds.InTrash = t;
            ds.LastEdited = NotionFormats.ToMinute(_store.Now());
            ds.LastEditedBy = _store.Bot.Id;
            return Object(w => NotionRender.WriteDataSourceMembers(w, ds, Ctx(call)));
        }
    }

    private ApiResult QueryDataSource(ApiCall call)
    {
        var id = call.PathId("data_source_id");
        var body = call.BodyOrEmpty;
        var pageSize = PageSize(JsonRead.OptInt(body, "page_size", "body"), "body.page_size");
        var cursor = JsonRead.OptString(body, "start_cursor", "body");
        var filterProperties = call.FilterProperties();
        lock (_store.Gate)
        {
            var ds = _store.GetDataSource(id);
            QuerySnapshot snapshot;
            var offset = 0;
            if (cursor is not null)
            {
                if (!_cursors.TryGet(cursor, ds.Id, out snapshot, out offset))
                    throw NotionApiError.Body("body.start_cursor", "should be a cursor returned by a previous query of this data source", body["start_cursor"]);
            }
            else
            {
                var filter = NotionQueryRules.ParseFilter(body["filter"], ds, _store, "body.filter");
                var order = NotionQueryRules.ParseSorts(body["sorts"], ds, "body.sorts", (a, b) => a.Seq.CompareTo(b.Seq));
                var wantTrashed = TrashFlag(body, call.Version) == true;
                var resultType = JsonRead.OptString(body, "result_type", "body");
                if (resultType is not (null or "page" or "data_source"))
                    throw NotionApiError.Body("body.result_type", "should be `\"page\"` or `\"data_source\"`", body["result_type"]);
                var rows = new List<FakePage>();
                // Notion's query index can lag a create: a page that new is not found by a query yet (GET finds it).
                var indexedBefore = _store.QueryIndexLag > TimeSpan.Zero ? _store.Now() - _store.QueryIndexLag : DateTimeOffset.MaxValue;
                if (resultType != "data_source")
                    foreach (var row in ds.Rows)
                        if (row.InTrash == wantTrashed && row.MadeAt <= indexedBefore && (filter is null || filter(row))) rows.Add(row);
                rows.Sort(order);
                var limit = _store.Options.QueryResultLimit;
                snapshot = new QuerySnapshot
                {
                    Owner = ds.Id,
                    Ids = rows.Take(limit).Select(r => r.Id).ToList(),
                    Truncated = rows.Count > limit,
                };
            }
            var end = Math.Min(offset + pageSize, snapshot.Ids.Count);
            var hasMore = end < snapshot.Ids.Count;
            var next = hasMore ? _cursors.Add(snapshot, end) : null;
            var ctx = Ctx(call, filterProperties);
            var pages = snapshot.Ids.Skip(offset).Take(end - offset).Select(pid => _store.FindPage(pid)).OfType<FakePage>().ToList();
            return List("page_or_data_source", pages.Select(p => (Action<Utf8JsonWriter>)(w => NotionRender.WritePage(w, p, ctx))),
                next, hasMore, incomplete: !hasMore && snapshot.Truncated);
        }
    }

    // ---- pages -----------------------------------------------------------------------------------

    private ApiResult CreatePage(ApiCall call)
    {
        var body = call.Body ?? throw NotionApiError.Body("body", "should be defined", null);
        var parent = JsonRead.OptObject(body, "parent", "body") ?? throw NotionApiError.Body("body.parent", "should be defined", null);
        var parentType = JsonRead.OptString(parent, "type", "body.parent")
            ?? new[] { "data_source_id", "database_id", "page_id", "workspace" }.FirstOrDefault(parent.ContainsKey)
            ?? throw NotionApiError.Body("body.parent", "should have a data_source_id, database_id or page_id", parent);
        var props = JsonRead.OptObject(body, "properties", "body") ?? new JsonObject();
        lock (_store.Gate)
        {
            var children = body.TryGetPropertyValue("children", out var kids) && kids is not null
                ? NotionBlockRules.ReadChildren(kids, "body.children", _store) : new List<BlockSpec>();
            FakePage page;
            switch (parentType)
            {
                case "data_source_id":
                case "database_id":
                {
                    FakeDataSource ds;
                    if (parentType == "data_source_id")
                    {
                        ds = _store.GetDataSource(JsonRead.ReqId(parent, "data_source_id", "body.parent"));
                    }
                    else
                    {
                        var dbId = JsonRead.ReqId(parent, "database_id", "body.parent");
                        var db = _store.GetDatabase(dbId);
                        if (db.DataSources.Count != 1)
                            throw NotionApiError.Validation($"Database {dbId} has {db.DataSources.Count} data sources; use a data_source_id parent to say which one.");
                        ds = db.DataSources[0];
                    }
                    if (ds.InTrash || ds.Database.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
                    var write = NotionValueRules.ReadRowProperties(_store, ds, props, "body.properties");
                    page = _store.CreateRow(ds, new Dictionary<string, PropValue>(), _store.Bot.Id, null);
                    NotionValueRules.ApplyToRow(_store, page, write);
                    break;
                }
                case "page_id":
                {
                    var parentPage = _store.GetPage(JsonRead.ReqId(parent, "page_id", "body.parent"));
                    if (parentPage.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
                    var title = NotionValueRules.ReadPlainPageTitle(_store, props, "body.properties");
                    page = _store.CreatePlainPage(new ParentRef(ParentKind.Page, parentPage.Id), title?.RichText ?? new JsonArray(), null, _store.Bot.Id, null);
                    break;
                }
                default:
                    throw NotionApiError.Body("body.parent.page_id", "should be defined", null);
            }
            if (body.ContainsKey("icon")) page.Icon = body["icon"]?.DeepClone();
            if (body.ContainsKey("cover")) page.Cover = body["cover"]?.DeepClone();
            if (children.Count > 0) NotionBlockRules.Insert(_store, page.Id, parentIsPage: true, page.Accessible, children, page.Children.Count);
            return Object(w => NotionRender.WritePageMembers(w, page, Ctx(call)));
        }
    }

    private ApiResult GetPage(ApiCall call)
    {
        var id = call.PathId("page_id");
        var filter = call.FilterProperties();
        lock (_store.Gate)
        {
            var page = _store.GetPage(id);
            return Object(w => NotionRender.WritePageMembers(w, page, Ctx(call, filter)));
        }
    }

    /// <summary>
    /// One property of a page (<c>GET /v1/pages/{id}/properties/{property_id}</c>). Simple types answer one
    /// <c>property_item</c>; title, rich_text, relation and people answer a list of property items, paginated like
    /// Notion at most <see cref="NotionFakeOptions.PropertyItemPageSize"/> items a page whatever page_size asks, with
    /// <c>property_item.next_url</c> naming the next page. The property is named by its id (escaped or not) or its name.
    /// </summary>
    private ApiResult GetPageProperty(ApiCall call)
    {
        var id = call.PathId("page_id");
        var rawProperty = call.Http.Request.RouteValues["property_id"] as string ?? "";
        var propertyId = Uri.UnescapeDataString(rawProperty);
        var query = call.Http.Request.Query;
        var pageSize = Math.Min(call.QueryPageSize(), NotionFakeOptions.PropertyItemPageSize);
        var cursor = query.TryGetValue("start_cursor", out var sc) ? sc.ToString() : null;
        lock (_store.Gate)
        {
            var page = _store.GetPage(id);
            var prop = page.DataSource?.FindProperty(propertyId)
                ?? (page.DataSource is null && propertyId == "title" ? new PropSchema { Id = "title", Name = "title", Type = "title" } : null)
                ?? throw new NotionApiError(404, "object_not_found", $"Could not find property with id: {propertyId}");
            page.Values.TryGetValue(prop.Id, out var value);
            var ctx = Ctx(call);
            if (prop.Type is not ("title" or "rich_text" or "relation" or "people"))
                return Object(w =>
                {
                    w.WriteString("object", "property_item");
                    NotionRender.WritePropertyValueMembers(w, prop, value, page, ctx);
                });

            var items = NotionRender.PropertyItems(prop, value, ctx);
            var start = 0;
            if (!string.IsNullOrEmpty(cursor) && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start <= 0 || start >= items.Count))
                throw NotionApiError.Validation($"query failed validation: query.start_cursor should be a cursor from a previous page, instead was `\"{cursor}\"`.");
            var end = Math.Min(start + pageSize, items.Count);
            var next = end < items.Count ? end.ToString(CultureInfo.InvariantCulture) : null;
            return Object(w =>
            {
                w.WriteString("object", "list");
                w.WriteStartArray("results");
                for (var i = start; i < end; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("object", "property_item");
                    w.WriteString("id", prop.Id);
                    w.WriteString("type", prop.Type);
                    w.WritePropertyName(prop.Type);
                    items[i](w);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (next is null) w.WriteNull("next_cursor"); else w.WriteString("next_cursor", next);
                w.WriteBoolean("has_more", next is not null);
                w.WriteString("type", "property_item");
                w.WriteStartObject("property_item");
                w.WriteString("id", prop.Id);
                if (next is null) w.WriteNull("next_url");
                else w.WriteString("next_url", $"{call.Http.Request.Scheme}://{call.Http.Request.Host}/v1/pages/{id}/properties/{Uri.EscapeDataString(prop.Id)}?start_cursor={next}");
                w.WriteString("type", prop.Type);
                w.WriteStartObject(prop.Type);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
    }

    private ApiResult UpdatePage(ApiCall call)
    {
        var id = call.PathId("page_id");
        var body = call.BodyOrEmpty;
        lock (_store.Gate)
        {
            var page = _store.GetPage(id);
            var trash = TrashFlag(body, call.Version);
            if (page.InTrash && trash != false && body.Any(kv => kv.Key is not ("in_trash" or "archived")))
                throw NotionApiError.Validation(ArchivedBlockMessage);
            if (JsonRead.OptObject(body, "properties", "body") is { } props)
            {
                if (page.DataSource is { } ds)
                {
                    var write = NotionValueRules.ReadRowProperties(_store, ds, props, "body.properties");
                    NotionValueRules.ApplyToRow(_store, page, write);
                }
                else if (NotionValueRules.ReadPlainPageTitle(_store, props, "body.properties") is { } title)
                {
                    page.Values["title"] = title;
                }
            }
            if (body.ContainsKey("icon")) page.Icon = body["icon"]?.DeepClone();
            if (body.ContainsKey("cover")) page.Cover = body["cover"]?.DeepClone();
            if (JsonRead.OptBool(body, "is_locked", "body") is { } locked) page.IsLocked = locked;
            if (trash is { } t) page.InTrash = t;
            _store.Touch(page);
            return Object(w => NotionRender.WritePageMembers(w, page, Ctx(call)));
        }
    }

    // ---- blocks ----------------------------------------------------------------------------------

    private ApiResult GetBlock(ApiCall call)
    {
        var id = call.PathId("block_id");
        lock (_store.Gate)
        {
            var item = _store.GetBlockLike(id);
            return Object(w => NotionRender.WriteBlockLikeMembers(w, item, Ctx(call)));
        }
    }

    private ApiResult UpdateBlock(ApiCall call)
    {
        var id = call.PathId("block_id");
        var body = call.BodyOrEmpty;
        lock (_store.Gate)
        {
            var item = _store.GetBlockLike(id);
            var trash = TrashFlag(body, call.Version);
            var contentKeys = body.Select(kv => kv.Key).Where(k => k is not ("in_trash" or "archived" or "type" or "object")).ToList();
            switch (item)
            {
                case FakeBlock block:
                    if (block.InTrash && trash != false && contentKeys.Count > 0) throw NotionApiError.Validation(ArchivedBlockMessage);
                    foreach (var key in contentKeys)
                    {
                        if (key != block.Type)
                            throw NotionApiError.Validation($"body failed validation: body.{key} should be not present; block {block.Id} is a {block.Type} block.");
                        var given = JsonRead.OptObject(body, key, "body") ?? throw NotionApiError.Body($"body.{key}", "should be an object", body[key]);
                        block.Content = NotionBlockRules.Normalize(block.Type, given, $"body.{key}", _store, block.Content);
                    }
                    if (trash is { } t) block.InTrash = t;
                    block.LastEdited = NotionFormats.ToMinute(_store.Now());
                    block.LastEditedBy = _store.Bot.Id;
                    break;
                case FakePage page:
                    if (trash is { } tp) page.InTrash = tp;
                    _store.Touch(page);
                    break;
                case FakeDatabase db:
                    if (trash is { } td) db.InTrash = td;
                    break;
            }
            return Object(w => NotionRender.WriteBlockLikeMembers(w, item, Ctx(call)));
        }
    }

    private ApiResult DeleteBlock(ApiCall call)
    {
        var id = call.PathId("block_id");
        lock (_store.Gate)
        {
            var item = _store.GetBlockLike(id);
            switch (item)
            {
                case FakeBlock block:
                    if (block.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
                    block.InTrash = true;
                    break;
                case FakePage page:
                    if (page.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
                    page.InTrash = true;
                    break;
                case FakeDatabase db:
                    if (db.InTrash) throw NotionApiError.Validation(ArchivedBlockMessage);
                    db.InTrash = true;
                    break;
            }
            return Object(w => NotionRender.WriteBlockLikeMembers(w, item, Ctx(call)));
        }
    }

    private ApiResult ListChildren(ApiCall call)
    {
        var id = call.PathId("block_id");
        var query = call.Http.Request.Query;
        var pageSize = call.QueryPageSize();
        var cursor = query.TryGetValue("start_cursor", out var sc) ? sc.ToString() : null;
        lock (_store.Gate)
        {
            var item = _store.GetBlockLike(id);
            var children = item switch
            {
                FakeBlock b => b.Children,
                FakePage p => p.Children,
                _ => new List<string>(),
            };
            var live = children.Where(c => !_store.IsTrashed(c)).ToList();
            var start = 0;
            if (!string.IsNullOrEmpty(cursor))
            {
                var cursorId = NotionFormats.NormalizeId(cursor);
                start = cursorId is null ? -1 : live.IndexOf(cursorId);
                if (start < 0) throw NotionApiError.Validation($"query failed validation: query.start_cursor should be a block id from a previous page, instead was `\"{cursor}\"`.");
            }
            var end = Math.Min(start + pageSize, live.Count);
            var hasMore = end < live.Count;
            var ctx = Ctx(call);
            var items = live.Skip(start).Take(end - start).Select(c => _store.GetBlockLike(c)).ToList();
            return List("block", items.Select(i => (Action<Utf8JsonWriter>)(w => NotionRender.WriteBlockLike(w, i, ctx))), hasMore ? live[end] : null, hasMore);
        }
    }

    private ApiResult AppendChildren(ApiCall call)
    {
        var id = call.PathId("block_id");
        var body = call.Body ?? throw NotionApiError.Body("body.children", "should be defined", null);
        lock (_store.Gate)
        {
            var item = _store.GetBlockLike(id);
            if (item is FakeDatabase) throw NotionApiError.Validation($"Block {id} is a database; add pages to its data source instead of appending children.");
            var isPage = item is FakePage;
            var trashed = item is FakePage pp ? pp.InTrash : ((FakeBlock)item).InTrash;
            if (trashed) throw NotionApiError.Validation(ArchivedBlockMessage);
            var specs = NotionBlockRules.ReadChildren(body["children"] ?? throw NotionApiError.Body("body.children", "should be defined", null), "body.children", _store);
            var siblings = _store.ChildrenOf(id)!;
            var index = siblings.Count;
            string? after = null;
            if (call.Version == NotionApiVersion.V2025_09_03)
            {
                if (body.TryGetPropertyValue("position", out var position)) throw NotionApiError.NotPresent("body.position", position);
                if (JsonRead.OptString(body, "after", "body") is not null) after = JsonRead.ReqId(body, "after", "body");
            }
            else
            {
                if (body.TryGetPropertyValue("after", out var oldAfter)) throw NotionApiError.NotPresent("body.after", oldAfter);
                if (JsonRead.OptObject(body, "position", "body") is { } position)
                {
                    var type = JsonRead.ReqString(position, "type", "body.position");
                    switch (type)
                    {
                        case "start": index = 0; break;
                        case "end": break;
                        case "after_block":
                            var target = JsonRead.OptObject(position, "after_block", "body.position")
                                ?? throw NotionApiError.Body("body.position.after_block", "should be defined", null);
                            after = JsonRead.ReqId(target, "id", "body.position.after_block");
                            break;
                        default:
                            throw NotionApiError.Body("body.position.type", "should be `\"after_block\"`, `\"start\"` or `\"end\"`", position["type"]);
                    }
                }
            }
            if (after is not null)
            {
                var at = siblings.IndexOf(after);
                if (at < 0 || _store.IsTrashed(after)) throw NotionApiError.Validation($"Block {after} is not a child of block {id}.");
                index = at + 1;
            }
            var accessible = item is FakePage ap ? ap.Accessible : ((FakeBlock)item).Accessible;
            var created = NotionBlockRules.Insert(_store, id, isPage, accessible, specs, index);
            if (item is FakePage touched) _store.Touch(touched);
            var ctx = Ctx(call);
            return List("block", created.Select(b => (Action<Utf8JsonWriter>)(w => NotionRender.WriteBlockLike(w, b, ctx))), null, false);
        }
    }

    // ---- search ----------------------------------------------------------------------------------

    private ApiResult Search(ApiCall call)
    {
        var body = call.BodyOrEmpty;
        var pageSize = PageSize(JsonRead.OptInt(body, "page_size", "body"), "body.page_size");
        var cursor = JsonRead.OptString(body, "start_cursor", "body");
        lock (_store.Gate)
        {
            QuerySnapshot snapshot;
            var offset = 0;
            if (cursor is not null)
            {
                if (!_cursors.TryGet(cursor, "search", out snapshot, out offset))
                    throw NotionApiError.Body("body.start_cursor", "should be a cursor returned by a previous search", body["start_cursor"]);
            }
            else
            {
                snapshot = new QuerySnapshot { Owner = "search", Ids = SearchIds(body) };
            }
            var end = Math.Min(offset + pageSize, snapshot.Ids.Count);
            var hasMore = end < snapshot.Ids.Count;
            var next = hasMore ? _cursors.Add(snapshot, end) : null;
            var ctx = Ctx(call);
            var writers = new List<Action<Utf8JsonWriter>>();
            foreach (var itemId in snapshot.Ids.Skip(offset).Take(end - offset))
            {
                if (_store.FindPage(itemId) is { } page) writers.Add(w => NotionRender.WritePage(w, page, ctx));
                else if (_store.FindDataSource(itemId) is { } ds) writers.Add(w => NotionRender.WriteDataSource(w, ds, ctx));
            }
            return List("page_or_data_source", writers, next, hasMore);
        }
    }

    private List<string> SearchIds(JsonObject body)
    {
        var query = JsonRead.OptString(body, "query", "body") ?? "";
        string? objectType = null;
        var wantTrashed = false;
        if (JsonRead.OptObject(body, "filter", "body") is { } filter)
        {
            wantTrashed = JsonRead.OptBool(filter, "in_trash", "body.filter") ?? false;
            if (filter.ContainsKey("value") || filter.ContainsKey("property"))
            {
                var property = JsonRead.OptString(filter, "property", "body.filter");
                if (property != "object") throw NotionApiError.Body("body.filter.property", "should be `\"object\"`", filter["property"]);
                objectType = JsonRead.OptString(filter, "value", "body.filter");
                if (objectType is not ("page" or "data_source"))
                    throw NotionApiError.Body("body.filter.value", "should be `\"page\"` or `\"data_source\"`", filter["value"]);
            }
        }
        var descending = true;
        if (JsonRead.OptObject(body, "sort", "body") is { } sort)
        {
            var direction = JsonRead.OptString(sort, "direction", "body.sort") ?? "descending";
            if (direction is not ("ascending" or "descending"))
                throw NotionApiError.Body("body.sort.direction", "should be `\"ascending\"` or `\"descending\"`", sort["direction"]);
            var timestamp = JsonRead.OptString(sort, "timestamp", "body.sort");
            if (timestamp is not null and not "last_edited_time")
                throw NotionApiError.Body("body.sort.timestamp", "should be `\"last_edited_time\"`", sort["timestamp"]);
            descending = direction == "descending";
        }
        var found = new List<(string Id, DateTimeOffset Edited, long Seq)>();
        if (objectType is null or "page")
            foreach (var p in _store.Pages.Values)
                if (p.Accessible && p.InTrash == wantTrashed && _store.PageTitle(p).Contains(query, StringComparison.OrdinalIgnoreCase))
                    found.Add((p.Id, p.LastEdited, p.Seq));
        if (objectType is null or "data_source")
            foreach (var ds in _store.DataSources.Values)
                if (ds.Database.Accessible && ds.InTrash == wantTrashed && NotionRichText.Plain(ds.Title).Contains(query, StringComparison.OrdinalIgnoreCase))
                    found.Add((ds.Id, ds.LastEdited, ds.Seq));
        var ordered = descending
            ? found.OrderByDescending(f => f.Edited).ThenByDescending(f => f.Seq)
            : found.OrderBy(f => f.Edited).ThenBy(f => f.Seq);
        return ordered.Select(f => f.Id).ToList();
    }
}
