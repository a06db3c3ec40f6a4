using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using Databases = OberaConnect.Engine.Workspace.Databases;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// Tab completion of a fixed set of values, in the set's order, quoted where they need it. The engine validates the
    /// same set (an InvalidEnumValue error lists it), so what Tab offers is exactly what is accepted.
    /// </summary>
    public abstract class KnownValuesCompleter : IArgumentCompleter
    {
        private readonly string _label;

        protected KnownValuesCompleter(string label) => _label = label;

        /// <summary>The values offered, in order.</summary>
        public abstract IReadOnlyList<string> Options { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => Results(Options, wordToComplete, _label);

        /// <summary>The completions of <paramref name="names"/> that fit the typed word, quoted where needed, each with its label as tooltip.</summary>
        internal static IEnumerable<CompletionResult> Results(IEnumerable<string> names, string wordToComplete, string label)
        {
            foreach (var text in NameCompletion.Complete(names, wordToComplete))
            {
                var name = text.StartsWith("'", StringComparison.Ordinal) ? text.Substring(1, text.Length - 2).Replace("''", "'") : text;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, $"{label}: {name}");
            }
        }
    }

    /// <summary>
    /// Tab completion of a select property's options, straight from the workspace definition, so the names offered
    /// are always the ones the engine accepts (it validates them too, naming the options in its error).
    /// </summary>
    public abstract class WorkspaceOptionCompleter : KnownValuesCompleter
    {
        private readonly string _database;
        private readonly string _property;

        protected WorkspaceOptionCompleter(string database, string property) : base(property)
        {
            _database = database;
            _property = property;
        }

        /// <summary>The options offered, in the definition's order.</summary>
        public override IReadOnlyList<string> Options => NotionWorkspace.OptionsOf(_database, _property);
    }

    /// <summary>Tab completion of one of the engine's input value sets (ValueSet), by its name.</summary>
    public abstract class ValueSetCompleter : KnownValuesCompleter
    {
        private readonly string _set;

        protected ValueSetCompleter(string set, string label) : base(label) => _set = set;

        /// <summary>The set's values, in its order.</summary>
        public override IReadOnlyList<string> Options => ValueSet.Named(_set).Values;
    }

    /// <summary>BackupStatus: Success, Partial, Failed, Unknown.</summary>
    public sealed class BackupStatusCompleter : ValueSetCompleter
    {
        public BackupStatusCompleter() : base("BackupStatus", Databases.CustomerSites.BackupStatus.Name) { }
    }

    /// <summary>UniFiStatus and NinjaOneStatus: Present, Unavailable, NotMatched, NotConfigured.</summary>
    public sealed class SourceStateCompleter : ValueSetCompleter
    {
        public SourceStateCompleter() : base("SourceState", "Source status") { }
    }

    /// <summary>A configuration change's Result: Success, Failed, Partial, Rolled Back.</summary>
    public sealed class ChangeResultCompleter : ValueSetCompleter
    {
        public ChangeResultCompleter() : base("ChangeResult", Databases.ConfigChanges.Result.Name) { }
    }

    /// <summary>A network device's Status: Online, Offline, Updating.</summary>
    public sealed class DeviceStatusCompleter : ValueSetCompleter
    {
        public DeviceStatusCompleter() : base("DeviceStatus", Databases.NetworkDevices.Status.Name) { }
    }

    /// <summary>A network device's Product Line: Network, Protect, Access, Talk, Connect, Other.</summary>
    public sealed class ProductLineCompleter : ValueSetCompleter
    {
        public ProductLineCompleter() : base("ProductLine", Databases.NetworkDevices.ProductLine.Name) { }
    }

    /// <summary>A network device's Firmware Status: Up To Date, Update Available, Unknown.</summary>
    public sealed class FirmwareStatusCompleter : ValueSetCompleter
    {
        public FirmwareStatusCompleter() : base("FirmwareStatus", Databases.NetworkDevices.FirmwareStatus.Name) { }
    }

    /// <summary>An alert's Severity: NONE, MINOR, MODERATE, MAJOR, CRITICAL.</summary>
    public sealed class SeverityCompleter : ValueSetCompleter
    {
        public SeverityCompleter() : base("Severity", Databases.Alerts.Severity.Name) { }
    }

    /// <summary>Stages of the Azure Pipeline (Idea, Design, Build, Test, Pilot, Production, Retired).</summary>
    public sealed class AzurePipelineStageCompleter : WorkspaceOptionCompleter
    {
        public AzurePipelineStageCompleter() : base(nameof(DatabaseKey.AzurePipeline), Databases.AzurePipeline.Stage.Name) { }
    }

    /// <summary>Categories of the Azure Pipeline.</summary>
    public sealed class AzurePipelineCategoryCompleter : WorkspaceOptionCompleter
    {
        public AzurePipelineCategoryCompleter() : base(nameof(DatabaseKey.AzurePipeline), Databases.AzurePipeline.Category.Name) { }
    }

    /// <summary>A configuration change's Action: Create, Update, Delete, Backup, Restore, Reboot, Firmware Upgrade.</summary>
    public sealed class ChangeActionCompleter : WorkspaceOptionCompleter
    {
        public ChangeActionCompleter() : base(nameof(DatabaseKey.ConfigChanges), Databases.ConfigChanges.Action.Name) { }
    }

    /// <summary>
    /// The properties of the database already given with -Database (Get-NotionDuplicate -Property, Get-NotionPage -Property),
    /// from the workspace definition: the names the module writes and reads.
    /// </summary>
    public sealed class PropertyNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var database = fakeBoundParameters?["Database"] is { } bound ? LanguagePrimitives.ConvertTo<string[]>(bound).FirstOrDefault() : null;
            IReadOnlyList<string> names;
            try
            {
                names = string.IsNullOrWhiteSpace(database) ? Array.Empty<string>() : NotionWorkspace.PropertiesOf(database!);
            }
            catch (OberaConnect.Engine.OberaConnectException)
            {
                names = Array.Empty<string>();
            }
            return KnownValuesCompleter.Results(names, wordToComplete, "Property of " + database);
        }
    }

    /// <summary>Categories of the Runbook Library.</summary>
    public sealed class RunbookCategoryCompleter : WorkspaceOptionCompleter
    {
        public RunbookCategoryCompleter() : base(nameof(DatabaseKey.RunbookLibrary), Databases.RunbookLibrary.Category.Name) { }
    }
}
