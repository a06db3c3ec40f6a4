using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// Typed, paced and retrying client of the Notion API (versions 2025-09-03 and 2026-03-11): databases and
/// their data sources, windowed queries past the 10,000-row cap, pages with typed property values,
/// block children, search and the bot user. Every request goes through the shared
/// <see cref="ResilientHttpPipeline"/> (process-wide pacing at 3 requests/s, retries honouring
/// Retry-After, breaker, trace). Limits are checked before sending; creates and appends whose answer
/// is lost are settled by looking the record up instead of writing it twice. Errors are typed
/// (<see cref="NotionApiException"/> and subclasses). Thread-safe; one instance per token.
/// </summary>
public sealed partial class NotionClient : IDisposable
{
    private static readonly HttpMethod Patch = new("PATCH");
    private static readonly ProductInfoHeaderValue UserAgent =
        new("OberaConnect.PowerShell", typeof(NotionClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly string _token;
    private readonly NotionClientOptions _options;
    private readonly Uri _baseUri;
    private readonly HttpMessageInvoker _http;
    private readonly ResilientHttpPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;

    // Database id (or data source id) → data source id, resolved once per client.
    private readonly ConcurrentDictionary<string, string> _dataSourceIds = new(StringComparer.Ordinal);

    /// <param name="token">The integration's secret (never written anywhere; registered with the redactor).</param>
    /// <param name="options">Base URL, version, pacing; null for the defaults.</param>
    /// <param name="handler">HTTP handler (tests pass a stub); null for a real one owned by the client.</param>
    /// <param name="time">Clock for pacing, retries and re-checks; null for the system clock.</param>
    /// <param name="redactor">The session's redactor; the token is registered with it.</param>
    public NotionClient(string token, NotionClientOptions? options = null, HttpMessageHandler? handler = null,
        TimeProvider? time = null, SecretRedactor? redactor = null)
    {
        if (string.IsNullOrWhiteSpace(token))
            throw new OberaConnectException("NotionTokenMissing", FailureKind.Configuration,
                "No Notion token was given. Set NOTION_TOKEN or the Key Vault secret named in the configuration to the integration's Internal Integration Secret.");
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new OberaConnectException("NotionTokenInvalid", FailureKind.Configuration,
                "The Notion token contains spaces or line breaks; copy the Internal Integration Secret again without surrounding text.");
        _token = token;
        _options = (options ?? new NotionClientOptions()).Clone();
        _baseUri = _options.Validate();
        _time = time ?? TimeProvider.System;
        _redactor = redactor ?? new SecretRedactor();
        _redactor.Register(token);
        _http = handler is null ? new HttpMessageInvoker(new HttpClientHandler(), disposeHandler: true) : new HttpMessageInvoker(handler, disposeHandler: false);

        var r = _options.Resilience;
        // Notion's rate limit is per integration: every client with the same token shares one pacer, in the process and,
        // given a folder, with the other processes of the machine. The key holds a hash of the token, never the token.
        var pacer = RequestPacer.ForKey("notion " + _baseUri.AbsoluteUri + " " + Sources.SourceHttp.Fingerprint(token), r.RequestsPerSecond, r.Burst, _time,
            _options.SharedBudgetDirectory);
        var trace = _options.TraceFile is { Length: > 0 } file ? new HttpTraceWriter(file, _redactor) : HttpTraceWriter.FromEnvironment(_redactor);
        _pipeline = new ResilientHttpPipeline("Notion", _http, r, pacer, _time, trace, _redactor);
    }

    /// <summary>The API root requests go to.</summary>
    public Uri BaseUrl => _baseUri;

    /// <summary>The Notion-Version sent.</summary>
    public string NotionVersion => _options.NotionVersion;

    /// <summary>The pacer of this client's requests (shared by clients with the same token).</summary>
    public RequestPacer Pacer => _pipeline.Pacer;

    /// <summary>Requests sent, 429s received, retries and failures: for "requests made" in results and metrics.</summary>
    public HttpStatistics Statistics => _pipeline.Statistics;

    /// <summary>The redactor holding the token; pass it on to anything that logs text from Notion.</summary>
    public SecretRedactor Redactor => _redactor;

    public void Dispose() => _http.Dispose();

    // ---------------------------------------------------------------- transport

    /// <summary>Sends one logical request and parses the answer; maps non-2xx to typed errors.</summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonNode? body, RequestSafety safety, string target,
        Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        string? text = null;
        if (body != null)
        {
            text = Json.Serialize(body);
            var bytes = Json.Utf8Length(text);
            if (bytes > NotionLimits.RequestBytes)
                throw new NotionLimitException(target, "the size of one request in bytes", NotionLimits.RequestBytes, bytes,
                    "Send less at once: shorten long text values or move them into the page body.");
        }
        var uri = new Uri(_baseUri, path);
        var response = await _pipeline.SendAsync(() => CreateRequest(method, uri, text), safety, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
            throw NotionApiException.FromResponse(response.StatusCode, response.Body, response.Headers, target, _redactor,
                response.RateLimitWaitExhausted ? response.RateLimitWait : null, response.RateLimitWaitExhausted ? _pipeline.Options.MaxRateLimitWait : null);
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
            return parse(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new NotionUnexpectedResponseException(response.StatusCode,
                $"Notion answered HTTP {response.StatusCode} for {target}, but the body is not the expected JSON object " +
                "(is BaseUrl pointing at Notion, and is no proxy rewriting answers?).", ex);
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, string? body)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.TryAddWithoutValidation("Notion-Version", _options.NotionVersion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(UserAgent);
        if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    private static T As<T>(JsonElement e, string what) where T : NotionObject
        => NotionObject.Parse(e) as T ?? throw new JsonException($"expected {what}, got object \"{Json.Str(e, "object")}\"");

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Walks a paginated GET endpoint (cursor in the query string).</summary>
    private async IAsyncEnumerable<NotionObject> PaginateGetAsync(string path, string target,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        var separator = path.IndexOf('?') >= 0 ? "&" : "?";
        do
        {
            var url = path + separator + "page_size=" + NotionLimits.PageSize + (cursor is null ? "" : "&start_cursor=" + Escape(cursor));
            var list = await SendAsync(HttpMethod.Get, url, null, RequestSafety.Idempotent, target, e => As<NotionList>(e, "a list"), cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in list.Results) yield return item;
            cursor = list.HasMore ? list.NextCursor : null;
        } while (cursor != null);
    }

    // ---------------------------------------------------------------- users

    /// <summary>The integration's bot user (<c>GET /v1/users/me</c>): a cheap check that the token works.</summary>
    public Task<NotionUser> GetMeAsync(CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Get, "v1/users/me", null, RequestSafety.Idempotent, "the integration's own user (users/me)",
            e => As<NotionUser>(e, "a user"), cancellationToken);

    // ---------------------------------------------------------------- search

    /// <summary>
    /// Pages and/or data sources shared with the integration whose title matches <paramref name="query"/>
    /// (<c>POST /v1/search</c>), streamed 100 at a time. Results are <see cref="NotionPage"/> or <see cref="NotionDataSource"/>.
    /// </summary>
    public async IAsyncEnumerable<NotionObject> SearchAsync(string? query = null, NotionSearchKind kind = NotionSearchKind.All,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var body = new JsonObject { ["page_size"] = NotionLimits.PageSize };
            if (!string.IsNullOrEmpty(query)) body["query"] = query;
            if (kind != NotionSearchKind.All)
                body["filter"] = new JsonObject { ["property"] = "object", ["value"] = kind == NotionSearchKind.Pages ? "page" : "data_source" };
            if (cursor != null) body["start_cursor"] = cursor;
            var list = await SendAsync(HttpMethod.Post, "v1/search", body, RequestSafety.Idempotent, "search", e => As<NotionList>(e, "a list"), cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in list.Results) yield return item;
            cursor = list.HasMore ? list.NextCursor : null;
        } while (cursor != null);
    }

    // ---------------------------------------------------------------- lost answers

    /// <summary>
    /// Sends a create or append; when its answer is lost (<see cref="RequestOutcomeUnknownException"/>), looks
    /// for the result with <paramref name="find"/> (several paced looks, for Notion's indexing delay) and returns
    /// it, or sends again only when it was not found — at most <see cref="NotionClientOptions.MaxWriteAttempts"/> sends.
    /// Without <paramref name="find"/> a lost answer is a <see cref="NotionOutcomeUnknownException"/>.
    /// </summary>
    private async Task<(T Value, CreateOutcome Outcome, int Sends)> WriteOnceAsync<T>(string operation,
        Func<CancellationToken, Task<T>> send, Func<DateTimeOffset, CancellationToken, Task<T?>>? find, string? checkDescription,
        CancellationToken cancellationToken) where T : class
    {
        var sends = 0;
        while (true)
        {
            var sentAt = _time.GetUtcNow();
            sends++;
            try
            {
                var value = await send(cancellationToken).ConfigureAwait(false);
                return (value, sends == 1 ? CreateOutcome.Created : CreateOutcome.CreatedAfterRetry, sends);
            }
            catch (RequestOutcomeUnknownException lost)
            {
                if (find is null)
                    throw new NotionOutcomeUnknownException(operation,
                        $"Notion: {operation} was sent but the answer was lost ({lost.Message}). It may or may not have been applied. " +
                        "It was not sent again because no duplicate check was given: look for it (or journal it) before writing it again.", lost);

                T? found;
                try
                {
                    found = await LookForAsync(find, sentAt, cancellationToken).ConfigureAwait(false);
                }
                catch (OberaConnectException checkFailed)
                {
                    throw new NotionOutcomeUnknownException(operation,
                        $"Notion: {operation} was sent but the answer was lost, and looking for the result ({checkDescription}) failed too: " +
                        $"{checkFailed.Message} Look for it before writing it again.", checkFailed);
                }
                if (found != null) return (found, CreateOutcome.Recovered, sends);
                if (sends >= _options.MaxWriteAttempts)
                    throw new NotionOutcomeUnknownException(operation,
                        $"Notion: {operation} was sent {sends} times and each answer was lost; after each, {checkDescription} was looked for and not found. " +
                        "Notion seems to be failing: run it again later.", lost);
            }
        }
    }

    private async Task<T?> LookForAsync<T>(Func<DateTimeOffset, CancellationToken, Task<T?>> find, DateTimeOffset sentAt, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; attempt < _options.DuplicateCheckAttempts; attempt++)
        {
            if (attempt > 0 && _options.DuplicateCheckInterval > TimeSpan.Zero)
                await _time.Delay(_options.DuplicateCheckInterval, cancellationToken).ConfigureAwait(false);
            var found = await find(sentAt, cancellationToken).ConfigureAwait(false);
            if (found != null) return found;
        }
        return null;
    }

    /// <summary>
    /// Objects created by a lost request are at most this much older than our send time: Notion's block
    /// timestamps are minute-granular and its clock is not ours.
    /// </summary>
    private static readonly TimeSpan RecentSlack = TimeSpan.FromMinutes(5);

    private static bool IsRecent(DateTimeOffset? created, DateTimeOffset sentAt) => created is null || created.Value >= sentAt - RecentSlack;
}
