using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads the pages of any workspace database, optionally filtered (a hashtable of property = value, or Notion
    /// filter JSON, both sent to Notion), with every property or only the ones named.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NotionPage", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(WorkspacePageRecord))]
    public sealed class GetNotionPageCommand : WorkspaceCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DatabaseNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Database { get; set; } = "";

        [Parameter(Position = 1)]
        public object? Filter { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PropertyNameCompleter))]
        public string[]? Property { get; set; }

        protected override void ProcessRecord()
        {
            var query = new NotionPageQuery
            {
                DatabaseName = Database,
                Filter = Unwrap(Filter),
                Properties = Property,
            };
            Read(query, Database);
        }
    }
}
