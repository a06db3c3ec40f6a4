using System.Text;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// Text made safe and fitting for Notion. Sanitizing removes what has no place in a Notion text value:
/// control characters other than line feed and tab, bidirectional override characters (which can make
/// text display differently from what it is), and unpaired surrogates (replaced by U+FFFD); line ends
/// become "\n". Nothing is HTML-escaped: Notion stores plain text and renders it as such, so escaping would
/// only corrupt the data.
/// Length: Notion refuses a text content over 2,000 characters and a rich-text array over 100 elements.
/// Rich text (titles, rich_text properties, paragraphs) is therefore SPLIT into segments of at most 2,000
/// characters, which Notion shows joined, so nothing is lost up to 200,000 characters; beyond that the last
/// segment is TRUNCATED and ends with <see cref="TruncationMarker"/>. Single-value fields (select names)
/// are truncated with the marker by <see cref="Truncate"/>.
/// </summary>
public static class NotionText
{
    /// <summary>Longest text content Notion accepts in one rich-text element.</summary>
    public const int MaxContentLength = 2000;

    /// <summary>Most elements Notion accepts in one rich-text array.</summary>
    public const int MaxSegments = 100;

    /// <summary>Ends text that had to be shortened, so a reader knows more existed.</summary>
    public const string TruncationMarker = "… [truncated]";

    /// <summary>The text with control and bidi-override characters removed and newlines normalized.</summary>
    public static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text!.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                sb.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                continue;
            }
            if (c is '\u2028' or '\u2029' or '\u0085') { sb.Append('\n'); continue; }
            if (c == '\n' || c == '\t') { sb.Append(c); continue; }
            if (char.IsControl(c)) continue;
            if (IsBidiControl(c)) continue;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[i + 1]); i++; }
                else sb.Append('\uFFFD');
                continue;
            }
            if (char.IsLowSurrogate(c)) { sb.Append('\uFFFD'); continue; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Sanitized text of at most <paramref name="maxLength"/> characters, ending with the marker when shortened.</summary>
    public static string Truncate(string? text, int maxLength = MaxContentLength)
    {
        if (maxLength <= TruncationMarker.Length) throw new ArgumentOutOfRangeException(nameof(maxLength), $"must exceed {TruncationMarker.Length}");
        var clean = Sanitize(text);
        if (clean.Length <= maxLength) return clean;
        var keep = SafeCut(clean, maxLength - TruncationMarker.Length);
        return clean.Substring(0, keep) + TruncationMarker;
    }

    /// <summary>Sanitized text split into rich-text segments that Notion accepts (see the class remarks).</summary>
    public static NotionTextSegments Split(string? text, int segmentLength = MaxContentLength, int maxSegments = MaxSegments)
    {
        if (segmentLength <= TruncationMarker.Length + 1) throw new ArgumentOutOfRangeException(nameof(segmentLength));
        if (maxSegments < 1) throw new ArgumentOutOfRangeException(nameof(maxSegments));
        var clean = Sanitize(text);
        var segments = new List<string>();
        var position = 0;
        var truncated = false;
        while (position < clean.Length)
        {
            var remaining = clean.Length - position;
            if (segments.Count == maxSegments - 1 && remaining > segmentLength)
            {
                var keep = SafeCut(clean, position + segmentLength - TruncationMarker.Length) - position;
                segments.Add(clean.Substring(position, keep) + TruncationMarker);
                truncated = true;
                break;
            }
            var length = remaining <= segmentLength ? remaining : SafeCut(clean, position + segmentLength) - position;
            segments.Add(clean.Substring(position, length));
            position += length;
        }
        return new NotionTextSegments(segments, truncated, text?.Length ?? 0);
    }

    // A cut at index would split a surrogate pair: move it one left.
    private static int SafeCut(string s, int index)
        => index > 0 && index < s.Length && char.IsLowSurrogate(s[index]) && char.IsHighSurrogate(s[index - 1]) ? index - 1 : index;

    private static bool IsBidiControl(char c)
        => (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
}

/// <summary>Text split for a Notion rich-text array.</summary>
public sealed class NotionTextSegments
{
    public NotionTextSegments(IReadOnlyList<string> segments, bool truncated, int originalLength)
    {
        Segments = segments;
        Truncated = truncated;
        OriginalLength = originalLength;
    }

    /// <summary>At most 100 segments of at most 2,000 characters each; empty for empty text.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>True when text was dropped (over 100 segments' worth); the last segment then ends with the marker.</summary>
    public bool Truncated { get; }

    /// <summary>Length of the text before sanitizing.</summary>
    public int OriginalLength { get; }

    /// <summary>The segments joined: what Notion will show.</summary>
    public override string ToString() => string.Concat(Segments);
}
