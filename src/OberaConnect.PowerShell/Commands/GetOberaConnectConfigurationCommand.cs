using System.Management.Automation;
using OberaConnect.Engine.Configuration;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Shows the configuration the other cmdlets would use now: the -ConfigPath file, else the session's
    /// (Connect-OberaConnect), else the file found by the usual search. Every setting after defaults, the database
    /// ids, and where each credential comes from; secret names only, never a secret value. Sends nothing anywhere.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OberaConnectConfiguration", HelpUri = HelpLinks.Configuration)]
    [OutputType(typeof(ConfigurationSummary))]
    public sealed class GetOberaConnectConfigurationCommand : OberaConnectConnectedCmdlet
    {
        protected override void ProcessRecord()
        {
            var session = OberaConnectSession.Current;
            var connection = Connection;
            string source;
            if (ConfigPath != null) source = ConfigurationSummary.Describe(ConfigurationOrigin.Parameter);
            else if (session != null && ReferenceEquals(session, connection)) source = "session (Connect-OberaConnect)";
            else source = ConfigurationSummary.Describe(ConfigurationLocations.Resolve(null, SystemEnvironment.Instance).Origin);
            WriteObject(ConfigurationSummary.From(connection.Configuration, source, connection.ResolvedCredentials));
        }
    }
}
