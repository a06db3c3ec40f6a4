namespace OberaConnect.Engine.Tests.Support;

/// <summary>
/// A clock that moves only when a test says so. Timers (and so Task delays made through the
/// TimeProvider) fire when <see cref="Advance"/> passes their due time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = new();
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public override long GetTimestamp() { lock (_gate) return _now.UtcTicks; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Total time advanced since creation.</summary>
    public TimeSpan Elapsed { get; private set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing due timers in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate) target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is not null && t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null) { Elapsed += target - _now; _now = target; return; }
                if (next.Due > _now) { Elapsed += next.Due.Value - _now; _now = next.Due.Value; }
                next.Due = next.Period is { } p && p > TimeSpan.Zero && p != Timeout.InfiniteTimeSpan ? _now + p : null;
            }
            next.Fire();
        }
    }

    /// <summary>
    /// Drives the clock until <paramref name="task"/> completes: whenever the code under test is waiting
    /// on a timer, time jumps to that timer (at most <paramref name="step"/> at a time); while it is
    /// doing real I/O (no timer due), time stands still. Keep per-attempt timeouts longer than
    /// <paramref name="step"/> when real HTTP is in flight. Fails after <paramref name="limit"/> of fake time.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? step = null, TimeSpan? limit = null)
    {
        var s = step ?? TimeSpan.FromSeconds(1);
        var max = limit ?? TimeSpan.FromHours(2);
        var spent = TimeSpan.Zero;
        var idleSince = DateTime.UtcNow;
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(2));
            if (task.IsCompleted) break;
            DateTimeOffset? nextDue;
            lock (_gate) nextDue = _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
            if (nextDue is null)
            {
                if (DateTime.UtcNow - idleSince > TimeSpan.FromSeconds(30))
                    throw new TimeoutException("Task made no progress for 30 s of real time with no timer pending.");
                continue;
            }
            idleSince = DateTime.UtcNow;
            var by = nextDue.Value - GetUtcNow();
            if (by > s) by = s;
            if (by < TimeSpan.Zero) by = TimeSpan.Zero;
            if (spent > max) throw new TimeoutException($"Task did not finish within {max} of fake time.");
            Advance(by);
            spent += by;
        }
        return await task;
    }

    public async Task RunAsync(Task task, TimeSpan? step = null, TimeSpan? limit = null)
        => await RunAsync(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default), step, limit);

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
            lock (owner._gate) owner._timers.Add(this);
        }

        public DateTimeOffset? Due { get; set; }
        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : _owner._now + dueTime;
                Period = period;
            }
            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose() { lock (_owner._gate) { Due = null; _owner._timers.Remove(this); } }

        public ValueTask DisposeAsync() { Dispose(); return default; }
    }
}
