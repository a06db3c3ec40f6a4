using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>Ids, timestamps, URLs and colours written the way Notion writes them.</summary>
internal static class NotionFormats
{
    public static readonly string[] Colors = { "default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red" };

    public static string NewId() => Guid.NewGuid().ToString("D");

    /// <summary>Accepts a dashed or undashed 32-hex id and returns it dashed and lower case; null when it is no UUID.</summary>
    public static string? NormalizeId(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var s = raw.Trim();
        if (s.Length == 32 && Guid.TryParseExact(s, "N", out var n)) return n.ToString("D");
        if (s.Length == 36 && Guid.TryParseExact(s, "D", out var d)) return d.ToString("D");
        return null;
    }

    /// <summary>Short URL-encoded property id like Notion's ("%3AUPp", "BQ%3Bg").</summary>
    public static string NewPropertyId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:;<=>?@[]^_`{|}~";
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return Uri.EscapeDataString(new string(chars));
    }

    /// <summary>Notion shows page, data source and block timestamps rounded down to the minute.</summary>
    public static DateTimeOffset ToMinute(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return new DateTimeOffset(u.Ticks - u.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>Database timestamps keep milliseconds (as recorded: "2026-07-04T09:08:53.017+00:00").</summary>
    public static DateTimeOffset ToMillisecond(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return new DateTimeOffset(u.Ticks - u.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public static string MinuteStamp(DateTimeOffset t)
        => ToMinute(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string DatabaseStamp(DateTimeOffset t)
        => ToMillisecond(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00:00";

    public static string Undashed(string id) => id.Replace("-", "", StringComparison.Ordinal);

    public static string PageUrl(string id, string title)
    {
        var slug = new StringBuilder();
        foreach (var ch in title)
        {
            if (char.IsLetterOrDigit(ch)) slug.Append(ch);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var s = slug.ToString().Trim('-');
        return s.Length == 0 ? $"https://app.notion.com/p/{Undashed(id)}" : $"https://app.notion.com/p/{s}-{Undashed(id)}";
    }

    public static string DatabaseUrl(string databaseId) => $"https://app.notion.com/p/{Undashed(databaseId)}";

    /// <summary>A stable colour for a new select option, as Notion picks one when it creates the option.</summary>
    public static string ColorFor(string name)
    {
        var h = 0;
        foreach (var ch in name) h = unchecked(h * 31 + ch);
        return Colors[1 + (int)((uint)h % (uint)(Colors.Length - 1))];
    }

    /// <summary>Parses an ISO 8601 date or date-time as Notion accepts it.</summary>
    public static bool TryParseDate(string? text, out DateTimeOffset instant, out bool hasTime, out string normalized)
    {
        instant = default;
        hasTime = false;
        normalized = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            instant = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            normalized = s;
            return true;
        }
        if (!s.Contains('T', StringComparison.Ordinal)) return false;
        var hasOffset = s.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || HasExplicitOffset(s);
        var style = hasOffset ? DateTimeStyles.None : DateTimeStyles.AssumeUniversal;
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, style, out instant)) return false;
        hasTime = true;
        normalized = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return true;
    }

    private static bool HasExplicitOffset(string s)
    {
        var t = s.IndexOf('T', StringComparison.Ordinal);
        var tail = s[(t + 1)..];
        return tail.Contains('+', StringComparison.Ordinal) || tail.Contains('-', StringComparison.Ordinal);
    }

    public static JsonObject PartialUser(string id) => new() { ["object"] = "user", ["id"] = id };
}
