using System.Collections.Concurrent;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Sync;

/// <summary>Shared settings of one sync run (one cmdlet invocation).</summary>
public sealed class SyncRun
{
    public SyncRun(string operation, NotionClient notion, string correlationId, IEngineOutput? output = null, TimeProvider? time = null)
    {
        Operation = operation;
        Notion = notion;
        CorrelationId = correlationId;
        Output = output ?? NullEngineOutput.Instance;
        Time = time ?? TimeProvider.System;
        StartedAt = Time.GetUtcNow();
        _startStats = notion.Statistics.Snapshot();
    }

    private readonly HttpStatisticsSnapshot _startStats;

    public string Operation { get; }
    public NotionClient Notion { get; }
    public string CorrelationId { get; }
    public IEngineOutput Output { get; }
    public TimeProvider Time { get; }
    public DateTimeOffset StartedAt { get; }

    /// <summary>Writes in flight at once. Notion paces to ~3 requests/s; a few in flight keep that pace despite latency.</summary>
    public int MaxConcurrentWrites { get; init; } = 3;

    /// <summary>
    /// The state directory, where runs on this machine keep the ledger of the pages they create and take turns at creating
    /// (<see cref="CreateLedger"/>); null for a run that coordinates with no other (a preview, a tool).
    /// </summary>
    public string? CoordinationDirectory { get; init; }

    /// <summary>How long a create waits for another run of this machine creating in the same database (notion.writeLockTimeoutSeconds).</summary>
    public TimeSpan WriteLockTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// The workspace whose records may point at a page of this database: when two writers created the same key, the records
    /// pointing at the page that goes are moved to the one that stays. Null: such a page is left for Remove-NotionDuplicate.
    /// </summary>
    public Workspace.NotionWorkspace? Workspace { get; init; }

    /// <summary>Keys confirmed together in one query after their creates (an "or" of key conditions).</summary>
    public int ConfirmBatch { get; init; } = 50;

    /// <summary>
    /// Longest a created key waits for others to be confirmed with it (its result waits as long). At Notion's 3 requests/s a
    /// batch of 50 fills in about 17 s, so the default lets a full-speed run confirm 50 keys per query.
    /// </summary>
    public TimeSpan ConfirmHold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Least time between a create and its confirmation: Notion's query index and other writers may be a moment behind.</summary>
    public TimeSpan ConfirmSettle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before asking again for a key whose new page the query did not show yet.</summary>
    public TimeSpan ConfirmRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Looks for a new page before comparing what the query shows with it anyway.</summary>
    public int ConfirmAttempts { get; init; } = 3;

    /// <summary>Requests and 429s since the run started.</summary>
    public HttpStatisticsSnapshot Requests => Notion.Statistics.Snapshot() - _startStats;

    /// <summary>Builds the summary of the given results.</summary>
    public SyncSummary Summarize(string database, IEnumerable<SyncResult> results)
    {
        var summary = new SyncSummary { Operation = Operation, Database = database, StartedAt = StartedAt, CorrelationId = CorrelationId };
        foreach (var r in results) summary.Count(r.StatusValue);
        var requests = Requests;
        summary.Requests = requests.Requests;
        summary.RateLimited = requests.RateLimited;
        summary.Duration = Time.GetUtcNow() - StartedAt;
        return summary;
    }
}

/// <summary>An existing page as the index keeps it: only what diffs need.</summary>
public sealed class IndexedPage
{
    internal IndexedPage(NotionPage page, string key, IReadOnlyCollection<string> owned)
    {
        Id = page.Id;
        Url = page.Url;
        Key = key;
        LastEditedTime = page.LastEditedTime;
        CreatedTime = page.CreatedTime;
        var values = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var name in owned)
            if (page.Properties.TryGetValue(name, out var v)) values[name] = v;
        Values = values;
    }

    /// <summary>A page as another run recorded it (<see cref="CreateLedger"/>).</summary>
    internal IndexedPage(string id, string? url, string key, DateTimeOffset createdTime, DateTimeOffset lastEditedTime, IReadOnlyDictionary<string, PropertyValue> values)
    {
        Id = id;
        Url = url;
        Key = key;
        CreatedTime = createdTime;
        LastEditedTime = lastEditedTime;
        Values = values;
    }

    public string Id { get; }
    public string? Url { get; }
    public string Key { get; }
    public DateTimeOffset LastEditedTime { get; }
    public DateTimeOffset CreatedTime { get; }

    /// <summary>Owned properties' current values.</summary>
    public IReadOnlyDictionary<string, PropertyValue> Values { get; internal set; }
}

/// <summary>What a record needs, decided from the index before anything is written.</summary>
public enum PlanKind { Create, Update, Done }

/// <summary>A decision for one record. Writes go through the host's approval (ShouldProcess) before <see cref="UpsertSession.Submit"/>.</summary>
public sealed class PlannedWrite
{
    internal PlannedWrite(DesiredRecord record, PlanKind kind, IndexedPage? existing, IReadOnlyList<string> changed, SyncResult? done, string? note = null)
    {
        Record = record;
        Kind = kind;
        Existing = existing;
        Changed = changed;
        Done = done;
        Note = note;
        Notices = note is null ? record.Notices.ToList() : record.Notices.Concat(new[] { note }).ToList();
    }

    public DesiredRecord Record { get; }
    public PlanKind Kind { get; }
    public IndexedPage? Existing { get; }

    /// <summary>Owned properties whose value differs (all of them for a create).</summary>
    public IReadOnlyList<string> Changed { get; }

