using System.Management.Automation;
using System.Security;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Loads and checks the configuration, resolves the credentials (parameters, then Key Vault, then environment
    /// variables), verifies the Notion token with users/me and makes the result the session's default connection,
    /// so later cmdlets need no -ConfigPath. Outputs the connection summary (where each credential came from,
    /// never a value), as Connect-AzAccount does.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "OberaConnect", HelpUri = HelpLinks.Configuration)]
    [OutputType(typeof(ConnectionInfo))]
    public sealed class ConnectOberaConnectCommand : OberaConnectCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? NotionToken { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? UniFiApiKey { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? NinjaOneCredential { get; set; }

        protected override void ProcessRecord()
        {
            // Plain text exists from here on only inside the engine's options (and the redactor knows each value).
            var ninjaOne = SecureText.Split(NinjaOneCredential);
            var options = new ConnectionOptions
            {
                NotionToken = SecureText.ToPlainText(NotionToken),
                UniFiApiKey = SecureText.ToPlainText(UniFiApiKey),
                NinjaOneClientId = ninjaOne.UserName,
                NinjaOneClientSecret = ninjaOne.Password,
            };
            var path = ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);

            OberaConnectConnection connection;
            try
            {
                connection = ConnectionFactory.Open(path, options);
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, ConfigPath);
                return;
            }

            ConnectionInfo info;
            try
            {
                info = RunEngine((queue, token) =>
                {
                    connection.Output = queue.Output;
                    return ConnectionInfo.ConnectAsync(connection, queue.Output, token);
                });
            }
            catch (OberaConnectException e)
            {
                connection.Dispose();
                ThrowSetupError(e, ConfigPath);
                return;
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            // The queue ends with this invocation; later cmdlets forward the connection's output to themselves.
            connection.Output = NullEngineOutput.Instance;
            OberaConnectSession.Set(connection);
            WriteVerbose(info.ToString());
            WriteObject(info);
        }
    }
}
