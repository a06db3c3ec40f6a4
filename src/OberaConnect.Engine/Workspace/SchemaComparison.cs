using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Workspace;

/// <summary>What kind of difference a property shows between the definition and Notion.</summary>
public enum SchemaDifferenceKind
{
    /// <summary>The property does not exist in Notion (deleted or renamed there).</summary>
    Missing,
    /// <summary>The title property exists under another name.</summary>
    TitleRenamed,
    /// <summary>The property exists with another type.</summary>
    WrongType,
    /// <summary>A relation points at another data source than the configured target.</summary>
    WrongRelationTarget,
    /// <summary>A select option of the definition is not in Notion (Notion adds it when the value is first written).</summary>
    MissingOption,
    /// <summary>The database itself is not configured or no longer exists (run Initialize).</summary>
    MissingDatabase,
    /// <summary>A number shows with another format.</summary>
    NumberFormatDiffers,
    /// <summary>A property in Notion the definition does not know (added by users): left alone.</summary>
    Extra,
}

/// <summary>How much a difference matters.</summary>
public enum SchemaSeverity
{
    /// <summary>Syncs of the database fail until it is fixed.</summary>
    Error,
    /// <summary>Syncs work; something people rely on is missing or different.</summary>
    Warning,
    /// <summary>Worth knowing, nothing to do.</summary>
    Information,
}

/// <summary>One difference, with a sentence that says what to do. Emitted by Test-NotionSchema.</summary>
public sealed record SchemaDifference(DatabaseKey DatabaseValue, string Property, SchemaDifferenceKind KindValue,
    SchemaSeverity SeverityValue, string Message, string? Expected = null, string? Actual = null)
{
    /// <summary>The database's key (CustomerSites, DailyHealth...).</summary>
    public string Database => DatabaseValue.ToString();

    /// <summary><see cref="Database"/> for code (an enum exports as a number).</summary>
    internal DatabaseKey DatabaseValue { get; init; } = DatabaseValue;

    /// <summary>What differs, as a name (Missing, WrongType, MissingOption, Extra...).</summary>
    public string Kind => KindValue.ToString();

    /// <summary><see cref="Kind"/> for code.</summary>
    internal SchemaDifferenceKind KindValue { get; init; } = KindValue;

    /// <summary>Error, Warning or Info.</summary>
    public string Severity => SeverityValue.ToString();

    /// <summary><see cref="Severity"/> for code.</summary>
    internal SchemaSeverity SeverityValue { get; init; } = SeverityValue;

    /// <summary>True when the repair (Test-NotionSchema -Repair) can fix it without touching anyone's data.</summary>
    public bool Repairable => RepairAction is not null;

    /// <summary>What the repair does, for example "Add property 'Health Score' (number)"; null when it cannot be repaired safely.</summary>
    public string? RepairAction { get; init; }

    public override string ToString() => $"{Severity}: {Message}";
}

/// <summary>The differences of one database, and the patch that repairs what can be repaired safely.</summary>
public sealed class SchemaReport
{
    private readonly JsonObject _repair;

    internal SchemaReport(DatabaseDefinition database, IReadOnlyList<SchemaDifference> differences, JsonObject repair)
    {
        Database = database;
        _repair = repair;
        Differences = differences.Select(d => d with { RepairAction = RepairFor(d) is null ? null : DescribeRepair(d) }).ToList();
    }

    public DatabaseDefinition Database { get; }

    public IReadOnlyList<SchemaDifference> Differences { get; }

    /// <summary>True when nothing stops the module from writing the database.</summary>
    public bool IsUsable => Differences.All(d => d.SeverityValue != SchemaSeverity.Error);

    /// <summary>True when the definition and Notion agree on everything the definition declares.</summary>
    public bool Matches => Differences.All(d => d.KindValue == SchemaDifferenceKind.Extra);

    /// <summary>
    /// The <c>properties</c> body of PATCH /v1/data_sources/{id} that adds missing properties and renames a
    /// renamed title back; empty when there is nothing safe to do. Wrong types are never changed
    /// automatically (converting a column can lose what people typed in it).
    /// </summary>
    public JsonObject RepairProperties() => (JsonObject)_repair.DeepClone();