    /// <summary>For <see cref="PlanKind.Done"/>: the final result (Unchanged, Skipped or Failed) with no write needed.</summary>
    public SyncResult? Done { get; }

    /// <summary>What ShouldProcess names as the target: the record as people name it and its database ("site 'Acme Corp' in Customer Sites").</summary>
    public string Target { get; internal set; } = "";

    /// <summary>What the plan itself adds to the result's Reason (the page keeps its own spelling of the key, or is renamed).</summary>
    public string? Note { get; }

    /// <summary>What the host shows as warnings for this record: the record's notices and <see cref="Note"/>.</summary>
    public IReadOnlyList<string> Notices { get; }

    /// <summary>What ShouldProcess names as the action: "Create", or "Update" with each change as <c>property: old -> new</c> (shortened).</summary>
    public string Action => Kind switch
    {
        PlanKind.Create => "Create",
        PlanKind.Update => "Update " + ChangeText.Describe(this),
        _ => Done?.Status.ToString() ?? "",
    };
}

/// <summary>
/// One keyed sync of one database. The target is read once, paginated, into an index by key (only
/// owned properties are kept). Each record is then planned against the index with no request:
/// unchanged records cost nothing, changed ones send only the properties that differ, new ones are
/// created with a duplicate check so a lost response never makes a second page. Writes run a few at a
/// time on the shared pacer; every record ends in exactly one <see cref="SyncResult"/>.
/// Fatal errors (token refused, circuit open) stop further writes: the remaining records are reported
/// Failed without sending anything.
/// <para>Many writers, one page per key. Notion has no unique constraint, so a create is guarded twice:
/// <list type="bullet">
/// <item>On this machine, runs of the same database take turns at "check, then create" (<see cref="CreateLedger"/>): a run
/// whose key another run created since its index read plans against that page instead (Unchanged, or an update).</item>
/// <item>Across machines, each created key is confirmed with a filtered query (<see cref="CreateConfirmation"/>). When
/// several pages hold it, every writer picks the same one to keep, the earliest created (created_time as Notion sorts it,
/// then page id: <see cref="Earliest"/>),
/// moves the records pointing at the others to it and moves the others to the trash (only pages this integration made;
/// a person's page is left and named). The writer whose page is kept reports Created; a writer whose page went reports
/// the kept page (Unchanged, or Updated with what differed).</item>
/// </list></para>
/// </summary>
public sealed class UpsertSession
{
    private readonly SyncRun _run;
    private readonly Dictionary<string, IndexedPage> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _duplicates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _planned = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SyncResult> _completed = new();
    private readonly SemaphoreSlim _slots;
    private readonly object _gate = new();
    private readonly List<Task> _inFlight = new();
    private readonly CreateConfirmation _confirmation;
    // This run's creates take the ledger's lock one after the other: its timeout is for waiting on other runs, never on this one.
    private readonly SemaphoreSlim _createTurn = new(1, 1);
    private CreateLedger? _ledger;
    private OberaConnectException? _fatal;
    private OberaConnectException? _lockTimedOut;

    /// <summary>Awaited just before a write's request is sent (the write-ahead audit's intent); null when nobody listens.</summary>
    internal Func<PlannedWrite, Task>? BeforeWrite { get; set; }

    /// <summary>Awaited as soon as a sent write's outcome is known, before its result is handed out (the audit's outcome line).</summary>
    internal Func<SyncResult, Task>? AfterWrite { get; set; }

    private UpsertSession(SyncRun run, SyncTable table)
    {
        _run = run;
        Table = table;
        _slots = new SemaphoreSlim(Math.Max(1, run.MaxConcurrentWrites));
        _confirmation = new CreateConfirmation(run, table);
    }

    public SyncTable Table { get; }

    /// <summary>Pages read into the index.</summary>
    public int IndexedPages { get; private set; }

    /// <summary>Keys that more than one page holds (run Get-NotionDuplicate).</summary>
    public IReadOnlyDictionary<string, int> DuplicateKeys => _duplicates;

    /// <summary>The indexed page of a key, or null.</summary>
    public IndexedPage? Find(string key) { lock (_gate) return _index.TryGetValue(Table.Identity(key), out var p) ? p : null; }

    /// <summary>The keys of every page the index holds now (read at open, and created since), as the pages spell them.</summary>
    public IReadOnlyList<string> IndexedKeys()
    {
        lock (_gate) return _index.Values.Select(p => p.Key).ToList();
    }

    /// <summary>Indexed pages whose key no record of this run planned (devices gone from the source, cleared alerts); only after a whole read.</summary>
    public IEnumerable<IndexedPage> Unplanned()
    {
        // A read by keys knows only the input's pages: marking the rest gone from it would mark pages never looked at.
        if (!WholeIndex) throw new InvalidOperationException("Unplanned pages are known only after reading every page (IndexRead.Every).");
        // A snapshot: writes in flight update the index.
        lock (_gate) return _index.Where(kv => !_planned.Contains(kv.Key)).Select(kv => kv.Value).ToList();
    }

    /// <summary>Reads every page of the target into the index.</summary>
    public static Task<UpsertSession> OpenAsync(SyncRun run, SyncTable table, CancellationToken cancellationToken)
        => OpenAsync(run, table, IndexRead.Every("the caller asked for every page"), cancellationToken);

