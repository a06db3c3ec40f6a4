using OberaConnect.Engine.DataSurface.Sync;

namespace OberaConnect.Engine.Tests.DataSurface;

public class SyncDecisionTests
{
    // Last sync at 10:05:30; the page's minute of that sync is 10:05.
    private static readonly DateTimeOffset Sync = new(2026, 7, 4, 10, 5, 30, TimeSpan.Zero);
    private static DateTimeOffset At(int minute, int second = 0) => new(2026, 7, 4, 10, minute, second, TimeSpan.Zero);

    private static SyncDecision Decide(DateTimeOffset? synced, DateTimeOffset? row, DateTimeOffset? page, ConflictPolicy policy = ConflictPolicy.LastWriteWins,
        bool rowExists = true, bool pageExists = true, bool? rowContent = null, bool? pageContent = null, bool? equal = null, SyncDirection direction = SyncDirection.Both)
        => SyncDecider.Decide(new SyncDecisionInput(synced, row, page, rowExists, pageExists, rowContent, pageContent, equal), policy, direction);

    [Fact]
    public void Nothing_changed_since_the_sync_is_nothing()
    {
        var d = Decide(Sync, At(4), At(3));
        Assert.Equal(SyncAction.Nothing, d.Action);
        Assert.Equal(SyncReason.Unchanged, d.Reason);
        Assert.Null(d.StatusAfter);
    }

    [Fact]
    public void Row_changed_after_the_sync_is_push()
        => Assert.Equal(new SyncDecision(SyncAction.Push, SyncReason.RowChanged, SyncStatus.Synced), Decide(Sync, At(7), At(3)));

    [Fact]
    public void Page_edited_in_a_later_minute_is_pull()
        => Assert.Equal(new SyncDecision(SyncAction.Pull, SyncReason.PageChanged, SyncStatus.Synced), Decide(Sync, At(4), At(6)));

    [Fact]
    public void Row_change_exactly_at_the_sync_instant_is_not_a_change()
        => Assert.Equal(SyncAction.Nothing, Decide(Sync, Sync, At(3)).Action);

    [Fact]
    public void Row_change_one_tick_after_the_sync_is_a_change()
        => Assert.Equal(SyncAction.Push, Decide(Sync, Sync.AddTicks(1), At(3)).Action);

    [Fact]
    public void Page_minute_before_the_sync_minute_is_not_a_change()
        => Assert.False(SyncDecider.PageChanged(new SyncDecisionInput(Sync, null, At(4, 0))));

    [Fact]
    public void Page_edited_in_the_sync_minute_counts_as_changed_without_evidence()
    {
        // 10:05 could be 10:05:10 (before the sync at 10:05:30) or 10:05:50 (after): an edit must never be lost.
        Assert.True(SyncDecider.PageChanged(new SyncDecisionInput(Sync, null, At(5))));
        Assert.Equal(SyncAction.Pull, Decide(Sync, At(4), At(5)).Action);
    }

    [Fact]
    public void Content_evidence_settles_the_sync_minute_either_way()
    {
        Assert.Equal(SyncAction.Nothing, Decide(Sync, At(4), At(5), pageContent: false).Action);
        Assert.Equal(SyncAction.Pull, Decide(Sync, At(4), At(5), pageContent: true).Action);
    }

    [Fact]
    public void Content_evidence_overrides_timestamps_on_both_sides()
    {
        // Our own Sync Status write bumped last_edited_time; the mapped values are the same.
        Assert.Equal(SyncAction.Nothing, Decide(Sync, At(4), At(9), pageContent: false).Action);
        // The application touched updated_at without changing a mapped value.
        Assert.Equal(SyncAction.Nothing, Decide(Sync, At(9), At(3), rowContent: false).Action);
        // A change the change column missed (no trigger) is still pushed.
        Assert.Equal(SyncAction.Push, Decide(Sync, At(1), At(3), rowContent: true).Action);
    }

