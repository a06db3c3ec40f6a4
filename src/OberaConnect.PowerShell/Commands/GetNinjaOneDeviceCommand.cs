using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Lists NinjaOne managed devices, of every organization or of the given ones (bound by property name from
    /// Get-NinjaOneOrganization output), streaming them page by page; -Offline keeps the offline ones.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NinjaOneDevice", HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(NinjaOneDevice))]
    public sealed class GetNinjaOneDeviceCommand : SourceListCmdletBase
    {
        private readonly HashSet<long> _done = new HashSet<long>();

        /// <summary>
        /// <para type="description">Ids of the organizations whose devices to list. All organizations when omitted.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public long[]? OrganizationId { get; set; }

        /// <summary>
        /// <para type="description">Only devices that are offline.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        protected override void ProcessRecord()
        {
            var offline = Offline.IsPresent;
            var sample = SampleChoice();
            var ids = OrganizationId ?? Array.Empty<long>();
            if (ids.Length == 0)
            {
                if (MyInvocation.ExpectingInput)
                {
                    // A piped object without an organization id must not widen the result to every device.
                    WriteVerbose("An input object has no OrganizationId; it selects no devices.");
                    return;
                }
                RunRead((queue, connection, token) => connection.ReadNinjaOneDevicesAsync(sample, null, offline, queue.Emit, token));
                return;
            }
            foreach (var id in ids)
            {
                if (!_done.Add(id)) continue;
                var organization = id;
                RunRead((queue, connection, token) => connection.ReadNinjaOneDevicesAsync(sample, organization, offline, queue.Emit, token), id);
            }
        }
    }
}
