using System.Runtime.ExceptionServices;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Engine.Operations;

/// <summary>What Export-OberaConnectMetric wrote: the file and the health check behind it.</summary>
public sealed class MetricsExport
{
    internal MetricsExport(string path, HealthReport report)
    {
        Path = path;
        Report = report;
    }

    /// <summary>The .prom file written.</summary>
    public string Path { get; }

    /// <summary>
    /// The health check the metrics come from. Internal: it nests every component's health a level deeper than
    /// ConvertTo-Json writes by default; <see cref="Summary"/> says it in one line, Test-OberaConnectHealth per component.
    /// </summary>
    internal HealthReport Report { get; }

    /// <summary>Healthy, Degraded or Unhealthy.</summary>
    public string Overall => Report.Overall.ToString();

    /// <summary>One line: "Degraded: UniFi Unhealthy (timed out after 10 s); 6 healthy".</summary>
    public string Summary => Report.Summary;

    /// <summary>The value of oberaconnect_healthy: true when syncs can run (Healthy or Degraded).</summary>
    public bool IsOperational => Report.IsOperational;

    /// <summary>Number of components written (one oberaconnect_component_healthy sample each).</summary>
    public int Components => Report.Components.Count;

    /// <summary>Names of the Unhealthy components (empty when none).</summary>
    public IReadOnlyList<string> Unhealthy => NameList.From(Report.Components.Where(c => c.StatusValue == HealthStatus.Unhealthy).Select(c => c.Component));

    /// <summary>The unhealthy components as one text, for logs and Get-OberaConnectExitCode ("none" when none).</summary>
    public string Component => Unhealthy.Count == 0 ? "none" : string.Join(", ", Unhealthy);

    public DateTimeOffset CheckedAt => Report.CheckedAt;

    /// <summary>The exit code an unattended run that only exported metrics ends with (see <see cref="ComponentHealth.ExitCode"/>).</summary>
    public string ExitCode => Report.ExitCode.ToString();

    public override string ToString() => $"{Path}: {Report.Summary}";
}

/// <summary>
/// Writes a health check into the Prometheus textfile (<see cref="MetricsTextfile"/>, <see cref="MetricsUpdate.RecordHealth"/>):
/// oberaconnect_healthy, and oberaconnect_component_healthy and _latency_ms per component. The sync metrics in the
/// same file (written by every sync run) are kept.
/// </summary>
public static class HealthMetrics
{
    /// <summary>
    /// The .prom file to write: <paramref name="path"/> (a .prom file, or a folder that gets oberaconnect.prom), else
    /// paths.metricsPath of <paramref name="configuration"/>. Throws MetricsPathInvalid or MetricsPathNotConfigured.
    /// </summary>
    public static string ResolvePath(string? path, OberaConnectConfiguration? configuration)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            var text = path!.Trim();
            if (Directory.Exists(text) || text.EndsWith("/", StringComparison.Ordinal) || text.EndsWith("\\", StringComparison.Ordinal))
                return System.IO.Path.Combine(System.IO.Path.GetFullPath(text), MetricsTextfile.DefaultFileName);
            if (!text.EndsWith(".prom", StringComparison.OrdinalIgnoreCase))
                throw new OberaConnectException("MetricsPathInvalid", FailureKind.InvalidInput,
                    $"The metrics file '{text}' must end in .prom (the textfile collectors of windows_exporter and node_exporter read only *.prom), or be an existing folder.");
            return System.IO.Path.GetFullPath(text);
        }
        if (configuration?.Paths.MetricsPath is { Length: > 0 } configured) return configured;
        throw new OberaConnectException("MetricsPathNotConfigured", FailureKind.Configuration,
            $"No metrics file was named: give -Path, or set paths.metricsPath in {configuration?.FilePath ?? "the configuration file"} " +
            "(for example C:\\Program Files\\windows_exporter\\textfile_inputs\\oberaconnect.prom).");
    }

    /// <summary>Merges <paramref name="report"/> into the textfile at <paramref name="path"/>.</summary>
    public static async Task<MetricsExport> WriteAsync(HealthReport report, string path, TimeProvider? time, CancellationToken cancellationToken)
    {
        if (report is null) throw new ArgumentNullException(nameof(report));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A metrics file path is required.", nameof(path));
        var full = System.IO.Path.GetFullPath(path);
        var file = new MetricsTextfile(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full), time);
        await file.WriteAsync(new MetricsUpdate().RecordHealth(report), cancellationToken).ConfigureAwait(false);
        return new MetricsExport(file.Path, report);
    }

    /// <summary>Runs the health check with an existing connection and writes it to <paramref name="path"/> or the configured file.</summary>
    public static Task<MetricsExport> ExportAsync(OberaConnectConnection connection, string? path, WorkspaceHealthOptions? options, IEngineOutput? output,
        CancellationToken cancellationToken)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        return CheckAndWriteAsync(connection, null, ResolvePath(path, connection.Configuration), options, output, cancellationToken);
    }

    /// <summary>
    /// Opens a connection, runs the health check, writes it and disposes the connection. A configuration that does
    /// not load is written as the Configuration component Unhealthy when <paramref name="path"/> is given (the
    /// alert should fire); without a path there is nowhere to write, and the configuration error is thrown.
    /// </summary>
    public static async Task<MetricsExport> ExportAsync(Func<OberaConnectConnection> open, string? path, WorkspaceHealthOptions? options, IEngineOutput? output,
        CancellationToken cancellationToken)
    {
        if (open is null) throw new ArgumentNullException(nameof(open));
        OberaConnectConnection connection;
        try
        {
            connection = open();
        }
        catch (OberaConnectException ex)
        {
            if (string.IsNullOrWhiteSpace(path)) throw;
            return await CheckAndWriteAsync(null, ex, ResolvePath(path, null), options, output, cancellationToken).ConfigureAwait(false);
        }
        using (connection)
        {
            return await ExportAsync(connection, path, options, output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the health check on <paramref name="connection"/> (or, when it could not be opened, reports
    /// <paramref name="configurationError"/> as the Configuration component) and writes it to <paramref name="file"/>,
    /// a path from <see cref="ResolvePath"/>. For hosts that confirm the file before anything is checked (-WhatIf).
    /// </summary>
    public static async Task<MetricsExport> CheckAndWriteAsync(OberaConnectConnection? connection, OberaConnectException? configurationError, string file,
        WorkspaceHealthOptions? options, IEngineOutput? output, CancellationToken cancellationToken)
    {
        if (connection is null && configurationError is null) throw new ArgumentException("Give the connection, or the error that kept it from opening.", nameof(connection));
        HealthReport report;
        if (connection != null)
        {
            report = await WorkspaceHealth.CheckAsync(connection, options, output, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var failed = ExceptionDispatchInfo.Capture(configurationError!);
            report = await WorkspaceHealth.CheckAsync(() => { failed.Throw(); return null!; }, options, output, cancellationToken).ConfigureAwait(false);
        }
        return await WriteAsync(report, file, connection?.Options.Time, cancellationToken).ConfigureAwait(false);
    }
}
