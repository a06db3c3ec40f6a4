using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Publishes Markdown files as new pages of the Runbook Library. A title already in the library is never added
    /// twice: it is Unchanged when its content matches, else Skipped (Set-Runbook updates it).
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "Runbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult))]
    public sealed class AddRunbookCommand : RunbookCmdletBase
    {
        private protected override Task<PlannedChange> PlanAsync(RunbookLibrary library, string path, string? title, string? category,
            IReadOnlyList<string>? tags, CancellationToken cancellationToken)
            => library.PlanAddAsync(path, title, category, tags, null, cancellationToken);
    }
}
