using System.Text;
using System.Text.RegularExpressions;

namespace OberaConnect.ModuleBuild;

/// <summary>
/// The job scripts as the module ships them. A script in module/Scripts may dot-source a shared file beside it on a line
/// of its own (<c>. "$PSScriptRoot/JobScript.Common.ps1"</c>), so the source scripts run from the repository as they
/// are; the shipped copy has that file's text in place of the line, because a job script travels alone (NinjaOne
/// uploads one file, a scheduled task runs one path). Shared files (*.Common.ps1) are not shipped by themselves.
/// </summary>
public static class JobScripts
{
    /// <summary>The name ending of a shared file: written into the scripts that use it, never shipped by itself.</summary>
    public const string SharedSuffix = ".Common.ps1";

    private static readonly Regex DotSourceLine = new(@"^\s*\.\s+""\$PSScriptRoot[/\\](?<file>[^""/\\]+)""\s*$", RegexOptions.CultureInvariant);

    /// <summary>Writes every script of <paramref name="sourceDirectory"/> but the shared files into <paramref name="outDirectory"/>, each with its shared files written in.</summary>
    public static IReadOnlyList<string> Write(string sourceDirectory, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var written = new List<string>();
        foreach (var path in Directory.GetFiles(sourceDirectory, "*.ps1").OrderBy(p => p, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SharedSuffix, StringComparison.OrdinalIgnoreCase)) continue;
            var bytes = File.ReadAllBytes(path);
            var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var text = Inline(name, File.ReadAllText(path), shared => ReadShared(sourceDirectory, name, shared));
            var target = Path.Combine(outDirectory, name);
            File.WriteAllText(target, text, new UTF8Encoding(bom));
            written.Add(target);
        }
        return written;
    }

    /// <summary>
    /// <paramref name="text"/> with each line that dot-sources a shared file from $PSScriptRoot replaced by that file's
    /// text (given by <paramref name="readShared"/>), between two comment lines naming it. A dot-sourced file that is not
    /// a shared file is an error: the shipped script would look for it beside itself and not find it.
    /// </summary>
    public static string Inline(string scriptName, string text, Func<string, string> readShared)
    {
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length * 2);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var match = DotSourceLine.Match(line);
            if (!match.Success)
            {
                result.Append(lines[i]);
                if (i < lines.Length - 1) result.Append('\n');
                continue;
            }
            var file = match.Groups["file"].Value;
            if (!file.EndsWith(SharedSuffix, StringComparison.OrdinalIgnoreCase))
                throw new FormatException($"{scriptName} line {i + 1} dot-sources '{file}', which is not a shared file (*{SharedSuffix}): the shipped script travels alone and would not find it. Name the file *{SharedSuffix}, or write its text into the script.");
            var shared = readShared(file).Replace("\r\n", "\n").TrimEnd('\n').Replace("\n", newline);
            result.Append("# ---- ").Append(file).Append(" (written in by the module build; edit module/Scripts/").Append(file).Append(") ----").Append(newline)
                .Append(shared).Append(newline)
                .Append("# ---- end of ").Append(file).Append(" ----")
                .Append(lines[i].EndsWith("\r", StringComparison.Ordinal) ? "\r" : "");
            if (i < lines.Length - 1) result.Append('\n');
        }
        return result.ToString();
    }

    private static string ReadShared(string sourceDirectory, string scriptName, string file)
    {
        var path = Path.Combine(sourceDirectory, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"{scriptName} dot-sources '{file}', which is not in {sourceDirectory}.", path);
        var text = File.ReadAllText(path);
        if (text.Split('\n').Any(l => DotSourceLine.IsMatch(l.TrimEnd('\r'))))
            throw new FormatException($"{file} dot-sources another file; a shared file must stand alone.");
        return text;
    }
}
