namespace OberaConnect.Engine.Validation;

/// <summary>
/// Plausibility of a link for a Notion url property: absolute http or https (never javascript:, data:,
/// file: and the like), a host name with a dot or an IP address (or localhost), no spaces or control
/// characters, no user name or password inside the URL (they would be published in Notion), and at most
/// 2,000 characters (Notion's limit). The text is returned trimmed, otherwise as given.
/// </summary>
public static class WebUrl
{
    public const string ErrorId = "InvalidUrl";
    public const int MaxLength = 2000;

    public static string Normalize(string? value, string? item = null)
        => TryNormalize(value, out var normalized, out var error, item) ? normalized : throw error!;

    public static bool TryNormalize(string? value, out string normalized, out InputValidationException? error, string? item = null)
    {
        normalized = "";
        error = null;
        const string remedy = "Use a full web address such as https://example.com/path.";
        if (value is null) { error = Fail(item, null, "is missing", remedy); return false; }
        var text = value.Trim();
        if (text.Length == 0) { error = Fail(item, value, "is empty", remedy); return false; }
        if (text.Length > MaxLength) { error = Fail(item, value, $"is {text.Length} characters long (Notion accepts at most {MaxLength})", "Link to a shorter address."); return false; }
        for (var i = 0; i < text.Length; i++)
            if (char.IsWhiteSpace(text[i]) || char.IsControl(text[i]))
            { error = Fail(item, value, $"contains a space or control character at position {i + 1}", "Encode spaces as %20 or remove them."); return false; }
        // Explicit scheme check first: on Unix "/path" would otherwise parse as an implicit file: URI.
        var scheme = System.Text.RegularExpressions.Regex.Match(text, "^([A-Za-z][A-Za-z0-9+.-]*):");
        if (!scheme.Success)
        { error = Fail(item, value, "is not an absolute URL (it has no scheme such as https://)", remedy); return false; }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        { error = Fail(item, value, "is not an absolute URL", remedy); return false; }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        { error = Fail(item, value, $"uses the scheme '{uri.Scheme}:', but only http and https links are accepted", remedy); return false; }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the credentials themselves, not even in the error.
            var masked = MaskUserInfo(text);
            error = Fail(item, masked, "contains a user name or password", "Remove the credentials from the link; they would be visible to everyone in Notion.");
            return false;
        }
        var host = uri.IdnHost;
        var plausibleHost = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (host.IndexOf('.') > 0 && EmailAddress.DomainProblem(uri.Host.TrimEnd('.')) is null);
        if (!plausibleHost)
        { error = Fail(item, value, $"has the host '{uri.Host}', which is not a plausible host name", remedy); return false; }
        normalized = text;
        return true;
    }

    private static string MaskUserInfo(string text)
    {
        var start = text.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return "***";
        start += 3;
        var end = text.IndexOfAny(new[] { '/', '?', '#' }, start);
        var authority = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        var at = authority.LastIndexOf('@');
        return at < 0 ? text : text.Substring(0, start) + "***" + text.Substring(start + at);
    }

    private static InputValidationException Fail(string? item, string? value, string problem, string remedy)
        => new(ErrorId, "URL", item, value, problem, remedy);
}
