using OberaConnect.PowerShell.Infrastructure;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Validation;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Computes the health score (0-100), risk level and points lost per component from inputs bound by property
    /// name, so <c>Get-CustomerSite | Get-HealthScore</c> and <c>Import-Csv | Get-HealthScore</c> work. Weights come
    /// from -Weights, else from the configuration when one is found, else the defaults (30/20/20/15/15).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HealthScore", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(HealthScore))]
    public sealed class GetHealthScoreCommand : OberaConnectSourceCmdlet
    {
        private HealthScoreCalculator? _calculator;

        /// <summary>
        /// <para type="description">Name of the site, passed through to the output's SiteName.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public object? SiteName { get; set; }

        /// <summary>
        /// <para type="description">Devices online now.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public object? DevicesOnline { get; set; }

        /// <summary>
        /// <para type="description">Devices known at the site. With 0 devices, availability costs nothing.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public object? DevicesTotal { get; set; }

        /// <summary>
        /// <para type="description">WiFi clients with a weak signal (none when omitted or null).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? WeakSignalClients { get; set; }

        /// <summary>
        /// <para type="description">WiFi clients in total, weak and strong signal (none when omitted or null).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? WifiClients { get; set; }

        /// <summary>
        /// <para type="description">Open critical alerts.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? CriticalAlerts { get; set; }

        /// <summary>
        /// <para type="description">Open warning alerts.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? WarningAlerts { get; set; }

        /// <summary>
        /// <para type="description">Success, Partial, Failed or Unknown (Unknown when omitted).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(BackupStatusCompleter))]
        public object? BackupStatus { get; set; }

        /// <summary>
        /// <para type="description">True when the configuration drifted from its baseline.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? ConfigDrift { get; set; }

        /// <summary>
        /// <para type="description">Weights to use instead of the configuration's: a hashtable of component names to points, or five points in order.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? Weights { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            HealthWeights weights;
            string origin;
            try
            {
                if (Weights != null)
                {
                    weights = ReadWeights(Weights);
                    origin = "-Weights";
                }
                else
                {
                    var configuration = SourceConnection.Configuration;
                    weights = ConfigurationBridge.HealthWeights(configuration);
                    origin = configuration.FilePath ?? "the defaults";
                }
                _calculator = new HealthScoreCalculator(weights);
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, Weights);
                return;
            }
            WriteVerbose($"Health score weights {_calculator.Weights} (device availability/WiFi quality/alerts/backup/config compliance) from {origin}.");
        }

        protected override void ProcessRecord()
        {
            // Typed object, so the engine converts each value exactly and names what it refuses (PowerShell would round 2.5
            // and drop "abc" from a piped object without a word).
            var request = HealthScoreRequest.FromValues(new Dictionary<string, object?>
            {
                [nameof(SiteName)] = Unwrap(SiteName),
                [nameof(DevicesOnline)] = Unwrap(DevicesOnline),
                [nameof(DevicesTotal)] = Unwrap(DevicesTotal),
                [nameof(WeakSignalClients)] = Unwrap(WeakSignalClients),
                [nameof(WifiClients)] = Unwrap(WifiClients),
                [nameof(CriticalAlerts)] = Unwrap(CriticalAlerts),
                [nameof(WarningAlerts)] = Unwrap(WarningAlerts),
                [nameof(BackupStatus)] = Unwrap(BackupStatus),
                [nameof(ConfigDrift)] = Unwrap(ConfigDrift),
            });
            try
            {
                WriteObject(request.Calculate(_calculator!));
            }
            catch (InputValidationException ex)
            {
                WriteItemError(ex, request.SiteName ?? (object?)ex.InvalidValue);
            }
        }

        /// <summary>A hashtable or [ordered] dictionary of names to points, five points in order, or HealthWeights.</summary>
        private static HealthWeights ReadWeights(object value)
        {
            var raw = Unwrap(value);
            switch (raw)
            {
                case HealthWeights given:
                    return given.Validate();
                case IDictionary named:
                    return HealthWeightsInput.FromNamed(named.Cast<DictionaryEntry>()
                        .Select(e => new KeyValuePair<string, object?>(Convert.ToString(Unwrap(e.Key), CultureInfo.InvariantCulture) ?? "", Unwrap(e.Value))));
                case string _:
                    break;
                case IEnumerable ordered:
                    return HealthWeightsInput.FromOrdered(ordered.Cast<object?>().Select(Unwrap).ToList());
            }
            throw new InputValidationException("InvalidHealthWeights", "health score weights", null, Convert.ToString(raw, CultureInfo.InvariantCulture),
                "are neither a hashtable nor a list of five numbers",
                "Give -Weights @{ DeviceAvailability = 30; WifiQuality = 20; Alerts = 20; Backup = 15; ConfigCompliance = 15 } or -Weights 30, 20, 20, 15, 15");
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
