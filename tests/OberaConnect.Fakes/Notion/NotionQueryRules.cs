using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>Data source query filters and sorts, evaluated against stored rows.</summary>
internal static class NotionQueryRules
{
    private const int MaxCompoundDepth = 2;
    private const int MaxCompoundItems = 100;

    // ---- filters ---------------------------------------------------------------------------------

    public static Func<FakePage, bool>? ParseFilter(JsonNode? node, FakeDataSource ds, NotionStore store, string path)
        => node is null ? null : Parse(node, ds, store, path, 0);

    private static Func<FakePage, bool> Parse(JsonNode node, FakeDataSource ds, NotionStore store, string path, int depth)
    {
        if (node is not JsonObject o) throw NotionApiError.Body(path, "should be an object", node);
        foreach (var compound in new[] { "and", "or" })
        {
            if (!o.ContainsKey(compound)) continue;
            if (depth >= MaxCompoundDepth)
                throw NotionApiError.Validation($"body failed validation: {path}.{compound} is nested too deeply; compound filters nest at most {MaxCompoundDepth} levels.");
            var arr = JsonRead.OptArray(o, compound, path) ?? throw NotionApiError.Body($"{path}.{compound}", "should be an array", null);
            // Notion's own words for a compound filter of more than 100 filters.
            if (arr.Count > MaxCompoundItems)
                throw NotionApiError.Validation($"body failed validation: {path}.{compound}.length should be ≤ `{MaxCompoundItems}`, instead was `{arr.Count}`.");
            var parts = new List<Func<FakePage, bool>>();
            for (var i = 0; i < arr.Count; i++)
                parts.Add(Parse(arr[i] ?? throw NotionApiError.Body($"{path}.{compound}[{i}]", "should be an object", null), ds, store, $"{path}.{compound}[{i}]", depth + 1));
            return compound == "and" ? p => parts.All(f => f(p)) : p => parts.Any(f => f(p));
        }

        var timestamp = JsonRead.OptString(o, "timestamp", path);
        if (timestamp is not null)
        {
            if (timestamp is not ("created_time" or "last_edited_time"))
                throw NotionApiError.Body($"{path}.timestamp", "should be `\"created_time\"` or `\"last_edited_time\"`", o["timestamp"]);
            var cond = JsonRead.OptObject(o, timestamp, path) ?? throw NotionApiError.Body($"{path}.{timestamp}", "should be defined", null);
            Func<FakePage, DateTimeOffset?> get = timestamp == "created_time" ? p => p.Created : p => p.LastEdited;
            return DateCondition(get, cond, $"{path}.{timestamp}", store);
        }

        var name = JsonRead.OptString(o, "property", path) ?? throw NotionApiError.Body($"{path}.property", "should be defined", null);
        var prop = ds.FindProperty(name) ?? throw NotionApiError.Validation($"Could not find property with name or id: {name}");
        var keys = o.Select(kv => kv.Key).Where(k => k is not ("property" or "type")).ToList();
        if (keys.Count != 1) throw NotionApiError.Body(path, "should have exactly one filter type besides `property`", o);
        var filterType = keys[0];
        if (!Compatible(filterType, prop.Type))
            throw NotionApiError.Validation($"body failed validation: {path}.{filterType} cannot filter property \"{prop.Name}\" of type {prop.Type}.");
        var c = JsonRead.OptObject(o, filterType, path) ?? throw NotionApiError.Body($"{path}.{filterType}", "should be an object", o[filterType]);
        var p = $"{path}.{filterType}";
        var id = prop.Id;
        switch (prop.Type)
        {
            case "title":
            case "rich_text":
                return TextCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.Plain : "", c, p);
            case "url":
            case "email":
            case "phone_number":
                return TextCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.Text ?? "" : "", c, p);
            case "number":
                return NumberCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.Number : null, c, p);
            case "unique_id":
                return NumberCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.UniqueNumber : null, c, p);
            case "checkbox":
            {
                var (op, operand) = SingleOp(c, p);
                if (!JsonRead.IsBool(operand)) throw NotionApiError.Body($"{p}.{op}", "should be a boolean", operand);
                var b = operand!.GetValue<bool>();
                Func<FakePage, bool> get = pg => pg.Values.TryGetValue(id, out var v) && v.Checkbox;
                return op switch
                {
                    "equals" => pg => get(pg) == b,
                    "does_not_equal" => pg => get(pg) != b,
                    _ => throw UnknownOp(p, op),
                };
            }
            case "select":
            case "status":
            {
                var (op, operand) = SingleOp(c, p);
                string? Name(FakePage pg) => pg.Values.TryGetValue(id, out var v) && v.OptionId is { } oid ? prop.FindOptionById(oid)?.Name : null;
                if (op is "is_empty" or "is_not_empty") RequireTrue(operand, $"{p}.{op}");
                else if (op is not ("equals" or "does_not_equal")) throw UnknownOp(p, op);
                var s = op is "equals" or "does_not_equal" ? StringOperand(operand, $"{p}.{op}") : null;
                return op switch
                {
                    "equals" => pg => Name(pg) == s,
                    "does_not_equal" => pg => Name(pg) != s,
                    "is_empty" => pg => Name(pg) is null,
                    _ => pg => Name(pg) is not null,
                };
            }
            case "multi_select":
            {
                var (op, operand) = SingleOp(c, p);
                List<string> Names(FakePage pg) => pg.Values.TryGetValue(id, out var v) && v.OptionIds is { } ids
                    ? ids.Select(x => prop.FindOptionById(x)?.Name).OfType<string>().ToList() : new List<string>();
                if (op is "is_empty" or "is_not_empty") RequireTrue(operand, $"{p}.{op}");
                else if (op is not ("contains" or "does_not_contain")) throw UnknownOp(p, op);
                var s = op is "contains" or "does_not_contain" ? StringOperand(operand, $"{p}.{op}") : "";
                return op switch
                {
                    "contains" => pg => Names(pg).Contains(s),
                    "does_not_contain" => pg => !Names(pg).Contains(s),
                    "is_empty" => pg => Names(pg).Count == 0,
                    _ => pg => Names(pg).Count > 0,
                };
            }
            case "date":
                return DateCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.Date?.StartInstant : null, c, p, store);
            case "created_time":
                return DateCondition(pg => pg.Created, c, p, store);
            case "last_edited_time":
                return DateCondition(pg => pg.LastEdited, c, p, store);
            case "relation":
            case "people":
                return IdListCondition(pg => pg.Values.TryGetValue(id, out var v) ? v.Ids ?? new List<string>() : new List<string>(), c, p);
            case "created_by":
                return IdListCondition(pg => new List<string> { pg.CreatedBy }, c, p);
            case "last_edited_by":
                return IdListCondition(pg => new List<string> { pg.LastEditedBy }, c, p);
            default:
                throw NotionApiError.Validation($"The Notion fake does not filter on {prop.Type} properties ({prop.Name}).");
        }
    }

    private static bool Compatible(string filterType, string propType) => filterType == propType
        || (filterType == "rich_text" && propType is "title" or "url" or "email" or "phone_number")
        || (filterType == "date" && propType is "created_time" or "last_edited_time")
        || (filterType == "people" && propType is "created_by" or "last_edited_by");

    private static (string Op, JsonNode? Operand) SingleOp(JsonObject c, string path)
    {
        if (c.Count != 1) throw NotionApiError.Body(path, "should have exactly one condition", c);
        var kv = c.First();
        return (kv.Key, kv.Value);
    }

    private static NotionApiError UnknownOp(string path, string op)
        => NotionApiError.Validation($"body failed validation: {path}.{op} is not a supported condition for this filter type.");

    private static string StringOperand(JsonNode? operand, string path)
        => JsonRead.IsString(operand) ? operand!.GetValue<string>() : throw NotionApiError.Body(path, "should be a string", operand);

    private static void RequireTrue(JsonNode? operand, string path)
    {
        if (!JsonRead.IsBool(operand) || !operand!.GetValue<bool>()) throw NotionApiError.Body(path, "should be `true`", operand);
    }

    private static Func<FakePage, bool> TextCondition(Func<FakePage, string> get, JsonObject c, string path)
    {
        var (op, operand) = SingleOp(c, path);
        var p = $"{path}.{op}";
        switch (op)
        {
            case "is_empty": RequireTrue(operand, p); return pg => get(pg).Length == 0;
            case "is_not_empty": RequireTrue(operand, p); return pg => get(pg).Length > 0;
        }
        var s = StringOperand(operand, p);
        // equals is exact; contains / starts_with / ends_with ignore case, as Notion's text filters do.
        return op switch
        {
            "equals" => pg => string.Equals(get(pg), s, StringComparison.Ordinal),
            "does_not_equal" => pg => !string.Equals(get(pg), s, StringComparison.Ordinal),
            "contains" => pg => get(pg).Contains(s, StringComparison.OrdinalIgnoreCase),
            "does_not_contain" => pg => !get(pg).Contains(s, StringComparison.OrdinalIgnoreCase),
            "starts_with" => pg => get(pg).StartsWith(s, StringComparison.OrdinalIgnoreCase),
            "ends_with" => pg => get(pg).EndsWith(s, StringComparison.OrdinalIgnoreCase),
            _ => throw UnknownOp(path, op),
        };
    }

    private static Func<FakePage, bool> NumberCondition(Func<FakePage, double?> get, JsonObject c, string path)
    {
        var (op, operand) = SingleOp(c, path);
        var p = $"{path}.{op}";
        switch (op)
        {
            case "is_empty": RequireTrue(operand, p); return pg => get(pg) is null;
            case "is_not_empty": RequireTrue(operand, p); return pg => get(pg) is not null;
        }
        if (!JsonRead.IsNumber(operand)) throw NotionApiError.Body(p, "should be a number", operand);
        var n = operand!.GetValue<double>();
        return op switch
        {
            "equals" => pg => get(pg) is { } v && v == n,
            "does_not_equal" => pg => get(pg) is not { } v || v != n,
            "greater_than" => pg => get(pg) is { } v && v > n,
            "less_than" => pg => get(pg) is { } v && v < n,
            "greater_than_or_equal_to" => pg => get(pg) is { } v && v >= n,
            "less_than_or_equal_to" => pg => get(pg) is { } v && v <= n,
            _ => throw UnknownOp(path, op),
        };
    }

    private static Func<FakePage, bool> IdListCondition(Func<FakePage, List<string>> get, JsonObject c, string path)
    {
        var (op, operand) = SingleOp(c, path);
        var p = $"{path}.{op}";
        switch (op)
        {
            case "is_empty": RequireTrue(operand, p); return pg => get(pg).Count == 0;
            case "is_not_empty": RequireTrue(operand, p); return pg => get(pg).Count > 0;
        }
        var id = NotionFormats.NormalizeId(StringOperand(operand, p)) ?? throw NotionApiError.Body(p, "should be a valid uuid", operand);
        return op switch
        {
            "contains" => pg => get(pg).Contains(id),
            "does_not_contain" => pg => !get(pg).Contains(id),
            _ => throw UnknownOp(path, op),
        };
    }

    /// <summary>
    /// Date conditions. A date-only operand means the whole UTC day ("after 2025-10-01" starts on the 2nd);
    /// a date-time operand compares instants.
    /// </summary>
    private static Func<FakePage, bool> DateCondition(Func<FakePage, DateTimeOffset?> get, JsonObject c, string path, NotionStore store)
    {
        var (op, operand) = SingleOp(c, path);
        var p = $"{path}.{op}";
        var now = store.Now();
        switch (op)
        {
            case "is_empty": RequireTrue(operand, p); return pg => get(pg) is null;
            case "is_not_empty": RequireTrue(operand, p); return pg => get(pg) is not null;
            case "past_week": return Between(get, now.AddDays(-7), now);
            case "past_month": return Between(get, now.AddMonths(-1), now);
            case "past_year": return Between(get, now.AddYears(-1), now);
            case "next_week": return Between(get, now, now.AddDays(7));
            case "next_month": return Between(get, now, now.AddMonths(1));
            case "next_year": return Between(get, now, now.AddYears(1));
            case "this_week":
            {
                var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(int)now.UtcDateTime.DayOfWeek);
                return Between(get, start, start.AddDays(7));
            }
        }
        if (!NotionFormats.TryParseDate(StringOperand(operand, p), out var at, out var hasTime, out _))
            throw NotionApiError.Body(p, "should be a valid ISO 8601 date string", operand);
        var dayEnd = at.AddDays(1);
        return (op, hasTime) switch
        {
            ("equals", false) => pg => get(pg) is { } v && v >= at && v < dayEnd,
            ("before", false) => pg => get(pg) is { } v && v < at,
            ("after", false) => pg => get(pg) is { } v && v >= dayEnd,
            ("on_or_before", false) => pg => get(pg) is { } v && v < dayEnd,
            ("on_or_after", false) => pg => get(pg) is { } v && v >= at,
            ("equals", true) => pg => get(pg) is { } v && v == at,
            ("before", true) => pg => get(pg) is { } v && v < at,
            ("after", true) => pg => get(pg) is { } v && v > at,
            ("on_or_before", true) => pg => get(pg) is { } v && v <= at,
            ("on_or_after", true) => pg => get(pg) is { } v && v >= at,
            _ => throw UnknownOp(path, op),
        };
    }

    private static Func<FakePage, bool> Between(Func<FakePage, DateTimeOffset?> get, DateTimeOffset from, DateTimeOffset to)
        => pg => get(pg) is { } v && v >= from && v < to;

    // ---- sorts -----------------------------------------------------------------------------------

    /// <summary>Sort order; empty values go last whatever the direction, ties keep creation order.</summary>
    public static Comparison<FakePage> ParseSorts(JsonNode? node, FakeDataSource? ds, string path, Comparison<FakePage> fallback)
    {
        if (node is null) return fallback;
        if (node is not JsonArray arr) throw NotionApiError.Body(path, "should be an array", node);
        var keys = new List<Comparison<FakePage>>();
        for (var i = 0; i < arr.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (arr[i] is not JsonObject s) throw NotionApiError.Body(p, "should be an object", arr[i]);
            var direction = JsonRead.OptString(s, "direction", p) ?? "ascending";
            if (direction is not ("ascending" or "descending"))
                throw NotionApiError.Body($"{p}.direction", "should be `\"ascending\"` or `\"descending\"`", s["direction"]);
            var sign = direction == "ascending" ? 1 : -1;
            var timestamp = JsonRead.OptString(s, "timestamp", p);
            if (timestamp is not null)
            {
                if (timestamp is not ("created_time" or "last_edited_time"))
                    throw NotionApiError.Body($"{p}.timestamp", "should be `\"created_time\"` or `\"last_edited_time\"`", s["timestamp"]);
                Func<FakePage, DateTimeOffset> t = timestamp == "created_time" ? pg => pg.Created : pg => pg.LastEdited;
                keys.Add((a, b) => sign * t(a).CompareTo(t(b)));
                continue;
            }
            var name = JsonRead.OptString(s, "property", p) ?? throw NotionApiError.Body($"{p}.property", "should be defined", null);
            var prop = ds?.FindProperty(name) ?? throw NotionApiError.Validation($"Could not find sort property with name or id: {name}");
            keys.Add(PropertyComparison(prop, sign));
        }
        return (a, b) =>
        {
            foreach (var k in keys)
            {
                var r = k(a, b);
                if (r != 0) return r;
            }
            return fallback(a, b);
        };
    }

    private static Comparison<FakePage> PropertyComparison(PropSchema prop, int sign)
    {
        var id = prop.Id;
        PropValue? V(FakePage pg) => pg.Values.TryGetValue(id, out var v) ? v : null;
        Comparison<FakePage> ByKey<T>(Func<FakePage, T?> key) where T : struct, IComparable<T> => (a, b) =>
        {
            var x = key(a);
            var y = key(b);
            if (x is null && y is null) return 0;
            if (x is null) return 1;
            if (y is null) return -1;
            return sign * x.Value.CompareTo(y.Value);
        };
        Comparison<FakePage> ByText(Func<FakePage, string?> key) => (a, b) =>
        {
            var x = key(a);
            var y = key(b);
            var ex = string.IsNullOrEmpty(x);
            var ey = string.IsNullOrEmpty(y);
            if (ex && ey) return 0;
            if (ex) return 1;
            if (ey) return -1;
            return sign * string.Compare(x, y, StringComparison.OrdinalIgnoreCase);
        };
        return prop.Type switch
        {
            "title" or "rich_text" => ByText(pg => V(pg)?.Plain),
            "url" or "email" or "phone_number" => ByText(pg => V(pg)?.Text),
            "number" => ByKey(pg => V(pg)?.Number),
            "unique_id" => ByKey<int>(pg => V(pg)?.UniqueNumber),
            "checkbox" => ByKey<int>(pg => V(pg)?.Checkbox == true ? 1 : 0),
            "select" or "status" => ByKey<int>(pg => prop.OptionIndex(V(pg)?.OptionId) is var i && i >= 0 ? i : null),
            "multi_select" => ByKey<int>(pg => V(pg)?.OptionIds is { Count: > 0 } ids && prop.OptionIndex(ids[0]) is var i && i >= 0 ? i : null),
            "date" => ByKey(pg => V(pg)?.Date?.StartInstant),
            "created_time" => ByKey<DateTimeOffset>(pg => pg.Created),
            "last_edited_time" => ByKey<DateTimeOffset>(pg => pg.LastEdited),
            "relation" or "people" => ByText(pg => V(pg)?.Ids is { Count: > 0 } ids ? ids[0] : null),
            _ => (_, _) => 0,
        };
    }
}

