using System.Text;

namespace OberaConnect.ModuleBuild;

/// <summary>One example: a title, the code (a real command line or pipeline) and what it does.</summary>
public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A typed entry of INPUTS or OUTPUTS.</summary>
public sealed record HelpTypeEntry(string TypeName, IReadOnlyList<string> Description);

/// <summary>
/// The help of one cmdlet as written in module/help/Verb-Noun.md. The markdown has these sections (the
/// platyPS layout, which PowerShell authors know): "# Verb-Noun", "## SYNOPSIS", "## DESCRIPTION",
/// "## EXAMPLES" with "### Example N: title" each holding a fenced code block then remarks, "## PARAMETERS"
/// with "### -Name" each, "## INPUTS" and "## OUTPUTS" with "### Type.Name" each, "## NOTES", "## RELATED LINKS"
/// (one link per line or list item). The syntax is not written by hand: it comes from the cmdlet's metadata.
/// </summary>
public sealed class CmdletHelp
{
    public string FilePath { get; init; } = "";
    public string Name { get; init; } = "";
    public string Synopsis { get; init; } = "";
    public IReadOnlyList<string> Description { get; init; } = Array.Empty<string>();
    public IReadOnlyList<HelpExample> Examples { get; init; } = Array.Empty<HelpExample>();
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<HelpTypeEntry> Inputs { get; init; } = Array.Empty<HelpTypeEntry>();
    public IReadOnlyList<HelpTypeEntry> Outputs { get; init; } = Array.Empty<HelpTypeEntry>();
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> RelatedLinks { get; init; } = Array.Empty<string>();

    /// <summary>Every *.md file of a help folder.</summary>
    public static IReadOnlyList<CmdletHelp> LoadFolder(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.md").OrderBy(f => f, StringComparer.OrdinalIgnoreCase).Select(Load).ToArray()
            : Array.Empty<CmdletHelp>();

    public static CmdletHelp Load(string path) => Parse(File.ReadAllText(path), path);

    public static CmdletHelp Parse(string markdown, string filePath = "")
    {
        var title = "";
        var sections = new List<(string Heading, List<(string? Sub, List<string> Lines)> Parts)>();
        var inFence = false;
        foreach (var rawLine in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                Current()?.Add(line.TrimStart());
                continue;
            }
            if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && title.Length == 0 && sections.Count == 0)
            {
                title = line.Substring(2).Trim();
                continue;
            }
            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                sections.Add((line.Substring(3).Trim().ToUpperInvariant(), new List<(string?, List<string>)> { (null, new List<string>()) }));
                continue;
            }
            if (!inFence && line.StartsWith("### ", StringComparison.Ordinal) && sections.Count > 0)
            {
                sections[^1].Parts.Add((line.Substring(4).Trim(), new List<string>()));
                continue;
            }
            Current()?.Add(line);
        }

        List<string>? Current() => sections.Count == 0 ? null : sections[^1].Parts[^1].Lines;

        List<(string? Sub, List<string> Lines)> Section(string name) =>
            sections.Where(s => s.Heading == name).SelectMany(s => s.Parts).ToList();

        string[] Body(string name) => Section(name).Where(p => p.Sub is null).SelectMany(p => Paragraphs(p.Lines)).ToArray();

        var examples = Section("EXAMPLES").Where(p => p.Sub is not null).Select(p =>
        {
            var (code, rest) = SplitCode(p.Lines);
            return new HelpExample(p.Sub!, code, Paragraphs(rest));
        }).ToArray();

        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in Section("PARAMETERS").Where(p => p.Sub is not null))
        {
            var name = part.Sub!.TrimStart('-').Trim();
            if (name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) continue;
            parameters[name] = Paragraphs(part.Lines.Where(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList());
        }

        HelpTypeEntry[] Typed(string name) => Section(name).Where(p => p.Sub is not null)
            .Select(p => new HelpTypeEntry(p.Sub!.Trim(), Paragraphs(p.Lines))).ToArray();

        var links = Section("RELATED LINKS").SelectMany(p => p.Lines)
            .Select(l => l.Trim().TrimStart('-', '*').Trim())
            .Where(l => l.Length > 0)
            .Select(l => l.StartsWith("[", StringComparison.Ordinal) && l.Contains("](") ? l.Substring(1, l.IndexOf("](", StringComparison.Ordinal) - 1) : l)
            .ToArray();

        return new CmdletHelp
        {
            FilePath = filePath,
            Name = title,
            Synopsis = string.Join(" ", Body("SYNOPSIS")),
            Description = Body("DESCRIPTION"),
            Examples = examples,
            Parameters = parameters,
            Inputs = Typed("INPUTS"),
            Outputs = Typed("OUTPUTS"),
            Notes = Body("NOTES"),
            RelatedLinks = links,
        };
    }

    private static (string Code, List<string> Remarks) SplitCode(List<string> lines)
    {
        var code = new StringBuilder();
        var rest = new List<string>();
        var inFence = false;
        var fenceSeen = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (!inFence && fenceSeen) { rest.Add(line); continue; }
                inFence = !inFence;
                fenceSeen = true;
                continue;
            }
            if (inFence) code.Append(line).Append('\n');
            else rest.Add(line);
        }
        return (code.ToString().TrimEnd('\n'), rest);
    }

    /// <summary>Blank-line separated paragraphs; lines of a paragraph joined; list items kept as their own paragraphs.</summary>
    private static string[] Paragraphs(IEnumerable<string> lines)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0) result.Add(current.ToString().Trim());
            current.Clear();
        }
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0) { Flush(); continue; }
            if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)) Flush();
            if (current.Length > 0) current.Append(' ');
            current.Append(line);
        }
        Flush();
        return result.ToArray();
    }
}
