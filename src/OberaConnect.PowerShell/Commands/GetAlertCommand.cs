using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Reads Alerts back, optionally for one site, one status and/or one severity.</summary>
    [Cmdlet(VerbsCommon.Get, "Alert")]
    [OutputType(typeof(AlertRecord))]
    public sealed class GetAlertCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string? Site { get; set; }

        [Parameter]
        [ValidateSet("Open", "Resolved")]
        public string? Status { get; set; }

        [Parameter]
        [ValidateSet("NONE", "MINOR", "MODERATE", "MAJOR", "CRITICAL")]
        public string? Severity { get; set; }

        protected override void ProcessRecord() => Read(new AlertQuery { Site = Site, Status = Status, Severity = Severity }, Site);
    }
}
