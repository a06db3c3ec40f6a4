using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Duplicates;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Moves the extra pages of duplicated keys (from Get-NotionDuplicate) to Notion's trash. The page kept is the module's
    /// page by default (source ids, then the most records pointing at it, then the oldest); -Keep chooses another rule.
    /// Before a page is trashed, the records that point at it (Daily Health, Config Changes, Network Devices, Alerts) are
    /// pointed at the kept page, so no history is orphaned. One ShouldProcess per page, naming the page kept and the page
    /// trashed and how many records point at each (ConfirmImpact High: it asks unless -Confirm:$false or -Force), one result
    /// per page. A page edited since it was found, or whose kept page is gone, is left alone.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "NotionDuplicate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(DuplicateRemovalResult))]
    public sealed class RemoveNotionDuplicateCommand : WorkspaceCmdletBase
    {
        private NotionDuplicates? _remover;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public NotionDuplicate? InputObject { get; set; }

        /// <summary>Which page of each key stays: by default the module's page (source ids, most records pointing at it, oldest).</summary>
        [Parameter]
        [ValidateSet("Oldest", "Newest", "MostLinked")]
        public string? Keep { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var confirmOff = MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && !LanguagePrimitives.IsTrue(confirm);
            if (IsUnattended && !Force && !IsWhatIf && !confirmOff)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("Remove-NotionDuplicate asks before trashing each page, and this session cannot answer a prompt. Add -Force (or -Confirm:$false) to proceed, or -WhatIf to see what it would do."),
                    "ConfirmationRequiresForce", ErrorCategory.InvalidOperation, null));
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            var duplicate = Keep is null ? InputObject : NotionDuplicates.Choose(InputObject, Keep);
            var remover = _remover ??= new NotionDuplicates(Workspace);
            foreach (var page in duplicate.Extra.ToList())
            {
                var target = NotionDuplicates.TargetOf(duplicate, page);
                var action = NotionDuplicates.ActionOf(duplicate, page);
                // -Force skips the question, never -WhatIf.
                if (Force && !IsWhatIf) WriteVerbose($"{action}: {target}");
                else if (!ShouldProcess(target, action)) continue;
                RecordIntent(duplicate.Database, duplicate.Key + " " + page.PageId, action);
                var result = RunEngine((queue, token) => remover.TrashAsync(duplicate, page, token));
                WriteObject(result);
                var audit = Audit;
                RunEngine((queue, token) => audit.RecordAsync(result, token));
                if (result.StatusValue == DuplicateRemovalStatus.Failed)
                {
                    var error = result.Exception ?? new OberaConnectException(result.ErrorId ?? "DuplicateNotTrashed", FailureKind.Unknown, result.Error ?? "The page was not trashed.");
                    WriteItemError(error, duplicate);
                }
            }
        }
    }
}
