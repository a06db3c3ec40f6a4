using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Operations;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Checks everything a sync needs and reports one object per component (Configuration, KeyVault, NotionToken,
    /// Database:/Schema: per configured database, UniFi, NinjaOne) with its status, latency and reason; -Quiet
    /// returns only whether syncs can run. The probes are the engine's <see cref="WorkspaceHealth"/>. A configuration
    /// that does not load is reported as the Configuration component, not thrown, so monitoring always gets an answer.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OberaConnectHealth", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(ComponentHealth))]
    [OutputType(typeof(bool))]
    public sealed class TestOberaConnectHealthCommand : OberaConnectCmdlet
    {
        /// <summary>
        /// <para type="description">Components to check, by name or wildcard (Database:*). All that are set up when omitted.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(HealthComponentCompleter))]
        public string[]? Component { get; set; }

        /// <summary>
        /// <para type="description">Path of the configuration file to check instead of the session's connection or the default file.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>
        /// <para type="description">Returns only $true (syncs can run: Healthy or Degraded) or $false (a required component is Unhealthy).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        private readonly List<string> _components = new List<string>();

        protected override void ProcessRecord()
        {
            if (Component != null) _components.AddRange(Component);
        }

        protected override void EndProcessing()
        {
            var options = new WorkspaceHealthOptions { Components = _components.Count == 0 ? null : _components.ToArray() };
            var path = ConfigPath == null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
            var session = ConfigPath == null ? OberaConnectSession.Current : null;
            HealthReport report;
            try
            {
                // A Key Vault fallback warning raised while the session resolves belongs to this invocation.
                report = session != null
                    ? RunEngine(session, (queue, token) => WorkspaceHealth.CheckAsync(session, options, queue.Output, token))
                    : RunEngine((queue, token) => WorkspaceHealth.CheckAsync(() => Open(path, queue), options, queue.Output, token));
            }
            catch (OberaConnectException ex)
            {
                // Only a -Component that names nothing gets here: everything else is a component's status.
                ThrowSetupError(ex, _components.ToArray());
                return;
            }

            if (Quiet)
            {
                WriteObject(report.IsOperational);
                return;
            }
            foreach (var component in report.Components) WriteObject(component);
        }

        private static OberaConnectConnection Open(string? path, PipelineQueue queue)
        {
            var connection = ConnectionFactory.Open(path, null);
            connection.Output = queue.Output;
            return connection;
        }
    }
}
