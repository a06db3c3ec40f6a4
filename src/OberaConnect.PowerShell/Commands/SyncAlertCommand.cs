using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Keeps Alerts in step with NinjaOne: one page per alert uid, created Open, related to its site. Alerts
    /// come from the pipeline (SiteAlert objects, CSV rows) or, with nothing piped, from NinjaOne as configured
    /// (-Source). An alert Open in Notion that a covered site no longer lists is marked Resolved with Resolved At
    /// (one ShouldProcess each); pages are never deleted.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "Alert", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class SyncAlertCommand : SiteSyncCmdletBase
    {
        private AlertRecords? _records;

        [Parameter(ParameterSetName = InputSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Uid")]
        public object? AlertId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public object? SiteName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? DeviceName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SeverityCompleter))]
        public object? Severity { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? Subject { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? Message { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? SourceType { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Created")]
        public object? CreatedAt { get; set; }

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

        /// <summary>
        /// <para type="description">Takes a CreatedAt before 2000 or more than a day ahead, which is otherwise refused as implausible.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowAnyTimestamp { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.Alerts;

        protected override NotionFilter? IndexScope() => AlertRecords.ScopeFor(Connection);

        // Open alerts of the covered sites that the input does not name are resolved: that needs every page in scope.
        protected override string? MustReadEveryPage()
            => RetryFailed || SkipMissing ? null : "the open alerts of the input's sites that the input does not name are marked " + AlertRecords.ResolvedStatus + "; -SkipMissing reads only the input's keys";

        protected override void OnOpened() => _records = AlertRecords.For(Connection, OpenSites(), AllowAnyTimestamp);

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput()
        {
            // Record values are typed object: the engine converts each exactly and names what it refuses (see SyncCmdletBase.Raw).
            return new[] { Records.Build(AlertInput.FromValues(new Dictionary<string, object?>
            {
                [nameof(AlertId)] = Raw(AlertId),
                [nameof(SiteName)] = Raw(SiteName),
                [nameof(DeviceName)] = Raw(DeviceName),
                [nameof(Severity)] = Raw(Severity),
                [nameof(Subject)] = Raw(Subject),
                [nameof(Message)] = Raw(Message),
                [nameof(SourceType)] = Raw(SourceType),
                [nameof(CreatedAt)] = Raw(CreatedAt),
            })) };
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
