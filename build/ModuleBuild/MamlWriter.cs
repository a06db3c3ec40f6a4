using System.Xml;

namespace OberaConnect.ModuleBuild;

/// <summary>
/// Writes the MAML file PowerShell's Get-Help reads (en-US/&lt;assembly&gt;-Help.xml): prose from the markdown,
/// syntax and parameter facts (type, mandatory, position, pipeline input, aliases, sets) from the metadata,
/// so the two can never disagree.
/// </summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly IReadOnlyDictionary<string, string> ShouldProcessHelp = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing is written.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet. Never use it in unattended runs.",
    };

    /// <summary>Writes help for every cmdlet that has a help source; cmdlets without one are skipped (the tests report them).</summary>
    public static void Write(string path, IReadOnlyList<CmdletDefinition> cmdlets, IReadOnlyList<CmdletHelp> helpFiles)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var w = XmlWriter.Create(path, settings);
        w.WriteStartDocument();
        w.WriteStartElement("helpItems", Msh);
        w.WriteAttributeString("schema", "maml");
        foreach (var cmdlet in cmdlets)
        {
            var help = helpFiles.FirstOrDefault(h => string.Equals(h.Name, cmdlet.Name, StringComparison.OrdinalIgnoreCase));
            if (help is not null) WriteCommand(w, cmdlet, help);
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteCommand(XmlWriter w, CmdletDefinition cmdlet, CmdletHelp help)
    {
        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "dev", null, Dev);

        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, cmdlet.Name);
        w.WriteElementString("command", "verb", Command, cmdlet.Verb);
        w.WriteElementString("command", "noun", Command, cmdlet.Noun);
        Paras(w, "description", new[] { help.Synopsis });
        w.WriteEndElement();

        Paras(w, "description", help.Description);

        var parameters = AllParameters(cmdlet, help);
        w.WriteStartElement("command", "syntax", Command);
        var sets = cmdlet.ParameterSets.Count == 0 ? new[] { CmdletParameter.AllSets } : cmdlet.ParameterSets.ToArray();
        foreach (var set in sets)
        {
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, cmdlet.Name);
            foreach (var (parameter, text) in parameters)
            {
                var use = parameter.Sets.FirstOrDefault(s => s.SetName == set) ?? parameter.Sets.FirstOrDefault(s => s.SetName == CmdletParameter.AllSets);
                if (use is null) continue;
                WriteParameter(w, parameter, use, text);
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (var (parameter, text) in parameters)
            WriteParameter(w, parameter, parameter.Sets[0], text, anySetMandatory: parameter.Sets.Any(s => s.Mandatory));
        w.WriteEndElement();

        WriteTypes(w, "inputTypes", "inputType", help.Inputs);
        WriteTypes(w, "returnValues", "returnValue", help.Outputs);

        w.WriteStartElement("maml", "alertSet", Maml);
        w.WriteStartElement("maml", "alert", Maml);
        foreach (var note in help.Notes) w.WriteElementString("maml", "para", Maml, note);
        w.WriteEndElement();
        w.WriteEndElement();

        w.WriteStartElement("command", "examples", Command);
        var number = 0;
        foreach (var example in help.Examples)
        {
            number++;
            w.WriteStartElement("command", "example", Command);
            var title = example.Title.StartsWith("Example", StringComparison.OrdinalIgnoreCase) ? example.Title : $"Example {number}: {example.Title}";
            w.WriteElementString("maml", "title", Maml, $"-------------------------- {title} --------------------------");
            w.WriteElementString("dev", "code", Dev, example.Code);
            w.WriteStartElement("dev", "remarks", Dev);
            foreach (var remark in example.Remarks) w.WriteElementString("maml", "para", Maml, remark);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (var link in help.RelatedLinks)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            var isUri = Uri.TryCreate(link, UriKind.Absolute, out _);
            w.WriteElementString("maml", "linkText", Maml, isUri ? "Online version" : link);
            w.WriteElementString("maml", "uri", Maml, isUri ? link : "");
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteEndElement();
    }

    private static List<(CmdletParameter Parameter, IReadOnlyList<string> Text)> AllParameters(CmdletDefinition cmdlet, CmdletHelp help)
    {
        var list = cmdlet.Parameters
            .OrderBy(p => p.Sets.Select(s => s.Position ?? int.MaxValue).Min())
            .ThenBy(p => p.Sets.Any(s => s.Mandatory) ? 0 : 1)
            .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => (p, help.Parameters.TryGetValue(p.Name, out var text) ? text : (IReadOnlyList<string>)Array.Empty<string>()))
            .ToList();
        if (cmdlet.SupportsShouldProcess)
        {
            foreach (var name in HelpValidator.ShouldProcessParameters)
            {
                var text = help.Parameters.TryGetValue(name, out var written) ? written : new[] { ShouldProcessHelp[name] };
                var alias = name == "WhatIf" ? "wi" : "cf";
                list.Add((new CmdletParameter(name, "SwitchParameter", new[] { new ParameterSetUse(CmdletParameter.AllSets, false, null, false, false) }, new[] { alias }), text));
            }
        }
        return list;
    }

    private static void WriteParameter(XmlWriter w, CmdletParameter parameter, ParameterSetUse use, IReadOnlyList<string> text, bool? anySetMandatory = null)
    {
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", (anySetMandatory ?? use.Mandatory) ? "true" : "false");
        w.WriteAttributeString("variableLength", parameter.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
        w.WriteAttributeString("globbing", "false");
        w.WriteAttributeString("pipelineInput", PipelineInput(parameter));
        w.WriteAttributeString("position", use.Position is int p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named");
        w.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        w.WriteElementString("maml", "name", Maml, parameter.Name);
        w.WriteStartElement("maml", "description", Maml);
        foreach (var para in text) w.WriteElementString("maml", "para", Maml, para);
        w.WriteEndElement();
        if (!parameter.IsSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteAttributeString("variableLength", "false");
            w.WriteString(parameter.TypeName);
            w.WriteEndElement();
        }
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, parameter.TypeName);
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteElementString("dev", "defaultValue", Dev, parameter.IsSwitch ? "False" : "None");
        w.WriteEndElement();
    }

    private static string PipelineInput(CmdletParameter parameter)
    {
        var byValue = parameter.Sets.Any(s => s.FromPipeline);
        var byName = parameter.Sets.Any(s => s.FromPipelineByPropertyName);
        if (byValue && byName) return "True (ByPropertyName, ByValue)";
        if (byValue) return "True (ByValue)";
        if (byName) return "True (ByPropertyName)";
        return "False";
    }

    private static void WriteTypes(XmlWriter w, string listElement, string itemElement, IReadOnlyList<HelpTypeEntry> entries)
    {
        w.WriteStartElement("command", listElement, Command);
        foreach (var entry in entries)
        {
            w.WriteStartElement("command", itemElement, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, entry.TypeName);
            w.WriteEndElement();
            Paras(w, "description", entry.Description);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Paras(XmlWriter w, string element, IEnumerable<string> paragraphs)
    {
        w.WriteStartElement("maml", element, Maml);
        foreach (var para in paragraphs) w.WriteElementString("maml", "para", Maml, para);
        w.WriteEndElement();
    }
}
