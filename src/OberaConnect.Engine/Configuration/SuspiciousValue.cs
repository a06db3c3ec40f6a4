using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Recognizes two kinds of values that must never be used as they are: placeholders left from a sample
/// ("your-key", "xxx", "changeme", "&lt;vault-name&gt;", "TODO", "REPLACE_ME", "example", ...; the predecessor's
/// "BLOCKED: suspicious default value"), and secret values pasted where a name belongs (a Notion token in
/// a secret-name setting). Also used on credential values.
/// </summary>
internal static class SuspiciousValue
{
    private static readonly HashSet<string> PlaceholderWholeValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "changeme", "change-me", "change_me", "change me", "todo", "tbd", "fixme", "replaceme", "replace-me", "replace_me",
        "replace me", "example", "placeholder", "dummy", "your-key", "your_key", "yourkey", "your key", "your-token",
        "your_token", "your-secret", "your_secret", "insert-here", "null", "undefined",
    };

    // Words that make a technical value (URL, id, secret name) a placeholder wherever they appear in it.
    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "your", "changeme", "todo", "tbd", "fixme", "replaceme", "example", "placeholder", "dummy",
        "yourvault", "yourkeyvault", "yourkey", "yourcompany", "yourorg", "yourtenant", "yourname", "yourtoken",
        "yoursecret", "yourworkspace", "yourteam", "yourdomain", "yoursite", "yourinstance",
    };

    // Whole values that are placeholders whatever the setting.
    private static readonly Regex PlaceholderShapes = new(
        @"^(?:x{3,}|[x\-_.]*x{3,}[x\-_.]*|<[^>]*>|\{\{.*\}\}|\$\{.*\}|\[[^\]]*\]|\*+|\.{2,}|#+)$" +
        @"|^(?:todo|tbd|fixme|replace|changeme)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // Shapes that give a technical value away as a placeholder even inside it: "https://<vault>.vault.azure.net".
    private static readonly Regex TechnicalShapes = new(
        @"<[^<>]*>|\{\{|\$\{|^your[\s_-]|[\s_-]here$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // Sample credentials from .env templates and READMEs ("your_notion_token_here", "ntn_xxx...", "sk-XXXXXXXX",
    // "none"). A real secret is random: never a readable phrase, nor a short prefix followed only by x's.
    private static readonly Regex CredentialShapes = new(
        @"^(?:your|my)[-_ ]?[a-z_ -]*(?:key|token|secret|password|id|here)$" +
        @"|^[a-z0-9]{1,12}[-_]x{3,}(?:\.+|\u2026)?$" +
        @"|^none$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex Guid = new("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant);
    private static readonly Regex LongHex = new("[0-9a-fA-F]{32,}", RegexOptions.CultureInvariant);

    /// <summary>
    /// True when <paramref name="value"/> is a placeholder. <paramref name="technical"/> values (URLs, ids,
    /// secret names) are also refused when a placeholder word appears anywhere in them
    /// ("https://your-vault.vault.azure.net"); names of people's things (site and organization names) only
    /// when the whole value is one, so "Example Dental Group" stays a valid customer.
    /// </summary>
    public static bool IsPlaceholder(string? value, bool technical)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0) return false;
        if (PlaceholderWholeValues.Contains(v) || PlaceholderShapes.IsMatch(v)) return true;
        if (!technical) return false;
        if (TechnicalShapes.IsMatch(v)) return true;
        foreach (var word in Regex.Split(v, "[^A-Za-z0-9]+"))
        {
            if (word.Length == 0) continue;
            if (PlaceholderWords.Contains(word)) return true;
            if (word.Length >= 3 && word.All(c => c == 'x' || c == 'X')) return true;
        }
        return false;
    }

    /// <summary>
    /// True when a credential value (token, API key, client id or secret) is a placeholder: the general
    /// placeholders of <see cref="IsPlaceholder"/> plus the shapes of sample credentials, which would only
    /// fail later as a confusing 401.
    /// </summary>
    public static bool IsCredentialPlaceholder(string? value)
        => IsPlaceholder(value, technical: false) || CredentialShapes.IsMatch(value?.Trim() ?? "");

    /// <summary>
    /// True when <paramref name="value"/> looks like a secret rather than a name: a Notion token prefix
    /// (secret_, ntn_), a bearer header or JWT, a GUID or long hex run, a long unbroken run of letters and
    /// digits, or a long string with the character spread of random data.
    /// </summary>
    public static bool LooksLikeSecret(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length < 16) return false;
        if (v.StartsWith("secret_", StringComparison.OrdinalIgnoreCase) || v.StartsWith("ntn_", StringComparison.OrdinalIgnoreCase)
            || v.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)
            || (v.StartsWith("eyJ", StringComparison.Ordinal) && v.IndexOf('.') > 0)) return true;
        if (Guid.IsMatch(v) || LongHex.IsMatch(v)) return true;
        if (v.Length < 20) return false;
        foreach (var segment in v.Split('-', '_', '.'))
        {
            if (segment.Length >= 16 && segment.Any(char.IsDigit) && segment.Any(char.IsLetter) && !LooksLikeWords(segment)) return true;
        }
        return v.Length >= 24 && Entropy(v) >= 4.2 && v.Any(char.IsDigit) && v.Any(char.IsLetter);
    }

    /// <summary>The value for a message: quoted and shortened, or a note when it looks like a secret.</summary>
    public static string Show(string? value)
    {
        if (value is null) return "null";
        if (LooksLikeSecret(value)) return "(value not shown: it looks like a secret)";
        var v = value.Length > 80 ? value.Substring(0, 77) + "..." : value;
        return "'" + v + "'";
    }

    // "NinjaOneClientSecret2025": letters in runs of 3+ with digits only at the end read as words, not noise.
    private static bool LooksLikeWords(string segment)
    {
        var trimmed = segment.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        return trimmed.All(char.IsLetter) && trimmed.Length >= segment.Length - 4;
    }

    private static double Entropy(string s)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in s) counts[c] = counts.TryGetValue(c, out var n) ? n + 1 : 1;
        double e = 0;
        foreach (var n in counts.Values)
        {
            var p = (double)n / s.Length;
            e -= p * Math.Log(p, 2);
        }
        return e;
    }
}
