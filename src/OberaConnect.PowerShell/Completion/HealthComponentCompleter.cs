using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OberaConnect.Engine.Operations;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>Tab completion of health check components: <c>Test-OberaConnectHealth -Component Sch&lt;Tab&gt;</c>.</summary>
    public sealed class HealthComponentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            foreach (var text in NameCompletion.Complete(WorkspaceHealth.KnownComponents, wordToComplete))
                yield return new CompletionResult(text, text.Trim('\''), CompletionResultType.ParameterValue, "Health check component " + text.Trim('\''));
        }
    }
}
