using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// The value of one page property. One subclass per Notion type; unknown types become
/// <see cref="UnknownValue"/> (kept raw, never an error). Equality is value equality in Notion's terms,
/// so the sync engine writes only what changed: text compares as plain text, numbers numerically,
/// multi-select, relation and people as sets, dates as days or instants; the property id, option
/// colors and formatting are ignored. Builders (<see cref="Title"/>, <see cref="Number"/>, ...) split long
/// text; limits are checked, naming the property, when a request is built — before anything is sent.
/// </summary>
public abstract class PropertyValue : IEquatable<PropertyValue>
{
    /// <summary>Notion's type name: <c>title</c>, <c>rich_text</c>, <c>number</c>, ...</summary>
    public abstract string Type { get; }

    /// <summary>The property's id when the value was read from Notion (for example <c>title</c> or <c>%3AxYz</c>).</summary>
    public string? PropertyId { get; private set; }

    /// <summary>True for values Notion computes (formula, rollup, timestamps, unique id): they cannot be written.</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>The value as a reader would see it, for tables and logs.</summary>
    public abstract string DisplayText { get; }

    public override string ToString() => DisplayText;

    // ---- equality ----

    public bool Equals(PropertyValue? other)
        => other is not null && other.GetType() == GetType() && other.Type == Type && ValueEquals(other);

