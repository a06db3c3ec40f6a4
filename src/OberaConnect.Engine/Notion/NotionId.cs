using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// A Notion object id (page, database, data source, block, user) in its canonical form: dashed,
/// lowercase (<c>393abc1e-edcd-8169-85ce-c64d3d3f20fd</c>). <see cref="Parse"/> accepts what users
/// paste: dashed or undashed ids and Notion links (notion.so, notion.site, app.notion.com, with
/// <c>?v=</c> views ignored and <c>?p=</c> peeked pages preferred). Anything else is an
/// <see cref="NotionInvalidIdException"/> raised before any request is sent.
/// </summary>
public readonly struct NotionId : IEquatable<NotionId>
{
    // Used only for its built-in secret patterns (nothing is ever registered): someone may paste a token
    // where an id belongs, and the error message must not echo it.
    private static readonly SecretRedactor PatternRedactor = new();

    private readonly string? _value;

    private NotionId(string value) => _value = value;

    /// <summary>Dashed lowercase form, the form the API returns.</summary>
    public string Value => _value ?? throw new InvalidOperationException("Empty NotionId.");

    /// <summary>The 32 hex digits without dashes, the form in Notion URLs.</summary>
    public string Compact => Value.Replace("-", "");

    /// <summary>Parses an id or a Notion URL; <paramref name="what"/> names the input in the error ("database id").</summary>
    public static NotionId Parse(string? input, string what = "Notion id")
    {
        if (TryParse(input, out var id)) return id;
        var shown = input is null ? "(nothing)" : "\"" + Shorten(PatternRedactor.Redact(input.Trim())) + "\"";
        throw new NotionInvalidIdException(what, shown);
    }

    /// <summary>Parses an id or URL; false for anything that is neither.</summary>
    public static bool TryParse(string? input, out NotionId id)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var text = input!.Trim();

        var direct = FromHex(text);
        if (direct != null) { id = new NotionId(direct); return true; }

        if (!text.Contains("://") && (text.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
                                      || text.IndexOf("notion.so/", StringComparison.OrdinalIgnoreCase) >= 0
                                      || text.IndexOf("notion.site/", StringComparison.OrdinalIgnoreCase) >= 0))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return false;
        if (!IsNotionHost(uri.Host)) return false;

        // A peeked page (?p=<id>) is the page the user is looking at; the path then names the database.
        var peeked = QueryValue(uri.Query, "p");
        if (peeked != null && FromHex(peeked) is { } p) { id = new NotionId(p); return true; }

        var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) return false;
        var last = Uri.UnescapeDataString(segments[segments.Length - 1]);
        var found = FromHex(last) ?? TrailingId(last);
        if (found == null) return false;
        id = new NotionId(found);
        return true;
    }

    /// <summary>Shorthand for <c>Parse(input, what).Value</c>.</summary>
    public static string Normalize(string? input, string what = "Notion id") => Parse(input, what).Value;

    public bool Equals(NotionId other) => string.Equals(_value, other._value, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is NotionId other && Equals(other);
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);
    public override string ToString() => _value ?? "";
    public static bool operator ==(NotionId a, NotionId b) => a.Equals(b);
    public static bool operator !=(NotionId a, NotionId b) => !a.Equals(b);
    public static implicit operator string(NotionId id) => id.Value;

    private static bool IsNotionHost(string host)
    {
        host = host.ToLowerInvariant();
        foreach (var root in new[] { "notion.so", "notion.site", "notion.com" })
            if (host == root || host.EndsWith("." + root, StringComparison.Ordinal)) return true;
        return false;
    }

    // "Title-With-Dashes-<32hex>" → the 32 hex digits at the end.
    private static string? TrailingId(string segment)
    {
        if (segment.Length < 32) return null;
        var tail = segment.Substring(segment.Length - 32);
        if (segment.Length > 32 && segment[segment.Length - 33] != '-') return null;
        return FromHex(tail);
    }

    private static string? FromHex(string text)
    {
        string hex;
        if (text.Length == 32) hex = text;
        else if (text.Length == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-') hex = text.Replace("-", "");
        else return null;
        if (hex.Length != 32) return null;
        foreach (var c in hex)
            if (!Uri.IsHexDigit(c)) return null;
        hex = hex.ToLowerInvariant();
        return hex.Substring(0, 8) + "-" + hex.Substring(8, 4) + "-" + hex.Substring(12, 4) + "-" + hex.Substring(16, 4) + "-" + hex.Substring(20, 12);
    }

    private static string? QueryValue(string query, string name)
    {
        if (string.IsNullOrEmpty(query)) return null;
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            if (string.Equals(pair.Substring(0, eq), name, StringComparison.Ordinal))
                return Uri.UnescapeDataString(pair.Substring(eq + 1));
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}
