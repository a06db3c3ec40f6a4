using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Turns what a job run produced into the exit code contract of about_OberaConnect_Unattended, so job scripts
    /// (Task Scheduler, NinjaOne) never hard-code the rules: result objects with ExitCode, FailedCount or Healthy
    /// properties, the non-terminating errors collected with -ErrorVariable, and the terminating error if any.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OberaConnectExitCode")]
    [OutputType(typeof(JobOutcome))]
    public sealed class GetOberaConnectExitCodeCommand : OberaConnectCmdlet
    {
        private readonly JobOutcome _outcome = new JobOutcome();

        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public object?[]? InputObject { get; set; }

        [Parameter]
        [AllowNull]
        [AllowEmptyCollection]
        public ErrorRecord[]? ItemError { get; set; }

        [Parameter]
        [AllowNull]
        public Exception? Exception { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var item in InputObject ?? Array.Empty<object?>())
            {
                if (item is null) continue;
                if (PSObject.AsPSObject(item).BaseObject is JobOutcome earlier)
                {
                    _outcome.Merge(earlier);
                    continue;
                }
                var value = PSObject.AsPSObject(item);
                if (Property(value, "ExitCode") is { } code && TryExitCode(code, out var exit))
                {
                    var component = Property(value, "Component")?.ToString();
                    if (exit == JobExitCode.ComponentUnhealthy) _outcome.ComponentUnhealthy(component ?? item.ToString() ?? "component");
                    else if (exit == JobExitCode.RecordsFailed) _outcome.RecordsFailed(Math.Max(1, ToInt(Property(value, "FailedCount"))));
                    else if (exit != JobExitCode.Success)
                    {
                        // A health object (Test-OberaConnectHealth) names its component: keep the name for the log line.
                        if (component != null && exit == JobExitCode.ConfigurationError) _outcome.ComponentUnhealthy(component);
                        _outcome.Failed(new OberaConnectException("JobStepFailed", exit == JobExitCode.ConfigurationError ? FailureKind.Configuration : FailureKind.Unknown, $"A job step reported {exit}."));
                    }
                    continue;
                }
                _outcome.RecordsFailed(Math.Max(0, ToInt(Property(value, "FailedCount"))));
                if (Property(value, "Healthy") is bool healthy && !healthy)
                    _outcome.ComponentUnhealthy(Property(value, "Component")?.ToString() ?? item.ToString() ?? "component");
            }
        }

        protected override void EndProcessing()
        {
            foreach (var error in ItemError ?? Array.Empty<ErrorRecord>())
            {
                if (error is null) continue;
                _outcome.ItemFailed(error.Exception);
            }
            if (Exception is not null) _outcome.Failed(Exception);
            WriteVerbose(_outcome.ToString());
            WriteObject(_outcome);
        }

        private static object? Property(PSObject value, string name) => value.Properties[name]?.Value is { } v ? PSObject.AsPSObject(v).BaseObject : null;

        private static int ToInt(object? value)
        {
            try { return value is null ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture); }
            catch (FormatException) { return 0; }
            catch (InvalidCastException) { return 0; }
            catch (OverflowException) { return int.MaxValue; }
        }

        private static bool TryExitCode(object value, out JobExitCode code)
        {
            code = JobExitCode.Success;
            if (value is JobExitCode typed) { code = typed; return true; }
            if (value is string text && Enum.TryParse(text, ignoreCase: true, out code)) return true;
            var number = ToInt(value);
            if (!Enum.IsDefined(typeof(JobExitCode), number)) return false;
            code = (JobExitCode)number;
            return true;
        }
    }
}
