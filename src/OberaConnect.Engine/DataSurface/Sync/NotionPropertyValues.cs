using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>A Notion page as the two-way sync sees it: id, record id, edit time and the mapped values.</summary>
public sealed class NotionRecordSnapshot
{
    public NotionRecordSnapshot(string pageId, string? recordId, DateTimeOffset lastEditedTime, bool inTrash, IReadOnlyDictionary<string, object?> values)
    {
        PageId = pageId;
        RecordId = recordId;
        LastEditedTime = lastEditedTime;
        InTrash = inTrash;
        Values = values;
    }

    public string PageId { get; }

    /// <summary>The row id held in the id property (<c>postgres_id</c>); null for a page made in Notion.</summary>
    public string? RecordId { get; }

    public DateTimeOffset LastEditedTime { get; }
    public bool InTrash { get; }

    /// <summary>Values by column name, in the same neutral form as <see cref="RelationalRow.Values"/>.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }
}

/// <summary>
/// Converts between row values and Notion property values for a <see cref="TableSyncMapping"/>, and
/// computes the content hashes the conflict decision uses as evidence.
/// </summary>
public static class NotionPropertyValues
{
    /// <summary>Notion's limit on one rich-text item's content.</summary>
    public const int MaxTextItemLength = 2000;

    /// <summary>Notion's limit on rich-text items per property.</summary>
    public const int MaxTextItems = 100;

    /// <summary>Notion's limit on a select option's name.</summary>
    public const int MaxOptionLength = 100;

    /// <summary>Notion's limit on multi-select items.</summary>
    public const int MaxMultiSelectItems = 100;

