using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Sync;

/// <summary>What Notion showed for a key after this run created a page for it.</summary>
internal sealed class Confirmation
{
    public Confirmation(IReadOnlyList<NotionPage> holders, string? problem)
    {
        Holders = holders;
        Problem = problem;
    }

    /// <summary>
    /// Every page holding the key in the order Notion sorted them by created_time (earliest first), this run's new page included
    /// (added last when the query did not show it yet).
    /// </summary>
    public IReadOnlyList<NotionPage> Holders { get; }

    /// <summary>Why the key could not be checked (the query failed); null when it was.</summary>
    public string? Problem { get; }
}

/// <summary>
/// Confirms each key a run created with a filtered query, so writers on other machines (or with another state directory),
/// which the local <see cref="CreateLedger"/> cannot see, are caught when they created the same key at the same time.
/// Keys are confirmed together, an "or" of up to <see cref="SyncRun.ConfirmBatch"/> key conditions per query: a batch
/// goes when it is full, when its oldest key has waited <see cref="SyncRun.ConfirmHold"/> (real time), or at the end of the input once
/// no create is in flight. Every key waits at least <see cref="SyncRun.ConfirmSettle"/> after its create, because Notion's
/// query index can lag a create and another writer's page may be a moment behind ours. A key whose own new page the
/// query does not show yet is asked again (<see cref="SyncRun.ConfirmRetryInterval"/>, up to <see cref="SyncRun.ConfirmAttempts"/>
/// looks); after that what was seen counts, with the new page added.
/// </summary>
internal sealed class CreateConfirmation
{
    private readonly SyncRun _run;
    private readonly SyncTable _table;
    private readonly object _gate = new();
    private readonly List<Waiting> _waiting = new();
    private int _creating;
    private bool _draining;
    private Timer? _timer;

    public CreateConfirmation(SyncRun run, SyncTable table)
    {
        _run = run;
        _table = table;
    }

    /// <summary>A create is about to be sent: the end of the input waits for it before confirming what waits.</summary>
    public void BeginCreate()
    {
        lock (_gate) _creating++;
    }

    /// <summary>A create begun with <see cref="BeginCreate"/> ended without a page to confirm (it failed, or another run had the key).</summary>
    public void EndCreate() => Send(Take(() => _creating--));

    /// <summary>Confirms <paramref name="page"/>, just created for <paramref name="key"/> (after <see cref="BeginCreate"/>).</summary>
    public Task<Confirmation> ConfirmAsync(string key, NotionPage page)
    {
        var waiting = new Waiting(key, _table.Identity(key), page, _run.Time.GetUtcNow());
        Send(Take(() =>
        {
            _creating--;
            _waiting.Add(waiting);
        }));
        return waiting.Result.Task;
    }

    /// <summary>No more input: confirm what waits as soon as the creates in flight are done, without gathering more.</summary>
    public void EndOfInput() => Send(Take(() => _draining = true));

    /// <summary>Applies <paramref name="change"/> and takes the batch that is due, or starts the timer of the oldest key.</summary>
    private List<Waiting>? Take(Action change)
    {
        lock (_gate)
        {
            change();
            var due = _waiting.Count >= _run.ConfirmBatch || (_draining && _creating <= 0 && _waiting.Count > 0);
            if (!due)
            {
                // The hold only gathers keys into fewer queries, so it runs on the real clock: a test's clock (which jumps to
                // pending timers) is not made to race by a timer that nothing waits on.
                if (_waiting.Count > 0 && _timer is null)
                    _timer = new Timer(_ => Send(TakeAll()), null, _run.ConfirmHold, Timeout.InfiniteTimeSpan);
                return null;
            }
            return TakeLocked();
        }
    }

    private List<Waiting>? TakeAll()
    {
        lock (_gate) return _waiting.Count == 0 ? null : TakeLocked();
    }

    private List<Waiting> TakeLocked()
    {
        _timer?.Dispose();
        _timer = null;
        var batch = _waiting.ToList();
        _waiting.Clear();
        return batch;
    }

