using System.Collections;
using System.Management.Automation;
using System.Reflection;
using OberaConnect.Engine;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The exit-code rules of about_OberaConnect_Unattended for the error shapes PowerShell hands a job script:
    /// an ErrorRecord ($_ in a catch block, an entry of -ErrorVariable), the exception a terminating error surfaces as
    /// (ActionPreferenceStopException under -ErrorAction Stop, CmdletInvocationException around a cmdlet's exception,
    /// ParameterBindingException, a RuntimeException carrying an ErrorRecord, MethodInvocationException from a .NET
    /// call), and plain exceptions. Each is unwrapped to the error that caused it, then judged by the engine's
    /// <see cref="JobOutcome"/> rules. What PowerShell itself refuses before the job starts (a parameter that does not
    /// bind, a command that does not exist) is a setup error (2); an exception the module did not turn into one of its
    /// own errors is a defect of the module (4).
    /// Used by Get-OberaConnectExitCode and Invoke-OberaConnectJob, so both judge an error the same way.
    /// </summary>
    internal static class JobErrors
    {
        /// <summary>The exception an error object stands for, out of PowerShell's wrappers; null for null.</summary>
        public static Exception? Cause(object? error)
        {
            var value = error is PSObject wrapped ? wrapped.BaseObject : error;
            var exception = value switch
            {
                ErrorRecord record => record.Exception,
                Exception e => e,
                null => null,
                _ => new RuntimeException(value.ToString()),
            };
            // Each step goes one wrapper in; a record whose exception is the wrapper itself ends the walk.
            for (var depth = 0; exception != null && depth < 16; depth++)
            {
                Exception? inner = exception switch
                {
                    ActionPreferenceStopException stop => stop.ErrorRecord?.Exception,
                    CmdletInvocationException invocation => invocation.InnerException ?? invocation.ErrorRecord?.Exception,
                    MethodInvocationException method => method.InnerException,
                    TargetInvocationException target => target.InnerException,
                    RuntimeException runtime when runtime.GetType() == typeof(RuntimeException)
                        => runtime.InnerException ?? runtime.ErrorRecord?.Exception,
                    _ => null,
                };
                if (inner is null || ReferenceEquals(inner, exception)) break;
                exception = inner;
            }
            return exception;
        }

        /// <summary>The exit code of a run stopped by <paramref name="error"/> (any shape).</summary>
        public static JobExitCode ForTerminating(object error)
        {
            var cause = Cause(error);
            if (cause is null) return JobExitCode.Success;
            if (IsSetupRefusal(cause)) return JobExitCode.ConfigurationError;
            // Stopped from outside (Ctrl+C, the task's time limit): nothing is broken, the next run may finish.
            if (cause is PipelineStoppedException) return JobExitCode.ComponentUnhealthy;
            return JobOutcome.ForException(cause);
        }

        /// <summary>Folds a terminating error into <paramref name="outcome"/>.</summary>
        public static void Failed(JobOutcome outcome, object error) => outcome.Failed(ForTerminating(error));

        /// <summary>What a non-terminating error makes the run: a failed record (1), or the setup problem or outage behind it (2, 3).</summary>
        public static JobExitCode ItemCode(object error) => Cause(error) is { } cause ? JobOutcome.ForItem(cause) : JobExitCode.Success;

        /// <summary>Folds a non-terminating error (one item failed, the run went on) into <paramref name="outcome"/>.</summary>
        public static void ItemFailed(JobOutcome outcome, object error)
        {
            var cause = Cause(error);
            if (cause is null) return;
            outcome.ItemFailed(cause);
        }

        /// <summary>
        /// The errors of a run as -ErrorVariable collected them, without the terminating one (PowerShell adds the error
        /// that stopped a command to its -ErrorVariable too; it must count once, as what stopped the run).
        /// </summary>
        public static IEnumerable<object> ItemsOnly(IEnumerable? errors, object? terminating)
        {
            var stopper = Cause(terminating);
            foreach (var error in errors ?? Array.Empty<object>())
            {
                if (error is null) continue;
                if (stopper != null && ReferenceEquals(Cause(error), stopper)) continue;
                yield return error;
            }
        }

        /// <summary>The stable id of an error: the engine's ErrorId, else PowerShell's FullyQualifiedErrorId, else Unexpected.&lt;Type&gt;.</summary>
        public static string ErrorId(object error)
        {
            var cause = Cause(error);
            if (cause is OberaConnectException known) return known.ErrorId;
            var record = (error is PSObject wrapped ? wrapped.BaseObject : error) as ErrorRecord ?? (cause as IContainsErrorRecord)?.ErrorRecord;
            if (record?.FullyQualifiedErrorId is { Length: > 0 } id) return id.Split(',')[0];
            return cause is null ? "" : FailureCategories.ErrorId(cause);
        }

        /// <summary>The message of an error, from its cause.</summary>
        public static string Message(object error) => Cause(error)?.Message ?? "";

        /// <summary>
        /// What a failed record's error is about, in words: the target's own text when it has one, else the first of its
        /// naming properties (SiteName, Name, Key...), else its type's short name. Never a full type name.
        /// </summary>
        public static string RecordName(object? target)
        {
            var value = target is PSObject wrapped ? wrapped.BaseObject : target;
            switch (value)
            {
                case null:
                    return "(no record named)";
                case string text:
                    return text;
                case IEnumerable list when value is not IDictionary:
                    return string.Join(", ", list.Cast<object?>().Select(RecordName));
            }
            var type = value!.GetType();
            var ownText = value.ToString();
            if (!string.IsNullOrWhiteSpace(ownText) && ownText != type.FullName && ownText != type.Name) return ownText!;
            var shape = PSObject.AsPSObject(value);
            foreach (var name in NamingProperties)
            {
                if (shape.Properties[name]?.Value is { } named && named.ToString() is { Length: > 0 } text)
                    return $"{name} {text}";
            }
            return type.Name;
        }

        private static readonly string[] NamingProperties = { "SiteName", "DatabaseName", "Name", "Key", "RecordId", "Table", "Id", "PageId" };

        // Refused by PowerShell before the job did anything: its parameters, its name or a path it was given (a drive or
        // provider that does not exist) are wrong.
        private static bool IsSetupRefusal(Exception cause)
            => cause is ParameterBindingException or CommandNotFoundException or ValidationMetadataException or SessionStateException;
    }
}
