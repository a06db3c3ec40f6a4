using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads Alerts back, optionally for the sites named (wildcards allowed), one status and/or one severity. A site name
    /// without wildcards that matches no site is a non-terminating ObjectNotFound error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Alert", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(AlertRecord))]
    public sealed class GetAlertCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateName(What = "site name")]
        public string[]? Site { get; set; }

        [Parameter]
        [ValidateSet("Open", "Resolved")]
        public string? Status { get; set; }

        [Parameter]
        [ValidateSet("NONE", "MINOR", "MODERATE", "MAJOR", "CRITICAL")]
        public string? Severity { get; set; }

        protected override void ProcessRecord()
        {
            var query = new AlertQuery { Status = Status, Severity = Severity };
            SelectSites(query, Site);
            Read(query, Site);
        }
    }
}
