using System.Text;
using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Tests.Operations;

/// <summary>
/// An independent checker of the Prometheus text exposition format (0.0.4) as the textfile collectors read
/// it: UTF-8 without BOM, "\n" only, final line feed; metric and label name syntax; label values quoted with
/// only \\, \" and \n escapes; at most one HELP and one TYPE per family, TYPE before the family's samples;
/// a family's lines in one group; numeric values (Go float syntax, NaN, ±Inf); no duplicate series.
/// Returns every violation found, with its line number.
/// </summary>
internal static class PrometheusTextFormatRules
{
    private static readonly Regex MetricName = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    private static readonly Regex LabelName = new("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static readonly Regex FloatValue = new(@"^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Inf)$");
    private static readonly string[] Types = { "counter", "gauge", "histogram", "summary", "untyped" };

    public static List<string> Check(byte[] bytes)
    {
        var problems = new List<string>();
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) problems.Add("file starts with a UTF-8 BOM");
        if (Array.IndexOf(bytes, (byte)'\r') >= 0) problems.Add("file contains a carriage return (only \\n line ends are allowed)");
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n') problems.Add("file does not end with a line feed");
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { problems.Add("file is not valid UTF-8"); return problems; }

        var typed = new Dictionary<string, string>();
        var helped = new HashSet<string>();
        var sampled = new HashSet<string>();
        var series = new HashSet<string>();
        var finishedFamilies = new HashSet<string>();
        string? currentFamily = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            var at = $"line {n + 1}";
            if (line.Length == 0) { problems.Add($"{at}: empty line"); continue; }
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && (parts[1] == "HELP" || parts[1] == "TYPE"))
                {
                    var family = parts[2];
                    if (!MetricName.IsMatch(family)) problems.Add($"{at}: bad metric name '{family}' in {parts[1]}");
                    SwitchFamily(family, at);
                    if (parts[1] == "TYPE")
                    {
                        if (typed.ContainsKey(family)) problems.Add($"{at}: second TYPE for {family}");
                        if (sampled.Contains(family)) problems.Add($"{at}: TYPE for {family} after its samples");
                        if (parts.Length != 4 || !Types.Contains(parts[3])) problems.Add($"{at}: bad TYPE '{(parts.Length > 3 ? parts[3] : "")}'");
                        typed[family] = parts.Length > 3 ? parts[3] : "";
                    }
                    else
                    {
                        if (!helped.Add(family)) problems.Add($"{at}: second HELP for {family}");
                        if (parts.Length == 4 && Regex.IsMatch(parts[3], @"\\[^\\n]")) problems.Add($"{at}: HELP has an escape other than \\\\ or \\n");
                    }
                }
                continue;
            }

            var i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
            var name = line.Substring(0, i);
            if (!MetricName.IsMatch(name)) { problems.Add($"{at}: bad metric name '{name}'"); continue; }
            var baseName = typed.ContainsKey(name) ? name : Regex.Replace(name, "_(sum|count|bucket)$", "");
            SwitchFamily(baseName, at);
            sampled.Add(baseName);
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (true)
                {
                    if (i < line.Length && line[i] == '}') { i++; break; }
                    var start = i;
                    while (i < line.Length && line[i] != '=') i++;
                    if (i >= line.Length) { problems.Add($"{at}: unterminated label set"); goto next; }
                    var label = line.Substring(start, i - start);
                    if (!LabelName.IsMatch(label) || label.StartsWith("__")) problems.Add($"{at}: bad label name '{label}'");
                    i++;
                    if (i >= line.Length || line[i] != '"') { problems.Add($"{at}: label value of '{label}' is not quoted"); goto next; }
                    i++;
                    var value = new StringBuilder();
                    while (true)
                    {
                        if (i >= line.Length) { problems.Add($"{at}: unterminated label value"); goto next; }
                        var c = line[i];
                        if (c == '"') { i++; break; }
                        if (c == '\\')
                        {
                            if (i + 1 >= line.Length || "\\\"n".IndexOf(line[i + 1]) < 0) problems.Add($"{at}: bad escape in label value");
                            value.Append(line[i + 1]);
                            i += 2;
                            continue;
                        }
                        value.Append(c);
                        i++;
                    }
                    if (!labels.TryAdd(label, value.ToString())) problems.Add($"{at}: label '{label}' twice");
                    if (i < line.Length && line[i] == ',') i++;
                }
            }
            if (i >= line.Length || line[i] != ' ') { problems.Add($"{at}: no space before the value"); continue; }
            var fields = line.Substring(i + 1).Split(' ');
            if (fields.Length is < 1 or > 2 || !FloatValue.IsMatch(fields[0])) problems.Add($"{at}: value '{line.Substring(i + 1)}' is not a number");
            if (fields.Length == 2 && !Regex.IsMatch(fields[1], @"^-?\d+$")) problems.Add($"{at}: timestamp '{fields[1]}' is not an integer");
            var key = name + "{" + string.Join(",", labels.Select(l => l.Key + "=" + l.Value)) + "}";
            if (!series.Add(key)) problems.Add($"{at}: duplicate series {key}");
            next:;
        }
        return problems;

        void SwitchFamily(string family, string at)
        {
            if (family == currentFamily) return;
            if (currentFamily != null) finishedFamilies.Add(currentFamily);
            if (finishedFamilies.Contains(family)) problems.Add($"{at}: lines of {family} are not in one group");
            currentFamily = family;
        }
    }
}
