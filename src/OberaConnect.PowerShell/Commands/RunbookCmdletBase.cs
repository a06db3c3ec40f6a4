using System.Management.Automation;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// What Add-Runbook and Set-Runbook share: the files and the page fields they take, and one plan and apply per file,
    /// each file resolved against the current location. They differ only in how a file is planned (<see cref="PlanAsync"/>).
    /// </summary>
    public abstract class RunbookCmdletBase : WorkspaceCmdletBase
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

        /// <summary>The change this cmdlet makes for one file (a full path), with the page fields given.</summary>
        private protected abstract Task<PlannedChange> PlanAsync(RunbookLibrary library, string path, string? title, string? category,
            IReadOnlyList<string>? tags, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            var library = _library ??= new RunbookLibrary(Workspace, CorrelationId);
            foreach (var given in Path)
            {
                var path = GetUnresolvedProviderPathFromPSPath(given);
                // Read on the pipeline thread: the engine runs the plan on another.
                var title = Title;
                var category = Category;
                var tags = Tags;
                var plan = RunEngine((queue, token) => PlanAsync(library, path, title, category, tags, token));
                Apply(plan);
            }
        }
    }
}