    public override bool Equals(object? obj) => obj is PropertyValue v && Equals(v);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Type) ^ ValueHash();

    public static bool operator ==(PropertyValue? a, PropertyValue? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(PropertyValue? a, PropertyValue? b) => !(a == b);

    /// <summary>Compares with a value of the same class.</summary>
    protected abstract bool ValueEquals(PropertyValue other);

    protected abstract int ValueHash();

    // ---- JSON ----

    /// <summary>The JSON under the type key; <paramref name="full"/> adds read-side fields (ids, colors, plain_text).</summary>
    internal abstract JsonNode? ValueJson(bool full);

    /// <summary>Checks Notion's limits for this value; <paramref name="propertyName"/> is named in the error.</summary>
    internal virtual void CheckLimits(string propertyName) { }

    /// <summary>The property value object as Notion returns it (<c>{id, type, &lt;type&gt;: value}</c>); <see cref="Parse(string)"/> reads it back.</summary>
    public JsonObject ToJson()
    {
        var obj = new JsonObject();
        if (PropertyId != null) obj["id"] = PropertyId;
        obj["type"] = Type;
        obj[Type] = ValueJson(full: true);
        AddExtraJson(obj);
        return obj;
    }

    /// <summary><see cref="ToJson"/> as text.</summary>
    public string ToJsonString() => Json.Serialize(ToJson());

    internal virtual void AddExtraJson(JsonObject obj) { }

    /// <summary>The request form for a create or update (<c>{&lt;type&gt;: value}</c>), after the limit checks.</summary>
    internal JsonObject ToRequestJson(string propertyName)
    {
        if (IsReadOnly)
            throw new NotionInputException("NotionReadOnlyProperty",
                $"{Describe.Property(propertyName)} is a {Type} property, which Notion computes: it cannot be written. Leave it out of the request.");
        CheckLimits(propertyName);
        return new JsonObject { [Type] = ValueJson(full: false) };
    }

    /// <summary>Reads one property value object. Unknown or malformed types become <see cref="UnknownValue"/>.</summary>
    public static PropertyValue Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Parse(doc.RootElement);
    }

    /// <summary>Reads one property value object. Never throws for a well-formed JSON object.</summary>
    public static PropertyValue Parse(JsonElement e)
    {
        var type = Json.Str(e, "type") ?? "";
        var value = Json.Any(e, type);
        PropertyValue result;
        try
        {
            result = type switch
            {
                "title" => new TitleValue(Notion.RichText.Parse(value)),
                "rich_text" => new RichTextValue(Notion.RichText.Parse(value)),
                "number" => new NumberValue(value is { ValueKind: JsonValueKind.Number } n && n.TryGetDouble(out var d) ? d : null),
                "select" => SelectValue.FromJson(value),
                "status" => StatusValue.FromJson(value),
                "multi_select" => MultiSelectValue.FromJson(value),
                "date" => new DateValue(value is { ValueKind: JsonValueKind.Object } dv ? NotionDate.Parse(Json.Str(dv, "start"), Json.Str(dv, "end"), Json.Str(dv, "time_zone")) : null),
                "checkbox" => new CheckboxValue(value is { ValueKind: JsonValueKind.True }),
                "url" => new UrlValue(StringOf(value)),
                "email" => new EmailValue(StringOf(value)),
                "phone_number" => new PhoneNumberValue(StringOf(value)),
                "relation" => new RelationValue(IdsOf(value), Json.Bool(e, "has_more") ?? false),
                "people" => new PeopleValue(IdsOf(value)),
                "formula" => FormulaValue.FromJson(value),
                "rollup" => RollupValue.FromJson(value),
                "created_time" => new CreatedTimeValue(Json.ParseTime(StringOf(value))),
                "last_edited_time" => new LastEditedTimeValue(Json.ParseTime(StringOf(value))),
                "created_by" => new CreatedByValue(value is { ValueKind: JsonValueKind.Object } cb ? Json.Id(cb, "id") : null),
                "last_edited_by" => new LastEditedByValue(value is { ValueKind: JsonValueKind.Object } lb ? Json.Id(lb, "id") : null),
                "unique_id" => value is { ValueKind: JsonValueKind.Object } u
                    ? new UniqueIdValue(Json.Number(u, "number") is { } num ? (long)num : null, Json.Str(u, "prefix"))
                    : new UniqueIdValue(null, null),
                _ => new UnknownValue(type, value?.GetRawText(), writable: false),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or OverflowException)
        {
            result = new UnknownValue(type, value?.GetRawText(), writable: false);
        }
        result.PropertyId = Json.Str(e, "id");
        return result;
    }

    private static string? StringOf(JsonElement? v) => v is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static IEnumerable<string> IdsOf(JsonElement? v)
    {
        if (v is not { ValueKind: JsonValueKind.Array } arr) yield break;
        foreach (var item in arr.EnumerateArray())
            if (Json.Id(item, "id") is { } id) yield return id;
    }

    // ---- builders ----

    /// <summary>A title; text longer than 2000 characters is split into several rich-text objects.</summary>
    public static TitleValue Title(string? text) => new(Notion.RichText.From(text));

    /// <summary>A rich_text value; text longer than 2000 characters is split into several rich-text objects.</summary>
    public static RichTextValue RichText(string? text) => new(Notion.RichText.From(text));

    public static NumberValue Number(double? value) => new(value);
    public static SelectValue Select(string? name) => new(string.IsNullOrEmpty(name) ? null : name, null);
    public static StatusValue Status(string? name) => new(string.IsNullOrEmpty(name) ? null : name, null);
    public static MultiSelectValue MultiSelect(params string[] names) => new(names.Select(n => new SelectOption(n)));
    public static MultiSelectValue MultiSelect(IEnumerable<string> names) => new(names.Select(n => new SelectOption(n)));
    public static DateValue Date(NotionDate? date) => new(date);
    public static CheckboxValue Checkbox(bool value) => new(value);
    public static UrlValue Url(string? url) => new(url);
    public static EmailValue Email(string? email) => new(email);
    public static PhoneNumberValue PhoneNumber(string? phone) => new(phone);

    /// <summary>A relation to pages by id or Notion link (normalized; a bad id throws before sending).</summary>
    public static RelationValue Relation(params string[] pageIds) => new(pageIds.Select(i => NotionId.Normalize(i, "related page id")), false);
    public static RelationValue Relation(IEnumerable<string> pageIds) => Relation(pageIds.ToArray());

    /// <summary>People by user id.</summary>
    public static PeopleValue People(params string[] userIds) => new(userIds.Select(i => NotionId.Normalize(i, "user id")));
    public static PeopleValue People(IEnumerable<string> userIds) => People(userIds.ToArray());

    /// <summary>A value of a type this client does not model, written as given (for example <c>files</c>).</summary>
    public static UnknownValue Raw(string type, JsonNode? value) => new(type, value?.ToJsonString(), writable: true);

    internal static int SetHash(IEnumerable<string> items)
    {
        var h = 0;
        foreach (var i in items.Distinct(StringComparer.Ordinal)) h ^= StringComparer.Ordinal.GetHashCode(i);
        return h;
    }

    internal static bool SetEquals(IEnumerable<string> a, IEnumerable<string> b)
        => new HashSet<string>(a, StringComparer.Ordinal).SetEquals(b);
}

