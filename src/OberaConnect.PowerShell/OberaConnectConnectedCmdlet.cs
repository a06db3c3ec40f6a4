using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that talk to Notion or the sources. The connection comes from -ConfigPath when
    /// given (unattended scripts need not connect first), else from Connect-OberaConnect's session default,
    /// else from the default configuration file, with credentials from Key Vault or environment variables.
    /// </summary>
    public abstract class OberaConnectConnectedCmdlet : OberaConnectCmdlet
    {
        private OberaConnectConnection? _own;

        /// <summary>
        /// <para type="description">Path of the configuration file to use instead of the session's connection or the default file.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>The connection for this invocation. Bad configuration or credentials end the cmdlet (a setup error).</summary>
        protected OberaConnectConnection Connection
        {
            get
            {
                if (_own != null) return _own;
                if (ConfigPath == null && OberaConnectSession.Current is { } session) return session;
                try
                {
                    var path = ConfigPath == null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
                    _own = ConnectionFactory.Open(path, null);
                    return _own;
                }
                catch (OberaConnectException ex)
                {
                    ThrowSetupError(ex, ConfigPath);
                    throw; // not reached: ThrowTerminatingError throws
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _own?.Dispose();
                _own = null;
            }
            base.Dispose(disposing);
        }
    }
}
