using System.Net;

namespace OberaConnect.Engine.Http;

/// <summary>The final answer of a service to one logical request, after pacing and retries.</summary>
public sealed class ApiResponse
{
    public ApiResponse(int statusCode, string body, IReadOnlyDictionary<string, string> headers, int attempts, TimeSpan elapsed)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers;
        Attempts = attempts;
        Elapsed = elapsed;
    }

    /// <summary>HTTP status code of the last attempt.</summary>
    public int StatusCode { get; }

    /// <summary>Response body as text (the services we call answer JSON).</summary>
    public string Body { get; }

    /// <summary>Response headers (first value of each), case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>How many attempts it took.</summary>
    public int Attempts { get; }

    /// <summary>Wall time of the whole logical request, including waits.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How long this request waited on 429/529 answers (their Retry-After), in total.</summary>
    public TimeSpan RateLimitWait { get; init; }

    /// <summary>True when a 429/529 was not retried because waiting for it would pass <see cref="HttpResilienceOptions.MaxRateLimitWait"/>.</summary>
    public bool RateLimitWaitExhausted { get; init; }

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;

    /// <summary>The value of a header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    internal static IReadOnlyDictionary<string, string> CopyHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in response.Headers) headers[h.Key] = string.Join(",", h.Value);
        if (response.Content != null)
            foreach (var h in response.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
        return headers;
    }

    internal static string StatusText(int status) => Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : status.ToString();
}
