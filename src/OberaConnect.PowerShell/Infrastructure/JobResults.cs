using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>What one output object of a job said about the run.</summary>
    internal enum JobResultKind
    {
        /// <summary>Nothing that changes the exit code (a record written, a healthy component).</summary>
        Fine,
        /// <summary>An outcome or step with its own exit code, folded in.</summary>
        Counted,
        /// <summary>A record left in conflict (Status Conflict).</summary>
        Conflict,
    }

    /// <summary>
    /// Folds the objects a job wrote into a <see cref="JobOutcome"/> by their properties, the same for
    /// Get-OberaConnectExitCode and Invoke-OberaConnectJob: an earlier JobOutcome is merged; ExitCode (a number or
    /// name; with Component, a health object) sets the code; FailedCount counts failed records; Healthy $false marks
    /// the Component unhealthy; Status Conflict (Sync-NotionTable) is an unresolved conflict, a failed record unless
    /// conflicts are accepted. Failed records that were also written as errors count through the errors, not here.
    /// </summary>
    internal static class JobResults
    {
        public static JobResultKind Add(JobOutcome outcome, object? item, bool acceptConflicts)
        {
            if (item is null) return JobResultKind.Fine;
            if (PSObject.AsPSObject(item).BaseObject is JobOutcome earlier)
            {
                outcome.Merge(earlier);
                return JobResultKind.Counted;
            }
            var value = PSObject.AsPSObject(item);
            if (Property(value, "ExitCode") is { } code && TryExitCode(code, out var exit))
            {
                var component = Property(value, "Component")?.ToString();
                if (exit == JobExitCode.ComponentUnhealthy) outcome.ComponentUnhealthy(component ?? item.ToString() ?? "component");
                else if (exit == JobExitCode.RecordsFailed) outcome.RecordsFailed(Math.Max(1, ToInt(Property(value, "FailedCount"))));
                else if (exit != JobExitCode.Success)
                {
                    // A health object (Test-OberaConnectHealth) names its component: keep the name for the log line.
                    if (component != null && exit == JobExitCode.ConfigurationError) outcome.ComponentUnhealthy(component);
                    outcome.Failed(exit);
                }
                return exit == JobExitCode.Success ? JobResultKind.Fine : JobResultKind.Counted;
            }
            if (string.Equals(Property(value, "Status")?.ToString(), "Conflict", StringComparison.OrdinalIgnoreCase))
            {
                outcome.RecordsInConflict(1, acceptConflicts);
                return JobResultKind.Conflict;
            }
            var failed = Math.Max(0, ToInt(Property(value, "FailedCount")));
            outcome.RecordsFailed(failed);
            if (Property(value, "Healthy") is bool healthy && !healthy)
            {
                outcome.ComponentUnhealthy(Property(value, "Component")?.ToString() ?? item.ToString() ?? "component");
                return JobResultKind.Counted;
            }
            return failed > 0 ? JobResultKind.Counted : JobResultKind.Fine;
        }

        /// <summary>A property's value (unwrapped), or null when the object has none.</summary>
        public static object? Property(PSObject value, string name) => value.Properties[name]?.Value is { } v ? PSObject.AsPSObject(v).BaseObject : null;

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
