using System.Xml.Linq;
using OberaConnect.ModuleBuild;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

public class HelpTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Fact]
    public void Every_cmdlet_and_parameter_has_help_and_every_help_file_has_a_cmdlet()
    {
        var problems = HelpValidator.Check(Repository.Cmdlets(), CmdletHelp.LoadFolder(Repository.HelpSources));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_laid_out_MAML_describes_every_cmdlet_with_synopsis_parameters_and_examples()
    {
        var maml = XDocument.Load(Path.Combine(Repository.ModuleDirectory, "en-US", "OberaConnect.PowerShell.dll-Help.xml"));
        Assert.Equal("helpItems", maml.Root!.Name.LocalName);
        var commands = maml.Root.Elements(Command + "command").ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
        foreach (var cmdlet in Repository.Cmdlets())
        {
            Assert.True(commands.TryGetValue(cmdlet.Name, out var command), $"{cmdlet.Name} is missing from the MAML help.");
            Assert.False(string.IsNullOrWhiteSpace(command!.Element(Command + "details")!.Element(Maml + "description")!.Value));
            var documented = command.Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToHashSet();
            Assert.All(cmdlet.Parameters, p => Assert.Contains(p.Name, documented));
            if (cmdlet.SupportsShouldProcess) Assert.Contains("WhatIf", documented);
            Assert.All(command.Element(Command + "parameters")!.Elements(Command + "parameter"),
                p => Assert.False(string.IsNullOrWhiteSpace(p.Element(Maml + "description")!.Value), $"{cmdlet.Name} -{p.Element(Maml + "name")!.Value} has no description in MAML."));
            var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToArray();
            Assert.True(examples.Length >= HelpValidator.MinimumExamples);
            Assert.All(examples, e => Assert.Contains(cmdlet.Name, e.Element(Dev + "code")!.Value));
            var syntaxItems = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count();
            Assert.Equal(Math.Max(1, cmdlet.ParameterSets.Count), syntaxItems);
        }
    }

    [Fact]
    public void The_module_overview_and_unattended_topics_are_laid_out()
    {
        foreach (var topic in new[] { "about_OberaConnect", "about_OberaConnect_Unattended" })
        {
            var text = File.ReadAllText(Path.Combine(Repository.ModuleDirectory, "en-US", topic + ".help.txt"));
            Assert.StartsWith("TOPIC", text);
            Assert.Contains(topic, text);
            Assert.Contains("SHORT DESCRIPTION", text);
            Assert.Contains("LONG DESCRIPTION", text);
        }
    }

    [Fact]
    public void The_unattended_topic_documents_every_exit_code()
    {
        var text = File.ReadAllText(Path.Combine(Repository.ModuleDirectory, "en-US", "about_OberaConnect_Unattended.help.txt"));
        foreach (var code in Enum.GetValues<OberaConnect.Engine.Unattended.JobExitCode>())
            Assert.Matches($@"(?m)^\s+{(int)code}\s+{code}\b", text);
    }

    [Fact]
    public void The_overview_documents_the_error_category_map()
    {
        var text = File.ReadAllText(Path.Combine(Repository.ModuleDirectory, "en-US", "about_OberaConnect.help.txt"));
        foreach (var kind in Enum.GetValues<OberaConnect.Engine.FailureKind>())
            Assert.Matches($@"(?m)^\s+{kind}\s+{OberaConnect.PowerShell.Infrastructure.FailureCategories.CategoryName(kind)}\s*$", text);
    }
}

/// <summary>The validator itself must catch each kind of mistake, or the check above proves nothing.</summary>
public class HelpValidatorTests
{
    private static readonly CmdletDefinition Cmdlet = new(
        "Get", "Thing", "X.GetThingCommand", SupportsShouldProcess: true, DefaultParameterSet: null,
        OutputTypes: new[] { "X.Thing" },
        Parameters: new[]
        {
            new CmdletParameter("Name", "String", new[] { new ParameterSetUse(CmdletParameter.AllSets, true, 0, false, true) }, Array.Empty<string>()),
            new CmdletParameter("Force", "SwitchParameter", new[] { new ParameterSetUse(CmdletParameter.AllSets, false, null, false, false) }, Array.Empty<string>()),
        });

