using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Workspace;

/// <summary>How a workspace database was found, or what is to be done about it.</summary>
public enum WorkspaceDatabaseState
{
    /// <summary>The configuration's ids point at an existing database.</summary>
    Configured,
    /// <summary>A database with the definition's title already exists under the parent page.</summary>
    FoundUnderParent,
    /// <summary>It does not exist yet and is to be created.</summary>
    ToCreate,
    /// <summary>It was created by this run.</summary>
    Created,
    /// <summary>Creation was declined (-WhatIf, -Confirm) or could not be attempted.</summary>
    Skipped,
    /// <summary>Creation failed; Error says why.</summary>
    Failed,
}

/// <summary>One database of the workspace, before or after initialization. Emitted by Initialize-OberaNotionWorkspace.</summary>
public sealed class WorkspaceDatabase
{
    public string Database { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>What happened to the database, as a name (Exists, Created, WouldCreate, Failed...).</summary>
    public string State => StateValue.ToString();

    /// <summary><see cref="State"/> for code (an enum exports as a number).</summary>
    internal WorkspaceDatabaseState StateValue { get; set; }
    public string? DatabaseId { get; set; }
    public string? DataSourceId { get; set; }
    public string? Url { get; set; }
    public string? Error { get; set; }
    public string? ErrorId { get; set; }
    /// <summary>The error itself, kept for the error record the cmdlet writes (an exception does not export).</summary>
    internal Exception? Exception { get; set; }
    internal DatabaseKey Key { get; set; }

    public override string ToString() => $"{Title}: {State}" + (Error is null ? "" : $" ({Error})");
}

/// <summary>The databases in creation order, with what exists and what must be created.</summary>
public sealed class WorkspacePlan
{
    internal WorkspacePlan(string parentPageId, IReadOnlyList<WorkspaceDatabase> databases)
    {
        ParentPageId = parentPageId;
        Databases = databases;
    }

    public string ParentPageId { get; }
    public IReadOnlyList<WorkspaceDatabase> Databases { get; }

    /// <summary>The ids to write into the configuration (databases that exist now).</summary>
    public IReadOnlyDictionary<DatabaseKey, DatabaseIds> ExistingIds()
        => Databases.Where(d => d.DatabaseId != null && d.StateValue is not (WorkspaceDatabaseState.ToCreate or WorkspaceDatabaseState.Skipped or WorkspaceDatabaseState.Failed))
            .ToDictionary(d => d.Key, d => new DatabaseIds(d.DatabaseId, d.DataSourceId));

    /// <summary>True when <see cref="ExistingIds"/> holds an id the configuration lacks or has differently (the file needs saving).</summary>
    public bool ChangesConfiguration(DatabaseIdSet configured)
    {
        if (configured is null) throw new ArgumentNullException(nameof(configured));
        foreach (var pair in ExistingIds())
        {
            var current = configured[pair.Key];
            if (current is null || !SameId(current.DatabaseId, pair.Value.DatabaseId) || !SameId(current.DataSourceId, pair.Value.DataSourceId)) return true;
        }
        return false;
    }

    /// <summary>Marks a database that was to be created as not created because the user declined (-Confirm).</summary>
    public WorkspaceDatabase Decline(WorkspaceDatabase entry)
    {
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        if (entry.StateValue != WorkspaceDatabaseState.ToCreate) return entry;
        entry.StateValue = WorkspaceDatabaseState.Skipped;
        entry.Error = "Not created: creation was declined.";
        return entry;
    }

    /// <summary>The databases that <paramref name="entry"/> relates to and that do not exist (yet): it cannot be created before them.</summary>
    public IReadOnlyList<WorkspaceDatabase> MissingRelationTargets(WorkspaceDefinition definition, WorkspaceDatabase entry)
    {
        if (definition is null) throw new ArgumentNullException(nameof(definition));
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        return definition[entry.Key].DependsOn
            .SelectMany(k => Databases.Where(d => d.Key == k && d.DataSourceId is null))
            .ToList();
    }

