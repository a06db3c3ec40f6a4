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
    /// ambiguous names and site-map problems are warnings, or objects with -IncludeMismatches. The output binds by
    /// property name to the sync cmdlets. -Source Sample gives deterministic sample data without any account.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CustomerSite")]
    [OutputType(typeof(CustomerSite), typeof(SiteMismatch))]
    public sealed class GetCustomerSiteCommand : OberaConnectSourceCmdlet
    {
        private const string Configured = "Configured";
        private const string Sample = "Sample";

        /// <summary>
        /// <para type="description">Where the data comes from: Configured (UniFi and NinjaOne as configured) or Sample.</para>
        /// </summary>
        [Parameter]
        [ValidateSet(Configured, Sample)]
        public string Source { get; set; } = Configured;

        /// <summary>
        /// <para type="description">Site names to return; wildcards allowed. Matches the site name, the UniFi site name and the NinjaOne organization name.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateName(What = "site name")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>
        /// <para type="description">Day of the Sample simulation (0, 1, 2, ...); about a tenth of the sites change each day. Sample only.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int Day { get; set; }

        /// <summary>
        /// <para type="description">Number of Sample sites (default 98, like the production estate). Sample only.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 5000)]
        public int SiteCount { get; set; } = 98;

        /// <summary>
        /// <para type="description">Write mapping problems as SiteMismatch objects after the sites instead of as warnings.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeMismatches { get; set; }

        protected override void ProcessRecord()
        {
            var sample = string.Equals(Source, Sample, StringComparison.OrdinalIgnoreCase);
            var shaped = MyInvocation.BoundParameters.ContainsKey(nameof(Day)) || MyInvocation.BoundParameters.ContainsKey(nameof(SiteCount));
            if (shaped && !sample)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Day and -SiteCount shape the Sample data; add -Source Sample, or leave them out to read the configured sources."),
                    "SampleParameterWithoutSample", ErrorCategory.InvalidArgument, Source));
            }

            var filter = NameFilter.From(Name);
            var query = new CustomerSiteQuery
            {
                Source = sample ? SiteSourceKind.Sample : SiteSourceKind.Configured,
                Sample = sample ? new SampleOptions { Day = Day, SiteCount = SiteCount } : null,
                Name = NameFilter.PredicateOf(filter),
            };
            var selection = RunRead((queue, connection, token) => connection.SelectCustomerSitesAsync(query, token), Source);

            foreach (var site in selection.Sites) WriteObject(site);
            foreach (var mismatch in selection.Mismatches)
            {
                if (IncludeMismatches) WriteObject(mismatch);
                else WriteWarning(mismatch.Message);
            }
            ReportUnmatched(filter, "CustomerSiteNotFound",
                name => $"No customer site named '{name}' was found. Run Get-CustomerSite without -Name to see the site names.");
        }
    }
}
