using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// One sync cmdlet invocation around an <see cref="UpsertSession"/>: the failed-record journal
/// (-RetryFailed), one audit line per record, the summary, and the metrics textfile. Hosts plan,
/// approve and submit through it; <see cref="FinishAsync(CancellationToken)"/> records what happened.
/// </summary>
public sealed class SyncDriver
{
    private readonly List<SyncResult> _all = new();
    private readonly WorkspaceAudit _audit;
    private readonly object _gate = new();

    private readonly string? _stateDirectory;
    private readonly RequestTally _requests;

    private SyncDriver(SyncRun run, UpsertSession session, FailureJournal journal, WorkspaceAudit audit, string? metricsPath, string? stateDirectory, RequestTally requests)
    {
        _stateDirectory = stateDirectory;
        _requests = requests;
        Run = run;
        Session = session;
        Journal = journal;
        _audit = audit;
        MetricsPath = metricsPath;
    }

    public SyncRun Run { get; }
    public UpsertSession Session { get; }
    public FailureJournal Journal { get; }
    public string? MetricsPath { get; }

    /// <summary>Every result seen so far.</summary>
    public IReadOnlyList<SyncResult> Results { get { lock (_gate) return _all.ToList(); } }

    /// <summary>Opens the target database (reads its index) for <paramref name="operation"/>.</summary>
    public static async Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, DatabaseKey database,
        NotionFilter? scope, string correlationId, IEngineOutput output, CancellationToken cancellationToken)
    {
        // Every service's requests count from here: the sources (UniFi, NinjaOne) are read after the target opens.
        var requests = new RequestTally(connection.RequestStatistics);
        var notion = await connection.GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var table = await WorkspaceTables.ForAsync(notion, connection.Configuration, database, scope, cancellationToken).ConfigureAwait(false);
        var run = new SyncRun(operation, notion, correlationId, output, connection.Options.Time);
        var session = await UpsertSession.OpenAsync(run, table, cancellationToken).ConfigureAwait(false);
        var paths = connection.Configuration.Paths;
        var journal = FailureJournal.For(connection.Configuration, operation);
        var audit = WorkspaceAudit.Open(connection, operation, output);
        return new SyncDriver(run, session, journal, audit, paths.MetricsPath, paths.StateDirectory, requests);
    }

    /// <summary>Opens by the database's key name (for hosts that must not hold engine enums).</summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, string database,
        NotionFilter? scope, string correlationId, IEngineOutput output, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, (DatabaseKey)Enum.Parse(typeof(DatabaseKey), database), scope, correlationId, output, cancellationToken);

    /// <summary>
    /// Waits for every submitted write, handing each result to <paramref name="emit"/> as it finishes.
    /// Writes in flight are not cancelled (a create abandoned mid-request would have an unknown outcome).
    /// </summary>
    public async Task DrainAsync(Action<SyncResult> emit, CancellationToken cancellationToken)
    {
        while (Session.Busy)
        {
            foreach (var r in TakeCompleted()) emit(r);
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        // DrainAsync hands back what finished after the last poll: track and emit it, or those results would be lost.
        var rest = await Session.DrainAsync().ConfigureAwait(false);
        lock (_gate) _all.AddRange(rest);
        foreach (var r in rest) emit(r);
        foreach (var r in TakeCompleted()) emit(r);
    }

    /// <summary>
    /// A whole invocation for hosts without a pipeline thread (tools, benchmarks): plans each record, approves
    /// it (<paramref name="approve"/> plays ShouldProcess; null approves all), submits, then plans what
    /// <paramref name="afterInput"/> gives (marks of missing records), drains and finishes. Every result is in
    /// <see cref="Results"/>; the summary is returned.
    /// </summary>
    public async Task<SyncSummary> RunAsync(IEnumerable<DesiredRecord> records, Func<UpsertSession, IEnumerable<PlannedWrite>>? afterInput,
        Func<PlannedWrite, bool>? approve, CancellationToken cancellationToken)
    {
        void Handle(PlannedWrite plan)
        {
            if (plan.Kind == PlanKind.Done) Track(plan.Done!);
            else if (approve is null || approve(plan)) Session.Submit(plan, cancellationToken);
            else Track(Session.Decline(plan, "Declined."));
            TakeCompleted();
        }
        foreach (var record in records)
        {
            if (cancellationToken.IsCancellationRequested) break;
            Handle(Session.Plan(record));
        }
        if (afterInput != null && !cancellationToken.IsCancellationRequested)
            foreach (var plan in afterInput(Session)) Handle(plan);
        await DrainAsync(_ => { }, CancellationToken.None).ConfigureAwait(false);
        // Not cancellable: a stopped run still journals and audits what it did.
        return await FinishAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>True once <see cref="FinishAsync(CancellationToken)"/> has started: the run's outcome is being (or was) recorded.</summary>
    public bool Finished { get; private set; }

    /// <summary>
    /// Ends a run that was stopped before its end (Ctrl+C, a terminating error, a closed host): waits up to
    /// <paramref name="wait"/> for the writes in flight (never abandoned mid-request), then journals, audits and
    /// counts what happened exactly as <see cref="FinishAsync(CancellationToken)"/> does, so failures from before
    /// the stop are still retried by -RetryFailed. Records never reached are not touched (a full rerun is safe).
    /// Returns null when the run had already finished.
    /// </summary>
    public async Task<SyncSummary?> FinishStoppedAsync(TimeSpan wait)
    {
        if (Finished) return null;
        var rest = await Session.DrainAsync(wait).ConfigureAwait(false);
        lock (_gate) _all.AddRange(rest);
        TakeCompleted();
        return await FinishAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Inputs of the records a previous run could not write, as journaled (for -RetryFailed).</summary>
    public IReadOnlyList<JournalEntry> FailedEntries() => Journal.Read();

    /// <summary>Records a result the host produced itself (a record it could not even build, a declined write).</summary>
    public SyncResult Track(SyncResult result)
    {
        lock (_gate) _all.Add(result);
        return result;
    }

    /// <summary>Results completed since the last call, tracked.</summary>
    public IReadOnlyList<SyncResult> TakeCompleted()
    {
        var completed = Session.TakeCompleted();
        lock (_gate) _all.AddRange(completed);
        return completed;
    }

    /// <summary>
    /// Journals failures (removing records that now succeeded), writes the audit lines and the metrics,
    /// and returns the summary. Journal, audit and metrics problems are warnings: the sync itself happened.
    /// </summary>
    public Task<SyncSummary> FinishAsync(CancellationToken cancellationToken) => FinishAsync(null, cancellationToken);

    /// <inheritdoc cref="FinishAsync(CancellationToken)"/>
    public async Task<SyncSummary> FinishAsync(Func<SyncResult, JsonNode?>? serializeInput, CancellationToken cancellationToken)
    {
        Finished = true;
        var results = Results;
        var summary = Run.Summarize(Session.Table.Database, results);
        try
        {
            Journal.Apply(results, serializeInput ?? (r => SerializeInput(r.Input)), Run.Time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OberaConnectException)
        {
            Run.Output.Warning($"The failed-record journal {Journal.FilePath} could not be written ({ex.Message}); -RetryFailed will not know this run's failures, a full rerun is safe.");
        }
        foreach (var r in results) await _audit.RecordAsync(r, cancellationToken).ConfigureAwait(false);
        await _audit.RecordSummaryAsync(summary, cancellationToken).ConfigureAwait(false);
        SaveSiteNames();
        await RunMetrics.RecordAsync(MetricsPath, Run.Operation, summary.Failed == 0, _requests, Run.Time, Run.Output, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// After a run over the whole of Customer Sites, the site names it holds go to the local cache that -SiteName
    /// tab completion reads (<see cref="State.SiteNameCache"/>): completion stays offline and instant.
    /// </summary>
    private void SaveSiteNames()
    {
        if (_stateDirectory is null || Session.Table.Database != nameof(DatabaseKey.CustomerSites) || Session.Table.Scope != null) return;
        try
        {
            new State.SiteNameCache(_stateDirectory).Save(Session.IndexedKeys());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Run.Output.Warning($"The site-name cache in {_stateDirectory} could not be written ({ex.Message}); tab completion of site names keeps its old list.");
        }
    }

    /// <summary>Serializes a plain input object (the record a cmdlet built) for the journal.</summary>
    public static JsonNode? SerializeInput(object? input)
        => input is null ? null : JsonSerializer.SerializeToNode(input, input.GetType());
}
