using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Tests.Validation;

/// <summary>What a field is, by the documented rules (about_OberaConnect, INPUT VALIDATION).</summary>
internal enum FieldKind { Count, Percent, Choice, Flag, Timestamp, Line, Identifier, Paragraph, SiteName, Mac, Ip, SourceList }

/// <summary>What the documented rules say must happen to a value.</summary>
internal enum Expected
{
    /// <summary>A validation error for the record.</summary>
    Invalid,
    /// <summary>Stored as given (trimmed).</summary>
    Valid,
    /// <summary>Stored changed under a documented rule that warns (control characters removed, free text cut).</summary>
    NormalizedWithWarning,
    /// <summary>Stored changed under a documented rule without a warning (the set's spelling, commas in options, a MAC's canonical form).</summary>
    NormalizedDocumented,
    /// <summary>Empty: "not given", the property is left as it is.</summary>
    NotGiven,
}

/// <summary>One field of an input type as the fuzz tests drive it.</summary>
/// <param name="Stored">The Notion property the value is written to (checked against <see cref="InputOracle"/>'s expectation), or null.</param>
/// <param name="Set">For a choice: the values in their spelling, then aliases as "alias=Value".</param>
/// <param name="NoCommas">A single option of a multi-select (a tag): a comma in it is refused.</param>
internal sealed record FieldSpec(string Name, FieldKind Kind, int Limit = 0, string? Stored = null, bool Required = false, bool Option = false, string[]? Set = null,
    bool HasDefault = false, bool NoCommas = false);

