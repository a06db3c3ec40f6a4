using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// Tab completion of site names (every -Site and -SiteName) from the configured workspace's Customer Sites, without
    /// Connect-OberaConnect: cached in the state directory, refreshed by every Sync-CustomerStatus and, when older than
    /// a quarter of an hour, by one read of Customer Sites (see <see cref="WorkspaceCompletion"/>).
    /// </summary>
    public sealed class SiteNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => KnownValuesCompleter.Results(WorkspaceCompletion.SiteNames(fakeBoundParameters), wordToComplete, "Site");
    }

    /// <summary>Tab completion of Write-ConfigChange -Tool: the tools Config Changes already knows, from the configured workspace.</summary>
    public sealed class ToolCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => KnownValuesCompleter.Results(WorkspaceCompletion.Tools(fakeBoundParameters), wordToComplete, "Tool");
    }
}
