using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Keeps Network Devices in step with the sources: one page per device keyed by MAC, related to its site.
    /// Devices come from the pipeline (SiteDevice objects, CSV rows) or, with nothing piped, from UniFi as
    /// configured (-Source). A device of a covered site that the input no longer lists is marked
    /// "Gone From Source" (one ShouldProcess each), never deleted.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "NetworkDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SourceSet, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(SyncResult), typeof(SyncSummary))]
    public sealed class SyncNetworkDeviceCommand : SiteSyncCmdletBase
    {
        private NetworkDeviceRecords? _records;
        private int _passedOver;

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public object? SiteName { get; set; }

        [Parameter(ParameterSetName = InputSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("MacAddress")]
        public object? Mac { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DeviceName")]
        public object? Name { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? Model { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? Vendor { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Kind")]
        [ArgumentCompleter(typeof(ProductLineCompleter))]
        public object? ProductLine { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("IP")]
        public object? IpAddress { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DeviceStatusCompleter))]
        public object? Status { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Firmware")]
        public object? FirmwareVersion { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FirmwareStatusCompleter))]
        public object? FirmwareStatus { get; set; }

        // Text, so a CSV column binds (PowerShell refuses strings for [bool] parameters).
        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? UpdateAvailable { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Alias("LastContact")]
        public object? LastSeen { get; set; }

        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        public object? DeviceId { get; set; }

        /// <summary>
        /// In the Source set: where devices are read from (Configured or Sample). Piped objects bind theirs by
        /// property name: the system the device came from (UniFi or NinjaOne; NinjaOne computers are passed over).
        /// </summary>
        [Parameter(ParameterSetName = InputSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SourceSet)]
        [ValidateSet("Configured", "Sample", "UniFi", "NinjaOne")]
        public string Source { get; set; } = "Configured";

        [Parameter(ParameterSetName = SourceSet)]
        [ValidateRange(0, 100000)]
        public int? Day { get; set; }

        /// <summary>Leaves devices missing from the input as they are (for a filtered or partial input).</summary>
        [Parameter(ParameterSetName = InputSet)]
        [Parameter(ParameterSetName = SourceSet)]
        public SwitchParameter SkipMissing { get; set; }

        /// <summary>
        /// <para type="description">Takes a LastSeen before 2000 or more than a day ahead, which is otherwise refused as implausible.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowAnyTimestamp { get; set; }

        protected override DatabaseKey TargetDatabase() => DatabaseKey.NetworkDevices;

        // Devices of the covered sites that the input does not name are marked gone: that needs every page.
        protected override string? MustReadEveryPage()
            => RetryFailed || SkipMissing ? null : "the devices of the input's sites that the input does not name are marked " + NetworkDeviceRecords.GoneStatus + "; -SkipMissing reads only the input's keys";

        protected override void OnOpened() => _records = NetworkDeviceRecords.For(Connection, OpenSites(), AllowAnyTimestamp);

        // Not an iterator: its generated class would implement IEnumerable of an engine type (see OberaConnectCmdlet).
        protected override IEnumerable<DesiredRecord> RecordsFromInput()
        {
            var input = CurrentInput();
            if (!NetworkDeviceRecords.IsNetworkDevice(input))
            {
                _passedOver++;
                return Array.Empty<DesiredRecord>();
            }
            return new[] { Records.Build(input) };
        }

        protected override IEnumerable<DesiredRecord> DefaultRecords()
        {
            var source = Source;
            var day = Day;
            var batch = ReadSources((connection, token) => SyncSources.DevicesAsync(connection, source, day, token), source);
            WriteVerbose($"{batch.Items.Count} device(s) at {batch.CoveredSites.Count} site(s) read from {source}.");
            foreach (var site in batch.CoveredSites) Records.Cover(site);
            return batch.Items.Select(Records.Build);
        }

        protected override void OnInputEnd()
        {
            if (_passedOver > 0) WriteVerbose($"{_passedOver} NinjaOne device(s) passed over: managed computers are not network devices.");
            if (RetryFailed || SkipMissing) return;
            foreach (var plan in Records.PlanGone(Driver.Session)) Process(plan, "Mark " + NetworkDeviceRecords.GoneStatus);
        }

        protected override DesiredRecord? RecordFromJournal(JournalEntry entry)
            => NetworkDeviceInput.FromJournal(entry) is { } input ? Records.Build(input) : null;

        // Record values are typed object: the engine converts each exactly and names what it refuses (see SyncCmdletBase.Raw).
        private NetworkDeviceInput CurrentInput() => NetworkDeviceInput.FromValues(new Dictionary<string, object?>
        {
            [nameof(SiteName)] = Raw(SiteName),
            [nameof(Mac)] = Raw(Mac),
            [nameof(Name)] = Raw(Name),
            [nameof(Model)] = Raw(Model),
            [nameof(Vendor)] = Raw(Vendor),
            [nameof(ProductLine)] = Raw(ProductLine),
            [nameof(IpAddress)] = Raw(IpAddress),
            [nameof(Status)] = Raw(Status),
            [nameof(FirmwareVersion)] = Raw(FirmwareVersion),
            [nameof(FirmwareStatus)] = Raw(FirmwareStatus),
            [nameof(UpdateAvailable)] = Raw(UpdateAvailable),
            [nameof(LastSeen)] = Raw(LastSeen),
            [nameof(DeviceId)] = Raw(DeviceId),
            [nameof(Source)] = Source is "UniFi" or "NinjaOne" ? Source : null,
        });

        private NetworkDeviceRecords Records => _records ?? throw new InvalidOperationException("The sync was not opened.");
    }
}
