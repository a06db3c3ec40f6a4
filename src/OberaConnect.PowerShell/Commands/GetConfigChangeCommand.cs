using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Reads the Config Changes audit log back, optionally for the sites named, since a time, or by an engineer (both with
    /// wildcards allowed). A site name without wildcards that matches no site is a non-terminating ObjectNotFound error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ConfigChange", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(ConfigChangeRecord))]
    public sealed class GetConfigChangeCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        [ValidateName(What = "site name")]
        public string[]? Site { get; set; }

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateName(What = "engineer name")]
        public string? Engineer { get; set; }

        protected override void ProcessRecord()
        {
            var query = new ConfigChangeQuery { Since = Since, Engineer = Engineer?.Trim() };
            if (Engineer != null && WildcardPattern.ContainsWildcardCharacters(Engineer))
                query.EngineerPattern = NameFilter.PredicateOf(NameFilter.From(new[] { Engineer }));
            SelectSites(query, Site);
            Read(query, Site);
        }
    }
}
