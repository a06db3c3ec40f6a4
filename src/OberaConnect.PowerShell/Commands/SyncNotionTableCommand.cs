using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.DataSurface.Sync;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Two-way sync of a SQLite or PostgreSQL table with a Notion database (the predecessor's FRAMES sync): rows
    /// changed since the last sync are pushed to pages, pages edited since the last sync are pulled into rows, each
    /// page carries sync_status and last_synced, and records changed on both sides (or deleted on one) are settled by
    /// -ConflictAction (and -AllowDelete).
    /// The engine plans (<see cref="NotionTableSync.PlanAsync"/>); every write on either side is one ShouldProcess,
    /// so -WhatIf prints the plan of both sides and writes nothing; then the engine applies what was approved.
    /// One result per record read.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "NotionTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(TableSyncResult))]
    public sealed class SyncNotionTableCommand : OberaConnectConnectedCmdlet
    {
        [Parameter(Mandatory = true)]
        [ValidateSet("Sqlite", "PostgreSql")]
        public string Provider { get; set; } = "";

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Table { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DatabaseId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? MappingFile { get; set; }

        [Parameter]
        [ValidateSet("LastWriteWins", "Flag", "PreferDatabase", "PreferNotion")]
        public string ConflictAction { get; set; } = "LastWriteWins";

        [Parameter]
        [ValidateSet("Both", "Push", "Pull")]
        public string Direction { get; set; } = "Both";

        // Only with PreferDatabase / PreferNotion: a record deleted on the preferred side is deleted on the other (one ShouldProcess each).
        [Parameter]
        public SwitchParameter AllowDelete { get; set; }

        protected override void ProcessRecord()
        {
            var connection = Connection;
            ISyncTable table;
            NotionTableSync sync;
            try
            {
                string? mapping = null;
                if (MappingFile != null)
                {
                    var file = GetUnresolvedProviderPathFromPSPath(MappingFile);
                    if (!File.Exists(file))
                        throw new OberaConnectException("SyncMappingFileNotFound", FailureKind.Configuration, $"The mapping file {file} does not exist.");
                    mapping = File.ReadAllText(file);
                }
                var options = TableSyncOptions.FromNames(ConflictAction, Direction, mapping, CorrelationId, AllowDelete.IsPresent);
                var connectionString = string.Equals(Provider, SyncTables.Sqlite, StringComparison.OrdinalIgnoreCase)
                    ? GetUnresolvedProviderPathFromPSPath(SyncTables.SqlitePath(ConnectionString))
                    : ConnectionString;
                table = SyncTables.Open(Provider, connectionString, Table, connection.Redactor);
                var databaseId = DatabaseId;
                sync = RunEngine((queue, cancellation) => connection.CreateTableSyncAsync(table, databaseId, options, cancellation));
            }
            catch (OberaConnectException ex)
            {
                WriteItemError(ex, Table);
                return;
            }

            try
            {
                Run(sync);
            }
            catch (OberaConnectException ex)
            {
                // Reading either side failed (schema, login, a missing table): this table is skipped, the next goes on.
                if (!IsWhatIf)
                    RunEngine((queue, token) =>
                    {
                        sync.Output = queue.Output;
                        return sync.RecordFailedRunAsync(token);
                    });
                WriteItemError(ex, Table);
            }
            finally
            {
                (table as IDisposable)?.Dispose();
            }
        }

        private void Run(NotionTableSync sync)
        {
            var plan = RunEngine((queue, cancellation) =>
            {
                sync.Output = queue.Output;
                return sync.PlanAsync(cancellation);
            });

            // One ShouldProcess per write, on either side: -WhatIf prints them all, -Confirm asks for each.
            if (plan.SchemaWrite != null) plan.SchemaWrite.Approved = ShouldProcess(plan.SchemaWrite.Target, plan.SchemaWrite.Action);
            foreach (var item in plan.Items)
                foreach (var write in item.Writes)
                    write.Approved = ShouldProcess(write.Target, write.Action);
            plan.StateWrite.Approved = ShouldProcess(plan.StateWrite.Target, plan.StateWrite.Action);

            // Under -WhatIf the plan above is the output; results would only say "skipped" for each.
            var report = !IsWhatIf;
            var summary = RunEngine((queue, cancellation) =>
            {
                sync.Output = queue.Output;
                return sync.ApplyAllAsync(plan, result =>
                {
                    if (!report) return;
                    queue.Emit(result);
                    if (result.Exception != null) queue.ItemFailed(result.Exception, result);
                }, cancellation);
            });
            WriteInformation(summary.ToString(), new[] { "OberaConnect", "Summary" });
            WriteVerbose(summary.ToString());
        }
    }
}
