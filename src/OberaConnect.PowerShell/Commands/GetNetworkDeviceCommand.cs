using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Reads the Network Devices inventory back, optionally for one site and/or one status.</summary>
    [Cmdlet(VerbsCommon.Get, "NetworkDevice")]
    [OutputType(typeof(NetworkDeviceRecord))]
    public sealed class GetNetworkDeviceCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string? Site { get; set; }

        [Parameter]
        [ValidateSet("Online", "Offline", "Updating", "Gone From Source")]
        public string? Status { get; set; }

        protected override void ProcessRecord() => Read(new NetworkDeviceQuery { Site = Site, Status = Status }, Site);
    }
}
