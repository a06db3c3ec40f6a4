using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// An error answer from the Notion API (<c>{object:"error", status, code, message, request_id, additional_data}</c>),
/// or a non-JSON error page in front of it (a proxy's HTML 502). One subclass per Notion error family.
/// <see cref="NotionMessage"/> is Notion's own text, passed through the <see cref="SecretRedactor"/>.
/// </summary>
public class NotionApiException : OberaConnectException
{
    public NotionApiException(string errorId, FailureKind kind, string message, int status, string? code, string? notionMessage,
        string? requestId, IReadOnlyDictionary<string, string>? additionalData, Exception? inner = null)
        : base(errorId, kind, message, inner)
    {
        Status = status;
        Code = code;
        NotionMessage = notionMessage;
        RequestId = requestId;
        AdditionalData = additionalData ?? new Dictionary<string, string>();
    }

    /// <summary>HTTP status of the answer.</summary>
    public int Status { get; }

    /// <summary>Notion's error code (<c>validation_error</c>, <c>object_not_found</c>, ...), null for a non-JSON answer.</summary>
    public string? Code { get; }

    /// <summary>Notion's message, redacted; for a non-JSON answer a short excerpt of the body.</summary>
    public string? NotionMessage { get; }

    /// <summary>Notion's request id: quote it to Notion support.</summary>
    public string? RequestId { get; }

    /// <summary><c>additional_data</c> flattened to strings (for example <c>rate_limit_reason</c>, <c>integration_id</c>).</summary>
    public IReadOnlyDictionary<string, string> AdditionalData { get; }

