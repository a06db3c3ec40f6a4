using System.Globalization;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.AzureServices;

/// <summary>
/// The Stage History property of Azure Pipeline: one line per move, oldest first, for example
/// <c>2026-11-22 14:05 Idea → Design (approved by CAB)</c>. Lines are packed whole into rich-text runs of at most
/// 2000 characters (a longer line is split), and when the history outgrows Notion's 100 runs the oldest lines go.
/// </summary>
public static class StageHistory
{
    /// <summary>The arrow between the old and the new stage.</summary>
    public const string Arrow = " \u2192 ";

    /// <summary>One line: UTC time to the minute, the move, and the note in parentheses when there is one.</summary>
    public static string Line(DateTimeOffset at, string? from, string to, string? note)
    {
        var when = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var move = from is null ? "Added as " + to : from + Arrow + to;
        var text = string.IsNullOrWhiteSpace(note) ? move : $"{move} ({OneLine(note!)})";
        return when + " " + text;
    }

    /// <summary>The history lines of the property's text (empty lines dropped).</summary>
    public static IReadOnlyList<string> Lines(string? text)
        => (text ?? "").Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0).ToList();

    /// <summary>
    /// The rich text of <paramref name="lines"/>: whole lines per run where they fit, oldest lines dropped until it
    /// fits in <see cref="NotionLimits.RichTextElements"/> runs. <paramref name="dropped"/> says how many went.
    /// </summary>
    public static IReadOnlyList<RichTextSegment> ToRichText(IReadOnlyList<string> lines, out int dropped)
    {
        var all = Pack(lines);
        dropped = 0;
        if (all.Count <= NotionLimits.RichTextElements) return all;
        if (lines.Count == 1) return all.Skip(all.Count - NotionLimits.RichTextElements).ToList();
        // Fewer lines never need more runs: find the fewest oldest lines to drop by bisection.
        int low = 1, high = lines.Count - 1;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (Pack(lines.Skip(mid).ToList()).Count <= NotionLimits.RichTextElements) high = mid; else low = mid + 1;
        }
        dropped = low;
        var runs = Pack(lines.Skip(low).ToList());
        // Only a single newest line longer than 200,000 characters gets here still too long: keep its end.
        return runs.Count > NotionLimits.RichTextElements ? runs.Skip(runs.Count - NotionLimits.RichTextElements).ToList() : runs;
    }

    private static List<RichTextSegment> Pack(IReadOnlyList<string> lines)
    {
        var runs = new List<RichTextSegment>();
        var current = new System.Text.StringBuilder();
        void Flush()
        {
            if (current.Length == 0) return;
            runs.Add(RichTextSegment.Text(current.ToString()));
            current.Clear();
        }
        for (var i = 0; i < lines.Count; i++)
        {
            var piece = (i == 0 ? "" : "\n") + lines[i];
            if (current.Length + piece.Length <= NotionLimits.TextContent)
            {
                current.Append(piece);
                continue;
            }
            Flush();
            if (piece.Length <= NotionLimits.TextContent)
            {
                current.Append(piece);
                continue;
            }
            // A line longer than a run (a very long note) is split with the client's builder.
            runs.AddRange(RichText.From(piece));
        }
        Flush();
        return runs;
    }

    private static string OneLine(string note) => string.Join(" ", note.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
}
