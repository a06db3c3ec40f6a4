using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// Turns a site or organization name into the key used to match UniFi sites to NinjaOne
/// organizations when no explicit mapping exists: case, accents and punctuation are ignored, "&amp;"
/// reads as "and", a leading "The" is dropped, a trailing location designator (" - Main Office",
/// " (HQ)") is dropped, and trailing legal suffixes ("LLC", "Inc.", "Corp", "Ltd", ...) are dropped.
/// So "Acme Corp - Main Office", "ACME Corp., LLC" and "Acme Corporation" all become "acme".
/// Only designators are dropped: "Acme - Warehouse" stays "acme warehouse", so a second location of a
/// customer does not collide with its main site.
/// </summary>
public static class SiteNameNormalizer
{
    private static readonly string[] Separators = { " - ", " – ", " — ", " | ", ": " };

    // Trailing segments that name a location of the same customer, not a different customer.
    private static readonly HashSet<string> Designators = new(StringComparer.Ordinal)
    {
        "main office", "office", "main", "hq", "headquarters", "head office", "main site", "site", "primary site",
        "primary", "branch", "campus", "corporate", "corporate office", "home office", "location", "main location",
        "main campus", "network", "unifi", "default",
    };

    private static readonly HashSet<string> LegalSuffixes = new(StringComparer.Ordinal)
    {
        "llc", "inc", "incorporated", "ltd", "limited", "corp", "corporation", "co", "company", "pllc", "pc", "pa",
        "lp", "llp", "plc", "gmbh", "ag", "sa", "pty", "lc", "dba",
    };

    /// <summary>The matching key of a name; empty for a blank name.</summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var s = RemoveAccents(name!.Trim()).ToLowerInvariant();
        s = s.Replace("&", " and ").Replace("+", " and ");
        // "L.L.C." and "Inc." lose their dots before punctuation becomes spaces, so they read as one word.
        s = s.Replace(".", "").Replace("'", "").Replace("\u2019", "");

        // Drop a trailing "(Main Office)"-style designator.
        while (true)
        {
            s = s.TrimEnd();
            if (!s.EndsWith(")", StringComparison.Ordinal)) break;
            var open = s.LastIndexOf('(');
            if (open <= 0) break;
            var inner = Words(s.Substring(open + 1, s.Length - open - 2));
            if (!Designators.Contains(inner)) break;
            s = s.Substring(0, open);
        }

        // Drop trailing " - Main Office"-style designators.
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var sep in Separators)
            {
                var at = s.LastIndexOf(sep, StringComparison.Ordinal);
                if (at <= 0) continue;
                var tail = Words(s.Substring(at + sep.Length));
                if (Designators.Contains(tail))
                {
                    s = s.Substring(0, at);
                    changed = true;
                    break;
                }
            }
        }

        var tokens = Words(s).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count > 1 && tokens[0] == "the") tokens.RemoveAt(0);
        while (tokens.Count > 1 && LegalSuffixes.Contains(tokens[tokens.Count - 1])) tokens.RemoveAt(tokens.Count - 1);
        // "Acme Corp and Co" leaves a dangling "and".
        while (tokens.Count > 1 && tokens[tokens.Count - 1] == "and") tokens.RemoveAt(tokens.Count - 1);
        return string.Join(" ", tokens);
    }

    private static string Words(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(c);
                space = false;
            }
            else space = true;
        }
        return sb.ToString();
    }

    private static string RemoveAccents(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
