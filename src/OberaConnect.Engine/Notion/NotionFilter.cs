using System.Globalization;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// A data-source query filter, built in C# and rendered as Notion's JSON, for example
/// <c>NotionFilter.Title("Site Name").EqualTo("Main office")</c> →
/// <c>{"property":"Site Name","title":{"equals":"Main office"}}</c>;
/// <c>NotionFilter.And(a, b)</c> → <c>{"and":[a,b]}</c>. Property filters take the property name or id.
/// </summary>
public sealed class NotionFilter
{
    private readonly JsonObject _json;

    internal NotionFilter(JsonObject json, int depth)
    {
        _json = json;
        Depth = depth;
    }

    /// <summary>Compound nesting: 0 for a single condition, 1 for and/or of conditions, ...</summary>
    public int Depth { get; }

    /// <summary>The filter as JSON (a copy).</summary>
    public JsonObject ToJsonNode() => (JsonObject)_json.DeepClone();

    /// <summary>The filter as JSON text.</summary>
    public string ToJson() => Json.Serialize(_json);

    public override string ToString() => ToJson();

    internal bool IsAnd => _json.ContainsKey("and");

    internal IEnumerable<NotionFilter> AndParts()
    {
        if (_json["and"] is not JsonArray arr) yield break;
        foreach (var item in arr)
            if (item is JsonObject o) yield return new NotionFilter((JsonObject)o.DeepClone(), Measure(o));
    }

    private static int Measure(JsonObject o)
    {
        foreach (var key in new[] { "and", "or" })
            if (o[key] is JsonArray arr)
                return 1 + arr.OfType<JsonObject>().Select(Measure).DefaultIfEmpty(0).Max();
        return 0;
    }

    /// <summary>Every condition must hold. Notion allows two levels of nesting.</summary>
    public static NotionFilter And(params NotionFilter[] filters) => Compound("and", filters);

    /// <summary>At least one condition must hold. Notion allows two levels of nesting.</summary>
    public static NotionFilter Or(params NotionFilter[] filters) => Compound("or", filters);

    private static NotionFilter Compound(string op, NotionFilter[] filters)
    {
        if (filters.Length == 0)
            throw new NotionInputException("NotionInvalidFilter", $"An \"{op}\" filter needs at least one condition.");
        var depth = 1 + filters.Max(f => f.Depth);
        if (depth > 2)
            throw new NotionInputException("NotionInvalidFilter",
                $"This filter nests and/or {depth} levels deep; Notion allows 2. Flatten it (an \"and\" inside an \"and\" can be merged).");
        var arr = new JsonArray();
        foreach (var f in filters) arr.Add(f.ToJsonNode());
        return new NotionFilter(new JsonObject { [op] = arr }, depth);
    }

    /// <summary>A filter from raw JSON, for conditions this builder does not cover.</summary>
    public static NotionFilter FromJson(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject
                   ?? throw new NotionInputException("NotionInvalidFilter", "A filter must be a JSON object.");
        return new NotionFilter(node, Measure(node));
    }

    public static TextCondition Title(string property) => new(property, "title");
    public static TextCondition RichText(string property) => new(property, "rich_text");
    public static TextCondition Url(string property) => new(property, "url");
    public static TextCondition Email(string property) => new(property, "email");
    public static TextCondition PhoneNumber(string property) => new(property, "phone_number");
    public static NumberCondition Number(string property) => new(property);
    public static OptionCondition Select(string property) => new(property, "select");
    public static OptionCondition Status(string property) => new(property, "status");
    public static MultiCondition MultiSelect(string property) => new(property, "multi_select");
    public static MultiCondition Relation(string property) => new(property, "relation");
    public static MultiCondition People(string property) => new(property, "people");
    public static DateCondition Date(string property) => new(new JsonObject { ["property"] = property }, "date");
    public static CheckboxCondition Checkbox(string property) => new(property);

    /// <summary>On the page's creation time (timestamp filter).</summary>
    public static DateCondition CreatedTime => new(new JsonObject { ["timestamp"] = "created_time" }, "created_time");

    /// <summary>On the page's last edit time (timestamp filter).</summary>
    public static DateCondition LastEditedTime => new(new JsonObject { ["timestamp"] = "last_edited_time" }, "last_edited_time");

    internal static NotionFilter Condition(JsonObject head, string type, string op, JsonNode? value)
    {
        var obj = (JsonObject)head.DeepClone();
        obj[type] = new JsonObject { [op] = value };
        return new NotionFilter(obj, 0);
    }

