using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Lists UniFi devices (gateways, switches, access points, consoles) with status, firmware and host, streaming
    /// them page by page. UniFi lists devices per host (console), so -SiteName selects the hosts of the matching
    /// sites; -HostId (bound from Get-UniFiSite output) selects hosts directly. Input from the pipeline is
    /// collected first, so each host is asked once however many of its sites are piped.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UniFiDevice", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(UniFiDevice))]
    public sealed class GetUniFiDeviceCommand : SourceListCmdletBase
    {
        private readonly List<string> _siteNames = new List<string>();
        private readonly List<string> _hostIds = new List<string>();
        private bool _processed;
        private bool _inputWithoutFilter;

        /// <summary>
        /// <para type="description">Sites whose devices to list, by name or id; wildcards allowed.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string[]? SiteName { get; set; }

        /// <summary>
        /// <para type="description">Ids of the hosts (consoles) whose devices to list.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[]? HostId { get; set; }

        protected override void ProcessRecord()
        {
            _processed = true;
            var sites = (SiteName ?? Array.Empty<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            var hosts = (HostId ?? Array.Empty<string>()).Where(h => !string.IsNullOrWhiteSpace(h)).ToList();
            if (MyInvocation.ExpectingInput && sites.Count == 0 && hosts.Count == 0)
            {
                // A piped object without a site or host would otherwise widen the result to every device.
                _inputWithoutFilter = true;
                WriteVerbose("An input object has neither SiteName nor HostId; it selects no devices.");
                return;
            }
            foreach (var s in sites) if (!_siteNames.Contains(s, StringComparer.OrdinalIgnoreCase)) _siteNames.Add(s);
            foreach (var h in hosts) if (!_hostIds.Contains(h, StringComparer.Ordinal)) _hostIds.Add(h);
        }

        protected override void EndProcessing()
        {
            // Nothing piped in (an empty pipeline), or only input that selects nothing: list nothing rather than everything.
            if (!_processed || (_inputWithoutFilter && _siteNames.Count == 0 && _hostIds.Count == 0)) return;
            var filter = NameFilter.From(_siteNames);
            var query = new UniFiDeviceQuery
            {
                HostIds = _hostIds.Count == 0 ? null : _hostIds.ToList(),
                SiteName = NameFilter.PredicateOf(filter),
                SiteNameText = filter?.ToString(),
            };
            var sample = SampleChoice();
            RunRead((queue, connection, token) => connection.ReadUniFiDevicesAsync(sample, query, queue.Emit, token));
            ReportUnmatched(filter, "UniFiSiteNotFound",
                name => $"No UniFi site named '{name}' was found, so none of its devices are listed. Run Get-UniFiSite to see the site names.");
        }
    }
}
