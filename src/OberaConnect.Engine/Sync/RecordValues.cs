using System.Globalization;
using System.Text;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Sync;

/// <summary>How input values become property values, alike in every record builder.</summary>
internal static class RecordValues
{
    /// <summary>Longest option name written to a select property.</summary>
    public const int MaxOptionLength = 100;

    /// <summary>
    /// A select option from free text: sanitized, commas (which Notion refuses in option names) turned into
    /// spaces, runs of spaces collapsed, at most 100 characters; null for empty text.
    /// </summary>
    public static string? OptionName(string? text)
    {
        var clean = NotionText.Sanitize(text).Replace('\n', ' ').Replace('\t', ' ').Replace(',', ' ');
        var sb = new StringBuilder(clean.Length);
        foreach (var c in clean)
            if (c != ' ' || (sb.Length > 0 && sb[sb.Length - 1] != ' ')) sb.Append(c);
        var name = sb.ToString().Trim();
        if (name.Length == 0) return null;
        return name.Length <= MaxOptionLength ? name : NotionText.Truncate(name, MaxOptionLength);
    }

    /// <summary>Text cut at 2,000 characters (one rich_text segment, as the schema says); null stays null.</summary>
    public static string? Short(string? text) => text is null ? null : NotionText.Truncate(text, NotionText.MaxContentLength);

    /// <summary>Sanitized text, null when empty.</summary>
    public static string? Clean(string? text)
    {
        var clean = NotionText.Sanitize(text).Trim();
        return clean.Length == 0 ? null : clean;
    }

    /// <summary>Reads a yes/no text: true/false, yes/no, 1/0, checked/unchecked (any case); null when empty.</summary>
    public static bool TryFlag(string? text, string field, string item, out bool? value, out OberaConnectException? error)
    {
        value = null;
        error = null;
        var t = (text ?? "").Trim().ToLowerInvariant();
        switch (t)
        {
            case "": return true;
            case "true": case "yes": case "y": case "1": case "checked": case "$true": value = true; return true;
            case "false": case "no": case "n": case "0": case "unchecked": case "$false": value = false; return true;
            default:
                error = new InputValidationException("InvalidFlag", field, item, text, "is neither true nor false", $"Give {field} as true or false (yes/no and 1/0 work too).");
                return false;
        }
    }

    /// <summary>Title case of a lower-case word list ("gone from source" → "Gone From Source").</summary>
    public static string Title(string words)
        => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(words.ToLowerInvariant());
}
