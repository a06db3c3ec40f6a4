using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>Data source schemas: creating properties, adding options, renaming, removing.</summary>
internal static class NotionSchemaRules
{
    public static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "title", "rich_text", "number", "select", "multi_select", "status", "date", "people", "files", "checkbox",
        "url", "email", "phone_number", "formula", "relation", "rollup", "created_time", "created_by",
        "last_edited_time", "last_edited_by", "unique_id", "place", "button", "verification",
    };

    public static readonly HashSet<string> ReadOnlyTypes = new(StringComparer.Ordinal)
    {
        "formula", "rollup", "created_time", "created_by", "last_edited_time", "last_edited_by", "unique_id", "button", "verification",
    };

    private static readonly string[] MetaKeys = { "name", "description", "type", "id" };

    /// <summary>The schema of a new data source; adds a "Name" title when none is given, as Notion does.</summary>
    public static void AddInitialProperties(NotionStore store, FakeDataSource ds, JsonObject? properties, string path)
    {
        if (properties is not null)
        {
            foreach (var (key, value) in properties.ToList())
            {
                if (value is not JsonObject config) throw NotionApiError.Body($"{path}.{key}", "should be an object", value);
                var prop = ParseNew(store, ds, key, config, $"{path}.{key}");
                ds.Properties.Add(prop);
                AfterAdd(store, ds, prop);
            }
        }
        var titles = ds.Properties.Count(p => p.Type == "title");
        if (titles > 1) throw NotionApiError.Validation("A data source can have only one title property.");
        if (titles == 0) ds.Properties.Insert(0, new PropSchema { Id = "title", Name = "Name", Type = "title" });
    }

    /// <summary>PATCH /v1/data_sources/{id} "properties": add, reconfigure, rename (by name or id), remove (null).</summary>
    public static void ApplyUpdate(NotionStore store, FakeDataSource ds, JsonObject properties, string path)
    {
        // All or nothing: on a validation error the schema (and any dual-relation partner) is restored.
        var before = ds.Properties.Select(p => p.Clone()).ToList();
        var partnersBefore = store.DataSources.Values.Where(d => d != ds).ToDictionary(d => d, d => d.Properties.ToList());
        var rowChanges = new List<Action>();
        try
        {
            ApplyUpdateCore(store, ds, properties, path, rowChanges);
        }
        catch
        {
            ds.Properties.Clear();
            ds.Properties.AddRange(before);
            foreach (var (other, props) in partnersBefore)
            {
                other.Properties.Clear();
                other.Properties.AddRange(props);
            }
            throw;
        }
        foreach (var change in rowChanges) change();
    }

    private static void ApplyUpdateCore(NotionStore store, FakeDataSource ds, JsonObject properties, string path, List<Action> rowChanges)
    {
        foreach (var (key, value) in properties.ToList())
        {
            var p = $"{path}.{key}";
            var existing = ds.FindProperty(key);
            if (value is null)
            {
                if (existing is null) throw NotionApiError.Validation($"{key} is not a property that exists.");
                if (existing.Type == "title") throw NotionApiError.Validation("Cannot delete the title property of a data source.");
                ds.Properties.Remove(existing);
                rowChanges.Add(() => { foreach (var row in ds.Rows) row.Values.Remove(existing.Id); });
                continue;
            }
            if (value is not JsonObject config) throw NotionApiError.Body(p, "should be an object or `null`", value);
            var newName = JsonRead.OptString(config, "name", p);
            if (newName is not null && newName.Length == 0) throw NotionApiError.Body($"{p}.name", "should be a non-empty string", config["name"]);
            var typeKey = TypeKeyOf(config, p);
            if (existing is null)
            {
                if (typeKey is null) throw NotionApiError.Validation($"{key} is not a property that exists.");
                if (typeKey == "title") throw NotionApiError.Validation("A data source can have only one title property.");
                var prop = ParseNew(store, ds, key, config, p);
                if (ds.FindProperty(prop.Name) is not null) throw NotionApiError.Validation($"A property named {prop.Name} already exists.");
                ds.Properties.Add(prop);
                rowChanges.Add(() => AfterAdd(store, ds, prop));
                continue;
            }
            if (newName is not null && newName != existing.Name)
            {
                if (ds.FindProperty(newName) is { } clash && clash != existing)
                    throw NotionApiError.Validation($"A property named {newName} already exists.");
                existing.Name = newName;
                if (existing.RelationDual && existing.RelationDataSourceId is { } target && store.FindDataSource(target) is { } other
                    && other.Properties.FirstOrDefault(x => x.Id == existing.SyncedPropertyId) is { } partner)
                    partner.SyncedPropertyName = newName;
            }
            if (config.ContainsKey("description")) existing.Description = JsonRead.OptString(config, "description", p);
            if (typeKey is null) continue;
            var typeConfig = config[typeKey] as JsonObject ?? new JsonObject();
            if (typeKey != existing.Type)
            {
                if (existing.Type == "title" || typeKey == "title")
                    throw NotionApiError.Validation($"Cannot change the type of property {existing.Name} to or from title.");
                existing.Type = typeKey;
                existing.Options.Clear();
                existing.Groups.Clear();
                Configure(store, ds, existing, typeConfig, $"{p}.{typeKey}", isNew: true);
                var changed = existing;
                rowChanges.Add(() =>
                {
                    foreach (var row in ds.Rows) row.Values.Remove(changed.Id);
                    AfterAdd(store, ds, changed);
                });
            }
            else
            {
                Configure(store, ds, existing, typeConfig, $"{p}.{typeKey}", isNew: false);
            }
        }
    }

    private static PropSchema ParseNew(NotionStore store, FakeDataSource ds, string key, JsonObject config, string path)
    {
        var type = TypeKeyOf(config, path) ?? throw NotionApiError.Body(path, "should define a property type", config);
        var name = JsonRead.OptString(config, "name", path) ?? key;
        var prop = new PropSchema
        {
            Id = type == "title" ? "title" : NewUniquePropertyId(ds),
            Name = name,
            Type = type,
            Description = JsonRead.OptString(config, "description", path),
        };
        Configure(store, ds, prop, config[type] as JsonObject ?? new JsonObject(), $"{path}.{type}", isNew: true);
        return prop;
    }

    private static string NewUniquePropertyId(FakeDataSource ds)
    {
        while (true)
        {
            var id = NotionFormats.NewPropertyId();
            if (ds.Properties.All(p => p.Id != id)) return id;
        }
    }

    private static string? TypeKeyOf(JsonObject config, string path)
    {
        var declared = JsonRead.OptString(config, "type", path);
        if (declared is not null)
        {
            if (!KnownTypes.Contains(declared)) throw NotionApiError.Body($"{path}.type", "should be a known property type", config["type"]);
            return declared;
        }
        var keys = config.Select(kv => kv.Key).Where(k => !MetaKeys.Contains(k)).ToList();
        if (keys.Count == 0) return null;
        if (keys.Count > 1 || !KnownTypes.Contains(keys[0]))
            throw NotionApiError.Body(path, "should define exactly one known property type", config);
        return keys[0];
    }

    private static void Configure(NotionStore store, FakeDataSource ds, PropSchema prop, JsonObject cfg, string path, bool isNew)
    {
        switch (prop.Type)
        {
            case "number":
                prop.NumberFormat = JsonRead.OptString(cfg, "format", path) ?? prop.NumberFormat;
                break;
            case "select":
            case "multi_select":
                MergeOptions(prop, JsonRead.OptArray(cfg, "options", path), $"{path}.options");
                break;
            case "status":
                if (isNew && prop.Groups.Count == 0) AddStatusGroups(prop, JsonRead.OptArray(cfg, "options", path) is null);
                MergeOptions(prop, JsonRead.OptArray(cfg, "options", path), $"{path}.options");
                foreach (var o in prop.Options)
                    if (!prop.Groups.Any(g => g.OptionIds.Contains(o.Id))) prop.Groups[0].OptionIds.Add(o.Id);
                break;
            case "relation":
                if (!isNew && !cfg.ContainsKey("data_source_id")) break;
                ConfigureRelation(store, ds, prop, cfg, path);
                break;
            case "unique_id":
                if (cfg.ContainsKey("prefix")) prop.UniquePrefix = JsonRead.OptString(cfg, "prefix", path);
                break;
            case "formula":
                prop.FormulaExpression = JsonRead.OptString(cfg, "expression", path) ?? prop.FormulaExpression;
                break;
            case "rollup":
                prop.RollupFunction = JsonRead.OptString(cfg, "function", path) ?? prop.RollupFunction;
                var relName = JsonRead.OptString(cfg, "relation_property_name", path);
                var relId = JsonRead.OptString(cfg, "relation_property_id", path);
                var relation = relName is not null ? ds.FindProperty(relName) : relId is not null ? ds.FindProperty(relId) : null;
                if (relation is not null) { prop.RollupRelationPropertyId = relation.Id; prop.RollupRelationPropertyName = relation.Name; }
                else if (isNew) throw NotionApiError.Validation("Rollup relation property not found.");
                var target = relation?.RelationDataSourceId is { } t ? store.FindDataSource(t) : null;
                var rollName = JsonRead.OptString(cfg, "rollup_property_name", path);
                var rollId = JsonRead.OptString(cfg, "rollup_property_id", path);
                var rolled = target is null ? null : rollName is not null ? target.FindProperty(rollName) : rollId is not null ? target.FindProperty(rollId) : null;
                if (rolled is not null) { prop.RollupPropertyId = rolled.Id; prop.RollupPropertyName = rolled.Name; }
                else if (isNew) throw NotionApiError.Validation("Rollup target property not found.");
                break;
        }
    }

    private static void ConfigureRelation(NotionStore store, FakeDataSource ds, PropSchema prop, JsonObject cfg, string path)
    {
        var targetId = JsonRead.ReqId(cfg, "data_source_id", path);
        var target = store.FindDataSource(targetId);
        if (target is null || !target.Database.Accessible) throw store.NotFound("data_source", targetId);
        var kind = JsonRead.OptString(cfg, "type", path) ?? (cfg.ContainsKey("dual_property") ? "dual_property" : "single_property");
        if (kind is not ("single_property" or "dual_property"))
            throw NotionApiError.Body($"{path}.type", "should be `\"single_property\"` or `\"dual_property\"`", cfg["type"]);
        prop.RelationDataSourceId = target.Id;
        prop.RelationDatabaseId = target.Database.Id;
        prop.RelationDual = kind == "dual_property";
        if (!prop.RelationDual) return;
        var dual = JsonRead.OptObject(cfg, "dual_property", path);
        var syncedName = (dual is null ? null : JsonRead.OptString(dual, "synced_property_name", $"{path}.dual_property"))
            ?? $"Related to {NotionRichText.Plain(ds.Title)} ({prop.Name})";
        // The two sides of a dual relation point at each other; Notion creates the other side itself.
        var synced = new PropSchema
        {
            Id = NewUniquePropertyId(target),
            Name = UniqueName(target, syncedName),
            Type = "relation",
            RelationDataSourceId = ds.Id,
            RelationDatabaseId = ds.Database.Id,
            RelationDual = true,
            SyncedPropertyId = prop.Id,
            SyncedPropertyName = prop.Name,
        };
        target.Properties.Add(synced);
        prop.SyncedPropertyId = synced.Id;
        prop.SyncedPropertyName = synced.Name;
    }

    private static string UniqueName(FakeDataSource ds, string name)
    {
        var candidate = name;
        for (var i = 2; ds.FindProperty(candidate) is not null; i++) candidate = $"{name} {i}";
        return candidate;
    }

    /// <summary>Existing rows get values for a property added after them (unique ids are numbered, status gets its default).</summary>
    private static void AfterAdd(NotionStore store, FakeDataSource ds, PropSchema prop)
    {
        if (prop.Type == "unique_id")
            foreach (var row in ds.Rows.OrderBy(r => r.Seq))
                row.Values[prop.Id] = new PropValue { UniqueNumber = NotionStore.NextUnique(ds, prop) };
        if (prop.Type == "status" && NotionStore.DefaultStatus(prop) is { } def)
            foreach (var row in ds.Rows)
                row.Values[prop.Id] = new PropValue { OptionId = def };
    }

    private static void AddStatusGroups(PropSchema prop, bool withDefaultOptions)
    {
        var todo = new StatusGroup { Id = NotionFormats.NewId(), Name = "To-do", Color = "gray" };
        var doing = new StatusGroup { Id = NotionFormats.NewId(), Name = "In progress", Color = "blue" };
        var done = new StatusGroup { Id = NotionFormats.NewId(), Name = "Complete", Color = "green" };
        prop.Groups.AddRange(new[] { todo, doing, done });
        if (!withDefaultOptions) return;
        void Add(StatusGroup g, string name, string color)
        {
            var o = new SelectOption { Id = NotionFormats.NewId(), Name = name, Color = color };
            prop.Options.Add(o);
            g.OptionIds.Add(o.Id);
        }
        Add(todo, "Not started", "default");
        Add(doing, "In progress", "blue");
        Add(done, "Done", "green");
    }

    private static void MergeOptions(PropSchema prop, JsonArray? options, string path)
    {
        if (options is null) return;
        for (var i = 0; i < options.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (options[i] is not JsonObject o) throw NotionApiError.Body(p, "should be an object", options[i]);
            var id = JsonRead.OptString(o, "id", p);
            var name = JsonRead.OptString(o, "name", p);
            var color = JsonRead.OptString(o, "color", p);
            if (color is not null && !NotionFormats.Colors.Contains(color))
                throw NotionApiError.Body($"{p}.color", $"should be one of {string.Join(", ", NotionFormats.Colors.Select(c => $"`\"{c}\"`"))}", o["color"]);
            if (name is not null) CheckOptionName(name, p);
            var existing = id is not null ? prop.FindOptionById(id) : name is not null ? prop.FindOptionByName(name) : null;
            if (id is not null && existing is null) throw NotionApiError.Validation($"Invalid {prop.Type} option id: {id}.");
            if (existing is not null)
            {
                if (name is not null) existing.Name = name;
                if (color is not null) existing.Color = color;
                if (o.ContainsKey("description")) existing.Description = JsonRead.OptString(o, "description", p);
                continue;
            }
            if (name is null) throw NotionApiError.Body($"{p}.name", "should be defined", null);
            prop.Options.Add(new SelectOption
            {
                Id = NotionFormats.NewId(),
                Name = name,
                Color = color ?? NotionFormats.ColorFor(name),
                Description = JsonRead.OptString(o, "description", p),
            });
        }
    }

    public static void CheckOptionName(string name, string path)
    {
        if (name.Contains(',', StringComparison.Ordinal))
            throw NotionApiError.Validation($"Invalid select option, commas not allowed: {name}");
        if (name.Length > 100) throw NotionApiError.TooLong($"{path}.name.length", 100, name.Length);
    }
}
