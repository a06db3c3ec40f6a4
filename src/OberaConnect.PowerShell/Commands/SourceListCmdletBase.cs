using System.Management.Automation;
using OberaConnect.Engine.Sources.Sample;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// The source parameters the list cmdlets share (Get-CustomerSite, Get-UniFiSite, Get-UniFiDevice and the
    /// Get-NinjaOne* cmdlets): -Source Configured reads the account, -Source Sample the deterministic sample data in the
    /// same shape, without any account or credential; -Day and -SiteCount shape the Sample and are refused without it.
    /// </summary>
    public abstract class SourceListCmdletBase : OberaConnectSourceCmdlet
    {
        private const string Configured = "Configured";
        private const string Sample = "Sample";

        /// <summary>
        /// <para type="description">Where the data comes from: Configured (the account, with its credentials) or Sample (deterministic sample data, no account needed).</para>
        /// </summary>
        [Parameter]
        [ValidateSet(Configured, Sample)]
        public string Source { get; set; } = Configured;

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

        /// <summary>True for -Source Sample.</summary>
        protected bool IsSample => string.Equals(Source, Sample, StringComparison.OrdinalIgnoreCase);

        /// <summary>The Sample's shape for -Source Sample, null for the account; -Day or -SiteCount without -Source Sample stop the cmdlet.</summary>
        protected SampleOptions? SampleChoice()
        {
            var shaped = MyInvocation.BoundParameters.ContainsKey(nameof(Day)) || MyInvocation.BoundParameters.ContainsKey(nameof(SiteCount));
            if (shaped && !IsSample)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Day and -SiteCount shape the Sample data; add -Source Sample, or leave them out to read the configured sources."),
                    "SampleParameterWithoutSample", ErrorCategory.InvalidArgument, Source));
            }
            return IsSample ? new SampleOptions { Day = Day, SiteCount = SiteCount } : null;
        }
    }
}
