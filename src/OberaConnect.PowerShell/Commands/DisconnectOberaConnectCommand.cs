using System.Management.Automation;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Forgets the session's default connection made by Connect-OberaConnect, with the credentials it held.
    /// Later cmdlets read the configuration file and the environment again. Doing it when not connected is not an error.
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "OberaConnect", HelpUri = HelpLinks.Configuration)]
    public sealed class DisconnectOberaConnectCommand : OberaConnectCmdlet
    {
        protected override void EndProcessing()
        {
            var current = OberaConnectSession.Current;
            if (current is null)
            {
                WriteVerbose("Not connected: nothing to disconnect.");
                return;
            }
            var file = current.Configuration.FilePath;
            OberaConnectSession.Set(null);
            WriteVerbose($"Disconnected (configuration {file ?? "defaults"}); the credentials it held are forgotten.");
        }
    }
}
