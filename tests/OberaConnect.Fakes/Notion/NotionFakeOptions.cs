namespace OberaConnect.Fakes.Notion;

/// <summary>How a <see cref="NotionFake"/> behaves. Defaults suit tests: dynamic port, no rate limit.</summary>
public sealed class NotionFakeOptions
{
    /// <summary>Notion's documented average: 3 requests per second per integration.</summary>
    public const double NotionRateLimitPerSecond = 3;

    /// <summary>The burst the fake allows above the average when a limit is set.</summary>
    public const int DefaultBurst = 10;

    /// <summary>Notion's page objects carry at most 25 references of a relation (has_more says there are more).</summary>
    public const int PageObjectReferenceLimit = 25;

    /// <summary>The property endpoint lists a title, rich_text, relation or people value 25 items a page.</summary>
    public const int PropertyItemPageSize = 25;

    /// <summary>Clock for timestamps, the rate limiter and injected delays; a manual clock drives all three.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The integration token the fake accepts as "Bearer ..."; a random "ntn_fake_..." when null.</summary>
    public string? Token { get; init; }

    /// <summary>Average requests per second before 429 rate_limited; null means no limit.</summary>
    public double? RateLimitPerSecond { get; init; }

    /// <summary>Requests allowed at once above the average (token bucket size).</summary>
    public int Burst { get; init; } = DefaultBurst;

    /// <summary>
    /// Notion creates a select / multi_select option when a page names one that does not exist.
    /// True rejects such writes with validation_error instead (catches typos in tests).
    /// </summary>
    public bool StrictSelectOptions { get; init; }

    /// <summary>Rows one data source query (one filter + sorts, then its cursors) returns at most.</summary>
    public int QueryResultLimit { get; init; } = 10_000;

    /// <summary>Largest request body accepted; bigger ones are answered 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 500 * 1024;

    /// <summary>The bot user's name (also used in object_not_found messages).</summary>
    public string IntegrationName { get; init; } = "OberaConnect Fake Integration";

    public string WorkspaceName { get; init; } = "OberaConnect Fake Workspace";
}
