using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Security;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.Operations;

public class HealthCheckRunnerTests
{
    private readonly ManualTimeProvider _clock = new();

    private HealthCheckRunner Runner(TimeSpan? timeout = null, int parallelism = 4, SecretRedactor? redactor = null)
        => new(new HealthCheckOptions { ProbeTimeout = timeout ?? TimeSpan.FromSeconds(10), SlowThreshold = TimeSpan.FromSeconds(5), MaxParallelism = parallelism }, _clock, redactor);

    // Each probe moves the clock itself, one probe at a time: latencies are then exact, whatever the thread timing.
    private HealthProbe Advancing(string name, TimeSpan by, ProbeResult result, ComponentImportance importance = ComponentImportance.Required, params string[] dependsOn)
        => new(name, _ => { _clock.Advance(by); return Task.FromResult(result); }, importance, dependsOn);

    [Fact]
    public async Task All_healthy_is_healthy_with_each_latency_measured_on_the_clock()
    {
        var probes = new[]
        {
            Advancing(HealthComponents.Configuration, TimeSpan.Zero, ProbeResult.Healthy("loaded")),
            Advancing(HealthComponents.NotionToken, TimeSpan.FromMilliseconds(250), ProbeResult.Healthy("bot OberaConnect"), dependsOn: HealthComponents.Configuration),
            Advancing(HealthComponents.UniFi, TimeSpan.FromMilliseconds(800), ProbeResult.Healthy("98 sites"), ComponentImportance.Optional, HealthComponents.Configuration),
        };
        var report = await Runner(parallelism: 1).RunAsync(probes, default);

        Assert.Equal(HealthStatus.Healthy, report.Overall);
        Assert.True(report.IsHealthy);
        Assert.True(report.IsOperational);
        Assert.Equal(new[] { "Configuration", "NotionToken", "UniFi" }, report.Components.Select(c => c.Component));
        Assert.Equal(250, report.Components[1].LatencyMs);
        Assert.Equal(800, report.Components[2].LatencyMs);
        Assert.Equal(TimeSpan.FromMilliseconds(1050), report.Duration);
        Assert.Equal("bot OberaConnect", report.Components[1].Reason);
    }

    [Fact]
    public async Task A_healthy_probe_slower_than_the_threshold_is_degraded()
    {
        var report = await Runner().RunAsync(new[] { Advancing(HealthComponents.NinjaOne, TimeSpan.FromSeconds(6.2), ProbeResult.Healthy("323 devices")) }, default);
        var c = Assert.Single(report.Components);
        Assert.Equal(HealthStatus.Degraded, c.StatusValue);
        Assert.Equal("slow: answered in 6.2 s (over 5 s); 323 devices", c.Reason);
    }

    [Fact]
    public async Task Independent_probes_run_in_parallel()
    {
        // Each probe waits until all four have started: run one at a time, they would all time out instead.
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = Enumerable.Range(0, 4).Select(i => new HealthProbe("Database:" + i, async ct =>
        {
            if (Interlocked.Increment(ref started) == 4) allStarted.TrySetResult();
            await allStarted.Task.WaitAsync(ct);
            return ProbeResult.Healthy("ok");
        })).ToList();
        var runner = new HealthCheckRunner(new HealthCheckOptions { ProbeTimeout = TimeSpan.FromSeconds(30), MaxParallelism = 4 });
        var report = await runner.RunAsync(probes, default);
        Assert.All(report.Components, c => Assert.Equal(HealthStatus.Healthy, c.StatusValue));
    }

