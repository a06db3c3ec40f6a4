using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Security;

/// <summary>
/// Removes secrets from any text before it leaves the engine (trace lines, logs, error messages).
/// It knows the secret values the session resolved (registered as they are resolved) and also strips
/// the shapes secrets take when a value was never registered: bearer tokens, Notion tokens, API key
/// headers and JSON or form fields with secret-sounding names. A plain <c>"value"</c> field is a secret only in a
/// secret store's answer (Key Vault's secret bundle): <see cref="RedactSecretStoreBody"/> masks it there, while
/// <see cref="Redact"/> leaves it alone, so a trace still shows a search filter's <c>"value":"page"</c>.
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    private static readonly Regex Patterns = new(
        // Authorization values, Notion integration tokens, JSON fields and form fields that carry secrets.
        @"(?<lead>\bBearer\s+)[A-Za-z0-9\-\._~\+/=]+" +
        @"|\b(?:secret|ntn)_[A-Za-z0-9]{20,}" +
        @"|(?<lead>""(?:access_token|refresh_token|client_secret|token|api_key|apiKey|password)""\s*:\s*"")[^""]*" +
        @"|(?<lead>\b(?:client_secret|access_token|refresh_token|password)=)[^&\s""]*",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex ValueField = new(@"(?<lead>""value""\s*:\s*"")(?:[^""\\]|\\.)*", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private readonly object _gate = new();
    private string[] _known = Array.Empty<string>();

    /// <summary>Registers a secret value so that every later <see cref="Redact"/> masks it.</summary>
    public void Register(string? secret)
    {
        // Very short values would mask innocent text everywhere; nothing real is that short.
        if (string.IsNullOrEmpty(secret) || secret!.Length < 6) return;
        lock (_gate)
        {
            if (Array.IndexOf(_known, secret) >= 0) return;
            var next = new string[_known.Length + 1];
            _known.CopyTo(next, 0);
            next[_known.Length] = secret;
            // Longest first, so a secret that contains another is masked whole.
            Array.Sort(next, (a, b) => b.Length.CompareTo(a.Length));
            _known = next;
        }
    }

    /// <summary>Returns <paramref name="text"/> with every known secret and secret-shaped value masked.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        var result = text!;
        foreach (var secret in _known)
        {
            if (result.IndexOf(secret, StringComparison.Ordinal) >= 0)
                result = result.Replace(secret, Mask);
        }
        return Patterns.Replace(result, m => m.Groups["lead"].Success ? m.Groups["lead"].Value + Mask : Mask);
    }

    /// <summary>
    /// <see cref="Redact"/> for the body of a secret store's request or answer, whose <c>"value"</c> fields are the
    /// secrets themselves (traced before the value could be registered).
    /// </summary>
    public string RedactSecretStoreBody(string? text)
        => string.IsNullOrEmpty(text) ? text ?? string.Empty : ValueField.Replace(Redact(text), m => m.Groups["lead"].Value + Mask);
}
