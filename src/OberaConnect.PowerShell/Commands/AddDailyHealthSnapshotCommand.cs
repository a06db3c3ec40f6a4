using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Adds the day's Daily Health snapshot of each site: one page per site per date, related to the site's
    /// Customer Sites page. Insert-only: a snapshot already there is never changed, so a rerun on the same day
    /// creates nothing. Only that date's pages are read.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "DailyHealthSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class AddDailyHealthSnapshotCommand : SiteStatusCmdletBase
    {
        private DailyHealthRecords? _records;
        private DateTime _date;

        /// <summary>The day the snapshots describe; today (this machine's time zone) when not given. Journaled snapshots keep their own day.</summary>
        [Parameter(ParameterSetName = InputSet)]
        [Parameter(ParameterSetName = SourceSet)]
        public DateTime? Date { get; set; }

        /// <summary>
        /// <para type="description">Takes a -Date (and journaled snapshot dates) before 2000 or more than a day ahead, which are otherwise refused as implausible.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowAnyTimestamp { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.DailyHealth;

        protected override NotionFilter? IndexScope()
        {
            // A -Date of year 1 would make every snapshot of the run wrong: refused before anything is read.
            if (Date is { } given && DailyHealthRecords.CheckDate(given, Connection, AllowAnyTimestamp) is { } implausible)
                ThrowSetupError(implausible, given);
            _date = Date?.Date ?? DailyHealthRecords.Today(Connection);
            if (!RetryFailed) return DailyHealthRecords.ScopeFor(_date);
            // Journaled snapshots keep their own dates: read those days' pages.
            return DailyHealthRecords.RetryScope(FailureJournal.For(Connection.Configuration, MyInvocation.MyCommand.Name).Read());
        }

        protected override void OnOpened()
        {
            _records = DailyHealthRecords.For(Connection, OpenSites(), _date, AllowAnyTimestamp);
            WriteVerbose($"Snapshots of {_date:yyyy-MM-dd}.");
        }

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput()
            => new[] { Records.Build(InputFromParameters()) };

        protected override IEnumerable<DesiredRecord> DefaultRecords()
        {
            var sites = ReadSites();
            WriteVerbose($"{sites.Count} site(s) read from {Source}.");
            return sites.Select(Records.Build);
        }

        protected override DesiredRecord? RecordFromJournal(JournalEntry entry)
            => DailyHealthRecords.FromJournal(entry) is { Site: not null } snapshot ? Records.Build(snapshot) : null;

        private DailyHealthRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
