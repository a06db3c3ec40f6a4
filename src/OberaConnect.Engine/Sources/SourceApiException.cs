using System.Text.Json;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// A source API (UniFi Site Manager, NinjaOne) answered with an error. Holds what every source error has,
/// the HTTP status, and the wording they share; each service keeps its own type, error ids and advice.
/// Messages say what to do and never contain a secret.
/// </summary>
public abstract class SourceApiException : OberaConnectException
{
    // Only the source exceptions of this assembly derive from it.
    private protected SourceApiException(string errorId, FailureKind kind, string message, int statusCode, Exception? inner)
        : base(errorId, kind, message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status of the answer (0 when not applicable, for example when the body could not be read).</summary>
    public int StatusCode { get; }

    /// <summary>The kind of refusal a status is, which decides the error id suffix and the failure kind.</summary>
    private protected enum Refusal
    {
        RequestFailed,
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        RateLimited,
        ServerError,
    }

    /// <summary>
    /// Error id, failure kind and message of a refused request: <paramref name="service"/> + the refusal
    /// (UniFiForbidden, NinjaOneNotFound...) with the service's advice after <paramref name="head"/>. A refusal the
    /// service gives no advice for is <c>{service}RequestFailed</c> (Unknown) with the head alone.
    /// </summary>
    private protected static (string ErrorId, FailureKind Kind, string Message) Refused(string service, int status, string head,
        Func<Refusal, string?> advice)
    {
        var (refusal, kind) = status switch
        {
            401 => (Refusal.Unauthorized, FailureKind.Authentication),
            403 => (Refusal.Forbidden, FailureKind.PermissionDenied),
            404 => (Refusal.NotFound, FailureKind.NotFound),
            429 => (Refusal.RateLimited, FailureKind.RateLimited),
            >= 500 => (Refusal.ServerError, FailureKind.ServiceUnavailable),
            400 => (Refusal.BadRequest, FailureKind.InvalidInput),
            _ => (Refusal.RequestFailed, FailureKind.Unknown),
        };
        var text = refusal == Refusal.RequestFailed ? null : advice(refusal);
        return text is null
            ? (service + nameof(Refusal.RequestFailed), FailureKind.Unknown, head)
            : (service + refusal, kind, head + " " + text);
    }

    /// <summary>
    /// The fields of an error body, or <paramref name="fallback"/> when it is not JSON (a proxy's HTML page, for
    /// example): the status alone must then do.
    /// </summary>
    private protected static T ReadErrorBody<T>(string body, Func<JsonElement, T> read, T fallback)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            return read(doc.RootElement);
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    /// <summary><c> {speaker} said: "..."</c> with the service's own message, shortened and redacted; empty when it gave none.</summary>
    private protected static string Said(string speaker, string? message, SecretRedactor redactor)
        => message is null ? "" : $" {speaker} said: \"{redactor.Redact(Truncate(message))}\".";

    /// <summary>The message of a body that is not the JSON expected, pointing at the setting that names the API.</summary>
    private protected static string UnreadableMessage(string service, string what, int status, Exception inner, string setting, string api)
        => $"{service} answered {what} with a body that is not the JSON expected (HTTP {status}): {inner.Message} " +
           $"Check that the {setting} points at {api} and not at a proxy or login page.";

    private static string Truncate(string s) => s.Length <= 300 ? s : s.Substring(0, 300) + "…";
}
