using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OberaConnect.Fakes.Databricks;

/// <summary>One statement the fake received, as sent.</summary>
public sealed class RecordedStatement
{
    public string Id { get; init; } = "";
    public string WarehouseId { get; init; } = "";
    public string Statement { get; init; } = "";
    public string? WaitTimeout { get; init; }
    public string? OnWaitTimeout { get; init; }
    public string? Disposition { get; init; }
    public string? Format { get; init; }
    public IReadOnlyList<(string Name, string? Value, string? Type)> Parameters { get; init; } = Array.Empty<(string, string?, string?)>();
    public int RequestBytes { get; init; }

    public string? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name).Value;
}

/// <summary>A scripted failure: the statement reaches FAILED with this error.</summary>
public sealed record FakeStatementError(string ErrorCode, string Message, string? SqlState = null);

/// <summary>
/// A loopback fake of the Databricks SQL Statement Execution API (<c>POST /api/2.0/sql/statements</c>,
/// <c>GET /api/2.0/sql/statements/{id}</c>, <c>POST .../{id}/cancel</c>) on Kestrel, 127.0.0.1, port 0.
/// It checks the bearer token and the warehouse id, records every statement, checks what the real API
/// checks (wait_timeout range, at most 256 parameters, 16 MiB, every <c>:marker</c> bound, no <c>?</c>
/// markers), can answer PENDING/RUNNING for a number of polls before SUCCEEDED, and fails statements on
/// demand. It also emulates the two bronze tables the export writes (CREATE TABLE, MERGE of the
/// <c>:pages</c> JSON batch with Databricks' MERGE metrics, the watermark MERGE and SELECT), so tests
/// see real round trips.
/// </summary>
public sealed class DatabricksFake : IAsyncDisposable
{
    public const int MaxParameters = 256;
    public const int MaxStatementBytes = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StatementState> _statements = new();
    private readonly object _tableGate = new();
    private int _nextId;

    private DatabricksFake(WebApplication app, string token, string warehouseId)
    {
        _app = app;
        Token = token;
        WarehouseId = warehouseId;
    }

