namespace OberaConnect.Engine.Unattended;

/// <summary>
/// The exit code of an unattended run (Task Scheduler's "last run result", NinjaOne's script result).
/// The numbers are a contract with the people who alert on them: never renumber, only add.
/// Documented in about_OberaConnect_Unattended.
/// </summary>
public enum JobExitCode
{
    /// <summary>Everything ran and every record was written.</summary>
    Success = 0,
    /// <summary>The run finished but some records failed (see the log for which and why).</summary>
    RecordsFailed = 1,
    /// <summary>Nothing useful could run: configuration, credentials or permissions are wrong. A person must fix the setup.</summary>
    ConfigurationError = 2,
    /// <summary>A component (Notion, UniFi, NinjaOne, Key Vault) is unhealthy or unreachable; the next run may succeed.</summary>
    ComponentUnhealthy = 3,
    /// <summary>An unexpected error (a bug): the log holds the stack trace.</summary>
    Unexpected = 4,
}

/// <summary>
/// Turns what happened in a run into one <see cref="JobExitCode"/>. When several things went wrong the most
/// severe wins, in this order: Unexpected, ConfigurationError, ComponentUnhealthy, RecordsFailed, Success.
/// A setup error outranks an outage because it will not heal by itself.
/// </summary>
public sealed class JobOutcome
{
    private static readonly JobExitCode[] Severity =
    {
        JobExitCode.Success, JobExitCode.RecordsFailed, JobExitCode.ComponentUnhealthy,
        JobExitCode.ConfigurationError, JobExitCode.Unexpected,
    };

    /// <summary>The exit code so far, as a name (Success, RecordsFailed, ConfigurationError, ComponentUnhealthy, Unexpected).</summary>
    public string ExitCode => ExitCodeValue.ToString();

    /// <summary><see cref="ExitCode"/> for code (an enum exports as a number).</summary>
    internal JobExitCode ExitCodeValue { get; private set; } = JobExitCode.Success;

    /// <summary>The exit code as the number a script passes to <c>exit</c>.</summary>
    public int Code => (int)ExitCodeValue;

    /// <summary>Number of records that failed.</summary>
    public int FailedRecords { get; private set; }

    /// <summary>Records left in conflict for a person to settle (Sync-NotionTable).</summary>
    public int Conflicts { get; private set; }

    /// <summary>The run log of the job run this outcome is of (Invoke-OberaConnectJob), or null.</summary>
    public string? LogFile { get; set; }

    /// <summary>Components reported unhealthy, by name.</summary>
    public IReadOnlyList<string> UnhealthyComponents => NameList.From(_unhealthy);

    private readonly List<string> _unhealthy = new();

    /// <summary>Counts failed records; any failed record makes the run at least <see cref="JobExitCode.RecordsFailed"/>.</summary>
    public void RecordsFailed(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "A count of failed records cannot be negative.");
        if (count == 0) return;
        FailedRecords += count;
        Raise(JobExitCode.RecordsFailed);
    }

    /// <summary>
    /// Records left in conflict: the run did not finish their sync, so it counts as <see cref="JobExitCode.RecordsFailed"/>
    /// unless the job <paramref name="accepted"/> them (a -ConflictAction Flag job whose conflicts a person settles later).
    /// </summary>
    public void RecordsInConflict(int count, bool accepted = false)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "A count of conflicts cannot be negative.");
        if (count == 0) return;
        Conflicts += count;
        if (!accepted) Raise(JobExitCode.RecordsFailed);
    }

    /// <summary>A health check found a component unhealthy.</summary>
    public void ComponentUnhealthy(string component)
    {
        _unhealthy.Add(component);
        Raise(JobExitCode.ComponentUnhealthy);
    }

    /// <summary>Folds another run's outcome into this one (several jobs in one script).</summary>
    public void Merge(JobOutcome other)
    {
        FailedRecords += other.FailedRecords;
        Conflicts += other.Conflicts;
        _unhealthy.AddRange(other._unhealthy);
        Raise(other.ExitCodeValue);
    }

    /// <summary>The run (or a step of it) stopped with this error.</summary>
    public void Failed(Exception error) => Raise(ForException(error));

    /// <summary>The run (or a step of it) stopped with an error the host judged as <paramref name="code"/>.</summary>
    public void Failed(JobExitCode code) => Raise(code);

    /// <summary>The exit code a run that stopped with <paramref name="error"/> reports.</summary>
    public static JobExitCode ForException(Exception error)
    {
        if (error is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
        {
            var worst = JobExitCode.Success;
            foreach (var inner in aggregate.InnerExceptions) worst = Worse(worst, ForException(inner));
            return worst;
        }
        if (error is not OberaConnectException known) return JobExitCode.Unexpected;
        return ForFailure(known.Kind);
    }

    /// <summary>
    /// A failure reported for one item while the run went on (a non-terminating error): a failed record, unless it
    /// is a setup problem (credentials, permissions, configuration) or an outage, which every other item meets too.
    /// One database id or site that is not there, or one record's bad input, fails that record only; so does an
    /// error of another source collected with the run's (a script's Write-Error).
    /// </summary>
    public void ItemFailed(Exception error)
    {
        var code = ForItem(error);
        if (code == JobExitCode.RecordsFailed) RecordsFailed(1);
        else Raise(code);
    }

    /// <summary>
    /// What one item's failure makes the run (see <see cref="ItemFailed"/>): <see cref="JobExitCode.RecordsFailed"/>, or
    /// <see cref="JobExitCode.ConfigurationError"/> / <see cref="JobExitCode.ComponentUnhealthy"/> for a setup problem or an
    /// outage that every other item meets too.
    /// </summary>
    public static JobExitCode ForItem(Exception error)
    {
        var known = (error as OberaConnectException)?.Kind;
        if (known is FailureKind.NotFound or FailureKind.InvalidInput or FailureKind.InvalidState) return JobExitCode.RecordsFailed;
        var code = ForException(error);
        return code is JobExitCode.ConfigurationError or JobExitCode.ComponentUnhealthy ? code : JobExitCode.RecordsFailed;
    }

    /// <summary>The exit code of a failure of this kind (a setup problem, an outage, a record conflict...).</summary>
    public static JobExitCode ForFailure(FailureKind kind)
    {
        switch (kind)
        {
            case FailureKind.Configuration:
            case FailureKind.Authentication:
            case FailureKind.PermissionDenied:
            case FailureKind.NotFound:
            case FailureKind.InvalidInput:
            case FailureKind.InvalidState:
                return JobExitCode.ConfigurationError;
            case FailureKind.RateLimited:
            case FailureKind.ServiceUnavailable:
            case FailureKind.Timeout:
            case FailureKind.CircuitOpen:
                return JobExitCode.ComponentUnhealthy;
            case FailureKind.Conflict:
            case FailureKind.OutcomeUnknown:
                return JobExitCode.RecordsFailed;
            default:
                return JobExitCode.Unexpected;
        }
    }

    /// <summary>The more severe of two exit codes.</summary>
    public static JobExitCode Worse(JobExitCode a, JobExitCode b) =>
        Array.IndexOf(Severity, a) >= Array.IndexOf(Severity, b) ? a : b;

    /// <summary>One line for the log: the code and what led to it.</summary>
    public override string ToString() =>
        $"exit {Code} ({ExitCode}); failed records: {FailedRecords}; conflicts: {Conflicts}; unhealthy: {(_unhealthy.Count == 0 ? "none" : string.Join(", ", _unhealthy.Distinct(StringComparer.OrdinalIgnoreCase)))}";

    private void Raise(JobExitCode code) => ExitCodeValue = Worse(ExitCodeValue, code);
}
