using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.DataSurface.Databricks;

/// <summary>
/// Runs SQL on a Databricks SQL warehouse through the SQL Statement Execution API
/// (<c>POST /api/2.0/sql/statements</c>, then <c>GET /api/2.0/sql/statements/{id}</c> while the statement
/// is PENDING or RUNNING). Every call goes through the shared <see cref="ResilientHttpPipeline"/>.
/// Values are always bound as named parameters; results come back inline as JSON arrays.
/// </summary>
public sealed class DatabricksSqlClient : IDisposable
{
    private const string StatementsPath = "api/2.0/sql/statements";

    private readonly DatabricksSettings _settings;
    private readonly Uri _base;
    private readonly string _token;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly HttpMessageInvoker _invoker;
    private readonly ResilientHttpPipeline _pipeline;

    public DatabricksSqlClient(DatabricksSettings settings, HttpMessageHandler? handler = null, TimeProvider? time = null, SecretRedactor? redactor = null)
    {
        _settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        _token = settings.Token!;
        _redactor = redactor ?? new SecretRedactor();
        _redactor.Register(_token);
        _time = time ?? TimeProvider.System;
        var host = settings.Host!.ToString();
        _base = new Uri(host.EndsWith("/", StringComparison.Ordinal) ? host : host + "/");
        _invoker = new HttpMessageInvoker(handler ?? new HttpClientHandler(), disposeHandler: handler is null);
        var resilience = settings.Resilience;
        _pipeline = new ResilientHttpPipeline("Databricks", _invoker, resilience,
            RequestPacer.ForKey("Databricks " + _base.GetLeftPart(UriPartial.Authority), resilience.RequestsPerSecond, resilience.Burst, _time),
            _time, HttpTraceWriter.FromEnvironment(_redactor), _redactor);
    }

    /// <summary>Request counters of this client.</summary>
    public HttpStatistics Statistics => _pipeline.Statistics;

    /// <summary>The settings in force (validated).</summary>
    public DatabricksSettings Settings => _settings;

    /// <summary>
    /// Runs one statement to completion and returns its first result chunk. <paramref name="label"/> names
    /// the statement in messages (never values). Throws <see cref="DatabricksStatementException"/> for
    /// FAILED, CANCELED and timeouts, <see cref="DatabricksApiException"/> when the API refuses the call.
    /// Every statement this module sends is safe to repeat (CREATE IF NOT EXISTS, MERGE, SELECT), so
    /// transport failures are retried.
    /// </summary>
    public async Task<DatabricksStatementResult> ExecuteAsync(string label, string statement, IReadOnlyList<DatabricksParameter>? parameters, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(statement)) throw new ArgumentException("The statement is empty.", nameof(statement));
        parameters ??= Array.Empty<DatabricksParameter>();
        if (parameters.Count > DatabricksSettings.MaxParameters)
            throw new OberaConnectException("DatabricksTooManyParameters", FailureKind.InvalidInput,
                $"{label}: {parameters.Count} parameters, more than the {DatabricksSettings.MaxParameters} a statement may bind.");
        var body = BuildRequestBody(statement, parameters);
        if (body.Length > DatabricksSettings.MaxStatementBytes)
            throw new OberaConnectException("DatabricksStatementTooLarge", FailureKind.InvalidInput,
                $"{label}: the request is {body.Length / 1024} KiB, more than the {DatabricksSettings.MaxStatementBytes / 1024 / 1024} MiB the API accepts. Lower MaxBatchBytes.");

        var started = _time.GetUtcNow();
        var response = await _pipeline.SendAsync(() =>
        {
            var request = NewRequest(HttpMethod.Post, StatementsPath);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return request;
        }, RequestSafety.Idempotent, cancellationToken).ConfigureAwait(false);
        var status = ParseStatement(label, response);

