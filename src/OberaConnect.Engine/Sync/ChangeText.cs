using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// An update in people's words for -WhatIf, -Confirm and preview results: each changed property as
/// <c>property: old -> new</c>, values shortened so that a 50-row CSV preview can be read row by row. Properties that
/// only ride along with a real change (Last Sync, Last Seen) are named at the end, without values.
/// </summary>
internal static class ChangeText
{
    /// <summary>Longest value shown; longer ones are cut with "...".</summary>
    private const int MaxValue = 40;

    /// <summary>Longest description; further changes are counted instead of shown.</summary>
    private const int MaxText = 300;

    public static string Describe(PlannedWrite plan)
    {
        var parts = new List<string>();
        var alongside = new List<string>();
        var length = 0;
        var hidden = 0;
        foreach (var name in plan.Changed)
        {
            if (plan.Record.Incidental.Contains(name))
            {
                alongside.Add(name);
                continue;
            }
            var old = plan.Existing != null && plan.Existing.Values.TryGetValue(name, out var before) ? Show(before) : "(empty)";
            var now = plan.Record.Properties.TryGetValue(name, out var after) ? Show(after) : "(empty)";
            var part = $"{name}: {old} -> {now}";
            if (parts.Count > 0 && length + part.Length > MaxText) { hidden++; continue; }
            parts.Add(part);
            length += part.Length + 2;
        }
        var text = string.Join(", ", parts);
        if (hidden > 0) text += $" and {hidden} more";
        if (alongside.Count > 0) text += (text.Length == 0 ? "" : ", ") + "with " + string.Join(", ", alongside);
        return text;
    }

    private static string Show(PropertyValue value)
    {
        var text = value is RelationValue relation
            ? string.Join(", ", relation.Ids.Select(id => "page " + Short(id)))
            : value.DisplayText;
        text = string.Join(" ", (text ?? "").Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (text.Length == 0) return "(empty)";
        return text.Length <= MaxValue ? text : text.Substring(0, MaxValue - 3) + "...";
    }

    private static string Short(string id)
    {
        var plain = id.Replace("-", "");
        return plain.Length <= 8 ? plain : plain.Substring(0, 8);
    }
}
