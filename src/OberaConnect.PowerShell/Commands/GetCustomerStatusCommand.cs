using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads Customer Sites back: every site, the sites named (wildcards allowed, as Get-Process -Name), or the sites at a
    /// risk level, filtered by Notion. A name without wildcards that matches no site is a non-terminating ObjectNotFound error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CustomerStatus", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(CustomerStatus))]
    public sealed class GetCustomerStatusCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateName(What = "site name")]
        public string[]? Site { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Low", "Medium", "High", "Critical")]
        public string? RiskLevel { get; set; }

        protected override void ProcessRecord()
        {
            var query = new CustomerStatusQuery { RiskLevel = RiskLevel };
            SelectSites(query, Site);
            Read(query, Site);
        }
    }
}
