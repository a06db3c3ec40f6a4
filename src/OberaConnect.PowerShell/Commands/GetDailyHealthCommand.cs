using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Reads one site's Daily Health snapshots back, optionally between two days, oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "DailyHealth")]
    [OutputType(typeof(DailyHealthRecord))]
    public sealed class GetDailyHealthCommand : WorkspaceCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Site { get; set; } = "";

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter]
        public DateTime? Until { get; set; }

        protected override void ProcessRecord() => Read(new DailyHealthQuery { Site = Site, Since = Since, Until = Until }, Site);
    }
}