        var delay = _settings.PollInterval;
        while (status.State is "PENDING" or "RUNNING")
        {
            var remaining = started + _settings.StatementTimeout - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                await CancelQuietlyAsync(status.StatementId).ConfigureAwait(false);
                throw new DatabricksStatementException("DatabricksStatementTimedOut", FailureKind.Timeout, status.StatementId, status.State, null, null,
                    $"{label} was still {status.State} after {_settings.StatementTimeout.TotalMinutes:0.#} min and was cancelled (statement {status.StatementId}). " +
                    "Check that the SQL warehouse is running and not queued, or raise StatementTimeout.");
            }
            try
            {
                await _time.Delay(delay < remaining ? delay : remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelQuietlyAsync(status.StatementId).ConfigureAwait(false);
                throw;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxPollInterval.Ticks));
            var id = status.StatementId;
            response = await _pipeline.SendAsync(() => NewRequest(HttpMethod.Get, StatementsPath + "/" + Uri.EscapeDataString(id)),
                RequestSafety.Idempotent, cancellationToken).ConfigureAwait(false);
            status = ParseStatement(label, response);
        }

        switch (status.State)
        {
            case "SUCCEEDED":
            case "CLOSED":
                return status;
            case "FAILED":
                throw new DatabricksStatementException("DatabricksStatementFailed", Classify(status.ErrorCode), status.StatementId, status.State, status.ErrorCode, status.SqlState,
                    $"{label} failed on the SQL warehouse ({Describe(status)}): {_redactor.Redact(status.ErrorMessage ?? "no message")} (statement {status.StatementId}).");
            case "CANCELED":
                throw new DatabricksStatementException("DatabricksStatementCanceled", FailureKind.ServiceUnavailable, status.StatementId, status.State, status.ErrorCode, status.SqlState,
                    $"{label} was cancelled on the SQL warehouse (statement {status.StatementId}){(status.ErrorMessage is null ? "" : ": " + _redactor.Redact(status.ErrorMessage))}. Run it again.");
            default:
                throw new DatabricksStatementException("DatabricksStatementStateUnknown", FailureKind.Unknown, status.StatementId, status.State, null, null,
                    $"{label} ended in a state this module does not know ({_redactor.Redact(status.State)}, statement {status.StatementId}).");
        }
    }

    private static string Describe(DatabricksStatementResult status)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(status.ErrorCode)) parts.Add(status.ErrorCode!);
        if (!string.IsNullOrEmpty(status.SqlState)) parts.Add("SQLSTATE " + status.SqlState);
        return parts.Count == 0 ? "no error code" : string.Join(", ", parts);
    }

    private static FailureKind Classify(string? errorCode) => errorCode switch
    {
        "UNAUTHENTICATED" => FailureKind.Authentication,
        "PERMISSION_DENIED" => FailureKind.PermissionDenied,
        "NOT_FOUND" => FailureKind.NotFound,
        "TEMPORARILY_UNAVAILABLE" or "SERVICE_UNDER_MAINTENANCE" or "WORKSPACE_TEMPORARILY_UNAVAILABLE" or "RESOURCE_EXHAUSTED" => FailureKind.ServiceUnavailable,
        "DEADLINE_EXCEEDED" => FailureKind.Timeout,
        _ => FailureKind.InvalidState,
    };

    private async Task CancelQuietlyAsync(string statementId)
    {
        // Best effort, bounded: the statement would otherwise keep the warehouse busy after we gave up on it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _pipeline.SendAsync(() => NewRequest(HttpMethod.Post, StatementsPath + "/" + Uri.EscapeDataString(statementId) + "/cancel"),
                RequestSafety.Idempotent, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OberaConnectException or OperationCanceledException)
        {
            // Nothing more to do: the warehouse ends abandoned statements itself.
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private byte[] BuildRequestBody(string statement, IReadOnlyList<DatabricksParameter> parameters)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: page text stays UTF-8 rather than \uXXXX (the body is JSON over HTTP, never HTML).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("warehouse_id", _settings.WarehouseId);
            json.WriteString("statement", statement);
            json.WriteString("wait_timeout", ((int)_settings.WaitTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s");
            json.WriteString("on_wait_timeout", "CONTINUE");
            json.WriteString("disposition", "INLINE");
            json.WriteString("format", "JSON_ARRAY");
            if (parameters.Count > 0)
            {
                json.WriteStartArray("parameters");
                foreach (var p in parameters)
                {
                    json.WriteStartObject();
                    json.WriteString("name", p.Name);
                    if (p.Value is null) json.WriteNull("value"); else json.WriteString("value", p.Value);
                    if (p.Type != null) json.WriteString("type", p.Type);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private DatabricksStatementResult ParseStatement(string label, ApiResponse response)
    {
        if (!response.IsSuccess) throw ApiError(label, response);
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            var id = root.TryGetProperty("statement_id", out var idEl) && idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : "";
            string state = "", errorCode = "", sqlState = "";
            string? message = null;
            if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object)
            {
                state = Text(status, "state") ?? "";
                sqlState = Text(status, "sql_state") ?? "";
                if (status.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    errorCode = Text(error, "error_code") ?? "";
                    message = Text(error, "message");
                    if (sqlState.Length == 0) sqlState = Text(error, "sql_state") ?? "";
                }
            }
            if (id.Length == 0 || state.Length == 0)
                throw new DatabricksApiException("DatabricksResponseInvalid", FailureKind.Unknown, response.StatusCode, null,
                    $"{label}: the SQL Statement Execution API answered without a statement id or state. Check that the host is a Databricks workspace URL.");

            var columns = new List<string>();
            if (root.TryGetProperty("manifest", out var manifest) && manifest.ValueKind == JsonValueKind.Object
                && manifest.TryGetProperty("schema", out var schema) && schema.TryGetProperty("columns", out var cols) && cols.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in cols.EnumerateArray()) columns.Add(Text(c, "name") ?? "");
            }
            var rows = new List<IReadOnlyList<string?>>();
            if (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("data_array", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var row in data.EnumerateArray())
                {
                    var values = new List<string?>();
                    if (row.ValueKind == JsonValueKind.Array)
                        foreach (var v in row.EnumerateArray())
                            values.Add(v.ValueKind == JsonValueKind.Null ? null : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText());
                    rows.Add(values);
                }
            }
            return new DatabricksStatementResult(id, state, errorCode.Length == 0 ? null : errorCode, sqlState.Length == 0 ? null : sqlState, message, columns, rows);
        }
        catch (JsonException)
        {
            throw new DatabricksApiException("DatabricksResponseInvalid", FailureKind.Unknown, response.StatusCode, null,
                $"{label}: the SQL Statement Execution API answered HTTP {response.StatusCode} with a body that is not JSON. Check that the host is a Databricks workspace URL.");
        }
    }

    private DatabricksApiException ApiError(string label, ApiResponse response)
    {
        string? code = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            code = Text(doc.RootElement, "error_code");
            message = Text(doc.RootElement, "message");
        }
        catch (JsonException)
        {
            // Not JSON (a proxy page): the status alone says enough.
        }
        var said = message is null ? "" : ": " + _redactor.Redact(message);
        var s = response.StatusCode;
        return s switch
        {
            401 => new DatabricksApiException("DatabricksUnauthorized", FailureKind.Authentication, s, code,
                $"{label}: Databricks refused the token (HTTP 401{said}). Create a new token and store it in the vault; tokens expire."),
            403 => new DatabricksApiException("DatabricksForbidden", FailureKind.PermissionDenied, s, code,
                $"{label}: the token may not use this warehouse or schema (HTTP 403{said}). Grant CAN USE on the warehouse and USE/MODIFY on the schema."),
            404 => new DatabricksApiException("DatabricksNotFound", FailureKind.NotFound, s, code,
                $"{label}: not found (HTTP 404{said}). Check the workspace URL and the SQL warehouse id."),
            429 => new DatabricksApiException("DatabricksRateLimited", FailureKind.RateLimited, s, code,
                $"{label}: Databricks kept asking to slow down (HTTP 429{said}). Try again later."),
            >= 500 => new DatabricksApiException("DatabricksServiceError", FailureKind.ServiceUnavailable, s, code,
                $"{label}: Databricks failed (HTTP {s}{said}). Try again later; check the workspace status."),
            _ => new DatabricksApiException("DatabricksBadRequest", FailureKind.InvalidInput, s, code,
                $"{label}: Databricks refused the request (HTTP {s}{(code is null ? "" : " " + code)}{said})."),
        };
    }

    private static string? Text(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => _invoker.Dispose();
}

/// <summary>A statement's final status and its first chunk of inline results (all values as text).</summary>
public sealed class DatabricksStatementResult
{
    public DatabricksStatementResult(string statementId, string state, string? errorCode, string? sqlState, string? errorMessage,
        IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        StatementId = statementId;
        State = state;
        ErrorCode = errorCode;
        SqlState = sqlState;
        ErrorMessage = errorMessage;
        Columns = columns;
        Rows = rows;
    }

    public string StatementId { get; }
    public string State { get; }
    public string? ErrorCode { get; }
    public string? SqlState { get; }
    public string? ErrorMessage { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<IReadOnlyList<string?>> Rows { get; }

    /// <summary>The value of a named column in the first row, or null.</summary>
    public string? FirstRowValue(string column)
    {
        if (Rows.Count == 0) return null;
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
                return i < Rows[0].Count ? Rows[0][i] : null;
        }
        return null;
    }
}
