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
    private OberaConnectException? _fatal;

    /// <summary>Awaited just before a write's request is sent (the write-ahead audit's intent); null when nobody listens.</summary>
    internal Func<PlannedWrite, Task>? BeforeWrite { get; set; }

    /// <summary>Awaited as soon as a sent write's outcome is known, before its result is handed out (the audit's outcome line).</summary>
    internal Func<SyncResult, Task>? AfterWrite { get; set; }

    private UpsertSession(SyncRun run, SyncTable table)
    {
        _run = run;
        Table = table;
        _slots = new SemaphoreSlim(Math.Max(1, run.MaxConcurrentWrites));
    }

    public SyncTable Table { get; }

    /// <summary>Pages read into the index.</summary>
    public int IndexedPages { get; private set; }

    /// <summary>Keys that more than one page holds (run Get-NotionDuplicate).</summary>
    public IReadOnlyDictionary<string, int> DuplicateKeys => _duplicates;

    /// <summary>The indexed page of a key, or null.</summary>
    public IndexedPage? Find(string key) { lock (_gate) return _index.TryGetValue(Table.Identity(key), out var p) ? p : null; }

    /// <summary>Indexed pages whose key no record of this run planned (devices gone from the source, cleared alerts).</summary>
    /// <summary>The keys of every page the index holds now (read at open, and created since), as the pages spell them.</summary>
    public IReadOnlyList<string> IndexedKeys()
    {
        lock (_gate) return _index.Values.Select(p => p.Key).ToList();
    }

    public IEnumerable<IndexedPage> Unplanned()
    {
        // A snapshot: writes in flight update the index.
        lock (_gate) return _index.Where(kv => !_planned.Contains(kv.Key)).Select(kv => kv.Value).ToList();
    }

    /// <summary>Reads the target into the index.</summary>
    public static async Task<UpsertSession> OpenAsync(SyncRun run, SyncTable table, CancellationToken cancellationToken)
    {
        var session = new UpsertSession(run, table);
        var query = table.Scope is null ? new NotionQuery() : NotionQuery.Where(table.Scope);
        await foreach (var page in run.Notion.QueryAsync(table.DataSourceId, query, cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash) continue;
            var key = table.KeyOf(page);
            if (string.IsNullOrWhiteSpace(key)) continue;
            var normalized = table.Identity(key!);
            session.IndexedPages++;
            var indexed = new IndexedPage(page, key!, table.OwnedProperties);
            if (session._index.TryGetValue(normalized, out var other))
            {
                session._duplicates[normalized] = session._duplicates.TryGetValue(normalized, out var n) ? n + 1 : 2;
                // Keep the most recently edited: it is the one people look at.
                if (other.LastEditedTime >= indexed.LastEditedTime) continue;
            }
            session._index[normalized] = indexed;
            if (session.IndexedPages % 100 == 0)
                run.Output.Progress(new ProgressUpdate(1, $"Reading {table.Database}", $"{session.IndexedPages} page(s) read"));
        }
        if (session._duplicates.Count > 0)
            run.Output.Warning($"{table.Database}: {session._duplicates.Count} key(s) are held by more than one page; the newest is updated. Run 'Get-NotionDuplicate -Database {table.Database} | Remove-NotionDuplicate' to clean up.");
        return session;
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

    /// <summary>Waits for every submitted write (or until <paramref name="wait"/> passes) and returns the results not yet taken.</summary>
    public async Task<IReadOnlyList<SyncResult>> DrainAsync(TimeSpan? wait = null)
    {
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
            _completed.Enqueue(Result(record, SyncStatus.Skipped, plan.Existing, plan.Changed, "Stopped before this record was written (a full rerun is safe)."));
            return;
        }
        SyncResult? sent = null;
        try
        {
            OberaConnectException? fatal;
            lock (_gate) fatal = _fatal;
            if (fatal != null) { _completed.Enqueue(Failure(record, fatal, notAttempted: true)); return; }

            // Write-ahead: the intent is on record before the request leaves, so a process killed mid-request leaves a trace.
            if (BeforeWrite is { } before) await before(plan).ConfigureAwait(false);
            sent = await SendAsync(plan).ConfigureAwait(false);
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
            try
            {
                if (sent != null && AfterWrite is { } after) await after(sent).ConfigureAwait(false);
            }
            finally
            {
                if (sent != null) _completed.Enqueue(sent);
                _slots.Release();
            }
        }
    }

    private async Task<SyncResult> SendAsync(PlannedWrite plan)
    {
        var record = plan.Record;
        if (plan.Kind == PlanKind.Create)
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
            return Result(record, SyncStatus.Created, indexed, plan.Changed, reason);
        }
        var changes = plan.Changed.Select(name => new KeyValuePair<string, PropertyValue>(name, record.Properties[name])).ToList();
        var updated = await _run.Notion.UpdatePageAsync(plan.Existing!.Id, changes, CancellationToken.None).ConfigureAwait(false);
        // The page keeps its spelling of the key unless this write renamed it.
        var spelling = plan.Changed.Contains(Table.KeyProperty) ? record.Key : plan.Existing.Key;
        var reindexed = new IndexedPage(updated, spelling, Table.OwnedProperties);
        lock (_gate) _index[Table.Identity(record.Key)] = reindexed;
        return Result(record, SyncStatus.Updated, reindexed, plan.Changed, plan.Note);
    }

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
