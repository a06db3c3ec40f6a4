using System.Diagnostics;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that write records into a workspace database. The engine decides everything
    /// (<see cref="SyncDriver"/>, <see cref="UpsertSession"/>); this class only keeps PowerShell's rules:
    /// each record is planned on the pipeline thread, approved with one ShouldProcess naming the record as
    /// people do and what would change (that is -WhatIf and -Confirm), written by the engine a few at a
    /// time, and reported as one <see cref="SyncResult"/> (Failed ones also as a non-terminating error
    /// whose target is the input). The summary goes to the Information stream, and with -Summary to the
    /// output as well.
    /// Three parameter sets: <see cref="InputSet"/> (records piped in or given as parameters: an empty pipeline
    /// writes nothing, and an object that binds to no parameter is PowerShell's per-item error), <see cref="SourceSet"/>
    /// (the records read from -Source; nothing may be piped in with it) and <see cref="RetryFailedSet"/> (exactly the
    /// records the journal holds). -WhatIf is a pure preview: one Skipped result per record saying what would happen,
    /// and no file written anywhere; a write declined at the -Confirm prompt is a Skipped result too.
    /// Results come out in the order of the input (<see cref="InputOrder"/>) although the writes behind them run a few
    /// at a time; progress says how many of how many, the percentage and the time left when the total is known.
    /// </summary>
    public abstract class SyncCmdletBase : OberaConnectConnectedCmdlet
    {
        /// <summary>The parameter set of records piped in or given as parameters.</summary>
        protected const string InputSet = "Input";

        /// <summary>The parameter set that reads the records from -Source (only where the cmdlet has one).</summary>
        protected const string SourceSet = "Source";

        /// <summary>The parameter set of -RetryFailed.</summary>
        protected const string RetryFailedSet = "RetryFailed";

        /// <summary>How long a stopped run waits for its writes in flight before recording what happened.</summary>
        private static readonly TimeSpan StoppedWritesWait = TimeSpan.FromSeconds(30);

        /// <summary>Progress activity id of the records of a sync.</summary>
        private const int RecordsActivity = 2;

        private SyncDriver? _driver;
        private bool _sawInput;
        private readonly InputOrder _order = new InputOrder();
        private readonly RecordProgress _progress = new RecordProgress();
        private readonly Stopwatch _clock = new Stopwatch();
        private DateTime _lastProgress = DateTime.MinValue;

        /// <summary>
        /// <para type="description">Re-runs only the records that failed in earlier runs for a reason a retry can fix (kept in the local journal), and nothing else.</para>
        /// </summary>
        [Parameter(ParameterSetName = RetryFailedSet, Mandatory = true)]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>
        /// <para type="description">Also writes the run's summary (counts, requests, 429s, duration) to the output after the records.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <summary>The workspace database written to.</summary>
        protected abstract DatabaseKey TargetDatabase();

        /// <summary>Limits the index read to the part of the database this run can affect (for example one date).</summary>
        protected virtual NotionFilter? IndexScope() => null;

        /// <summary>The records the current pipeline input (or the bound parameters) stands for.</summary>
        protected abstract IEnumerable<DesiredRecord> RecordsFromInput();

        /// <summary>The records of the <see cref="SourceSet"/> (for example read from the configured sources).</summary>
        protected virtual IEnumerable<DesiredRecord> DefaultRecords() => Array.Empty<DesiredRecord>();

        /// <summary>Rebuilds a journaled record for -RetryFailed; null when the entry cannot be used (reported as a warning).</summary>
        protected abstract DesiredRecord? RecordFromJournal(JournalEntry entry);

        /// <summary>Called once the target is open, before any record is planned (open what records refer to, such as Customer Sites).</summary>
        protected virtual void OnOpened() { }

        /// <summary>Called after the last input record was planned, before waiting for the writes (plan marks of missing records here).</summary>
        protected virtual void OnInputEnd() { }

        /// <summary>The driver of this invocation (after BeginProcessing).</summary>
        protected SyncDriver Driver => _driver ?? throw new InvalidOperationException("The sync was not opened.");

        /// <summary>
        /// Why this run must read every page of its database whatever its input (it marks pages no record names, such as
        /// devices gone from the source), or null when a small input may read only its keys (see <see cref="IndexRead"/>).
        /// </summary>
        protected virtual string? MustReadEveryPage() => null;

        // The Input set reads ahead up to notion.keyReadLimit records before it opens the database: a small input reads
        // only its keys, a larger one every page, and then streams on. Null once the database is open.
        private List<DesiredRecord>? _ahead;
        private NotionFilter? _scope;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var name = MyInvocation.MyCommand.Name;
            if (ParameterSetName == SourceSet && MyInvocation.ExpectingInput)
            {
                // Never mix the two: piped objects that bind to nothing must not turn into a run over the whole source.
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"{name} -Source reads the records itself, so nothing can be piped into it. Pipe the records in without -Source, or run {name} -Source without a pipeline."),
                    "PipelineInputWithSource", ErrorCategory.InvalidArgument, null));
            }
            _scope = IndexScope();
            // The audit and journal folders are checked before anything is read, as opening the database would.
            if (!IsWhatIf)
            {
                try
                {
                    SyncDriver.EnsureRecordFolders(Connection);
                }
                catch (OberaConnectException ex)
                {
                    ThrowSetupError(ex, TargetDatabase().ToString());
                }
            }
            OnOpened();
            if (RetryFailed)
            {
                var entries = FailedEntries();
                var records = new List<DesiredRecord>();
                foreach (var entry in entries)
                {
                    var record = RecordFromJournal(entry);
                    if (record is null) WriteWarning($"Journal entry '{entry.Key}' could not be rebuilt and was left in the journal.");
                    else records.Add(record);
                }
                Open(IndexRead.For(records, MustReadEveryPage(), KeyReadLimit));
                // The journal gives the total: progress says how many of how many, and the time left.
                _progress.Expect(records.Count);
                foreach (var record in records) Process(record);
            }
            else if (ParameterSetName == SourceSet)
                Open(IndexRead.Every(MustReadEveryPage() ?? $"a run from -Source covers the whole database"));
            else if (MustReadEveryPage() is { } every)
                Open(IndexRead.Every(every));
            else if (KeyReadLimit == 0)
                Open(IndexRead.Every("notion.keyReadLimit is 0: every record is written as it arrives"));
            else
                _ahead = new List<DesiredRecord>();
        }

        /// <summary>Records read ahead before the database is read (notion.keyReadLimit): at most this many read only their keys.</summary>
        private int KeyReadLimit => Connection.Configuration.Notion.KeyReadLimit;

        /// <summary>The journal of this cmdlet's failed records (-RetryFailed), read before the database is opened.</summary>
        private IReadOnlyList<JournalEntry> FailedEntries()
        {
            var journal = FailureJournal.For(Connection.Configuration, MyInvocation.MyCommand.Name);
            var entries = journal.Read();
            WriteVerbose($"{entries.Count} journaled record(s) to retry from {journal.FilePath}.");
            return entries;
        }

        /// <summary>Opens the target database, reading its index as <paramref name="read"/> says, and plans the records read ahead.</summary>
        private void Open(IndexRead read)
        {
            var connection = Connection;
            var name = MyInvocation.MyCommand.Name;
            // A name, not the enum: cmdlet-assembly closures must not hold engine value types (see the base class).
            var database = TargetDatabase().ToString();
            var scope = _scope;
            var preview = IsWhatIf;
            try
            {
                // The run reports for as long as it writes, past this call: through the invocation's relay, not this call's queue.
                var output = InvocationOutput;
                _driver = RunEngine((_, token) => SyncDriver.OpenAsync(connection, name, database, scope, CorrelationId, output, preview, read, token));
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, database);
            }
            var ahead = _ahead;
            _ahead = null;
            if (ahead != null)
                foreach (var record in ahead) Process(record);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != InputSet) return;
            foreach (var record in RecordsFromInput())
            {
                _sawInput = true;
                if (_ahead is null)
                {
                    Process(record);
                    continue;
                }
                // Ctrl+C stops reading ahead too: nothing was opened or written yet.
                if (Stopping) throw new PipelineStoppedException();
                _ahead.Add(record);
                if (_ahead.Count > KeyReadLimit) Open(IndexRead.For(_ahead, null, KeyReadLimit));
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == SourceSet)
            {
                // Read whole, so the total is known: progress then says how many of how many, and the time left.
                var records = DefaultRecords().ToList();
                _progress.Expect(records.Count);
                foreach (var record in records) Process(record);
            }
            else if (ParameterSetName == InputSet && !_sawInput)
                WriteVerbose("Nothing was piped in (an empty pipeline or file), so there is no record to write: nothing was written.");
            // The whole input is in: a small one reads only its keys.
            if (_ahead != null) Open(IndexRead.For(_ahead, null, KeyReadLimit));
            OnInputEnd();

            var driver = Driver;
            // Results that finish while draining take their place in the input order on the pipeline thread like the
            // others (a failed write is an error record too, and counts in the progress).
            RunEngine((queue, token) => driver.DrainAsync(r => queue.Post(_ => Completed(r)), token));
            EmitReady();
            var summary = RunEngine((queue, token) => driver.FinishAsync(token));
            ShowProgress(force: true);
            WriteProgress(new ProgressRecord(RecordsActivity, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
            WriteInformation(summary.ToString(), new[] { "OberaConnect", "Summary" });
            if (Summary) WriteObject(summary);
        }

        /// <summary>Plans one record, asks ShouldProcess, and submits or reports it.</summary>
        protected void Process(DesiredRecord record) => Process(Driver.Session.Plan(record), null);

        /// <summary>
        /// Asks ShouldProcess for a planned write (with <paramref name="action"/> instead of the plan's own words when given), and
        /// submits or reports it. Under -WhatIf every record, whatever its plan, is one Skipped result saying what would happen
        /// (a record that would fail is such a result, not an error record).
        /// </summary>
        protected void Process(PlannedWrite plan, string? action)
        {
            // Ctrl+C stops between records: nothing more is planned or submitted (Dispose records what was done).
            if (Stopping) throw new PipelineStoppedException();
            if (!_clock.IsRunning) _clock.Start();
            var driver = Driver;
            // What the validation step changed under a documented rule, and a key kept or renamed, never go unsaid.
            foreach (var notice in plan.Notices) WriteWarning(notice);
            if (driver.Preview)
            {
                // ShouldProcess prints the "What if:" line of each write; the result object says the same for every record.
                if (plan.Kind != PlanKind.Done) ShouldProcess(plan.Target, action ?? plan.Action);
                Release(driver.Track(driver.Session.NotWritten(plan, "Not written (-WhatIf)")));
            }
            else if (plan.Kind == PlanKind.Done)
            {
                Release(driver.Track(plan.Done!));
            }
            else if (ShouldProcess(plan.Target, action ?? plan.Action))
            {
                // The write runs on the engine's threads: under -Debug its HTTP exchanges are observed too.
                using (ObserveHttp()) driver.Session.Submit(plan, CancellationToken);
                _order.Pending(plan.Record.Key);
            }
            else
            {
                Release(driver.Track(driver.Session.NotWritten(plan, "Not written (declined at the -Confirm prompt)")));
            }
            foreach (var r in driver.TakeCompleted()) Completed(r);
            // The run's writes report between pipeline calls (a wait for another run's write lock, a merge): said here, in order.
            DeliverRelayed();
            FlushObserved();
        }

        /// <summary>A result known now: it follows the results of the records before it.</summary>
        private void Release(SyncResult result)
        {
            _order.Ready(result);
            EmitReady();
        }

        /// <summary>The result of a submitted write: it fills its record's place, and what is in order goes out.</summary>
        private void Completed(SyncResult result)
        {
            if (!_order.Complete(result.Key, result)) Emit(result);
            EmitReady();
        }

        private void EmitReady()
        {
            foreach (var item in _order.TakeReady()) Emit(item);
        }

        /// <summary>
        /// A bound value as the engine's input conversion takes it: the object inside a PSObject wrapper. Record parameters are
        /// typed object so that PowerShell neither drops a value it cannot convert nor rounds one: the engine converts exactly and
        /// names what it refuses (see InputValue).
        /// </summary>
        protected static object? Raw(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>Writes a result, and for a failed one the error record too.</summary>
        protected void Emit(object item)
        {
            if (item is not SyncResult result)
            {
                WriteObject(item);
                return;
            }
            _progress.Count(result.Status);
            WriteObject(result);
            if (result.StatusValue == SyncStatus.Failed)
            {
                var error = result.Exception ?? new OberaConnectException(result.ErrorId ?? "SyncRecordFailed", FailureKind.Unknown, result.Error ?? "The record failed.");
                WriteItemError(error, result.Input ?? result.Key);
            }
            ShowProgress(force: false);
        }

        // At most about four updates a second: PowerShell redraws the bar on each, and a fast run has thousands of records.
        private void ShowProgress(bool force)
        {
            var now = DateTime.UtcNow;
            if (!force && (now - _lastProgress).TotalMilliseconds < 250) return;
            if (_progress.Done == 0 || !ProgressWanted) return;
            _lastProgress = now;
            WriteProgress(new ProgressRecord(RecordsActivity, MyInvocation.MyCommand.Name, _progress.Status(_clock.Elapsed))
            {
                PercentComplete = _progress.PercentComplete,
                SecondsRemaining = _progress.SecondsRemaining(_clock.Elapsed),
            });
        }

        /// <summary>
        /// A run stopped before EndProcessing (Ctrl+C, a terminating error) still journals its failures and writes
        /// its audit lines: the engine waits for the writes in flight, then records what happened. The host is gone,
        /// so nothing is written to it; a full rerun is always safe.
        /// </summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing && _driver is { Finished: false } driver)
            {
                try
                {
                    driver.FinishStoppedAsync(StoppedWritesWait).Wait();
                }
                catch (AggregateException)
                {
                    // Dispose must not throw and the host is gone: nowhere left to report to. A full rerun is safe.
                }
            }
            base.Dispose(disposing);
        }
    }
}
