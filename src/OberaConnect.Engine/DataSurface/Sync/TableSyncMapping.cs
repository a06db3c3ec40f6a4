using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>The Notion property types the two-way sync writes.</summary>
public enum PropertyKind
{
    Title,
    RichText,
    Number,
    Select,
    MultiSelect,
    Date,
    Checkbox,
    Email,
    Url,
    PhoneNumber,
}

/// <summary>One column and the Notion property it maps to.</summary>
public sealed class ColumnMap
{
    public ColumnMap(RelationalColumn column, string property, PropertyKind kind, bool toNotionOnly = false, IReadOnlyList<string>? options = null)
    {
        Column = column;
        Property = property;
        Kind = kind;
        ToNotionOnly = toNotionOnly;
        Options = options ?? Array.Empty<string>();
    }

    public RelationalColumn Column { get; }
    public string ColumnName => Column.Name;
    public string Property { get; }
    public PropertyKind Kind { get; }

    /// <summary>Copied to Notion but never back (JSON, database-managed and unknown types).</summary>
    public bool ToNotionOnly { get; }

    /// <summary>Select / multi-select options known up front (enum labels, distinct values).</summary>
    public IReadOnlyList<string> Options { get; }

    public override string ToString() => $"{ColumnName} → {Property} ({Kind}{(ToNotionOnly ? ", to Notion only" : "")})";
}

/// <summary>Choices for <see cref="TableSyncMapping.Infer"/>.</summary>
public sealed class MappingInferenceOptions
{
    /// <summary>The id column (also written to Notion as <see cref="IdProperty"/>); the primary key when null.</summary>
    public string? IdColumn { get; set; }

    /// <summary>The Notion property holding the row id (the predecessor's <c>postgres_id</c>).</summary>
    public string IdProperty { get; set; } = "postgres_id";

    /// <summary>The change-time column; <c>updated_at</c> when present and null.</summary>
    public string? ChangedAtColumn { get; set; }

    /// <summary>The column shown as the page title; the first of name, title, display_name, full_name when null.</summary>
    public string? TitleColumn { get; set; }

    /// <summary>The title property's name.</summary>
    public string TitleProperty { get; set; } = "Name";

    public string SyncStatusProperty { get; set; } = "sync_status";
    public string LastSyncedProperty { get; set; } = "last_synced";

    /// <summary>A text column with at most this many distinct values (each repeated) becomes a select.</summary>
    public int MaxSelectOptions { get; set; } = 10;
}

/// <summary>
/// How a table maps to a Notion database: the id column and its property, the change column, the title,
/// and one <see cref="ColumnMap"/> per synced column. Inferred from column names and types, optionally
/// corrected by a small JSON mapping file (<see cref="FromJson"/>).
/// </summary>
public sealed class TableSyncMapping
{
    private static readonly string[] TitleCandidates = { "name", "title", "display_name", "full_name" };

    public TableSyncMapping(string table, RelationalColumn idColumn, string idProperty, RelationalColumn? changedAtColumn,
        IReadOnlyList<ColumnMap> columns, string syncStatusProperty, string lastSyncedProperty)
    {
        Table = table;
        IdColumn = idColumn;
        IdProperty = idProperty;
        ChangedAtColumn = changedAtColumn;
        Columns = columns;
        SyncStatusProperty = syncStatusProperty;
        LastSyncedProperty = lastSyncedProperty;
        Validate();
    }

    public string Table { get; }
    public RelationalColumn IdColumn { get; }
    public string IdProperty { get; }
    public RelationalColumn? ChangedAtColumn { get; }
    public IReadOnlyList<ColumnMap> Columns { get; }
    public string SyncStatusProperty { get; }
    public string LastSyncedProperty { get; }

    /// <summary>The column mapped to the page title.</summary>
    public ColumnMap Title => Columns.First(c => c.Kind == PropertyKind.Title);

    /// <summary>Columns copied both ways.</summary>
    public IEnumerable<ColumnMap> TwoWayColumns => Columns.Where(c => !c.ToNotionOnly);

    /// <summary>The text columns whose distinct values inference would look at.</summary>
    public static IReadOnlyList<string> ProfileCandidates(RelationalTableSchema schema)
        => schema.Columns.Where(c => c.Kind == ColumnKind.Text && (c.EnumValues is null || c.EnumValues.Count == 0)).Select(c => c.Name).ToList();

