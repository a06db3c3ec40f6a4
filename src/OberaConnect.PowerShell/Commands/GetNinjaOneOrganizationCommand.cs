using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Lists NinjaOne organizations (customers), streaming them page by page; -Name filters with wildcards.</summary>
    [Cmdlet(VerbsCommon.Get, "NinjaOneOrganization", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(NinjaOneOrganization))]
    public sealed class GetNinjaOneOrganizationCommand : SourceListCmdletBase
    {
        /// <summary>
        /// <para type="description">Organization names (or ids) to list; wildcards allowed. All organizations when omitted.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateName(What = "organization name")]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var filter = NameFilter.From(Name);
            var predicate = NameFilter.PredicateOf(filter);
            var sample = SampleChoice();
            RunRead((queue, connection, token) => connection.ReadNinjaOneOrganizationsAsync(sample, predicate, queue.Emit, token));
            ReportUnmatched(filter, "NinjaOneOrganizationNotFound",
                name => $"No NinjaOne organization named '{name}' was found. Run Get-NinjaOneOrganization without -Name to see them all.");
        }
    }
}
