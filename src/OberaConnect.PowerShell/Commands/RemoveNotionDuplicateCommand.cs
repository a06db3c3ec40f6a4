using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Duplicates;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Moves the extra pages of duplicated keys (from Get-NotionDuplicate) to Notion's trash, keeping the newest edit
    /// of each key. One ShouldProcess per page (ConfirmImpact High: it asks unless -Confirm:$false or -Force), one
    /// result per page. A page edited since it was found, or whose kept page is gone, is left alone.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "NotionDuplicate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DuplicateRemovalResult))]
    public sealed class RemoveNotionDuplicateCommand : WorkspaceCmdletBase
    {
        private NotionDuplicates? _remover;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public NotionDuplicate? InputObject { get; set; }

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
            var duplicate = InputObject;
            if (duplicate is null) return;
            var remover = _remover ??= new NotionDuplicates(Workspace);
            foreach (var page in duplicate.Extra.ToList())
            {
                var target = NotionDuplicates.TargetOf(duplicate, page);
                var action = NotionDuplicates.ActionOf(duplicate);
                // -Force skips the question, never -WhatIf.
                if (Force && !IsWhatIf) WriteVerbose($"{action}: {target}");
                else if (!ShouldProcess(target, action)) continue;
                var result = RunEngine((queue, token) => remover.TrashAsync(duplicate, page, token));
                WriteObject(result);
                var audit = Audit;
                RunEngine((queue, token) => audit.RecordAsync(result, token));
                if (result.Status == DuplicateRemovalStatus.Failed)
                {
                    var error = result.Exception ?? new OberaConnectException(result.ErrorId ?? "DuplicateNotTrashed", FailureKind.Unknown, result.Error ?? "The page was not trashed.");
                    WriteItemError(error, duplicate);
                }
            }
        }
    }
}
