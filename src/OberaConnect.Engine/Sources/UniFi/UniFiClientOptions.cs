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

/// <summary>
/// Settings of a <see cref="UniFiClient"/>. <see cref="SourceClientOptions.PageSize"/> (1 to 1000, default 100) is
/// sent as pageSize on v1, which returns nextToken while more remain, and not to early-access endpoints. When
/// <see cref="SourceClientOptions.Resilience"/> is null, UniFi's own limits apply: v1 10,000 a minute (about 166 a
/// second, burst 20), early access 100 a minute (1.67 a second, burst 5). The process-wide pacer is per base URL,
/// version and API key, because UniFi's limit is per API key, not per caller.
/// </summary>
public sealed class UniFiClientOptions : SourceClientOptions
{
    public UniFiClientOptions()
        : base(pageSize: 100)
    {
    }

    /// <summary>Site Manager base URL. https only, except for loopback addresses (local fakes).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.ui.com/");

    /// <summary>v1 (default) or early access; decides the path prefix and the default pacing.</summary>
    public UniFiApiVersion ApiVersion { get; set; } = UniFiApiVersion.V1;

    /// <summary>Host ids per /v1/devices request, so the query string stays short.</summary>
    public int HostIdsPerRequest { get; set; } = 25;

    private protected override HttpResilienceOptions DefaultResilience()
        => ApiVersion == UniFiApiVersion.EarlyAccess
            ? new HttpResilienceOptions { RequestsPerSecond = 100.0 / 60.0, Burst = 5 }
            : new HttpResilienceOptions { RequestsPerSecond = 10000.0 / 60.0, Burst = 20 };

    internal override string PacerScope => $"UniFi|{BaseUrl}|{ApiVersion}";

    internal override void Validate()
    {
        const string invalid = "UniFiInvalidSetting";
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri)
            throw new OberaConnectException(invalid, FailureKind.Configuration, "UniFi BaseUrl must be an absolute URL such as https://api.ui.com/.");
        RequireHttpsOrLoopback(BaseUrl, invalid, "UniFi BaseUrl", "API key");
        RequireRange(PageSize, 1, 1000, invalid, "UniFi PageSize");
        RequireRange(HostIdsPerRequest, 1, 200, invalid, "UniFi HostIdsPerRequest");
    }
}