    private const string Good = """
        # Get-Thing

        ## SYNOPSIS
        Gets things.

        ## DESCRIPTION
        Long text.

        ## EXAMPLES

        ### Example 1: one
        ```powershell
        Get-Thing -Name a | Format-List
        ```
        Shows a.

        ### Example 2: two
        ```powershell
        'a', 'b' | Get-Thing -Force
        ```
        Gets two.

        ## PARAMETERS

        ### -Name
        The name.

        ### -Force
        No questions.

        ### -WhatIf
        Shows what would happen.

        ## OUTPUTS

        ### X.Thing
        The thing.
        """;

    [Fact]
    public void A_complete_help_file_passes()
    {
        Assert.Empty(HelpValidator.Check(new[] { Cmdlet }, new[] { CmdletHelp.Parse(Good, "Get-Thing.md") }));
    }

    [Fact]
    public void A_cmdlet_without_help_is_reported()
    {
        var problems = HelpValidator.Check(new[] { Cmdlet }, Array.Empty<CmdletHelp>());
        Assert.Contains(problems, p => p.Contains("Get-Thing has no help"));
    }

    [Fact]
    public void A_parameter_without_help_is_reported()
    {
        var help = CmdletHelp.Parse(Good.Replace("### -Force\nNo questions.\n", ""), "Get-Thing.md");
        Assert.Contains(HelpValidator.Check(new[] { Cmdlet }, new[] { help }), p => p.Contains("-Force has no help"));
    }

    [Fact]
    public void Fewer_than_two_pipeline_examples_are_reported()
    {
        var help = CmdletHelp.Parse(Good.Replace("'a', 'b' | Get-Thing -Force", "Get-Thing -Force"), "Get-Thing.md");
        Assert.Contains(HelpValidator.Check(new[] { Cmdlet }, new[] { help }), p => p.Contains("1 example(s) are pipelines"));
    }

    [Fact]
    public void Help_for_a_cmdlet_that_does_not_exist_is_reported()
    {
        var help = CmdletHelp.Parse(Good.Replace("# Get-Thing", "# Get-Other"), "Get-Other.md");
        Assert.Contains(HelpValidator.Check(new[] { Cmdlet }, new[] { help }), p => p.Contains("there is no cmdlet Get-Other"));
    }

    [Fact]
    public void A_documented_parameter_that_does_not_exist_is_reported()
    {
        var help = CmdletHelp.Parse(Good.Replace("### -Force", "### -Forcefully"), "Get-Thing.md");
        var problems = HelpValidator.Check(new[] { Cmdlet }, new[] { help });
        Assert.Contains(problems, p => p.Contains("documents -Forcefully"));
    }

    [Fact]
    public void An_output_type_missing_from_OUTPUTS_is_reported()
    {
        var help = CmdletHelp.Parse(Good.Replace("### X.Thing", "### X.Other"), "Get-Thing.md");
        Assert.Contains(HelpValidator.Check(new[] { Cmdlet }, new[] { help }), p => p.Contains("OUTPUTS does not name X.Thing"));
    }

    [Fact]
    public void The_parser_keeps_code_blocks_whole_even_when_they_hold_headings()
    {
        var help = CmdletHelp.Parse(Good.Replace("Get-Thing -Name a | Format-List", "# a comment\n## not a heading\nGet-Thing -Name a | Format-List"), "Get-Thing.md");
        Assert.Equal(2, help.Examples.Count);
        Assert.StartsWith("# a comment\n## not a heading\n", help.Examples[0].Code);
        Assert.Equal(new[] { "Shows a." }, help.Examples[0].Remarks);
    }
}
