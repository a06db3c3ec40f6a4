namespace OberaConnect.Engine.Http;

/// <summary>The breaker for a service is open: it failed repeatedly, and we are not calling it until <see cref="RetryAt"/>.</summary>
public sealed class CircuitOpenException : OberaConnectException
{
    public CircuitOpenException(string service, DateTimeOffset retryAt, Exception? inner = null)
        : base("CircuitOpen", FailureKind.CircuitOpen,
            $"{service} failed repeatedly, so calls to it are paused until {retryAt:u} (circuit breaker open). " +
            "Try again after that time (the first call then is let through as a trial); meanwhile check the service status and your network.", inner)
    {
        Service = service;
        RetryAt = retryAt;
    }

    public string Service { get; }
    public DateTimeOffset RetryAt { get; }
}

/// <summary>
/// A request that is not safe to repeat (a create, an append) was sent, and we do not know whether the
/// service applied it: the attempt timed out, the connection broke, or a 5xx came back. The caller must
/// find out (for example look the record up by its natural key) before sending it again.
/// </summary>
public sealed class RequestOutcomeUnknownException : OberaConnectException
{
    public RequestOutcomeUnknownException(string service, string method, string path, int? statusCode, Exception? inner)
        : base("RequestOutcomeUnknown", FailureKind.OutcomeUnknown,
            $"{service} {method} {path}: the request was sent but its outcome is unknown " +
            (statusCode is int s ? $"(HTTP {s})" : inner is null ? "" : $"({inner.GetType().Name})") +
            ". It was not repeated blindly, to avoid writing twice.", inner)
    {
        Service = service;
        StatusCode = statusCode;
    }

    public string Service { get; }
    public int? StatusCode { get; }
}

/// <summary>The service could not be reached or kept failing after every retry.</summary>
public sealed class ServiceUnavailableException : OberaConnectException
{
    public ServiceUnavailableException(string service, string message, int? statusCode = null, Exception? inner = null)
        : base(statusCode is null ? "ServiceUnreachable" : "ServiceUnavailable",
            inner is Polly.Timeout.TimeoutRejectedException ? FailureKind.Timeout : FailureKind.ServiceUnavailable,
            $"{service}: {message}", inner)
    {
        Service = service;
        StatusCode = statusCode;
    }

    public string Service { get; }
    public int? StatusCode { get; }
}
