using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Updates the Runbook Library page of a Markdown file (the page with its title, created when missing). Unchanged
    /// content (same Content Hash) sends nothing but reads; changed content replaces the page's body in place.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Runbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class SetRunbookCommand : WorkspaceCmdletBase
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

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var library = _library ??= new RunbookLibrary(Workspace, CorrelationId);
            var force = Force.IsPresent;
            foreach (var given in Path)
            {
                var path = GetUnresolvedProviderPathFromPSPath(given);
                var title = Title;
                var category = Category;
                var tags = Tags;
                var plan = RunEngine((queue, token) => library.PlanSetAsync(path, title, category, tags, force, null, token));
                Apply(plan);
            }
        }
    }
}
