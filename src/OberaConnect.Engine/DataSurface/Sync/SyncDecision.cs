namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>What to do with one record of a two-way sync.</summary>
public enum SyncAction
{
    /// <summary>Both sides agree, or nothing changed since the last sync.</summary>
    Nothing,
    /// <summary>Copy the database row to Notion (create or update the page).</summary>
    Push,
    /// <summary>Copy the Notion page to the database (insert or update the row).</summary>
    Pull,
    /// <summary>Touch neither side; mark the record (Sync Status = conflict) for a person to decide.</summary>
    Conflict,
    /// <summary>The row was deleted and the database wins (-ConflictAction PreferDatabase -AllowDelete): move the page to the Notion trash.</summary>
    DeletePage,
    /// <summary>The page was trashed or deleted and Notion wins (-ConflictAction PreferNotion -AllowDelete): delete the row.</summary>
    DeleteRow,
}

/// <summary>The Sync Status select of a page (values as the predecessor named them).</summary>
public enum SyncStatus
{
    /// <summary><c>synced</c>: both sides hold the same values.</summary>
    Synced,
    /// <summary><c>pending</c>: changed in Notion, not yet pulled into the database.</summary>
    Pending,
    /// <summary><c>conflict</c>: both sides changed (or one side vanished); a person must decide.</summary>
    Conflict,
}

/// <summary>How a record changed on both sides since the last sync is settled.</summary>
public enum ConflictPolicy
{
    /// <summary>The later change wins (the default). A tie within the page's minute goes to the database, the source of truth.</summary>
    LastWriteWins,
    /// <summary>Neither side is touched; the record is marked conflict until a person resolves it.</summary>
    Flag,
    /// <summary>
    /// The database row wins (a person resolving flagged conflicts in favour of the database). A page trashed after a
    /// sync is created again from its row; a row deleted after a sync has its page trashed only when deletes are allowed.
    /// </summary>
    PreferDatabase,
    /// <summary>
    /// The Notion page wins (a person resolving flagged conflicts in favour of Notion). A row deleted after a sync is
    /// inserted again from its page; a page trashed after a sync has its row deleted only when deletes are allowed.
    /// </summary>
    PreferNotion,
}

/// <summary>Which ways a run may copy.</summary>
public enum SyncDirection
{
    Both,
    /// <summary>Database to Notion only; Notion changes are left pending.</summary>
    PushOnly,
    /// <summary>Notion to database only.</summary>
    PullOnly,
}

/// <summary>Why a decision was made (for verbose output and the state table).</summary>
public enum SyncReason
{
    NeitherSideExists,
    SidesEqual,
    Unchanged,
    NewRow,
    NewPage,
    RowChanged,
    PageChanged,
    RowChangedLater,
    PageChangedLater,
    /// <summary>Both changed within the page's minute: order unknowable; the database wins under last-write-wins.</summary>
    TieWithinMinute,
    BothChangedFlagged,
    BothChangedPreferDatabase,
    BothChangedPreferNotion,
    RowMissingAfterSync,
    PageMissingAfterSync,
    NotInThisDirection,
    /// <summary>The row was deleted after a sync; PreferNotion inserts it again from the page.</summary>
    RowMissingRecreated,
    /// <summary>The page was trashed or deleted after a sync; PreferDatabase creates it again from the row.</summary>
    PageMissingRecreated,
    /// <summary>The row was deleted after a sync; PreferDatabase with deletes allowed trashes the page.</summary>
    RowMissingPageTrashed,
    /// <summary>The page was trashed or deleted after a sync; PreferNotion with deletes allowed deletes the row.</summary>
    PageMissingRowDeleted,
}

/// <summary>
/// The facts about one record. Times: <see cref="LastSyncedAt"/> is when this record was last synced
/// (our clock), <see cref="RowChangedAt"/> the row's change column (full precision),
/// <see cref="PageLastEditedAt"/> Notion's last_edited_time, which Notion cuts to the minute.
/// The optional content evidence (hash of the mapped values against the one recorded at the last sync)
/// settles what timestamps cannot: an edit in the same minute as the sync, or a page "edited" only in
/// properties the sync does not map (including our own Sync Status / Last Synced writes).
/// </summary>
public readonly record struct SyncDecisionInput(
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? RowChangedAt,
    DateTimeOffset? PageLastEditedAt,
    bool RowExists = true,
    bool PageExists = true,
    bool? RowContentChanged = null,
    bool? PageContentChanged = null,
    bool? SidesEqual = null);

/// <summary>The decision and the Sync Status the page should carry afterwards (null: leave it as it is).</summary>
public readonly record struct SyncDecision(SyncAction Action, SyncReason Reason, SyncStatus? StatusAfter)
{
    public override string ToString() => $"{Action} ({Reason}{(StatusAfter is { } s ? ", " + s : "")})";
}

