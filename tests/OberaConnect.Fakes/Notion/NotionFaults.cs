namespace OberaConnect.Fakes.Notion;

public enum NotionFaultKind
{
    /// <summary>Answer with an error status and Notion's error body (502: an HTML page, as gateways send).</summary>
    Status,

    /// <summary>Wait (by the fake's clock) before handling the request normally.</summary>
    Delay,

    /// <summary>Abort the connection before answering; nothing is applied.</summary>
    DropConnection,

    /// <summary>Apply the request (the write happens), then abort the connection instead of answering.</summary>
    LoseResponse,
}

/// <summary>A failure to inject into the next matching requests.</summary>
public sealed record NotionFault
{
    private NotionFault(NotionFaultKind kind) => Kind = kind;

    public NotionFaultKind Kind { get; }
    public int StatusCode { get; private init; }
    public int? RetryAfterSeconds { get; private init; }
    public TimeSpan DelayBy { get; private init; }

    /// <summary>Any status: 429 rate_limited, 409 conflict_error, 500, 502 (HTML body), 503, 504, 529 service_overload.</summary>
    public static NotionFault Status(int statusCode, int? retryAfterSeconds = null)
        => new(NotionFaultKind.Status) { StatusCode = statusCode, RetryAfterSeconds = retryAfterSeconds };

    public static NotionFault RateLimited(int retryAfterSeconds = 1) => Status(429, retryAfterSeconds);
    public static NotionFault InternalServerError() => Status(500);
    public static NotionFault BadGateway() => Status(502);
    public static NotionFault ServiceUnavailable(int? retryAfterSeconds = null) => Status(503, retryAfterSeconds);
    public static NotionFault GatewayTimeout() => Status(504);
    public static NotionFault ServiceOverload(int retryAfterSeconds = 1) => Status(529, retryAfterSeconds);

    /// <summary>Holds the request for <paramref name="by"/> (longer than the client's timeout to make it time out).</summary>
    public static NotionFault Delay(TimeSpan by) => new(NotionFaultKind.Delay) { DelayBy = by };

    public static NotionFault DropConnection() => new(NotionFaultKind.DropConnection);

    /// <summary>"The write succeeded but the response was lost": applies the request, then aborts the connection.</summary>
    public static NotionFault LoseResponse() => new(NotionFaultKind.LoseResponse);
}

/// <summary>
/// Faults waiting for requests. Each rule matches an endpoint ("POST /v1/pages",
/// "POST /v1/data_sources/{id}/query", or "*" for any) and fires for its next <c>times</c> requests.
/// </summary>
public sealed class NotionFaults
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = new();
    private int _fired;

    /// <summary>Fails the next <paramref name="times"/> requests to <paramref name="endpoint"/> with <paramref name="fault"/>.</summary>
    public void Add(string endpoint, NotionFault fault, int times = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate) _rules.Add(new Rule(endpoint.Trim(), fault, times));
    }

    /// <summary>Injections not yet fired.</summary>
    public int Pending { get { lock (_gate) return _rules.Sum(r => r.Remaining); } }

    /// <summary>Injections fired since start or <see cref="Clear"/>.</summary>
    public int Fired => Volatile.Read(ref _fired);

    public void Clear()
    {
        lock (_gate) _rules.Clear();
        Interlocked.Exchange(ref _fired, 0);
    }

    internal NotionFault? TryTake(string endpoint)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Remaining <= 0 || (rule.Endpoint != "*" && !string.Equals(rule.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase))) continue;
                rule.Remaining--;
                _fired++;
                if (rule.Remaining == 0) _rules.Remove(rule);
                return rule.Fault;
            }
        }
        return null;
    }

    private sealed class Rule(string endpoint, NotionFault fault, int times)
    {
        public string Endpoint { get; } = endpoint;
        public NotionFault Fault { get; } = fault;
        public int Remaining { get; set; } = times;
    }
}
