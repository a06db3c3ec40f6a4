using System.Management.Automation;
using OberaConnect.Engine.ReadBack;
using OberaConnect.PowerShell.Completion;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>Reads the Config Changes audit log back, optionally for one site, since a time, or by one engineer.</summary>
    [Cmdlet(VerbsCommon.Get, "ConfigChange")]
    [OutputType(typeof(ConfigChangeRecord))]
    public sealed class GetConfigChangeCommand : WorkspaceCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SiteName")]
        [ArgumentCompleter(typeof(SiteNameCompleter))]
        public string? Site { get; set; }

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Engineer { get; set; }

        protected override void ProcessRecord() => Read(new ConfigChangeQuery { Site = Site, Since = Since, Engineer = Engineer }, Site);
    }
}
