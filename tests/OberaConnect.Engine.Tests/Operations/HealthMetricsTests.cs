using System.Text;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Engine.Tests.Operations;

/// <summary>Export-OberaConnectMetric's engine path: a health check against the fakes written to the Prometheus textfile.</summary>
public sealed class HealthMetricsTests
{
    [Fact]
    public async Task The_configured_file_gets_every_component_and_passes_the_format_checker()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(sources: true);
        workspace.UniFi!.Faults.Down = true;
        var config = workspace.WriteConfiguration();

        var export = await HealthMetrics.ExportAsync(() => workspace.Open(config), path: null, OperationsWorkspace.HealthOptions(), null, default);

        Assert.Equal(workspace.MetricsPath, export.Path);
        var bytes = File.ReadAllBytes(export.Path);
        Assert.Empty(PrometheusTextFormatRules.Check(bytes));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("# TYPE oberaconnect_healthy gauge\noberaconnect_healthy 1\n", text); // UniFi is optional: still operational
        Assert.Contains("oberaconnect_component_healthy{component=\"UniFi\"} 0\n", text);
        Assert.Contains("oberaconnect_component_healthy{component=\"NinjaOne\"} 1\n", text);
        Assert.Contains("oberaconnect_component_healthy{component=\"Schema:Customer Sites\"} 1\n", text);

        var read = new MetricsTextfile(Path.GetDirectoryName(export.Path)!).Read();
        var components = export.Report.Components;
        Assert.Equal(components.Count, read.Keys.Count(k => k.Family == "oberaconnect_component_healthy"));
        Assert.All(components, c => Assert.Equal(c.StatusValue == HealthStatus.Unhealthy ? 0 : 1, read[("oberaconnect_component_healthy", c.Component)]));
        Assert.All(components, c => Assert.Equal(Math.Round(c.Latency.TotalMilliseconds, 1), read[("oberaconnect_component_latency_ms", c.Component)]));
        Assert.Equal(nameof(HealthStatus.Degraded), export.Overall);
        Assert.Equal(new[] { "UniFi" }, export.Unhealthy);
        Assert.Equal(nameof(JobExitCode.ComponentUnhealthy), export.ExitCode);
    }

    [Fact]
    public async Task Sync_metrics_already_in_the_file_are_kept()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var config = workspace.WriteConfiguration();
        var file = new MetricsTextfile(Path.GetDirectoryName(workspace.MetricsPath)!);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("Sync-CustomerStatus", succeeded: false, DateTimeOffset.UtcNow).RecordRequests("notion", 42, 1), default);

        var export = await HealthMetrics.ExportAsync(() => workspace.Open(config), null, OperationsWorkspace.HealthOptions(), null, default);

        var read = file.Read();
        Assert.Equal(1, read[("oberaconnect_sync_total", "Sync-CustomerStatus")]);
        Assert.Equal(1, read[("oberaconnect_sync_errors_total", "Sync-CustomerStatus")]);
        Assert.Equal(42, read[("oberaconnect_requests_total", "notion")]);
        Assert.Equal(1, read[("oberaconnect_healthy", "")]);
        Assert.Equal(1, read[("oberaconnect_component_healthy", "NotionToken")]);
        Assert.Empty(PrometheusTextFormatRules.Check(File.ReadAllBytes(export.Path)));
    }

    [Fact]
    public async Task A_folder_as_path_gets_oberaconnect_prom_and_a_wrong_token_writes_healthy_0()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        workspace.Environment.Set("NOTION_TOKEN", "ntn_" + new string('x', 40));
        var config = workspace.WriteConfiguration();
        var folder = Path.Combine(workspace.Folder, "collector");
        Directory.CreateDirectory(folder);

        var export = await HealthMetrics.ExportAsync(() => workspace.Open(config), folder, OperationsWorkspace.HealthOptions(), null, default);

        Assert.Equal(Path.Combine(folder, "oberaconnect.prom"), export.Path);
        var read = new MetricsTextfile(folder).Read();
        Assert.Equal(0, read[("oberaconnect_healthy", "")]);
        Assert.Equal(0, read[("oberaconnect_component_healthy", "NotionToken")]);
        Assert.False(export.IsOperational);
        Assert.False(File.Exists(workspace.MetricsPath)); // -Path wins over paths.metricsPath
    }

    [Fact]
    public async Task A_configuration_that_does_not_load_still_writes_the_alert_when_a_path_is_given()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(seed: false);
        var config = Path.Combine(workspace.Folder, "broken.json");
        File.WriteAllText(config, "{ \"paths\": 42 }");
        var target = Path.Combine(workspace.Folder, "out", "ops.prom");

        var export = await HealthMetrics.ExportAsync(() => workspace.Open(config), target, OperationsWorkspace.HealthOptions(), null, default);

        var text = File.ReadAllText(target);
        Assert.Contains("oberaconnect_healthy 0\n", text);
        Assert.Contains("oberaconnect_component_healthy{component=\"Configuration\"} 0\n", text);
        Assert.Equal(nameof(JobExitCode.ConfigurationError), export.ExitCode);

        // Without a path there is nowhere to write: the configuration error itself is the answer.
        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => HealthMetrics.ExportAsync(() => workspace.Open(config), null, null, null, default));
        Assert.Equal(ConfigurationErrors.InvalidValue, ex.ErrorId);
    }

    [Fact]
    public void The_path_is_a_prom_file_a_folder_or_the_configured_one()
    {
        using var folder = new Configuration.TempFolder();
        Assert.Equal(Path.Combine(folder.Path, "oberaconnect.prom"), HealthMetrics.ResolvePath(folder.Path, null));
        Assert.Equal(Path.Combine(folder.Path, "a.prom"), HealthMetrics.ResolvePath(Path.Combine(folder.Path, "a.prom"), null));
        Assert.Equal("MetricsPathInvalid", Assert.Throws<OberaConnectException>(() => HealthMetrics.ResolvePath(Path.Combine(folder.Path, "a.txt"), null)).ErrorId);

        var configuration = OberaConnectConfiguration.CreateDefault(new Configuration.FakeSystemEnvironment(folder.Path));
        var missing = Assert.Throws<OberaConnectException>(() => HealthMetrics.ResolvePath(null, configuration));
        Assert.Equal("MetricsPathNotConfigured", missing.ErrorId);
        Assert.Contains("paths.metricsPath", missing.Message);
        configuration.Paths.MetricsPath = Path.Combine(folder.Path, "configured.prom");
        Assert.Equal(configuration.Paths.MetricsPath, HealthMetrics.ResolvePath(null, configuration));
    }
}
