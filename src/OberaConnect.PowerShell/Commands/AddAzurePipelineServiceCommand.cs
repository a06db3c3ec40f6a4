using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.AzureServices;
using OberaConnect.Engine.Sync;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Adds an Azure service to the Azure Pipeline database at its first stage (or the one given). A service whose
    /// name is already there is reported Unchanged (same category) or Skipped: never a second page.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "AzurePipelineService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class AddAzurePipelineServiceCommand : WorkspaceCmdletBase
    {
        private AzurePipeline? _pipeline;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AzurePipelineCategoryCompleter))]
        [ValidateNotNullOrEmpty]
        public string Category { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AzurePipelineStageCompleter))]
        public string? Stage { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[]? Owner { get; set; }

        protected override void ProcessRecord()
        {
            var pipeline = _pipeline ??= new AzurePipeline(Workspace, CorrelationId);
            var name = Name;
            var category = Category;
            var stage = Stage;
            var owners = Owner;
            var plan = RunEngine((queue, token) => pipeline.PlanAddAsync(name, category, stage, owners, null, token));
            Apply(plan);
        }
    }
}
