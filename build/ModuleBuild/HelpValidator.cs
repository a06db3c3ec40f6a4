namespace OberaConnect.ModuleBuild;

/// <summary>
/// Checks the help sources against the cmdlets that exist (the way PSScriptAnalyzer checks its rule docs
/// against its rules). Returns every problem as a sentence naming the cmdlet and what to do.
/// </summary>
public static class HelpValidator
{
    /// <summary>Parameters every cmdlet with SupportsShouldProcess has; their help is supplied when not written.</summary>
    public static readonly IReadOnlyList<string> ShouldProcessParameters = new[] { "WhatIf", "Confirm" };

    public const int MinimumExamples = 2;

    public static IReadOnlyList<string> Check(IReadOnlyList<CmdletDefinition> cmdlets, IReadOnlyList<CmdletHelp> helpFiles)
    {
        var problems = new List<string>();
        var byName = helpFiles.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        foreach (var help in helpFiles)
        {
            var fileName = Path.GetFileNameWithoutExtension(help.FilePath);
            if (help.FilePath.Length > 0 && !string.Equals(fileName, help.Name, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{help.FilePath}: the title '# {help.Name}' does not match the file name; name the file {help.Name}.md.");
            if (!cmdlets.Any(c => string.Equals(c.Name, help.Name, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{help.FilePath}: there is no cmdlet {help.Name}; delete the file or fix its title.");
        }

        foreach (var cmdlet in cmdlets)
        {
            if (!byName.TryGetValue(cmdlet.Name, out var help))
            {
                problems.Add($"{cmdlet.Name} has no help: add module/help/{cmdlet.Name}.md (SYNOPSIS, DESCRIPTION, EXAMPLES, PARAMETERS, OUTPUTS, NOTES).");
                continue;
            }
            if (string.IsNullOrWhiteSpace(help.Synopsis)) problems.Add($"{cmdlet.Name}: the SYNOPSIS is empty.");
            if (help.Description.Count == 0) problems.Add($"{cmdlet.Name}: the DESCRIPTION is empty.");

            var pipelines = help.Examples.Count(e => e.Code.Contains(cmdlet.Name, StringComparison.OrdinalIgnoreCase) && e.Code.Contains('|'));
            if (pipelines < MinimumExamples)
                problems.Add($"{cmdlet.Name}: {pipelines} example(s) are pipelines that use the cmdlet; write at least {MinimumExamples} (code that contains {cmdlet.Name} and a '|').");
            foreach (var example in help.Examples)
            {
                if (example.Code.Trim().Length == 0) problems.Add($"{cmdlet.Name}: example '{example.Title}' has no code block.");
                if (example.Remarks.Count == 0) problems.Add($"{cmdlet.Name}: example '{example.Title}' does not say what it does.");
            }

            foreach (var parameter in cmdlet.Parameters)
            {
                if (!help.Parameters.TryGetValue(parameter.Name, out var text) || text.Count == 0)
                    problems.Add($"{cmdlet.Name}: parameter -{parameter.Name} has no help; add '### -{parameter.Name}' under PARAMETERS.");
            }
            foreach (var documented in help.Parameters.Keys)
            {
                var exists = cmdlet.Parameters.Any(p => string.Equals(p.Name, documented, StringComparison.OrdinalIgnoreCase))
                    || (cmdlet.SupportsShouldProcess && ShouldProcessParameters.Contains(documented, StringComparer.OrdinalIgnoreCase));
                if (!exists) problems.Add($"{cmdlet.Name}: the help documents -{documented}, which the cmdlet does not have.");
            }

            foreach (var output in cmdlet.OutputTypes)
            {
                if (!help.Outputs.Any(o => string.Equals(o.TypeName, output, StringComparison.Ordinal)))
                    problems.Add($"{cmdlet.Name}: OUTPUTS does not name {output} (its [OutputType]); add '### {output}'.");
            }
        }
        return problems;
    }
}
