using System.Globalization;
using System.Text;
using OberaConnect.Engine.Operations;

namespace OberaConnect.Engine.Http;

/// <summary>
/// The pacing state of one integration shared by every process on the machine: a small file in the state directory
/// holding the next theoretical arrival time of the generic cell rate algorithm and the end of a Retry-After pause, both
/// as UTC ticks of the system clock. Each request locks the file (<see cref="CrossProcessFileLock.AcquireFileAsync"/>:
/// released by the OS if the process dies), reserves its slot, writes the new state and lets go before waiting for
/// the slot, so two or three jobs using the same token together stay at the integration's rate. The file is named by a
/// hash of the pacer's key, which holds only a hash of the token: no secret is on disk.
/// A file that cannot be used (an unwritable folder, a lock held for seconds) is reported once and the process paces
/// alone, as it did before the file existed; a value in the file far from now (a clock that jumped) is reset.
/// </summary>
internal sealed class SharedRequestBudget
{
    /// <summary>How long a reservation waits for the file before pacing alone: the lock is held for microseconds.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    /// <summary>A stored time further ahead than this is not a pacing state but a clock that jumped: it is reset.</summary>
    private static readonly TimeSpan Sane = TimeSpan.FromDays(1);

    private int _reported;

    public SharedRequestBudget(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>Called once with the reason when the file cannot be used and the process paces alone.</summary>
    public Action<string>? Problem { get; set; }

    /// <summary>
    /// Reserves the next slot: returns when it may be sent (system clock), or null when the file could not be used.
    /// <paramref name="interval"/> and <paramref name="tolerance"/> are the caller's rate and burst (each process applies its own).
    /// </summary>
    public async Task<DateTimeOffset?> ReserveAsync(TimeSpan interval, TimeSpan tolerance, DateTimeOffset pausedUntil, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using var held = await CrossProcessFileLock.AcquireFileAsync(FilePath, TimeProvider.System, LockWait, null, cancellationToken).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var (arrivalStored, pausedStored) = Read(held.Stream, now);
            var start = now;
            if (pausedStored > start) start = pausedStored;
            if (pausedUntil > start) start = pausedUntil;
            var arrival = arrivalStored > start ? arrivalStored : start;
            // Within the burst tolerance a request goes at once; beyond it, it waits for its slot.
            var sendAt = arrival - tolerance > start ? arrival - tolerance : start;
            Write(held.Stream, arrival + interval, pausedStored > pausedUntil ? pausedStored : pausedUntil);
            return sendAt;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException or NotSupportedException or ArgumentException)
        {
            Report(ex);
            return null;
        }
    }

    /// <summary>Holds every process's later requests until <paramref name="until"/> (a 429's Retry-After). Best effort.</summary>
    public void Pause(DateTimeOffset until)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using var held = CrossProcessFileLock.AcquireFileAsync(FilePath, TimeProvider.System, LockWait, null, CancellationToken.None).GetAwaiter().GetResult();
            var (arrival, paused) = Read(held.Stream, DateTimeOffset.UtcNow);
            if (until > paused) Write(held.Stream, arrival, until);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException or NotSupportedException or ArgumentException)
        {
            Report(ex);
        }
    }

    private void Report(Exception ex)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0)
            Problem?.Invoke($"The request budget shared with other processes ({FilePath}) cannot be used ({ex.Message}); this process paces its own requests only.");
    }

    private static (DateTimeOffset Arrival, DateTimeOffset PausedUntil) Read(FileStream stream, DateTimeOffset now)
    {
        stream.Position = 0;
        var buffer = new byte[128];
        var length = stream.Read(buffer, 0, buffer.Length);
        var parts = Encoding.ASCII.GetString(buffer, 0, length).Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        return (Parse(parts, 0, now), Parse(parts, 1, now));
    }

    private static DateTimeOffset Parse(string[] parts, int index, DateTimeOffset now)
    {
        if (parts.Length <= index || !long.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            return DateTimeOffset.MinValue;
        var value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return value > now + Sane ? DateTimeOffset.MinValue : value;
    }

    private static void Write(FileStream stream, DateTimeOffset arrival, DateTimeOffset pausedUntil)
    {
        var bytes = Encoding.ASCII.GetBytes(arrival.UtcTicks.ToString(CultureInfo.InvariantCulture) + " " +
                                            pausedUntil.UtcTicks.ToString(CultureInfo.InvariantCulture) + "\n");
        stream.Position = 0;
        stream.Write(bytes, 0, bytes.Length);
        stream.SetLength(bytes.Length);
        stream.Flush();
    }
}