    public string Token { get; }
    public string WarehouseId { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Statements received, in order.</summary>
    public ConcurrentQueue<RecordedStatement> Statements { get; } = new();

    /// <summary>GET polls received.</summary>
    public int Polls => Volatile.Read(ref _polls);
    private int _polls;

    /// <summary>Statement ids a client asked to cancel.</summary>
    public ConcurrentQueue<string> Cancellations { get; } = new();

    /// <summary>Requests refused for a bad or missing token.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);
    private int _unauthorized;

    /// <summary>How many GET polls a statement stays PENDING/RUNNING before it finishes (0: finishes in the POST).</summary>
    public int PendingPolls { get; set; }

    /// <summary>When true, statements stay RUNNING for ever (to test timeouts and cancellation).</summary>
    public bool NeverFinish { get; set; }

    /// <summary>Decides, per statement, a failure to report (null: run it).</summary>
    public Func<RecordedStatement, FakeStatementError?>? FailWhen { get; set; }

    /// <summary>Answers the next N POSTs with this HTTP status first (429/503), to exercise retries.</summary>
    public ConcurrentQueue<HttpStatusCode> NextHttpErrors { get; } = new();

    /// <summary>Tables created (names without backticks, dotted).</summary>
    public HashSet<string> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The emulated page table: (page_id, database_id) → row.</summary>
    public Dictionary<(string PageId, string DatabaseId), JsonObject> Pages { get; } = new();

    /// <summary>The emulated watermark table: database_id → last_edited_time (UTC).</summary>
    public Dictionary<string, DateTimeOffset> Watermarks { get; } = new();

    public static async Task<DatabricksFake> StartAsync(string token = "dapi-fake-token-0123456789", string warehouseId = "abc123def456", int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
        });
        var app = builder.Build();
        var fake = new DatabricksFake(app, token, warehouseId);
        app.MapPost("/api/2.0/sql/statements", (Delegate)fake.SubmitAsync);
        app.MapGet("/api/2.0/sql/statements/{id}", fake.Poll);
        app.MapPost("/api/2.0/sql/statements/{id}/cancel", fake.Cancel);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1"));
        return fake;
    }

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header == "Bearer " + Token) return true;
        Interlocked.Increment(ref _unauthorized);
        return false;
    }

    private static IResult Error(int status, string code, string message)
        => Results.Json(new JsonObject { ["error_code"] = code, ["message"] = message }, statusCode: status);

    private async Task<IResult> SubmitAsync(HttpContext context)
    {
        if (!Authorized(context)) return Error(401, "UNAUTHENTICATED", "Invalid access token.");
        if (NextHttpErrors.TryDequeue(out var forced))
        {
            if ((int)forced == 429) context.Response.Headers.RetryAfter = "1";
            return Error((int)forced, forced == HttpStatusCode.TooManyRequests ? "TOO_MANY_REQUESTS" : "TEMPORARILY_UNAVAILABLE", "Forced by the test.");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(bytes)!.AsObject();
        }
        catch (JsonException)
        {
            return Error(400, "MALFORMED_REQUEST", "Request body is not JSON.");
        }
        var warehouse = (string?)body["warehouse_id"];
        var statement = (string?)body["statement"];
        if (string.IsNullOrEmpty(warehouse) || string.IsNullOrEmpty(statement))
            return Error(400, "INVALID_PARAMETER_VALUE", "warehouse_id and statement are required.");
        if (warehouse != WarehouseId) return Error(404, "RESOURCE_DOES_NOT_EXIST", $"Warehouse {warehouse} does not exist.");
        var wait = (string?)body["wait_timeout"];
        if (wait != null && !ValidWait(wait)) return Error(400, "INVALID_PARAMETER_VALUE", "wait_timeout must be 0s or between 5s and 50s.");
        if (Encoding.UTF8.GetByteCount(statement) > MaxStatementBytes) return Error(400, "INVALID_PARAMETER_VALUE", "Statement is too large.");

        var parameters = new List<(string, string?, string?)>();
        if (body["parameters"] is JsonArray list)
        {
            foreach (var p in list)
            {
                var name = (string?)p?["name"];
                if (string.IsNullOrEmpty(name)) return Error(400, "INVALID_PARAMETER_VALUE", "A parameter has no name.");
                parameters.Add((name, p!["value"] is JsonValue v ? v.GetValue<string>() : null, (string?)p["type"]));
            }
        }
        if (parameters.Count > MaxParameters) return Error(400, "INVALID_PARAMETER_VALUE", $"Too many parameters ({parameters.Count} > {MaxParameters}).");

        var recorded = new RecordedStatement
        {
            Id = "01f0-" + Interlocked.Increment(ref _nextId).ToString("D6", CultureInfo.InvariantCulture),
            WarehouseId = warehouse,
            Statement = statement,
            WaitTimeout = wait,
            OnWaitTimeout = (string?)body["on_wait_timeout"],
            Disposition = (string?)body["disposition"],
            Format = (string?)body["format"],
            Parameters = parameters,
            RequestBytes = bytes.Length,
        };
        Statements.Enqueue(recorded);

        var state = new StatementState(recorded.Id) { RemainingPolls = NeverFinish ? int.MaxValue : PendingPolls };
        state.Final = Execute(recorded);
        _statements[recorded.Id] = state;
        return Results.Json(state.RemainingPolls > 0 || wait == "0s" ? Pending(state, "PENDING") : state.Final);
    }

    private static bool ValidWait(string wait)
    {
        if (!wait.EndsWith('s') || !int.TryParse(wait.AsSpan(0, wait.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return false;
        return s == 0 || (s >= 5 && s <= 50);
    }

    private IResult Poll(HttpContext context, string id)
    {
        if (!Authorized(context)) return Error(401, "UNAUTHENTICATED", "Invalid access token.");
        Interlocked.Increment(ref _polls);
        if (!_statements.TryGetValue(id, out var state)) return Error(404, "RESOURCE_DOES_NOT_EXIST", $"Statement {id} not found.");
        lock (state)
        {
            if (state.Canceled) return Results.Json(Status(id, "CANCELED"));
            if (state.RemainingPolls > 0)
            {
                if (state.RemainingPolls != int.MaxValue) state.RemainingPolls--;
                return Results.Json(Pending(state, "RUNNING"));
            }
        }
        return Results.Json(state.Final);
    }

    private IResult Cancel(HttpContext context, string id)
    {
        if (!Authorized(context)) return Error(401, "UNAUTHENTICATED", "Invalid access token.");
        Cancellations.Enqueue(id);
        if (_statements.TryGetValue(id, out var state)) lock (state) state.Canceled = true;
        return Results.Json(new JsonObject());
    }

    private static JsonObject Status(string id, string state) => new() { ["statement_id"] = id, ["status"] = new JsonObject { ["state"] = state } };

    private static JsonObject Pending(StatementState state, string name) => Status(state.Id, name);

    private static JsonObject Failed(string id, FakeStatementError error)
        => new()
        {
            ["statement_id"] = id,
            ["status"] = new JsonObject
            {
                ["state"] = "FAILED",
                ["sql_state"] = error.SqlState,
                ["error"] = new JsonObject { ["error_code"] = error.ErrorCode, ["message"] = error.Message },
            },
        };

    private static JsonObject Succeeded(string id, string[]? columns = null, IEnumerable<string?[]>? rows = null)
    {
        var response = Status(id, "SUCCEEDED");
        if (columns != null)
        {
            var cols = new JsonArray();
            for (var i = 0; i < columns.Length; i++)
                cols.Add(new JsonObject { ["name"] = columns[i], ["position"] = i, ["type_name"] = "STRING" });
            var data = new JsonArray();
            var count = 0;
            foreach (var row in rows ?? Array.Empty<string?[]>())
            {
                data.Add(new JsonArray(row.Select(v => (JsonNode?)(v is null ? null : JsonValue.Create(v))).ToArray()));
                count++;
            }
            response["manifest"] = new JsonObject
            {
                ["format"] = "JSON_ARRAY",
                ["schema"] = new JsonObject { ["column_count"] = columns.Length, ["columns"] = cols },
                ["total_row_count"] = count,
                ["total_chunk_count"] = 1,
                ["truncated"] = false,
            };
            response["result"] = new JsonObject { ["chunk_index"] = 0, ["row_offset"] = 0, ["row_count"] = count, ["data_array"] = data };
        }
        return response;
    }

    /// <summary>Runs what the fake knows of a statement and returns its final response.</summary>
    private JsonObject Execute(RecordedStatement s)
    {
        if (FailWhen?.Invoke(s) is { } scripted) return Failed(s.Id, scripted);
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlText.Tokenize(s.Statement);
        }
        catch (FormatException ex)
        {
            return Failed(s.Id, new FakeStatementError("BAD_REQUEST", "[PARSE_SYNTAX_ERROR] " + ex.Message, "42601"));
        }
        if (!SqlText.ParenthesesBalance(tokens))
            return Failed(s.Id, new FakeStatementError("BAD_REQUEST", "[PARSE_SYNTAX_ERROR] Unbalanced parentheses.", "42601"));
        if (tokens.Any(t => t.Kind == SqlTokenKind.Symbol && t.Text == "?"))
            return Failed(s.Id, new FakeStatementError("BAD_REQUEST", "Positional parameters are not supported.", "42601"));
        var bound = new HashSet<string>(s.Parameters.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var marker in tokens.Where(t => t.Kind == SqlTokenKind.Parameter))
        {
            if (!bound.Contains(marker.Value))
                return Failed(s.Id, new FakeStatementError("BAD_REQUEST", $"[UNBOUND_SQL_PARAMETER] Found the unbound parameter: {marker.Value}.", "42P02"));
        }

        lock (_tableGate)
        {
            if (tokens.Count >= 2 && tokens[0].IsWord("CREATE") && tokens[1].IsWord("TABLE"))
            {
                var at = tokens.Count > 5 && tokens[2].IsWord("IF") ? 5 : 2;
                Tables.Add(SqlText.QualifiedNameAt(tokens, at).Name);
                return Succeeded(s.Id);
            }
            if (tokens.Count >= 3 && tokens[0].IsWord("MERGE") && tokens[1].IsWord("INTO"))
            {
                var target = SqlText.QualifiedNameAt(tokens, 2).Name;
                if (!Tables.Contains(target))
                    return Failed(s.Id, new FakeStatementError("BAD_REQUEST", $"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{target}` cannot be found.", "42P01"));
                if (s.Parameter("pages") is { } pages) return MergePages(s, pages);
                if (s.Parameter("database_id") is { } db && s.Parameter("last_edited_time") is { } wm)
                {
                    var value = DateTimeOffset.Parse(wm, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    var inserted = !Watermarks.TryGetValue(db, out var old);
                    var updated = !inserted && value > old;
                    if (inserted || updated) Watermarks[db] = value;
                    return MergeMetrics(s.Id, inserted ? 1 : 0, updated ? 1 : 0);
                }
                return Succeeded(s.Id);
            }
            if (tokens.Count > 0 && tokens[0].IsWord("SELECT") && s.Parameter("database_id") is { } database)
            {
                var from = SqlText.IndexOfTopLevelWord(tokens, "FROM");
                var table = from < 0 ? "" : SqlText.QualifiedNameAt(tokens, from + 1).Name;
                if (!Tables.Contains(table))
                    return Failed(s.Id, new FakeStatementError("BAD_REQUEST", $"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{table}` cannot be found.", "42P01"));
                var rows = Watermarks.TryGetValue(database, out var w)
                    ? new[] { new string?[] { w.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) } }
                    : Array.Empty<string?[]>();
                return Succeeded(s.Id, new[] { "last_edited_ms" }, rows);
            }
        }
        return Succeeded(s.Id);
    }

    private JsonObject MergePages(RecordedStatement s, string pagesJson)
    {
        JsonArray rows;
        try
        {
            rows = JsonNode.Parse(pagesJson)!.AsArray();
        }
        catch (JsonException ex)
        {
            return Failed(s.Id, new FakeStatementError("BAD_REQUEST", "[MALFORMED_RECORD_IN_PARSING] " + ex.Message, "22023"));
        }
        var seen = new HashSet<(string, string)>();
        int inserted = 0, updated = 0;
        foreach (var node in rows)
        {
            var row = node!.AsObject();
            var key = ((string)row["page_id"]!, (string)row["database_id"]!);
            if (!seen.Add(key))
                return Failed(s.Id, new FakeStatementError("BAD_REQUEST",
                    "[DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE] Cannot perform Merge as multiple source rows matched.", "21506"));
            if (!Pages.TryGetValue(key, out var existing))
            {
                Pages[key] = (JsonObject)row.DeepClone();
                inserted++;
            }
            else if ((string?)existing["raw_json"] != (string?)row["raw_json"] || (bool?)existing["in_trash"] != (bool?)row["in_trash"])
            {
                Pages[key] = (JsonObject)row.DeepClone();
                updated++;
            }
        }
        return MergeMetrics(s.Id, inserted, updated);
    }

    private static JsonObject MergeMetrics(string id, int inserted, int updated)
        => Succeeded(id, new[] { "num_affected_rows", "num_updated_rows", "num_deleted_rows", "num_inserted_rows" },
            new[] { new string?[] { (inserted + updated).ToString(CultureInfo.InvariantCulture), updated.ToString(CultureInfo.InvariantCulture), "0", inserted.ToString(CultureInfo.InvariantCulture) } });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class StatementState
    {
        public StatementState(string id) => Id = id;
        public string Id { get; }
        public int RemainingPolls { get; set; }
        public bool Canceled { get; set; }
        public JsonObject Final { get; set; } = new();
    }
}