/// <summary>
/// Decides push / pull / conflict / nothing for one record. Pure: no I/O, no clock.
/// </summary>
public static class SyncDecider
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The decision for one record. With <paramref name="allowDelete"/>, a side deleted after a sync may be deleted on
    /// the other side too, when the policy prefers the side it vanished from; without it such a record stays in
    /// conflict. Never for LastWriteWins or Flag.
    /// </summary>
    public static SyncDecision Decide(SyncDecisionInput input, ConflictPolicy policy = ConflictPolicy.LastWriteWins, SyncDirection direction = SyncDirection.Both,
        bool allowDelete = false)
        => Apply(DecideBothWays(input, policy, allowDelete), direction);

    private static SyncDecision DecideBothWays(SyncDecisionInput input, ConflictPolicy policy, bool allowDelete)
    {
        if (!input.RowExists && !input.PageExists) return new(SyncAction.Nothing, SyncReason.NeitherSideExists, null);

        if (input.LastSyncedAt is null)
        {
            // Never synced: copy what exists; when both exist, they are linked now.
            if (!input.PageExists) return new(SyncAction.Push, SyncReason.NewRow, SyncStatus.Synced);
            if (!input.RowExists) return new(SyncAction.Pull, SyncReason.NewPage, SyncStatus.Synced);
        }
        else
        {
            // A side that vanished after a sync: a person settles it by preferring a side. The side that still exists is
            // copied back; a deletion is carried over only when deletes are allowed, never by default.
            if (!input.RowExists)
                return policy switch
                {
                    ConflictPolicy.PreferNotion => new(SyncAction.Pull, SyncReason.RowMissingRecreated, SyncStatus.Synced),
                    ConflictPolicy.PreferDatabase when allowDelete => new(SyncAction.DeletePage, SyncReason.RowMissingPageTrashed, null),
                    _ => new(SyncAction.Conflict, SyncReason.RowMissingAfterSync, SyncStatus.Conflict),
                };
            if (!input.PageExists)
                return policy switch
                {
                    ConflictPolicy.PreferDatabase => new(SyncAction.Push, SyncReason.PageMissingRecreated, SyncStatus.Synced),
                    ConflictPolicy.PreferNotion when allowDelete => new(SyncAction.DeleteRow, SyncReason.PageMissingRowDeleted, null),
                    _ => new(SyncAction.Conflict, SyncReason.PageMissingAfterSync, SyncStatus.Conflict),
                };
        }

        if (input.SidesEqual == true) return new(SyncAction.Nothing, SyncReason.SidesEqual, SyncStatus.Synced);

        var rowChanged = RowChanged(input);
        var pageChanged = PageChanged(input);
        if (!rowChanged && !pageChanged) return new(SyncAction.Nothing, SyncReason.Unchanged, null);
        if (rowChanged && !pageChanged) return new(SyncAction.Push, SyncReason.RowChanged, SyncStatus.Synced);
        if (!rowChanged && pageChanged) return new(SyncAction.Pull, SyncReason.PageChanged, SyncStatus.Synced);

        switch (policy)
        {
            case ConflictPolicy.Flag:
                return new(SyncAction.Conflict, SyncReason.BothChangedFlagged, SyncStatus.Conflict);
            case ConflictPolicy.PreferDatabase:
                return new(SyncAction.Push, SyncReason.BothChangedPreferDatabase, SyncStatus.Synced);
            case ConflictPolicy.PreferNotion:
                return new(SyncAction.Pull, SyncReason.BothChangedPreferNotion, SyncStatus.Synced);
            default:
                return LastWriteWins(input);
        }
    }

    /// <summary>
    /// The page was edited somewhere in [minute, minute + 1): a row change at or after the minute's end is
    /// later, one before its start is earlier, one inside it cannot be ordered.
    /// </summary>
    private static SyncDecision LastWriteWins(SyncDecisionInput input)
    {
        if (input.RowChangedAt is not { } rowAt || input.PageLastEditedAt is not { } pageAt)
            return new(SyncAction.Push, SyncReason.TieWithinMinute, SyncStatus.Synced);
        var pageMinute = FloorToMinute(pageAt);
        if (rowAt >= pageMinute + Minute) return new(SyncAction.Push, SyncReason.RowChangedLater, SyncStatus.Synced);
        if (rowAt < pageMinute) return new(SyncAction.Pull, SyncReason.PageChangedLater, SyncStatus.Synced);
        return new(SyncAction.Push, SyncReason.TieWithinMinute, SyncStatus.Synced);
    }

    private static SyncDecision Apply(SyncDecision decision, SyncDirection direction)
    {
        // A deletion is a write to one side like a copy: the row side is Pull's, the page side Push's.
        if (direction == SyncDirection.PushOnly && decision.Action is SyncAction.Pull or SyncAction.DeleteRow)
            return new(SyncAction.Nothing, SyncReason.NotInThisDirection, decision.Action == SyncAction.Pull ? SyncStatus.Pending : null);
        if (direction == SyncDirection.PullOnly && decision.Action is SyncAction.Push or SyncAction.DeletePage)
            return new(SyncAction.Nothing, SyncReason.NotInThisDirection, null);
        return decision;
    }

    /// <summary>The row changed after the last sync (evidence first, then its full-precision change time).</summary>
    public static bool RowChanged(SyncDecisionInput input)
    {
        if (!input.RowExists) return false;
        if (input.RowContentChanged is bool evidence) return evidence;
        if (input.LastSyncedAt is not { } synced) return true;
        return input.RowChangedAt is { } changed && changed > synced;
    }

    /// <summary>
    /// The page changed after the last sync. last_edited_time is cut to the minute, so an edit in the sync's
    /// own minute may have come before or after it: without content evidence that counts as changed, which
    /// can pull identical values again but never loses an edit.
    /// </summary>
    public static bool PageChanged(SyncDecisionInput input)
    {
        if (!input.PageExists) return false;
        if (input.PageContentChanged is bool evidence) return evidence;
        if (input.LastSyncedAt is not { } synced) return true;
        if (input.PageLastEditedAt is not { } edited) return false;
        return FloorToMinute(edited) >= FloorToMinute(synced);
    }

    /// <summary>The start of the minute <paramref name="value"/> falls in (UTC).</summary>
    public static DateTimeOffset FloorToMinute(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>The select option name Notion shows: synced, pending, conflict.</summary>
    public static string ToNotionName(this SyncStatus status) => status switch
    {
        SyncStatus.Synced => "synced",
        SyncStatus.Pending => "pending",
        _ => "conflict",
    };
}
