using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Compares the workspace databases in Notion with the module's definition and outputs one object per
    /// difference; no output means no difference. Properties people added are left out (Verbose) unless
    /// -IncludeExtra. -Repair adds what is missing (properties, select options, relations) and renames a renamed
    /// title back, one ShouldProcess per change, then checks again and outputs what is left. It never deletes or
    /// retypes anything: wrong types and misdirected relations are reported for a person to fix.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "NotionSchema", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SchemaDifference))]
    public sealed class TestNotionSchemaCommand : OberaConnectConnectedCmdlet
    {
        private readonly List<string> _names = new List<string>();

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DatabaseNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Database { get; set; }

        [Parameter]
        public SwitchParameter Repair { get; set; }

        [Parameter]
        public SwitchParameter IncludeExtra { get; set; }

        protected override void ProcessRecord()
        {
            // Piped objects (Initialize's output, earlier differences) name their database; check each once, at the end.
            if (Database != null) _names.AddRange(Database);
        }

        protected override void EndProcessing()
        {
            var definition = WorkspaceDefinition.Standard;
            IReadOnlyList<DatabaseKey> keys;
            try
            {
                keys = definition.SelectByName(_names);
            }
            catch (UnknownDatabaseNameException e)
            {
                ThrowSetupError(e, e.Name);
                return;
            }

            var connection = Connection;
            var ids = connection.Configuration.Databases;
            NotionClient notion;
            IReadOnlyList<SchemaReport> reports;
            try
            {
                notion = RunEngine(connection, (_, token) => connection.GetNotionAsync(token));
                reports = RunEngine((queue, token) => WorkspaceSetup.CheckAsync(notion, definition, ids, keys, token));
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, connection.Configuration.FilePath);
                return;
            }

            if (Repair)
            {
                var repaired = 0;
                foreach (var report in reports)
                {
                    foreach (var difference in report.Differences)
                    {
                        if (!difference.Repairable) continue;
                        if (!ShouldProcess(report.Database.Title, difference.RepairAction)) continue;
                        try
                        {
                            RunEngine((queue, token) => WorkspaceSetup.RepairAsync(notion, ids, report, difference, token));
                            repaired++;
                            WriteVerbose($"{report.Database.Title}: {difference.RepairAction}: done.");
                        }
                        catch (OberaConnectException e)
                        {
                            WriteItemError(e, difference);
                        }
                    }
                }
                if (repaired > 0)
                {
                    try
                    {
                        reports = RunEngine((queue, token) => WorkspaceSetup.CheckAsync(notion, definition, ids, keys, token));
                    }
                    catch (OberaConnectException e)
                    {
                        ThrowSetupError(e, connection.Configuration.FilePath);
                        return;
                    }
                }
            }

            foreach (var report in reports)
            {
                foreach (var difference in report.Differences)
                {
                    if (difference.KindValue == SchemaDifferenceKind.Extra && !IncludeExtra) WriteVerbose(difference.Message);
                    else WriteObject(difference);
                }
            }
        }
    }
}
