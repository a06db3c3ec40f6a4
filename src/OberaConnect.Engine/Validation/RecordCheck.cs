using System.Globalization;
using System.Net;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// The validation of one input record, field by field, before anything is planned or sent. Each method takes a
/// field's value, returns it as it will be written (or null when it is missing or refused) and collects what is
/// wrong; <see cref="Error"/> is then the one error the record fails with, naming the item, every field at fault, the
/// value (at most its first 100 characters) and what is accepted. Changes that are part of a documented rule and
/// worth knowing (control characters removed, a documented free-text field cut) are <see cref="Notices"/>, which
/// hosts show as warnings. The rules are in about_OberaConnect ("INPUT VALIDATION").
/// </summary>
public sealed class RecordCheck
{
    /// <summary>The earliest timestamp taken without -AllowAnyTimestamp.</summary>
    public static readonly DateTimeOffset EarliestTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of now a timestamp may be without -AllowAnyTimestamp (clocks and time zones differ).</summary>
    public static readonly TimeSpan FutureAllowance = TimeSpan.FromDays(1);

    private readonly List<InputValidationException> _problems = new();
    private readonly List<string> _notices = new();
    private readonly DateTimeOffset _now;
    private readonly bool _allowAnyTimestamp;

    /// <param name="item">How messages name the record ("Customer site 'Acme'", "Config change auto-1f...").</param>
    /// <param name="time">Now, for timestamps; the system clock when null.</param>
    /// <param name="allowAnyTimestamp">-AllowAnyTimestamp: timestamps are taken whatever their date.</param>
    public RecordCheck(string item, TimeProvider? time = null, bool allowAnyTimestamp = false)
    {
        Item = item;
        _now = (time ?? TimeProvider.System).GetUtcNow();
        _allowAnyTimestamp = allowAnyTimestamp;
    }

    public string Item { get; }

    /// <summary>True while no field was refused.</summary>
    public bool Ok => _problems.Count == 0;

    /// <summary>What is wrong, one per field, in the order checked.</summary>
    public IReadOnlyList<InputValidationException> Problems => _problems;

    /// <summary>What was changed under a documented rule, for a warning (never a reason to fail).</summary>
    public IReadOnlyList<string> Notices => _notices;

    /// <summary>The record's error: the first problem, with the others named in the same message; null when none.</summary>
    public InputValidationException? Error => InputValidationException.Combine(_problems);

    /// <summary>Adds the fields that could not even be converted (<see cref="InputValue"/>).</summary>
    public void Add(IEnumerable<FieldProblem>? problems)
    {
        foreach (var p in problems ?? Array.Empty<FieldProblem>())
            _problems.Add(new InputValidationException(p.ErrorId, p.Field, Item, p.Value, p.Problem, p.Remedy));
    }

    /// <summary>Adds a problem found by a rule of its own (a site name, a MAC address).</summary>
    public void Add(InputValidationException? problem)
    {
        if (problem != null) _problems.Add(problem);
    }

    /// <summary>Adds a problem.</summary>
    public void Fail(string errorId, string field, string? value, string problem, string remedy)
        => _problems.Add(new InputValidationException(errorId, field, Item, value, problem, remedy));

    /// <summary>A count: 0 to <see cref="InputValue.MaxCount"/>.</summary>
    public int? Count(string field, int? value)
    {
        if (value is not { } v) return null;
        if (v >= 0 && v <= InputValue.MaxCount) return v;
        Fail(InputErrorIds.ValueOutOfRange, field, v.ToString(CultureInfo.InvariantCulture), $"is outside the range 0 to {InputValue.MaxCount:N0}",
            $"Give {field} as a whole number from 0 to {InputValue.MaxCount:N0}.");
        return null;
    }

    /// <summary>Refuses <paramref name="part"/> &gt; <paramref name="whole"/> when both are known ("online &lt;= total").</summary>
    public void AtMost(string partField, int? part, string wholeField, int? whole)
    {
        if (part is { } p && whole is { } w && p > w)
            Fail(InputErrorIds.ValueOutOfRange, partField, p.ToString(CultureInfo.InvariantCulture), $"is more than {wholeField} ({w})",
                $"Give {partField} as at most {wholeField}, or correct {wholeField}.");
    }

    /// <summary>A percentage: a finite number from 0 to 100.</summary>
    public double? Percent(string field, double? value)
    {
        if (value is not { } v) return null;
        var shown = v.ToString("R", CultureInfo.InvariantCulture);
        var remedy = $"Give {field} as a number from 0 to 100 (99.9 for 99.9%).";
        if (double.IsNaN(v) || double.IsInfinity(v)) Fail(InputErrorIds.InvalidNumber, field, shown, "is not a number (NaN or an infinity)", remedy);
        else if (v < 0 || v > 100) Fail(InputErrorIds.ValueOutOfRange, field, shown, "is outside the range 0 to 100", remedy);
        else return v == 0 ? 0 : v; // -0 is 0
        return null;
    }