/// <summary>Base of title and rich_text: runs of rich text compared by their plain text.</summary>
public abstract class TextValue : PropertyValue
{
    protected TextValue(IReadOnlyList<RichTextSegment> segments)
    {
        Segments = segments;
        PlainText = Notion.RichText.PlainText(segments);
    }

    public IReadOnlyList<RichTextSegment> Segments { get; }

    /// <summary>The text without formatting; what equality compares.</summary>
    public string PlainText { get; }

    public override string DisplayText => PlainText;
    protected override bool ValueEquals(PropertyValue other) => string.Equals(PlainText, ((TextValue)other).PlainText, StringComparison.Ordinal);
    protected override int ValueHash() => StringComparer.Ordinal.GetHashCode(PlainText);
    internal override JsonNode? ValueJson(bool full) => Notion.RichText.ToJson(Segments, full);
    internal override void CheckLimits(string propertyName) => Notion.RichText.CheckLimits(Describe.Property(propertyName), Segments);
}

public sealed class TitleValue : TextValue
{
    public TitleValue(IReadOnlyList<RichTextSegment> segments) : base(segments) { }
    public override string Type => "title";
}

public sealed class RichTextValue : TextValue
{
    public RichTextValue(IReadOnlyList<RichTextSegment> segments) : base(segments) { }
    public override string Type => "rich_text";
}

public sealed class NumberValue : PropertyValue
{
    public NumberValue(double? value) => Value = value;
    public double? Value { get; }
    public override string Type => "number";
    public override string DisplayText => Value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    // Exact comparison of doubles: JSON numbers round-trip exactly ("R"), and 5 and 5.0 parse to the same double.
    protected override bool ValueEquals(PropertyValue other) => Nullable.Equals(Value, ((NumberValue)other).Value);
    // 0.0 and -0.0 are equal, so they must hash alike (they do not on .NET Framework).
    protected override int ValueHash() => Value is { } v && v != 0 ? v.GetHashCode() : 0;

    internal override JsonNode? ValueJson(bool full) => Value is { } v ? JsonValue.Create(v) : null;

    internal override void CheckLimits(string propertyName)
    {
        if (Value is { } v && (double.IsNaN(v) || double.IsInfinity(v)))
            throw new NotionInputException("NotionInvalidNumber", $"{Describe.Property(propertyName)}: {v} is not a number Notion can store. Send a finite number or null.");
    }
}

/// <summary>A select or status option: name, and (when read) id and color.</summary>
public sealed record SelectOption(string Name, string? Color = null, string? Id = null);

/// <summary>Base of select and status: compared by option name.</summary>
public abstract class OptionValue : PropertyValue
{
    protected OptionValue(string? name, SelectOption? option)
    {
        Name = name;
        Option = option;
    }

    /// <summary>Option name, or null when empty.</summary>
    public string? Name { get; }

    /// <summary>The full option as read (id, color), or null.</summary>
    public SelectOption? Option { get; }

    public override string DisplayText => Name ?? "";
    protected override bool ValueEquals(PropertyValue other) => string.Equals(Name, ((OptionValue)other).Name, StringComparison.Ordinal);
    protected override int ValueHash() => Name is null ? 0 : StringComparer.Ordinal.GetHashCode(Name);

    internal override JsonNode? ValueJson(bool full)
    {
        if (Name is null) return null;
        var obj = new JsonObject();
        if (full && Option?.Id != null) obj["id"] = Option.Id;
        obj["name"] = Name;
        if (full && Option?.Color != null) obj["color"] = Option.Color;
        return obj;
    }

    internal static SelectOption? OptionOf(JsonElement? v)
        => v is { ValueKind: JsonValueKind.Object } o && Json.Str(o, "name") is { } name ? new SelectOption(name, Json.Str(o, "color"), Json.Str(o, "id")) : null;
}

