using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Lists the open NinjaOne alerts with their severity (looked up in the activity log, which the alerts API does
    /// not give), of every organization or of the given ones; -Severity keeps only some severities. Severities are
    /// known once every requested alert is read, so the alerts come out together at the end.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NinjaOneAlert", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(NinjaOneAlert))]
    public sealed class GetNinjaOneAlertCommand : SourceListCmdletBase
    {
        private readonly List<long> _organizations = new List<long>();
        private bool _processed;
        private bool _inputWithoutOrganization;

        /// <summary>
        /// <para type="description">Ids of the organizations whose devices' alerts to list. All organizations when omitted.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public long[]? OrganizationId { get; set; }

        /// <summary>
        /// <para type="description">Only alerts of these severities.</para>
        /// </summary>
        [Parameter]
        [ValidateSet("Critical", "Major", "Moderate", "Minor", "None", "Unknown")]
        public string[]? Severity { get; set; }

        protected override void ProcessRecord()
        {
            _processed = true;
            var ids = OrganizationId ?? Array.Empty<long>();
            if (ids.Length == 0 && MyInvocation.ExpectingInput)
            {
                _inputWithoutOrganization = true;
                WriteVerbose("An input object has no OrganizationId; it selects no alerts.");
                return;
            }
            foreach (var id in ids) if (!_organizations.Contains(id)) _organizations.Add(id);
        }

        protected override void EndProcessing()
        {
            if (!_processed || (_inputWithoutOrganization && _organizations.Count == 0)) return;
            var query = new NinjaOneAlertQuery
            {
                OrganizationIds = _organizations.Count == 0 ? null : _organizations.ToList(),
                Severities = Severity?.Select(SourceQueries.ParseSeverity).ToList(),
            };
            var sample = SampleChoice();
            RunRead((queue, connection, token) => connection.ReadNinjaOneAlertsAsync(sample, query, queue.Emit, token));
        }
    }
}
