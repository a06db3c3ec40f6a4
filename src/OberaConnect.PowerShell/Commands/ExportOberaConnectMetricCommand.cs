using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Operations;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Runs the health check and writes it into the Prometheus textfile (oberaconnect_healthy, and
    /// oberaconnect_component_healthy and _latency_ms per component) at -Path or paths.metricsPath, merged with the
    /// sync metrics the sync cmdlets write there. Meant for a scheduled task next to windows_exporter's or
    /// node_exporter's textfile collector. A configuration that does not load is still written (as the Configuration
    /// component down) when -Path says where.
    /// </summary>
    [Cmdlet(VerbsData.Export, "OberaConnectMetric", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(MetricsExport))]
    public sealed class ExportOberaConnectMetricCommand : OberaConnectCmdlet
    {
        /// <summary>
        /// <para type="description">The .prom file to write, or a folder (the file is then oberaconnect.prom). Default: paths.metricsPath of the configuration.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>
        /// <para type="description">Path of the configuration file to check instead of the session's connection or the default file.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        protected override void EndProcessing()
        {
            var target = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            var session = ConfigPath == null ? OberaConnectSession.Current : null;
            OberaConnectConnection? own = null;
            OberaConnectException? configurationError = null;
            try
            {
                var connection = session;
                if (connection == null)
                {
                    try
                    {
                        own = ConnectionFactory.Open(ConfigPath == null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath), null);
                        connection = own;
                    }
                    catch (OberaConnectException ex)
                    {
                        configurationError = ex;
                    }
                }

                string file;
                try
                {
                    file = HealthMetrics.ResolvePath(target, connection?.Configuration);
                }
                catch (OberaConnectException ex)
                {
                    // No -Path and no configuration to take paths.metricsPath from: the configuration error says why.
                    ThrowSetupError(configurationError ?? ex, target);
                    return;
                }
                if (!ShouldProcess(file, "Write the health check's metrics")) return;

                Func<PipelineQueue, CancellationToken, Task<MetricsExport>> check =
                    (queue, token) => HealthMetrics.CheckAndWriteAsync(connection, configurationError, file, null, queue.Output, token);
                var export = connection != null ? RunEngine(connection, check) : RunEngine(check);
                WriteObject(export);
            }
            catch (OberaConnectException ex)
            {
                // The file could not be written (folder missing and not creatable, access denied).
                ThrowSetupError(ex, target);
            }
            finally
            {
                own?.Dispose();
            }
        }
    }
}
