using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// The merged customer-site view: each UniFi site paired with its NinjaOne organization (site map first, then
    /// equal names), with device counts, alerts, backup status and the health score. A source that is down or has
    /// no credentials is a warning, and each site says which source it misses. Sites found in one system only,
    /// ambiguous names and site-map problems are one warning with their count (each on -Verbose), or objects with
    /// -IncludeMismatches. The output binds by
    /// property name to the sync cmdlets. -Source Sample gives deterministic sample data without any account.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CustomerSite", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(CustomerSite), typeof(SiteMismatch))]
    public sealed class GetCustomerSiteCommand : SourceListCmdletBase
    {
        /// <summary>
        /// <para type="description">Site names to return; wildcards allowed. Matches the site name, the UniFi site name and the NinjaOne organization name.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateName(What = "site name")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>
        /// <para type="description">Write mapping problems as SiteMismatch objects after the sites instead of as warnings.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeMismatches { get; set; }

        protected override void ProcessRecord()
        {
            var sample = SampleChoice();
            var filter = NameFilter.From(Name);
            var query = new CustomerSiteQuery
            {
                Source = sample is null ? SiteSourceKind.Configured : SiteSourceKind.Sample,
                Sample = sample,
                Name = NameFilter.PredicateOf(filter),
            };
            var selection = RunRead((queue, connection, token) => connection.SelectCustomerSitesAsync(query, token), Source);

            foreach (var site in selection.Sites) WriteObject(site);
            // The engine warned once with their count and wrote each to -Verbose; -IncludeMismatches writes them as objects.
            if (IncludeMismatches) foreach (var mismatch in selection.Mismatches) WriteObject(mismatch);
            ReportUnmatched(filter, "CustomerSiteNotFound",
                name => $"No customer site named '{name}' was found. Run Get-CustomerSite without -Name to see the site names.");
        }
    }
}