    [Fact]
    public void Minute_boundary_of_the_page_edit_is_exact()
    {
        bool Changed(DateTimeOffset sync, DateTimeOffset page) => SyncDecider.PageChanged(new SyncDecisionInput(sync, null, page));
        Assert.True(Changed(At(5, 0), At(5)));                   // same minute as the sync
        Assert.False(Changed(At(5, 0), At(4)));                  // the minute before the sync minute
        Assert.True(Changed(At(5, 0).AddTicks(-1), At(4)));      // sync in the last tick of 10:04: still the same minute
        Assert.True(Changed(At(4, 59), At(5)));                  // a later minute
    }

    [Theory]
    // row change time vs page edited at 10:08 (the edit happened somewhere in [10:08:00, 10:09:00)).
    [InlineData(9, 0, SyncAction.Push, SyncReason.RowChangedLater)]      // at the minute's end: row is later
    [InlineData(10, 0, SyncAction.Push, SyncReason.RowChangedLater)]
    [InlineData(8, 59, SyncAction.Push, SyncReason.TieWithinMinute)]    // inside the minute: unknowable, database wins
    [InlineData(8, 0, SyncAction.Push, SyncReason.TieWithinMinute)]
    [InlineData(7, 59, SyncAction.Pull, SyncReason.PageChangedLater)]   // before the minute: page is later
    [InlineData(6, 0, SyncAction.Pull, SyncReason.PageChangedLater)]
    public void Last_write_wins_orders_by_the_pages_minute(int rowMinute, int rowSecond, SyncAction action, SyncReason reason)
    {
        var d = Decide(Sync, At(rowMinute, rowSecond), At(8));
        Assert.Equal(action, d.Action);
        Assert.Equal(reason, d.Reason);
        Assert.Equal(SyncStatus.Synced, d.StatusAfter);
    }

    [Theory]
    [InlineData(ConflictPolicy.Flag, SyncAction.Conflict, SyncReason.BothChangedFlagged, SyncStatus.Conflict)]
    [InlineData(ConflictPolicy.PreferDatabase, SyncAction.Push, SyncReason.BothChangedPreferDatabase, SyncStatus.Synced)]
    [InlineData(ConflictPolicy.PreferNotion, SyncAction.Pull, SyncReason.BothChangedPreferNotion, SyncStatus.Synced)]
    public void Other_policies_settle_changes_on_both_sides(ConflictPolicy policy, SyncAction action, SyncReason reason, SyncStatus status)
        => Assert.Equal(new SyncDecision(action, reason, status), Decide(Sync, At(9), At(8), policy));

    [Theory]
    [InlineData(ConflictPolicy.LastWriteWins)]
    [InlineData(ConflictPolicy.Flag)]
    public void Policies_do_not_matter_when_only_one_side_changed(ConflictPolicy policy)
    {
        Assert.Equal(SyncAction.Push, Decide(Sync, At(9), At(3), policy).Action);
        Assert.Equal(SyncAction.Pull, Decide(Sync, At(3), At(9), policy).Action);
    }

    [Fact]
    public void Flag_keeps_flagging_until_the_sides_agree()
    {
        Assert.Equal(SyncAction.Conflict, Decide(Sync, At(9), At(8), ConflictPolicy.Flag).Action);
        var resolved = Decide(Sync, At(9), At(8), ConflictPolicy.Flag, equal: true);
        Assert.Equal(new SyncDecision(SyncAction.Nothing, SyncReason.SidesEqual, SyncStatus.Synced), resolved);
    }

    [Fact]
    public void Last_write_wins_without_a_row_change_time_goes_to_the_database()
        => Assert.Equal(SyncReason.TieWithinMinute, Decide(Sync, null, At(8), rowContent: true).Reason);