    /// <summary>Infers the mapping from column names and types (and text profiles, for selects).</summary>
    public static TableSyncMapping Infer(RelationalTableSchema schema, MappingInferenceOptions? options = null,
        IReadOnlyDictionary<string, TextColumnProfile>? profiles = null)
        => Build(schema, options ?? new MappingInferenceOptions(), profiles, null);

    /// <summary>
    /// Reads a mapping file and applies it over the inference:
    /// <code>
    /// { "idColumn": "id", "idProperty": "postgres_id", "changedAtColumn": "updated_at",
    ///   "titleColumn": "name", "titleProperty": "Name", "inferOthers": true,
    ///   "syncStatusProperty": "sync_status", "lastSyncedProperty": "last_synced",
    ///   "columns": { "status": { "property": "Status", "type": "select", "options": ["active", "on_hold"] },
    ///                "metadata": { "type": "rich_text", "direction": "toNotion" },
    ///                "internal_notes": { "ignore": true } } }
    /// </code>
    /// Types: title, rich_text, number, select, multi_select, date, checkbox, email, url, phone_number.
    /// With <c>"inferOthers": false</c> only the listed columns are synced.
    /// </summary>
    public static TableSyncMapping FromJson(string json, RelationalTableSchema schema, IReadOnlyDictionary<string, TextColumnProfile>? profiles = null)
    {
        JsonObject file;
        try
        {
            file = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new JsonException("the file is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw MappingError($"The mapping file for {schema.Table} is not valid JSON: {ex.Message}");
        }
        var options = new MappingInferenceOptions
        {
            IdColumn = Str(file, "idColumn"),
            ChangedAtColumn = Str(file, "changedAtColumn"),
            TitleColumn = Str(file, "titleColumn"),
        };
        options.IdProperty = Str(file, "idProperty") ?? options.IdProperty;
        options.TitleProperty = Str(file, "titleProperty") ?? options.TitleProperty;
        options.SyncStatusProperty = Str(file, "syncStatusProperty") ?? options.SyncStatusProperty;
        options.LastSyncedProperty = Str(file, "lastSyncedProperty") ?? options.LastSyncedProperty;
        if (file["maxSelectOptions"] is JsonValue max && max.TryGetValue<int>(out var m)) options.MaxSelectOptions = m;
        var overrides = new MappingFile(file["inferOthers"] is JsonValue io && io.TryGetValue<bool>(out var b) ? b : true,
            file["columns"] as JsonObject ?? new JsonObject());
        if (file["columns"] != null && file["columns"] is not JsonObject)
            throw MappingError($"In the mapping file for {schema.Table}, 'columns' must be an object keyed by column name.");
        return Build(schema, options, profiles, overrides);
    }

    private sealed class MappingFile
    {
        public MappingFile(bool inferOthers, JsonObject columns)
        {
            InferOthers = inferOthers;
            Columns = columns;
        }

        public bool InferOthers { get; }
        public JsonObject Columns { get; }
    }

    private static TableSyncMapping Build(RelationalTableSchema schema, MappingInferenceOptions options,
        IReadOnlyDictionary<string, TextColumnProfile>? profiles, MappingFile? file)
    {
        var id = options.IdColumn is { } idName ? schema.Require(idName, "id column")
            : schema.Columns.FirstOrDefault(c => c.IsPrimaryKey) ?? schema.Find("id")
              ?? throw MappingError($"Table {schema.Table} has no primary key and no 'id' column; name the id column (idColumn).");
        var changed = options.ChangedAtColumn is { } changedName ? schema.Require(changedName, "change-time column") : schema.Find("updated_at");
        if (changed != null && changed.Kind != ColumnKind.Timestamp && changed.Kind != ColumnKind.Date)
            throw MappingError($"The change-time column {changed.Name} of {schema.Table} is {changed.StoreType}, not a date or timestamp.");

        var title = options.TitleColumn is { } titleName ? schema.Require(titleName, "title column")
            : TitleCandidates.Select(schema.Find).FirstOrDefault(c => c != null && c.Kind == ColumnKind.Text);

        if (file != null)
        {
            foreach (var entry in file.Columns)
                schema.Require(entry.Key, "mapping file entry");
        }

        var maps = new List<ColumnMap>();
        foreach (var column in schema.Columns)
        {
            if (ReferenceEquals(column, id) || ReferenceEquals(column, changed)) continue;
            var entry = FindEntry(file, column.Name);
            if (entry is JsonObject o && o["ignore"] is JsonValue ig && ig.TryGetValue<bool>(out var ignore) && ignore) continue;
            if (entry is null && file != null && !file.InferOthers && !ReferenceEquals(column, title)) continue;

            var inferred = InferOne(column, ReferenceEquals(column, title), options, profiles);
            var map = entry is JsonObject spec ? ApplyEntry(schema.Table, column, spec, inferred, options) : inferred;
            if (map != null) maps.Add(map);
        }
        if (!maps.Any(c => c.Kind == PropertyKind.Title))
            throw MappingError($"No column of {schema.Table} maps to the page title; name one with titleColumn (a text column such as name).");
        if (maps.Count(c => c.Kind == PropertyKind.Title) > 1)
            throw MappingError($"More than one column of {schema.Table} maps to the title: {string.Join(", ", maps.Where(c => c.Kind == PropertyKind.Title).Select(c => c.ColumnName))}.");
        return new TableSyncMapping(schema.Table, id, options.IdProperty, changed, maps, options.SyncStatusProperty, options.LastSyncedProperty);
    }

    private static JsonNode? FindEntry(MappingFile? file, string column)
    {
        if (file is null) return null;
        foreach (var e in file.Columns)
            if (string.Equals(e.Key, column, StringComparison.OrdinalIgnoreCase)) return e.Value ?? new JsonObject();
        return null;
    }

    private static ColumnMap? InferOne(RelationalColumn column, bool isTitle, MappingInferenceOptions options, IReadOnlyDictionary<string, TextColumnProfile>? profiles)
    {
        var name = column.Name;
        var lower = name.ToLowerInvariant();
        if (isTitle) return new ColumnMap(column, options.TitleProperty, PropertyKind.Title);
        switch (column.Kind)
        {
            case ColumnKind.Boolean:
                return new ColumnMap(column, name, PropertyKind.Checkbox);
            case ColumnKind.Integer:
            case ColumnKind.Decimal:
                return new ColumnMap(column, name, PropertyKind.Number);
            case ColumnKind.Date:
            case ColumnKind.Timestamp:
                // created_at is the database's to set; Notion shows it.
                return new ColumnMap(column, name, PropertyKind.Date, toNotionOnly: lower == "created_at");
            case ColumnKind.Json:
                // The predecessor's rule: JSON is shown as text in Notion, not editable there.
                return new ColumnMap(column, name, PropertyKind.RichText, toNotionOnly: true);
            case ColumnKind.TextArray:
                return new ColumnMap(column, name, PropertyKind.MultiSelect);
            case ColumnKind.Uuid:
                return new ColumnMap(column, name, PropertyKind.RichText);
            case ColumnKind.Other:
                return new ColumnMap(column, name, PropertyKind.RichText, toNotionOnly: true);
        }

        if (column.EnumValues is { Count: > 0 } labels) return new ColumnMap(column, name, PropertyKind.Select, options: labels);
        if (lower == "email" || lower.EndsWith("_email", StringComparison.Ordinal)) return new ColumnMap(column, name, PropertyKind.Email);
        if (lower == "url" || lower == "website" || lower.EndsWith("_url", StringComparison.Ordinal)) return new ColumnMap(column, name, PropertyKind.Url);
        if (lower == "phone" || lower == "phone_number" || lower.EndsWith("_phone", StringComparison.Ordinal)) return new ColumnMap(column, name, PropertyKind.PhoneNumber);
        if (profiles != null && profiles.TryGetValue(name, out var profile) && profile.DistinctValues is { } distinct
            && distinct.Count > 0 && distinct.Count <= options.MaxSelectOptions && profile.NonNullCount >= 2L * distinct.Count
            && distinct.All(v => v.Length <= NotionPropertyValues.MaxOptionLength))
            return new ColumnMap(column, name, PropertyKind.Select, options: distinct.OrderBy(v => v, StringComparer.Ordinal).ToList());
        return new ColumnMap(column, name, PropertyKind.RichText);
    }

    private static ColumnMap ApplyEntry(string table, RelationalColumn column, JsonObject spec, ColumnMap? inferred, MappingInferenceOptions options)
    {
        var property = Str(spec, "property") ?? inferred?.Property ?? column.Name;
        var kind = inferred?.Kind ?? PropertyKind.RichText;
        if (Str(spec, "type") is { } type)
        {
            kind = ParseKind(type) ?? throw MappingError($"In the mapping file for {table}, column {column.Name} has unknown type '{type}'. " +
                "Use title, rich_text, number, select, multi_select, date, checkbox, email, url or phone_number.");
            if (kind == PropertyKind.Title && Str(spec, "property") is null) property = options.TitleProperty;
        }
        var toNotionOnly = inferred?.ToNotionOnly ?? false;
        if (Str(spec, "direction") is { } direction)
        {
            toNotionOnly = direction.ToLowerInvariant() switch
            {
                "tonotion" or "to_notion" or "push" => true,
                "both" or "twoway" or "two_way" => false,
                _ => throw MappingError($"In the mapping file for {table}, column {column.Name} has direction '{direction}'; use both or toNotion."),
            };
        }
        IReadOnlyList<string>? optionList = inferred?.Kind == kind ? inferred.Options : null;
        if (spec["options"] is JsonArray arr)
            optionList = arr.Select(o => o?.GetValue<string>() ?? "").Where(o => o.Length > 0).ToList();
        CheckCompatible(table, column, kind);
        return new ColumnMap(column, property, kind, toNotionOnly, optionList);
    }

    private static void CheckCompatible(string table, RelationalColumn column, PropertyKind kind)
    {
        if (!Compatible(column, kind))
            throw MappingError($"In the mapping file for {table}, column {column.Name} ({column.StoreType}) cannot be a Notion {ToNotionType(kind)}.");
    }

    /// <summary>True when values of <paramref name="column"/> can travel as a Notion property of <paramref name="kind"/>.</summary>
    public static bool Compatible(RelationalColumn column, PropertyKind kind) => kind switch
    {
        PropertyKind.Number => column.Kind is ColumnKind.Integer or ColumnKind.Decimal or ColumnKind.Text,
        PropertyKind.Checkbox => column.Kind is ColumnKind.Boolean or ColumnKind.Integer,
        PropertyKind.Date => column.Kind is ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.Text,
        PropertyKind.MultiSelect => column.Kind is ColumnKind.TextArray or ColumnKind.Json,
        _ => true,
    };

    /// <summary>
    /// This mapping fitted to a Notion data source that already has properties (<paramref name="notionTypes"/>:
    /// name → Notion type): the title column takes the data source's title property, whatever it is called;
    /// a mapped property that exists with another writable type the column can hold (a select where inference
    /// chose rich_text, or the other way round) keeps Notion's type. <paramref name="missing"/> receives the schema of
    /// the properties Notion lacks, to add them. A property Notion has with a type the column cannot hold is an error.
    /// </summary>
    public TableSyncMapping AlignWith(IReadOnlyDictionary<string, string> notionTypes, out JsonObject missing)
    {
        if (notionTypes is null) throw new ArgumentNullException(nameof(notionTypes));
        var titleProperty = notionTypes.Where(kv => kv.Value == "title").Select(kv => kv.Key).FirstOrDefault();
        var maps = new List<ColumnMap>();
        foreach (var c in Columns)
        {
            var property = c.Kind == PropertyKind.Title && titleProperty != null ? titleProperty : c.Property;
            var kind = c.Kind;
            var options = c.Options;
            if (c.Kind != PropertyKind.Title && notionTypes.TryGetValue(property, out var type) && type != ToNotionType(c.Kind))
            {
                var existing = ParseKind(type);
                if (existing is null || existing == PropertyKind.Title || !Compatible(c.Column, existing.Value))
                    throw MappingError($"The Notion property '{property}' is a {type} property, which column {c.ColumnName} ({c.Column.StoreType}) of {Table} cannot be synced with. " +
                                       "Map the column to another property (\"property\" in the mapping file) or change the property's type in Notion.");
                kind = existing.Value;
                if (kind is not (PropertyKind.Select or PropertyKind.MultiSelect)) options = Array.Empty<string>();
            }
            maps.Add(new ColumnMap(c.Column, property, kind, c.ToNotionOnly, options));
        }
        foreach (var (name, want) in new[] { (IdProperty, "rich_text"), (SyncStatusProperty, "select"), (LastSyncedProperty, "date") })
        {
            if (notionTypes.TryGetValue(name, out var type) && type != want)
                throw MappingError($"The Notion property '{name}' is a {type} property, but the sync keeps a {want} there. Rename that property in Notion, or name another one in the mapping file.");
        }
        var aligned = new TableSyncMapping(Table, IdColumn, IdProperty, ChangedAtColumn, maps, SyncStatusProperty, LastSyncedProperty);
        missing = new JsonObject();
        foreach (var kv in aligned.ToNotionSchema())
            if (!notionTypes.ContainsKey(kv.Key)) missing[kv.Key] = kv.Value?.DeepClone();
        return aligned;
    }

    private void Validate()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { IdProperty, SyncStatusProperty, LastSyncedProperty };
        if (seen.Count != 3)
            throw MappingError($"The id, sync status and last synced properties of {Table} must have three different names.");
        foreach (var c in Columns)
        {
            if (!seen.Add(c.Property))
                throw MappingError($"Two columns of {Table} map to the Notion property '{c.Property}'; rename one in the mapping file.");
        }
    }

