using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Reads the ids people paste into the configuration file: 32 hexadecimal characters with or without
/// dashes, or the Notion URL of the database (www.notion.so, app.notion.com, *.notion.site), whose last
/// path segment ends with the id; a "?v=" view id is ignored. Ids are stored dashed and lower case.
/// (The Notion client has its own NotionId; the two are to be unified.)
/// </summary>
internal static class NotionIdText
{
    private static readonly Regex Dashed = new("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant);
    private static readonly Regex Plain = new("^[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant);
    private static readonly Regex TrailingId = new("(?:^|-)([0-9a-fA-F]{32})$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="text"/> holds a Notion id; <paramref name="id"/> is then its dashed lower-case form.</summary>
    public static bool TryNormalize(string? text, out string id)
    {
        id = "";
        var s = text?.Trim() ?? "";
        if (s.Length == 0) return false;

        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || !IsNotionHost(uri.Host)) return false;
            var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            for (var i = segments.Length - 1; i >= 0; i--)
            {
                var seg = Uri.UnescapeDataString(segments[i]);
                if (TryPlainOrDashed(seg, out id)) return true;
                var m = TrailingId.Match(seg);
                if (m.Success) { id = Format(m.Groups[1].Value); return true; }
            }
            return false;
        }
        return TryPlainOrDashed(s, out id);
    }

    /// <summary>
    /// True for ids nobody's database has: one repeated character, a counting sequence (0123456789abcdef...),
    /// or groups that count up (12345678-1234-1234-1234-123456789012), as documentation examples use.
    /// </summary>
    public static bool IsPlaceholder(string normalizedId)
    {
        var hex = normalizedId.Replace("-", "").ToLowerInvariant();
        if (hex.Length != 32) return false;
        if (hex.All(c => c == hex[0])) return true;
        const string order = "0123456789abcdef";
        var counting = true;
        for (var i = 1; i < hex.Length && counting; i++)
            counting = order.IndexOf(hex[i]) == (order.IndexOf(hex[i - 1]) + 1) % 16;
        if (counting) return true;
        var groups = normalizedId.ToLowerInvariant().Split('-');
        return groups.Length == 5 && groups.All(g => "1234567890abcdef".StartsWith(g, StringComparison.Ordinal) || "123456789012".StartsWith(g, StringComparison.Ordinal));
    }

    private static bool TryPlainOrDashed(string s, out string id)
    {
        id = "";
        if (Dashed.IsMatch(s)) { id = s.ToLowerInvariant(); return true; }
        if (Plain.IsMatch(s)) { id = Format(s); return true; }
        return false;
    }

    private static string Format(string hex32)
    {
        var h = hex32.ToLowerInvariant();
        return $"{h.Substring(0, 8)}-{h.Substring(8, 4)}-{h.Substring(12, 4)}-{h.Substring(16, 4)}-{h.Substring(20, 12)}";
    }

    private static bool IsNotionHost(string host)
    {
        host = host.ToLowerInvariant();
        return host == "notion.so" || host.EndsWith(".notion.so", StringComparison.Ordinal)
            || host == "notion.site" || host.EndsWith(".notion.site", StringComparison.Ordinal)
            || host == "notion.com" || host.EndsWith(".notion.com", StringComparison.Ordinal);
    }
}
