using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Duplicates;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Sync;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// The audit lines of every writing command: the syncs (one line per record and one for the run), and the explicit
/// workspace commands (Add-AzurePipelineService, Set-AzurePipelineStage, Add-Runbook, Set-Runbook,
/// Remove-NotionDuplicate), so an unattended run's log says what was created, updated, moved, rewritten or trashed. An audit log that cannot be written is a warning, never a failure: the
/// work itself happened.
/// </summary>
public sealed class WorkspaceAudit
{
    private readonly AuditInvocation? _invocation;
    private readonly IEngineOutput _output;
    private readonly string _operation;
    private bool _warned;

    private WorkspaceAudit(AuditInvocation? invocation, string operation, IEngineOutput output)
    {
        _invocation = invocation;
        _operation = operation;
        _output = output;
    }

    /// <summary>An audit that records nothing (tests, callers without a configuration).</summary>
    public static WorkspaceAudit None { get; } = new(null, "", NullEngineOutput.Instance);

    /// <summary>The audit of one invocation, in the configured audit directory.</summary>
    public static WorkspaceAudit Open(OberaConnectConnection connection, string operation, IEngineOutput? output)
    {
        output ??= NullEngineOutput.Instance;
        try
        {
            var log = new AuditLog(new AuditLogOptions { Directory = connection.Configuration.Paths.AuditDirectory }, connection.Redactor, connection.Options.Time);
            return new WorkspaceAudit(log.BeginInvocation(operation), operation, output);
        }
        catch (OberaConnectException ex)
        {
            output.Warning("The audit log is not written: " + ex.Message);
            return new WorkspaceAudit(null, operation, output);
        }
    }

    /// <summary>Records one result of an add, a stage move or a runbook publish.</summary>
    public Task RecordAsync(SyncResult result, CancellationToken cancellationToken)
        => WriteAsync(new AuditEntry
        {
            Operation = _operation,
            Outcome = (AuditOutcome)Enum.Parse(typeof(AuditOutcome), result.Status.ToString()),
            Database = result.Database,
            Key = result.Key,
            ErrorId = result.ErrorId,
            Message = result.Error ?? result.Reason,
            CorrelationId = result.CorrelationId,
            Timestamp = result.Timestamp,
        }, cancellationToken);

    /// <summary>Records a sync run's own line: its outcome, duration, requests and counts.</summary>
    public Task RecordSummaryAsync(SyncSummary summary, CancellationToken cancellationToken)
        => WriteAsync(new AuditEntry
        {
            Operation = _operation,
            Outcome = summary.Failed > 0 ? AuditOutcome.Failed : AuditOutcome.Completed,
            Database = summary.Database,
            Duration = summary.Duration,
            Requests = summary.Requests,
            Message = summary.ToString(),
            CorrelationId = summary.CorrelationId,
        }, cancellationToken);

    /// <summary>Records one page of a duplicate: Archived (trashed), Skipped or Failed.</summary>
    public Task RecordAsync(DuplicateRemovalResult result, CancellationToken cancellationToken)
        => WriteAsync(new AuditEntry
        {
            Operation = _operation,
            Outcome = result.Status switch
            {
                DuplicateRemovalStatus.Trashed => AuditOutcome.Archived,
                DuplicateRemovalStatus.Skipped => AuditOutcome.Skipped,
                _ => AuditOutcome.Failed,
            },
            Database = result.Database,
            Key = result.Key + " " + result.PageId,
            ErrorId = result.ErrorId,
            Message = result.Error ?? result.Reason,
        }, cancellationToken);

    private async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (_invocation is null) return;
        try
        {
            await _invocation.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (OberaConnectException ex)
        {
            if (_warned) return;
            _warned = true;
            _output.Warning("The audit log could not be written: " + ex.Message);
        }
    }
}