    [Fact]
    public void Never_synced_copies_whichever_side_exists()
    {
        Assert.Equal(new SyncDecision(SyncAction.Push, SyncReason.NewRow, SyncStatus.Synced), Decide(null, At(1), null, pageExists: false));
        Assert.Equal(new SyncDecision(SyncAction.Pull, SyncReason.NewPage, SyncStatus.Synced), Decide(null, null, At(1), rowExists: false));
        Assert.Equal(new SyncDecision(SyncAction.Nothing, SyncReason.NeitherSideExists, null), Decide(null, null, null, rowExists: false, pageExists: false));
    }

    [Fact]
    public void Never_synced_with_both_sides_links_them_when_equal_and_resolves_otherwise()
    {
        Assert.Equal(SyncAction.Nothing, Decide(null, At(1), At(2), equal: true).Action);
        Assert.Equal(SyncAction.Pull, Decide(null, At(1), At(2), equal: false).Action);
        Assert.Equal(SyncAction.Push, Decide(null, At(4), At(2), equal: false).Action);
        Assert.Equal(SyncAction.Conflict, Decide(null, At(4), At(2), ConflictPolicy.Flag, equal: false).Action);
    }

    [Theory]
    [InlineData(ConflictPolicy.LastWriteWins, false)]
    [InlineData(ConflictPolicy.LastWriteWins, true)]
    [InlineData(ConflictPolicy.Flag, true)]
    public void A_side_that_vanished_after_a_sync_stays_a_conflict_unless_a_side_is_preferred(ConflictPolicy policy, bool allowDelete)
    {
        Assert.Equal(new SyncDecision(SyncAction.Conflict, SyncReason.RowMissingAfterSync, SyncStatus.Conflict),
            SyncDecider.Decide(new SyncDecisionInput(Sync, null, At(9), RowExists: false), policy, SyncDirection.Both, allowDelete));
        Assert.Equal(new SyncDecision(SyncAction.Conflict, SyncReason.PageMissingAfterSync, SyncStatus.Conflict),
            SyncDecider.Decide(new SyncDecisionInput(Sync, At(9), null, PageExists: false), policy, SyncDirection.Both, allowDelete));
    }

    [Fact]
    public void Preferring_the_side_that_is_left_recreates_the_other()
    {
        Assert.Equal(new SyncDecision(SyncAction.Pull, SyncReason.RowMissingRecreated, SyncStatus.Synced), Decide(Sync, null, At(9), ConflictPolicy.PreferNotion, rowExists: false));
        Assert.Equal(new SyncDecision(SyncAction.Push, SyncReason.PageMissingRecreated, SyncStatus.Synced), Decide(Sync, At(9), null, ConflictPolicy.PreferDatabase, pageExists: false));
    }

    [Fact]
    public void Preferring_the_side_it_vanished_from_deletes_only_when_deletes_are_allowed()
    {
        // Without -AllowDelete a deletion is never carried over.
        Assert.Equal(SyncAction.Conflict, Decide(Sync, null, At(9), ConflictPolicy.PreferDatabase, rowExists: false).Action);
        Assert.Equal(SyncAction.Conflict, Decide(Sync, At(9), null, ConflictPolicy.PreferNotion, pageExists: false).Action);
        Assert.Equal(new SyncDecision(SyncAction.DeletePage, SyncReason.RowMissingPageTrashed, null),
            SyncDecider.Decide(new SyncDecisionInput(Sync, null, At(9), RowExists: false), ConflictPolicy.PreferDatabase, SyncDirection.Both, allowDelete: true));
        Assert.Equal(new SyncDecision(SyncAction.DeleteRow, SyncReason.PageMissingRowDeleted, null),
            SyncDecider.Decide(new SyncDecisionInput(Sync, At(9), null, PageExists: false), ConflictPolicy.PreferNotion, SyncDirection.Both, allowDelete: true));
        // A delete is a write to one side: the direction that does not write there leaves it.
        Assert.Equal(SyncAction.Nothing, SyncDecider.Decide(new SyncDecisionInput(Sync, null, At(9), RowExists: false), ConflictPolicy.PreferDatabase, SyncDirection.PullOnly, true).Action);
        Assert.Equal(SyncAction.Nothing, SyncDecider.Decide(new SyncDecisionInput(Sync, At(9), null, PageExists: false), ConflictPolicy.PreferNotion, SyncDirection.PushOnly, true).Action);
        // Never synced: nothing was deleted, the side that exists is simply copied.
        Assert.Equal(SyncAction.Push, SyncDecider.Decide(new SyncDecisionInput(null, At(9), null, PageExists: false), ConflictPolicy.PreferNotion, SyncDirection.Both, true).Action);
    }

