using System.Management.Automation;
using OberaConnect.Engine.Sync;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// The inputs Sync-CustomerStatus and Add-DailyHealthSnapshot share: one customer site's values, bound by
    /// property name so the objects of Get-CustomerSite (or CSV rows, or hashtables cast to objects) pipe in (the Input
    /// parameter set); or every site read from -Source (the Source set, the default when nothing is given).
    /// Numbers left out of the input leave Notion's value as it is.
    /// </summary>
    public abstract class SiteStatusCmdletBase : SiteSyncCmdletBase
    {
        // Record values are typed object: the engine converts each exactly and names what it refuses (a value PowerShell
        // could not convert would otherwise be dropped from a piped object without a word, and 2.5 rounded to 2).
        [Parameter(ParameterSetName = InputSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public object? SiteName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? DevicesOnline { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? DevicesOffline { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? DevicesTotal { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? WifiClients { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? WeakSignalClients { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? ActiveAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? CriticalAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? WarningAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? OpenTickets { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? PendingUpdates { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(BackupStatusCompleter))]
        public object? BackupStatus { get; set; }

        // true/false, yes/no, 1/0: a CSV column binds as text, $true as a Boolean.
        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? ConfigDrift { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? WanUptimePercent { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? IspName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? UniFiSiteId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? UniFiHostId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? NinjaOneOrganizationId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SourceStateCompleter))]
        public object? UniFiStatus { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SourceStateCompleter))]
        public object? NinjaOneStatus { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? MissingSources { get; set; }

        /// <summary>Where sites are read from (the Source parameter set; nothing may be piped in with it).</summary>
        [Parameter(ParameterSetName = SourceSet)]
        [ValidateSet("Configured", "Sample")]
        public string Source { get; set; } = "Configured";

        /// <summary>The day of the Sample data (0, 1, 2, ...): about a tenth of the sites change each day.</summary>
        [Parameter(ParameterSetName = SourceSet)]
        [ValidateRange(0, 100000)]
        public int? Day { get; set; }

        /// <summary>The input of the current pipeline object or of the command line (the Input parameter set).</summary>
        protected CustomerStatusInput InputFromParameters()
        {
            return CustomerStatusInput.FromValues(new Dictionary<string, object?>
            {
                [nameof(SiteName)] = Raw(SiteName),
                [nameof(DevicesOnline)] = Raw(DevicesOnline),
                [nameof(DevicesOffline)] = Raw(DevicesOffline),
                [nameof(DevicesTotal)] = Raw(DevicesTotal),
                [nameof(WifiClients)] = Raw(WifiClients),
                [nameof(WeakSignalClients)] = Raw(WeakSignalClients),
                [nameof(ActiveAlerts)] = Raw(ActiveAlerts),
                [nameof(CriticalAlerts)] = Raw(CriticalAlerts),
                [nameof(WarningAlerts)] = Raw(WarningAlerts),
                [nameof(OpenTickets)] = Raw(OpenTickets),
                [nameof(PendingUpdates)] = Raw(PendingUpdates),
                [nameof(BackupStatus)] = Raw(BackupStatus),
                [nameof(ConfigDrift)] = Raw(ConfigDrift),
                [nameof(WanUptimePercent)] = Raw(WanUptimePercent),
                [nameof(IspName)] = Raw(IspName),
                [nameof(UniFiSiteId)] = Raw(UniFiSiteId),
                [nameof(UniFiHostId)] = Raw(UniFiHostId),
                [nameof(NinjaOneOrganizationId)] = Raw(NinjaOneOrganizationId),
                [nameof(UniFiStatus)] = Raw(UniFiStatus),
                [nameof(NinjaOneStatus)] = Raw(NinjaOneStatus),
                [nameof(MissingSources)] = Raw(MissingSources),
            });
        }

        /// <summary>Every site of -Source (UniFi and NinjaOne as configured, or the Sample of -Day).</summary>
        protected IReadOnlyList<CustomerStatusInput> ReadSites()
        {
            var source = Source;
            var day = Day;
            return ReadSources((connection, token) => SyncSources.SitesAsync(connection, source, day, token), source);
        }
    }
}
