using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// One sync cmdlet invocation around an <see cref="UpsertSession"/>: the failed-record journal
/// (-RetryFailed), the audit log, the summary, and the metrics textfile. Hosts plan,
/// approve and submit through it; <see cref="FinishAsync(CancellationToken)"/> records what happened.
/// <list type="bullet">
/// <item>The audit and journal folders are checked before anything is read or written (<see cref="RecordFolders"/>).</item>
/// <item>The audit is written ahead: an intent line before each request and its outcome right after, so a process
/// killed mid-run leaves a line for every write it sent; the next run of the same database reconciles intents that
/// never got an outcome (<see cref="AuditIntents"/>). Records that needed no request are audited at the end.</item>
/// <item>A preview (-WhatIf, <see cref="Preview"/>) writes nothing anywhere: no journal, audit, state, cache or metrics.</item>
/// </list>
/// </summary>
public sealed class SyncDriver
{
    private readonly List<SyncResult> _all = new();
    private readonly HashSet<SyncResult> _audited = new();
    private readonly WorkspaceAudit _audit;
    private readonly object _gate = new();

    private readonly State.WorkspaceNameCache _siteNames;
    private readonly State.WorkspaceNameCache _tools;
    private bool _stopped;
    private readonly RequestTally _requests;

    private SyncDriver(SyncRun run, UpsertSession session, FailureJournal journal, WorkspaceAudit audit, string? metricsPath,
        Configuration.OberaConnectConfiguration configuration, RequestTally requests, bool preview)
    {
        _siteNames = State.WorkspaceNameCache.SiteNames(configuration);
        _tools = State.WorkspaceNameCache.Tools(configuration);
        _requests = requests;
        Run = run;
        Session = session;
        Journal = journal;
        _audit = audit;
        MetricsPath = metricsPath;
        Preview = preview;
    }

    public SyncRun Run { get; }
    public UpsertSession Session { get; }
    public FailureJournal Journal { get; }
    public string? MetricsPath { get; }

    /// <summary>True for a -WhatIf run: nothing is written to Notion (hosts approve nothing) nor to any local file.</summary>
    public bool Preview { get; }

    /// <summary>Every result seen so far.</summary>
    public IReadOnlyList<SyncResult> Results { get { lock (_gate) return _all.ToList(); } }

    /// <summary>
    /// Stops a run whose audit or journal folder cannot be written (a Configuration error naming the folder and its setting),
    /// before anything is read: what <see cref="OpenAsync(OberaConnectConnection, string, DatabaseKey, NotionFilter?, string, IEngineOutput, bool, IndexRead?, CancellationToken)"/>
    /// checks first, for hosts that read other databases before opening this one.
    /// </summary>
    public static void EnsureRecordFolders(OberaConnectConnection connection) => RecordFolders.EnsureWritable(connection.Configuration, journal: true);

