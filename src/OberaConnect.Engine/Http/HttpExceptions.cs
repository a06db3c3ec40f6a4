namespace OberaConnect.Engine.Http;

/// <summary>
/// The breaker for a service is open: it failed repeatedly, and we are not calling it until <see cref="RetryAt"/>.
/// The message names the last failure behind it (connection refused by host:port, a DNS failure...), because
/// "failed repeatedly" alone sends nobody to the right fix.
/// </summary>
public sealed class CircuitOpenException : OberaConnectException
{
    public CircuitOpenException(string service, DateTimeOffset retryAt, Exception? inner = null, HttpFailure? lastFailure = null)
        : base("CircuitOpen", FailureKind.CircuitOpen,
            $"{service} failed repeatedly" + (lastFailure is null ? "" : $" (last failure at {lastFailure.At:u}: {lastFailure.Description})") +
            $", so calls to it are paused until {retryAt:u} (circuit breaker open). " +
            "Try again after that time (the first call then is let through as a trial); meanwhile " +
            (lastFailure is null ? "check the service status and your network." : lastFailure.Fix), inner)
    {
        Service = service;
        RetryAt = retryAt;
        LastFailure = lastFailure;
    }

    public string Service { get; }
    public DateTimeOffset RetryAt { get; }

    /// <summary>The last failure the pipeline saw before the breaker opened; null when unknown.</summary>
    public HttpFailure? LastFailure { get; }
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

/// <summary>
/// The service could not be reached or kept failing after every retry. The ErrorId names the cause
/// (<see cref="HttpFailure"/>: ConnectionRefused, HostNotFound, TlsHandshakeFailed, RequestTimeout,
/// ServiceUnreachable, ServiceUnavailable) and the message the host and port.
/// </summary>
public sealed class ServiceUnavailableException : OberaConnectException
{
    /// <summary>The request failed for <paramref name="cause"/>; <paramref name="message"/> is the whole text after the service name.</summary>
    public ServiceUnavailableException(string service, HttpFailure cause, string message, Exception? inner = null)
        : base(cause.ErrorId, cause.Kind, $"{service}: {message}", inner)
    {
        Service = service;
        Cause = cause;
    }

    public string Service { get; }

    /// <summary>What made the last attempt fail.</summary>
    public HttpFailure Cause { get; }
}