    /// <summary>
    /// The property values of a page for <paramref name="row"/>: every mapped column, the id property,
    /// Sync Status and Last Synced. Text longer than Notion allows is cut and reported in <paramref name="warnings"/>.
    /// </summary>
    public static JsonObject BuildPageProperties(TableSyncMapping mapping, RelationalRow row, SyncStatus status, DateTimeOffset lastSynced, ICollection<string>? warnings = null)
    {
        var properties = new JsonObject();
        foreach (var c in mapping.Columns)
            properties[c.Property] = ToNotion(c, row[c.ColumnName], warnings, row.Id);
        properties[mapping.IdProperty] = RichText(row.Id, PropertyKind.RichText, null, row.Id, mapping.IdProperty);
        properties[mapping.SyncStatusProperty] = new JsonObject { ["select"] = new JsonObject { ["name"] = status.ToNotionName() } };
        properties[mapping.LastSyncedProperty] = new JsonObject { ["date"] = new JsonObject { ["start"] = lastSynced.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) } };
        return properties;
    }

    /// <summary>Just the Sync Status property, to flag a conflict without touching values.</summary>
    public static JsonObject SyncStatusOnly(TableSyncMapping mapping, SyncStatus status)
        => new() { [mapping.SyncStatusProperty] = new JsonObject { ["select"] = new JsonObject { ["name"] = status.ToNotionName() } } };

    /// <summary>One property value in the shape the Notion API takes (<c>{"number": 3}</c>).</summary>
    public static JsonObject ToNotion(ColumnMap map, object? value, ICollection<string>? warnings = null, string? recordId = null)
    {
        switch (map.Kind)
        {
            case PropertyKind.Title:
            case PropertyKind.RichText:
                return RichText(AsText(value, map), map.Kind, warnings, recordId, map.Property);
            case PropertyKind.Number:
                return new JsonObject { ["number"] = AsNumber(value) is { } d ? JsonValue.Create(d) : null };
            case PropertyKind.Checkbox:
                return new JsonObject { ["checkbox"] = AsBool(value) };
            case PropertyKind.Select:
                var name = AsText(value, map);
                return new JsonObject { ["select"] = string.IsNullOrEmpty(name) ? null : new JsonObject { ["name"] = OptionName(name!) } };
            case PropertyKind.MultiSelect:
                var items = new JsonArray();
                var list = AsList(value);
                if (list.Count > MaxMultiSelectItems) warnings?.Add($"Record {recordId}: {map.Property} has {list.Count} items; Notion keeps the first {MaxMultiSelectItems}.");
                foreach (var item in list.Take(MaxMultiSelectItems)) items.Add(new JsonObject { ["name"] = OptionName(item) });
                return new JsonObject { ["multi_select"] = items };
            case PropertyKind.Date:
                var start = AsDateText(value, map.Column.Kind);
                return new JsonObject { ["date"] = start is null ? null : new JsonObject { ["start"] = start } };
            default:
                var text = AsText(value, map);
                var key = TableSyncMapping.ToNotionType(map.Kind);
                if (text != null && text.Length > (map.Kind == PropertyKind.Url ? 2000 : 200))
                    warnings?.Add($"Record {recordId}: {map.Property} is longer than Notion allows for {key} and may be refused.");
                return new JsonObject { [key] = string.IsNullOrEmpty(text) ? null : text };
        }
    }

    /// <summary>
    /// The row value of one property of a page (a typed property value object as the API returns it),
    /// converted to the column's kind. Text that cannot be converted (a number column holding "abc") throws.
    /// </summary>
    public static object? FromNotion(ColumnMap map, JsonElement propertyValue, string pageId)
    {
        var plain = PlainValue(propertyValue);
        try
        {
            return ToColumnValue(map.Column, plain);
        }
        catch (FormatException)
        {
            throw new OberaConnectException("SyncValueInvalid", FailureKind.InvalidInput,
                $"Page {pageId}: property '{map.Property}' holds '{plain}', which column {map.ColumnName} ({map.Column.StoreType}) cannot store. Correct it in Notion.");
        }
    }

    /// <summary>Reads the mapped values of a page object (raw JSON as the API returns it).</summary>
    public static NotionRecordSnapshot ReadPage(TableSyncMapping mapping, JsonElement page)
    {
        var pageId = page.GetProperty("id").GetString()!;
        var edited = DateTimeOffset.Parse(page.GetProperty("last_edited_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var inTrash = (page.TryGetProperty("in_trash", out var t) && t.ValueKind == JsonValueKind.True)
                      || (page.TryGetProperty("archived", out var a) && a.ValueKind == JsonValueKind.True);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? recordId = null;
        if (page.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var c in mapping.Columns)
            {
                if (props.TryGetProperty(c.Property, out var value)) values[c.ColumnName] = FromNotion(c, value, pageId);
            }
            if (props.TryGetProperty(mapping.IdProperty, out var idValue) && PlainValue(idValue) is string id && id.Trim().Length > 0)
                recordId = id.Trim();
        }
        return new NotionRecordSnapshot(pageId, recordId, edited.ToUniversalTime(), inTrash, values);
    }

    /// <summary>
    /// A stable hash of the given columns' values in canonical form (numbers without trailing zeros, times in
    /// UTC to the second, empty text equal to null, lists sorted), so the same content hashes the same
    /// whichever side it was read from.
    /// </summary>
    public static string ContentHash(IEnumerable<ColumnMap> columns, IReadOnlyDictionary<string, object?> values)
    {
        var sb = new StringBuilder();
        foreach (var c in columns.OrderBy(c => c.ColumnName, StringComparer.Ordinal))
        {
            values.TryGetValue(c.ColumnName, out var v);
            sb.Append(c.ColumnName).Append('\u001e').Append(Canonical(c, v)).Append('\u001d');
        }
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString()));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        return hex.ToString();
    }

    /// <summary>True when both value sets hold the same content for these columns.</summary>
    public static bool SameContent(IEnumerable<ColumnMap> columns, IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b)
    {
        foreach (var c in columns)
        {
            a.TryGetValue(c.ColumnName, out var x);
            b.TryGetValue(c.ColumnName, out var y);
            if (Canonical(c, x) != Canonical(c, y)) return false;
        }
        return true;
    }

    /// <summary>The canonical text of one value for comparison.</summary>
    public static string Canonical(ColumnMap map, object? value)
    {
        switch (map.Kind)
        {
            case PropertyKind.Number:
                return AsNumber(value) is { } d ? FormatNumber(d) : "";
            case PropertyKind.Checkbox:
                return AsBool(value) ? "true" : "false";
            case PropertyKind.Date:
                return AsDateText(value, map.Column.Kind) is { } s ? CanonicalDate(s, map.Column.Kind) : "";
            case PropertyKind.MultiSelect:
                return string.Join("\u001f", AsList(value).Select(OptionName).OrderBy(x => x, StringComparer.Ordinal));
            case PropertyKind.Select:
                return AsText(value, map) is { Length: > 0 } name ? OptionName(name) : "";
            default:
                return AsText(value, map) ?? "";
        }
    }

    /// <summary>Notion refuses commas in option names and names over 100 characters.</summary>
    public static string OptionName(string value)
    {
        var name = value.Replace(',', ';').Trim();
        return name.Length > MaxOptionLength ? name.Substring(0, MaxOptionLength) : name;
    }

    private static JsonObject RichText(string? text, PropertyKind kind, ICollection<string>? warnings, string? recordId, string property)
    {
        var items = new JsonArray();
        if (!string.IsNullOrEmpty(text))
        {
            var max = MaxTextItemLength * MaxTextItems;
            if (text!.Length > max)
            {
                warnings?.Add($"Record {recordId}: {property} has {text.Length} characters; Notion keeps the first {max}.");
                text = text.Substring(0, max);
            }
            var at = 0;
            while (at < text.Length && items.Count < MaxTextItems)
            {
                var length = Math.Min(MaxTextItemLength, text.Length - at);
                // Do not split a surrogate pair across two items.
                if (at + length < text.Length && char.IsHighSurrogate(text[at + length - 1])) length--;
                items.Add(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = text.Substring(at, length) } });
                at += length;
            }
        }
        return new JsonObject { [kind == PropertyKind.Title ? "title" : "rich_text"] = items };
    }

    /// <summary>The plain CLR value of a typed property value: string, double, bool, string (date start), string[] or null.</summary>
    private static object? PlainValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("type", out var typeEl)) return null;
        var type = typeEl.GetString();
        if (type is null || !value.TryGetProperty(type, out var inner) || inner.ValueKind == JsonValueKind.Null) return null;
        switch (type)
        {
            case "title":
            case "rich_text":
                var s = DataSurface.NotionPropertyFlattener.PlainText(inner);
                return s.Length == 0 ? null : s;
            case "number":
                return inner.ValueKind == JsonValueKind.Number ? inner.GetDouble() : null;
            case "checkbox":
                return inner.ValueKind == JsonValueKind.True;
            case "select":
            case "status":
                return inner.TryGetProperty("name", out var n) ? n.GetString() : null;
            case "multi_select":
                return inner.ValueKind == JsonValueKind.Array
                    ? inner.EnumerateArray().Select(i => i.TryGetProperty("name", out var nm) ? nm.GetString() : null).Where(x => x != null).Select(x => x!).ToArray()
                    : Array.Empty<string>();
            case "date":
                return inner.TryGetProperty("start", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
            case "url":
            case "email":
            case "phone_number":
                return inner.ValueKind == JsonValueKind.String ? inner.GetString() : null;
            default:
                return null;
        }
    }

    /// <summary>Converts a plain value to what the column holds (see <see cref="RelationalRow"/>).</summary>
    internal static object? ToColumnValue(RelationalColumn column, object? plain)
    {
        if (plain is null) return column.Kind == ColumnKind.TextArray ? Array.Empty<string>() : null;
        switch (column.Kind)
        {
            case ColumnKind.Integer:
                if (plain is bool bl) return bl ? 1L : 0L;
                var d = plain is double dd ? dd : double.Parse(plain.ToString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (Math.Abs(d - Math.Round(d)) > 1e-9) throw new FormatException();
                return (long)Math.Round(d);
            case ColumnKind.Decimal:
                return plain is double x ? (decimal)x : decimal.Parse(plain.ToString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
            case ColumnKind.Boolean:
                return plain is bool b ? b : bool.Parse(plain.ToString()!);
            case ColumnKind.Date:
                return ParseNotionDate(plain.ToString()!).UtcDateTime.Date;
            case ColumnKind.Timestamp:
                return ParseNotionDate(plain.ToString()!);
            case ColumnKind.TextArray:
                return plain is string[] arr ? arr : new[] { plain.ToString()! };
            case ColumnKind.Json:
                return plain is string[] list ? JsonSerializerArray(list) : plain.ToString();
            default:
                return plain is string[] items ? string.Join(", ", items) : plain is double n ? FormatNumber(n) : plain is bool bb ? (bb ? "true" : "false") : plain.ToString();
        }
    }

    private static string JsonSerializerArray(string[] list)
    {
        var array = new JsonArray(list.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        return array.ToJsonString();
    }

    /// <summary>Notion dates are "2025-01-31" or "2025-01-31T10:00:00.000+02:00"; a bare date is midnight UTC.</summary>
    internal static DateTimeOffset ParseNotionDate(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            return value.ToUniversalTime();
        throw new FormatException();
    }

    private static string? AsText(object? value, ColumnMap map)
    {
        switch (value)
        {
            case null: return null;
            case string s: return s.Length == 0 ? null : s;
            case string[] arr: return arr.Length == 0 ? null : string.Join(", ", arr);
            case bool b: return b ? "true" : "false";
            case double d: return FormatNumber(d);
            case decimal m: return FormatNumber((double)m);
            case DateTimeOffset dto: return dto.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            case DateTime dt: return map.Column.Kind == ColumnKind.Date ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("o", CultureInfo.InvariantCulture);
            case Guid g: return g.ToString();
            default: return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    private static double? AsNumber(object? value) => value switch
    {
        null => null,
        double d => d,
        float f => f,
        decimal m => (double)m,
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        bool bl => bl ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static bool AsBool(object? value) => value switch
    {
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        string s => s == "1" || string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static IReadOnlyList<string> AsList(object? value)
    {
        switch (value)
        {
            case null: return Array.Empty<string>();
            case string[] arr: return arr.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            case IEnumerable<string> e: return e.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            case string s:
                var trimmed = s.Trim();
                if (trimmed.StartsWith("[", StringComparison.Ordinal))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(trimmed);
                        return doc.RootElement.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList();
                    }
                    catch (JsonException)
                    {
                        // Not a JSON array after all: one item.
                    }
                }
                return trimmed.Length == 0 ? Array.Empty<string>() : new[] { trimmed };
            default: return new[] { Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };
        }
    }

    private static string? AsDateText(object? value, ColumnKind kind)
    {
        switch (value)
        {
            case null: return null;
            case DateTimeOffset dto:
                return kind == ColumnKind.Date
                    ? dto.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : dto.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            case DateTime dt:
                if (kind == ColumnKind.Date) return dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var utc = dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc);
                return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            case string s:
                return s.Length == 0 ? null : s;
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    private static string CanonicalDate(string text, ColumnKind kind)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return text;
        return kind == ColumnKind.Date || text.Length <= 10
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static string FormatNumber(double value)
    {
        if (Math.Abs(value) < 7.9e27)
        {
            try
            {
                // Decimal drops binary noise (0.1 + 0.2) and trailing zeros print the same from either side.
                return Math.Round((decimal)value, 10).ToString("0.##########", CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                // Falls through to the round-trip form.
            }
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