    private static bool SameId(string? a, string? b)
        => a is null || b is null ? a == b : string.Equals(a.Replace("-", ""), b.Replace("-", ""), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The parent page given to Initialize cannot be seen by the integration.</summary>
public sealed class WorkspaceParentNotSharedException : OberaConnectException
{
    public WorkspaceParentNotSharedException(string pageId, Exception inner)
        : base("WorkspaceParentNotShared", FailureKind.NotFound,
            $"The parent page {pageId} was not found, or it is not shared with the integration. In Notion, open the page, " +
            $"choose ••• (top right) → Connections → Connect to, and pick your integration; then run {CommandNames.Initialize} again.", inner)
    {
        PageId = pageId;
    }

    public string PageId { get; }
}

/// <summary>
/// Creates the workspace's databases idempotently and checks their schema. Initialization is two-phase
/// so the host can ask for approval (ShouldProcess) between planning and each create: <see cref="PlanAsync"/>
/// only reads; <see cref="CreateAsync"/> creates one database, in creation order, wiring relations to the
/// data source ids of the databases before it.
/// </summary>
public static class WorkspaceSetup
{
    /// <summary>
    /// Finds which databases exist: by the configuration's ids first, then by title among the parent's
    /// child databases. Sends only reads (the parent page, its children, one retrieve per configured id).
    /// Databases in Notion's trash count as missing.
    /// </summary>
    /// <exception cref="WorkspaceParentNotSharedException">The parent page is missing or not shared with the integration.</exception>
    public static async Task<WorkspacePlan> PlanAsync(NotionClient notion, WorkspaceDefinition definition, string parentPageId,
        DatabaseIdSet configured, IEngineOutput? output, CancellationToken cancellationToken)
    {
        if (notion is null) throw new ArgumentNullException(nameof(notion));
        if (definition is null) throw new ArgumentNullException(nameof(definition));
        if (configured is null) throw new ArgumentNullException(nameof(configured));
        output ??= NullEngineOutput.Instance;
        var parent = NotionId.Normalize(parentPageId, "parent page id");
        NotionPage page;
        try
        {
            page = await notion.GetPageAsync(parent, cancellationToken).ConfigureAwait(false);
        }
        catch (NotionObjectNotFoundException ex)
        {
            throw new WorkspaceParentNotSharedException(parent, ex);
        }
        if (page.InTrash)
            throw new OberaConnectException("WorkspaceParentInTrash", FailureKind.InvalidState,
                $"The parent page \"{page.Title}\" ({parent}) is in Notion's trash, so nothing can be created under it. Restore it from the trash, or give another page.");

        var underParent = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var block in notion.ListChildrenAsync(parent, cancellationToken).ConfigureAwait(false))
        {
            if (block.Type == "child_database" && !block.InTrash && block.ChildTitle is { } title && !underParent.ContainsKey(title))
                underParent[title] = block.Id;
        }

        var list = new List<WorkspaceDatabase>();
        foreach (var key in definition.CreationOrder)
        {
            var def = definition[key];
            var entry = new WorkspaceDatabase { Key = key, Database = key.ToString(), Title = def.Title, StateValue = WorkspaceDatabaseState.ToCreate };
            if (configured[key] is { IsEmpty: false } ids)
            {
                var shown = ids.DatabaseId ?? ids.DataSourceId;
                var found = await TryGetDatabaseAsync(notion, ids.DatabaseId ?? ids.DataSourceId!, cancellationToken).ConfigureAwait(false);
                if (found is { InTrash: false })
                {
                    Fill(entry, found, WorkspaceDatabaseState.Configured, ids.DataSourceId);
                    output.Verbose($"{def.Title}: configured as {found.Id}, exists.");
                    list.Add(entry);
                    continue;
                }
                output.Warning(found is null
                    ? $"{def.Title}: the configured id {shown} was not found (deleted, or not shared with the integration); looking for it under the parent page instead."
                    : $"{def.Title}: the configured database {shown} is in Notion's trash; looking for it under the parent page instead (restore it from the trash to keep using it).");
            }
            if (underParent.TryGetValue(def.Title, out var databaseId))
            {
                var found = await TryGetDatabaseAsync(notion, databaseId, cancellationToken).ConfigureAwait(false);
                if (found is { InTrash: false })
                {
                    Fill(entry, found, WorkspaceDatabaseState.FoundUnderParent, null);
                    output.Verbose($"{def.Title}: found under the parent page as {found.Id}.");
                }
            }
            list.Add(entry);
        }
        return new WorkspacePlan(parent, list);
    }

    /// <summary>
    /// Creates one planned database under the plan's parent page. Relation targets must exist (earlier in the
    /// plan); when one does not, nothing is sent and the entry is <see cref="WorkspaceDatabaseState.Skipped"/>.
    /// A relation of a database to itself is added right after the create, once its data source id is known.
    /// Failures are reported on the entry (<see cref="WorkspaceDatabaseState.Failed"/>), never thrown, so the
    /// caller goes on with the next database.
    /// </summary>
    public static async Task<WorkspaceDatabase> CreateAsync(NotionClient notion, WorkspaceDefinition definition, WorkspacePlan plan,
        WorkspaceDatabase entry, CancellationToken cancellationToken)
    {
        if (notion is null) throw new ArgumentNullException(nameof(notion));
        if (definition is null) throw new ArgumentNullException(nameof(definition));
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        if (entry.StateValue != WorkspaceDatabaseState.ToCreate) return entry;
        var def = definition[entry.Key];
        var missingTargets = plan.MissingRelationTargets(definition, entry);
        if (missingTargets.Count > 0)
        {
            entry.StateValue = WorkspaceDatabaseState.Skipped;
            entry.Error = $"Not created: it relates to {string.Join(", ", missingTargets.Select(t => t.Title))}, which does not exist yet. Run {CommandNames.Initialize} again once it does.";
            return entry;
        }
        try
        {
            var selfRelations = def.Relations.Where(r => r.RelationTarget == def.Key).Select(r => r.Name).ToList();
            var schema = new JsonObject();
            foreach (var property in def.Properties.Where(p => !selfRelations.Contains(p.Name)))
                schema[property.Name] = NotionSchemaJson.PropertySchema(property, k => plan.Databases.First(d => d.Key == k).DataSourceId!);
            var created = await notion.CreateDatabaseAsync(plan.ParentPageId, def.Title, ToDefinitions(schema), cancellationToken: cancellationToken).ConfigureAwait(false);
            Fill(entry, created.Value, WorkspaceDatabaseState.Created, null);
            entry.Error = null;
            if (selfRelations.Count > 0)
            {
                var own = entry.DataSourceId ?? throw new OberaConnectException("NotionDatabaseWithoutDataSource", FailureKind.InvalidState,
                    $"{def.Title} was created ({entry.DatabaseId}) but Notion returned no data source, so its relation to itself could not be added. Run {CommandNames.TestSchema} -Repair.");
                var self = new JsonObject();
                foreach (var name in selfRelations) self[name] = NotionSchemaJson.PropertySchema(def[name], _ => own);
                await notion.UpdateDataSourceAsync(own, ToDefinitions(self), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OberaConnectException ex)
        {
            // A database created whose self-relation failed is still created: keep its ids, report the error.
            if (entry.StateValue != WorkspaceDatabaseState.Created) entry.StateValue = WorkspaceDatabaseState.Failed;
            entry.Error = ex.Message;
            entry.ErrorId = ex.ErrorId;
            entry.Exception = ex;
        }
        return entry;
    }

    /// <summary>
    /// Compares each database's schema in Notion with the definition. A database that is not configured, no
    /// longer exists or is in the trash yields a <see cref="SchemaDifferenceKind.MissingDatabase"/> difference.
    /// Relations are checked against the data source of each target; a target configured by database id only
    /// is resolved to its data source first.
    /// </summary>
    public static async Task<IReadOnlyList<SchemaReport>> CheckAsync(NotionClient notion, WorkspaceDefinition definition, DatabaseIdSet ids,
        IEnumerable<DatabaseKey> keys, CancellationToken cancellationToken)
    {
        if (notion is null) throw new ArgumentNullException(nameof(notion));
        if (definition is null) throw new ArgumentNullException(nameof(definition));
        if (ids is null) throw new ArgumentNullException(nameof(ids));
        if (keys is null) throw new ArgumentNullException(nameof(keys));
        var wanted = keys.Distinct().ToList();
        var targets = new Dictionary<DatabaseKey, string?>();
        foreach (var target in wanted.SelectMany(k => definition[k].DependsOn).Distinct())
            targets[target] = await TryResolveDataSourceAsync(notion, ids[target], cancellationToken).ConfigureAwait(false);

        var reports = new List<SchemaReport>();
        foreach (var key in wanted)
        {
            var def = definition[key];
            var configured = ids[key];
            if (configured is null || configured.IsEmpty)
            {
                reports.Add(Missing(def, $"{def.Title} is not in the configuration. Run {CommandNames.Initialize} to create it, or add its id under \"databases\"."));
                continue;
            }
            var shown = configured.DataSourceId ?? configured.DatabaseId;
            NotionDataSource source;
            try
            {
                source = await notion.GetDataSourceAsync(configured.DataSourceId ?? configured.DatabaseId!, cancellationToken).ConfigureAwait(false);
            }
            catch (NotionObjectNotFoundException)
            {
                reports.Add(Missing(def, $"{def.Title} ({shown}) was not found, or is not shared with the integration. Share it (••• → Connections), or run {CommandNames.Initialize} to create it again."));
                continue;
            }
            if (source.InTrash || await IsDatabaseInTrashAsync(notion, source.DatabaseId, cancellationToken).ConfigureAwait(false))
            {
                reports.Add(Missing(def, $"{def.Title} ({shown}) is in Notion's trash. Restore it from the trash, or run {CommandNames.Initialize} to create it again."));
                continue;
            }
            using var doc = JsonDocument.Parse(source.RawJson);
            if (doc.RootElement.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                reports.Add(SchemaComparison.Compare(def, properties, k => k == key ? source.Id : targets.TryGetValue(k, out var t) ? t : null));
            }
            else
            {
                using var empty = JsonDocument.Parse("{}");
                reports.Add(SchemaComparison.Compare(def, empty.RootElement, k => k == key ? source.Id : targets.TryGetValue(k, out var t) ? t : null));
            }
        }
        return reports;
    }

    /// <summary>
    /// Applies the repair of one difference of <paramref name="report"/> (adds a property or options, renames the
    /// title back) to the database configured in <paramref name="ids"/>. Returns false, sending nothing, when the
    /// difference cannot be repaired safely: wrong types and misdirected relations are never changed, nothing is removed.
    /// </summary>
    public static async Task<bool> RepairAsync(NotionClient notion, DatabaseIdSet ids, SchemaReport report, SchemaDifference difference, CancellationToken cancellationToken)
    {
        if (ids is null) throw new ArgumentNullException(nameof(ids));
        if (report is null) throw new ArgumentNullException(nameof(report));
        if (report.RepairFor(difference) is not { } change) return false;
        var target = ids.Require(report.Database.Key);
        await RepairAsync(notion, target, change, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Applies the repair of one difference (adds a property or options, renames the title back). Never retypes or removes.</summary>
    public static async Task RepairAsync(NotionClient notion, DatabaseIds ids, KeyValuePair<string, JsonObject> change, CancellationToken cancellationToken)
    {
        if (notion is null) throw new ArgumentNullException(nameof(notion));
        if (ids is null || ids.IsEmpty) throw new ArgumentException("The database to repair has no id.", nameof(ids));
        if (change.Value is null) throw new ArgumentException("No schema change given.", nameof(change));
        var definition = Notion.PropertyDefinition.FromJson(change.Value);
        if (definition.IsRemoval) throw new ArgumentException("A repair never removes a property.", nameof(change));
        await notion.UpdateDataSourceAsync(ids.DataSourceId ?? ids.DatabaseId!,
            new[] { new KeyValuePair<string, Notion.PropertyDefinition>(change.Key, definition) }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static SchemaReport Missing(DatabaseDefinition def, string message)
        => new(def, new[] { new SchemaDifference(def.Key, "", SchemaDifferenceKind.MissingDatabase, SchemaSeverity.Error, message, def.Title, null) }, new JsonObject());

    private static IEnumerable<KeyValuePair<string, Notion.PropertyDefinition>> ToDefinitions(JsonObject schema)
        => schema.Select(kv => new KeyValuePair<string, Notion.PropertyDefinition>(kv.Key, Notion.PropertyDefinition.FromJson((JsonObject)kv.Value!))).ToList();

    private static async Task<string?> TryResolveDataSourceAsync(NotionClient notion, DatabaseIds? ids, CancellationToken cancellationToken)
    {
        if (ids is null || ids.IsEmpty) return null;
        if (ids.DataSourceId is not null) return ids.DataSourceId;
        try
        {
            return await notion.ResolveDataSourceIdAsync(ids.DatabaseId!, cancellationToken).ConfigureAwait(false);
        }
        catch (NotionObjectNotFoundException)
        {
            // Reported as a missing database when that database is checked itself; here it only means no relation check.
            return null;
        }
    }

    private static async Task<bool> IsDatabaseInTrashAsync(NotionClient notion, string? databaseId, CancellationToken cancellationToken)
    {
        if (databaseId is null) return false;
        try
        {
            return (await notion.GetDatabaseAsync(databaseId, cancellationToken).ConfigureAwait(false)).InTrash;
        }
        catch (NotionObjectNotFoundException)
        {
            return false;
        }
    }

    private static async Task<NotionDatabase?> TryGetDatabaseAsync(NotionClient notion, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await notion.GetDatabaseAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (NotionObjectNotFoundException)
        {
            // A data source id where a database id was expected: find its database.
            try
            {
                var source = await notion.GetDataSourceAsync(id, cancellationToken).ConfigureAwait(false);
                return source.DatabaseId is { } dbId ? await notion.GetDatabaseAsync(dbId, cancellationToken).ConfigureAwait(false) : null;
            }
            catch (NotionObjectNotFoundException)
            {
                return null;
            }
        }
    }

    private static void Fill(WorkspaceDatabase entry, NotionDatabase db, WorkspaceDatabaseState state, string? configuredDataSourceId)
    {
        entry.StateValue = state;
        entry.DatabaseId = db.Id;
        // A database may hold several data sources: keep the one the configuration names, else the first.
        entry.DataSourceId = db.DataSources.FirstOrDefault(d => configuredDataSourceId != null
                                 && string.Equals(d.Id.Replace("-", ""), configuredDataSourceId.Replace("-", ""), StringComparison.OrdinalIgnoreCase))?.Id
                             ?? db.DataSources.FirstOrDefault()?.Id;
        entry.Url = db.Url;
    }
}
