namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>Where one record of a two-way table sync ended.</summary>
public enum TableSyncStatus
{
    /// <summary>A new page (push) or a new row (pull) was written.</summary>
    Created,
    /// <summary>An existing page (push) or row (pull) was changed.</summary>
    Updated,
    /// <summary>Both sides already agree, or neither changed since the last sync: no data was written.</summary>
    Unchanged,
    /// <summary>Both sides changed (or one vanished) and the conflict action is Flag: neither was touched; the page says conflict.</summary>
    Conflict,
    /// <summary>Deliberately not written: declined (-WhatIf, -Confirm) or left pending by -Direction.</summary>
    Skipped,
    /// <summary>The write failed; <see cref="TableSyncResult.Error"/> says why. The record is tried again next run.</summary>
    Failed,
    /// <summary>A record deleted on one side after a sync was deleted on the other (-AllowDelete): the page trashed or the row deleted.</summary>
    Deleted,
}

/// <summary>The side of a two-way sync a write goes to.</summary>
public enum TableSyncSide
{
    /// <summary>No data written (unchanged, conflict, skipped).</summary>
    None,
    /// <summary>The Notion database (pages).</summary>
    Notion,
    /// <summary>The relational table (rows).</summary>
    Database,
}

/// <summary>The outcome of one record of Sync-NotionTable, emitted on the pipeline.</summary>
public sealed class TableSyncResult
{
    private IReadOnlyList<string> _changedColumns = NameList.Empty;
    private IReadOnlyList<string> _warnings = NameList.Empty;

    /// <summary>The table, as configured (for example public.team).</summary>
    public string Table { get; set; } = "";

    /// <summary>The record's id, or the page id for a page made in Notion that has no row yet.</summary>
    public string Key { get; set; } = "";

    /// <summary>The row id (the id property of the page); null until a new page's row exists.</summary>
    public string? RecordId { get; set; }

    public string? PageId { get; set; }

    public string? Url { get; set; }

    public string Status => StatusValue.ToString();

    /// <summary><see cref="Status"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal TableSyncStatus StatusValue { get; set; }

    /// <summary>Where data was written: Notion (push), Database (pull) or None.</summary>
    public string Side => SideValue.ToString();

    /// <summary><see cref="Side"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal TableSyncSide SideValue { get; set; }

    /// <summary>What the decision was: Push, Pull, Conflict or Nothing.</summary>
    public string Action { get; set; } = "";

    /// <summary>Why, in words (the decision's reason, or why it was skipped).</summary>
    public string Reason { get; set; } = "";

    /// <summary>Columns whose values were (or would be) copied; for a conflict, the columns in conflict.</summary>
    public IReadOnlyList<string> ChangedColumns { get => _changedColumns; set => _changedColumns = NameList.From(value); }

    /// <summary>The Sync Status the page carries afterwards (synced, pending, conflict), when known.</summary>
    public string? SyncStatus { get; set; }

    /// <summary>Text cut or otherwise changed to fit Notion's limits.</summary>
    public IReadOnlyList<string> Warnings { get => _warnings; set => _warnings = NameList.From(value); }

    public string? Error { get; set; }
    public string? ErrorId { get; set; }
    /// <summary>The error itself, kept for the error record the cmdlet writes (an exception does not export).</summary>
    internal Exception? Exception { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public string CorrelationId { get; set; } = "";

    public override string ToString() => $"{Table} {Key}: {Status} ({Action}, {Reason})" + (Error is null ? "" : " " + Error);
}

/// <summary>Counts of one Sync-NotionTable run.</summary>
public sealed class TableSyncSummary
{
    public string Table { get; set; } = "";
    public int Pushed { get; set; }
    public int Pulled { get; set; }
    public int Unchanged { get; set; }
    public int Conflicts { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public int Deleted { get; set; }
    public long NotionRequests { get; set; }
    public TimeSpan Duration { get; set; }

    public void Count(TableSyncResult result)
    {
        switch (result.StatusValue)
        {
            case TableSyncStatus.Created:
            case TableSyncStatus.Updated:
                if (result.SideValue == TableSyncSide.Notion) Pushed++; else Pulled++;
                break;
            case TableSyncStatus.Unchanged: Unchanged++; break;
            case TableSyncStatus.Conflict: Conflicts++; break;
            case TableSyncStatus.Skipped: Skipped++; break;
            case TableSyncStatus.Deleted: Deleted++; break;
            default: Failed++; break;
        }
    }

    public override string ToString() =>
        $"Sync-NotionTable {Table}: {Pushed} pushed to Notion, {Pulled} pulled into the table, {Unchanged} unchanged, {Conflicts} conflict(s), " +
        (Deleted == 0 ? "" : $"{Deleted} deleted, ") + $"{Skipped} skipped, {Failed} failed; {NotionRequests} Notion request(s), {Duration.TotalSeconds:0.0} s";
}

/// <summary>
/// One write the sync would make, on one side, for the host to approve (PowerShell's ShouldProcess: -WhatIf
/// prints <see cref="Action"/> on <see cref="Target"/>). Declined writes are not made.
/// </summary>
public sealed class TableSyncWrite
{
    internal TableSyncWrite(TableSyncSide side, string target, string action)
    {
        Side = side;
        Target = target;
        Action = action;
    }

    public TableSyncSide Side { get; }

    /// <summary>What is written, for example "Notion page 1f2e... (postgres_id t01)".</summary>
    public string Target { get; }

    /// <summary>What happens to it, for example "Update page: name, status; Sync Status synced".</summary>
    public string Action { get; }

    /// <summary>Set by the host; true (the default) lets the write happen.</summary>
    public bool Approved { get; set; } = true;

    public override string ToString() => $"{Side}: {Action} on {Target}";
}

/// <summary>One record of a plan: the decision and the writes it takes.</summary>
public sealed class TableSyncItem
{
    internal TableSyncItem(string key)
    {
        Key = key;
    }

    public string Key { get; }
    public string? RecordId { get; internal set; }
    public string? PageId { get; internal set; }
    public string? Url { get; internal set; }
    public SyncDecision Decision { get; internal set; }

    /// <summary>The writes, in the order they are made; empty when nothing needs writing.</summary>
    public IReadOnlyList<TableSyncWrite> Writes { get; internal set; } = Array.Empty<TableSyncWrite>();

    /// <summary>Columns the writes copy; for a conflict, the columns in conflict.</summary>
    public IReadOnlyList<string> ChangedColumns { get; internal set; } = Array.Empty<string>();

    /// <summary>Set when the record could not even be planned (a page value the column cannot hold).</summary>
    public OberaConnectException? PlanError { get; internal set; }

    internal RelationalRow? Row { get; set; }
    internal NotionRecordSnapshot? Page { get; set; }
    internal bool PageExists { get; set; }
    internal string? PageStatus { get; set; }
    internal SyncRecordState? State { get; set; }
    internal TableSyncWrite? DataWrite { get; set; }
    internal TableSyncWrite? StatusWrite { get; set; }

    public override string ToString() => $"{Key}: {Decision}";
}