    /// <summary>
    /// Reads the target into the index as <paramref name="read"/> says: every page, or only the pages of the input's keys
    /// (<see cref="SyncTable.KeyFilters"/>: the pages whose key is the same as one of them, each once, duplicates included).
    /// -Verbose names the read and why it was chosen.
    /// </summary>
    public static async Task<UpsertSession> OpenAsync(SyncRun run, SyncTable table, IndexRead read, CancellationToken cancellationToken)
    {
        var session = new UpsertSession(run, table) { WholeIndex = read.Whole };
        // Pages another run of this machine creates from now on (and a moment before: Notion's index lags) are in its ledger.
        if (run.CoordinationDirectory is { } directory)
            session._ledger = new CreateLedger(directory, table.DataSourceId, table.Title, run.Time.GetUtcNow());
        var queries = new List<NotionQuery>();
        HashSet<string>? wanted = null;
        if (read.Whole)
        {
            queries.Add(table.Scope is null ? new NotionQuery() : NotionQuery.Where(table.Scope));
        }
        else
        {
            wanted = new HashSet<string>(read.Keys!.Select(table.Identity), StringComparer.Ordinal);
            queries.AddRange(table.KeyFilters(read.Keys!, scope: table.Scope).Select(b => NotionQuery.Where(b.Filter)));
        }
        run.Output.Verbose(read.Whole
            ? $"{table.Title}: reading every page ({read.Reason})."
            : $"{table.Title}: reading only the pages of {wanted!.Count} key(s) in {queries.Count} filtered quer{(queries.Count == 1 ? "y" : "ies")} ({read.Reason}).");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        async Task IndexAsync(NotionQuery query, HashSet<string>? keep)
        {
            await foreach (var page in run.Notion.QueryAsync(table.DataSourceId, query, cancellationToken).ConfigureAwait(false))
            {
                if (page.InTrash || !seen.Add(page.Id)) continue;
                var key = table.KeyOf(page);
                if (string.IsNullOrWhiteSpace(key)) continue;
                var normalized = table.Identity(key!);
                // A key's conditions may find a longer name holding the same words: only the asked keys are indexed.
                if (keep != null && !keep.Contains(normalized)) continue;
                session.Add(page, key!, normalized);
            }
        }
        foreach (var query in queries) await IndexAsync(query, wanted).ConfigureAwait(false);
        // A filter proves a key's page exists, not that it is missing, when keys are compared by the site-name rule: a name
        // spelled in Unicode compatibility forms (full-width letters, ligatures) is the same site, and no Notion filter
        // matches it. A key its filter did not find would be created, so every page is read for those keys first.
        var missing = wanted?.Where(k => !session._index.ContainsKey(k)).ToList();
        if (missing is { Count: > 0 } && table.KeysSetUnicodeFormsAside)
        {
            run.Output.Verbose($"{table.Title}: {missing.Count} key(s) not found by their filters; reading every page before creating them, since a name in Unicode compatibility forms (full-width letters, ligatures) is the same site and no filter finds it.");
            await IndexAsync(table.Scope is null ? new NotionQuery() : NotionQuery.Where(table.Scope), new HashSet<string>(missing, StringComparer.Ordinal)).ConfigureAwait(false);
        }
        if (session._duplicates.Count > 0)
            run.Output.Warning($"{table.Database}: {session._duplicates.Count} key(s) are held by more than one page; the newest is updated. Run 'Get-NotionDuplicate -Database {table.Database} | Remove-NotionDuplicate' to clean up.");
        return session;
    }

    /// <summary>True when every page was read (not only the input's keys): <see cref="Unplanned"/> needs it.</summary>
    public bool WholeIndex { get; private init; }

    private void Add(NotionPage page, string key, string normalized)
    {
        IndexedPages++;
        var indexed = new IndexedPage(page, key, Table.OwnedProperties);
        if (_index.TryGetValue(normalized, out var other))
        {
            _duplicates[normalized] = _duplicates.TryGetValue(normalized, out var n) ? n + 1 : 2;
            // Keep the most recently edited: it is the one people look at.
            if (other.LastEditedTime >= indexed.LastEditedTime) return;
        }
        _index[normalized] = indexed;
        if (IndexedPages % 100 == 0)
            _run.Output.Progress(new ProgressUpdate(1, $"Reading {Table.Database}", $"{IndexedPages} page(s) read"));
    }

    /// <summary>Decides what a record needs. Sends nothing.</summary>
    public PlannedWrite Plan(DesiredRecord record)
    {
        var target = TargetOf(record);
        if (string.IsNullOrWhiteSpace(record.Key))
            return Finished(record, Failure(record, record.Problem ?? new OberaConnectException("MissingKey", FailureKind.InvalidInput,
                $"A {Table.Database} record has no {Table.KeyProperty}. Provide a value for {Table.KeyProperty}.")), target);

        // A refused record fails with its own error and does not claim its key: a later valid record of the key is the one used.
        if (record.Problem != null)
            return Finished(record, Failure(record, record.Problem), target);

        var normalized = Table.Identity(record.Key);
        lock (_gate)
        {
            if (!_planned.Add(normalized))
                return Finished(record, Result(record, SyncStatus.Skipped, reason: $"{Table.KeyProperty} '{record.Key}' appears more than once in this run's input; the first one was used."), target);
            if (_fatal != null)
                return Finished(record, Failure(record, _fatal, notAttempted: true), target);
        }

        IndexedPage? existing;
        // Writes in flight update the index under the gate; read it there too.
        lock (_gate) _index.TryGetValue(normalized, out existing);
        if (existing is null)
            return new PlannedWrite(record, PlanKind.Create, null, record.Properties.Keys.ToList(), null) { Target = target };
        return PlanAgainst(record, existing, target);
    }