    /// <summary>The Notion schema for a new database (or to check an existing one): mapped properties plus id, sync status and last synced.</summary>
    public JsonObject ToNotionSchema()
    {
        var schema = new JsonObject();
        foreach (var c in Columns)
        {
            JsonObject config = new();
            if (c.Kind is PropertyKind.Select or PropertyKind.MultiSelect)
            {
                var options = new JsonArray();
                foreach (var o in c.Options) options.Add(new JsonObject { ["name"] = NotionPropertyValues.OptionName(o) });
                config["options"] = options;
            }
            else if (c.Kind == PropertyKind.Number)
            {
                config["format"] = "number";
            }
            schema[c.Property] = new JsonObject { [ToNotionType(c.Kind)] = config };
        }
        schema[IdProperty] = new JsonObject { ["rich_text"] = new JsonObject() };
        schema[SyncStatusProperty] = new JsonObject
        {
            ["select"] = new JsonObject
            {
                ["options"] = new JsonArray(
                    new JsonObject { ["name"] = "synced", ["color"] = "green" },
                    new JsonObject { ["name"] = "pending", ["color"] = "yellow" },
                    new JsonObject { ["name"] = "conflict", ["color"] = "red" }),
            },
        };
        schema[LastSyncedProperty] = new JsonObject { ["date"] = new JsonObject() };
        return schema;
    }

