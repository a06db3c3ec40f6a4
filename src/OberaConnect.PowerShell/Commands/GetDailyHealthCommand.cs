using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads the Daily Health snapshots of the sites named (wildcards allowed) back, optionally between two days, oldest
    /// first. A name without wildcards that matches no site is a non-terminating ObjectNotFound error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DailyHealth", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(DailyHealthRecord))]
    public sealed class GetDailyHealthCommand : WorkspaceCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateName(What = "site name")]
        public string[] Site { get; set; } = Array.Empty<string>();

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter]
        public DateTime? Until { get; set; }

        protected override void ProcessRecord()
        {
            var query = new DailyHealthQuery { Since = Since, Until = Until };
            SelectSites(query, Site);
            Read(query, Site);
        }
    }
}
