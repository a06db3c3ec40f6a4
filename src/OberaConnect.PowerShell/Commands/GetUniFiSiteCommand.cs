using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.PowerShell.Infrastructure;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Lists the UniFi Site Manager sites of the account with their device, client and WAN statistics, streaming
    /// them page by page. -Name filters by site name or id (wildcards allowed).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UniFiSite", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(UniFiSite))]
    public sealed class GetUniFiSiteCommand : SourceListCmdletBase
    {
        /// <summary>
        /// <para type="description">Site names (or site ids) to list; wildcards allowed. All sites when omitted.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateName(What = "site name")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var filter = NameFilter.From(Name);
            var predicate = NameFilter.PredicateOf(filter);
            var sample = SampleChoice();
            RunRead((queue, connection, token) => connection.ReadUniFiSitesAsync(sample, predicate, queue.Emit, token));
            ReportUnmatched(filter, "UniFiSiteNotFound",
                name => $"No UniFi site named '{name}' was found. Run Get-UniFiSite without -Name to see the sites of the account.");
        }
    }
}
