using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Reads any property value as a plain .NET value for the generic read-back (Get-NotionPage). The typed records read
/// through their columns (Workspace/Column.cs): a property that is missing or of another type reads as null there too.
/// </summary>
internal static class PageFields
{
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
