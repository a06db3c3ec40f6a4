using System.Collections.Concurrent;

namespace OberaConnect.Engine.Http;

/// <summary>
/// Spaces requests to one service so the process as a whole stays under its average rate, allowing a
/// short burst (the generic cell rate algorithm: each request reserves the next free slot).
/// One pacer is shared by every request to the same service in the process, whichever connection or
/// cmdlet sends it, because the service's limit is per integration, not per caller.
/// A 429's Retry-After pauses the pacer, so concurrent senders wait too instead of each earning a 429.
/// Given a folder (the state directory), the pacer of a key is shared by the processes of the machine as well
/// (<see cref="SharedRequestBudget"/>): jobs running at once with the same token share one budget instead of each
/// spending it whole. Work inside <see cref="ThisProcessOnly"/> (a -WhatIf run, which leaves no file behind) paces
/// in this process alone.
/// </summary>
public sealed class RequestPacer
{
    private static readonly ConcurrentDictionary<string, RequestPacer> Shared = new(StringComparer.OrdinalIgnoreCase);

    private static readonly AsyncLocal<bool> LocalOnly = new();

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private SharedRequestBudget? _shared;
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
        => ForKey(key, requestsPerSecond, burst, time, null);

    /// <summary>
    /// <see cref="ForKey(string, double, int, TimeProvider?)"/>, shared with the other processes of the machine through a file in
    /// <paramref name="sharedDirectory"/> named by a hash of <paramref name="key"/> (so put no secret in the key, only a hash
    /// of it). Only a pacer on the system clock is shared: other processes read the same clock.
    /// </summary>
    public static RequestPacer ForKey(string key, double requestsPerSecond, int burst, TimeProvider? time, string? sharedDirectory)
    {
        if (time is not null && !ReferenceEquals(time, TimeProvider.System)) return new RequestPacer(requestsPerSecond, burst, time);
        if (string.IsNullOrWhiteSpace(sharedDirectory)) return Shared.GetOrAdd(key, _ => new RequestPacer(requestsPerSecond, burst));
        var file = Path.Combine(Path.GetFullPath(sharedDirectory!), "pacing", "budget-" + Sources.SourceHttp.Fingerprint(key) + ".state");
        return Shared.GetOrAdd(key + "\u001f" + file, _ => new RequestPacer(requestsPerSecond, burst) { _shared = new SharedRequestBudget(file) });
    }

    /// <summary>The file the processes of this machine share this pacer's budget through, or null when it paces this process only.</summary>
    public string? SharedFile => _shared?.FilePath;

    /// <summary>Told once when the shared file cannot be used and the process paces alone.</summary>
    public Action<string>? SharedProblem { get => _shared?.Problem; set { if (_shared != null) _shared.Problem = value; } }

    /// <summary>
    /// Until disposed, requests of the current flow of work (and the tasks it starts) are paced in this process alone and never
    /// touch the shared file: a -WhatIf run leaves no file behind. The budget of the other processes is not reserved for them.
    /// </summary>
    public static IDisposable ThisProcessOnly()
    {
        var previous = LocalOnly.Value;
        LocalOnly.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore : IDisposable
    {
        private readonly bool _previous;
        public Restore(bool previous) => _previous = previous;
        public void Dispose() => LocalOnly.Value = _previous;
    }

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
        // Other processes of the machine pause too: they send with the same token.
        if (_shared != null && !LocalOnly.Value) _shared.Pause(until);
    }

    /// <summary>Reserves the next slot and waits for it. Returns how long it waited.</summary>
    public async Task<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        if (_shared != null && !LocalOnly.Value)
        {
            TimeSpan interval, tolerance;
            DateTimeOffset paused;
            lock (_gate) (interval, tolerance, paused) = (_interval, _tolerance, _pausedUntil);
            if (await _shared.ReserveAsync(interval, tolerance, paused, cancellationToken).ConfigureAwait(false) is { } sendAt)
            {
                var until = sendAt - DateTimeOffset.UtcNow;
                if (until > TimeSpan.Zero) await DelayAsync(_time, until, cancellationToken).ConfigureAwait(false);
                return until > TimeSpan.Zero ? until : TimeSpan.Zero;
            }
        }
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