    /// <summary>Writes this mapping as a mapping file (every column listed), for users to adjust.</summary>
    public string ToJson()
    {
        var columns = new JsonObject();
        foreach (var c in Columns)
        {
            var entry = new JsonObject { ["property"] = c.Property, ["type"] = ToNotionType(c.Kind) };
            if (c.ToNotionOnly) entry["direction"] = "toNotion";
            if (c.Options.Count > 0) entry["options"] = new JsonArray(c.Options.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
            columns[c.ColumnName] = entry;
        }
        var file = new JsonObject
        {
            ["table"] = Table,
            ["idColumn"] = IdColumn.Name,
            ["idProperty"] = IdProperty,
            ["changedAtColumn"] = ChangedAtColumn?.Name,
            ["titleColumn"] = Title.ColumnName,
            ["titleProperty"] = Title.Property,
            ["syncStatusProperty"] = SyncStatusProperty,
            ["lastSyncedProperty"] = LastSyncedProperty,
            ["inferOthers"] = false,
            ["columns"] = columns,
        };
        return file.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string ToNotionType(PropertyKind kind) => kind switch
    {
        PropertyKind.Title => "title",
        PropertyKind.RichText => "rich_text",
        PropertyKind.Number => "number",
        PropertyKind.Select => "select",
        PropertyKind.MultiSelect => "multi_select",
        PropertyKind.Date => "date",
        PropertyKind.Checkbox => "checkbox",
        PropertyKind.Email => "email",
        PropertyKind.Url => "url",
        _ => "phone_number",
    };

    public static PropertyKind? ParseKind(string type) => type.Trim().ToLowerInvariant().Replace("-", "_") switch
    {
        "title" => PropertyKind.Title,
        "rich_text" or "text" => PropertyKind.RichText,
        "number" => PropertyKind.Number,
        "select" => PropertyKind.Select,
        "multi_select" => PropertyKind.MultiSelect,
        "date" => PropertyKind.Date,
        "checkbox" => PropertyKind.Checkbox,
        "email" => PropertyKind.Email,
        "url" => PropertyKind.Url,
        "phone_number" or "phone" => PropertyKind.PhoneNumber,
        _ => null,
    };

    private static string? Str(JsonObject obj, string name)
        => obj[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    private static OberaConnectException MappingError(string message) => new("SyncMappingInvalid", FailureKind.Configuration, message);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Table).Append(": ").Append(IdColumn.Name).Append(" → ").Append(IdProperty);
        foreach (var c in Columns) sb.Append("; ").Append(c);
        return sb.ToString();
    }
}
