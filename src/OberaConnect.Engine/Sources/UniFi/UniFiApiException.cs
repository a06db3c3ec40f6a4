using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>
/// UniFi Site Manager answered with an error. Carries UniFi's <see cref="TraceId"/>, which Ubiquiti
/// support asks for. The message says what to do and never contains the API key.
/// </summary>
public sealed class UniFiApiException : OberaConnectException
{
    public UniFiApiException(string errorId, FailureKind kind, string message, int statusCode, string? code, string? traceId, Exception? inner = null)
        : base(errorId, kind, message, inner)
    {
        StatusCode = statusCode;
        Code = code;
        TraceId = traceId;
    }

    /// <summary>HTTP status of the answer (0 when the body could not be read).</summary>
    public int StatusCode { get; }

    /// <summary>UniFi's error code, upper case (UNAUTHORIZED, FORBIDDEN, RATE_LIMIT, ...).</summary>
    public string? Code { get; }

    /// <summary>UniFi's trace id of the request, for support.</summary>
    public string? TraceId { get; }

    internal static UniFiApiException FromResponse(ApiResponse response, string what, SecretRedactor redactor)
    {
        string? code = null, message = null, traceId = null;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(response.Body) ? "{}" : response.Body);
            code = doc.RootElement.Str("code")?.ToUpperInvariant();
            message = doc.RootElement.Str("message");
            traceId = doc.RootElement.Str("traceId");
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, for example): fall back to the status alone.
        }
        traceId ??= response.Header("X-Trace-Id") ?? response.Header("traceId");
        var said = message is null ? "" : $" UniFi said: \"{redactor.Redact(Truncate(message))}\".";
        var trace = traceId is null ? "" : $" (traceId {traceId})";
        var status = response.StatusCode;
        var head = $"UniFi Site Manager refused {what}: HTTP {status}{(code is null ? "" : " " + code)}{trace}.{said}";
        return status switch
        {
            401 => new UniFiApiException("UniFiUnauthorized", FailureKind.Authentication,
                head + " Check the API key: it must be a Site Manager API key created at unifi.ui.com/api (it is shown only once; create a new one if in doubt) and passed without extra spaces.",
                status, code, traceId),
            403 => new UniFiApiException("UniFiForbidden", FailureKind.PermissionDenied,
                head + " The API key works but its account may not read this: use a key of an account that is owner or super admin of the hosts, or ask the owner to grant access.",
                status, code, traceId),
            404 => new UniFiApiException("UniFiNotFound", FailureKind.NotFound,
                head + " Check the base URL (https://api.ui.com/) and that the host or site still exists in Site Manager.",
                status, code, traceId),
            429 => new UniFiApiException("UniFiRateLimited", FailureKind.RateLimited,
                head + " The rate limit (10,000 requests a minute on v1, 100 on early access) was hit and the wait it asked for is longer than allowed. Try again later or lower RequestsPerSecond.",
                status, code, traceId),
            >= 500 => new UniFiApiException("UniFiServerError", FailureKind.ServiceUnavailable,
                head + " UniFi Site Manager is failing; it was retried. Try again later and check status.ui.com.",
                status, code, traceId),
            400 => new UniFiApiException("UniFiBadRequest", FailureKind.InvalidInput,
                head + " The request was not accepted; check the host ids and page size given.",
                status, code, traceId),
            _ => new UniFiApiException("UniFiRequestFailed", FailureKind.Unknown, head, status, code, traceId),
        };
    }

    internal static UniFiApiException Unreadable(string what, int status, Exception inner)
        => new("UniFiUnexpectedResponse", FailureKind.ServiceUnavailable,
            $"UniFi Site Manager answered {what} with a body that is not the JSON expected (HTTP {status}): {inner.Message} " +
            "Check that the base URL points at the Site Manager API (https://api.ui.com/) and not at a proxy or login page.",
            status, null, null, inner);

    private static string Truncate(string s) => s.Length <= 300 ? s : s.Substring(0, 300) + "…";
}