    /// <summary>
    /// Maps a non-2xx answer to its typed error. <paramref name="target"/> names what was asked for
    /// ("page 393abc1e-…", "query of data source …") so the message says which item failed. <paramref name="rateLimitWait"/>
    /// is the time a 429 already waited in total when the next wait would have passed <paramref name="rateLimitWaitLimit"/>.
    /// </summary>
    public static NotionApiException FromResponse(int status, string? body, IReadOnlyDictionary<string, string>? headers,
        string target, SecretRedactor? redactor = null, TimeSpan? rateLimitWait = null, TimeSpan? rateLimitWaitLimit = null)
    {
        redactor ??= new SecretRedactor();
        var parsed = ParseBody(body, redactor);
        var quoted = parsed.Message is null ? "" : $": \"{parsed.Message}\"";
        var id = parsed.RequestId is null ? "" : $" (Notion request id {parsed.RequestId})";
        var what = parsed.Code is null ? $"HTTP {status}" : $"HTTP {status} {parsed.Code}";

        switch (status)
        {
            case 400:
            case 413:
                return new NotionBadRequestException(status, parsed.Code ?? (status == 413 ? "payload_too_large" : null), parsed.Message,
                    parsed.RequestId, parsed.Data,
                    $"Notion rejected the request for {target} ({what}){quoted}. {BadRequestAdvice(status, parsed.Code)}{id}");
            case 401:
                return new NotionUnauthorizedException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data,
                    $"Notion refused the token while accessing {target} ({what}){quoted}. Check the token: it must be the " +
                    "Internal Integration Secret of an internal integration (Notion → Settings → Connections → Develop or manage integrations; " +
                    "it starts with ntn_ or secret_), not an OAuth client secret, and it must not have been rotated or revoked. " +
                    "Check where it comes from: the NOTION_TOKEN environment variable or the Key Vault secret named in the configuration." + id);
            case 403:
                return new NotionRestrictedResourceException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data,
                    $"The Notion integration may not do this on {target} ({what}){quoted}. Give the integration the capability it needs " +
                    "(Notion → integration settings → Capabilities: read, update and insert content) and make sure the page or database " +
                    "is shared with it (page ••• menu → Connections → add the integration)." + id);
            case 404:
                return new NotionObjectNotFoundException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data,
                    $"Notion says {target} was not found, or not shared with the integration ({what}){quoted}. Check the id, then share it: " +
                    "open the page or database in Notion, ••• menu → Connections → add the integration (sharing a parent page shares everything under it)." + id);
            case 409:
                return new NotionConflictException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data,
                    $"Notion reported a conflict on {target} ({what}){quoted}: another change to the same object happened at the same time. " +
                    "Run the operation again." + id);
            case 429:
            {
                var retryAfter = Http.ResilientHttpPipeline.ParseRetryAfter(headers, DateTimeOffset.UtcNow);
                parsed.Data.TryGetValue("rate_limit_reason", out var reason);
                if (rateLimitWait is { } waited && rateLimitWaitLimit is { } limit)
                    return new NotionRateLimitedException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data, retryAfter, reason,
                        $"Notion kept rate-limiting requests for {target} ({what}){quoted}" + (reason is null ? "" : $"; reason: {reason}") +
                        $": this request already waited {Describe.Duration(waited)} in total as Notion asked, and the next wait" +
                        (retryAfter is { } next ? $" ({next.TotalSeconds:0} s)" : "") +
                        $" would pass the limit of {Describe.Duration(limit)} (notion.rateLimitWaitSeconds). Other jobs using the same integration " +
                        "are probably sending many requests: run it again later (-RetryFailed writes what is missing), or raise notion.rateLimitWaitSeconds." + id);
                return new NotionRateLimitedException(parsed.Code, parsed.Message, parsed.RequestId, parsed.Data, retryAfter, reason,
                    $"Notion kept rate-limiting requests for {target} ({what}){quoted} after every retry" +
                    (reason is null ? "" : $"; reason: {reason}") +
                    (retryAfter is { } ra ? $". Notion asks to wait {ra.TotalSeconds:0} s before trying again" : "") +
                    ". Run it later, or lower the request rate in the configuration (Notion allows about 3 requests per second per integration)." + id);
            }
            default:
                if (status >= 500)
                    return new NotionServiceException(status, parsed.Code, parsed.Message, parsed.RequestId, parsed.Data,
                        $"Notion failed while serving {target} ({what}){quoted}" +
                        (parsed.IsJson ? "" : " — the answer was not Notion's JSON, so it probably came from a proxy or gateway in between") +
                        ". This is usually temporary: run it again later and check https://status.notion.so." + id);
                return new NotionApiException("NotionApiError", FailureKind.Unknown,
                    $"Notion answered {what} for {target}{quoted}." + id, status, parsed.Code, parsed.Message, parsed.RequestId, parsed.Data);
        }
    }

    private static string BadRequestAdvice(int status, string? code) => status == 413
        ? "The request was too large; this should have been split before sending: report it with the HTTP trace (OBERACONNECT_HTTP_TRACE)."
        : code switch
        {
            "validation_error" => "Check the property names, types and values against the data source's schema.",
            "missing_version" => "The Notion-Version header was missing: set NotionVersion in the configuration.",
            "invalid_request_url" => "Check the base URL in the configuration and the id that was used.",
            "invalid_json" => "The request body was not valid JSON: report it with the HTTP trace (OBERACONNECT_HTTP_TRACE).",
            _ => "Check the ids and values sent; the HTTP trace (OBERACONNECT_HTTP_TRACE) shows the request.",
        };

    private sealed class ParsedError
    {
        public bool IsJson;
        public string? Code;
        public string? Message;
        public string? RequestId;
        public Dictionary<string, string> Data = new(StringComparer.Ordinal);
    }

    private static ParsedError ParseBody(string? body, SecretRedactor redactor)
    {
        var result = new ParsedError();
        if (string.IsNullOrWhiteSpace(body)) return result;
        try
        {
            using var doc = JsonDocument.Parse(body!);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                result.IsJson = true;
                result.Code = Json.Str(root, "code");
                var message = Json.Str(root, "message");
                result.Message = message is null ? null : redactor.Redact(message);
                result.RequestId = Json.Str(root, "request_id");
                if (root.TryGetProperty("additional_data", out var data) && data.ValueKind == JsonValueKind.Object)
                    foreach (var p in data.EnumerateObject())
                        result.Data[p.Name] = redactor.Redact(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
                return result;
            }
        }
        catch (JsonException)
        {
        }
        // Not Notion's JSON: an HTML or text page from something in between. Quote a short, tag-free excerpt.
        var text = Regex.Replace(body!, "<[^>]*>", " ");
        text = Regex.Replace(text, @"\s+", " ").Trim();
        if (text.Length > 160) text = text.Substring(0, 157) + "...";
        result.Message = text.Length == 0 ? null : redactor.Redact(text);
        return result;
    }
}

