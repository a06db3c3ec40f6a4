using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>Tab completion of database keys: <c>[ArgumentCompleter(typeof(DatabaseNameCompleter))]</c>.</summary>
    public sealed class DatabaseNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            foreach (var text in NameCompletion.Complete(DatabaseKeys.All, wordToComplete))
                yield return new CompletionResult(text, text.Trim('\''), CompletionResultType.ParameterValue, "Notion database " + text.Trim('\''));
        }
    }
}
