using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads the Network Devices inventory back, optionally for the sites named (wildcards allowed) and/or one status. A
    /// site name without wildcards that matches no site is a non-terminating ObjectNotFound error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NetworkDevice", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(NetworkDeviceRecord))]
    public sealed class GetNetworkDeviceCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateName(What = "site name")]
        public string[]? Site { get; set; }

        [Parameter]
        [ValidateSet("Online", "Offline", "Updating", "Gone From Source")]
        public string? Status { get; set; }

        protected override void ProcessRecord()
        {
            var query = new NetworkDeviceQuery { Status = Status };
            SelectSites(query, Site);
            Read(query, Site);
        }
    }
}