/// <summary>400 (<c>validation_error</c>, <c>invalid_json</c>, <c>invalid_request</c>, <c>invalid_request_url</c>, <c>missing_version</c>) and 413.</summary>
public sealed class NotionBadRequestException : NotionApiException
{
    public NotionBadRequestException(int status, string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base(ErrorIdFor(code), FailureKind.InvalidInput, message, status, code, notionMessage, requestId, data) { }

    private static string ErrorIdFor(string? code) => code switch
    {
        "validation_error" => "NotionValidationError",
        "invalid_json" => "NotionInvalidJson",
        "invalid_request" => "NotionInvalidRequest",
        "invalid_request_url" => "NotionInvalidRequestUrl",
        "missing_version" => "NotionMissingVersion",
        "payload_too_large" => "NotionPayloadTooLarge",
        _ => "NotionBadRequest",
    };
}

/// <summary>401 <c>unauthorized</c>: the token was refused. Never retried.</summary>
public sealed class NotionUnauthorizedException : NotionApiException
{
    public NotionUnauthorizedException(string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base("NotionUnauthorized", FailureKind.Authentication, message, 401, code, notionMessage, requestId, data) { }
}

/// <summary>403 <c>restricted_resource</c>: the integration lacks a capability or access.</summary>
public sealed class NotionRestrictedResourceException : NotionApiException
{
    public NotionRestrictedResourceException(string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base("NotionRestrictedResource", FailureKind.PermissionDenied, message, 403, code, notionMessage, requestId, data) { }
}

/// <summary>404 <c>object_not_found</c>: missing, or not shared with the integration.</summary>
public sealed class NotionObjectNotFoundException : NotionApiException
{
    public NotionObjectNotFoundException(string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base("NotionObjectNotFound", FailureKind.NotFound, message, 404, code, notionMessage, requestId, data) { }
}

/// <summary>409 <c>conflict_error</c>: a concurrent change; repeating the operation usually works.</summary>
public sealed class NotionConflictException : NotionApiException
{
    public NotionConflictException(string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base("NotionConflict", FailureKind.Conflict, message, 409, code, notionMessage, requestId, data) { }

    public override bool IsTransient => true;
}

/// <summary>429 <c>rate_limited</c> still returned after the pipeline's retries (or a Retry-After too long to wait).</summary>
public sealed class NotionRateLimitedException : NotionApiException
{
    public NotionRateLimitedException(string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data,
        TimeSpan? retryAfter, string? reason, string message)
        : base("NotionRateLimited", FailureKind.RateLimited, message, 429, code, notionMessage, requestId, data)
    {
        RetryAfter = retryAfter;
        RateLimitReason = reason;
    }

