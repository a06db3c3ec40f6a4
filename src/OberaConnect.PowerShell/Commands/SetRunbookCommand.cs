using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Updates the Runbook Library page of a Markdown file (the page with its title, created when missing). Unchanged
    /// content (same Content Hash) sends nothing but reads; changed content replaces the page's body in place.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Runbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class SetRunbookCommand : RunbookCmdletBase
    {
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override Task<PlannedChange> PlanAsync(RunbookLibrary library, string path, string? title, string? category,
            IReadOnlyList<string>? tags, CancellationToken cancellationToken)
            => library.PlanSetAsync(path, title, category, tags, Force.IsPresent, null, cancellationToken);
    }
}
