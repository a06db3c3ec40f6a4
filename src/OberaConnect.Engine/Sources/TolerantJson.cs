using System.Globalization;
using System.Text.Json;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// Reads fields from service JSON without trusting its shape: any field may be missing, null, of
/// another type than documented, or spelled in another case; numbers may arrive as strings. A field
/// that cannot be read is treated as missing rather than failing the whole response.
/// </summary>
internal static class TolerantJson
{
    /// <summary>The property, matched exactly first and then ignoring case; null when absent or JSON null.</summary>
    public static JsonElement? Prop(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (element.TryGetProperty(name, out var exact))
            return exact.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : exact;
        foreach (var p in element.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : p.Value;
        }
        return null;
    }

    /// <summary>Follows a path of property names ("statistics", "counts", "totalDevice").</summary>
    public static JsonElement? Path(this JsonElement element, params string[] names)
    {
        JsonElement? current = element;
        foreach (var name in names)
        {
            current = current?.Prop(name);
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>A string for strings, numbers and booleans; null otherwise or when blank.</summary>
    public static string? Str(this JsonElement? element)
    {
        if (element is not { } e) return null;
        var text = e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
    }

    public static string? Str(this JsonElement element, string name) => element.Prop(name).Str();

    /// <summary>A number from a JSON number or a numeric string ("12", "12.0", " 7 ").</summary>
    public static double? Num(this JsonElement? element)
    {
        if (element is not { } e) return null;
        if (e.ValueKind == JsonValueKind.Number) return e.TryGetDouble(out var d) ? d : null;
        if (e.ValueKind == JsonValueKind.String
            && double.TryParse(e.GetString()?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && !double.IsNaN(parsed) && !double.IsInfinity(parsed))
            return parsed;
        return null;
    }

    public static double? Num(this JsonElement element, string name) => element.Prop(name).Num();

    /// <summary>An integer (rounded toward zero) from a number or numeric string; null when out of range.</summary>
    public static int? Int(this JsonElement? element)
    {
        var d = element.Num();
        if (d is not { } v || v > int.MaxValue || v < int.MinValue) return null;
        return (int)v;
    }

    public static int? Int(this JsonElement element, string name) => element.Prop(name).Int();

    /// <summary>A 64-bit integer from a number or numeric string.</summary>
    public static long? Long(this JsonElement? element)
    {
        if (element is not { } e) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var l)) return l;
        if (e.ValueKind == JsonValueKind.String
            && long.TryParse(e.GetString()?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        var d = ((JsonElement?)e).Num();
        return d is { } v && v <= long.MaxValue && v >= long.MinValue ? (long)v : null;
    }

    public static long? Long(this JsonElement element, string name) => element.Prop(name).Long();

    /// <summary>A boolean from true/false, "true"/"false"/"yes"/"no" (any case) or 1/0.</summary>
    public static bool? Bool(this JsonElement? element)
    {
        if (element is not { } e) return null;
        switch (e.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number: return e.TryGetDouble(out var d) ? d != 0 : null;
            case JsonValueKind.String:
                switch (e.GetString()?.Trim().ToLowerInvariant())
                {
                    case "true": case "yes": case "1": return true;
                    case "false": case "no": case "0": return false;
                }
                return null;
            default: return null;
        }
    }

    public static bool? Bool(this JsonElement element, string name) => element.Prop(name).Bool();

    /// <summary>
    /// A time from epoch seconds (NinjaOne; fractional allowed), epoch milliseconds (values too large
    /// to be seconds), or an ISO 8601 / RFC 3339 string (UniFi).
    /// </summary>
    public static DateTimeOffset? Time(this JsonElement? element)
    {
        if (element is not { } e) return null;
        if (e.ValueKind == JsonValueKind.String)
        {
            var s = e.GetString()?.Trim();
            if (string.IsNullOrEmpty(s)) return null;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                return parsed;
        }
        var n = ((JsonElement?)e).Num();
        if (n is not { } v || v <= 0) return null;
        // Seconds since 1970 stay below 1e11 until the year 5138; anything larger is milliseconds.
        var ms = v >= 1e11 ? v : v * 1000.0;
        if (ms > 253402300799999) return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));
    }

    public static DateTimeOffset? Time(this JsonElement element, string name) => element.Prop(name).Time();

    /// <summary>The items of an array; nothing when the element is not an array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Array } e)
            foreach (var item in e.EnumerateArray()) yield return item;
    }

    /// <summary>
    /// A MAC address in the module's form (aa:bb:cc:dd:ee:ff, <see cref="Validation.MacAddress"/>'s rules); text the
    /// rules refuse is kept, trimmed and lower-cased, so the sync reports that device with the validation error.
    /// </summary>
    public static string? Mac(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        return Validation.MacAddress.TryParse(raw, out var mac, out _) ? mac.ToString() : raw!.Trim().ToLowerInvariant();
    }
}