    /// <summary>Conditions on title, rich_text, url, email and phone_number properties.</summary>
    public sealed class TextCondition
    {
        private readonly JsonObject _head;
        private readonly string _type;
        internal TextCondition(string property, string type) { _head = new JsonObject { ["property"] = property }; _type = type; }
        public NotionFilter EqualTo(string value) => Condition(_head, _type, "equals", value);
        public NotionFilter NotEqualTo(string value) => Condition(_head, _type, "does_not_equal", value);
        public NotionFilter Contains(string value) => Condition(_head, _type, "contains", value);
        public NotionFilter DoesNotContain(string value) => Condition(_head, _type, "does_not_contain", value);
        public NotionFilter StartsWith(string value) => Condition(_head, _type, "starts_with", value);
        public NotionFilter EndsWith(string value) => Condition(_head, _type, "ends_with", value);
        public NotionFilter IsEmpty() => Condition(_head, _type, "is_empty", true);
        public NotionFilter IsNotEmpty() => Condition(_head, _type, "is_not_empty", true);
    }

    public sealed class NumberCondition
    {
        private readonly JsonObject _head;
        internal NumberCondition(string property) => _head = new JsonObject { ["property"] = property };
        public NotionFilter EqualTo(double value) => Condition(_head, "number", "equals", value);
        public NotionFilter NotEqualTo(double value) => Condition(_head, "number", "does_not_equal", value);
        public NotionFilter GreaterThan(double value) => Condition(_head, "number", "greater_than", value);
        public NotionFilter LessThan(double value) => Condition(_head, "number", "less_than", value);
        public NotionFilter GreaterThanOrEqualTo(double value) => Condition(_head, "number", "greater_than_or_equal_to", value);
        public NotionFilter LessThanOrEqualTo(double value) => Condition(_head, "number", "less_than_or_equal_to", value);
        public NotionFilter IsEmpty() => Condition(_head, "number", "is_empty", true);
        public NotionFilter IsNotEmpty() => Condition(_head, "number", "is_not_empty", true);
    }

    /// <summary>Conditions on select and status properties.</summary>
    public sealed class OptionCondition
    {
        private readonly JsonObject _head;
        private readonly string _type;
        internal OptionCondition(string property, string type) { _head = new JsonObject { ["property"] = property }; _type = type; }
        public NotionFilter EqualTo(string option) => Condition(_head, _type, "equals", option);
        public NotionFilter NotEqualTo(string option) => Condition(_head, _type, "does_not_equal", option);
        public NotionFilter IsEmpty() => Condition(_head, _type, "is_empty", true);
        public NotionFilter IsNotEmpty() => Condition(_head, _type, "is_not_empty", true);
    }

    /// <summary>Conditions on multi_select, relation and people properties.</summary>
    public sealed class MultiCondition
    {
        private readonly JsonObject _head;
        private readonly string _type;
        internal MultiCondition(string property, string type) { _head = new JsonObject { ["property"] = property }; _type = type; }

        /// <summary>Contains the option (multi_select) or the page/user id (relation, people; normalized, links accepted).</summary>
        public NotionFilter Contains(string value) => Condition(_head, _type, "contains", Normalize(value));
        public NotionFilter DoesNotContain(string value) => Condition(_head, _type, "does_not_contain", Normalize(value));
        public NotionFilter IsEmpty() => Condition(_head, _type, "is_empty", true);
        public NotionFilter IsNotEmpty() => Condition(_head, _type, "is_not_empty", true);
        private string Normalize(string value) => _type == "multi_select" ? value : NotionId.Normalize(value, _type == "people" ? "user id" : "related page id");
    }

    public sealed class CheckboxCondition
    {
        private readonly JsonObject _head;
        internal CheckboxCondition(string property) => _head = new JsonObject { ["property"] = property };
        public NotionFilter EqualTo(bool value) => Condition(_head, "checkbox", "equals", value);
        public NotionFilter NotEqualTo(bool value) => Condition(_head, "checkbox", "does_not_equal", value);
    }

