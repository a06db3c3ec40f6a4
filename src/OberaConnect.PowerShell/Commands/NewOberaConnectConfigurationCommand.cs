using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Writes a starter configuration file: every setting at its default, no database ids, no secrets. Without
    /// -Path it goes where the module looks first for this account (OBERACONNECT_CONFIG, the machine-wide file for
    /// SYSTEM, the user's own file otherwise). An existing file is replaced only with -Force.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "OberaConnectConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Configuration)]
    [OutputType(typeof(StarterConfigurationFile))]
    public sealed class NewOberaConnectConfigurationCommand : OberaConnectCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            string target;
            ConfigurationOrigin origin;
            if (Path != null)
            {
                target = GetUnresolvedProviderPathFromPSPath(Path);
                origin = ConfigurationOrigin.Parameter;
            }
            else
            {
                var location = StarterConfigurationFile.DefaultLocation();
                target = location.Path;
                origin = location.Origin;
            }

            var exists = File.Exists(target);
            if (exists && !Force)
            {
                WriteItemError(new ConfigurationFileExistsException(target), target);
                return;
            }
            if (!ShouldProcess(target, exists ? "Replace the configuration file with the starter configuration" : "Create a starter configuration file")) return;

            try
            {
                var written = StarterConfigurationFile.Write(target, origin, Force);
                WriteVerbose(written.NextStep);
                WriteObject(written);
            }
            catch (OberaConnectException e)
            {
                WriteItemError(e, target);
            }
        }
    }
}