    private void Send(List<Waiting>? batch)
    {
        if (batch is null || batch.Count == 0) return;
        for (var i = 0; i < batch.Count; i += _run.ConfirmBatch)
        {
            var chunk = batch.Skip(i).Take(_run.ConfirmBatch).ToList();
            _ = Task.Run(() => ConfirmBatchAsync(chunk));
        }
    }

    private async Task ConfirmBatchAsync(List<Waiting> batch)
    {
        try
        {
            var newest = batch.Max(w => w.CreatedAt);
            var settle = newest + _run.ConfirmSettle - _run.Time.GetUtcNow();
            if (settle > TimeSpan.Zero) await _run.Time.Delay(settle).ConfigureAwait(false);
            var ask = batch;
            for (var attempt = 1; ask.Count > 0; attempt++)
            {
                var found = await QueryAsync(ask).ConfigureAwait(false);
                var again = new List<Waiting>();
                foreach (var w in ask)
                {
                    var holders = found.TryGetValue(w.Identity, out var list) ? list : new List<NotionPage>();
                    if (holders.Any(p => p.Id == w.Page.Id)) w.Result.TrySetResult(new Confirmation(holders, null));
                    else if (attempt < _run.ConfirmAttempts) again.Add(w);
                    else
                    {
                        // Notion's index still does not show the page just created: what it shows is all there is to go by.
                        _run.Output.Verbose($"{_table.Title} '{w.Key}': Notion's query did not show the page just created ({w.Page.Id}) after {attempt} look(s); the pages it showed are compared with it.");
                        w.Result.TrySetResult(new Confirmation(holders.Append(w.Page).ToList(), null));
                    }
                }
                ask = again;
                if (ask.Count > 0) await _run.Time.Delay(_run.ConfirmRetryInterval).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            var why = ex is OberaConnectException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
            foreach (var w in batch) w.Result.TrySetResult(new Confirmation(new[] { w.Page }, why));
        }
    }

    /// <summary>
    /// The pages holding each asked key, by identity: one query for the batch, an "or" of the keys' conditions
    /// (<see cref="SyncTable.KeyFilters"/>, the filters the index read by keys uses too).
    /// </summary>
    private async Task<Dictionary<string, List<NotionPage>>> QueryAsync(IReadOnlyList<Waiting> ask)
    {
        var found = new Dictionary<string, List<NotionPage>>(StringComparer.Ordinal);
        var asked = new HashSet<string>(ask.Select(w => w.Identity), StringComparer.Ordinal);
        foreach (var batch in _table.KeyFilters(ask.Select(w => w.Key), _run.ConfirmBatch))
        {
            // Sorted by created_time: Notion orders by the time it keeps, finer than the minute its answers show.
            var query = NotionQuery.Where(batch.Filter).OrderBy(NotionSort.ByCreatedTime());
            await foreach (var page in _run.Notion.QueryAsync(_table.DataSourceId, query, CancellationToken.None).ConfigureAwait(false))
            {
                if (page.InTrash || _table.KeyOf(page) is not { } key || string.IsNullOrWhiteSpace(key)) continue;
                var identity = _table.Identity(key);
                // The conditions find a little more than the keys (a longer name holding the same words): only the keys count.
                if (!asked.Contains(identity)) continue;
                if (!found.TryGetValue(identity, out var list)) found[identity] = list = new List<NotionPage>();
                if (!list.Any(p => p.Id == page.Id)) list.Add(page);
            }
        }
        return found;
    }

    private sealed class Waiting
    {
        public Waiting(string key, string identity, NotionPage page, DateTimeOffset createdAt)
        {
            Key = key;
            Identity = identity;
            Page = page;
            CreatedAt = createdAt;
        }

        public string Key { get; }
        public string Identity { get; }
        public NotionPage Page { get; }
        public DateTimeOffset CreatedAt { get; }
        public TaskCompletionSource<Confirmation> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
