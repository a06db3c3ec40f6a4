using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Operations;

/// <summary>How the health check runs its probes.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>How long one probe may take before it counts as Unhealthy ("timed out").</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A Healthy probe slower than this is reported Degraded (the runbook's HighLatency alert uses 5 s).</summary>
    public TimeSpan SlowThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Probes running at once. Independent services are checked in parallel; the HTTP pacer still applies per service.</summary>
    public int MaxParallelism { get; set; } = 4;
}

/// <summary>
/// Runs component probes with a timeout each, in parallel where they do not depend on each other, and
/// combines the results into a <see cref="HealthReport"/>. A probe whose dependency is Unhealthy is not run
/// and is reported Unhealthy with the reason. Latency and timeouts use the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class HealthCheckRunner
{
    /// <summary>The ErrorId of a component not checked because one it depends on is Unhealthy.</summary>
    public const string DependencyUnhealthy = "HealthDependencyUnhealthy";

    private readonly HealthCheckOptions _options;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;

    public HealthCheckRunner(HealthCheckOptions? options = null, TimeProvider? time = null, SecretRedactor? redactor = null)
    {
        _options = options ?? new HealthCheckOptions();
        if (_options.ProbeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "ProbeTimeout must be positive.");
        if (_options.MaxParallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxParallelism must be at least 1.");
        _time = time ?? TimeProvider.System;
        _redactor = redactor ?? new SecretRedactor();
    }

    /// <summary>Runs every probe and returns the report in the order the probes were given.</summary>
    public async Task<HealthReport> RunAsync(IEnumerable<HealthProbe> probes, CancellationToken cancellationToken)
    {
        var list = probes?.ToList() ?? throw new ArgumentNullException(nameof(probes));
        var byName = new Dictionary<string, HealthProbe>(StringComparer.OrdinalIgnoreCase);
        foreach (var probe in list)
        {
            if (byName.ContainsKey(probe.Component)) throw new ArgumentException($"Two probes are named '{probe.Component}'.", nameof(probes));
            byName[probe.Component] = probe;
        }
        foreach (var probe in list)
            foreach (var dependency in probe.DependsOn)
                if (!byName.ContainsKey(dependency))
                    throw new ArgumentException($"Probe '{probe.Component}' depends on '{dependency}', which has no probe.", nameof(probes));

        var started = _time.GetTimestamp();
        var checkedAt = _time.GetUtcNow();
        using var gate = new SemaphoreSlim(_options.MaxParallelism);
        var tasks = new Dictionary<string, Task<ComponentHealth>>(StringComparer.OrdinalIgnoreCase);
        var visiting = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        Task<ComponentHealth> Schedule(HealthProbe probe)
        {
            if (tasks.TryGetValue(probe.Component, out var existing)) return existing;
            if (!visiting.Add(probe.Component))
                throw new ArgumentException($"Probe dependencies form a cycle through '{probe.Component}'.", nameof(probes));
            var dependencies = probe.DependsOn.Select(d => Schedule(byName[d])).ToArray();
            // Task.Run: scheduling the graph never runs a probe synchronously on the caller's (pipeline) thread.
            var task = Task.Run(() => RunOneAsync(probe, dependencies, gate, cancellationToken));
            tasks[probe.Component] = task;
            return task;
        }

        foreach (var probe in list) _ = Schedule(probe);
        var results = await Task.WhenAll(list.Select(p => tasks[p.Component])).ConfigureAwait(false);
        return new HealthReport(results, checkedAt, _time.GetElapsedTime(started));
    }

    private async Task<ComponentHealth> RunOneAsync(HealthProbe probe, Task<ComponentHealth>[] dependencies, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var dependencyResults = await Task.WhenAll(dependencies).ConfigureAwait(false);
        var failed = dependencyResults.FirstOrDefault(d => d.StatusValue == HealthStatus.Unhealthy);
        if (failed != null)
            return new ComponentHealth(probe.Component, HealthStatus.Unhealthy, TimeSpan.Zero,
                $"not checked: {failed.Component} is Unhealthy", probe.Importance, _time.GetUtcNow(), DependencyUnhealthy);

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ProbeAsync(probe, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ComponentHealth> ProbeAsync(HealthProbe probe, CancellationToken cancellationToken)
    {
        var timeout = probe.Timeout ?? _options.ProbeTimeout;
        var checkedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        // A probe that ignores its token still times out: it is raced against this delay and abandoned.
        using var stopDelay = new CancellationTokenSource();
        var delay = _time.Delay(timeout, stopDelay.Token);
        using var timeoutSource = _time.CreateCancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);

        Task<ProbeResult> check;
        try
        {
            check = probe.Check(linked.Token) ?? Task.FromResult(ProbeResult.Unhealthy("the probe returned nothing"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            check = Task.FromException<ProbeResult>(ex);
        }

        var first = await Task.WhenAny(check, delay).ConfigureAwait(false);
        stopDelay.Cancel();
        var latency = _time.GetElapsedTime(start);

        if (first != check)
        {
            // A timeout is an outage to wait out (exit code 3), never a setup error.
            _ = check.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return TimedOut(probe, timeout, latency, checkedAt);
        }

        try
        {
            var result = await check.ConfigureAwait(false);
            var status = result.Status;
            var reason = _redactor.Redact(result.Reason);
            if (status == HealthStatus.Healthy && latency > _options.SlowThreshold)
            {
                status = HealthStatus.Degraded;
                reason = $"slow: answered in {Seconds(latency)} (over {Seconds(_options.SlowThreshold)}); {reason}";
            }
            return new ComponentHealth(probe.Component, status, latency, reason, probe.Importance, checkedAt, result.ErrorId,
                status == HealthStatus.Unhealthy ? result.Failure : null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            return TimedOut(probe, timeout, latency, checkedAt);
        }
        catch (OberaConnectException ex)
        {
            return new ComponentHealth(probe.Component, HealthStatus.Unhealthy, latency, _redactor.Redact(ex.Message), probe.Importance, checkedAt, ex.ErrorId, ex.Kind);
        }
        catch (Exception ex)
        {
            // Not one of the module's own errors: a defect (a missing assembly, a bug), which the exit code says (4).
            return new ComponentHealth(probe.Component, HealthStatus.Unhealthy, latency,
                $"{ex.GetType().Name}: {_redactor.Redact(ex.Message)}", probe.Importance, checkedAt, "HealthProbeFailed", FailureKind.Unknown);
        }
    }

    private ComponentHealth TimedOut(HealthProbe probe, TimeSpan timeout, TimeSpan latency, DateTimeOffset checkedAt)
    {
        // Requests still being retried when time ran out: their failure is the reason, not the clock.
        if (probe.LastFailure?.Invoke() is { } cause && cause.At >= checkedAt)
            return new(probe.Component, HealthStatus.Unhealthy, latency,
                $"no answer within {Seconds(timeout)}: {cause.Description}. {cause.Fix}", probe.Importance, checkedAt, cause.ErrorId, cause.Kind);
        return new(probe.Component, HealthStatus.Unhealthy, latency, $"timed out after {Seconds(timeout)}", probe.Importance, checkedAt, "HealthProbeTimeout");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
