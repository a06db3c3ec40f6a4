using OberaConnect.Engine.Unattended;

namespace OberaConnect.Engine.Operations;

/// <summary>How a component is doing. Ordered from best to worst.</summary>
public enum HealthStatus
{
    /// <summary>Works as expected.</summary>
    Healthy,
    /// <summary>Works, but slowly or partly (a missing optional secret, high latency).</summary>
    Degraded,
    /// <summary>Does not work; syncs that need it will fail.</summary>
    Unhealthy,
}

/// <summary>Whether the module can do useful work without a component.</summary>
public enum ComponentImportance
{
    /// <summary>Without it nothing syncs (configuration, Notion token, the databases).</summary>
    Required,
    /// <summary>Without it some syncs still run (UniFi down: NinjaOne continues; Key Vault down: environment variables).</summary>
    Optional,
}

/// <summary>Component names used by the health check, metrics labels and the documentation.</summary>
public static class HealthComponents
{
    public const string Configuration = "Configuration";
    public const string NotionToken = "NotionToken";
    public const string KeyVault = "KeyVault";
    public const string UniFi = "UniFi";
    public const string NinjaOne = "NinjaOne";

    /// <summary>A Notion database is reachable by the integration: "Database:Customer Status".</summary>
    public static string Database(string name) => "Database:" + name;

    /// <summary>A Notion database's schema has the properties the sync writes: "Schema:Customer Status".</summary>
    public static string Schema(string name) => "Schema:" + name;
}

/// <summary>
/// What a probe found. The runner adds the latency and turns timeouts and exceptions into results.
/// <see cref="Failure"/> says whether a person must fix the setup (Configuration, Authentication, NotFound...)
/// or the service may recover by itself (null, ServiceUnavailable...); it decides the job exit code.
/// </summary>
public sealed record ProbeResult(HealthStatus Status, string Reason, string? ErrorId = null, FailureKind? Failure = null)
{
    public static ProbeResult Healthy(string reason) => new(HealthStatus.Healthy, reason);
    public static ProbeResult Degraded(string reason, string? errorId = null) => new(HealthStatus.Degraded, reason, errorId);
    public static ProbeResult Unhealthy(string reason, string? errorId = null, FailureKind? failure = null) => new(HealthStatus.Unhealthy, reason, errorId, failure);
}

/// <summary>
/// One check of one component: a delegate the cmdlet layer binds to a real client (GetMeAsync for the
/// Notion token, GetDataSourceAsync for a schema, a Key Vault read...). A probe returns a result or throws;
/// an <see cref="OberaConnectException"/> becomes Unhealthy with its ErrorId.
/// </summary>
public sealed class HealthProbe
{
    public HealthProbe(
        string component,
        Func<CancellationToken, Task<ProbeResult>> check,
        ComponentImportance importance = ComponentImportance.Required,
        IEnumerable<string>? dependsOn = null,
        TimeSpan? timeout = null)
    {
        if (string.IsNullOrWhiteSpace(component)) throw new ArgumentException("A probe needs a component name.", nameof(component));
        Component = component;
        Check = check ?? throw new ArgumentNullException(nameof(check));
        Importance = importance;
        DependsOn = (dependsOn ?? Array.Empty<string>()).ToArray();
        Timeout = timeout;
    }

    /// <summary>Component name, see <see cref="HealthComponents"/>.</summary>
    public string Component { get; }

    public Func<CancellationToken, Task<ProbeResult>> Check { get; }

    public ComponentImportance Importance { get; }

    /// <summary>Components that must not be Unhealthy for this check to mean anything (a schema needs the token).</summary>
    public IReadOnlyList<string> DependsOn { get; }

    /// <summary>Overrides the runner's default timeout for this probe.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>
    /// The last failed request of the service this probe calls (null: none, or not an HTTP service). A probe that
    /// runs out of time while its requests are being retried reports this cause (connection refused by host:port,
    /// a DNS failure...) instead of only "timed out".
    /// </summary>
    public Func<Http.HttpFailure?>? LastFailure { get; private set; }

