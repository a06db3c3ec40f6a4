using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Filters for Get-NotionPage, written the way PowerShell users write them:
/// <list type="bullet">
/// <item>JSON text: Notion's own filter object, sent as it is.</item>
/// <item>A hashtable of property name → value, every entry must hold ("and"). The property's type (from the workspace
/// definition, else from the data source's schema) decides the condition: text, select, status, number, checkbox and
/// date → equals; multi-select, relation and people → contains (each item of an array); $null → is_empty.
/// A nested hashtable is the condition itself: <c>@{ 'Health Score' = @{ less_than = 50 } }</c>.</item>
/// </list>
/// </summary>
public static class PageFilters
{
    /// <summary>A filter from Notion filter JSON; bad JSON is an InvalidInput error that says so.</summary>
    public static NotionFilter FromJson(string json)
    {
        try
        {
            return NotionFilter.FromJson(json);
        }
        catch (JsonException ex)
        {
            throw new OberaConnectException("InvalidFilter", FailureKind.InvalidInput,
                $"The filter is not valid JSON ({ex.Message}). Pass Notion filter JSON such as '{{\"property\":\"Risk Level\",\"select\":{{\"equals\":\"High\"}}}}', or a hashtable.", ex);
        }
    }

    /// <summary>
    /// A filter from property name → value entries; reads the data source's schema only for a property the definition does
    /// not know. An unknown property is an UnknownProperty error listing the database's properties (<see cref="PropertyNames"/>).
    /// </summary>
    public static async Task<NotionFilter?> FromConditionsAsync(NotionWorkspace workspace, DatabaseKey database, IDictionary conditions, CancellationToken cancellationToken)
    {
        var names = new PropertyNames(workspace, database);
        var parts = new List<NotionFilter>();
        foreach (DictionaryEntry entry in conditions)
        {
            var (name, type) = await names.FindAsync(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", cancellationToken).ConfigureAwait(false);
            parts.AddRange(Conditions(name, type, entry.Value));
        }
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => NotionFilter.And(parts.ToArray()),
        };
    }

    private static IEnumerable<NotionFilter> Conditions(string name, string type, object? value)
    {
        var head = type is "created_time" or "last_edited_time"
            ? new JsonObject { ["timestamp"] = type }
            : new JsonObject { ["property"] = name };
        if (value is IDictionary raw)
        {
            var condition = new JsonObject();
            foreach (DictionaryEntry op in raw) condition[Convert.ToString(op.Key, CultureInfo.InvariantCulture) ?? ""] = ToJson(op.Value);
            head[type] = condition;
            yield return NotionFilter.FromJson(head.ToJsonString());
            yield break;
        }
        if (value is null)
        {
            head[type] = new JsonObject { ["is_empty"] = true };
            yield return NotionFilter.FromJson(head.ToJsonString());
            yield break;
        }
        var isSet = type is "multi_select" or "relation" or "people";
        var items = value is IEnumerable list && value is not string ? list.Cast<object?>().ToList() : new List<object?> { value };
        foreach (var item in items)
        {
            var filter = (JsonObject)head.DeepClone();
            filter[type] = new JsonObject { [isSet ? "contains" : "equals"] = ToJson(item, dateOnly: type == "date") };
            yield return NotionFilter.FromJson(filter.ToJsonString());
        }
    }

    private static JsonNode? ToJson(object? value, bool dateOnly = false) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        DateTime d when dateOnly && d.TimeOfDay == TimeSpan.Zero => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime d => JsonValue.Create(new DateTimeOffset(d).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)),
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
            => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IDictionary map => new JsonObject(map.Cast<DictionaryEntry>().Select(e =>
            new KeyValuePair<string, JsonNode?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", ToJson(e.Value)))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(v => ToJson(v)).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
