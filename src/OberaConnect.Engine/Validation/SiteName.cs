using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// Customer site names as they become Notion titles and natural keys. Allowed: letters (any script, with
/// accents), digits, spaces and the punctuation <c>- _ . , &amp; ' ’ ( ) / # + : @ !</c>; 1 to 200
/// characters after trimming. Normalization: Unicode NFC, any Unicode space (no-break space from a copy
/// and paste) becomes a plain space, leading and trailing spaces are removed. Inner spacing is kept,
/// because the name is matched against the source system's name.
/// What is the same site is one rule, <see cref="IdentityKey"/>: case, runs of spaces and Unicode compatibility forms
/// aside, two names are one site. Every sync and read-back compares site names by it.
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

        if (!TryNormalizeForm(value, NormalizationForm.FormC, out var text))
        {
            error = Fail(item, value, "contains a broken character (half of a surrogate pair)", remedy);
            return false;
        }
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

    /// <summary>
    /// The identity of a site: two names are the same site exactly when their keys are equal. The key is the name in
    /// Unicode compatibility form (NFKC: a no-break space, full-width letters and ligatures read as their plain forms),
    /// with every run of white space as one space, no surrounding spaces, and any case. So "Bayou Electric",
    /// "BAYOU ELECTRIC" and "Bayou  Electric" are one site: none of them makes a second page, and none renames the page
    /// unless a rename is asked for (Sync-CustomerStatus -RenameSite). Empty for a blank name.
    /// </summary>
    public static string IdentityKey(string? name) => PlainForm(name).ToUpperInvariant();

    /// <summary>The name as <see cref="IdentityKey"/> reads it, before case is set aside: NFKC, white space runs as one space, trimmed.</summary>
    public static string PlainForm(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "";
        if (!TryNormalizeForm(name!, NormalizationForm.FormKC, out var text)) text = name!;
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> name the same site (<see cref="IdentityKey"/>).</summary>
    public static bool SameSite(string? a, string? b) => IdentityKey(a) == IdentityKey(b);

    // string.Normalize and IsNormalized throw on a broken surrogate pair: that is bad input, not a crash.
    private static bool TryNormalizeForm(string value, NormalizationForm form, out string normalized)
    {
        try
        {
            normalized = value.IsNormalized(form) ? value : value.Normalize(form);
            return true;
        }
        catch (ArgumentException)
        {
            normalized = value;
            return false;
        }
    }

    internal static string Describe(char c)
        => char.IsSurrogate(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
            ? $"U+{(int)c:X4}" : $"'{c}'";

    private static InputValidationException Fail(string? item, string? value, string problem, string remedy)
        => new(ErrorId, "site name", item, value, problem, remedy);
}