    /// <summary>Opens the target database (reads its index) for <paramref name="operation"/>.</summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, DatabaseKey database,
        NotionFilter? scope, string correlationId, IEngineOutput output, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, database, scope, correlationId, output, false, cancellationToken);

    /// <summary>
    /// Opens the target database (reads its index) for <paramref name="operation"/>; a <paramref name="preview"/> (-WhatIf)
    /// touches no local file. Otherwise an audit or journal folder that cannot be written stops the run here (a
    /// Configuration error naming the folder and its setting), before any request, and intents an earlier run of this
    /// database left without an outcome are reconciled.
    /// </summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, DatabaseKey database,
        NotionFilter? scope, string correlationId, IEngineOutput output, bool preview, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, database, scope, correlationId, output, preview, null, cancellationToken);

    /// <summary>
    /// <see cref="OpenAsync(OberaConnectConnection, string, DatabaseKey, NotionFilter?, string, IEngineOutput, bool, CancellationToken)"/>
    /// reading the index as <paramref name="read"/> says (null: every page; see <see cref="IndexRead.For"/>).
    /// </summary>
    public static async Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, DatabaseKey database,
        NotionFilter? scope, string correlationId, IEngineOutput output, bool preview, IndexRead? read, CancellationToken cancellationToken)
    {
        if (!preview) RecordFolders.EnsureWritable(connection.Configuration, journal: true);
        // A preview touches no local file, the request budget shared with other processes included: it paces alone.
        using var pacing = preview ? Http.RequestPacer.ThisProcessOnly() : null;
        // Every service's requests count from here: the sources (UniFi, NinjaOne) are read after the target opens.
        var requests = new RequestTally(connection.RequestStatistics);
        var notion = await connection.GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var table = await WorkspaceTables.ForAsync(notion, connection.Configuration, database, scope, cancellationToken).ConfigureAwait(false);
        var run = new SyncRun(operation, notion, correlationId, output, connection.Options.Time)
        {
            // Runs on this machine take turns at creating through the state directory; a preview creates nothing.
            CoordinationDirectory = preview ? null : connection.Configuration.Paths.StateDirectory,
            WriteLockTimeout = TimeSpan.FromSeconds(connection.Configuration.Notion.WriteLockTimeoutSeconds),
            Workspace = await NotionWorkspace.OpenAsync(connection, cancellationToken).ConfigureAwait(false),
        };
        var stateDirectory = connection.Configuration.Paths.StateDirectory;
        var sizes = stateDirectory is null ? null : new State.IndexSizes(stateDirectory);
        read = (read ?? IndexRead.Every("the caller asked for every page")).Cheaper(table, sizes?.Find(table.DataSourceId));
        var session = await UpsertSession.OpenAsync(run, table, read, cancellationToken).ConfigureAwait(false);
        // What a whole read found tells the next run whether its keys are cheaper to read; a preview writes no file.
        if (read.Whole && table.Scope is null && !preview && sizes != null)
        {
            try
            {
                sizes.Save(table.DataSourceId, session.IndexedPages);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                output.Verbose($"The page count of {table.Title} could not be kept in {sizes.FilePath} ({ex.Message}); the next small run reads its keys.");
            }
        }
        var paths = connection.Configuration.Paths;
        var journal = FailureJournal.For(connection.Configuration, operation);
        var audit = preview ? WorkspaceAudit.None : WorkspaceAudit.Open(connection, operation, correlationId, output);
        var driver = new SyncDriver(run, session, journal, audit, paths.MetricsPath, connection.Configuration, requests, preview);
        if (!preview)
        {
            await driver.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            session.BeforeWrite = driver.IntendAsync;
            session.AfterWrite = driver.WrittenAsync;
        }
        return driver;
    }

    /// <summary>Opens by the database's key name (for hosts that must not hold engine enums).</summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, string database,
        NotionFilter? scope, string correlationId, IEngineOutput output, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, database, scope, correlationId, output, false, cancellationToken);

    /// <summary>Opens by the database's key name (for hosts that must not hold engine enums), as a preview when asked.</summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, string database,
        NotionFilter? scope, string correlationId, IEngineOutput output, bool preview, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, database, scope, correlationId, output, preview, null, cancellationToken);

    /// <summary>Opens by the database's key name, reading the index as <paramref name="read"/> says (null: every page).</summary>
    public static Task<SyncDriver> OpenAsync(OberaConnectConnection connection, string operation, string database,
        NotionFilter? scope, string correlationId, IEngineOutput output, bool preview, IndexRead? read, CancellationToken cancellationToken)
        => OpenAsync(connection, operation, (DatabaseKey)Enum.Parse(typeof(DatabaseKey), database), scope, correlationId, output, preview, read, cancellationToken);

    /// <summary>
    /// Waits for every submitted write, handing each result to <paramref name="emit"/> as it finishes.
    /// Writes in flight are not cancelled (a create abandoned mid-request would have an unknown outcome).
    /// </summary>
    public async Task DrainAsync(Action<SyncResult> emit, CancellationToken cancellationToken)
    {
        // No more input: the creates waiting for their confirmation are confirmed now.
        Session.EndOfInput();
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
            foreach (var notice in plan.Notices) Run.Output.Warning(notice);
            if (plan.Kind == PlanKind.Done) Track(plan.Done!);
            else if (approve is null || approve(plan)) Session.Submit(plan, cancellationToken);
            else Track(Session.NotWritten(plan, Preview ? "Not written (-WhatIf)" : "Not written (declined)"));
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
        if (cancellationToken.IsCancellationRequested) _stopped = true;
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
        _stopped = true;
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
    /// Journals the failures a retry can fix (removing records that now succeeded), writes the audit lines not yet
    /// written and the run's own line (Stopped for a stopped run), saves the site-name cache and the metrics, and returns
    /// the summary. A preview does none of that. Journal, audit and metrics problems are warnings: the sync itself happened.
    /// </summary>
    public Task<SyncSummary> FinishAsync(CancellationToken cancellationToken) => FinishAsync(null, cancellationToken);

    /// <inheritdoc cref="FinishAsync(CancellationToken)"/>
    public async Task<SyncSummary> FinishAsync(Func<SyncResult, JsonNode?>? serializeInput, CancellationToken cancellationToken)
    {
        Finished = true;
        var results = Results;
        var summary = Run.Summarize(Session.Table.Database, results);
        summary.Preview = Preview;
        summary.Stopped = _stopped;
        if (Preview) return summary;
        try
        {
            var serialize = serializeInput ?? (r => SerializeInput(r.Input));
            Journal.Apply(results, r => SafeSerialize(serialize, r), Run.Time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OberaConnectException)
        {
            Run.Output.Warning($"The failed-record journal {Journal.FilePath} could not be written ({ex.Message}); -RetryFailed will not know this run's failures, a full rerun is safe.");
        }
        foreach (var r in results)
        {
            bool done;
            lock (_gate) done = _audited.Contains(r);
            if (!done) await _audit.RecordAsync(r, cancellationToken).ConfigureAwait(false);
        }
        await _audit.RecordSummaryAsync(summary, cancellationToken).ConfigureAwait(false);
        SaveSiteNames();
        ForgetTools(results);
        await RunMetrics.RecordAsync(MetricsPath, Run.Operation, summary.Failed == 0, _requests, Run.Time, Run.Output, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>Write-ahead: the intent line of a write about to be sent.</summary>
    private Task IntendAsync(PlannedWrite plan)
        => Guarded(() => _audit.RecordIntentAsync(Session.Table.Database, plan.Record.Key, plan.Action, CancellationToken.None));

    /// <summary>The outcome line of a sent write, as soon as it is known.</summary>
    private Task WrittenAsync(SyncResult result)
    {
        lock (_gate) _audited.Add(result);
        return Guarded(() => _audit.RecordAsync(result, CancellationToken.None));
    }

    // An audit line must never cost a record its result: the audit reports its own problems as warnings.
    private async Task Guarded(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OberaConnectException)
        {
            Run.Output.Warning("The audit log could not be written: " + ex.Message);
        }
    }

    /// <summary>
    /// Settles the intents an earlier run of this database left without an outcome (its process was killed mid-request):
    /// each is looked up in Notion by its key and a Reconciled line says whether the page is there. This run then plans
    /// every record against what Notion holds, so nothing is written twice.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_audit.Directory is not { } directory) return;
        IReadOnlyList<PendingIntent> pending;
        try
        {
            pending = AuditIntents.Pending(directory, Session.Table.Database, Run.Time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Run.Output.Warning($"The audit log in {directory} could not be read to reconcile earlier runs ({ex.Message}).");
            return;
        }
        foreach (var intent in pending)
        {
            var table = Session.Table;
            string? pageId = null;
            if (table.KeyKind != KeyKind.Number || double.TryParse(intent.Key, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                var check = table.DuplicateCheckFor(intent.Key);
                await foreach (var page in Run.Notion.QueryAsync(table.DataSourceId, NotionQuery.Where(check.Filter!), cancellationToken).ConfigureAwait(false))
                {
                    if (page.InTrash || (check.Match != null && !check.Match(page))) continue;
                    pageId = page.Id;
                    break;
                }
            }
            var created = (intent.Action ?? "").StartsWith("Create", StringComparison.Ordinal);
            var message = $"The run {intent.CorrelationId} (process {intent.ProcessId} on {intent.Host}) ended before recording the outcome of '{intent.Action}'. " +
                          (pageId is null
                              ? "No page holds this key: the write never landed; this or a later run writes it."
                              : created
                                  ? $"Page {pageId} holds this key: the create landed."
                                  : $"Page {pageId} holds this key; whether the update landed is unknown, and this run compares the page again.");
            await _audit.RecordReconciledAsync(intent, message, cancellationToken).ConfigureAwait(false);
            Run.Output.Warning($"{table.Title} '{intent.Key}': {message}");
        }
    }

    /// <summary>
    /// After a run over Customer Sites, the site names it holds go to the local cache that -Site / -SiteName tab completion
    /// reads (<see cref="State.WorkspaceNameCache"/>): completion stays offline and instant, and current. A run that read only
    /// its keys adds its sites to the names cached before.
    /// </summary>
    private void SaveSiteNames()
    {
        if (Session.Table.Database != nameof(DatabaseKey.CustomerSites) || Session.Table.Scope != null) return;
        try
        {
            var names = Session.IndexedKeys();
            // A read by keys knows only this run's sites: they are added to the names cached before (this run's spelling
            // of a site wins), never put in their place.
            if (!Session.WholeIndex)
            {
                var these = new HashSet<string>(names.Select(Session.Table.Identity), StringComparer.Ordinal);
                names = names.Concat(_siteNames.Load().Where(n => !these.Contains(Session.Table.Identity(n)))).ToList();
            }
            _siteNames.Save(names);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Run.Output.Warning($"The site-name cache {_siteNames.FilePath} could not be written ({ex.Message}); tab completion of site names keeps its old list.");
        }
    }

    /// <summary>
    /// A change written to Config Changes may have brought a tool Notion had no option for: the cached tools are
    /// dropped, so the next Tab after -Tool reads them again.
    /// </summary>
    private void ForgetTools(IReadOnlyList<SyncResult> results)
    {
        if (Session.Table.Database != nameof(DatabaseKey.ConfigChanges) || !results.Any(r => r.StatusValue == SyncStatus.Created)) return;
        try
        {
            if (File.Exists(_tools.FilePath)) File.Delete(_tools.FilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Run.Output.Verbose($"The tool cache {_tools.FilePath} could not be removed ({ex.Message}); tab completion of -Tool refreshes it within {State.CompletionNames.TimeToLive.TotalMinutes:0} minutes.");
        }
    }

    /// <summary>Serializes a plain input object (the record a cmdlet built) for the journal; NaN and infinities are written as their names.</summary>
    public static JsonNode? SerializeInput(object? input)
        => input is null ? null : JsonSerializer.SerializeToNode(input, input.GetType(), JournalInput.Options);

    /// <summary>
    /// One record's input for the journal, never an exception: an input that cannot be written as JSON (an object the host
    /// passed through, a cycle) is journaled without it, so the run still journals its other failures and writes its
    /// audit lines; -RetryFailed then reports that entry as not rebuildable instead of guessing.
    /// </summary>
    private JsonNode? SafeSerialize(Func<SyncResult, JsonNode?> serialize, SyncResult result)
    {
        try
        {
            return serialize(result);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException or JsonException)
        {
            Run.Output.Verbose($"The input of {result.Database} '{result.Key}' could not be written to the journal ({ex.GetType().Name}); it is journaled without it.");
            return null;
        }
    }
}
