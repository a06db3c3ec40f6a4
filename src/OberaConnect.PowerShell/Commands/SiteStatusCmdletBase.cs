using System.Management.Automation;
using OberaConnect.Engine.Sync;

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
        [Parameter(ParameterSetName = InputSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? SiteName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? DevicesOnline { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? DevicesOffline { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? DevicesTotal { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? WifiClients { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? WeakSignalClients { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? ActiveAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? CriticalAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? WarningAlerts { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? OpenTickets { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public int? PendingUpdates { get; set; }

        // Text, not the engine's enum: a piped CustomerSite's BackupStatus converts to its name, a CSV column binds as is.
        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? BackupStatus { get; set; }

        // Text, so a CSV column ("True", "no") binds: PowerShell refuses strings for [bool] parameters.
        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? ConfigDrift { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public double? WanUptimePercent { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? IspName { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? UniFiSiteId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? UniFiHostId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? NinjaOneOrganizationId { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? UniFiStatus { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? NinjaOneStatus { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public string? MissingSources { get; set; }

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
            return new CustomerStatusInput
            {
                SiteName = SiteName,
                DevicesOnline = DevicesOnline,
                DevicesOffline = DevicesOffline,
                DevicesTotal = DevicesTotal,
                WifiClients = WifiClients,
                WeakSignalClients = WeakSignalClients,
                ActiveAlerts = ActiveAlerts,
                CriticalAlerts = CriticalAlerts,
                WarningAlerts = WarningAlerts,
                OpenTickets = OpenTickets,
                PendingUpdates = PendingUpdates,
                BackupStatus = BackupStatus,
                ConfigDrift = ConfigDrift,
                WanUptimePercent = WanUptimePercent,
                IspName = IspName,
                UniFiSiteId = UniFiSiteId,
                UniFiHostId = UniFiHostId,
                NinjaOneOrganizationId = NinjaOneOrganizationId,
                UniFiStatus = UniFiStatus,
                NinjaOneStatus = NinjaOneStatus,
                MissingSources = MissingSources,
            };
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
