using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Tests.Http;

/// <summary>
/// The request budget processes of one machine share through a file: each <see cref="SharedRequestBudget"/> instance stands for
/// a process (it keeps nothing in memory), so the slots they reserve show what several processes get. The reserved send times
/// are compared, nothing is timed.
/// </summary>
public sealed class SharedRequestBudgetTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oc-budget-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string FilePath => Path.Combine(_directory, "pacing", "budget-test.state");

    [Fact]
    public async Task Processes_sharing_the_file_get_slots_one_interval_apart_between_them_as_one_process_would()
    {
        var processes = new[] { new SharedRequestBudget(FilePath), new SharedRequestBudget(FilePath), new SharedRequestBudget(FilePath) };
        var interval = TimeSpan.FromSeconds(1.0 / 3);
        var slots = new List<DateTimeOffset>();
        // Twelve requests, taking turns between three "processes", with a burst of 3 (tolerance of two intervals).
        for (var i = 0; i < 12; i++)
            slots.Add((await processes[i % 3].ReserveAsync(interval, TimeSpan.FromTicks(interval.Ticks * 2), DateTimeOffset.MinValue, default))!.Value);

        var first = slots[0];
        // The first three go at once (the burst); after that one slot per interval whichever process asks: 3 requests/s together.
        Assert.All(slots.Take(3), s => Assert.True(s - first < TimeSpan.FromMilliseconds(200)));
        for (var i = 3; i < slots.Count; i++)
        {
            var gap = slots[i] - slots[i - 1];
            Assert.True(gap >= interval - TimeSpan.FromMilliseconds(2), $"slot {i} came {gap.TotalMilliseconds:0} ms after the one before");
        }
        Assert.True(slots[11] - first >= TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(50), $"12 requests spread over {(slots[11] - first).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_pause_for_a_429_in_one_process_holds_the_others_too()
    {
        var one = new SharedRequestBudget(FilePath);
        var other = new SharedRequestBudget(FilePath);
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        one.Pause(until);

        var slot = await other.ReserveAsync(TimeSpan.FromMilliseconds(100), TimeSpan.Zero, DateTimeOffset.MinValue, default);

        Assert.True(slot >= until, $"the other process may send at {slot:O}, before the pause ends at {until:O}");
    }

    [Fact]
    public async Task A_damaged_or_far_future_state_is_reset_and_an_unusable_folder_falls_back_to_pacing_alone_once_said()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, DateTimeOffset.UtcNow.AddYears(5).UtcTicks + " garbage\n");
        var budget = new SharedRequestBudget(FilePath);
        var slot = await budget.ReserveAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero, DateTimeOffset.MinValue, default);
        Assert.True(slot < DateTimeOffset.UtcNow.AddSeconds(5), "a clock that jumped is not waited for");

        var blocker = Path.Combine(_directory, "a-file");
        File.WriteAllText(blocker, "");
        var problems = new List<string>();
        var broken = new SharedRequestBudget(Path.Combine(blocker, "pacing", "budget.state")) { Problem = problems.Add };
        Assert.Null(await broken.ReserveAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero, DateTimeOffset.MinValue, default));
        Assert.Null(await broken.ReserveAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero, DateTimeOffset.MinValue, default));
        var problem = Assert.Single(problems);
        Assert.Contains("this process paces its own requests only", problem);
    }

    [Fact]
    public void Notion_clients_with_the_same_token_share_one_budget_file_named_without_the_token()
    {
        const string token = "ntn_budget_secret_0123456789";
        using var a = new NotionClient(token, new NotionClientOptions { BaseUrl = "http://127.0.0.1:9/", SharedBudgetDirectory = _directory });
        using var b = new NotionClient(token, new NotionClientOptions { BaseUrl = "http://127.0.0.1:9/", SharedBudgetDirectory = _directory });
        using var other = new NotionClient(token + "x", new NotionClientOptions { BaseUrl = "http://127.0.0.1:9/", SharedBudgetDirectory = _directory });
        using var alone = new NotionClient(token, new NotionClientOptions { BaseUrl = "http://127.0.0.1:9/" });

        Assert.Same(a.Pacer, b.Pacer);
        Assert.NotNull(a.Pacer.SharedFile);
        Assert.StartsWith(Path.Combine(Path.GetFullPath(_directory), "pacing"), a.Pacer.SharedFile);
        Assert.DoesNotContain(token, a.Pacer.SharedFile);
        Assert.NotEqual(a.Pacer.SharedFile, other.Pacer.SharedFile);
        Assert.Null(alone.Pacer.SharedFile);
    }

    [Fact]
    public async Task Work_inside_this_process_only_never_touches_the_shared_file()
    {
        var pacer = RequestPacer.ForKey("budget-test " + Guid.NewGuid().ToString("N"), 1000, 1000, null, _directory);
        using (RequestPacer.ThisProcessOnly()) await pacer.WaitAsync(default);
        Assert.False(File.Exists(pacer.SharedFile));

        await pacer.WaitAsync(default);
        Assert.True(File.Exists(pacer.SharedFile));
        Assert.Matches("^\\d+ \\d+\\n$", File.ReadAllText(pacer.SharedFile!));
    }
}
