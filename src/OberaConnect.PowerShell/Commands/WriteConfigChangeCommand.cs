using System.Management.Automation;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Writes configuration changes to the Config Changes audit log, one page per change, related to the site.
    /// The log is immutable: a Change ID already there is never modified. Without -ChangeId the id is derived
    /// from the content, so importing the same CSV row again adds nothing. One change from the command line
    /// reads only its own id; piped rows read the log once.
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "ConfigChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class WriteConfigChangeCommand : SiteSyncCmdletBase
    {
        private ConfigChangeRecords? _records;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        public string? Site { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public string? Tool { get; set; }

        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        public string? Action { get; set; }

        [Parameter(Position = 3, ValueFromPipelineByPropertyName = true)]
        [Alias("User")]
        public string? Engineer { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Time", "Date")]
        public DateTimeOffset? Timestamp { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Description")]
        public string? Details { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string? ChangeId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Device", "Target")]
        public string? TargetDevice { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Ticket { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Result { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.ConfigChanges;

        protected override NotionFilter? IndexScope()
        {
            _records = ConfigChangeRecords.For(Connection);
            if (RetryFailed) return ConfigChangeRecords.RetryScope(FailureJournal.For(Connection.Configuration, MyInvocation.MyCommand.Name).Read());
            // Piped rows: read the log once. One change from the command line: read only its own id.
            if (MyInvocation.ExpectingInput) return null;
            return _records.KeyOf(CurrentInput()) is { } key ? ConfigChangeRecords.ScopeFor(key) : null;
        }

        // Keeps the default timestamp the scope was computed with, so the id read is the id written.
        protected override void OnOpened() => _records = Records.WithSites(OpenSites());

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput() => new[] { Records.Build(CurrentInput()) };

        protected override DesiredRecord? RecordFromJournal(JournalEntry entry)
            => ConfigChangeInput.FromJournal(entry) is { } input ? Records.Build(input) : null;

        private ConfigChangeInput CurrentInput() => new ConfigChangeInput
        {
            Site = Site,
            Tool = Tool,
            Action = Action,
            Engineer = Engineer,
            Timestamp = Timestamp,
            Details = Details,
            ChangeId = ChangeId,
            TargetDevice = TargetDevice,
            Ticket = Ticket,
            Result = Result,
        };

        private ConfigChangeRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
