using System.Management.Automation;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Keeps Alerts in step with NinjaOne: one page per alert uid, created Open, related to its site. Alerts
    /// come from the pipeline (SiteAlert objects, CSV rows) or, with nothing piped, from NinjaOne as configured
    /// (-Source). An alert Open in Notion that a covered site no longer lists is marked Resolved with Resolved At
    /// (one ShouldProcess each); pages are never deleted.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "Alert", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class SyncAlertCommand : SiteSyncCmdletBase
    {
        private AlertRecords? _records;

        [Parameter(ParameterSetName = InputSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Uid")]
        public string? AlertId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? SiteName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? DeviceName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? Severity { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? Subject { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? Message { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? SourceType { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Created")]
        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>Where alerts are read from (the Source parameter set; nothing may be piped in with it).</summary>
        [Parameter(ParameterSetName = SourceSet)]
        [ValidateSet("Configured", "Sample")]
        public string Source { get; set; } = "Configured";

        [Parameter(ParameterSetName = SourceSet)]
        [ValidateRange(0, 100000)]
        public int? Day { get; set; }

        /// <summary>Leaves open alerts missing from the input as they are (for a filtered or partial input).</summary>
        [Parameter(ParameterSetName = InputSet)]
        [Parameter(ParameterSetName = SourceSet)]
        public SwitchParameter SkipMissing { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.Alerts;

        protected override NotionFilter? IndexScope() => AlertRecords.ScopeFor(Connection);

        protected override void OnOpened() => _records = AlertRecords.For(Connection, OpenSites());

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput()
        {
            return new[] { Records.Build(new AlertInput
            {
                AlertId = AlertId,
                SiteName = SiteName,
                DeviceName = DeviceName,
                Severity = Severity,
                Subject = Subject,
                Message = Message,
                SourceType = SourceType,
                CreatedAt = CreatedAt,
            }) };
        }

        protected override IEnumerable<DesiredRecord> DefaultRecords()
        {
            var source = Source;
            var day = Day;
            var batch = ReadSources((connection, token) => SyncSources.AlertsAsync(connection, source, day, token), source);
            WriteVerbose($"{batch.Items.Count} open alert(s) read from {source}; {batch.CoveredSites.Count} site(s) covered.");
            foreach (var site in batch.CoveredSites) Records.Cover(site);
            return batch.Items.Select(Records.Build);
        }

        protected override void OnInputEnd()
        {
            if (RetryFailed || SkipMissing) return;
            foreach (var plan in Records.PlanResolved(Driver.Session)) Process(plan, "Mark " + AlertRecords.ResolvedStatus);
        }

        protected override DesiredRecord? RecordFromJournal(JournalEntry entry)
            => AlertInput.FromJournal(entry) is { } input ? Records.Build(input) : null;

        private AlertRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
