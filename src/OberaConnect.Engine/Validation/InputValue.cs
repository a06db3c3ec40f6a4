using System.Collections;
using System.Globalization;

namespace OberaConnect.Engine.Validation;

/// <summary>The stable ErrorIds of the input rules (see about_OberaConnect, "INPUT VALIDATION").</summary>
public static class InputErrorIds
{
    /// <summary>Not a number; a fraction where a count is expected; NaN or an infinity; a value of another type.</summary>
    public const string InvalidNumber = "InvalidNumber";

    /// <summary>A number outside its range (a negative count, a percentage over 100), or counts that contradict each other.</summary>
    public const string ValueOutOfRange = "ValueOutOfRange";

    /// <summary>A value that is not in the field's set (a Result, Backup Status, source status, Stage, Severity, ...).</summary>
    public const string InvalidEnumValue = "InvalidEnumValue";

    /// <summary>Text longer than the field allows (fields documented as cut are shortened with a warning instead).</summary>
    public const string TextTooLong = "TextTooLong";

    /// <summary>Not text (a list, a table, an object), or control characters in an identifier.</summary>
    public const string InvalidText = "InvalidText";

    /// <summary>Not a date and time.</summary>
    public const string InvalidTimestamp = "InvalidTimestamp";

    /// <summary>A date before 2000 or more than a day ahead (allowed with -AllowAnyTimestamp).</summary>
    public const string ImplausibleTimestamp = "ImplausibleTimestamp";

    /// <summary>Not an IPv4 or IPv6 address.</summary>
    public const string InvalidIpAddress = "InvalidIpAddress";
}

/// <summary>One field of one input that could not be taken as its type; <see cref="RecordCheck"/> reports it with the item's name.</summary>
public sealed record FieldProblem(string ErrorId, string Field, string? Value, string Problem, string Remedy);

/// <summary>
/// Values as PowerShell hands them over (a piped object's property, a CSV column, a parameter) turned into their
/// field's type exactly, or refused. Nothing is rounded, cut or guessed: "abc", 2.5 for a count, 1e12, $true for a
/// number, a list or a table for a single value are each a <see cref="FieldProblem"/> naming the field and the value.
/// Null, an empty string and spaces only mean "not given" (an empty CSV column).
/// Numbers are read as PowerShell reads them, in the invariant culture (99.9, never 99,9); no thousands separators.
/// </summary>
public static class InputValue
{
    /// <summary>Largest count accepted (devices, clients, alerts, tickets, updates).</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>A count: a whole number from 0 to <see cref="MaxCount"/> (the range itself is checked by <see cref="RecordCheck.Count"/>).</summary>
    public static int? ToCount(object? raw, string field, ICollection<FieldProblem> problems)
    {
        var remedy = $"Give {field} as a whole number from 0 to {MaxCount:N0}.";
        if (!TryNumber(raw, field, remedy, problems, out var number, out var whole, out var isGiven) || !isGiven) return null;
        if (double.IsNaN(number) || double.IsInfinity(number))
            return Problem<int?>(problems, InputErrorIds.InvalidNumber, field, raw, "is not a number (NaN or an infinity)", remedy);
        if (!whole)
            return Problem<int?>(problems, InputErrorIds.InvalidNumber, field, raw, "is a fraction, but a count is a whole number", remedy);
        if (number < int.MinValue || number > int.MaxValue)
            return Problem<int?>(problems, InputErrorIds.ValueOutOfRange, field, raw, $"is outside the range 0 to {MaxCount:N0}", remedy);
        return (int)number;
    }

    /// <summary>A number (fractions allowed); NaN and infinities pass through for the field's range check to refuse.</summary>
    public static double? ToNumber(object? raw, string field, string remedy, ICollection<FieldProblem> problems)
        => TryNumber(raw, field, remedy, problems, out var number, out _, out var isGiven) && isGiven ? number : null;

