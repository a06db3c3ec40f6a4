using OberaConnect.Engine;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

public class PipelineQueueTests
{
    private sealed class RecordingSink : IPipelineSink
    {
        public List<(string Kind, string Text, int Thread)> Items { get; } = new();
        public Func<object, bool>? ThrowOnObject { get; init; }

        private void Add(string kind, string text) => Items.Add((kind, text, Environment.CurrentManagedThreadId));
        public void WriteVerbose(string message) => Add("verbose", message);
        public void WriteWarning(string message) => Add("warning", message);
        public void WriteProgress(ProgressUpdate update) => Add("progress", $"{update.ActivityId}:{update.PercentComplete}:{update.Completed}");
        public void WriteObject(object item)
        {
            if (ThrowOnObject?.Invoke(item) == true) throw new InvalidOperationException("pipeline stopped");
            Add("object", item.ToString()!);
        }
        public void WriteItemError(Exception error, object? target) => Add("error", $"{target}:{error.Message}");
    }

    [Fact]
    public void Everything_reported_from_worker_threads_is_delivered_in_order_on_the_pumping_thread()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink();
        var work = Task.Run(async () =>
        {
            queue.Output.Verbose("starting");
            queue.Output.Progress(new ProgressUpdate(7, "Sync", "site 1", 50));
            await Task.Yield();
            queue.Emit("site-1");
            queue.ItemFailed(new InvalidOperationException("bad"), "site-2");
            queue.Output.Warning("fallback");
            queue.Output.Progress(new ProgressUpdate(7, "Sync", "done", 100, Completed: true));
            return 42;
        });

        var result = queue.Pump(work, sink);

        Assert.Equal(42, result);
        Assert.Equal(new[] { "verbose", "progress", "object", "error", "warning", "progress" }, sink.Items.Select(i => i.Kind));
        Assert.Equal("site-2:bad", sink.Items[3].Text);
        Assert.Equal("7:100:True", sink.Items[5].Text);
        Assert.All(sink.Items, i => Assert.Equal(Environment.CurrentManagedThreadId, i.Thread));
    }

    [Fact]
    public async Task Output_is_delivered_while_the_work_is_still_running()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink();
        var release = new TaskCompletionSource();
        var work = Task.Run(async () =>
        {
            queue.Emit("first");
            await release.Task;
            return true;
        });
        var pump = Task.Factory.StartNew(() => queue.Pump(work, sink), TaskCreationOptions.LongRunning);
        SpinWait.SpinUntil(() => sink.Items.Count > 0, TimeSpan.FromSeconds(10));
        Assert.Equal("first", Assert.Single(sink.Items).Text);
        Assert.False(pump.IsCompleted);
        release.SetResult();
        Assert.True(await pump.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_works_own_exception_comes_back_after_what_it_reported()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink();
        Func<int> fail = () =>
        {
            queue.Output.Verbose("before");
            throw new OberaConnectException("SetupBroken", FailureKind.Configuration, "broken");
        };
        var work = Task.Run(fail);
        var error = Assert.Throws<OberaConnectException>(() => queue.Pump(work, sink));
        Assert.Equal("SetupBroken", error.ErrorId);
        Assert.Equal("before", Assert.Single(sink.Items).Text);
    }

    [Fact]
    public void When_delivery_throws_the_work_is_cancelled_and_the_exception_propagates()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink { ThrowOnObject = o => (string)o == "stop here" };
        using var cancellation = new CancellationTokenSource();
        var work = Task.Run(async () =>
        {
            queue.Emit("stop here");
            await Task.Delay(Timeout.Infinite, cancellation.Token);
            return 0;
        });
        Assert.Throws<InvalidOperationException>(() => queue.Pump(work, sink, cancellation));
        Assert.True(cancellation.IsCancellationRequested);
    }

    [Fact]
    public void Work_without_a_result_is_pumped_too()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink();
        queue.Pump(Task.Run(() => queue.Emit("x")), sink);
        Assert.Equal("x", Assert.Single(sink.Items).Text);
        Assert.Throws<TaskCanceledException>(() => queue.Pump(Task.FromCanceled(new CancellationToken(true)), sink));
    }

    [Fact]
    public void Posted_work_runs_on_the_pumping_thread_in_order_with_the_rest()
    {
        var queue = new PipelineQueue();
        var sink = new RecordingSink();
        var pumping = Environment.CurrentManagedThreadId;
        var ranOn = new List<int>();
        queue.Pump(Task.Run(() =>
        {
            queue.Emit("first");
            queue.Post(s => { ranOn.Add(Environment.CurrentManagedThreadId); s.WriteObject("posted"); });
            queue.Emit("last");
        }), sink);
        Assert.Equal(new[] { "first", "posted", "last" }, sink.Items.Select(i => i.Text));
        Assert.Equal(pumping, Assert.Single(ranOn));
        Assert.Throws<ArgumentNullException>(() => queue.Post(null!));
    }

    [Fact]
    public void The_relay_delivers_what_a_run_reports_between_pumps_on_the_pipeline_thread_in_order_and_drops_nothing()
    {
        var relay = new PipelineRelay();
        var sink = new RecordingSink();
        var first = new PipelineQueue();
        relay.Attach(first);
        first.Pump(Task.Run(() => relay.Output.Verbose("while opening")), sink);
        relay.Detach(first);
        first.DeliverPending(sink);

        // Between pipeline calls (the writes go on, nobody pumps): kept, not written from the worker thread.
        OnWorkerThread(() =>
        {
            relay.Output.Verbose("waiting for the write lock");
            relay.Output.Progress(new ProgressUpdate(5, "Waiting", "holder", 10));
        });
        Assert.Equal(new[] { "while opening" }, sink.Items.Select(i => i.Text));
        relay.Deliver(sink);
        Assert.Equal(new[] { "while opening", "waiting for the write lock", "5:10:False" }, sink.Items.Select(i => i.Text));

        // Reported before the next pump starts: delivered by that pump, ahead of what the pump's own work reports.
        OnWorkerThread(() => relay.Output.Warning("merged with another writer's page"));
        var second = new PipelineQueue();
        relay.Attach(second);
        second.Pump(Task.Run(() => relay.Output.Verbose("draining")), sink);
        relay.Detach(second);
        second.DeliverPending(sink);
        Assert.Equal(new[] { "warning", "verbose" }, sink.Items.Skip(3).Select(i => i.Kind));
        Assert.Equal("draining", sink.Items[4].Text);
        Assert.All(sink.Items, i => Assert.Equal(Environment.CurrentManagedThreadId, i.Thread));
    }

    private static void OnWorkerThread(Action report)
    {
        var thread = new Thread(() => report());
        thread.Start();
        thread.Join();
    }
}
