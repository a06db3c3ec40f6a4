using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Duplicates;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Finds keys held by more than one page of a workspace database: one object per duplicated key, with its pages
    /// and the one that is kept (the module's page: source ids, then the most records pointing at it, then the oldest), with
    /// how many records point at each. Reads the database once, streamed, and each relating database once; writes nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NotionDuplicate", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(NotionDuplicate))]
    public sealed class GetNotionDuplicateCommand : WorkspaceCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DatabaseNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Database { get; set; } = "";

        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(PropertyNameCompleter))]
        public string? Property { get; set; }

        protected override void ProcessRecord()
        {
            var finder = new NotionDuplicates(Workspace);
            var database = Database;
            var property = Property;
            try
            {
                RunEngine((queue, token) => finder.FindAsync(database, property, queue.Emit, queue.Output, token));
            }
            catch (OberaConnectException ex) when (ex.Kind == FailureKind.InvalidInput)
            {
                WriteItemError(ex, database);
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, database);
            }
        }
    }
}
