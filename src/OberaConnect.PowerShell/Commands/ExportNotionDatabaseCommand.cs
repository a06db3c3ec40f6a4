using System.Management.Automation;
using System.Security;
using OberaConnect.Engine;
using OberaConnect.Engine.DataSurface.Export;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Copies Notion databases into the bronze layer (a SQLite file, or Delta tables in Databricks): every page as
    /// received plus its properties flattened to JSON, trashed pages kept and marked, incrementally from each
    /// database's watermark. One result per database. The work is the engine's (<see cref="NotionExport"/>); this
    /// cmdlet resolves the names, asks ShouldProcess per database and streams the results.
    /// </summary>
    [Cmdlet(VerbsData.Export, "NotionDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(DatabaseExportResult))]
    public sealed class ExportNotionDatabaseCommand : OberaConnectConnectedCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";
        private const string AllSet = "All";

        private readonly List<string> _names = new List<string>();
        private readonly List<string> _ids = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByNameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DatabaseNameCompleter))]
        [Alias("Name")]
        public string[] Database { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] DatabaseId { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        [Parameter]
        public SwitchParameter FullRefresh { get; set; }

        // A string, not an engine enum (see OberaConnectCmdlet): null takes export.store from the configuration.
        [Parameter]
        [ValidateSet("Sqlite", "Databricks")]
        public string? Store { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public SecureString? DatabricksToken { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByNameSet) _names.AddRange(Database ?? Array.Empty<string>());
            if (ParameterSetName == ByIdSet) _ids.AddRange(DatabaseId ?? Array.Empty<string>());
        }

        protected override void EndProcessing()
        {
            var connection = Connection;
            IReadOnlyList<ExportSource> sources;
            string where;
            try
            {
                sources = ExportCatalog.Resolve(connection.Configuration, _names, _ids, All.IsPresent);
                where = connection.DescribeExportStore(Store, SqlitePath());
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, _names.Count > 0 ? (object)_names.ToArray() : _ids.ToArray());
                return;
            }

            var approved = new List<ExportSource>();
            var how = FullRefresh.IsPresent ? "Export every page (full refresh)" : "Export pages edited since the watermark";
            foreach (var source in sources)
            {
                if (ShouldProcess($"Notion database {source.DatabaseName} ({source.DatabaseId})", $"{how} to {where}"))
                    approved.Add(source);
            }
            if (approved.Count == 0) return;

            var store = Store;
            var path = SqlitePath();
            var token = SecureText.ToPlainText(DatabricksToken);
            var fullRefresh = FullRefresh.IsPresent;
            try
            {
                RunEngine((queue, cancellation) => connection.ExportNotionAsync(approved, fullRefresh, store, path, token, queue.Output, cancellation,
                    result =>
                    {
                        queue.Emit(result);
                        if (result.Exception != null) queue.ItemFailed(result.Exception, result);
                    }));
            }
            catch (OberaConnectException ex)
            {
                // The store or the Notion connection could not be opened: nothing was exported.
                ThrowSetupError(ex, where);
            }
        }

        private string? SqlitePath() => Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
    }
}
