using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// Tab completion of a select property's options, straight from the workspace definition, so the names offered
    /// are always the ones the engine accepts (it validates them too, naming the options in its error).
    /// </summary>
    public abstract class WorkspaceOptionCompleter : IArgumentCompleter
    {
        private readonly string _database;
        private readonly string _property;

        protected WorkspaceOptionCompleter(string database, string property)
        {
            _database = database;
            _property = property;
        }

        /// <summary>The options offered, in the definition's order.</summary>
        public IReadOnlyList<string> Options => NotionWorkspace.OptionsOf(_database, _property);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            foreach (var text in NameCompletion.Complete(Options, wordToComplete))
            {
                var name = text.StartsWith("'", StringComparison.Ordinal) ? text.Substring(1, text.Length - 2).Replace("''", "'") : text;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, $"{_property}: {name}");
            }
        }
    }

    /// <summary>Stages of the Azure Pipeline (Idea, Design, Build, Test, Pilot, Production, Retired).</summary>
    public sealed class AzurePipelineStageCompleter : WorkspaceOptionCompleter
    {
        public AzurePipelineStageCompleter() : base("AzurePipeline", "Stage") { }
    }

    /// <summary>Categories of the Azure Pipeline.</summary>
    public sealed class AzurePipelineCategoryCompleter : WorkspaceOptionCompleter
    {
        public AzurePipelineCategoryCompleter() : base("AzurePipeline", "Category") { }
    }

    /// <summary>Categories of the Runbook Library.</summary>
    public sealed class RunbookCategoryCompleter : WorkspaceOptionCompleter
    {
        public RunbookCategoryCompleter() : base("RunbookLibrary", "Category") { }
    }
}
