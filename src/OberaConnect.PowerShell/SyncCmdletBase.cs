using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that write records into a workspace database. The engine decides everything
    /// (<see cref="SyncDriver"/>, <see cref="UpsertSession"/>); this class only keeps PowerShell's rules:
    /// each record is planned on the pipeline thread, approved with one ShouldProcess naming the page and
    /// the properties that would change (that is -WhatIf and -Confirm), written by the engine a few at a
    /// time, and reported as one <see cref="SyncResult"/> (Failed ones also as a non-terminating error
    /// whose target is the input). The summary goes to the Information stream, and with -Summary to the
    /// output as well. -RetryFailed re-runs exactly the records the journal holds.
    /// </summary>
    public abstract class SyncCmdletBase : OberaConnectConnectedCmdlet
    {
        /// <summary>How long a stopped run waits for its writes in flight before recording what happened.</summary>
        private static readonly TimeSpan StoppedWritesWait = TimeSpan.FromSeconds(30);

        private SyncDriver? _driver;
        private bool _sawInput;
        private int _done;
        private int _created;
        private int _updated;
        private int _unchanged;
        private int _skipped;
        private int _failed;

        /// <summary>
        /// <para type="description">Re-runs only the records that failed in earlier runs (kept in the local journal), and nothing else.</para>
        /// </summary>
        [Parameter]
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

        /// <summary>The records to write when nothing was piped (for example read from the configured sources).</summary>
        protected virtual IEnumerable<DesiredRecord> DefaultRecords() => Array.Empty<DesiredRecord>();

        /// <summary>Rebuilds a journaled record for -RetryFailed; null when the entry cannot be used (reported as a warning).</summary>
        protected abstract DesiredRecord? RecordFromJournal(JournalEntry entry);

        /// <summary>Called once the target is open, before any record is planned (open what records refer to, such as Customer Sites).</summary>
        protected virtual void OnOpened() { }

        /// <summary>Called after the last input record was planned, before waiting for the writes (plan marks of missing records here).</summary>
        protected virtual void OnInputEnd() { }

        /// <summary>The driver of this invocation (after BeginProcessing).</summary>
        protected SyncDriver Driver => _driver ?? throw new InvalidOperationException("The sync was not opened.");

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var connection = Connection;
            var name = MyInvocation.MyCommand.Name;
            // A name, not the enum: cmdlet-assembly closures must not hold engine value types (see the base class).
            var database = TargetDatabase().ToString();
            var scope = IndexScope();
            try
            {
                _driver = RunEngine((queue, token) => SyncDriver.OpenAsync(connection, name, database, scope, CorrelationId, queue.Output, token));
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, database);
            }
            OnOpened();
            if (RetryFailed)
            {
                var entries = Driver.FailedEntries();
                WriteVerbose($"{entries.Count} journaled record(s) to retry from {Driver.Journal.FilePath}.");
                foreach (var entry in entries)
                {
                    var record = RecordFromJournal(entry);
                    if (record is null) WriteWarning($"Journal entry '{entry.Key}' could not be rebuilt and was left in the journal.");
                    else Process(record);
                }
            }
        }

        protected override void ProcessRecord()
        {
            if (RetryFailed) return;
            foreach (var record in RecordsFromInput())
            {
                _sawInput = true;
                Process(record);
            }
        }

        protected override void EndProcessing()
        {
            if (!RetryFailed && !_sawInput)
                foreach (var record in DefaultRecords()) Process(record);
            OnInputEnd();

            var driver = Driver;
            // Results that finish while draining go through Emit on the pipeline thread like the others
            // (a failed write is an error record too, and counts in the progress).
            RunEngine((queue, token) => driver.DrainAsync(r => queue.Post(_ => Emit(r)), token));
            var summary = RunEngine((queue, token) => driver.FinishAsync(token));
            WriteProgress(new ProgressRecord(2, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
            WriteInformation(summary.ToString(), new[] { "OberaConnect", "Summary" });
            if (Summary) WriteObject(summary);
        }

        /// <summary>Plans one record, asks ShouldProcess, and submits or reports it.</summary>
        protected void Process(DesiredRecord record) => Process(Driver.Session.Plan(record), null);

        /// <summary>Asks ShouldProcess for a planned write (with <paramref name="action"/> instead of the plan's own words when given), and submits or reports it.</summary>
        protected void Process(PlannedWrite plan, string? action)
        {
            // Ctrl+C stops between records: nothing more is planned or submitted (Dispose records what was done).
            if (Stopping) throw new PipelineStoppedException();
            var driver = Driver;
            // What the validation step changed under a documented rule, and a key kept or renamed, never go unsaid.
            foreach (var notice in plan.Notices) WriteWarning(notice);
            if (plan.Kind == PlanKind.Done)
            {
                Emit(driver.Track(plan.Done!));
            }
            else if (ShouldProcess(plan.Target, action ?? plan.Action))
            {
                driver.Session.Submit(plan, CancellationToken);
            }
            else
            {
                // -WhatIf already printed the plan; the record counts as skipped in the summary.
                driver.Track(driver.Session.Decline(plan, "Not written (-WhatIf or -Confirm)."));
            }
            foreach (var r in driver.TakeCompleted()) Emit(r);
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
            Count(result);
            WriteObject(result);
            if (result.Status == SyncStatus.Failed)
            {
                var error = result.Exception ?? new OberaConnectException(result.ErrorId ?? "SyncRecordFailed", FailureKind.Unknown, result.Error ?? "The record failed.");
                WriteItemError(error, result.Input ?? result.Key);
            }
            if (_done % 10 == 0)
                WriteProgress(new ProgressRecord(2, MyInvocation.MyCommand.Name, ProgressText()));
        }

        private void Count(SyncResult result)
        {
            _done++;
            switch (result.Status)
            {
                case SyncStatus.Created: _created++; break;
                case SyncStatus.Updated: _updated++; break;
                case SyncStatus.Unchanged: _unchanged++; break;
                case SyncStatus.Skipped: _skipped++; break;
                default: _failed++; break;
            }
        }

        private string ProgressText()
            => $"{_done} record(s) done: {_created} created, {_updated} updated, {_unchanged} unchanged, {_skipped} skipped, {_failed} failed";

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
