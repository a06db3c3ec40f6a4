using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>Settings of a <see cref="NinjaOneClient"/>.</summary>
public sealed class NinjaOneClientOptions
{
    /// <summary>
    /// Where the tenant lives: a region code — us (app.ninjarmm.com), eu, oc, ca, us2 — or a full base
    /// URL such as https://eu.ninjarmm.com (https only, except loopback fakes).
    /// </summary>
    public string Instance { get; set; } = "us";

    /// <summary>OAuth scopes asked for. Reading needs "monitoring".</summary>
    public string Scope { get; set; } = "monitoring management";

    /// <summary>Items per page for the paged lists.</summary>
    public int PageSize { get; set; } = 200;

    /// <summary>
    /// How long before expiry the token is renewed (at most half its lifetime), so a request never
    /// leaves with a token that expires on the way.
    /// </summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>NinjaOne documents no rate limit: the default is conservative (5 a second, burst 5). 429 is honoured.</summary>
    public HttpResilienceOptions? Resilience { get; set; }

    /// <summary>The pacer; null for the process-wide one of this instance and client id.</summary>
    public RequestPacer? Pacer { get; set; }

    /// <summary>
    /// Where each HTTP attempt is traced; when null, the file named by OBERACONNECT_HTTP_TRACE (if set).
    /// Secrets are redacted either way.
    /// </summary>
    public HttpTraceWriter? Trace { get; set; }

    /// <summary>The resilience options in force.</summary>
    public HttpResilienceOptions EffectiveResilience()
        => Resilience?.Clone() ?? new HttpResilienceOptions { RequestsPerSecond = 5, Burst = 5 };

    /// <summary>The API base URL of <see cref="Instance"/>.</summary>
    public Uri BaseUrl => ResolveInstance(Instance);

    /// <summary>Maps a region code or URL to the API base URL; throws a configuration error for anything else.</summary>
    public static Uri ResolveInstance(string? instance)
    {
        var value = (instance ?? "").Trim();
        var host = value.ToLowerInvariant() switch
        {
            "" or "us" or "app" or "us1" => "app.ninjarmm.com",
            "eu" => "eu.ninjarmm.com",
            "oc" or "au" => "oc.ninjarmm.com",
            "ca" => "ca.ninjarmm.com",
            "us2" => "us2.ninjarmm.com",
            _ => null,
        };
        if (host != null) return new Uri("https://" + host + "/");
        if (!value.Contains("://")) value = "https://" + value;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration,
                $"NinjaOne instance '{instance}' is neither a region (us, eu, oc, ca, us2) nor a URL such as https://eu.ninjarmm.com.");
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration,
                $"NinjaOne instance URL must use https (got {uri}); the client secret would otherwise travel in clear text.");
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    internal void Validate()
    {
        _ = BaseUrl;
        if (PageSize < 1 || PageSize > 10000)
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration, $"NinjaOne PageSize must be between 1 and 10000 (got {PageSize}).");
        if (TokenRenewalMargin < TimeSpan.Zero)
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration, "NinjaOne TokenRenewalMargin must not be negative.");
        if (string.IsNullOrWhiteSpace(Scope))
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration, "NinjaOne Scope must name at least 'monitoring'.");
    }
}
