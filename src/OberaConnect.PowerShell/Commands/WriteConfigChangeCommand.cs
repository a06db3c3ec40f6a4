using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Writes configuration changes to the Config Changes audit log, one page per change, related to the site.
    /// The log is immutable: a Change ID already there is never modified. Without -ChangeId the id is derived
    /// from the content, so importing the same CSV row again adds nothing. One change from the command line
    /// reads only its own id; up to 100 piped rows read only their ids (see IndexRead), more read the log once. Site, Tool and Action are mandatory (a piped row missing one is
    /// PowerShell's per-item binding error); Engineer defaults to the account running the command.
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "ConfigChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class WriteConfigChangeCommand : SiteSyncCmdletBase
    {
        private ConfigChangeRecords? _records;

        [Parameter(ParameterSetName = InputSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public object? Site { get; set; }

        [Parameter(ParameterSetName = InputSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ToolCompleter))]
        public object? Tool { get; set; }

        [Parameter(ParameterSetName = InputSet, Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ChangeActionCompleter))]
        public object? Action { get; set; }

        /// <summary>Who made the change; the account running the command ([Environment]::UserName) when not given.</summary>
        [Parameter(ParameterSetName = InputSet, Position = 3, ValueFromPipelineByPropertyName = true)]
        [Alias("User")]
        [ValidateNotNullOrEmpty]
        public object? Engineer { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Time", "Date")]
        public object? Timestamp { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Description")]
        public object? Details { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public object? ChangeId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Device", "Target")]
        public object? TargetDevice { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? Ticket { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ChangeResultCompleter))]
        public object? Result { get; set; }

        /// <summary>
        /// <para type="description">Takes a -Timestamp before 2000 or more than a day ahead, which is otherwise refused as implausible.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowAnyTimestamp { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.ConfigChanges;

        protected override NotionFilter? IndexScope()
        {
            _records = ConfigChangeRecords.For(Connection, AllowAnyTimestamp);
            if (RetryFailed) return ConfigChangeRecords.RetryScope(FailureJournal.For(Connection.Configuration, MyInvocation.MyCommand.Name).Read());
            // Piped rows: the base class reads only their ids when they are few. One change from the command line: read only its own id.
            if (MyInvocation.ExpectingInput) return null;
            return _records.KeyOf(CurrentInput()) is { } key ? ConfigChangeRecords.ScopeFor(key) : null;
        }

        // Keeps the default timestamp the scope was computed with, so the id read is the id written.
        protected override void OnOpened() => _records = Records.WithSites(OpenSites());

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput() => new[] { Records.Build(CurrentInput()) };

        protected override DesiredRecord? RecordFromJournal(JournalEntry entry)
            => ConfigChangeInput.FromJournal(entry) is { } input ? Records.Build(input) : null;

        // Record values are typed object: the engine converts each exactly and names what it refuses (see SyncCmdletBase.Raw).
        private ConfigChangeInput CurrentInput() => ConfigChangeInput.FromValues(new Dictionary<string, object?>
        {
            [nameof(Site)] = Raw(Site),
            [nameof(Tool)] = Raw(Tool),
            [nameof(Action)] = Raw(Action),
            // A scheduled job runs as an account too (SYSTEM, a service account): that is who made the change. An account
            // without a name leaves it empty, and the change is refused as missing its engineer.
            [nameof(Engineer)] = Raw(Engineer) ?? CurrentUser(),
            [nameof(Timestamp)] = Raw(Timestamp),
            [nameof(Details)] = Raw(Details),
            [nameof(ChangeId)] = Raw(ChangeId),
            [nameof(TargetDevice)] = Raw(TargetDevice),
            [nameof(Ticket)] = Raw(Ticket),
            [nameof(Result)] = Raw(Result),
        });

        private static string? CurrentUser()
        {
            var name = Environment.UserName;
            return string.IsNullOrWhiteSpace(name) ? null : name;
        }

        private ConfigChangeRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
