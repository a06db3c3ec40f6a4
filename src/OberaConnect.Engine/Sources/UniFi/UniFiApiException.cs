using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>
/// UniFi Site Manager answered with an error. Carries UniFi's <see cref="TraceId"/>, which Ubiquiti
/// support asks for. The message says what to do and never contains the API key.
/// </summary>
public sealed class UniFiApiException : SourceApiException
{
    public UniFiApiException(string errorId, FailureKind kind, string message, int statusCode, string? code, string? traceId, Exception? inner = null)
        : base(errorId, kind, message, statusCode, inner)
    {
        Code = code;
        TraceId = traceId;
    }

    /// <summary>UniFi's error code, upper case (UNAUTHORIZED, FORBIDDEN, RATE_LIMIT, ...).</summary>
    public string? Code { get; }

    /// <summary>UniFi's trace id of the request, for support.</summary>
    public string? TraceId { get; }

    internal static UniFiApiException FromResponse(ApiResponse response, string what, SecretRedactor redactor)
    {
        var (code, message, traceId) = ReadErrorBody<(string?, string?, string?)>(response.Body,
            r => (r.Str("code")?.ToUpperInvariant(), r.Str("message"), r.Str("traceId")), (null, null, null));
        traceId ??= response.Header("X-Trace-Id") ?? response.Header("traceId");
        var said = Said("UniFi", message, redactor);
        var trace = traceId is null ? "" : $" (traceId {traceId})";
        var status = response.StatusCode;
        var head = $"UniFi Site Manager refused {what}: HTTP {status}{(code is null ? "" : " " + code)}{trace}.{said}";
        var (errorId, kind, text) = Refused("UniFi", status, head, refusal => refusal switch
        {
            Refusal.Unauthorized => "Check the API key: it must be a Site Manager API key created at unifi.ui.com/api (it is shown only once; create a new one if in doubt) and passed without extra spaces.",
            Refusal.Forbidden => "The API key works but its account may not read this: use a key of an account that is owner or super admin of the hosts, or ask the owner to grant access.",
            Refusal.NotFound => "Check the base URL (https://api.ui.com/) and that the host or site still exists in Site Manager.",
            Refusal.RateLimited => "The rate limit (10,000 requests a minute on v1, 100 on early access) was hit and the wait it asked for is longer than allowed. Try again later or lower RequestsPerSecond.",
            Refusal.ServerError => "UniFi Site Manager is failing; it was retried. Try again later and check status.ui.com.",
            Refusal.BadRequest => "The request was not accepted; check the host ids and page size given.",
            _ => null,
        });
        return new UniFiApiException(errorId, kind, text, status, code, traceId);
    }

    internal static UniFiApiException Unreadable(string what, int status, Exception inner)
        => new("UniFiUnexpectedResponse", FailureKind.ServiceUnavailable,
            UnreadableMessage(UniFiClient.ServiceName, what, status, inner, "base URL", "the Site Manager API (https://api.ui.com/)"),
            status, null, null, inner);
}
