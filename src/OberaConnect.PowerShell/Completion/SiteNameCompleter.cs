using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OberaConnect.Engine.State;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// Tab completion of site names from the local cache the syncs write (<see cref="SiteNameCache"/>): instant,
    /// offline, and never a credential prompt. Empty until Sync-CustomerStatus has run on this machine.
    /// The cache lives in the state directory (the session's paths.stateDirectory, else OBERACONNECT_STATE_DIR,
    /// else the default state directory).
    /// </summary>
    public sealed class SiteNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // The connected session's paths.stateDirectory, where its syncs save the names; else the default one.
            var directory = OberaConnectSession.Current?.Configuration.Paths.StateDirectory ?? SiteNameCache.DefaultStateDirectory();
            var names = new SiteNameCache(directory).Load();
            foreach (var text in NameCompletion.Complete(names, wordToComplete))
            {
                var name = text.StartsWith("'", StringComparison.Ordinal) ? text.Substring(1, text.Length - 2).Replace("''", "'") : text;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
            }
        }
    }
}
