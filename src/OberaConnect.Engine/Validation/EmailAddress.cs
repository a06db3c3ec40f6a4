namespace OberaConnect.Engine.Validation;

/// <summary>
/// Plausibility of an e-mail address for a Notion email property (not proof that it exists): one '@'; a
/// local part of 1-64 characters of letters, digits and <c>!#$%&amp;'*+/=?^_`{|}~.-</c> without leading,
/// trailing or doubled dots; a domain of at least two labels (letters, digits, inner hyphens) with an
/// alphabetic top-level label; at most 200 characters in all (Notion's limit). The domain is lowercased.
/// </summary>
public static class EmailAddress
{
    public const string ErrorId = "InvalidEmailAddress";
    public const int MaxLength = 200;
    private const string LocalSpecials = "!#$%&'*+/=?^_`{|}~.-";

    public static string Normalize(string? value, string? item = null)
        => TryNormalize(value, out var normalized, out var error, item) ? normalized : throw error!;

    public static bool TryNormalize(string? value, out string normalized, out InputValidationException? error, string? item = null)
    {
        normalized = "";
        error = null;
        const string remedy = "Use an address of the form name@example.com.";
        if (value is null) { error = Fail(item, null, "is missing", remedy); return false; }
        var text = value.Trim();
        if (text.Length == 0) { error = Fail(item, value, "is empty", remedy); return false; }
        if (text.Length > MaxLength) { error = Fail(item, value, $"is {text.Length} characters long (Notion accepts at most {MaxLength})", "Shorten it or store it in a text property."); return false; }
        var at = text.IndexOf('@');
        if (at < 0 || at != text.LastIndexOf('@')) { error = Fail(item, value, at < 0 ? "has no '@'" : "has more than one '@'", remedy); return false; }

        var local = text.Substring(0, at);
        var domain = text.Substring(at + 1);
        if (local.Length is 0 or > 64) { error = Fail(item, value, local.Length == 0 ? "has nothing before the '@'" : "has more than 64 characters before the '@'", remedy); return false; }
        foreach (var c in local)
            if (!(char.IsLetterOrDigit(c) || LocalSpecials.IndexOf(c) >= 0))
            { error = Fail(item, value, $"contains {SiteName.Describe(c)} before the '@', which an address cannot contain", remedy); return false; }
        if (local[0] == '.' || local[local.Length - 1] == '.' || local.Contains(".."))
        { error = Fail(item, value, "has a dot at the start or end of the name, or two dots in a row", remedy); return false; }

        var problem = DomainProblem(domain);
        if (problem != null) { error = Fail(item, value, problem, remedy); return false; }
        normalized = local + "@" + domain.ToLowerInvariant();
        return true;
    }

    internal static string? DomainProblem(string domain)
    {
        if (domain.Length == 0) return "has no domain after the '@'";
        if (domain.Length > 253) return "has a domain longer than 253 characters";
        var labels = domain.Split('.');
        if (labels.Length < 2) return $"has the domain '{domain}', which has no dot (expected something like example.com)";
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63) return $"has an empty or over-long part in the domain '{domain}'";
            if (label[0] == '-' || label[label.Length - 1] == '-') return $"has a domain part that starts or ends with '-' ('{label}')";
            foreach (var c in label)
                if (!(char.IsLetterOrDigit(c) || c == '-')) return $"contains {SiteName.Describe(c)} in the domain, which a domain cannot contain";
        }
        var top = labels[labels.Length - 1];
        if (top.Length < 2 || !top.All(char.IsLetter) && !top.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) return $"ends in '{top}', which is not a top-level domain";
        return null;
    }

    private static InputValidationException Fail(string? item, string? value, string problem, string remedy)
        => new(ErrorId, "e-mail address", item, value, problem, remedy);
}
