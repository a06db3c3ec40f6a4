using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Engine.Tests.Operations;

/// <summary>What a component's health means for an unattended run's exit code (about_OberaConnect_Unattended).</summary>
public sealed class ComponentExitCodeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private static ComponentHealth Component(HealthStatus status, FailureKind? failure = null, ComponentImportance importance = ComponentImportance.Required)
        => new("NotionToken", status, TimeSpan.FromMilliseconds(120), "r", importance, At, failure is null ? null : "X", failure);

    [Theory]
    [InlineData(HealthStatus.Healthy, null, JobExitCode.Success)]
    [InlineData(HealthStatus.Degraded, null, JobExitCode.Success)]
    [InlineData(HealthStatus.Unhealthy, null, JobExitCode.ComponentUnhealthy)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.ServiceUnavailable, JobExitCode.ComponentUnhealthy)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.Timeout, JobExitCode.ComponentUnhealthy)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.Unknown, JobExitCode.Unexpected)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.Authentication, JobExitCode.ConfigurationError)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.Configuration, JobExitCode.ConfigurationError)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.NotFound, JobExitCode.ConfigurationError)]
    [InlineData(HealthStatus.Unhealthy, FailureKind.InvalidState, JobExitCode.ConfigurationError)]
    public void Each_status_and_failure_maps_to_the_contract(HealthStatus status, FailureKind? failure, JobExitCode expected)
    {
        var c = Component(status, failure);
        Assert.Equal(expected, c.ExitCodeValue);
        Assert.Equal(status != HealthStatus.Unhealthy, c.Healthy);
    }

    [Fact]
    public void A_report_exits_with_its_worst_component_whatever_their_importance()
    {
        var report = new HealthReport(new[]
        {
            Component(HealthStatus.Healthy),
            Component(HealthStatus.Unhealthy, FailureKind.ServiceUnavailable, ComponentImportance.Optional) with { Component = "UniFi" },
        }, At, TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Degraded, report.Overall);
        Assert.Equal(JobExitCode.ComponentUnhealthy, report.ExitCode);

        var worse = new HealthReport(report.Components.Append(Component(HealthStatus.Unhealthy, FailureKind.Authentication) with { Component = "Token" }).ToList(), At, TimeSpan.FromSeconds(1));
        Assert.Equal(JobExitCode.ConfigurationError, worse.ExitCode);
    }

    [Fact]
    public async Task The_runner_keeps_the_failure_kind_of_a_probe_that_throws_and_drops_it_when_the_result_is_not_unhealthy()
    {
        var runner = new HealthCheckRunner(new HealthCheckOptions(), new Support.ManualTimeProvider());
        var report = await runner.RunAsync(new[]
        {
            new HealthProbe("A", _ => throw new OberaConnectException("Refused", FailureKind.Authentication, "no")),
            new HealthProbe("B", _ => Task.FromResult(new ProbeResult(HealthStatus.Degraded, "slow", "Slow", FailureKind.Timeout))),
        }, default);
        Assert.Equal(FailureKind.Authentication, report.Components[0].FailureValue);
        Assert.Equal(JobExitCode.ConfigurationError, report.Components[0].ExitCodeValue);
        Assert.Null(report.Components[1].Failure);
        Assert.Equal(JobExitCode.Success, report.Components[1].ExitCodeValue);
    }
}
