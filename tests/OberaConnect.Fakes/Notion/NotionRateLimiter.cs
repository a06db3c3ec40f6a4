namespace OberaConnect.Fakes.Notion;

/// <summary>
/// Notion's documented limit: an average of N requests per second with short bursts. A token bucket
/// on the fake's clock, so tests drive it with a manual TimeProvider.
/// </summary>
internal sealed class NotionRateLimiter
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private double? _perSecond;
    private int _burst;
    private double _tokens;
    private DateTimeOffset _last;

    public NotionRateLimiter(TimeProvider time, double? perSecond, int burst)
    {
        _time = time;
        Configure(perSecond, burst);
    }

    public void Configure(double? perSecond, int burst)
    {
        if (perSecond is <= 0) throw new ArgumentOutOfRangeException(nameof(perSecond), "The rate must be positive, or null for no limit.");
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        lock (_gate)
        {
            _perSecond = perSecond;
            _burst = burst;
            _tokens = burst;
            _last = _time.GetUtcNow();
        }
    }

    /// <summary>Takes one request's worth; when none is left says how many whole seconds to wait.</summary>
    public bool TryAcquire(out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        lock (_gate)
        {
            if (_perSecond is not { } rate) return true;
            var now = _time.GetUtcNow();
            var elapsed = (now - _last).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_burst, _tokens + elapsed * rate);
                _last = now;
            }
            // A hair of tolerance: clock steps like 1/6 s are not exact in ticks.
            if (_tokens >= 1 - 1e-6)
            {
                _tokens = Math.Max(0, _tokens - 1);
                return true;
            }
            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / rate));
            return false;
        }
    }
}
