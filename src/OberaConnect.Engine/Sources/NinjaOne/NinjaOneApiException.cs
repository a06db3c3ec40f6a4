using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// NinjaOne answered with an error. Carries NinjaOne's <see cref="IncidentId"/> when it sent one.
/// Messages say what to do and never contain the client secret or an access token.
/// </summary>
public sealed class NinjaOneApiException : OberaConnectException
{
    public NinjaOneApiException(string errorId, FailureKind kind, string message, int statusCode, string? resultCode, string? incidentId, Exception? inner = null)
        : base(errorId, kind, message, inner)
    {
        StatusCode = statusCode;
        ResultCode = resultCode;
        IncidentId = incidentId;
    }

    /// <summary>HTTP status (0 when not applicable).</summary>
    public int StatusCode { get; }

    /// <summary>NinjaOne's resultCode (API) or OAuth error code (token endpoint).</summary>
    public string? ResultCode { get; }

    /// <summary>NinjaOne's incident id, for support.</summary>
    public string? IncidentId { get; }

    internal static NinjaOneApiException FromResponse(ApiResponse response, string what, Uri baseUrl, SecretRedactor redactor)
    {
        var (code, message, incident) = ReadBody(response.Body);
        var said = message is null ? "" : $" NinjaOne said: \"{redactor.Redact(Truncate(message))}\".";
        var inc = incident is null ? "" : $" (incidentId {incident})";
        var status = response.StatusCode;
        var head = $"NinjaOne ({baseUrl.Host}) refused {what}: HTTP {status}{(code is null ? "" : " " + code)}{inc}.{said}";
        return status switch
        {
            403 => new NinjaOneApiException("NinjaOneForbidden", FailureKind.PermissionDenied,
                head + " The API app lacks the permission: give it the 'monitoring' scope (and 'management' where needed) under Administration > Apps > API > Client App IDs.",
                status, code, incident),
            404 => new NinjaOneApiException("NinjaOneNotFound", FailureKind.NotFound,
                head + " Check the instance/region (app, eu, oc, ca, us2) and that the organization or device still exists.",
                status, code, incident),
            429 => new NinjaOneApiException("NinjaOneRateLimited", FailureKind.RateLimited,
                head + " NinjaOne asked to slow down for longer than allowed. Try again later or lower RequestsPerSecond.",
                status, code, incident),
            >= 500 => new NinjaOneApiException("NinjaOneServerError", FailureKind.ServiceUnavailable,
                head + " NinjaOne is failing; it was retried. Try again later and check NinjaOne's status page.",
                status, code, incident),
            400 => new NinjaOneApiException("NinjaOneBadRequest", FailureKind.InvalidInput,
                head + " The request was not accepted; check the page size and filters.", status, code, incident),
            _ => new NinjaOneApiException("NinjaOneRequestFailed", FailureKind.Unknown, head, status, code, incident),
        };
    }

    internal static NinjaOneApiException TokenRefused(ApiResponse response, Uri baseUrl, string region, SecretRedactor redactor)
    {
        var (code, message, incident) = ReadBody(response.Body);
        var said = message is null ? "" : $" NinjaOne said: \"{redactor.Redact(Truncate(message))}\".";
        if (response.StatusCode >= 500)
            return new NinjaOneApiException("NinjaOneServerError", FailureKind.ServiceUnavailable,
                $"NinjaOne ({baseUrl.Host}) could not issue an access token: HTTP {response.StatusCode}.{said} It was retried; try again later.",
                response.StatusCode, code, incident);
        return new NinjaOneApiException("NinjaOneAuthenticationFailed", FailureKind.Authentication,
            $"NinjaOne ({baseUrl.Host}) refused the client credentials: HTTP {response.StatusCode}{(code is null ? "" : " " + code)}.{said} " +
            $"Check the client id and client secret of the API Services (machine-to-machine) app under Administration > Apps > API, " +
            $"that it allows the Client Credentials grant and the monitoring scope, and that the instance '{region}' is the one you sign in to.",
            response.StatusCode, code, incident);
    }

    internal static NinjaOneApiException Unreadable(string what, int status, Exception inner)
        => new("NinjaOneUnexpectedResponse", FailureKind.ServiceUnavailable,
            $"NinjaOne answered {what} with a body that is not the JSON expected (HTTP {status}): {inner.Message} " +
            "Check that the instance points at the NinjaOne API (for example https://app.ninjarmm.com) and not at a proxy or login page.",
            status, null, null, inner);

    private static (string? Code, string? Message, string? Incident) ReadBody(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            var r = doc.RootElement;
            return (r.Str("resultCode") ?? r.Str("error"),
                r.Str("errorMessage") ?? r.Str("error_description") ?? r.Str("message"),
                r.Str("incidentId"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s.Substring(0, 300) + "…";
}
