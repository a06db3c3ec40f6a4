using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Duplicates;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Sync;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// The audit lines of every writing command: the syncs (one line per record and one for the run), and the explicit
/// workspace commands (Add-AzurePipelineService, Set-AzurePipelineStage, Add-Runbook, Set-Runbook,
/// Remove-NotionDuplicate), so an unattended run's log says what was created, updated, moved, rewritten or trashed.
/// Writes are logged ahead: an <see cref="AuditOutcome.Intended"/> line before the request and the outcome after it,
/// so a process killed mid-request leaves a line saying what it was doing (the next run reconciles it).
/// The folder is checked before a run writes anything (<see cref="RecordFolders"/>); a line that cannot be written
/// later (the disk filled up mid-run) is a warning, never a failure: the work itself happened.
/// </summary>
public sealed class WorkspaceAudit
{
    private readonly AuditLog? _log;
    private readonly AuditInvocation? _invocation;
    private readonly IEngineOutput _output;
    private readonly string _operation;
    private bool _warned;

    private WorkspaceAudit(AuditLog? log, AuditInvocation? invocation, string operation, IEngineOutput output)
    {
        _log = log;
        _invocation = invocation;
        _operation = operation;
        _output = output;
    }

    /// <summary>An audit that records nothing (tests, callers without a configuration, -WhatIf).</summary>
    public static WorkspaceAudit None { get; } = new(null, null, "", NullEngineOutput.Instance);

    /// <summary>The audit of one invocation, in the configured audit directory, under a correlation id of its own.</summary>
    public static WorkspaceAudit Open(OberaConnectConnection connection, string operation, IEngineOutput? output)
        => Open(connection, operation, null, output);

    /// <summary>The audit of one invocation, in the configured audit directory, under the invocation's correlation id.</summary>
    public static WorkspaceAudit Open(OberaConnectConnection connection, string operation, string? correlationId, IEngineOutput? output)
    {
        output ??= NullEngineOutput.Instance;
        try
        {
            var log = new AuditLog(new AuditLogOptions { Directory = connection.Configuration.Paths.AuditDirectory }, connection.Redactor, connection.Options.Time);
            return new WorkspaceAudit(log, correlationId is null ? log.BeginInvocation(operation) : log.BeginInvocation(operation, correlationId), operation, output);
        }
        catch (OberaConnectException ex)
        {
            output.Warning("The audit log is not written: " + ex.Message);
            return new WorkspaceAudit(null, null, operation, output);
        }
    }

    /// <summary>The folder written to; null for <see cref="None"/>.</summary>
    public string? Directory => _log?.Directory;

    /// <summary>Write-ahead: records that a write of <paramref name="key"/> is about to be sent (<paramref name="action"/> says what).</summary>
    public Task RecordIntentAsync(string database, string key, string action, CancellationToken cancellationToken)
        => WriteAsync(new AuditEntry { Operation = _operation, Outcome = AuditOutcome.Intended, Database = database, Key = key, Message = action }, cancellationToken);

    /// <summary>Records what became of an earlier run's intent, under that run's correlation id (so the intent counts as settled).</summary>
    public async Task RecordReconciledAsync(PendingIntent intent, string message, CancellationToken cancellationToken)
    {
        if (_log is null || _invocation is null) return;
        try
        {
            await _log.WriteAsync(new AuditEntry
            {
                Operation = _operation,
                Outcome = AuditOutcome.Reconciled,
                Database = intent.Database,
                Key = intent.Key,
                Message = message + $" (reconciled by {_invocation.Command} {_invocation.CorrelationId})",
                CorrelationId = intent.CorrelationId,
                Command = intent.Command,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OberaConnectException ex)
        {
            Warn(ex);
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

    /// <summary>Records a sync run's own line: its outcome (Stopped, Failed or Completed), duration, requests and counts.</summary>
    public Task RecordSummaryAsync(SyncSummary summary, CancellationToken cancellationToken)
        => WriteAsync(new AuditEntry
        {
            Operation = _operation,
            Outcome = summary.Stopped ? AuditOutcome.Stopped : summary.Failed > 0 ? AuditOutcome.Failed : AuditOutcome.Completed,
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
            Outcome = result.StatusValue switch
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
            Warn(ex);
        }
    }

    private void Warn(OberaConnectException ex)
    {
        if (_warned) return;
        _warned = true;
        _output.Warning("The audit log could not be written: " + ex.Message);
    }
}