    /// <summary>This probe, reporting <paramref name="lastFailure"/>'s cause when it runs out of time.</summary>
    public HealthProbe WithLastFailure(Func<Http.HttpFailure?> lastFailure)
        => new(Component, Check, Importance, DependsOn, Timeout) { LastFailure = lastFailure };
}

/// <summary>The health of one component.</summary>
public sealed record ComponentHealth(
    string Component,
    HealthStatus Status,
    TimeSpan Latency,
    string Reason,
    ComponentImportance Importance,
    DateTimeOffset CheckedAt,
    string? ErrorId = null,
    FailureKind? Failure = null)
{
    /// <summary>Latency in whole milliseconds, for tables and metrics.</summary>
    public long LatencyMs => (long)Math.Round(Latency.TotalMilliseconds);

    /// <summary>False only when Unhealthy: Degraded still works (the metric oberaconnect_component_healthy says the same).</summary>
    public bool Healthy => Status != HealthStatus.Unhealthy;

    /// <summary>
    /// What this component means for an unattended run's exit code (about_OberaConnect_Unattended): Success unless
    /// Unhealthy; ConfigurationError when the failure needs a person (wrong setting, refused credential, missing
    /// database); Unexpected when the probe failed in a way the module does not know (FailureKind.Unknown: a defect,
    /// such as a missing assembly); otherwise ComponentUnhealthy (unreachable, timed out, failing: the next run may succeed).
    /// Get-OberaConnectExitCode reads it from the objects Test-OberaConnectHealth writes.
    /// </summary>
    public JobExitCode ExitCode => Status != HealthStatus.Unhealthy ? JobExitCode.Success
        : Failure is FailureKind kind && JobOutcome.ForFailure(kind) is JobExitCode.ConfigurationError or JobExitCode.Unexpected ? JobOutcome.ForFailure(kind)
        : JobExitCode.ComponentUnhealthy;

    public override string ToString() => $"{Component}: {Status} ({Reason})";
}

/// <summary>Every component's health and the overall verdict.</summary>
public sealed class HealthReport
{
    public HealthReport(IReadOnlyList<ComponentHealth> components, DateTimeOffset checkedAt, TimeSpan duration)
    {
        Components = components;
        CheckedAt = checkedAt;
        Duration = duration;
        Overall = Combine(components);
    }

    /// <summary>
    /// Worst status among required components; an unhealthy optional component makes the whole Degraded,
    /// never Unhealthy (seed failure domains: UniFi down still lets NinjaOne sync).
    /// </summary>
    public HealthStatus Overall { get; }

    public IReadOnlyList<ComponentHealth> Components { get; }

    public DateTimeOffset CheckedAt { get; }

    /// <summary>Wall time of the whole check.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Everything is Healthy.</summary>
    public bool IsHealthy => Overall == HealthStatus.Healthy;

    /// <summary>
    /// The boolean for <c>-Quiet</c>: true when syncs can run (Healthy or Degraded), false when a required
    /// component is Unhealthy.
    /// </summary>
    public bool IsOperational => Overall != HealthStatus.Unhealthy;

    /// <summary>The worst <see cref="ComponentHealth.ExitCode"/>: what an unattended run ends with when this is all it did.</summary>
    public JobExitCode ExitCode => Components.Select(c => c.ExitCode).Aggregate(JobExitCode.Success, JobOutcome.Worse);

    /// <summary>One line for logs: "Degraded: UniFi Unhealthy (timed out after 10 s); 6 healthy".</summary>
    public string Summary
    {
        get
        {
            var bad = Components.Where(c => c.Status != HealthStatus.Healthy).Select(c => $"{c.Component} {c.Status} ({c.Reason})").ToList();
            var healthy = Components.Count(c => c.Status == HealthStatus.Healthy);
            return bad.Count == 0 ? $"{Overall}: all {healthy} components healthy" : $"{Overall}: {string.Join("; ", bad)}; {healthy} healthy";
        }
    }

    private static HealthStatus Combine(IReadOnlyList<ComponentHealth> components)
    {
        var overall = HealthStatus.Healthy;
        foreach (var c in components)
        {
            var effect = c.Importance == ComponentImportance.Optional && c.Status == HealthStatus.Unhealthy ? HealthStatus.Degraded : c.Status;
            if (effect > overall) overall = effect;
        }
        return overall;
    }
}
