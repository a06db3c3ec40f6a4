using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Reads Customer Sites back: every site, one site, or the sites at a risk level, filtered by Notion.</summary>
    [Cmdlet(VerbsCommon.Get, "CustomerStatus")]
    [OutputType(typeof(CustomerStatus))]
    public sealed class GetCustomerStatusCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string? Site { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Low", "Medium", "High", "Critical")]
        public string? RiskLevel { get; set; }

        protected override void ProcessRecord() => Read(new CustomerStatusQuery { Site = Site, RiskLevel = RiskLevel }, Site);
    }
}
