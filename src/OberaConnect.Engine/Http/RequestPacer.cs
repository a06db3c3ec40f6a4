using System.Collections.Concurrent;

namespace OberaConnect.Engine.Http;

/// <summary>
/// Spaces requests to one service so the process as a whole stays under its average rate, allowing a
/// short burst (the generic cell rate algorithm: each request reserves the next free slot).
/// One pacer is shared by every request to the same service in the process, whichever connection or
/// cmdlet sends it, because the service's limit is per integration, not per caller.
/// A 429's Retry-After pauses the pacer, so concurrent senders wait too instead of each earning a 429.
/// </summary>
public sealed class RequestPacer
{
    private static readonly ConcurrentDictionary<string, RequestPacer> Shared = new(StringComparer.OrdinalIgnoreCase);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private TimeSpan _interval;
    private TimeSpan _tolerance;

    public RequestPacer(double requestsPerSecond, int burst, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Configure(requestsPerSecond, burst);
    }

    /// <summary>
    /// The process-wide pacer for <paramref name="key"/> (for example the service's base URL). The first
    /// caller's rate wins until <see cref="Configure"/> changes it. A clock other than the system's (a test's,
    /// a tool's) gets a pacer of its own: a pacer reads time from exactly one clock, so it is never shared
    /// between clocks.
    /// </summary>
    public static RequestPacer ForKey(string key, double requestsPerSecond, int burst, TimeProvider? time = null)
        => time is null || ReferenceEquals(time, TimeProvider.System)
            ? Shared.GetOrAdd(key, _ => new RequestPacer(requestsPerSecond, burst))
            : new RequestPacer(requestsPerSecond, burst, time);

    /// <summary>Average rate this pacer allows.</summary>
    public double RequestsPerSecond { get; private set; }

    /// <summary>Changes the rate for every later request.</summary>
    public void Configure(double requestsPerSecond, int burst)
    {
        if (requestsPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(requestsPerSecond));
        if (burst < 1) throw new ArgumentOutOfRangeException(nameof(burst));
        lock (_gate)
        {
            RequestsPerSecond = requestsPerSecond;
            _interval = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / requestsPerSecond));
            _tolerance = TimeSpan.FromTicks(_interval.Ticks * (burst - 1));
        }
    }

    /// <summary>Holds every later request until <paramref name="until"/> (a service's Retry-After).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until > _pausedUntil) _pausedUntil = until;
        }
    }

    /// <summary>Reserves the next slot and waits for it. Returns how long it waited.</summary>
    public async Task<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var start = now;
            if (_pausedUntil > start) start = _pausedUntil;
            var arrival = _theoreticalArrival > start ? _theoreticalArrival : start;
            // Within the burst tolerance a request goes at once; beyond it, it waits for its slot.
            var sendAt = arrival - _tolerance > start ? arrival - _tolerance : start;
            _theoreticalArrival = arrival + _interval;
            wait = sendAt - now;
        }
        if (wait > TimeSpan.Zero)
            await DelayAsync(_time, wait, cancellationToken).ConfigureAwait(false);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    internal static Task DelayAsync(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero) return Task.CompletedTask;
        return time.Delay(delay, cancellationToken);
    }
}
