using System.Text.RegularExpressions;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

/// <summary>
/// The Pester suite cannot run on a machine without PowerShell, so its coverage of the exported cmdlets is
/// checked here as text: a merge that drops a cmdlet's -WhatIf sample or its main-path tests fails the build.
/// </summary>
public class PesterSuiteTests
{
    private static string PesterDirectory => Path.Combine(Repository.Root, "tests", "Pester");

    private static string ModuleTests => File.ReadAllText(Path.Combine(PesterDirectory, "Module.Tests.ps1"));

    [Fact]
    public void Every_cmdlet_that_writes_has_WhatIf_sample_arguments_and_a_nothing_written_check()
    {
        var text = ModuleTests;
        var samples = Keys(text, "WhatIfArguments");
        var checks = Keys(text, "NothingWritten");
        var writers = Repository.Cmdlets().Where(c => c.SupportsShouldProcess).Select(c => c.Name).ToList();
        Assert.NotEmpty(writers);
        Assert.All(writers, name => Assert.True(samples.Contains(name), $"tests/Pester/Module.Tests.ps1 has no -WhatIf sample arguments for {name}."));
        // Register-OberaConnectScheduledTask's check is a no-op where the ScheduledTasks module is missing, but it exists.
        Assert.All(writers, name => Assert.True(checks.Contains(name), $"tests/Pester/Module.Tests.ps1 does not check that {name} -WhatIf wrote nothing."));
    }

    [Fact]
    public void Every_exported_cmdlet_is_run_by_a_Pester_test_file_of_its_own_area()
    {
        var suite = string.Join("\n", Directory.GetFiles(PesterDirectory, "*.Tests.ps1").Where(f => !f.EndsWith("Module.Tests.ps1", StringComparison.Ordinal)).Select(File.ReadAllText));
        var missing = Repository.Cmdlets().Select(c => c.Name)
            .Where(name => !Regex.IsMatch(suite, @"(^|[\s|(;{])" + Regex.Escape(name) + @"\b", RegexOptions.Multiline))
            .ToList();
        Assert.True(missing.Count == 0, "No Pester test outside Module.Tests.ps1 runs: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_key_reader_sees_both_spellings_and_nothing_else()
    {
        const string sample = """
            $script:WhatIfArguments = @{
                'Export-OberaConnectMetric' = @{
                    Path = 'x'
                }
            }
            $script:WhatIfArguments['Sync-Alert'] = @{ AlertId = 'a' }
            $script:NothingWritten['Sync-Alert'] = { }
            """;
        Assert.Equal(new[] { "Export-OberaConnectMetric", "Sync-Alert" }, Keys(sample, "WhatIfArguments").OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new[] { "Sync-Alert" }, Keys(sample, "NothingWritten"));
    }

    /// <summary>Keys of a hashtable in the Pester file: entries of its literal (<c>'Verb-Noun' = ...</c>) and indexed assignments.</summary>
    private static HashSet<string> Keys(string text, string variable)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Regex.Matches(text, @"\$script:" + variable + @"\['([A-Za-z]+-[A-Za-z]+)'\]\s*="))
            keys.Add(m.Groups[1].Value);
        var literal = Regex.Match(text, @"\$script:" + variable + @"\s*=\s*@\{");
        if (literal.Success)
        {
            var body = Balanced(text, literal.Index + literal.Length - 1);
            // Top-level entries only: the key of a nested hashtable is never quoted Verb-Noun here.
            foreach (Match m in Regex.Matches(body, @"^\s*'([A-Za-z]+-[A-Za-z]+)'\s*=", RegexOptions.Multiline))
                keys.Add(m.Groups[1].Value);
        }
        return keys;
    }

    private static string Balanced(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text.Substring(open, i - open + 1);
        }
        return text.Substring(open);
    }
}
