using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Publishes Markdown files as new pages of the Runbook Library. A title already in the library is never added
    /// twice: it is Unchanged when its content matches, else Skipped (Set-Runbook updates it).
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "Runbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class AddRunbookCommand : WorkspaceCmdletBase
    {
        private RunbookLibrary? _library;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Title { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunbookCategoryCompleter))]
        public string? Category { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[]? Tags { get; set; }

        protected override void ProcessRecord()
        {
            var library = _library ??= new RunbookLibrary(Workspace, CorrelationId);
            foreach (var given in Path)
            {
                var path = GetUnresolvedProviderPathFromPSPath(given);
                var title = Title;
                var category = Category;
                var tags = Tags;
                var plan = RunEngine((queue, token) => library.PlanAddAsync(path, title, category, tags, null, token));
                Apply(plan);
            }
        }
    }
}
