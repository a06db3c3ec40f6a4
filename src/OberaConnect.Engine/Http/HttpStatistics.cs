namespace OberaConnect.Engine.Http;

/// <summary>Counters of one pipeline, read by results, summaries, benchmarks and metrics.</summary>
public sealed class HttpStatistics
{
    private long _requests;
    private long _rateLimited;
    private long _retries;
    private long _failures;
    private HttpFailure? _lastFailure;

    /// <summary>Attempts sent on the wire (each retry counts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>429 answers received.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Attempts that were retries.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Attempts that failed with 5xx, a transport error or a timeout.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The cause of the most recent failed attempt (connection refused, DNS, TLS, timeout, a 5xx), or null when none
    /// failed: what an open circuit breaker or a health probe that ran out of time reports as the reason.
    /// </summary>
    public HttpFailure? LastFailure => Volatile.Read(ref _lastFailure);

    internal void CountRequest() => Interlocked.Increment(ref _requests);
    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);
    internal void CountRetry() => Interlocked.Increment(ref _retries);
    internal void CountFailure(HttpFailure cause)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, cause);
    }

    /// <summary>A frozen copy, to subtract from a later one.</summary>
    public HttpStatisticsSnapshot Snapshot() => new(Requests, RateLimited, Retries, Failures);
}

/// <summary>Counter values at one moment.</summary>
public readonly record struct HttpStatisticsSnapshot(long Requests, long RateLimited, long Retries, long Failures)
{
    public static HttpStatisticsSnapshot operator -(HttpStatisticsSnapshot a, HttpStatisticsSnapshot b)
        => new(a.Requests - b.Requests, a.RateLimited - b.RateLimited, a.Retries - b.Retries, a.Failures - b.Failures);

    public static HttpStatisticsSnapshot operator +(HttpStatisticsSnapshot a, HttpStatisticsSnapshot b)
        => new(a.Requests + b.Requests, a.RateLimited + b.RateLimited, a.Retries + b.Retries, a.Failures + b.Failures);
}
