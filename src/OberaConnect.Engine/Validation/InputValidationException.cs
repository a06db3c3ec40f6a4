using System.Text;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// One input value is unusable. The message names the item and the field, shows the offending value
/// (control characters escaped, long values shortened) and says what to do. Cmdlets turn it into a
/// non-terminating error with <see cref="InvalidValue"/> as the target object, and go on with the next item.
/// </summary>
public sealed class InputValidationException : OberaConnectException
{
    public InputValidationException(string errorId, string field, string? item, string? invalidValue, string problem, string remedy)
        : base(errorId, FailureKind.InvalidInput, Compose(field, item, invalidValue, problem, remedy))
    {
        Field = field;
        Item = item;
        InvalidValue = invalidValue;
        Problem = problem;
    }

    /// <summary>What was being checked, in words ("site name", "MAC address").</summary>
    public string Field { get; }

    /// <summary>Which item it belongs to ("UniFi site 61f0c3", "row 7"), when the caller said.</summary>
    public string? Item { get; }

    /// <summary>The value as received (for the ErrorRecord's target object).</summary>
    public string? InvalidValue { get; }

    /// <summary>What is wrong, without the remedy.</summary>
    public string Problem { get; }

    /// <summary>Most characters of a value a message quotes.</summary>
    public const int MaxQuoted = 100;

    /// <summary>
    /// The value made safe to print: control characters, bidirectional overrides and broken surrogates as \uXXXX, at most
    /// the first <see cref="MaxQuoted"/> characters (then the length), so a 5,000-character value gives a short message.
    /// </summary>
    public static string Printable(string? value)
    {
        if (value is null) return "(null)";
        var length = value.Length > MaxQuoted ? MaxQuoted : value.Length;
        // Never cut between the two halves of a surrogate pair.
        if (length < value.Length && char.IsHighSurrogate(value[length - 1])) length--;
        var sb = new StringBuilder(length + 24);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(value[i + 1]);
            if (pair) { sb.Append(c).Append(value[++i]); continue; }
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'))
                sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        if (length < value.Length) sb.Append($"… ({value.Length:N0} characters)");
        return sb.ToString();
    }

    /// <summary>
    /// One error for a record with several problems: the first one's ErrorId, field and value, and a message that names
    /// every field at fault, so a CSV row is fixed in one go. Null for none; the problem itself for one.
    /// </summary>
    public static InputValidationException? Combine(IReadOnlyList<InputValidationException> problems)
    {
        if (problems is null || problems.Count == 0) return null;
        if (problems.Count == 1) return problems[0];
        var first = problems[0];
        var others = problems.Skip(1).Select(p => $"the {p.Field} '{Printable(p.InvalidValue)}' {p.Problem}");
        var message = first.Message + $" Also, {string.Join("; ", others)}.";
        return new InputValidationException(first, message);
    }

    private InputValidationException(InputValidationException first, string message)
        : base(first.ErrorId, FailureKind.InvalidInput, message)
    {
        Field = first.Field;
        Item = first.Item;
        InvalidValue = first.InvalidValue;
        Problem = first.Problem;
    }

    private static string Compose(string field, string? item, string? value, string problem, string remedy)
    {
        var subject = item is null ? $"The {field} '{Printable(value)}'" : $"{item}: the {field} '{Printable(value)}'";
        if (value is null) subject = item is null ? $"The {field}" : $"{item}: the {field}";
        return $"{subject} {problem}. {remedy}";
    }
}
