using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// Customer site names as they become Notion titles and natural keys. Allowed: letters (any script, with
/// accents), digits, spaces and the punctuation <c>- _ . , &amp; ' ’ ( ) / # + : @ !</c>; 1 to 200
/// characters after trimming. Normalization: Unicode NFC, any Unicode space (no-break space from a copy
/// and paste) becomes a plain space, leading and trailing spaces are removed. Inner spacing is kept,
/// because the name is matched against the source system's name.
/// </summary>
public static class SiteName
{
    public const int MaxLength = 200;

    /// <summary>The punctuation allowed besides letters, digits and spaces.</summary>
    public const string AllowedPunctuation = "-_.,&'’()/#+:@!";

    public const string ErrorId = "InvalidSiteName";

    /// <summary>The normalized name; throws <see cref="InputValidationException"/> (InvalidSiteName).</summary>
    public static string Normalize(string? value, string? item = null)
        => TryNormalize(value, out var normalized, out var error, item) ? normalized : throw error!;

    /// <summary>The normalized name, or false with the error to report for this item.</summary>
    public static bool TryNormalize(string? value, out string normalized, out InputValidationException? error, string? item = null)
    {
        normalized = "";
        error = null;
        const string remedy = "Use 1-200 characters: letters, digits, spaces and - _ . , & ' ( ) / # + : @ !; correct the name in the source system or in the input.";
        if (value is null) { error = Fail(item, null, "is missing", remedy); return false; }

        var text = value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c != ' ' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c);
        text = sb.ToString().Trim(' ');

        if (text.Length == 0) { error = Fail(item, value, "is empty (or only spaces)", remedy); return false; }
        if (text.Length > MaxLength) { error = Fail(item, value, $"is {text.Length} characters long (at most {MaxLength})", "Shorten the name in the source system or in the input."); return false; }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                error = Fail(item, value, $"contains a control character (U+{(int)c:X4}) at position {i + 1}", "Remove tabs, line breaks and other control characters from the name.");
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (char.IsLetterOrDigit(text, i)) { i++; continue; }
                error = Fail(item, value, $"contains '{text.Substring(i, 2)}' at position {i + 1}, which is not allowed", remedy);
                return false;
            }
            if (char.IsLetterOrDigit(c) || c == ' ' || AllowedPunctuation.IndexOf(c) >= 0) continue;
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            // A combining accent after a letter that NFC could not merge (rare scripts) belongs to that letter.
            if (i > 0 && category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            error = Fail(item, value, $"contains {Describe(c)} at position {i + 1}, which is not allowed", remedy);
            return false;
        }
        normalized = text;
        return true;
    }

    internal static string Describe(char c)
        => char.IsSurrogate(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
            ? $"U+{(int)c:X4}" : $"'{c}'";

    private static InputValidationException Fail(string? item, string? value, string problem, string remedy)
        => new(ErrorId, "site name", item, value, problem, remedy);
}
