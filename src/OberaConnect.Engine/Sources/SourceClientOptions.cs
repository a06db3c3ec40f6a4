using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// Settings every source client (UniFi Site Manager, NinjaOne) has: page size, pacing and retries, the pacer and
/// the trace. Each service's options add their own settings, defaults and limits.
/// </summary>
public abstract class SourceClientOptions
{
    // Only the source options of this assembly derive from it.
    private protected SourceClientOptions(int pageSize)
    {
        PageSize = pageSize;
    }

    /// <summary>Items asked for per page; each service documents its default and range.</summary>
    public int PageSize { get; set; }

    /// <summary>Pacing, retries and timeouts. When null, the service's own defaults apply (see <see cref="EffectiveResilience"/>).</summary>
    public HttpResilienceOptions? Resilience { get; set; }

    /// <summary>
    /// The pacer to use. When null the process-wide pacer of this service, address and credential is used,
    /// because the services limit a credential, not a caller. Tests pass their own.
    /// </summary>
    public RequestPacer? Pacer { get; set; }

    /// <summary>
    /// Where each HTTP attempt is traced; when null, the file named by OBERACONNECT_HTTP_TRACE (if set).
    /// Secrets are redacted either way.
    /// </summary>
    public HttpTraceWriter? Trace { get; set; }

    /// <summary>The resilience options in force: a copy of <see cref="Resilience"/>, or the service's defaults.</summary>
    public HttpResilienceOptions EffectiveResilience() => Resilience?.Clone() ?? DefaultResilience();

    /// <summary>The service's own pacing when <see cref="Resilience"/> is null.</summary>
    private protected abstract HttpResilienceOptions DefaultResilience();

    /// <summary>
    /// The part of the process-wide pacer key these settings decide (service, address, API version); the client
    /// adds the fingerprint of its credential.
    /// </summary>
    internal abstract string PacerScope { get; }

    /// <summary>Throws a configuration error naming the first setting that is wrong.</summary>
    internal abstract void Validate();

    /// <summary>
    /// Refuses a plain-http URL unless it is a loopback address (a local fake): <paramref name="secret"/> would
    /// otherwise travel in clear text.
    /// </summary>
    private protected static void RequireHttpsOrLoopback(Uri uri, string errorId, string setting, string secret)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            throw new OberaConnectException(errorId, FailureKind.Configuration,
                $"{setting} must use https (got {uri}); the {secret} would otherwise travel in clear text.");
    }

    /// <summary>Refuses a number outside <paramref name="min"/> to <paramref name="max"/>, saying the range.</summary>
    private protected static void RequireRange(int value, int min, int max, string errorId, string setting)
    {
        if (value < min || value > max)
            throw new OberaConnectException(errorId, FailureKind.Configuration, $"{setting} must be between {min} and {max} (got {value}).");
    }
}
