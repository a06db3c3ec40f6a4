using System.Management.Automation;
using System.Security;
using OberaConnect.Engine;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Creates the export's tables (notion_raw_pages and notion_sync_watermarks) in the SQLite file or in the
    /// Databricks schema, when missing. Safe to run again: nothing that exists is changed.
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "NotionExportStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(ExportStoreInfo))]
    public sealed class InitializeNotionExportStoreCommand : OberaConnectConnectedCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateSet("Sqlite", "Databricks")]
        public string? Store { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public SecureString? DatabricksToken { get; set; }

        protected override void EndProcessing()
        {
            var connection = Connection;
            var store = Store;
            var path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            string where;
            try
            {
                where = connection.DescribeExportStore(store, path);
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, store);
                return;
            }
            if (!ShouldProcess(where, "Create the export tables notion_raw_pages and notion_sync_watermarks where missing")) return;

            var token = SecureText.ToPlainText(DatabricksToken);
            try
            {
                WriteObject(RunEngine((queue, cancellation) => connection.InitializeExportStoreAsync(store, path, token, cancellation)));
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, where);
            }
        }
    }
}