    /// <summary>What <paramref name="record"/> needs given the page holding its key: nothing, an update, or nothing by the database's mode.</summary>
    private PlannedWrite PlanAgainst(DesiredRecord record, IndexedPage existing, string target)
    {
        var changed = Changed(record, existing, out var note);
        if (changed.Count == 0)
            return Finished(record, Result(record, SyncStatus.Unchanged, existing, reason: note), target, note);

        if (Table.Mode == WriteMode.InsertOnly)
            return Finished(record, Result(record, SyncStatus.Skipped, existing, reason: $"{Table.Database} is insert-only: the existing record is kept as it was."), target);
        if (Table.Mode == WriteMode.Immutable)
            return Finished(record, Result(record, SyncStatus.Skipped, existing, changed,
                reason: $"{Table.Database} entries are immutable: '{record.Key}' exists with different {string.Join(", ", changed)}; it was not modified. Use a new {Table.KeyProperty} for a new entry."), target);

        return new PlannedWrite(record, PlanKind.Update, existing, changed, null, note) { Target = target };
    }

    /// <summary>
    /// A plan for an existing page with chosen new values (used for marking gone devices or resolved alerts);
    /// <paramref name="description"/> names the record as people do (see <see cref="DesiredRecord.Description"/>).
    /// </summary>
    public PlannedWrite PlanUpdate(IndexedPage page, IDictionary<string, PropertyValue> values, object? input = null, string? description = null)
    {
        var record = new DesiredRecord(page.Key, values, input) { Description = description };
        lock (_gate) _planned.Add(Table.Identity(page.Key));
        var changed = Changed(record, page, out _);
        var target = TargetOf(record);
        return changed.Count == 0
            ? Finished(record, Result(record, SyncStatus.Unchanged, page), target)
            : new PlannedWrite(record, PlanKind.Update, page, changed, null) { Target = target };
    }

    /// <summary>The result for a planned write the host declined (-WhatIf, -Confirm answered no): see <see cref="NotWritten"/>.</summary>
    public SyncResult Decline(PlannedWrite plan, string reason) => NotWritten(plan, reason);