    /// <summary>
    /// Conditions on date properties and timestamps. A <see cref="DateTimeOffset"/> compares as an instant;
    /// a <see cref="DateTime"/> as a calendar day (its time must be midnight).
    /// </summary>
    public sealed class DateCondition
    {
        private readonly JsonObject _head;
        private readonly string _type;
        internal DateCondition(JsonObject head, string type) { _head = head; _type = type; }
        public NotionFilter EqualTo(DateTimeOffset instant) => Condition(_head, _type, "equals", Instant(instant));
        public NotionFilter EqualTo(DateTime day) => Condition(_head, _type, "equals", Day(day));
        public NotionFilter Before(DateTimeOffset instant) => Condition(_head, _type, "before", Instant(instant));
        public NotionFilter Before(DateTime day) => Condition(_head, _type, "before", Day(day));
        public NotionFilter After(DateTimeOffset instant) => Condition(_head, _type, "after", Instant(instant));
        public NotionFilter After(DateTime day) => Condition(_head, _type, "after", Day(day));
        public NotionFilter OnOrBefore(DateTimeOffset instant) => Condition(_head, _type, "on_or_before", Instant(instant));
        public NotionFilter OnOrBefore(DateTime day) => Condition(_head, _type, "on_or_before", Day(day));
        public NotionFilter OnOrAfter(DateTimeOffset instant) => Condition(_head, _type, "on_or_after", Instant(instant));
        public NotionFilter OnOrAfter(DateTime day) => Condition(_head, _type, "on_or_after", Day(day));
        public NotionFilter IsEmpty() => Condition(_head, _type, "is_empty", true);
        public NotionFilter IsNotEmpty() => Condition(_head, _type, "is_not_empty", true);

        private static string Instant(DateTimeOffset t) => Json.FormatTime(t);

        private static string Day(DateTime day)
        {
            if (day.TimeOfDay != TimeSpan.Zero)
                throw new NotionInputException("NotionInvalidFilter",
                    $"A DateTime in a date filter means a calendar day, but {day:o} has a time of day. Pass a DateTimeOffset to compare instants, or use .Date.");
            return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }
}

public enum NotionSortDirection
{
    Ascending,
    Descending,
}

/// <summary>One sort of a query: by a property, or by created_time / last_edited_time.</summary>
public sealed class NotionSort
{
    private NotionSort(string? property, string? timestamp, NotionSortDirection direction)
    {
        Property = property;
        Timestamp = timestamp;
        Direction = direction;
    }

    public string? Property { get; }
    public string? Timestamp { get; }
    public NotionSortDirection Direction { get; }

    public static NotionSort ByProperty(string property, NotionSortDirection direction = NotionSortDirection.Ascending) => new(property, null, direction);
    public static NotionSort ByCreatedTime(NotionSortDirection direction = NotionSortDirection.Ascending) => new(null, "created_time", direction);
    public static NotionSort ByLastEditedTime(NotionSortDirection direction = NotionSortDirection.Ascending) => new(null, "last_edited_time", direction);

    internal JsonObject ToJson()
    {
        var obj = new JsonObject();
        if (Property != null) obj["property"] = Property; else obj["timestamp"] = Timestamp;
        obj["direction"] = Direction == NotionSortDirection.Ascending ? "ascending" : "descending";
        return obj;
    }

    public override string ToString() => Json.Serialize(ToJson());
}

/// <summary>
/// A data-source query. Without <see cref="Sorts"/> the client sorts by created_time ascending (oldest
/// first), which is what lets it read past Notion's 10,000-row cap in windows. With sorts of your own,
/// a query that reaches the cap fails with <see cref="NotionQueryCapException"/> instead of returning
/// an incomplete or disordered result.
/// </summary>
public sealed class NotionQuery
{
    public NotionFilter? Filter { get; set; }
    public IList<NotionSort> Sorts { get; set; } = new List<NotionSort>();

    /// <summary>Rows per request, 1 to 100.</summary>
    public int PageSize { get; set; } = NotionLimits.PageSize;

    /// <summary>
    /// Null (the default) sends nothing and Notion returns the pages that are not in the trash. True sends
    /// <c>"in_trash": true</c>, which returns the trashed pages instead (the export keeps those, marked, for
    /// audit); false sends <c>"in_trash": false</c>. The query reference does not document the flag; it is
    /// the trash switch of search, which the Notion fake mirrors for queries.
    /// </summary>
    public bool? InTrash { get; set; }

    public static NotionQuery Where(NotionFilter filter) => new() { Filter = filter };

    public NotionQuery OrderBy(NotionSort sort)
    {
        Sorts.Add(sort);
        return this;
    }
}