    [Fact]
    public void Push_only_leaves_notion_changes_pending_and_pull_only_skips_pushes()
    {
        Assert.Equal(new SyncDecision(SyncAction.Nothing, SyncReason.NotInThisDirection, SyncStatus.Pending), Decide(Sync, At(3), At(9), direction: SyncDirection.PushOnly));
        Assert.Equal(SyncAction.Push, Decide(Sync, At(9), At(3), direction: SyncDirection.PushOnly).Action);
        Assert.Equal(new SyncDecision(SyncAction.Nothing, SyncReason.NotInThisDirection, null), Decide(Sync, At(9), At(3), direction: SyncDirection.PullOnly));
        Assert.Equal(SyncAction.Pull, Decide(Sync, At(3), At(9), direction: SyncDirection.PullOnly).Action);
        Assert.Equal(SyncAction.Conflict, Decide(Sync, At(9), At(8), ConflictPolicy.Flag, direction: SyncDirection.PullOnly).Action);
    }

    /// <summary>Every combination: decisions are total, and each action comes with the status it must leave.</summary>
    [Fact]
    public void Every_combination_gives_a_consistent_decision()
    {
        DateTimeOffset?[] syncs = { null, Sync };
        DateTimeOffset?[] times = { null, At(4), Sync, At(5, 59), At(6), At(9) };
        bool?[] evidence = { null, true, false };
        var seen = new HashSet<SyncAction>();
        foreach (var synced in syncs)
        foreach (var row in times)
        foreach (var page in times)
        foreach (var rowExists in new[] { true, false })
        foreach (var pageExists in new[] { true, false })
        foreach (var rc in evidence)
        foreach (var pc in evidence)
        foreach (ConflictPolicy policy in Enum.GetValues(typeof(ConflictPolicy)))
        {
            var d = Decide(synced, row, page, policy, rowExists, pageExists, rc, pc);
            seen.Add(d.Action);
            switch (d.Action)
            {
                case SyncAction.Push:
                    Assert.True(rowExists);
                    Assert.Equal(SyncStatus.Synced, d.StatusAfter);
                    break;
                case SyncAction.Pull:
                    Assert.True(pageExists);
                    Assert.Equal(SyncStatus.Synced, d.StatusAfter);
                    break;
                case SyncAction.Conflict:
                    Assert.Equal(SyncStatus.Conflict, d.StatusAfter);
                    Assert.True(policy == ConflictPolicy.Flag || !rowExists || !pageExists);
                    break;
            }
            if (rowExists && pageExists && policy != ConflictPolicy.Flag) Assert.NotEqual(SyncAction.Conflict, d.Action);
        }
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void Floor_to_minute_uses_utc()
    {
        var local = new DateTimeOffset(2026, 7, 4, 12, 5, 59, 999, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 10, 5, 0, TimeSpan.Zero), SyncDecider.FloorToMinute(local));
        Assert.Equal("conflict", SyncStatus.Conflict.ToNotionName());
        Assert.Equal("pending", SyncStatus.Pending.ToNotionName());
        Assert.Equal("synced", SyncStatus.Synced.ToNotionName());
    }
}