    public bool CanRepair => _repair.Count > 0;

    private static string DescribeRepair(SchemaDifference d) => d.KindValue switch
    {
        SchemaDifferenceKind.TitleRenamed => $"Rename the title property '{d.Actual}' back to '{d.Expected}'",
        SchemaDifferenceKind.MissingOption => $"Add option(s) {d.Expected} to '{d.Property}'",
        _ => $"Add property '{d.Property}' ({d.Expected})",
    };

    /// <summary>
    /// The schema change that repairs one difference, keyed by the property name Notion has now
    /// (the old name for a renamed title), or null when it cannot be repaired safely (wrong types and
    /// misdirected relations are never changed: they may hold users' data).
    /// </summary>
    public KeyValuePair<string, JsonObject>? RepairFor(SchemaDifference difference)
    {
        if (difference is null) throw new ArgumentNullException(nameof(difference));
        var name = difference.KindValue == SchemaDifferenceKind.TitleRenamed ? difference.Actual : difference.Property;
        if (name is null || difference.KindValue is not (SchemaDifferenceKind.Missing or SchemaDifferenceKind.TitleRenamed or SchemaDifferenceKind.MissingOption)) return null;
        return _repair[name] is JsonObject change ? new KeyValuePair<string, JsonObject>(name, (JsonObject)change.DeepClone()) : null;
    }
}

