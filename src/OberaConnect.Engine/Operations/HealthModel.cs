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

/// <summary>
/// The health of one component. What it exports (Export-Csv, ConvertTo-Json) is names and numbers: Status, Importance,
/// Failure and ExitCode as names, the latency in milliseconds; the typed values stay internal for the engine.
/// </summary>
public sealed record ComponentHealth(
    string Component,
    HealthStatus StatusValue,
    TimeSpan Latency,
    string Reason,
    ComponentImportance ImportanceValue,
    DateTimeOffset CheckedAt,
    string? ErrorId = null,
    FailureKind? FailureValue = null)
{
    /// <summary>Healthy, Degraded or Unhealthy.</summary>
    public string Status => StatusValue.ToString();

    /// <summary><see cref="Status"/> for code (an enum exports as a number).</summary>
    internal HealthStatus StatusValue { get; init; } = StatusValue;

    /// <summary>The latency as measured; exported as <see cref="LatencyMs"/> (a TimeSpan exports as fifteen fields).</summary>
    internal TimeSpan Latency { get; init; } = Latency;

    /// <summary>Required or Optional.</summary>
    public string Importance => ImportanceValue.ToString();

    /// <summary><see cref="Importance"/> for code.</summary>
    internal ComponentImportance ImportanceValue { get; init; } = ImportanceValue;

    /// <summary>The kind of failure (Configuration, Authentication, ServiceUnavailable...) of an Unhealthy component; null otherwise.</summary>
    public string? Failure => FailureValue?.ToString();

    /// <summary><see cref="Failure"/> for code.</summary>
    internal FailureKind? FailureValue { get; init; } = FailureValue;

    /// <summary>Latency in whole milliseconds, for tables and metrics.</summary>
    public long LatencyMs => (long)Math.Round(Latency.TotalMilliseconds);

    /// <summary>False only when Unhealthy: Degraded still works (the metric oberaconnect_component_healthy says the same).</summary>
    public bool Healthy => StatusValue != HealthStatus.Unhealthy;

    /// <summary>
    /// What this component means for an unattended run's exit code (about_OberaConnect_Unattended): Success unless
    /// Unhealthy; ConfigurationError when the failure needs a person (wrong setting, refused credential, missing
    /// database); Unexpected when the probe failed in a way the module does not know (FailureKind.Unknown: a defect,
    /// such as a missing assembly); otherwise ComponentUnhealthy (unreachable, timed out, failing: the next run may succeed).
    /// Get-OberaConnectExitCode reads it (a name) from the objects Test-OberaConnectHealth writes.
    /// </summary>
    public string ExitCode => ExitCodeValue.ToString();

    /// <summary><see cref="ExitCode"/> for code.</summary>
    internal JobExitCode ExitCodeValue => StatusValue != HealthStatus.Unhealthy ? JobExitCode.Success
        : FailureValue is FailureKind kind && JobOutcome.ForFailure(kind) is JobExitCode.ConfigurationError or JobExitCode.Unexpected ? JobOutcome.ForFailure(kind)
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
    public JobExitCode ExitCode => Components.Select(c => c.ExitCodeValue).Aggregate(JobExitCode.Success, JobOutcome.Worse);

    /// <summary>One line for logs: "Degraded: UniFi Unhealthy (timed out after 10 s); 6 healthy".</summary>
    public string Summary
    {
        get
        {
            var bad = Components.Where(c => c.StatusValue != HealthStatus.Healthy).Select(c => $"{c.Component} {c.StatusValue} ({c.Reason})").ToList();
            var healthy = Components.Count(c => c.StatusValue == HealthStatus.Healthy);
            return bad.Count == 0 ? $"{Overall}: all {healthy} components healthy" : $"{Overall}: {string.Join("; ", bad)}; {healthy} healthy";
        }
    }

    private static HealthStatus Combine(IReadOnlyList<ComponentHealth> components)
    {
        var overall = HealthStatus.Healthy;
        foreach (var c in components)
        {
            var effect = c.ImportanceValue == ComponentImportance.Optional && c.StatusValue == HealthStatus.Unhealthy ? HealthStatus.Degraded : c.StatusValue;
            if (effect > overall) overall = effect;
        }
        return overall;
    }
}
