using System.Globalization;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Notion;

/// <summary>How a <see cref="NotionClient"/> reaches Notion: where, which API version, how fast.</summary>
public sealed class NotionClientOptions
{
    /// <summary>The newest API version, the default.</summary>
    public const string LatestVersion = "2026-03-11";

    /// <summary>The oldest version this client supports: the first with data sources.</summary>
    public const string DataSourcesVersion = "2025-09-03";

    /// <summary>Notion's API root; point it at a loopback fake in tests (<c>http://127.0.0.1:port/</c>).</summary>
    public string BaseUrl { get; set; } = "https://api.notion.com/";

    /// <summary>
    /// The <c>Notion-Version</c> header. <c>2026-03-11</c> (default) and <c>2025-09-03</c> are supported; the
    /// client adapts the request fields that differ (<c>in_trash</c> vs <c>archived</c>, <c>position</c> vs <c>after</c>).
    /// </summary>
    public string NotionVersion { get; set; } = LatestVersion;

    /// <summary>Pacing and retries; Notion's default is 3 requests per second on average with a burst of 3.</summary>
    public HttpResilienceOptions Resilience { get; set; } = new() { RequestsPerSecond = 3, Burst = 3 };

    /// <summary>After a create or append whose answer was lost: how many times to look for it before concluding it is absent.</summary>
    public int DuplicateCheckAttempts { get; set; } = 3;

    /// <summary>Wait between those looks: Notion's query index can lag a create by a moment.</summary>
    public TimeSpan DuplicateCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times in total one create or append may be sent when each answer is lost and each check finds nothing.</summary>
    public int MaxWriteAttempts { get; set; } = 3;

    /// <summary>An HTTP trace file; null uses the OBERACONNECT_HTTP_TRACE environment variable (off when unset).</summary>
    public string? TraceFile { get; set; }

    /// <summary>
    /// A folder (the state directory) through which the processes of this machine using the same token share one request
    /// budget; null paces this process only. Used only on the system clock.
    /// </summary>
    public string? SharedBudgetDirectory { get; set; }

    /// <summary>A copy (the client keeps its own).</summary>
    public NotionClientOptions Clone()
    {
        var copy = (NotionClientOptions)MemberwiseClone();
        copy.Resilience = Resilience.Clone();
        return copy;
    }

    internal Uri Validate()
    {
        static OberaConnectException Bad(string what) => new("NotionInvalidSetting", FailureKind.Configuration, "Notion client settings: " + what);

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw Bad($"BaseUrl \"{BaseUrl}\" is not an absolute http(s) URL; the default is https://api.notion.com/.");
        if (!DateTime.TryParseExact(NotionVersion, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw Bad($"NotionVersion \"{NotionVersion}\" is not a version date such as {LatestVersion}.");
        if (string.CompareOrdinal(NotionVersion, DataSourcesVersion) < 0)
            throw Bad($"NotionVersion {NotionVersion} predates data sources; use {DataSourcesVersion} or {LatestVersion} (the default).");
        if (DuplicateCheckAttempts < 1 || DuplicateCheckAttempts > 10)
            throw Bad($"DuplicateCheckAttempts must be between 1 and 10 (got {DuplicateCheckAttempts}).");
        if (DuplicateCheckInterval < TimeSpan.Zero || DuplicateCheckInterval > TimeSpan.FromMinutes(1))
            throw Bad($"DuplicateCheckInterval must be between 0 and 1 minute (got {DuplicateCheckInterval}).");
        if (MaxWriteAttempts < 1 || MaxWriteAttempts > 10)
            throw Bad($"MaxWriteAttempts must be between 1 and 10 (got {MaxWriteAttempts}).");
        Resilience.Validate("Notion");
        var text = uri.AbsoluteUri;
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
    }

    /// <summary>True for versions where <c>archived</c> became <c>in_trash</c> and <c>after</c> became <c>position</c>.</summary>
    internal bool IsAtLeast2026 => string.CompareOrdinal(NotionVersion, LatestVersion) >= 0;
}
