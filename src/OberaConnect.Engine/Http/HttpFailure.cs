using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;

namespace OberaConnect.Engine.Http;

/// <summary>
/// Why one attempt failed, in the words a person needs: a stable <see cref="ErrorId"/> per cause (connection
/// refused, DNS, TLS, timeout, an HTTP 5xx), the endpoint it happened at, and what to check. The same cause reads
/// the same on .NET (HttpRequestException over SocketException / AuthenticationException) and on .NET Framework
/// under Windows PowerShell 5.1 (WebException with a status).
/// </summary>
public sealed class HttpFailure
{
    /// <summary>Nothing listens on the port (or a firewall rejects the connection): the service is down or the URL is wrong.</summary>
    public const string ConnectionRefused = "ConnectionRefused";

    /// <summary>The host name did not resolve.</summary>
    public const string HostNotFound = "HostNotFound";

    /// <summary>The TLS handshake failed: an untrusted certificate, a proxy intercepting TLS, https to a plain-HTTP port.</summary>
    public const string TlsHandshakeFailed = "TlsHandshakeFailed";

    /// <summary>The service did not answer within the request timeout.</summary>
    public const string RequestTimeout = "RequestTimeout";

    /// <summary>Any other transport failure (connection reset, network unreachable...).</summary>
    public const string ServiceUnreachable = "ServiceUnreachable";

    /// <summary>The service answered with a 5xx.</summary>
    public const string ServiceUnavailable = "ServiceUnavailable";

    private HttpFailure(string errorId, FailureKind kind, string endpoint, string description, string fix, DateTimeOffset at)
    {
        ErrorId = errorId;
        Kind = kind;
        Endpoint = endpoint;
        Description = description;
        Fix = fix;
        At = at;
    }

    /// <summary>One of the constants of this class.</summary>
    public string ErrorId { get; }

    /// <summary>Timeout for <see cref="RequestTimeout"/>, ServiceUnavailable otherwise: an outage the next run may not meet.</summary>
    public FailureKind Kind { get; }

    /// <summary>host:port of the request.</summary>
    public string Endpoint { get; }

    /// <summary>What happened, naming the endpoint, for example "the connection to 127.0.0.1:9 was refused".</summary>
    public string Description { get; }

    /// <summary>What to check.</summary>
    public string Fix { get; }

    /// <summary>When the attempt failed.</summary>
    public DateTimeOffset At { get; }

    public override string ToString() => Description;

    /// <summary>host:port of a request URI ("unknown host" without one).</summary>
    public static string EndpointOf(Uri? uri)
        => uri is null || !uri.IsAbsoluteUri ? "unknown host" : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>An HTTP 5xx answer.</summary>
    public static HttpFailure FromStatus(int status, Uri? uri, DateTimeOffset at)
    {
        var endpoint = EndpointOf(uri);
        return new HttpFailure(ServiceUnavailable, FailureKind.ServiceUnavailable, endpoint,
            $"{endpoint} answered HTTP {status.ToString(CultureInfo.InvariantCulture)}",
            "The service is failing on its side; check its status page and try again later.", at);
    }

    /// <summary>
    /// A failed attempt that got no answer: classifies the exception by its cause. Only for attempts the caller did
    /// not cancel, so a cancellation here is the per-attempt timeout giving up.
    /// </summary>
    public static HttpFailure FromException(Exception error, Uri? uri, TimeSpan timeout, DateTimeOffset at)
    {
        if (error is null) throw new ArgumentNullException(nameof(error));
        var endpoint = EndpointOf(uri);
        var host = uri is { IsAbsoluteUri: true } ? uri.Host : endpoint;
        if (IsTimeout(error) || error is OperationCanceledException)
            return new HttpFailure(RequestTimeout, FailureKind.Timeout, endpoint,
                $"{endpoint} did not answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
                "Check the network path (proxy, firewall) and the service's status, or raise the timeout in the configuration.", at);
        if (IsDnsFailure(error))
            return new HttpFailure(HostNotFound, FailureKind.ServiceUnavailable, endpoint,
                $"the host name {host} could not be resolved (DNS lookup failed)",
                "Check the URL in the configuration, and the machine's DNS and proxy settings.", at);
        if (IsRefused(error))
            return new HttpFailure(ConnectionRefused, FailureKind.ServiceUnavailable, endpoint,
                $"the connection to {endpoint} was refused (nothing listens on that port, or a firewall rejects it)",
                "Check the URL and port in the configuration, that the service is running, and the firewall.", at);
        if (IsTlsFailure(error))
            return new HttpFailure(TlsHandshakeFailed, FailureKind.ServiceUnavailable, endpoint,
                $"the TLS handshake with {endpoint} failed ({Innermost(error).Message.TrimEnd('.')})",
                "Check that the URL is https to an HTTPS port, that no proxy intercepts TLS, and that the server's certificate is trusted " +
                "(import a corporate root CA into the machine's certificate store).", at);
        return new HttpFailure(ServiceUnreachable, FailureKind.ServiceUnavailable, endpoint,
            $"{endpoint} could not be reached ({Innermost(error).Message.TrimEnd('.')})",
            "Check DNS, proxy and firewall settings.", at);
    }

    /// <summary>Our per-attempt timeout (Polly), or HttpClient's own (a TaskCanceledException over a TimeoutException).</summary>
    internal static bool IsTimeout(Exception error)
        => error is TimeoutRejectedException || (error is TaskCanceledException && error.InnerException is TimeoutException);

    internal static bool IsDnsFailure(Exception error) => Any(error, e =>
        e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }
        || e is WebException { Status: WebExceptionStatus.NameResolutionFailure or WebExceptionStatus.ProxyNameResolutionFailure });

    internal static bool IsRefused(Exception error) => Any(error, e =>
        e is SocketException { SocketErrorCode: SocketError.ConnectionRefused });

    internal static bool IsTlsFailure(Exception error) => Any(error, e =>
        e is AuthenticationException
        || e is WebException { Status: WebExceptionStatus.SecureChannelFailure or WebExceptionStatus.TrustFailure });

    private static bool Any(Exception error, Func<Exception, bool> test)
    {
        for (var e = error; e != null; e = e.InnerException)
            if (test(e)) return true;
        return false;
    }

    private static Exception Innermost(Exception error) => error.GetBaseException();
}