    /// <summary>A value of <paramref name="set"/>, in the set's spelling; null when missing.</summary>
    public string? Choice(string field, string? value, ValueSet set)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (set.Match(value) is { } match) return match;
        Fail(InputErrorIds.InvalidEnumValue, field, value, $"does not belong to the set {set}",
            $"Supply a value in the set (Tab completes them) and try again.");
        return null;
    }

    /// <summary>A point in time from 2000-01-01 to one day ahead (any with -AllowAnyTimestamp).</summary>
    public DateTimeOffset? Timestamp(string field, DateTimeOffset? value)
    {
        if (value is not { } v) return null;
        if (_allowAnyTimestamp || (v >= EarliestTimestamp && v <= _now + FutureAllowance)) return v;
        var when = v < EarliestTimestamp ? "is before 2000-01-01" : "is more than a day in the future";
        Fail(InputErrorIds.ImplausibleTimestamp, field, v.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture), when,
            $"Check the value (a missing date often reads as year 1), or pass -AllowAnyTimestamp when it is right.");
        return null;
    }

    /// <summary>
    /// One line of text (a name, a select option, a version): trimmed; control characters (line breaks and tabs included),
    /// bidirectional overrides and broken surrogates removed with a notice; at most <paramref name="maxLength"/> characters.
    /// Null when missing or empty.
    /// </summary>
    public string? Line(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        var clean = Clean(field, value, multiLine: false);
        if (clean.Length == 0) return null;
        if (clean.Length <= maxLength) return clean;
        TooLong(field, value, clean.Length, maxLength);
        return null;
    }

    /// <summary>
    /// An identifier (an id, a key): trimmed, at most <paramref name="maxLength"/> characters, and control characters are an
    /// error, never removed: a changed key would name another record. Null when missing or empty.
    /// </summary>
    public string? Identifier(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        var text = value.Trim();
        if (text.Length == 0) return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || IsBidiControl(c) || IsBrokenSurrogate(text, i))
            {
                Fail(InputErrorIds.InvalidText, field, value, $"contains a control character (U+{(int)c:X4}) at position {i + 1}",
                    $"Remove tabs, line breaks and other control characters from {field}.");
                return null;
            }
        }
        if (text.Length <= maxLength) return text;
        TooLong(field, value, text.Length, maxLength);
        return null;
    }

    /// <summary>
    /// Free text documented as cut (Details, an alert's Message): line breaks and tabs kept, other control characters
    /// removed with a notice, trimmed, and cut to <paramref name="keep"/> characters (ending with the truncation marker) with a notice.
    /// <paramref name="full"/> is the whole cleaned text (for ids derived from the content). Null when missing or empty.
    /// </summary>
    public string? Paragraph(string field, string? value, int keep, out string? full)
    {
        full = null;
        if (value is null) return null;
        var clean = Clean(field, value, multiLine: true);
        if (clean.Length == 0) return null;
        full = clean;
        if (clean.Length <= keep) return clean;
        _notices.Add($"{Item}: {field} is {clean.Length:N0} characters long; only the first {keep:N0} are kept (it is documented as cut at {keep:N0}).");
        return NotionText.Truncate(clean, keep);
    }

    /// <summary>An IPv4 (dotted, four parts) or IPv6 address, trimmed; null when missing.</summary>
    public string? IpAddress(string field, string? value)
    {
        var text = Line(field, value, 100);
        if (text is null) return null;
        // IPAddress.TryParse also takes "10.1" and "167772161"; an address people write has four parts or colons.
        var dotted = text.IndexOf(':') < 0;
        if (IPAddress.TryParse(text, out _) && (!dotted || text.Split('.').Length == 4)) return text;
        Fail(InputErrorIds.InvalidIpAddress, field, value, "is not an IP address", $"Give {field} as an IPv4 address such as 192.168.1.20 or an IPv6 address, or leave it out.");
        return null;
    }

    /// <summary>Records a change made under a documented rule, for the host to show as a warning.</summary>
    public void Notice(string message) => _notices.Add(message);

    private void TooLong(string field, string value, int length, int maxLength)
        => Fail(InputErrorIds.TextTooLong, field, value, $"is {length:N0} characters long; at most {maxLength:N0} are accepted",
            $"Shorten {field} to {maxLength:N0} characters or fewer.");

    private string Clean(string field, string value, bool multiLine)
    {
        var sanitized = NotionText.Sanitize(value);
        if (!multiLine) sanitized = RemoveLineBreaks(sanitized);
        var removed = CountRemoved(value, sanitized, multiLine);
        if (removed > 0)
            _notices.Add($"{Item}: {removed} control or invisible formatting character(s) were removed from {field}" + (multiLine ? "." : " (line breaks and tabs became spaces)."));
        return sanitized.Trim();
    }

    // In one-line text a line break or tab stands between words: it becomes a space.
    private static string RemoveLineBreaks(string text)
        => text.IndexOf('\n') < 0 && text.IndexOf('\t') < 0 ? text : text.Replace('\n', ' ').Replace('\t', ' ');

    private static bool IsBrokenSurrogate(string text, int i)
        => char.IsHighSurrogate(text[i]) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
            : char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));

    // What sanitizing took out, not counting what it only rewrote (CRLF to LF) in multi-line text.
    private static int CountRemoved(string original, string sanitized, bool multiLine)
    {
        if (original == sanitized) return 0;
        var count = 0;
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            if (multiLine && (c == '\n' || c == '\t' || c == '\r' || c is '\u2028' or '\u2029' or '\u0085')) continue;
            if (char.IsHighSurrogate(c) && i + 1 < original.Length && char.IsLowSurrogate(original[i + 1])) { i++; continue; }
            if (char.IsControl(c) || IsBidiControl(c) || IsBrokenSurrogate(original, i) || c is '\u2028' or '\u2029') count++;
        }
        return Math.Max(count, 1);
    }

    private static bool IsBidiControl(char c) => (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
}
