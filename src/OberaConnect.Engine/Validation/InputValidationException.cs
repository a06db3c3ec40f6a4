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

    /// <summary>The value made safe to print: control characters as \uXXXX, at most 80 characters.</summary>
    public static string Printable(string? value)
    {
        if (value is null) return "(null)";
        var shown = value.Length > 80 ? value.Substring(0, 80) : value;
        var sb = new StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        if (value.Length > 80) sb.Append($"… ({value.Length} characters)");
        return sb.ToString();
    }

    private static string Compose(string field, string? item, string? value, string problem, string remedy)
    {
        var subject = item is null ? $"The {field} '{Printable(value)}'" : $"{item}: the {field} '{Printable(value)}'";
        if (value is null) subject = item is null ? $"The {field}" : $"{item}: the {field}";
        return $"{subject} {problem}. {remedy}";
    }
}