/// <summary>A query's ordered result, kept so its cursors page through the same rows.</summary>
internal sealed class QuerySnapshot
{
    public required string Owner { get; init; }
    public required List<string> Ids { get; init; }

    /// <summary>More rows matched than the per-query limit; the last page says so in request_status.</summary>
    public bool Truncated { get; init; }
}

/// <summary>Open cursors (opaque ids) of queries and searches; the oldest are forgotten past a bound.</summary>
internal sealed class CursorBook
{
    private const int MaxCursors = 20_000;
    private readonly Dictionary<string, (QuerySnapshot Snapshot, int Offset)> _cursors = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly object _gate = new();

    public string Add(QuerySnapshot snapshot, int offset)
    {
        var cursor = NotionFormats.NewId();
        lock (_gate)
        {
            _cursors[cursor] = (snapshot, offset);
            _order.Enqueue(cursor);
            while (_order.Count > MaxCursors) _cursors.Remove(_order.Dequeue());
        }
        return cursor;
    }

    public bool TryGet(string cursor, string owner, out QuerySnapshot snapshot, out int offset)
    {
        lock (_gate)
        {
            if (_cursors.TryGetValue(cursor, out var entry) && entry.Snapshot.Owner == owner)
            {
                (snapshot, offset) = entry;
                return true;
            }
        }
        snapshot = null!;
        offset = 0;
        return false;
    }
}
