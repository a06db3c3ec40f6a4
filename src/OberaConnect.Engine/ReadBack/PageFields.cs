using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Reads a page's property values as plain .NET values: text as strings, numbers as doubles, selects as option names,
/// dates as <see cref="DateTimeOffset"/> (instants) or <see cref="DateTime"/> (days), relations and people as id arrays.
/// A property that is missing or of another type reads as null, never an error: users edit schemas.
/// </summary>
internal static class PageFields
{
    public static string? Text(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is TextValue t && t.PlainText.Length > 0 ? t.PlainText : null;

    public static double? Number(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is NumberValue n ? n.Value : null;

    public static int? Count(NotionPage page, string name)
        => Number(page, name) is { } d && !double.IsNaN(d) && d >= int.MinValue && d <= int.MaxValue ? (int)Math.Round(d) : null;

    public static string? Option(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is OptionValue o ? o.Name : null;

    public static string[] Options(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is MultiSelectValue m ? m.Names.ToArray() : Array.Empty<string>();

    public static bool Checked(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is CheckboxValue c && c.Value;

    public static string? String(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is StringPropertyValue s && !string.IsNullOrEmpty(s.Value) ? s.Value : null;

    /// <summary>The start of a date property as an instant (a day reads as its UTC midnight).</summary>
    public static DateTimeOffset? Instant(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is DateValue { Date: { } d } ? d.Start : null;

    /// <summary>The start of a date property as a calendar day.</summary>
    public static DateTime? Day(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is DateValue { Date: { } d } ? d.Start.Date : null;

    public static string[] Ids(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v is IdSetValue ids ? ids.Ids.ToArray() : Array.Empty<string>();

    public static string? Display(NotionPage page, string name)
        => page.Properties.TryGetValue(name, out var v) && v.DisplayText.Length > 0 ? v.DisplayText : null;

    /// <summary>Any property value as the plain value the generic read-back shows (see <see cref="WorkspacePageRecord"/>).</summary>
    public static object? Plain(PropertyValue value) => value switch
    {
        TextValue t => t.PlainText.Length == 0 ? null : t.PlainText,
        NumberValue n => n.Value,
        OptionValue o => o.Name,
        MultiSelectValue m => m.Names.ToArray(),
        DateValue d => d.Date is null ? null : d.Date.HasTime ? d.Date.Start : (object)d.Date.Start.Date,
        CheckboxValue c => c.Value,
        StringPropertyValue s => s.Value,
        IdSetValue ids => ids.Ids.ToArray(),
        TimestampValue ts => ts.Time,
        UserRefValue u => u.UserId,
        FormulaValue f => f.ResultType switch
        {
            "number" => f.Number,
            "boolean" => f.Boolean,
            "date" => f.Date?.Start,
            _ => f.Text,
        },
        RollupValue r => r.ResultType switch
        {
            "number" => r.Number,
            "date" => r.Date?.Start,
            _ => r.Items.Select(Plain).ToArray(),
        },
        _ => value.DisplayText.Length == 0 ? null : value.DisplayText,
    };
}
