using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.AzureServices;
using OberaConnect.Engine.Sync;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Moves an Azure Pipeline service to another stage of the workspace definition: sets Stage and Last Stage Change
    /// and appends one line to Stage History. A service already at the stage is Unchanged (nothing written).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AzurePipelineStage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class SetAzurePipelineStageCommand : WorkspaceCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceName", "Key")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(AzurePipelineStageCompleter))]
        [ValidateNotNullOrEmpty]
        public string Stage { get; set; } = "";

        [Parameter]
        public string? Note { get; set; }

        protected override void ProcessRecord()
        {
            var workspace = Workspace;
            var correlationId = CorrelationId;
            var name = Name;
            var stage = Stage;
            var note = Note;
            // One pipeline per item, reporting on this call's streams: a note's removed control characters are a warning here.
            var plan = RunEngine((queue, token) => new AzurePipeline(workspace, correlationId, queue.Output).PlanStageAsync(name, stage, note, null, token));
            Apply(plan);
        }
    }
}