    /// <summary>Text: strings as they are; numbers, ids and enum values as their invariant text. Lists, tables and other objects are refused.</summary>
    public static string? ToText(object? raw, string field, ICollection<FieldProblem> problems)
    {
        switch (raw)
        {
            case null: return null;
            case string s: return s;
            case char c: return c.ToString();
            case Enum e: return e.ToString();
            case Guid g: return g.ToString();
            case bool:
                return Problem<string>(problems, InputErrorIds.InvalidText, field, raw, "is a true/false value, not text", $"Give {field} as text.");
            case double d when double.IsNaN(d) || double.IsInfinity(d):
                return Problem<string>(problems, InputErrorIds.InvalidText, field, raw, "is not a number (NaN or an infinity), not text", $"Give {field} as text.");
            case float f when float.IsNaN(f) || float.IsInfinity(f):
                return Problem<string>(problems, InputErrorIds.InvalidText, field, raw, "is not a number (NaN or an infinity), not text", $"Give {field} as text.");
            case IConvertible n when IsNumber(n):
                return Convert.ToString(n, CultureInfo.InvariantCulture);
            default:
                return Problem<string>(problems, InputErrorIds.InvalidText, field, raw, WrongType(raw, "text"), $"Give {field} as one text value.");
        }
    }

    /// <summary>A yes/no value as text for <c>RecordValues.TryFlag</c>: $true/$false as true/false, text and 1/0 as they are.</summary>
    public static string? ToFlagText(object? raw, string field, ICollection<FieldProblem> problems)
        => raw is bool b ? (b ? "true" : "false") : ToText(raw, field, problems);

