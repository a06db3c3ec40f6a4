using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// NinjaOne answered with an error. The API's error body is <c>{resultCode, errorMessage}</c> and the token
/// endpoint's the OAuth <c>{error, error_description}</c> (as public NinjaOne clients read them); nothing else is
/// assumed. Messages say what to do and never contain the client secret or an access token.
/// </summary>
public sealed class NinjaOneApiException : SourceApiException
{
    // Where scopes and grant types of an API app are changed in NinjaOne.
    internal const string AppSettingsPath = "Administration > Apps > API > Client App IDs";

    public NinjaOneApiException(string errorId, FailureKind kind, string message, int statusCode, string? resultCode, Exception? inner = null)
        : base(errorId, kind, message, statusCode, inner)
    {
        ResultCode = resultCode;
    }

    /// <summary>NinjaOne's resultCode (API) or OAuth error code (token endpoint).</summary>
    public string? ResultCode { get; }

    // No advice for 401: the client renews the token and answers a second 401 itself (NinjaOneUnauthorized).
    internal static NinjaOneApiException FromResponse(ApiResponse response, string what, Uri baseUrl, SecretRedactor redactor)
    {
        var (code, message) = ReadBody(response.Body);
        var said = Said(NinjaOneClient.ServiceName, message, redactor);
        var status = response.StatusCode;
        var head = $"NinjaOne ({baseUrl.Host}) refused {what}: HTTP {status}{(code is null ? "" : " " + code)}.{said}";
        var (errorId, kind, text) = Refused("NinjaOne", status, head, refusal => refusal switch
        {
            Refusal.Forbidden => $"The API app lacks the permission: give it the 'monitoring' scope under {AppSettingsPath}.",
            Refusal.NotFound => $"Check the instance/region ({string.Join(", ", NinjaOneClientOptions.RegionHosts.Keys)}) and that the organization or device still exists.",
            Refusal.RateLimited => "NinjaOne asked to slow down for longer than allowed. Try again later or lower RequestsPerSecond.",
            Refusal.ServerError => "NinjaOne is failing; it was retried. Try again later and check NinjaOne's status page.",
            Refusal.BadRequest => "The request was not accepted; check the page size and filters.",
            _ => null,
        });
        return new NinjaOneApiException(errorId, kind, text, status, code);
    }

    internal static NinjaOneApiException TokenRefused(ApiResponse response, Uri baseUrl, string region, string scope, SecretRedactor redactor)
    {
        var (code, message) = ReadBody(response.Body);
        var said = Said(NinjaOneClient.ServiceName, message, redactor);
        var status = response.StatusCode;
        if (status >= 500)
            return new NinjaOneApiException("NinjaOneServerError", FailureKind.ServiceUnavailable,
                $"NinjaOne ({baseUrl.Host}) could not issue an access token: HTTP {status}.{said} It was retried; try again later.",
                status, code);
        // RFC 6749 5.2: invalid_scope (a scope the app was not granted) and unauthorized_client (the app may not use
        // this grant) are about the API app's settings, not the secret: say which settings, and where.
        if (code is "invalid_scope" or "unauthorized_client")
            return new NinjaOneApiException("NinjaOneScopeNotGranted", FailureKind.Authentication,
                $"NinjaOne ({baseUrl.Host}) refused to issue an access token for the scope '{scope}': HTTP {status} {code}.{said} " +
                $"The API app must be granted every scope asked for, and the module needs only '{NinjaOneClientOptions.DefaultScope}' (it only reads). " +
                $"In NinjaOne, open {AppSettingsPath}, edit the app (an API Services app), tick Monitoring under Scopes and Client Credentials under Allowed Grant Types, and save; " +
                $"or set ninjaOne.scope in the configuration to the scopes the app has (it must include '{NinjaOneClientOptions.DefaultScope}').",
                status, code);
        return new NinjaOneApiException("NinjaOneAuthenticationFailed", FailureKind.Authentication,
            $"NinjaOne ({baseUrl.Host}) refused the client credentials: HTTP {status}{(code is null ? "" : " " + code)}.{said} " +
            $"Check the client id and client secret of the API Services (machine-to-machine) app under {AppSettingsPath}, " +
            $"that it allows the Client Credentials grant and the monitoring scope, and that the instance '{region}' is the one you sign in to.",
            status, code);
    }

    internal static NinjaOneApiException Unreadable(string what, int status, Exception inner)
        => new("NinjaOneUnexpectedResponse", FailureKind.ServiceUnavailable,
            UnreadableMessage(NinjaOneClient.ServiceName, what, status, inner, "instance", "the NinjaOne API (for example https://app.ninjarmm.com)"),
            status, null, inner);

    /// <summary>A list whose paging cursor cannot move on: reading on would loop, stopping quietly would lose items.</summary>
    internal static NinjaOneApiException PagingStuck(string what, string problem)
        => new("NinjaOneUnexpectedResponse", FailureKind.ServiceUnavailable,
            $"NinjaOne answered {what} with {problem}; reading stopped so as not to loop, and the list is incomplete. Try again later.",
            200, null);

    // The API's {resultCode, errorMessage} or the token endpoint's OAuth {error, error_description}.
    private static (string? Code, string? Message) ReadBody(string body)
        => ReadErrorBody<(string?, string?)>(body,
            r => (r.Str("resultCode") ?? r.Str("error"), r.Str("errorMessage") ?? r.Str("error_description")), (null, null));
}