public sealed class SelectValue : OptionValue
{
    public SelectValue(string? name, SelectOption? option) : base(name, option) { }
    public override string Type => "select";
    internal static SelectValue FromJson(JsonElement? v) => OptionOf(v) is { } o ? new SelectValue(o.Name, o) : new SelectValue(null, null);
    internal override void CheckLimits(string propertyName) => MultiSelectValue.CheckOptionName(propertyName, Name);
}

public sealed class StatusValue : OptionValue
{
    public StatusValue(string? name, SelectOption? option) : base(name, option) { }
    public override string Type => "status";
    internal static StatusValue FromJson(JsonElement? v) => OptionOf(v) is { } o ? new StatusValue(o.Name, o) : new StatusValue(null, null);
}

public sealed class MultiSelectValue : PropertyValue
{
    public MultiSelectValue(IEnumerable<SelectOption> options) => Options = options.ToList();

    public IReadOnlyList<SelectOption> Options { get; }
    public IEnumerable<string> Names => Options.Select(o => o.Name);
    public override string Type => "multi_select";
    public override string DisplayText => string.Join(", ", Names);

    protected override bool ValueEquals(PropertyValue other) => SetEquals(Names, ((MultiSelectValue)other).Names);
    protected override int ValueHash() => SetHash(Names);

    internal override JsonNode? ValueJson(bool full)
    {
        var arr = new JsonArray();
        foreach (var o in Options)
        {
            var obj = new JsonObject();
            if (full && o.Id != null) obj["id"] = o.Id;
            obj["name"] = o.Name;
            if (full && o.Color != null) obj["color"] = o.Color;
            arr.Add(obj);
        }
        return arr;
    }

    internal override void CheckLimits(string propertyName)
    {
        if (Options.Count > NotionLimits.MultiItems)
            throw new NotionLimitException(Describe.Property(propertyName), "the number of multi-select options in one value", NotionLimits.MultiItems, Options.Count,
                "Choose fewer options, or store the list as text.");
        foreach (var o in Options) CheckOptionName(propertyName, o.Name);
    }

    internal static void CheckOptionName(string propertyName, string? name)
    {
        if (name != null && name.IndexOf(',') >= 0)
            throw new NotionInputException("NotionInvalidOptionName",
                $"{Describe.Property(propertyName)}: the option \"{name}\" contains a comma, which Notion does not allow in option names. Replace the comma (for example with ' /').");
    }

    internal static MultiSelectValue FromJson(JsonElement? v)
    {
        var list = new List<SelectOption>();
        if (v is { ValueKind: JsonValueKind.Array } arr)
            foreach (var item in arr.EnumerateArray())
                if (OptionValue.OptionOf(item) is { } o) list.Add(o);
        return new MultiSelectValue(list);
    }
}

public sealed class DateValue : PropertyValue
{
    public DateValue(NotionDate? date) => Date = date;
    public new NotionDate? Date { get; }
    public override string Type => "date";
    public override string DisplayText => Date?.ToString() ?? "";
    protected override bool ValueEquals(PropertyValue other) => Equals(Date, ((DateValue)other).Date);
    protected override int ValueHash() => Date?.GetHashCode() ?? 0;
    internal override JsonNode? ValueJson(bool full) => Date?.ToJson();
}

public sealed class CheckboxValue : PropertyValue
{
    public CheckboxValue(bool value) => Value = value;
    public bool Value { get; }
    public override string Type => "checkbox";
    public override string DisplayText => Value ? "true" : "false";
    protected override bool ValueEquals(PropertyValue other) => Value == ((CheckboxValue)other).Value;
    protected override int ValueHash() => Value ? 1 : 2;
    internal override JsonNode? ValueJson(bool full) => JsonValue.Create(Value);
}