    /// <summary>The last Retry-After Notion sent.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary><c>additional_data.rate_limit_reason</c> when Notion gave one (for example a per-workspace limit).</summary>
    public string? RateLimitReason { get; }
}

/// <summary>5xx and 529: Notion (or a gateway before it) failed; after the pipeline's retries for reads.</summary>
public sealed class NotionServiceException : NotionApiException
{
    public NotionServiceException(int status, string? code, string? notionMessage, string? requestId, IReadOnlyDictionary<string, string>? data, string message)
        : base("NotionServiceError", FailureKind.ServiceUnavailable, message, status, code, notionMessage, requestId, data) { }
}

/// <summary>A 2xx answer that is not the JSON object the call expects.</summary>
public sealed class NotionUnexpectedResponseException : NotionApiException
{
    public NotionUnexpectedResponseException(int status, string message, Exception? inner = null)
        : base("NotionUnexpectedResponse", FailureKind.ServiceUnavailable, message, status, null, null, null, null, inner) { }
}

/// <summary>
/// A create or append was sent and Notion's answer was lost (timeout, reset, 5xx after sending), and the
/// client could not settle whether it was applied: no duplicate check was given, or the check itself
/// failed. Journal <see cref="Operation"/> and look for the record before writing it again.
/// </summary>
public sealed class NotionOutcomeUnknownException : OberaConnectException
{
    public NotionOutcomeUnknownException(string operation, string message, Exception? inner)
        : base("NotionOutcomeUnknown", FailureKind.OutcomeUnknown, message, inner)
    {
        Operation = operation;
    }

    /// <summary>What was being written, for example "create page in data source …".</summary>
    public string Operation { get; }
}

/// <summary>Input the client refuses before sending: a bad id, an unsupported combination, a read-only property.</summary>
public class NotionInputException : OberaConnectException
{
    public NotionInputException(string errorId, string message) : base(errorId, FailureKind.InvalidInput, message) { }
}

/// <summary>Something that is not a Notion id or link.</summary>
public sealed class NotionInvalidIdException : NotionInputException
{
    public NotionInvalidIdException(string what, string shownInput)
        : base("NotionInvalidId",
            $"{shownInput} is not a valid {what}. Use the 32-character id (dashed or not) or the link from Notion " +
            "(page ••• menu → Copy link), for example https://www.notion.so/Customer-Status-393abc1eedcd80f3813be205934558c6.")
    {
        What = what;
    }

    public string What { get; }
}

/// <summary>A value or request breaks one of Notion's documented size limits; nothing was sent.</summary>
public sealed class NotionLimitException : NotionInputException
{
    public NotionLimitException(string item, string limitName, int limit, long actual, string advice)
        : base("NotionLimitExceeded", $"{item}: {limitName} is limited to {limit.ToString(CultureInfo.InvariantCulture)} by Notion, " +
                                      $"and this has {actual.ToString(CultureInfo.InvariantCulture)}. {advice} Nothing was sent.")
    {
        Item = item;
        LimitName = limitName;
        Limit = limit;
        Actual = actual;
    }

    /// <summary>The property or block that breaks the limit, for example <c>property "Notes"</c>.</summary>
    public string Item { get; }
    public string LimitName { get; }
    public int Limit { get; }
    public long Actual { get; }
}

/// <summary>A query could not be read completely past Notion's 10,000-row cap.</summary>
public sealed class NotionQueryCapException : OberaConnectException
{
    public NotionQueryCapException(string message) : base("NotionQueryResultCap", FailureKind.InvalidState, message) { }
}

/// <summary>Helpers to describe items in messages.</summary>
internal static class Describe
{
    public static string Property(string name) => "property \"" + name + "\"";

    /// <summary>A wait as people say it: "45 s", "15 min", "2 min 30 s".</summary>
    public static string Duration(TimeSpan value)
    {
        var seconds = (long)Math.Round(value.TotalSeconds);
        if (seconds < 60) return seconds + " s";
        var minutes = seconds / 60;
        var rest = seconds % 60;
        return rest == 0 ? minutes + " min" : $"{minutes} min {rest} s";
    }

    public static string Join(IEnumerable<string> items)
    {
        var sb = new StringBuilder();
        foreach (var i in items)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(i);
        }
        return sb.ToString();
    }
}
