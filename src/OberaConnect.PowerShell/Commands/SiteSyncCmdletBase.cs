using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sync;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// What the site syncs share beyond <see cref="SyncCmdletBase"/>: reading the sources with their warnings on
    /// this invocation's streams, and the Customer Sites pages that Site relations point at.
    /// </summary>
    public abstract class SiteSyncCmdletBase : SyncCmdletBase
    {
        /// <summary>
        /// Runs a read of the sources. Their warnings (a source down, unmatched sites) reach this invocation's
        /// warning stream; a failure of every source is a setup error.
        /// </summary>
        protected T ReadSources<T>(Func<OberaConnectConnection, CancellationToken, Task<T>> read, object? target)
        {
            var connection = Connection;
            try
            {
                return RunEngine(connection, (_, token) => read(connection, token));
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, target);
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        /// <summary>Reads Customer Sites once (site name to page), for the Site relation of every record of this run.</summary>
        protected SiteRelationIndex OpenSites()
        {
            var connection = Connection;
            try
            {
                var sites = RunEngine((queue, token) => SiteRelationIndex.OpenAsync(connection, token));
                WriteVerbose($"{sites.Count} site(s) read from Customer Sites.");
                if (sites.Count == 0)
                    WriteWarning("Customer Sites has no pages yet, so no record can be related to its site. Run Sync-CustomerStatus first.");
                return sites;
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, "CustomerSites");
                throw; // not reached
            }
        }
    }
}
