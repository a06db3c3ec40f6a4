using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Real <see cref="NotionClient"/>s pointed at a <see cref="NotionFake"/> on 127.0.0.1, with the client's
/// default HTTP handler (real sockets), and the drivers the end-to-end tests share.
/// </summary>
internal static class NotionClientsOnFake
{
    /// <summary>Moves the test clock in steps this small, so in-flight HTTP barely advances it.</summary>
    public static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A client of <paramref name="fake"/>. Without <paramref name="clock"/> it runs on real time but with a
    /// pacer of its own (see <see cref="RealTime"/>) at 1000 requests/s and millisecond backoffs, so tests
    /// are not slowed by Notion's 3 requests/s. With a manual clock, per-attempt timeouts are as long as
    /// allowed because the clock also moves while real HTTP is in flight.
    /// </summary>
    public static NotionClient Create(NotionFake fake, TimeProvider? clock = null, string version = NotionClientOptions.LatestVersion,
        string? token = null, Action<NotionClientOptions>? tweak = null)
    {
        var options = new NotionClientOptions
        {
            BaseUrl = fake.BaseUrl.AbsoluteUri,
            NotionVersion = version,
            Resilience =
            {
                RequestsPerSecond = 1000,
                Burst = 1000,
                RequestTimeout = clock is null ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(10),
            },
        };
        if (clock is null)
        {
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(5);
            options.Resilience.MaxBackoff = TimeSpan.FromMilliseconds(20);
            options.DuplicateCheckInterval = TimeSpan.Zero;
        }
        tweak?.Invoke(options);
        return new NotionClient(token ?? fake.Token, options, handler: null, time: clock ?? new RealTime());
    }

    /// <summary>Runs <paramref name="task"/> while jumping <paramref name="clock"/> to the timers it waits on.</summary>
    public static Task<T> Drive<T>(this ManualTimeProvider clock, Task<T> task) => clock.RunAsync(task, ClockStep);

    public static Task Drive(this ManualTimeProvider clock, Task task) => clock.RunAsync(task, ClockStep);

    /// <summary>Reads a whole stream (query results) into a list.</summary>
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    /// <summary>
    /// The system clock, but not <see cref="TimeProvider.System"/> itself: given the system clock the client
    /// shares the process-wide pacer keyed by base URL, and a later fake can reuse an earlier one's port.
    /// </summary>
    private sealed class RealTime : TimeProvider
    {
    }
}
