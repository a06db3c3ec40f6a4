using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// The property schema Notion takes when a database is created (<c>initial_data_source.properties</c> of
/// POST /v1/databases) or a data source is patched (<c>properties</c> of PATCH /v1/data_sources/{id}),
/// built from the definition. Relations point at data source ids (API 2025-09-03 and later), which is why
/// the caller supplies them: targets are created first (see <see cref="WorkspaceDefinition.CreationOrder"/>).
/// </summary>
public static class NotionSchemaJson
{
    /// <summary>Every property of <paramref name="database"/>, keyed by name.</summary>
    /// <param name="database">The database to create.</param>
    /// <param name="dataSourceIdOf">The data source id of a relation's target database.</param>
    public static JsonObject CreateProperties(DatabaseDefinition database, Func<DatabaseKey, string> dataSourceIdOf)
    {
        if (database is null) throw new ArgumentNullException(nameof(database));
        var properties = new JsonObject();
        foreach (var p in database.Properties) properties[p.Name] = PropertySchema(p, dataSourceIdOf);
        return properties;
    }

    /// <summary>The schema object of one property, for example <c>{"select":{"options":[{"name":"Low","color":"green"}]}}</c>.</summary>
    public static JsonObject PropertySchema(PropertyDefinition property, Func<DatabaseKey, string> dataSourceIdOf)
    {
        if (property is null) throw new ArgumentNullException(nameof(property));
        var config = new JsonObject();
        switch (property.Type)
        {
            case NotionPropertyType.Number:
                config["format"] = (property.NumberFormat ?? NumberFormat.Number).ApiName();
                break;
            case NotionPropertyType.Select:
            case NotionPropertyType.MultiSelect:
                var options = new JsonArray();
                foreach (var o in property.Options) options.Add(new JsonObject { ["name"] = o.Name, ["color"] = o.Color.ApiName() });
                config["options"] = options;
                break;
            case NotionPropertyType.Relation:
                var target = property.RelationTarget ?? throw new InvalidOperationException($"Relation '{property.Name}' has no target.");
                var id = dataSourceIdOf?.Invoke(target);
                if (string.IsNullOrWhiteSpace(id))
                    throw new InvalidOperationException($"Relation '{property.Name}' needs the data source id of {target}, which must be created first.");
                config["data_source_id"] = id;
                config["type"] = "single_property";
                config["single_property"] = new JsonObject();
                break;
            case NotionPropertyType.UniqueId:
                config["prefix"] = property.UniqueIdPrefix;
                break;
        }
        return new JsonObject { [property.Type.ApiName()] = config };
    }
}