/// <summary>Base of url, email and phone_number: a string, where empty and null are the same.</summary>
public abstract class StringPropertyValue : PropertyValue
{
    protected StringPropertyValue(string? value) => Value = string.IsNullOrEmpty(value) ? null : value;
    public string? Value { get; }
    public override string DisplayText => Value ?? "";
    protected abstract int MaxLength { get; }
    protected override bool ValueEquals(PropertyValue other) => string.Equals(Value, ((StringPropertyValue)other).Value, StringComparison.Ordinal);
    protected override int ValueHash() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);
    internal override JsonNode? ValueJson(bool full) => Value is null ? null : JsonValue.Create(Value);

    internal override void CheckLimits(string propertyName)
    {
        if (Value != null && Value.Length > MaxLength)
            throw new NotionLimitException(Describe.Property(propertyName), Type == "email" ? "an email value" : $"a {Type} value", MaxLength, Value.Length,
                Type == "url" ? "Shorten the URL (for example with a redirect), or store it as text." : "Shorten the value.");
    }
}

public sealed class UrlValue : StringPropertyValue
{
    public UrlValue(string? value) : base(value) { }
    public override string Type => "url";
    protected override int MaxLength => NotionLimits.Url;
}

public sealed class EmailValue : StringPropertyValue
{
    public EmailValue(string? value) : base(value) { }
    public override string Type => "email";
    protected override int MaxLength => NotionLimits.EmailOrPhone;
}

public sealed class PhoneNumberValue : StringPropertyValue
{
    public PhoneNumberValue(string? value) : base(value) { }
    public override string Type => "phone_number";
    protected override int MaxLength => NotionLimits.EmailOrPhone;
}

/// <summary>Base of relation and people: a set of normalized ids.</summary>
public abstract class IdSetValue : PropertyValue
{
    protected IdSetValue(IEnumerable<string> ids) => Ids = ids.ToList();
    public IReadOnlyList<string> Ids { get; }
    public override string DisplayText => string.Join(", ", Ids);
    protected override bool ValueEquals(PropertyValue other) => SetEquals(Ids, ((IdSetValue)other).Ids);
    protected override int ValueHash() => SetHash(Ids);

    internal override JsonNode? ValueJson(bool full)
    {
        var arr = new JsonArray();
        foreach (var id in Ids)
        {
            var o = new JsonObject();
            if (full && Type == "people") o["object"] = "user";
            o["id"] = id;
            arr.Add(o);
        }
        return arr;
    }

    internal override void CheckLimits(string propertyName)
    {
        if (Ids.Count > NotionLimits.MultiItems)
            throw new NotionLimitException(Describe.Property(propertyName), $"the number of {(Type == "people" ? "people" : "related pages")} in one value",
                NotionLimits.MultiItems, Ids.Count, "Split the links over several properties or link through an intermediate page.");
    }
}

public sealed class RelationValue : IdSetValue
{
    public RelationValue(IEnumerable<string> pageIds, bool hasMore) : base(pageIds) => HasMore = hasMore;

    /// <summary>
    /// True when Notion truncated the list in the page object (it returns at most 25 related pages there);
    /// <see cref="NotionClient.GetPropertyAsync"/> reads the complete list.
    /// </summary>
    public bool HasMore { get; }

    public override string Type => "relation";
    internal override void AddExtraJson(JsonObject obj) => obj["has_more"] = HasMore;
}

public sealed class PeopleValue : IdSetValue
{
    public PeopleValue(IEnumerable<string> userIds) : base(userIds) { }
    public override string Type => "people";
}

/// <summary>A formula's result: <see cref="ResultType"/> is string, number, boolean or date.</summary>
public sealed class FormulaValue : PropertyValue
{
    public FormulaValue(string resultType, string? text, double? number, bool? boolean, NotionDate? date)
    {
        ResultType = resultType;
        Text = text;
        Number = number;
        Boolean = boolean;
        Date = date;
    }

    public string ResultType { get; }
    public string? Text { get; }
    public new double? Number { get; }
    public bool? Boolean { get; }
    public new NotionDate? Date { get; }
    public override string Type => "formula";
    public override bool IsReadOnly => true;

    public override string DisplayText => ResultType switch
    {
        "number" => Number?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        "boolean" => Boolean is { } b ? (b ? "true" : "false") : "",
        "date" => Date?.ToString() ?? "",
        _ => Text ?? "",
    };

