using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>Tolerant readers over <see cref="JsonElement"/>: a missing or oddly typed field reads as null, never throws.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool? Bool(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.True ? true : v.ValueKind == JsonValueKind.False ? false : null
            : null;

    public static double? Number(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d : null;

    public static JsonElement? Obj(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static JsonElement? Arr(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v : null;

    public static JsonElement? Any(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    public static DateTimeOffset? Time(JsonElement e, string name) => ParseTime(Str(e, name));

    public static DateTimeOffset? ParseTime(string? text)
        => text != null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Notion's timestamp form, UTC with milliseconds, as used in filters.</summary>
    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An id as Notion sends it, normalized when it is one (ids from a fake or an odd object stay as they are).</summary>
    public static string? Id(JsonElement e, string name)
    {
        var raw = Str(e, name);
        return raw != null && NotionId.TryParse(raw, out var id) ? id.Value : raw;
    }

    public static string Serialize(JsonNode node) => node.ToJsonString(Compact);

    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Concatenated <c>plain_text</c> (or <c>text.content</c>) of a rich-text array.</summary>
    public static string PlainText(JsonElement? richText)
    {
        if (richText is not { ValueKind: JsonValueKind.Array } arr) return "";
        var sb = new StringBuilder();
        foreach (var item in arr.EnumerateArray())
        {
            var plain = Str(item, "plain_text");
            if (plain == null && Obj(item, "text") is { } text) plain = Str(text, "content");
            sb.Append(plain);
        }
        return sb.ToString();
    }
}
