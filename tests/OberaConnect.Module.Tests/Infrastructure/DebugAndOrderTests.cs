using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

/// <summary>
/// The pure rules behind three things users see: where -Debug output goes (never a prompt it did not ask for, on
/// PowerShell 7 and Windows PowerShell 5.1 alike), results in the order of the input while writes finish in any order,
/// and the words and numbers of a sync's progress.
/// </summary>
public class DebugAndOrderTests
{
    [Theory]
    // -Debug on PowerShell 7: the Debug stream; verbose messages follow it unless -Verbose is given too.
    [InlineData(true, false, false, null, false, DebugTarget.Stream, true)]
    [InlineData(true, true, false, null, false, DebugTarget.Stream, false)]
    // -Debug on Windows PowerShell 5.1 means Inquire: the host's console instead, attended or not.
    [InlineData(true, false, true, null, false, DebugTarget.Host, true)]
    [InlineData(true, false, true, "SilentlyContinue", true, DebugTarget.Host, true)]
    // No switch: the preference decides; nothing at all when it is off.
    [InlineData(false, false, false, null, false, DebugTarget.Off, false)]
    [InlineData(false, false, false, "SilentlyContinue", false, DebugTarget.Off, false)]
    [InlineData(false, false, false, "Ignore", true, DebugTarget.Off, false)]
    [InlineData(false, false, true, "Continue", true, DebugTarget.Stream, false)]
    // $DebugPreference = 'Inquire' set by the user: kept when someone can answer, the host when nobody can.
    [InlineData(false, false, false, "Inquire", false, DebugTarget.Stream, false)]
    [InlineData(false, false, false, "Inquire", true, DebugTarget.Host, false)]
    [InlineData(false, false, true, "Inquire", true, DebugTarget.Host, false)]
    public void Debug_output_goes_where_it_cannot_prompt_by_itself(bool debugSwitch, bool verboseSwitch, bool windowsPowerShell, string? preference,
        bool unattended, DebugTarget target, bool verboseAsDebug)
    {
        var decision = DebugRouting.Decide(debugSwitch, verboseSwitch, windowsPowerShell, preference, unattended);
        Assert.Equal(target, decision.Target);
        Assert.Equal(verboseAsDebug, decision.VerboseAsDebug);
        Assert.Equal(target != DebugTarget.Off, decision.Wanted);
    }

    [Fact]
    public void Results_leave_in_input_order_while_writes_finish_in_any_order()
    {
        var order = new InputOrder();
        var released = new List<object>();
        order.Pending("a");
        order.Ready("b done");
        order.Pending("c");
        order.Pending("d");
        released.AddRange(order.TakeReady());
        Assert.Empty(released);

        Assert.True(order.Complete("d", "d done"));
        Assert.True(order.Complete("c", "c done"));
        released.AddRange(order.TakeReady());
        Assert.Empty(released);
        Assert.Equal(1, order.Waiting);

        Assert.True(order.Complete("a", "a done"));
        order.Ready("e done");
        released.AddRange(order.TakeReady());
        Assert.Equal(new object[] { "a done", "b done", "c done", "d done", "e done" }, released);
        Assert.Equal(0, order.Waiting);
        Assert.False(order.Complete("x", "unknown"));
    }

    [Fact]
    public void Progress_with_a_known_total_says_how_many_of_how_many_the_percentage_and_the_time_left()
    {
        var progress = new RecordProgress();
        progress.Expect(98);
        for (var i = 0; i < 30; i++) progress.Count(i < 20 ? "Created" : i < 29 ? "Unchanged" : "Failed");
        Assert.Equal(30, progress.PercentComplete);
        Assert.Equal(23, progress.SecondsRemaining(TimeSpan.FromSeconds(10)));
        Assert.Equal("30 of 98 record(s) (30%): 20 created, 0 updated, 9 unchanged, 0 skipped, 1 failed; about 23 s left",
            progress.Status(TimeSpan.FromSeconds(10)));
        Assert.EndsWith("about 4 min left", progress.Status(TimeSpan.FromSeconds(100)), StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_without_a_total_counts_and_gives_the_rate_and_a_total_grows_with_added_records()
    {
        var progress = new RecordProgress();
        for (var i = 0; i < 12; i++) progress.Count("Updated");
        Assert.Equal(-1, progress.PercentComplete);
        Assert.Equal(-1, progress.SecondsRemaining(TimeSpan.FromSeconds(4)));
        Assert.Equal("12 record(s) done (3.0/s): 0 created, 12 updated, 0 unchanged, 0 skipped, 0 failed", progress.Status(TimeSpan.FromSeconds(4)));

        var marks = new RecordProgress();
        marks.Expect(2);
        for (var i = 0; i < 3; i++) marks.Count("Updated");
        Assert.Equal(3, marks.Total);
        Assert.Equal(100, marks.PercentComplete);
        Assert.EndsWith("; done", marks.Status(TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
    }
}