    protected override bool ValueEquals(PropertyValue other)
    {
        var o = (FormulaValue)other;
        return ResultType == o.ResultType && string.Equals(Text, o.Text, StringComparison.Ordinal) && Nullable.Equals(Number, o.Number)
               && Nullable.Equals(Boolean, o.Boolean) && Equals(Date, o.Date);
    }

    protected override int ValueHash() => StringComparer.Ordinal.GetHashCode(ResultType);

    internal override JsonNode? ValueJson(bool full)
    {
        var obj = new JsonObject { ["type"] = ResultType };
        obj[ResultType] = ResultType switch
        {
            "number" => Number is { } n ? JsonValue.Create(n) : null,
            "boolean" => Boolean is { } b ? JsonValue.Create(b) : null,
            "date" => Date?.ToJson(),
            _ => Text is null ? null : JsonValue.Create(Text),
        };
        return obj;
    }

    internal static FormulaValue FromJson(JsonElement? v)
    {
        if (v is not { ValueKind: JsonValueKind.Object } o) return new FormulaValue("string", null, null, null, null);
        var type = Json.Str(o, "type") ?? "string";
        var date = Json.Obj(o, "date") is { } d ? NotionDate.Parse(Json.Str(d, "start"), Json.Str(d, "end"), Json.Str(d, "time_zone")) : null;
        return new FormulaValue(type, Json.Str(o, "string"), Json.Number(o, "number"), Json.Bool(o, "boolean"), date);
    }
}

/// <summary>A rollup's result: number, date or array (of property values), as computed by Notion.</summary>
public sealed class RollupValue : PropertyValue
{
    public RollupValue(string resultType, string? function, double? number, NotionDate? date, IReadOnlyList<PropertyValue> items)
    {
        ResultType = resultType;
        Function = function;
        Number = number;
        Date = date;
        Items = items;
    }

    /// <summary>number, date, array, incomplete or unsupported.</summary>
    public string ResultType { get; }
    public string? Function { get; }
    public new double? Number { get; }
    public new NotionDate? Date { get; }
    public IReadOnlyList<PropertyValue> Items { get; }
    public override string Type => "rollup";
    public override bool IsReadOnly => true;

    public override string DisplayText => ResultType switch
    {
        "number" => Number?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        "date" => Date?.ToString() ?? "",
        "array" => string.Join(", ", Items.Select(i => i.DisplayText)),
        _ => "",
    };

    protected override bool ValueEquals(PropertyValue other)
    {
        var o = (RollupValue)other;
        return ResultType == o.ResultType && Nullable.Equals(Number, o.Number) && Equals(Date, o.Date) && Items.SequenceEqual(o.Items);
    }

    protected override int ValueHash() => StringComparer.Ordinal.GetHashCode(ResultType);

    internal override JsonNode? ValueJson(bool full)
    {
        var obj = new JsonObject { ["type"] = ResultType };
        switch (ResultType)
        {
            case "number": obj["number"] = Number is { } n ? JsonValue.Create(n) : null; break;
            case "date": obj["date"] = Date?.ToJson(); break;
            case "array":
                var arr = new JsonArray();
                foreach (var item in Items)
                {
                    var itemJson = item.ToJson();
                    itemJson.Remove("id");
                    arr.Add(itemJson);
                }
                obj["array"] = arr;
                break;
        }
        if (Function != null) obj["function"] = Function;
        return obj;
    }

    internal static RollupValue FromJson(JsonElement? v)
    {
        if (v is not { ValueKind: JsonValueKind.Object } o) return new RollupValue("unsupported", null, null, null, Array.Empty<PropertyValue>());
        var type = Json.Str(o, "type") ?? "unsupported";
        var date = Json.Obj(o, "date") is { } d ? NotionDate.Parse(Json.Str(d, "start"), Json.Str(d, "end"), Json.Str(d, "time_zone")) : null;
        var items = new List<PropertyValue>();
        if (Json.Arr(o, "array") is { } arr)
            foreach (var item in arr.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object) items.Add(Parse(item));
        return new RollupValue(type, Json.Str(o, "function"), Json.Number(o, "number"), date, items);
    }
}

