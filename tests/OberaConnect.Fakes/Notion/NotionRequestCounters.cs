using System.Collections.Concurrent;

namespace OberaConnect.Fakes.Notion;

/// <summary>One request as the fake saw it.</summary>
/// <param name="Endpoint">Method and route template, e.g. "POST /v1/data_sources/{id}/query".</param>
/// <param name="Path">The path and query string as sent.</param>
/// <param name="NotionVersion">The Notion-Version header, or null when missing.</param>
/// <param name="Body">The request body (null when empty).</param>
/// <param name="Status">The status answered; 0 when the connection was dropped on purpose.</param>
/// <param name="At">When the request arrived, by the fake's clock.</param>
public sealed record NotionRecordedRequest(string Endpoint, string Path, string? NotionVersion, string? Body, int Status, DateTimeOffset At);

/// <summary>
/// Requests per endpoint (method + route template) and in total, including the ones answered 429
/// or failed by an injected fault, so tests and benchmarks can assert how many calls an operation made.
/// </summary>
public sealed class NotionRequestCounters
{
    private const int MaxLog = 5_000;
    private readonly ConcurrentDictionary<string, int> _byEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<NotionRecordedRequest> _log = new();
    private int _total;
    private int _rateLimited;

    /// <summary>All requests since start or the last <see cref="Reset"/>.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Requests the rate limiter answered 429 (injected 429 faults are not included).</summary>
    public int RateLimited => Volatile.Read(ref _rateLimited);

    /// <summary>Requests to one endpoint, e.g. <c>Count("POST /v1/pages")</c>; 0 if none.</summary>
    public int Count(string endpoint) => _byEndpoint.TryGetValue(endpoint, out var n) ? n : 0;

    /// <summary>A copy of the per-endpoint counts.</summary>
    public IReadOnlyDictionary<string, int> ByEndpoint => new Dictionary<string, int>(_byEndpoint, StringComparer.Ordinal);

    /// <summary>The most recent requests (up to 5,000), oldest first.</summary>
    public IReadOnlyList<NotionRecordedRequest> Log => _log.ToArray();

    public void Reset()
    {
        _byEndpoint.Clear();
        _log.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
    }

    internal void Record(string endpoint)
    {
        _byEndpoint.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    internal void RecordRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void Append(NotionRecordedRequest entry)
    {
        _log.Enqueue(entry);
        while (_log.Count > MaxLog && _log.TryDequeue(out _)) { }
    }

    public override string ToString()
        => $"{Total} requests: " + string.Join(", ", _byEndpoint.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {kv.Value}"));
}