    [Fact]
    public async Task No_more_probes_run_at_once_than_allowed()
    {
        var running = 0;
        var most = 0;
        var gate = new object();
        var probes = Enumerable.Range(0, 6).Select(i => new HealthProbe("Database:" + i, async _ =>
        {
            var now = Interlocked.Increment(ref running);
            lock (gate) most = Math.Max(most, now);
            await Task.Delay(30);
            Interlocked.Decrement(ref running);
            return ProbeResult.Healthy("ok");
        })).ToList();
        var report = await new HealthCheckRunner(new HealthCheckOptions { ProbeTimeout = TimeSpan.FromSeconds(30), MaxParallelism = 2 }).RunAsync(probes, default);
        Assert.Equal(6, report.Components.Count(c => c.StatusValue == HealthStatus.Healthy));
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task A_probe_past_its_timeout_is_unhealthy_even_when_it_ignores_cancellation()
    {
        var stubborn = new HealthProbe(HealthComponents.NinjaOne, async _ => { await _clock.Delay(TimeSpan.FromHours(1)); return ProbeResult.Healthy("late"); }, ComponentImportance.Optional);
        var polite = new HealthProbe(HealthComponents.UniFi, async ct => { await _clock.Delay(TimeSpan.FromHours(1), ct); return ProbeResult.Healthy("late"); }, ComponentImportance.Optional);
        var report = await _clock.RunAsync(Runner(timeout: TimeSpan.FromSeconds(3)).RunAsync(new[] { stubborn, polite }, default), TimeSpan.FromMilliseconds(50));

        Assert.All(report.Components, c =>
        {
            Assert.Equal(HealthStatus.Unhealthy, c.StatusValue);
            Assert.Equal("timed out after 3 s", c.Reason);
            Assert.Equal("HealthProbeTimeout", c.ErrorId);
            Assert.InRange(c.Latency, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        });
        Assert.Equal(HealthStatus.Degraded, report.Overall); // both optional: syncs of the others can still run
        Assert.True(report.IsOperational);
    }

    [Fact]
    public async Task A_probe_that_runs_out_of_time_while_its_requests_fail_reports_their_cause_not_the_clock()
    {
        var refused = new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        var stale = HttpFailure.FromException(refused, new Uri("http://127.0.0.1:9/"), TimeSpan.FromSeconds(30), _clock.GetUtcNow().AddMinutes(-5));
        HttpFailure? last = stale;
        var retrying = new HealthProbe(HealthComponents.NotionToken, async ct =>
        {
            last = HttpFailure.FromException(refused, new Uri("http://127.0.0.1:9/v1/users/me"), TimeSpan.FromSeconds(30), _clock.GetUtcNow());
            await _clock.Delay(TimeSpan.FromHours(1), ct);
            return ProbeResult.Healthy("late");
        }).WithLastFailure(() => last);
        // A failure from before this check started is not why this probe ran out of time.
        var quiet = new HealthProbe(HealthComponents.UniFi, async ct => { await _clock.Delay(TimeSpan.FromHours(1), ct); return ProbeResult.Healthy("late"); },
            ComponentImportance.Optional).WithLastFailure(() => stale);

        var report = await _clock.RunAsync(Runner(timeout: TimeSpan.FromSeconds(3)).RunAsync(new[] { retrying, quiet }, default), TimeSpan.FromMilliseconds(50));

        var notion = report.Components[0];
        Assert.Equal(HealthStatus.Unhealthy, notion.StatusValue);
        Assert.Equal(HttpFailure.ConnectionRefused, notion.ErrorId);
        Assert.Equal("no answer within 3 s: the connection to 127.0.0.1:9 was refused (nothing listens on that port, or a firewall rejects it). " +
                     "Check the URL and port in the configuration, that the service is running, and the firewall.", notion.Reason);
        Assert.Equal(OberaConnect.Engine.Unattended.JobExitCode.ComponentUnhealthy, notion.ExitCodeValue);
        Assert.Equal("HealthProbeTimeout", report.Components[1].ErrorId);
        Assert.Equal("timed out after 3 s", report.Components[1].Reason);
    }

    [Fact]
    public async Task A_per_probe_timeout_overrides_the_default()
    {
        var probe = new HealthProbe(HealthComponents.KeyVault, async ct => { await _clock.Delay(TimeSpan.FromSeconds(20), ct); return ProbeResult.Healthy("ok"); }, timeout: TimeSpan.FromSeconds(30));
        var report = await _clock.RunAsync(Runner(timeout: TimeSpan.FromSeconds(10)).RunAsync(new[] { probe }, default), TimeSpan.FromMilliseconds(100));
        // Not timed out at the default 10 s: finished, but slower than the 5 s threshold.
        Assert.Equal(HealthStatus.Degraded, report.Components[0].StatusValue);
        Assert.StartsWith("slow: answered in 20", report.Components[0].Reason);
        Assert.InRange(report.Components[0].Latency, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));
    }

    [Fact]
    public async Task Errors_become_unhealthy_with_their_error_id_and_a_redacted_reason()
    {
        const string token = "ntn_1234567890abcdefghijKLMNOPqrst";
        var redactor = new SecretRedactor();
        redactor.Register(token);
        var probes = new[]
        {
            new HealthProbe(HealthComponents.NotionToken, _ => throw new OberaConnectException("NotionUnauthorized", FailureKind.Authentication, $"API token {token} is invalid.")),
            new HealthProbe(HealthComponents.Database("Customer Status"), _ => Task.FromException<ProbeResult>(new InvalidOperationException("boom " + token))),
        };
        var report = await Runner(redactor: redactor).RunAsync(probes, default);

        Assert.Equal(HealthStatus.Unhealthy, report.Overall);
        Assert.False(report.IsOperational);
        Assert.Equal("NotionUnauthorized", report.Components[0].ErrorId);
        Assert.Equal("HealthProbeFailed", report.Components[1].ErrorId);
        Assert.Contains("InvalidOperationException", report.Components[1].Reason);
        // Not one of the module's errors: a defect, which an unattended run reports as 4.
        Assert.Equal(OberaConnect.Engine.Unattended.JobExitCode.Unexpected, report.Components[1].ExitCodeValue);
        new SecretLeakScan(token).Object("health report", report).Text("summary", report.Summary).AssertClean();
    }

    [Fact]
    public async Task A_probe_whose_dependency_is_unhealthy_is_not_run()
    {
        var ran = false;
        var probes = new[]
        {
            new HealthProbe(HealthComponents.NotionToken, _ => Task.FromResult(ProbeResult.Unhealthy("401 unauthorized", "NotionUnauthorized"))),
            new HealthProbe(HealthComponents.Database("Alerts"), _ => { ran = true; return Task.FromResult(ProbeResult.Healthy("ok")); }, dependsOn: new[] { HealthComponents.NotionToken }),
            new HealthProbe(HealthComponents.Schema("Alerts"), _ => { ran = true; return Task.FromResult(ProbeResult.Healthy("ok")); }, dependsOn: new[] { HealthComponents.Database("Alerts") }),
        };
        var report = await Runner().RunAsync(probes, default);

        Assert.False(ran);
        Assert.Equal("not checked: NotionToken is Unhealthy", report.Components[1].Reason);
        Assert.Equal("not checked: Database:Alerts is Unhealthy", report.Components[2].Reason);
        Assert.Equal("HealthDependencyUnhealthy", report.Components[2].ErrorId);
    }

    [Fact]
    public async Task A_degraded_required_component_makes_the_whole_degraded_but_operational()
    {
        var probes = new[]
        {
            new HealthProbe(HealthComponents.Schema("Customer Status"), _ => Task.FromResult(ProbeResult.Degraded("optional property 'Notes' missing"))),
            new HealthProbe(HealthComponents.KeyVault, _ => Task.FromResult(ProbeResult.Healthy("ok")), ComponentImportance.Optional),
        };
        var report = await Runner().RunAsync(probes, default);
        Assert.Equal(HealthStatus.Degraded, report.Overall);
        Assert.True(report.IsOperational);
        Assert.False(report.IsHealthy);
        Assert.StartsWith("Degraded: Schema:Customer Status Degraded (optional property 'Notes' missing); 1 healthy", report.Summary);
    }

    [Fact]
    public async Task Caller_cancellation_stops_the_check()
    {
        using var cts = new CancellationTokenSource();
        var probe = new HealthProbe(HealthComponents.UniFi, async ct => { await Task.Delay(Timeout.Infinite, ct); return ProbeResult.Healthy("never"); });
        var run = Runner().RunAsync(new[] { probe }, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Misconfigured_probe_sets_are_refused()
    {
        var a = new HealthProbe("A", _ => Task.FromResult(ProbeResult.Healthy("")), dependsOn: new[] { "B" });
        var b = new HealthProbe("B", _ => Task.FromResult(ProbeResult.Healthy("")), dependsOn: new[] { "A" });
        await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunAsync(new[] { a, b }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunAsync(new[] { a }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunAsync(new[] { b, new HealthProbe("B", _ => Task.FromResult(ProbeResult.Healthy(""))) }, default));
    }
}