/// <summary>Base of created_time and last_edited_time.</summary>
public abstract class TimestampValue : PropertyValue
{
    protected TimestampValue(DateTimeOffset? time) => Time = time;
    public DateTimeOffset? Time { get; }
    public override bool IsReadOnly => true;
    public override string DisplayText => Time is { } t ? Json.FormatTime(t) : "";
    protected override bool ValueEquals(PropertyValue other) => Nullable.Equals(Time?.UtcTicks, ((TimestampValue)other).Time?.UtcTicks);
    protected override int ValueHash() => Time?.UtcTicks.GetHashCode() ?? 0;
    internal override JsonNode? ValueJson(bool full) => Time is { } t ? JsonValue.Create(Json.FormatTime(t)) : null;
}

public sealed class CreatedTimeValue : TimestampValue
{
    public CreatedTimeValue(DateTimeOffset? time) : base(time) { }
    public override string Type => "created_time";
}

public sealed class LastEditedTimeValue : TimestampValue
{
    public LastEditedTimeValue(DateTimeOffset? time) : base(time) { }
    public override string Type => "last_edited_time";
}

/// <summary>Base of created_by and last_edited_by: a user id.</summary>
public abstract class UserRefValue : PropertyValue
{
    protected UserRefValue(string? userId) => UserId = userId;
    public string? UserId { get; }
    public override bool IsReadOnly => true;
    public override string DisplayText => UserId ?? "";
    protected override bool ValueEquals(PropertyValue other) => string.Equals(UserId, ((UserRefValue)other).UserId, StringComparison.Ordinal);
    protected override int ValueHash() => UserId is null ? 0 : StringComparer.Ordinal.GetHashCode(UserId);
    internal override JsonNode? ValueJson(bool full) => UserId is null ? null : new JsonObject { ["object"] = "user", ["id"] = UserId };
}

public sealed class CreatedByValue : UserRefValue
{
    public CreatedByValue(string? userId) : base(userId) { }
    public override string Type => "created_by";
}

public sealed class LastEditedByValue : UserRefValue
{
    public LastEditedByValue(string? userId) : base(userId) { }
    public override string Type => "last_edited_by";
}

/// <summary>An auto-incremented id such as <c>TASK-42</c>.</summary>
public sealed class UniqueIdValue : PropertyValue
{
    public UniqueIdValue(long? number, string? prefix)
    {
        Number = number;
        Prefix = prefix;
    }

    public new long? Number { get; }
    public string? Prefix { get; }
    public override string Type => "unique_id";
    public override bool IsReadOnly => true;
    public override string DisplayText => Number is null ? "" : (Prefix is null ? "" : Prefix + "-") + Number.Value.ToString(CultureInfo.InvariantCulture);

    protected override bool ValueEquals(PropertyValue other)
    {
        var o = (UniqueIdValue)other;
        return Number == o.Number && string.Equals(Prefix, o.Prefix, StringComparison.Ordinal);
    }

    protected override int ValueHash() => Number?.GetHashCode() ?? 0;
    internal override JsonNode? ValueJson(bool full) => new JsonObject { ["number"] = Number, ["prefix"] = Prefix };
}

/// <summary>A property type this client does not model (files, button, verification, place, ...): kept as raw JSON.</summary>
public sealed class UnknownValue : PropertyValue
{
    private readonly string _type;
    private readonly bool _writable;

    public UnknownValue(string type, string? rawValueJson, bool writable)
    {
        _type = type;
        RawValueJson = rawValueJson;
        _writable = writable;
    }

    /// <summary>The JSON under the type key, exactly as received (or as given to <see cref="PropertyValue.Raw"/>).</summary>
    public string? RawValueJson { get; }

    public override string Type => _type;
    public override bool IsReadOnly => !_writable;
    public override string DisplayText => RawValueJson ?? "";
    protected override bool ValueEquals(PropertyValue other) => string.Equals(RawValueJson, ((UnknownValue)other).RawValueJson, StringComparison.Ordinal);
    protected override int ValueHash() => RawValueJson is null ? 0 : StringComparer.Ordinal.GetHashCode(RawValueJson);
    internal override JsonNode? ValueJson(bool full) => RawValueJson is null ? null : JsonNode.Parse(RawValueJson);
}
