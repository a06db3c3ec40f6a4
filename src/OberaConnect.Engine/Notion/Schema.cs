using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>Notion's option and block colors.</summary>
public static class NotionColor
{
    public const string Default = "default";
    public const string Gray = "gray";
    public const string Brown = "brown";
    public const string Orange = "orange";
    public const string Yellow = "yellow";
    public const string Green = "green";
    public const string Blue = "blue";
    public const string Purple = "purple";
    public const string Pink = "pink";
    public const string Red = "red";

    /// <summary>Every color an option may take.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Default, Gray, Brown, Orange, Yellow, Green, Blue, Purple, Pink, Red };

    public static bool IsValid(string? color) => color != null && All.Contains(color);
}

/// <summary>Where a relation points and whether it is mirrored on the other side.</summary>
public sealed record RelationTarget(string? DataSourceId, string? DatabaseId, bool IsDual, string? SyncedPropertyName, string? SyncedPropertyId);

/// <summary>One property of a data source's schema, as read from <c>GET /v1/data_sources/{id}</c>.</summary>
public sealed class PropertySchema
{
    internal PropertySchema(string id, string name, string type, IReadOnlyList<SelectOption> options, RelationTarget? relation,
        string? numberFormat, string? formulaExpression, string? uniqueIdPrefix, string rawJson)
    {
        Id = id;
        Name = name;
        Type = type;
        Options = options;
        Relation = relation;
        NumberFormat = numberFormat;
        FormulaExpression = formulaExpression;
        UniqueIdPrefix = uniqueIdPrefix;
        RawJson = rawJson;
    }

    public string Id { get; }
    public string Name { get; }

    /// <summary>Notion's type name (<c>title</c>, <c>select</c>, <c>relation</c>, ...).</summary>
    public string Type { get; }

    /// <summary>Options of a select, multi_select or status property; empty otherwise.</summary>
    public IReadOnlyList<SelectOption> Options { get; }

    /// <summary>Target of a relation property, null otherwise.</summary>
    public RelationTarget? Relation { get; }

    public string? NumberFormat { get; }
    public string? FormulaExpression { get; }
    public string? UniqueIdPrefix { get; }

    /// <summary>The schema entry exactly as received.</summary>
    public string RawJson { get; }

    public override string ToString() => Name + " (" + Type + ")";

    internal static PropertySchema Parse(string key, JsonElement e)
    {
        var type = Json.Str(e, "type") ?? "";
        var config = Json.Obj(e, type);
        var options = new List<SelectOption>();
        RelationTarget? relation = null;
        string? numberFormat = null, expression = null, prefix = null;
        if (config is { } c)
        {
            if (Json.Arr(c, "options") is { } arr)
                foreach (var o in arr.EnumerateArray())
                    if (Json.Str(o, "name") is { } n) options.Add(new SelectOption(n, Json.Str(o, "color"), Json.Str(o, "id")));
            switch (type)
            {
                case "relation":
                    var relType = Json.Str(c, "type");
                    var dual = relType == "dual_property" || Json.Obj(c, "dual_property") != null;
                    var dualConfig = Json.Obj(c, "dual_property");
                    relation = new RelationTarget(Json.Id(c, "data_source_id"), Json.Id(c, "database_id"), dual,
                        dualConfig is { } d ? Json.Str(d, "synced_property_name") : null, dualConfig is { } d2 ? Json.Str(d2, "synced_property_id") : null);
                    break;
                case "number": numberFormat = Json.Str(c, "format"); break;
                case "formula": expression = Json.Str(c, "expression"); break;
                case "unique_id": prefix = Json.Str(c, "prefix"); break;
            }
        }
        return new PropertySchema(Json.Str(e, "id") ?? "", Json.Str(e, "name") ?? key, type, options, relation, numberFormat, expression, prefix, e.GetRawText());
    }
}

/// <summary>
/// A property to create, change, rename or remove in a data source's schema (<c>POST /v1/databases</c>'s
/// <c>initial_data_source.properties</c>, <c>PATCH /v1/data_sources/{id}</c>'s <c>properties</c>).
/// </summary>
public sealed class PropertyDefinition
{
    private readonly JsonObject? _config;

    private PropertyDefinition(string? type, JsonObject? config, string? newName, bool remove)
    {
        Type = type;
        _config = config;
        NewName = newName;
        IsRemoval = remove;
    }

    /// <summary>The property type, or null for a pure rename or a removal.</summary>
    public string? Type { get; }

    /// <summary>The new name when renaming.</summary>
    public string? NewName { get; }

    /// <summary>True when the property is to be removed.</summary>
    public bool IsRemoval { get; }

    public static PropertyDefinition Title() => Simple("title");
    public static PropertyDefinition RichText() => Simple("rich_text");
    public static PropertyDefinition Checkbox() => Simple("checkbox");
    public static PropertyDefinition Date() => Simple("date");
    public static PropertyDefinition Url() => Simple("url");
    public static PropertyDefinition Email() => Simple("email");
    public static PropertyDefinition PhoneNumber() => Simple("phone_number");
    public static PropertyDefinition People() => Simple("people");
    public static PropertyDefinition Files() => Simple("files");
    public static PropertyDefinition CreatedTime() => Simple("created_time");
    public static PropertyDefinition LastEditedTime() => Simple("last_edited_time");
    public static PropertyDefinition CreatedBy() => Simple("created_by");
    public static PropertyDefinition LastEditedBy() => Simple("last_edited_by");