/// <summary>
/// The documented rules, written again independently of the engine: for a raw value and a field, what must happen and what
/// must be stored. The fuzz tests compare the engine with it; a difference is either a value accepted that the rules refuse
/// (silently accepted), a value changed without a warning the rules ask for, or a value refused that the rules accept.
/// </summary>
internal static class InputOracle
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static (Expected Outcome, string? Stored) Judge(FieldSpec field, object? raw)
    {
        var (outcome, stored) = JudgeGiven(field, raw);
        if (outcome == Expected.NotGiven && field.Required) return (Expected.Invalid, null);
        return (outcome, stored);
    }

    private static (Expected, string?) JudgeGiven(FieldSpec f, object? raw)
    {
        switch (f.Kind)
        {
            case FieldKind.Count:
                if (Blank(raw)) return (Expected.NotGiven, null);
                return Number(raw) is { Whole: true } n && n.Value >= 0 && n.Value <= 1_000_000
                    ? (Expected.Valid, ((long)n.Value).ToString(CultureInfo.InvariantCulture)) : (Expected.Invalid, null);
            case FieldKind.Percent:
                if (Blank(raw)) return (Expected.NotGiven, null);
                return Number(raw) is { } p && p.Value >= 0 && p.Value <= 100
                    ? (Expected.Valid, (Math.Round(p.Value / 100.0, 6) + 0.0).ToString("R", CultureInfo.InvariantCulture)) : (Expected.Invalid, null);
            case FieldKind.Timestamp:
                if (Blank(raw)) return (Expected.NotGiven, null);
                return Time(raw) is { } t && t >= Earliest && t <= DateTimeOffset.UtcNow.AddDays(1) ? (Expected.Valid, null) : (Expected.Invalid, null);
            case FieldKind.Flag:
                if (raw is bool) return (Expected.Valid, null);
                if (Text(raw) is not { } flag) return (Expected.Invalid, null);
                if (flag.Trim().Length == 0) return (Expected.NotGiven, null);
                return new[] { "true", "false", "yes", "no", "y", "n", "1", "0", "checked", "unchecked", "$true", "$false" }.Contains(flag.Trim().ToLowerInvariant())
                    ? (Expected.Valid, null) : (Expected.Invalid, null);
        }

        if (Text(raw) is not { } text) return (Expected.Invalid, null);
        switch (f.Kind)
        {
            case FieldKind.Choice:
            {
                var t = text.Trim();
                if (t.Length == 0) return (Expected.NotGiven, null);
                foreach (var entry in f.Set!)
                {
                    var (alias, value) = entry.IndexOf('=') is var at and > 0 ? (entry.Substring(0, at), entry.Substring(at + 1)) : (entry, entry);
                    if (string.Equals(alias, t, StringComparison.OrdinalIgnoreCase))
                        return (t == value ? Expected.Valid : Expected.NormalizedDocumented, value);
                }
                return (Expected.Invalid, null);
            }
            case FieldKind.SourceList:
            {
                if (text.Trim().Length == 0) return (Expected.NotGiven, null);
                var parts = text.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
                return parts.All(p => p.Equals("UniFi", StringComparison.OrdinalIgnoreCase) || p.Equals("NinjaOne", StringComparison.OrdinalIgnoreCase))
                    ? (Expected.NormalizedDocumented, null) : (Expected.Invalid, null);
            }
            case FieldKind.Identifier:
            {
                var t = text.Trim();
                if (t.Length == 0) return (Expected.NotGiven, null);
                if (HasControl(t, allowLineBreaks: false) || t.Length > f.Limit || (f.NoCommas && t.Contains(','))) return (Expected.Invalid, null);
                return (Expected.Valid, t);
            }
            case FieldKind.Line:
            {
                var clean = Clean(text, multiLine: false);
                if (clean.Length == 0) return (Expected.NotGiven, null);
                if (clean.Length > f.Limit) return (Expected.Invalid, null);
                if (HasControl(text, allowLineBreaks: false)) return (Expected.NormalizedWithWarning, null);
                if (f.Option && (clean.IndexOf(',') >= 0 || clean.Contains("  "))) return (Expected.NormalizedDocumented, Collapse(clean.Replace(',', ' ')));
                return (Expected.Valid, clean);
            }
            case FieldKind.Paragraph:
            {
                var clean = Clean(text, multiLine: true);
                if (clean.Length == 0) return (Expected.NotGiven, null);
                if (HasControl(text, allowLineBreaks: true) || clean.Length > f.Limit) return (Expected.NormalizedWithWarning, null);
                // Line ends are stored as "\n" (documented).
                return text.IndexOf('\r') >= 0 ? (Expected.NormalizedDocumented, null) : (Expected.Valid, clean);
            }
            case FieldKind.SiteName:
            {
                if (HasControl(text, allowLineBreaks: false) && text.Trim().Length > 0) return (Expected.Invalid, null);
                var t = text.Normalize(NormalizationForm.FormC);
                var spaced = new string(t.Select(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c).ToArray()).Trim(' ');
                if (spaced.Length == 0) return (Expected.NotGiven, null);
                if (spaced.Length > 200 || !SiteNameChars.IsMatch(spaced)) return (Expected.Invalid, null);
                return (spaced == text ? Expected.Valid : Expected.NormalizedDocumented, spaced);
            }
            case FieldKind.Mac:
            {
                var t = text.Trim().ToLowerInvariant();
                if (t.Length == 0) return (Expected.NotGiven, null);
                if (!MacForms.IsMatch(t)) return (Expected.Invalid, null);
                var hex = new string(t.Where(Uri.IsHexDigit).ToArray());
                if (hex.Distinct().Count() == 1 && (hex[0] == '0' || hex[0] == 'f')) return (Expected.Invalid, null);
                return (Expected.NormalizedDocumented, string.Join(":", Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))));
            }
            case FieldKind.Ip:
            {
                var clean = Clean(text, multiLine: false);
                if (clean.Length == 0) return (Expected.NotGiven, null);
                if (HasControl(text, allowLineBreaks: false)) return (Expected.Invalid, null);
                var ok = IPAddress.TryParse(clean, out _) && (clean.Contains(':') || clean.Split('.').Length == 4);
                return ok ? (Expected.Valid, clean) : (Expected.Invalid, null);
            }
        }
        throw new ArgumentOutOfRangeException(nameof(f));
    }

    // Letters and digits of any script (with their accents), spaces and - _ . , & ' ’ ( ) / # + : @ !
    private static readonly Regex SiteNameChars = new(@"^[\p{L}\p{Nd}\p{M} \-_.,&'’()/#+:@!]+$");
    private static readonly Regex MacForms = new(@"^([0-9a-f]{2}:){5}[0-9a-f]{2}$|^([0-9a-f]{2}-){5}[0-9a-f]{2}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$|^[0-9a-f]{12}$");

    private static bool Blank(object? raw) => raw is null || raw is string s && s.Trim().Length == 0;

    /// <summary>The number a value stands for and whether it is whole (decided exactly), or null: integers, finite floating values, decimals, invariant text.</summary>
    private static (double Value, bool Whole)? Number(object? raw)
    {
        switch (raw)
        {
            case bool or Enum: return null;
            case string s:
                return decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
                    ? ((double)d + 0.0, d == decimal.Truncate(d)) : null;
            case double x when double.IsNaN(x) || double.IsInfinity(x): return null;
            case float x when float.IsNaN(x) || float.IsInfinity(x): return null;
            case double x: return (x + 0.0, x == Math.Floor(x));
            case float x: return (x + 0.0, x == Math.Floor(x));
            case decimal m: return ((double)m, m == decimal.Truncate(m));
            case byte or sbyte or short or ushort or int or uint or long or ulong: return (Convert.ToDouble(raw, CultureInfo.InvariantCulture), true);
            default: return null;
        }
    }

    private static DateTimeOffset? Time(object? raw) => raw switch
    {
        DateTimeOffset o => o,
        DateTime d => d.Kind == DateTimeKind.Utc || d == DateTime.MinValue || d == DateTime.MaxValue ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : new DateTimeOffset(d),
        string s when !Regex.IsMatch(s, @"(?<!\d)\d{4}(?!\d)") => null,
        string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var t) => t,
        string s when DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => null,
    };

    /// <summary>Text as documented: strings, characters, finite numbers, ids and enum names; nothing else is text.</summary>
    private static string? Text(object? raw) => raw switch
    {
        null => "",
        string s => s,
        char c => c.ToString(),
        Guid g => g.ToString(),
        Enum e => e.ToString(),
        bool => null,
        double x when double.IsNaN(x) || double.IsInfinity(x) => null,
        float x when float.IsNaN(x) || float.IsInfinity(x) => null,
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => Convert.ToString(raw, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static bool HasControl(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (allowLineBreaks && (c is '\n' or '\t' or '\r' or '\u2028' or '\u2029' or '\u0085')) continue;
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) return true;
            if (char.IsHighSurrogate(c) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))) return true;
            if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]))) return true;
        }
        return false;
    }

    // What stays of a text after the documented clean-up: control characters gone, line breaks kept (multi-line) or spaces.
    private static string Clean(string text, bool multiLine)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Replace("\r\n", "\n"))
        {
            if (c is '\n' or '\t' or '\r' or '\u2028' or '\u2029' or '\u0085') { sb.Append(multiLine ? (c == '\t' ? '\t' : '\n') : ' '); continue; }
            if (char.IsControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) continue;
            sb.Append(c);
        }
        return sb.ToString().Trim();
    }

    private static string Collapse(string text) => Regex.Replace(text, " {2,}", " ").Trim();
}
