using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Keeps Customer Sites true: one page per site with its health score (computed with the configured
    /// weights), device, client and alert counts, backup state, drift, source ids and Last Sync. Sites come
    /// from the pipeline (Get-CustomerSite, CSV rows) or, with nothing piped, from -Source. Only the module's
    /// properties are written, and only when they differ: an unchanged site costs no request.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CustomerStatus", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class SyncCustomerStatusCommand : SiteStatusCmdletBase
    {
        private CustomerStatusRecords? _records;

        /// <summary>
        /// <para type="description">Writes the input's spelling of a site name over its page's when the two are the same site by the site-name rule (another case or spacing); each rename is reported.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter RenameSite { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.CustomerSites;

        protected override void OnOpened() => _records = CustomerStatusRecords.For(Connection, RenameSite);

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
            => CustomerStatusInput.FromJournal(entry) is { } input ? Records.Build(input) : null;

        private CustomerStatusRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