/// <summary>
/// Compares a database definition with the schema Notion returns for its data source
/// (<c>properties</c> of GET /v1/data_sources/{id}), independently of any client types.
/// </summary>
public static class SchemaComparison
{
    /// <param name="database">The definition to check against.</param>
    /// <param name="dataSourceProperties">The <c>properties</c> object of the data source, as Notion returned it.</param>
    /// <param name="dataSourceIdOf">Configured data source id of a relation target; when given, relations are checked to point there.</param>
    public static SchemaReport Compare(DatabaseDefinition database, JsonElement dataSourceProperties, Func<DatabaseKey, string?>? dataSourceIdOf = null)
    {
        if (database is null) throw new ArgumentNullException(nameof(database));
        if (dataSourceProperties.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("Expected the data source's properties object.", nameof(dataSourceProperties));

        var observed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in dataSourceProperties.EnumerateObject()) observed[p.Name] = p.Value;

        var differences = new List<SchemaDifference>();
        var repair = new JsonObject();
        var key = database.Key;

        foreach (var expected in database.Properties)
        {
            if (!observed.TryGetValue(expected.Name, out var actual))
            {
                if (expected.Type == NotionPropertyType.Title)
                {
                    var actualTitle = observed.FirstOrDefault(o => TypeOf(o.Value) == "title");
                    if (actualTitle.Key is not null)
                    {
                        differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.TitleRenamed, SchemaSeverity.Error,
                            $"{database.Title}: the title property is named '{actualTitle.Key}'; the module writes '{expected.Name}'. Rename it back in Notion (or repair).",
                            expected.Name, actualTitle.Key));
                        repair[actualTitle.Key] = new JsonObject { ["name"] = expected.Name };
                        continue;
                    }
                }
                var near = observed.Keys.FirstOrDefault(n => string.Equals(n, expected.Name, StringComparison.OrdinalIgnoreCase));
                var hint = near is null ? "" : $" A property '{near}' exists: names are case-sensitive, rename it to '{expected.Name}'.";
                differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.Missing, SeverityFor(expected),
                    $"{database.Title}: property '{expected.Name}' ({expected.Type.ApiName()}) does not exist.{hint}" +
                    (near is null ? " Add it in Notion with that exact name and type, or let the repair add it." : ""),
                    expected.Type.ApiName(), null));
                if (near is null && expected.Type != NotionPropertyType.Title && CanBuild(expected, dataSourceIdOf))
                    repair[expected.Name] = NotionSchemaJson.PropertySchema(expected, k => dataSourceIdOf!(k)!);
                continue;
            }

            var actualType = TypeOf(actual);
            if (!string.Equals(actualType, expected.Type.ApiName(), StringComparison.Ordinal))
            {
                differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.WrongType, SeverityFor(expected),
                    $"{database.Title}: property '{expected.Name}' is {actualType ?? "of unknown type"}; the module expects {expected.Type.ApiName()}. " +
                    "Change its type back in Notion, or rename it and let the repair add a new one.",
                    expected.Type.ApiName(), actualType));
                continue;
            }

            var config = actual.TryGetProperty(actualType!, out var c) ? c : default;
            switch (expected.Type)
            {
                case NotionPropertyType.Relation when dataSourceIdOf is not null && expected.RelationTarget is DatabaseKey target:
                    var want = dataSourceIdOf(target);
                    var got = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("data_source_id", out var ds) && ds.ValueKind == JsonValueKind.String ? ds.GetString() : null;
                    if (!string.IsNullOrEmpty(want) && !SameId(want!, got))
                    {
                        differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.WrongRelationTarget, SchemaSeverity.Error,
                            $"{database.Title}: relation '{expected.Name}' points at data source {got ?? "(none)"}, not at {target} ({want}). " +
                            "Point it at the configured database in Notion, or fix the ids in the configuration file.",
                            want, got));
                    }
                    break;
                case NotionPropertyType.Select:
                case NotionPropertyType.MultiSelect:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("options", out var opts) && opts.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var o in opts.EnumerateArray())
                        {
                            if (o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) names.Add(n.GetString()!);
                        }
                    }
                    var missing = expected.Options.Where(o => !names.Contains(o.Name)).ToList();
                    if (missing.Count > 0)
                    {
                        differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.MissingOption, SchemaSeverity.Information,
                            $"{database.Title}: '{expected.Name}' lacks option(s) {string.Join(", ", missing.Select(m => m.Name))}; Notion adds them when first written, or let the repair add them.",
                            string.Join(", ", missing.Select(m => m.Name)), null));
                        // Notion replaces a select's option list on update: send the existing options (by name) plus the missing ones.
                        var all = new JsonArray();
                        foreach (var existing in names) all.Add(new JsonObject { ["name"] = existing });
                        foreach (var m in missing) all.Add(new JsonObject { ["name"] = m.Name, ["color"] = m.Color.ApiName() });
                        var typeName = expected.Type.ApiName();
                        repair[expected.Name] = new JsonObject { [typeName] = new JsonObject { ["options"] = all } };
                    }
                    break;
                case NotionPropertyType.Number:
                    var format = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    var wantFormat = (expected.NumberFormat ?? NumberFormat.Number).ApiName();
                    if (format is not null && format != wantFormat)
                    {
                        differences.Add(new SchemaDifference(key, expected.Name, SchemaDifferenceKind.NumberFormatDiffers, SchemaSeverity.Information,
                            $"{database.Title}: '{expected.Name}' shows as {format} (defined as {wantFormat}); values are unaffected.",
                            wantFormat, format));
                    }
                    break;
            }
        }

        foreach (var name in observed.Keys)
        {
            if (database.Find(name) is null && !(TypeOf(observed[name]) == "title" && differences.Any(d => d.KindValue == SchemaDifferenceKind.TitleRenamed)))
            {
                differences.Add(new SchemaDifference(key, name, SchemaDifferenceKind.Extra, SchemaSeverity.Information,
                    $"{database.Title}: '{name}' ({TypeOf(observed[name])}) is not part of the definition; the module leaves it alone.",
                    null, TypeOf(observed[name])));
            }
        }

        return new SchemaReport(database, differences, repair);
    }

    private static SchemaSeverity SeverityFor(PropertyDefinition p)
        => p.Owner == PropertyOwner.Module ? SchemaSeverity.Error : SchemaSeverity.Warning;

    private static bool CanBuild(PropertyDefinition p, Func<DatabaseKey, string?>? dataSourceIdOf)
        => p.Type != NotionPropertyType.Relation
           || (dataSourceIdOf is not null && p.RelationTarget is DatabaseKey t && !string.IsNullOrEmpty(dataSourceIdOf(t)));

    private static string? TypeOf(JsonElement property)
        => property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static bool SameId(string a, string? b)
        => b is not null && string.Equals(a.Replace("-", ""), b.Replace("-", ""), StringComparison.OrdinalIgnoreCase);
}
