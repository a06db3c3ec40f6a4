using System.Management.Automation;
using OberaConnect.Engine.Unattended;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Turns what a job run produced into the exit code contract of about_OberaConnect_Unattended, so job scripts
    /// (Task Scheduler, NinjaOne) never hard-code the rules: result objects with ExitCode, FailedCount, Healthy or Status
    /// Conflict properties (<see cref="JobResults"/>), the errors collected with -ErrorVariable, and the terminating error
    /// if any, in whatever shape PowerShell hands them (<see cref="JobErrors"/>). Invoke-OberaConnectJob applies the
    /// same rules to the jobs it runs.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OberaConnectExitCode", HelpUri = HelpLinks.Unattended)]
    [OutputType(typeof(JobOutcome))]
    public sealed class GetOberaConnectExitCodeCommand : OberaConnectCmdlet
    {
        private readonly JobOutcome _outcome = new JobOutcome();

        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public object?[]? InputObject { get; set; }

        // Objects, not ErrorRecord[]: -ErrorVariable holds ErrorRecords and, for the error that stopped a command, its
        // exception (a CmdletInvocationException or ActionPreferenceStopException).
        [Parameter]
        [AllowNull]
        [AllowEmptyCollection]
        public object?[]? ItemError { get; set; }

        // An ErrorRecord ($_) or an exception ($_.Exception), wrapped or not.
        [Parameter]
        [AllowNull]
        [Alias("ErrorRecord")]
        public object? Exception { get; set; }

        [Parameter]
        public SwitchParameter AcceptConflict { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var item in InputObject ?? Array.Empty<object?>())
                JobResults.Add(_outcome, item, AcceptConflict.IsPresent);
        }

        protected override void EndProcessing()
        {
            foreach (var error in JobErrors.ItemsOnly(ItemError, Exception))
                JobErrors.ItemFailed(_outcome, error);
            if (Exception is not null) JobErrors.Failed(_outcome, Exception);
            WriteVerbose(_outcome.ToString());
            WriteObject(_outcome);
        }
    }
}
