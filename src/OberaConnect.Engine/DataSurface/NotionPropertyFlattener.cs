using System.Text;
using System.Text.Json;

namespace OberaConnect.Engine.DataSurface;

/// <summary>
/// Turns a page's <c>properties</c> object into one JSON object of plain values, keyed by property name,
/// so SQL can query it without knowing Notion's value shapes. Each property type has one stable JSON type:
/// <list type="bullet">
/// <item>title, rich_text → string (plain text joined); null when empty</item>
/// <item>number → number; checkbox → boolean; url, email, phone_number → string</item>
/// <item>select, status → option name; multi_select → array of names</item>
/// <item>date → the start as written by Notion (date or date-time); the end stays in raw_json</item>
/// <item>relation, people, created_by, last_edited_by → array of ids / the id</item>
/// <item>created_time, last_edited_time → timestamp string; unique_id → "PREFIX-12" or the number</item>
/// <item>formula, rollup → the computed value by the same rules; files → array of file names</item>
/// <item>anything else → its type-specific value as received</item>
/// </list>
/// </summary>
public static class NotionPropertyFlattener
{
    /// <summary>Flattens a <c>properties</c> object; the output keeps Notion's property order.</summary>
    public static string Flatten(JsonElement properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value);
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the plain value of one typed property value (<c>{"type":"number","number":3}</c>).</summary>
    internal static void WriteValue(Utf8JsonWriter json, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            json.WriteNullValue();
            return;
        }
        var type = typeElement.GetString()!;
        if (!value.TryGetProperty(type, out var inner) || inner.ValueKind == JsonValueKind.Null || inner.ValueKind == JsonValueKind.Undefined)
        {
            json.WriteNullValue();
            return;
        }
        switch (type)
        {
            case "title":
            case "rich_text":
                var text = PlainText(inner);
                if (text.Length == 0) json.WriteNullValue(); else json.WriteStringValue(text);
                break;
            case "number":
            case "checkbox":
            case "url":
            case "email":
            case "phone_number":
                inner.WriteTo(json);
                break;
            case "select":
            case "status":
                WriteStringOrNull(json, inner, "name");
                break;
            case "multi_select":
                WriteArrayOf(json, inner, "name");
                break;
            case "relation":
            case "people":
                WriteArrayOf(json, inner, "id");
                break;
            case "created_by":
            case "last_edited_by":
                WriteStringOrNull(json, inner, "id");
                break;
            case "date":
                WriteStringOrNull(json, inner, "start");
                break;
            case "created_time":
            case "last_edited_time":
                inner.WriteTo(json);
                break;
            case "unique_id":
                WriteUniqueId(json, inner);
                break;
            case "files":
                WriteArrayOf(json, inner, "name");
                break;
            case "verification":
                WriteStringOrNull(json, inner, "state");
                break;
            case "formula":
                WriteComputed(json, inner);
                break;
            case "rollup":
                WriteComputed(json, inner);
                break;
            case "button":
                json.WriteNullValue();
                break;
            default:
                inner.WriteTo(json);
                break;
        }
    }

    /// <summary>Formula and rollup values carry their own <c>type</c>; arrays hold typed property values.</summary>
    private static void WriteComputed(Utf8JsonWriter json, JsonElement inner)
    {
        if (inner.ValueKind != JsonValueKind.Object || !inner.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
        {
            json.WriteNullValue();
            return;
        }
        var type = t.GetString()!;
        if (!inner.TryGetProperty(type, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            json.WriteNullValue();
            return;
        }
        switch (type)
        {
            case "date":
                WriteStringOrNull(json, v, "start");
                break;
            case "array":
                json.WriteStartArray();
                if (v.ValueKind == JsonValueKind.Array)
                    foreach (var item in v.EnumerateArray()) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default:
                v.WriteTo(json);
                break;
        }
    }

    private static void WriteUniqueId(Utf8JsonWriter json, JsonElement inner)
    {
        var hasNumber = inner.TryGetProperty("number", out var number) && number.ValueKind == JsonValueKind.Number;
        var prefix = inner.TryGetProperty("prefix", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (!hasNumber) json.WriteNullValue();
        else if (string.IsNullOrEmpty(prefix)) number.WriteTo(json);
        else json.WriteStringValue(prefix + "-" + number.GetRawText());
    }

    /// <summary>The plain text of a rich-text array (the <c>plain_text</c> of each item, else its text content).</summary>
    public static string PlainText(JsonElement richText)
    {
        if (richText.ValueKind != JsonValueKind.Array) return "";
        var sb = new StringBuilder();
        foreach (var item in richText.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) continue;
            if (item.TryGetProperty("plain_text", out var plain) && plain.ValueKind == JsonValueKind.String)
                sb.Append(plain.GetString());
            else if (item.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object
                     && text.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                sb.Append(content.GetString());
        }
        return sb.ToString();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, JsonElement obj, string name)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            json.WriteStringValue(v.GetString());
        else
            json.WriteNullValue();
    }

    private static void WriteArrayOf(Utf8JsonWriter json, JsonElement array, string name)
    {
        json.WriteStartArray();
        if (array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
                    json.WriteStringValue(v.GetString());
            }
        }
        json.WriteEndArray();
    }
}