    /// <summary>A number, with Notion's format name (<c>number</c>, <c>number_with_commas</c>, <c>percent</c>, <c>dollar</c>, ...).</summary>
    public static PropertyDefinition Number(string format = "number") => new("number", new JsonObject { ["format"] = format }, null, false);

    public static PropertyDefinition Select(params SelectOption[] options) => WithOptions("select", options);
    public static PropertyDefinition MultiSelect(params SelectOption[] options) => WithOptions("multi_select", options);

    /// <summary>A status property; with no options Notion creates its default To-do / In progress / Done groups.</summary>
    public static PropertyDefinition Status(params SelectOption[] options) => WithOptions("status", options);

    /// <summary>A relation to the pages of another data source; dual adds the mirrored property there.</summary>
    public static PropertyDefinition Relation(string dataSourceId, bool dual = false, string? syncedPropertyName = null)
    {
        var id = NotionId.Normalize(dataSourceId, "related data source id");
        var config = new JsonObject { ["data_source_id"] = id };
        if (dual)
        {
            var dualConfig = new JsonObject();
            if (!string.IsNullOrEmpty(syncedPropertyName)) dualConfig["synced_property_name"] = syncedPropertyName;
            config["type"] = "dual_property";
            config["dual_property"] = dualConfig;
        }
        else
        {
            config["type"] = "single_property";
            config["single_property"] = new JsonObject();
        }
        return new PropertyDefinition("relation", config, null, false);
    }

    public static PropertyDefinition Formula(string expression) => new("formula", new JsonObject { ["expression"] = expression }, null, false);

    public static PropertyDefinition UniqueId(string? prefix = null)
        => new("unique_id", prefix is null ? new JsonObject() : new JsonObject { ["prefix"] = prefix }, null, false);

    /// <summary>Renames an existing property (in an update).</summary>
    public static PropertyDefinition Rename(string newName) => new(null, null, newName, false);

    /// <summary>Removes the property and its values from every page (in an update). Use with care.</summary>
    public static PropertyDefinition Remove() => new(null, null, null, true);

    /// <summary>
    /// A definition from Notion's schema JSON for one property: <c>{"select":{"options":[...]}}</c>,
    /// optionally with <c>"type"</c> and <c>"name"</c> (a rename, as in <c>{"name":"Site Name"}</c>).
    /// </summary>
    public static PropertyDefinition FromJson(JsonObject schema)
    {
        if (schema is null) throw new ArgumentNullException(nameof(schema));
        var newName = (string?)schema["name"];
        var type = (string?)schema["type"]
                   ?? schema.Select(kv => kv.Key).FirstOrDefault(k => k is not ("name" or "type" or "id" or "description"));
        if (type is null) return new PropertyDefinition(null, null, newName, false);
        var config = schema[type] is JsonObject c ? (JsonObject)c.DeepClone() : new JsonObject();
        return new PropertyDefinition(type, config, newName, false);
    }

    /// <summary>Also renames the property while changing it.</summary>
    public PropertyDefinition RenamedTo(string newName) => new(Type, _config?.DeepClone().AsObject(), newName, false);

    private static PropertyDefinition Simple(string type) => new(type, new JsonObject(), null, false);

    private static PropertyDefinition WithOptions(string type, SelectOption[] options)
    {
        var arr = new JsonArray();
        foreach (var o in options)
        {
            var item = new JsonObject { ["name"] = o.Name };
            if (o.Color != null) item["color"] = o.Color;
            arr.Add(item);
        }
        return new PropertyDefinition(type, options.Length == 0 && type == "status" ? new JsonObject() : new JsonObject { ["options"] = arr }, null, false);
    }

    /// <summary>The JSON for the schema request, after checks; <paramref name="propertyName"/> is named in errors.</summary>
    internal JsonNode? ToRequestJson(string propertyName)
    {
        if (IsRemoval) return null;
        if (_config?["options"] is JsonArray options)
        {
            foreach (var o in options)
            {
                var name = (string?)o?["name"];
                var color = (string?)o?["color"];
                if (string.IsNullOrEmpty(name))
                    throw new NotionInputException("NotionInvalidOption", $"{Describe.Property(propertyName)}: an option has no name.");
                MultiSelectValue.CheckOptionName(propertyName, name);
                if (color != null && !NotionColor.IsValid(color))
                    throw new NotionInputException("NotionInvalidColor",
                        $"{Describe.Property(propertyName)}: option \"{name}\" has color \"{color}\"; Notion knows {string.Join(", ", NotionColor.All)}.");
            }
        }
        var obj = new JsonObject();
        if (NewName != null) obj["name"] = NewName;
        if (Type != null)
        {
            obj["type"] = Type;
            obj[Type] = _config?.DeepClone() ?? new JsonObject();
        }
        return obj;
    }

    internal static JsonObject ToRequestJson(IEnumerable<KeyValuePair<string, PropertyDefinition>> properties)
    {
        var obj = new JsonObject();
        foreach (var p in properties)
        {
            if (string.IsNullOrEmpty(p.Key))
                throw new NotionInputException("NotionInvalidProperty", "A property definition has an empty name.");
            obj[p.Key] = p.Value.ToRequestJson(p.Key);
        }
        return obj;
    }
}
