using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>Which Site Manager API the client calls: the stable v1 or early access (EA), which have different limits.</summary>
public enum UniFiApiVersion
{
    /// <summary>/v1/... — 10,000 requests a minute.</summary>
    V1,
    /// <summary>/ea/... — 100 requests a minute.</summary>
    EarlyAccess,
}

/// <summary>Settings of a <see cref="UniFiClient"/>.</summary>
public sealed class UniFiClientOptions
{
    /// <summary>Site Manager base URL. https only, except for loopback addresses (local fakes).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.ui.com/");

    /// <summary>v1 (default) or early access; decides the path prefix and the default pacing.</summary>
    public UniFiApiVersion ApiVersion { get; set; } = UniFiApiVersion.V1;

    /// <summary>Items asked for per page (pageSize) on v1; the API returns nextToken while more remain. Not sent to early-access endpoints.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Host ids per /v1/devices request, so the query string stays short.</summary>
    public int HostIdsPerRequest { get; set; } = 25;

    /// <summary>
    /// Pacing, retries and timeouts. When null, UniFi's own limits apply: v1 10,000 a minute
    /// (about 166 a second, burst 20), early access 100 a minute (1.67 a second, burst 5).
    /// </summary>
    public HttpResilienceOptions? Resilience { get; set; }

    /// <summary>
    /// The pacer to use. When null the process-wide pacer of this base URL and key is used, because
    /// UniFi's limit is per API key, not per caller. Tests pass their own.
    /// </summary>
    public RequestPacer? Pacer { get; set; }

    /// <summary>
    /// Where each HTTP attempt is traced; when null, the file named by OBERACONNECT_HTTP_TRACE (if set).
    /// Secrets are redacted either way.
    /// </summary>
    public HttpTraceWriter? Trace { get; set; }

    /// <summary>The resilience options in force: <see cref="Resilience"/> or UniFi's defaults for the version.</summary>
    public HttpResilienceOptions EffectiveResilience()
    {
        if (Resilience != null) return Resilience.Clone();
        return ApiVersion == UniFiApiVersion.EarlyAccess
            ? new HttpResilienceOptions { RequestsPerSecond = 100.0 / 60.0, Burst = 5 }
            : new HttpResilienceOptions { RequestsPerSecond = 10000.0 / 60.0, Burst = 20 };
    }

    internal void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri)
            throw new OberaConnectException("UniFiInvalidSetting", FailureKind.Configuration, "UniFi BaseUrl must be an absolute URL such as https://api.ui.com/.");
        if (BaseUrl.Scheme != Uri.UriSchemeHttps && !BaseUrl.IsLoopback)
            throw new OberaConnectException("UniFiInvalidSetting", FailureKind.Configuration,
                $"UniFi BaseUrl must use https (got {BaseUrl}); the API key would otherwise travel in clear text.");
        if (PageSize < 1 || PageSize > 1000)
            throw new OberaConnectException("UniFiInvalidSetting", FailureKind.Configuration, $"UniFi PageSize must be between 1 and 1000 (got {PageSize}).");
        if (HostIdsPerRequest < 1 || HostIdsPerRequest > 200)
            throw new OberaConnectException("UniFiInvalidSetting", FailureKind.Configuration, $"UniFi HostIdsPerRequest must be between 1 and 200 (got {HostIdsPerRequest}).");
    }
}
