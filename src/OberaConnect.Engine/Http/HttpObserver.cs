using System.Globalization;
using System.Text;
using System.Text.Json;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Http;

/// <summary>
/// What a host wants to hear of the HTTP exchanges made on its behalf: each exchange as redacted, shortened text (for
/// -Debug) and each wait a service asked for with 429 / Retry-After (for progress). A cmdlet makes one per invocation
/// and <see cref="Observe"/>s the engine work it starts: the observer flows with that work (and the tasks it starts)
/// through an AsyncLocal, so every client (Notion, UniFi, NinjaOne, Key Vault, Databricks) reports without being told,
/// and work not observed costs nothing. The callbacks run on the engine's threads and must only queue.
/// </summary>
public sealed class HttpObserver
{
    private static readonly AsyncLocal<HttpObserver?> Current = new();

    /// <param name="exchange">Receives each exchange as text; null when exchanges are not wanted (no -Debug).</param>
    /// <param name="rateLimitWait">Receives each wait a service asked for; null when not wanted.</param>
    public HttpObserver(Action<string>? exchange, Action<RateLimitWait>? rateLimitWait)
    {
        Exchange = exchange;
        RateLimitWait = rateLimitWait;
    }

    /// <summary>Receives each exchange as text, or null.</summary>
    public Action<string>? Exchange { get; }

    /// <summary>Receives each wait a service asked for, or null.</summary>
    public Action<RateLimitWait>? RateLimitWait { get; }

    /// <summary>Bodies are cut to this many characters in <see cref="Exchange"/> text (the trace file keeps more).</summary>
    public const int MaxBodyChars = 2000;

    /// <summary>
    /// Makes <paramref name="observer"/> the observer of the work started until the scope is disposed (a Task.Run
    /// started inside takes it along). Disposing restores the previous one. A null observer observes nothing.
    /// </summary>
    public static IDisposable Observe(HttpObserver? observer)
    {
        var previous = Current.Value;
        Current.Value = observer;
        return new Scope(previous);
    }

    /// <summary>The observer of the current work, or null.</summary>
    internal static HttpObserver? Active => Current.Value;

    /// <summary>
    /// One exchange as text: "HTTP Notion POST https://.../query -> 200 OK in 123 ms (attempt 1, request id ...)", then
    /// the request and response bodies, redacted with <paramref name="redactor"/> and cut (<see cref="HttpExchangeText"/>).
    /// </summary>
    internal static string Describe(string service, string method, string url, int? status, TimeSpan duration, int attempt, string? requestId,
        string? requestBody, string? responseBody, string? error, SecretRedactor redactor)
    {
        var text = new StringBuilder();
        text.Append("HTTP ").Append(service).Append(' ').Append(method).Append(' ').Append(redactor.Redact(url)).Append(" -> ");
        text.Append(status is int s ? s.ToString(CultureInfo.InvariantCulture) + " " + ApiResponse.StatusText(s) : "no response");
        text.Append(" in ").Append(Math.Round(duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append(" ms (attempt ")
            .Append(attempt.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(requestId)) text.Append(", request id ").Append(requestId);
        text.Append(')');
        if (error != null) text.Append("\n  error: ").Append(redactor.Redact(error));
        var secretStore = service == KeyVaultSecretProvider.ServiceName;
        if (requestBody is { Length: > 0 }) text.Append("\n  request: ").Append(HttpExchangeText.Body(redactor, requestBody, secretStore, MaxBodyChars));
        if (responseBody is { Length: > 0 }) text.Append("\n  response: ").Append(HttpExchangeText.Body(redactor, responseBody, secretStore, MaxBodyChars));
        return text.ToString();
    }

    /// <summary>
    /// The request id a service gave its answer, for a support case: a header (x-request-id, Azure's x-ms-request-id), else
    /// the top-level "request_id" Notion puts in its JSON bodies; null when there is none.
    /// </summary>
    internal static string? RequestId(IReadOnlyDictionary<string, string> headers, string? body)
    {
        foreach (var name in RequestIdHeaders)
            if (headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)) return value;
        if (body is null || body.Length == 0 || body[0] != '{') return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly string[] RequestIdHeaders = { "x-request-id", "x-ms-request-id", "request-id", "x-correlation-id" };

    private sealed class Scope : IDisposable
    {
        private readonly HttpObserver? _previous;
        private bool _disposed;

        public Scope(HttpObserver? previous) => _previous = previous;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Current.Value = _previous;
        }
    }
}

/// <summary>A wait a service asked for (429 or 529 with Retry-After, or the pipeline's own backoff after one).</summary>
public sealed class RateLimitWait
{
    public RateLimitWait(string service, TimeSpan delay, int status, bool retryAfterSent)
    {
        Service = service;
        Delay = delay;
        Status = status;
        RetryAfterSent = retryAfterSent;
    }

    /// <summary>The service, for example "Notion".</summary>
    public string Service { get; }

    /// <summary>How long the request waits before it is sent again.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The status that asked for it: 429 or 529.</summary>
    public int Status { get; }

    /// <summary>True when the service said how long (Retry-After); false when the pipeline's backoff chose.</summary>
    public bool RetryAfterSent { get; }

    /// <summary>"Notion asked to slow down (429 Too Many Requests): waiting 2.0 s, as its Retry-After says".</summary>
    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0} asked to slow down ({1} {2}): waiting {3:0.0} s{4}", Service, Status,
            Status == 429 ? "Too Many Requests" : "Overloaded", Delay.TotalSeconds, RetryAfterSent ? ", as its Retry-After says" : "");
}

/// <summary>The text of a request or response body in a trace line or a debug message: secrets masked, then cut.</summary>
internal static class HttpExchangeText
{
    public static string Body(SecretRedactor redactor, string body, bool secretStore, int maxChars)
    {
        var text = secretStore ? redactor.RedactSecretStoreBody(body) : redactor.Redact(body);
        return text.Length > maxChars ? text.Substring(0, maxChars) + $"…[{text.Length - maxChars} more characters]" : text;
    }
}