    /// <summary>
    /// A point in time: DateTimeOffset as it is; DateTime in its own kind (local when unspecified, as PowerShell's
    /// [datetime] reads); text in the invariant culture with the year in four digits (ISO 8601 such as 2026-05-01T14:30:00Z,
    /// or 2026-05-01 14:30, local when no offset is given), so "2.5" is never read as a date. Numbers are refused: seconds
    /// and milliseconds since 1970 cannot be told apart.
    /// </summary>
    public static DateTimeOffset? ToTimestamp(object? raw, string field, ICollection<FieldProblem> problems)
    {
        const string remedy = "Give a date and time such as 2026-05-01T14:30:00Z (or 2026-05-01 14:30, read as local time).";
        switch (raw)
        {
            case null: return null;
            case DateTimeOffset o: return o;
            case DateTime d: return FromDateTime(d);
            case string s when s.Trim().Length == 0: return null;
            case string s when !FourDigitYear.IsMatch(s):
                return Problem<DateTimeOffset?>(problems, InputErrorIds.InvalidTimestamp, field, raw, "is not a date and time with its year in four digits", remedy);
            case string s:
                if (DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal, out var parsed)) return parsed;
                // A local time next to year 1 or 9999 can fall outside what an offset may express: read it as UTC.
                if (DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var plain)) return FromDateTime(plain);
                return Problem<DateTimeOffset?>(problems, InputErrorIds.InvalidTimestamp, field, raw, "is not a date and time", remedy);
            case IConvertible n when IsNumber(n) && raw is not Enum:
                return Problem<DateTimeOffset?>(problems, InputErrorIds.InvalidTimestamp, field, raw, "is a number, not a date and time", remedy);
            default:
                return Problem<DateTimeOffset?>(problems, InputErrorIds.InvalidTimestamp, field, raw, WrongType(raw, "a date and time"), remedy);
        }
    }

    private static readonly System.Text.RegularExpressions.Regex FourDigitYear = new(@"(?<!\d)\d{4}(?!\d)");

    /// <summary>How a value is quoted in a message: its text (RecordCheck shortens it), or its type for objects without one.</summary>
    public static string? Show(object? raw) => raw switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IConvertible c when IsNumber(c) || raw is bool => Convert.ToString(c, CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("o", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("o", CultureInfo.InvariantCulture),
        IDictionary => "(a table of " + ((IDictionary)raw).Count + " entries)",
        IEnumerable e => "(a list: " + string.Join(", ", e.Cast<object?>().Take(5).Select(i => Show(i) ?? "null")) + ")",
        _ => SafeToString(raw),
    };

    // Whether the number is whole is decided on the exact value (a decimal or the text), never on a rounded double.
    private static bool TryNumber(object? raw, string field, string remedy, ICollection<FieldProblem> problems, out double number, out bool whole, out bool isGiven)
    {
        number = 0;
        whole = true;
        isGiven = true;
        switch (raw)
        {
            case null:
                isGiven = false;
                return true;
            case string s when s.Trim().Length == 0:
                isGiven = false;
                return true;
            case string s:
                var text = s.Trim();
                const NumberStyles plain = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) { number = integer; return true; }
                if (decimal.TryParse(text, plain, CultureInfo.InvariantCulture, out var exact)) return FromDecimal(exact, out number, out whole);
                if (double.TryParse(text, plain, CultureInfo.InvariantCulture, out number) || IsNamedNonNumber(text, out number))
                {
                    whole = number == Math.Floor(number);
                    return true;
                }
                Problem<bool>(problems, InputErrorIds.InvalidNumber, field, raw, "is not a number", remedy);
                return false;
            case bool:
                Problem<bool>(problems, InputErrorIds.InvalidNumber, field, raw, "is a true/false value, not a number", remedy);
                return false;
            case Enum:
                // An enum is IConvertible to its underlying number: DayOfWeek.Monday is not the count 1.
                Problem<bool>(problems, InputErrorIds.InvalidNumber, field, raw, $"is a {raw.GetType().Name} value, not a number", remedy);
                return false;
            case decimal m:
                return FromDecimal(m, out number, out whole);
            case IConvertible c when IsNumber(c):
                number = c.ToDouble(CultureInfo.InvariantCulture);
                whole = number == Math.Floor(number);
                return true;
            default:
                Problem<bool>(problems, InputErrorIds.InvalidNumber, field, raw, WrongType(raw, "a number"), remedy);
                return false;
        }
    }

    private static bool FromDecimal(decimal value, out double number, out bool whole)
    {
        number = (double)value;
        whole = value == decimal.Truncate(value);
        return true;
    }

    // double.TryParse takes "NaN" and "Infinity" only in some runtimes' invariant culture: read them alike everywhere.
    private static bool IsNamedNonNumber(string text, out double number)
    {
        number = text.ToUpperInvariant() switch
        {
            "NAN" => double.NaN,
            "INFINITY" or "+INFINITY" or "∞" => double.PositiveInfinity,
            "-INFINITY" or "-∞" => double.NegativeInfinity,
            _ => 0,
        };
        return number != 0;
    }

    private static bool IsNumber(IConvertible c) => c.GetTypeCode() is TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16
        or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal;

    private static DateTimeOffset FromDateTime(DateTime d)
    {
        if (d.Kind == DateTimeKind.Utc) return new DateTimeOffset(d, TimeSpan.Zero);
        try
        {
            return new DateTimeOffset(d);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Year 1 or 9999 with a local offset cannot be expressed; the plausibility check refuses it as UTC.
            return new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc), TimeSpan.Zero);
        }
    }

    private static string WrongType(object raw, string expected) => raw switch
    {
        IDictionary map => $"is a table of {map.Count} entries, not {expected}",
        IEnumerable list => $"is a list of {list.Cast<object?>().Count()} values, not {expected}",
        DateTime or DateTimeOffset => $"is a date, not {expected}",
        _ => $"is a {raw.GetType().Name}, not {expected}",
    };

    private static string SafeToString(object raw)
    {
        try
        {
            return raw.ToString() ?? raw.GetType().Name;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "(a " + raw.GetType().Name + ")";
        }
    }

    private static T Problem<T>(ICollection<FieldProblem> problems, string errorId, string field, object? raw, string problem, string remedy)
    {
        problems.Add(new FieldProblem(errorId, field, Show(raw), problem, remedy));
        return default!;
    }
}
