using System.Text;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// Plain-text layout for about_ help topics (80 columns, ASCII): word wrap and fixed-width tables.
/// Shared by the schema and configuration documents.
/// </summary>
internal static class TextLayout
{
    /// <summary>Line width of about_ topics.</summary>
    public const int Width = 80;

    /// <summary>Splits <paramref name="text"/> into lines of at most <paramref name="width"/> characters, breaking at spaces (a longer word is cut).</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word;
            while (w.Length > width)
            {
                if (line.Length > 0) { lines.Add(line.ToString()); line.Clear(); }
                lines.Add(w.Substring(0, width));
                w = w.Substring(width);
            }
            if (line.Length > 0 && line.Length + 1 + w.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(w);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        if (lines.Count == 0) lines.Add("");
        return lines;
    }

    /// <summary>Appends <paramref name="text"/> wrapped to the page width, each line indented.</summary>
    public static void AppendParagraph(StringBuilder sb, string text, int indent)
    {
        foreach (var l in Wrap(text, Width - indent)) sb.Append(' ', indent).Append(l).Append('\n');
    }

    /// <summary>
    /// Appends terms with their text beside them (wrapped under the text column), then a blank line.
    /// </summary>
    public static void AppendDefinitions(StringBuilder sb, int indent, IReadOnlyList<(string Term, string Text)> items, bool blankLineAfter = true)
    {
        var termWidth = items.Max(i => i.Term.Length) + 2;
        foreach (var (term, text) in items)
        {
            var lines = Wrap(text, Width - indent - termWidth);
            for (var i = 0; i < lines.Count; i++)
            {
                sb.Append(' ', indent).Append((i == 0 ? term : "").PadRight(termWidth)).Append(lines[i]).Append('\n');
            }
        }
        if (blankLineAfter) sb.Append('\n');
    }

    /// <summary>
    /// Appends a table: a header, a dashed rule, and rows whose cells may span several lines. Cells are
    /// wrapped to their column; the last column takes what is left of the 80 columns.
    /// </summary>
    public static void AppendTable(StringBuilder sb, int indent, IReadOnlyList<string> headers, IReadOnlyList<int> widths,
        IEnumerable<IReadOnlyList<IReadOnlyList<string>>> rows)
    {
        var all = new List<int>(widths);
        all.Add(Width - indent - widths.Sum() - widths.Count);
        WriteRow(sb, indent, all, headers.Select(h => (IReadOnlyList<string>)new[] { h }).ToList());
        WriteRow(sb, indent, all, all.Select(w => (IReadOnlyList<string>)new[] { new string('-', w) }).ToList());
        foreach (var row in rows) WriteRow(sb, indent, all, row);
    }

    private static void WriteRow(StringBuilder sb, int indent, IReadOnlyList<int> widths, IReadOnlyList<IReadOnlyList<string>> cells)
    {
        var wrapped = new List<List<string>>();
        for (var i = 0; i < widths.Count; i++)
        {
            var lines = new List<string>();
            foreach (var piece in i < cells.Count ? cells[i] : Array.Empty<string>()) lines.AddRange(Wrap(piece, widths[i]));
            wrapped.Add(lines);
        }
        var height = Math.Max(1, wrapped.Max(c => c.Count));
        for (var r = 0; r < height; r++)
        {
            var line = new StringBuilder();
            line.Append(' ', indent);
            for (var i = 0; i < widths.Count; i++)
            {
                var cell = r < wrapped[i].Count ? wrapped[i][r] : "";
                line.Append(cell);
                if (i < widths.Count - 1) line.Append(' ', widths[i] - cell.Length + 1);
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