    /// <summary>
    /// The result of a record the host did not write, previewed (-WhatIf) or declined at the -Confirm prompt, whatever its
    /// plan: Skipped, with <see cref="SyncResult.WouldBe"/> and a reason that starts with <paramref name="why"/> and says what
    /// writing it would have done ("would update Health Score: 72 -> 65", "would fail: ..."). A record that would fail keeps
    /// its error id and message but carries no exception: it is a result to read, not an error to raise.
    /// </summary>
    public SyncResult NotWritten(PlannedWrite plan, string why)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (plan.Kind != PlanKind.Done)
        {
            var would = Result(plan.Record, SyncStatus.Skipped, plan.Existing, plan.Changed,
                why + ": would " + (plan.Kind == PlanKind.Create ? "create it" : "update " + ChangeText.Describe(plan)) + ".");
            would.WouldBeValue = plan.Kind == PlanKind.Create ? SyncStatus.Created : SyncStatus.Updated;
            return would;
        }
        var done = plan.Done!;
        var what = done.StatusValue switch
        {
            SyncStatus.Unchanged => "already up to date, nothing to write",
            SyncStatus.Failed => "would fail: " + done.Error,
            _ => "would be skipped: " + done.Reason,
        };
        return new SyncResult
        {
            Operation = done.Operation,
            Database = done.Database,
            Key = done.Key,
            StatusValue = SyncStatus.Skipped,
            WouldBeValue = done.StatusValue,
            PageId = done.PageId,
            Url = done.Url,
            ChangedProperties = done.ChangedProperties,
            Reason = why + ": " + what.TrimEnd('.') + ".",
            Error = done.Error,
            ErrorId = done.ErrorId,
            Input = done.Input,
            Timestamp = done.Timestamp,
            CorrelationId = done.CorrelationId,
        };
    }

    /// <summary>Queues an approved write. Its result appears in <see cref="TakeCompleted"/>.</summary>
    public void Submit(PlannedWrite plan, CancellationToken cancellationToken)
    {
        if (plan.Kind == PlanKind.Done) { _completed.Enqueue(plan.Done!); return; }
        // Counted from here: the end of the input confirms the keys created so far only once no create is left to send.
        if (plan.Kind == PlanKind.Create) _confirmation.BeginCreate();
        var task = Task.Run(() => ExecuteAsync(plan, cancellationToken));
        lock (_gate) _inFlight.Add(task);
    }

    /// <summary>Results finished since the last call.</summary>
    public IReadOnlyList<SyncResult> TakeCompleted()
    {
        var list = new List<SyncResult>();
        while (_completed.TryDequeue(out var r)) list.Add(r);
        return list;
    }

    /// <summary>True while submitted writes are still running.</summary>
    public bool Busy { get { lock (_gate) return _inFlight.Any(t => !t.IsCompleted); } }

    /// <summary>
    /// No more records are coming: the creates waiting for their confirmation are confirmed as soon as the creates in flight
    /// are done, instead of gathering more (<see cref="DrainAsync"/> does it too).
    /// </summary>
    public void EndOfInput() => _confirmation.EndOfInput();

    /// <summary>Waits for every submitted write (or until <paramref name="wait"/> passes) and returns the results not yet taken.</summary>
    public async Task<IReadOnlyList<SyncResult>> DrainAsync(TimeSpan? wait = null)
    {
        EndOfInput();
        Task[] pending;
        lock (_gate) pending = _inFlight.ToArray();
        var all = Task.WhenAll(pending);
        if (wait is { } w) await Task.WhenAny(all, Task.Delay(w)).ConfigureAwait(false);
        else await all.ConfigureAwait(false);
        lock (_gate) _inFlight.RemoveAll(t => t.IsCompleted);
        return TakeCompleted();
    }

    /// <summary>
    /// Plans, approves and writes a whole batch (for callers without a pipeline thread: benchmarks, tools).
    /// <paramref name="approve"/> plays ShouldProcess; null approves everything. Results come in completion order.
    /// </summary>
    public async Task<IReadOnlyList<SyncResult>> RunAsync(IEnumerable<DesiredRecord> records, Func<PlannedWrite, bool>? approve, CancellationToken cancellationToken)
    {
        var results = new List<SyncResult>();
        foreach (var record in records)
        {
            if (cancellationToken.IsCancellationRequested) break;
            var plan = Plan(record);
            if (plan.Kind == PlanKind.Done) results.Add(plan.Done!);
            else if (approve is null || approve(plan)) Submit(plan, cancellationToken);
            else results.Add(Decline(plan, "Declined (-WhatIf or -Confirm)."));
            results.AddRange(TakeCompleted());
        }
        results.AddRange(await DrainAsync().ConfigureAwait(false));
        return results;
    }

    private async Task ExecuteAsync(PlannedWrite plan, CancellationToken cancellationToken)
    {
        var record = plan.Record;
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (plan.Kind == PlanKind.Create) _confirmation.EndCreate();
            _completed.Enqueue(Stopped(plan));
            return;
        }
        SyncResult? sent = null;
        CreatedPage? created = null;
        var slot = true;
        // A create that does not reach its confirmation tells the confirmation it is over (see CreateAsync).
        var createOpen = plan.Kind == PlanKind.Create;
        try
        {
            OberaConnectException? fatal;
            lock (_gate) fatal = _fatal;
            if (fatal != null) { _completed.Enqueue(Failure(record, fatal, notAttempted: true)); return; }

            if (plan.Kind == PlanKind.Create)
            {
                createOpen = false;
                var step = await CreateAsync(plan, cancellationToken).ConfigureAwait(false);
                sent = step.Result;
                created = step.Created;
            }
            else
            {
                await IntendAsync(plan).ConfigureAwait(false);
                sent = await UpdateAsync(plan).ConfigureAwait(false);
            }
            // A new page is confirmed outside the write slot: confirmations gather several keys and must not hold the others up.
            if (created != null)
            {
                _slots.Release();
                slot = false;
                sent = await SettleAsync(plan, created).ConfigureAwait(false);
            }
        }
        catch (OberaConnectException ex)
        {
            if (IsFatal(ex)) lock (_gate) _fatal ??= ex;
            sent = Failure(record, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            sent = Failure(record, new OberaConnectException("UnexpectedSyncError", FailureKind.Unknown,
                $"{Table.Database} '{record.Key}': unexpected error {ex.GetType().Name}: {ex.Message}", ex));
        }
        finally
        {
            if (createOpen) _confirmation.EndCreate();
            try
            {
                if (sent != null && AfterWrite is { } after) await after(sent).ConfigureAwait(false);
            }
            finally
            {
                if (sent != null) _completed.Enqueue(sent);
                if (slot) _slots.Release();
            }
        }
    }

    /// <summary>A page this run created, waiting for its key to be confirmed.</summary>
    private sealed class CreatedPage
    {
        public CreatedPage(NotionPage page, IndexedPage indexed, string? reason)
        {
            Page = page;
            Indexed = indexed;
            Reason = reason;
        }

        public NotionPage Page { get; }
        public IndexedPage Indexed { get; }
        public string? Reason { get; }
    }

    /// <summary>
    /// Creates the record's page, taking its turn with the other runs of this machine when there is a ledger: a key another run
    /// created since this run's index read is not created again but planned against that page (the result is then returned).
    /// </summary>
    private async Task<(SyncResult? Result, CreatedPage? Created)> CreateAsync(PlannedWrite plan, CancellationToken cancellationToken)
    {
        var record = plan.Record;
        var identity = Table.Identity(record.Key);
        var confirming = false;
        try
        {
            if (_ledger is null)
            {
                await IntendAsync(plan).ConfigureAwait(false);
                var page = await SendCreateAsync(record).ConfigureAwait(false);
                confirming = true;
                return (null, page);
            }
            LedgerEntry? other;
            CreatedPage? created = null;
            Turn turn;
            try
            {
                turn = await HoldLedgerAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped while waiting for another run: nothing was sent.
                return (Stopped(plan), null);
            }
            using (turn)
            {
                other = turn.Hold.Find(identity);
                if (other is null)
                {
                    await IntendAsync(plan).ConfigureAwait(false);
                    created = await SendCreateAsync(record).ConfigureAwait(false);
                    turn.Hold.Record(identity, created.Indexed);
                }
            }
            if (created != null)
            {
                confirming = true;
                return (null, created);
            }
            lock (_gate)
            {
                if (!_index.ContainsKey(identity)) _index[identity] = other!.Page;
            }
            _run.Output.Verbose($"{Table.Title} '{record.Key}': {other!.Writer} created it moments ago (page {other.Page.Id}); this run plans against that page instead of creating another.");
            return (await ApplyToExistingAsync(plan, other.Page, $"Another run on this machine, {other.Writer}, created this page moments ago").ConfigureAwait(false), null);
        }
        finally
        {
            if (!confirming) _confirmation.EndCreate();
        }
    }

    /// <summary>
    /// The ledger's lock, after this run's earlier creates let go of it; once it timed out, later creates of this run fail at
    /// once instead of each waiting as long.
    /// </summary>
    private async Task<Turn> HoldLedgerAsync(CancellationToken cancellationToken)
    {
        await _createTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OberaConnectException? earlier;
            lock (_gate) earlier = _lockTimedOut;
            if (earlier != null)
                throw new OberaConnectException(earlier.ErrorId, earlier.Kind, "Not attempted: an earlier record of this run already waited too long for the write lock: " + earlier.Message, earlier);
            try
            {
                return new Turn(await _ledger!.AcquireAsync(_run, _run.WriteLockTimeout, cancellationToken).ConfigureAwait(false), _createTurn);
            }
            catch (OberaConnectException ex) when (ex.ErrorId == "WriteLockTimeout")
            {
                lock (_gate) _lockTimedOut ??= ex;
                throw;
            }
        }
        catch
        {
            _createTurn.Release();
            throw;
        }
    }

    /// <summary>The ledger held by one create of this run: the lock, then this run's turn, released together.</summary>
    private sealed class Turn : IDisposable
    {
        private readonly SemaphoreSlim _turn;
        private CreateLedger.Hold? _hold;

        public Turn(CreateLedger.Hold hold, SemaphoreSlim turn)
        {
            _hold = hold;
            _turn = turn;
        }

        public CreateLedger.Hold Hold => _hold ?? throw new ObjectDisposedException(nameof(Turn));

        public void Dispose()
        {
            var hold = Interlocked.Exchange(ref _hold, null);
            if (hold is null) return;
            try
            {
                hold.Dispose();
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    private async Task<CreatedPage> SendCreateAsync(DesiredRecord record)
    {
        var page = NewPage.InDataSource(Table.DataSourceId);
        foreach (var kv in record.Properties) page.Properties[kv.Key] = kv.Value;
        foreach (var block in record.Children) page.Children.Add(block);
        // Not cancelled mid-request: a create abandoned after sending would leave its outcome unknown.
        var created = await _run.Notion.CreatePageAsync(page, Table.DuplicateCheckFor(record.Key), CancellationToken.None).ConfigureAwait(false);
        var indexed = new IndexedPage(created.Value, record.Key, Table.OwnedProperties);
        lock (_gate) _index[Table.Identity(record.Key)] = indexed;
        var reason = created.Outcome switch
        {
            CreateOutcome.Recovered => "Notion's answer was lost; the page was found by its key, so nothing was created twice.",
            CreateOutcome.CreatedAfterRetry => "Notion's answer was lost and the page was certainly absent, so the create was sent again.",
            _ => null,
        };
        return new CreatedPage(created.Value, indexed, reason);
    }

    /// <summary>
    /// Confirms the key of a page this run created. Alone: Created. With other pages: the earliest created one stays for every
    /// writer (<see cref="Earliest"/>), the others go after their records are moved to it (<see cref="MergeAsync"/>); this
    /// run reports Created when its page stays, else the page that stays (planned against as if it had been found).
    /// </summary>
    private async Task<SyncResult> SettleAsync(PlannedWrite plan, CreatedPage created)
    {
        var record = plan.Record;
        var confirmation = await _confirmation.ConfirmAsync(record.Key, created.Page).ConfigureAwait(false);
        if (confirmation.Problem is { } problem)
        {
            _run.Output.Warning($"{Table.Title} '{record.Key}': created, but whether another writer created it at the same time could not be checked ({problem}). 'Get-NotionDuplicate -Database {Table.Database}' finds any second page.");
            return Result(record, SyncStatus.Created, created.Indexed, plan.Changed, Join(created.Reason, "Whether another writer created the same key at the same time could not be checked: " + problem));
        }
        var holders = confirmation.Holders;
        if (holders.Count <= 1) return Result(record, SyncStatus.Created, created.Indexed, plan.Changed, created.Reason);

        var kept = Earliest(holders);
        string merged;
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            merged = await MergeAsync(record.Key, kept, holders, created.Page).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
        if (kept.Id == created.Page.Id)
        {
            var why = $"Another writer created '{record.Key}' at the same time; this page was created first and stays" + merged;
            _run.Output.Verbose($"{Table.Title} '{record.Key}': {why}.");
            return Result(record, SyncStatus.Created, created.Indexed, plan.Changed, Join(created.Reason, why + "."));
        }

        var keptPage = new IndexedPage(kept, Table.KeyOf(kept) ?? record.Key, Table.OwnedProperties);
        var identity = Table.Identity(record.Key);
        lock (_gate) _index[identity] = keptPage;
        if (_ledger != null)
        {
            try
            {
                using var turn = await HoldLedgerAsync(CancellationToken.None).ConfigureAwait(false);
                turn.Hold.Record(identity, keptPage);
            }
            catch (OberaConnectException ex)
            {
                _run.Output.Verbose($"{Table.Title} '{record.Key}': the ledger could not be told that page {kept.Id} holds the key ({ex.Message}).");
            }
        }
        var because = $"Another writer created '{record.Key}' at the same time: its page {Short(kept.Id)} was created first and stays" + merged;
        _run.Output.Verbose($"{Table.Title} '{record.Key}': {because}.");
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            return await ApplyToExistingAsync(plan, keptPage, because).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// The page every writer keeps: the earliest created. Notion shows created_time to the minute only, so pages created in the
    /// same minute tie there; the confirmation asks Notion to sort by created_time, which it does by the time it keeps (the
    /// filter on it compares to the millisecond), so the first of them in Notion's answer is the first created. That is what
    /// makes a writer that confirmed its page alone, and already reported Created, keep winning against a page another writer
    /// makes later in the same minute. The page id settles what is left (a page the query did not show yet comes last).
    /// </summary>
    private static NotionPage Earliest(IReadOnlyList<NotionPage> holders)
        => holders.Select((page, rank) => (page, rank)).OrderBy(h => h.page.CreatedTime).ThenBy(h => h.rank).ThenBy(h => h.page.Id, StringComparer.Ordinal).First().page;

    /// <summary>
    /// Moves every page of <paramref name="holders"/> but <paramref name="kept"/> to the trash, after pointing the records that
    /// point at it at the kept page (Remove-NotionDuplicate's own step, <see cref="Duplicates.NotionDuplicates.TrashAsync"/>).
    /// Only pages this integration created are touched: a page a person made is left and named. Returns what happened, as
    /// the end of a sentence ("; page 1a2b3c4d moved to the trash, its 2 record(s) now point at the kept page").
    /// </summary>
    private async Task<string> MergeAsync(string key, NotionPage kept, IReadOnlyList<NotionPage> holders, NotionPage own)
    {
        var duplicate = new Duplicates.NotionDuplicate
        {
            Database = Table.Database,
            DatabaseTitle = Table.Title,
            Property = Table.KeyProperty,
            Key = key,
            Count = holders.Count,
            KeepRule = nameof(Duplicates.DuplicateKeepRule.Oldest),
            Pages = holders.Select(p => new Duplicates.DuplicatePage
            {
                PageId = p.Id, Url = p.Url, CreatedTime = p.CreatedTime, LastEditedTime = p.LastEditedTime, Keep = p.Id == kept.Id,
            }).ToList(),
        };
        var notes = new List<string>();
        foreach (var page in holders.Where(p => p.Id != kept.Id))
        {
            var ours = page.Id == own.Id || (own.CreatedById != null && page.CreatedById == own.CreatedById);
            if (!ours)
            {
                notes.Add($"page {Short(page.Id)} was made by someone else, not this integration, and is left as it is (Get-NotionDuplicate lists it)");
                continue;
            }
            if (_run.Workspace is null)
            {
                notes.Add($"page {Short(page.Id)} is left as it is: records pointing at it cannot be moved here (Remove-NotionDuplicate does it)");
                continue;
            }
            var removal = await new Duplicates.NotionDuplicates(_run.Workspace).TrashAsync(duplicate, duplicate.Pages.First(p => p.PageId == page.Id), CancellationToken.None)
                .ConfigureAwait(false);
            // Every writer that saw both pages trashes the same one: the second to send its trash request is refused (the page is
            // already in the trash). That is the outcome wanted, not a failure.
            if (removal.StatusValue == Duplicates.DuplicateRemovalStatus.Failed && await InTrashAsync(page.Id).ConfigureAwait(false))
            {
                removal.StatusValue = Duplicates.DuplicateRemovalStatus.Skipped;
                removal.Reason = "Already in the trash.";
            }
            // Never both: should another writer have seen Notion order the pages otherwise and trashed the page kept here, the page
            // just trashed comes back, so the key keeps a page whatever happens (a duplicate to clean up is better than none).
            if (removal.StatusValue == Duplicates.DuplicateRemovalStatus.Trashed && await InTrashAsync(kept.Id).ConfigureAwait(false))
            {
                await _run.Notion.RestorePageAsync(page.Id, CancellationToken.None).ConfigureAwait(false);
                removal.StatusValue = Duplicates.DuplicateRemovalStatus.Skipped;
                removal.Reason = $"Another writer moved page {Short(kept.Id)} to the trash meanwhile, so this one was restored from the trash and both stay.";
            }
            var moved = removal.RelationsMoved == 0 ? "" : $", its {removal.RelationsMoved} record(s) now point at the page that stays";
            notes.Add(removal.StatusValue switch
            {
                Duplicates.DuplicateRemovalStatus.Trashed => $"page {Short(page.Id)} moved to the trash{moved}",
                Duplicates.DuplicateRemovalStatus.Skipped when removal.Reason == "Already in the trash." => $"page {Short(page.Id)} is in the trash (another writer moved it)",
                Duplicates.DuplicateRemovalStatus.Skipped => $"page {Short(page.Id)} is left as it is: {removal.Reason}",
                _ => $"page {Short(page.Id)} could not be moved to the trash{moved}: {removal.Error}",
            });
            if (removal.StatusValue != Duplicates.DuplicateRemovalStatus.Trashed && removal.Reason != "Already in the trash.")
                _run.Output.Warning($"{Table.Title} '{key}': {notes[notes.Count - 1]}. Run 'Get-NotionDuplicate -Database {Table.Database} | Remove-NotionDuplicate' to settle it.");
        }
        return notes.Count == 0 ? "" : "; " + string.Join("; ", notes);
    }

    private async Task<bool> InTrashAsync(string pageId)
    {
        try
        {
            return (await _run.Notion.GetPageAsync(pageId, CancellationToken.None).ConfigureAwait(false)).InTrash;
        }
        catch (OberaConnectException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="plan"/>'s record against a page found at write time (another run created the key): nothing, an update
    /// of what differs, or nothing by the database's mode. The result's reason starts with <paramref name="why"/>.
    /// </summary>
    private async Task<SyncResult> ApplyToExistingAsync(PlannedWrite plan, IndexedPage existing, string why)
    {
        var again = PlanAgainst(plan.Record, existing, plan.Target);
        if (again.Kind != PlanKind.Done) await IntendAsync(again).ConfigureAwait(false);
        var result = again.Kind == PlanKind.Done ? again.Done! : await UpdateAsync(again).ConfigureAwait(false);
        var what = result.StatusValue switch
        {
            SyncStatus.Unchanged => "it already holds this run's values",
            SyncStatus.Updated => "this run's values that differ were written to it",
            _ => null,
        };
        result.Reason = Join(why, Join(what, result.Reason))!.TrimEnd('.') + ".";
        return result;
    }

    /// <summary>Write-ahead: the intent is on record right before the request leaves, so a process killed mid-request leaves a trace.</summary>
    private Task IntendAsync(PlannedWrite plan) => BeforeWrite is { } before ? before(plan) : Task.CompletedTask;

    private async Task<SyncResult> UpdateAsync(PlannedWrite plan)
    {
        var record = plan.Record;
        var changes = plan.Changed.Select(name => new KeyValuePair<string, PropertyValue>(name, record.Properties[name])).ToList();
        var updated = await _run.Notion.UpdatePageAsync(plan.Existing!.Id, changes, CancellationToken.None).ConfigureAwait(false);
        // The page keeps its spelling of the key unless this write renamed it.
        var spelling = plan.Changed.Contains(Table.KeyProperty) ? record.Key : plan.Existing.Key;
        var reindexed = new IndexedPage(updated, spelling, Table.OwnedProperties);
        lock (_gate) _index[Table.Identity(record.Key)] = reindexed;
        return Result(record, SyncStatus.Updated, reindexed, plan.Changed, plan.Note);
    }

    private SyncResult Stopped(PlannedWrite plan)
        => Result(plan.Record, SyncStatus.Skipped, plan.Existing, plan.Changed, "Stopped before this record was written (a full rerun is safe).");

    private static string? Join(string? first, string? second)
        => string.IsNullOrEmpty(first) ? second : string.IsNullOrEmpty(second) ? first : first!.TrimEnd('.') + "; " + second;

    private static string Short(string id) => Duplicates.DuplicatePage.Short(id);

    private static bool IsFatal(OberaConnectException ex) => ex.Kind is FailureKind.Authentication or FailureKind.CircuitOpen;

    /// <summary>
    /// The owned properties whose values differ. The key property differs only in spelling (the page found by its key
    /// spells it another way): the page keeps its spelling unless the record asks for a rename, and <paramref name="note"/> says which.
    /// </summary>
    private List<string> Changed(DesiredRecord record, IndexedPage existing, out string? note)
    {
        note = null;
        var changed = new List<string>();
        var incidental = new List<string>();
        foreach (var kv in record.Properties)
        {
            if (!Table.OwnedProperties.Contains(kv.Key)) continue;
            if (existing.Values.TryGetValue(kv.Key, out var current) && current.Equals(kv.Value)) continue;
            if (kv.Key == Table.KeyProperty && existing.Values.ContainsKey(kv.Key))
            {
                var shown = Validation.InputValidationException.Printable(record.Key);
                var page = Validation.InputValidationException.Printable(existing.Key);
                if (!record.RenameKey)
                {
                    note = $"The page keeps its {Table.KeyProperty} '{page}': the input's '{shown}' is the same key spelled differently. " +
                           (Table.Database == nameof(Workspace.DatabaseKey.CustomerSites) ? "Pass -RenameSite to write the new spelling." : "Nothing was renamed.");
                    continue;
                }
                note = $"Renamed: {Table.KeyProperty} '{page}' becomes '{shown}'.";
            }
            (record.Incidental.Contains(kv.Key) ? incidental : changed).Add(kv.Key);
        }
        // Incidental properties ride along with a real change and never cause a write by themselves.
        if (changed.Count > 0) changed.AddRange(incidental);
        return changed;
    }

    private string TargetOf(DesiredRecord record)
        => (record.Description ?? (string.IsNullOrWhiteSpace(record.Key) ? "a record without " + Table.KeyProperty : $"'{record.Key}'")) + " in " + Table.Title;

    private static PlannedWrite Finished(DesiredRecord record, SyncResult result, string target, string? note = null)
        => new(record, PlanKind.Done, null, result.ChangedProperties, result, note) { Target = target };

    private SyncResult Result(DesiredRecord record, SyncStatus status, IndexedPage? page = null, IReadOnlyList<string>? changed = null, string? reason = null)
        => new()
        {
            Operation = _run.Operation,
            Database = Table.Database,
            Key = record.Key,
            StatusValue = status,
            PageId = page?.Id,
            Url = page?.Url,
            ChangedProperties = status is SyncStatus.Unchanged ? Array.Empty<string>() : changed ?? Array.Empty<string>(),
            Reason = reason,
            Input = record.Input,
            Timestamp = _run.Time.GetUtcNow(),
            CorrelationId = _run.CorrelationId,
        };

    private SyncResult Failure(DesiredRecord record, OberaConnectException ex, bool notAttempted = false)
    {
        var result = Result(record, SyncStatus.Failed, Find(record.Key));
        result.Error = notAttempted ? $"Not attempted: an earlier record failed with: {ex.Message}" : ex.Message;
        result.ErrorId = ex.ErrorId;
        result.Exception = ex;
        return result;
    }
}
