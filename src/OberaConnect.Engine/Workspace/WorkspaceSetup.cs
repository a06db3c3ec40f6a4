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
    public WorkspaceDatabaseState State { get; set; }
    public string? DatabaseId { get; set; }
    public string? DataSourceId { get; set; }
    public string? Url { get; set; }
    public string? Error { get; set; }
    public string? ErrorId { get; set; }
    public Exception? Exception { get; set; }
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
        => Databases.Where(d => d.DatabaseId != null && d.State is not (WorkspaceDatabaseState.ToCreate or WorkspaceDatabaseState.Skipped or WorkspaceDatabaseState.Failed))
            .ToDictionary(d => d.Key, d => new DatabaseIds(d.DatabaseId, d.DataSourceId));
}

/// <summary>The parent page given to Initialize cannot be seen by the integration.</summary>
public sealed class WorkspaceParentNotSharedException : OberaConnectException
{
    public WorkspaceParentNotSharedException(string pageId, Exception inner)
        : base("WorkspaceParentNotShared", FailureKind.NotFound,
            $"The parent page {pageId} was not found, or it is not shared with the integration. In Notion, open the page, " +
            "choose ••• (top right) → Connections → Connect to, and pick your integration; then run Initialize-OberaNotionWorkspace again.", inner)
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
    /// </summary>
    public static async Task<WorkspacePlan> PlanAsync(NotionClient notion, WorkspaceDefinition definition, string parentPageId,
        DatabaseIdSet configured, IEngineOutput? output, CancellationToken cancellationToken)
    {
        output ??= NullEngineOutput.Instance;
        var parent = NotionId.Normalize(parentPageId, "parent page id");
        try
        {
            await notion.GetPageAsync(parent, cancellationToken).ConfigureAwait(false);
        }
        catch (NotionObjectNotFoundException ex)
        {
            throw new WorkspaceParentNotSharedException(parent, ex);
        }

        var underParent = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var block in notion.ListChildrenAsync(parent, cancellationToken).ConfigureAwait(false))
        {
            if (block.Type == "child_database" && block.ChildTitle is { } title && !underParent.ContainsKey(title))
                underParent[title] = block.Id;
        }

        var list = new List<WorkspaceDatabase>();
        foreach (var key in definition.CreationOrder)
        {
            var def = definition[key];
            var entry = new WorkspaceDatabase { Key = key, Database = key.ToString(), Title = def.Title, State = WorkspaceDatabaseState.ToCreate };
            if (configured[key] is { IsEmpty: false } ids)
            {
                var found = await TryGetDatabaseAsync(notion, ids.DatabaseId ?? ids.DataSourceId!, cancellationToken).ConfigureAwait(false);
                if (found != null)
                {
                    Fill(entry, found, WorkspaceDatabaseState.Configured);
                    list.Add(entry);
                    continue;
                }
                output.Warning($"{def.Title}: the configured id {ids.DatabaseId ?? ids.DataSourceId} was not found (deleted, or not shared with the integration); looking for it under the parent page instead.");
            }
            if (underParent.TryGetValue(def.Title, out var databaseId))
            {
                var found = await TryGetDatabaseAsync(notion, databaseId, cancellationToken).ConfigureAwait(false);
                if (found != null) Fill(entry, found, WorkspaceDatabaseState.FoundUnderParent);
            }
            list.Add(entry);
        }
        return new WorkspacePlan(parent, list);
    }

    /// <summary>Creates one planned database. Relation targets must exist (earlier in the plan).</summary>
    public static async Task<WorkspaceDatabase> CreateAsync(NotionClient notion, WorkspaceDefinition definition, WorkspacePlan plan,
        WorkspaceDatabase entry, CancellationToken cancellationToken)
    {
        var def = definition[entry.Key];
        var missingTargets = def.Relations.Select(r => r.RelationTarget).OfType<DatabaseKey>()
            .Where(t => plan.Databases.First(d => d.Key == t).DataSourceId is null).Distinct().ToList();
        if (missingTargets.Count > 0)
        {
            entry.State = WorkspaceDatabaseState.Skipped;
            entry.Error = $"Not created: it relates to {string.Join(", ", missingTargets.Select(t => definition[t].Title))}, which does not exist yet.";
            return entry;
        }
        try
        {
            var schema = NotionSchemaJson.CreateProperties(def, k => plan.Databases.First(d => d.Key == k).DataSourceId!);
            var properties = schema.Select(kv => new KeyValuePair<string, Notion.PropertyDefinition>(kv.Key, Notion.PropertyDefinition.FromJson((JsonObject)kv.Value!))).ToList();
            var created = await notion.CreateDatabaseAsync(plan.ParentPageId, def.Title, properties, cancellationToken: cancellationToken).ConfigureAwait(false);
            Fill(entry, created.Value, WorkspaceDatabaseState.Created);
            if (created.Recovered) entry.Error = null;
        }
        catch (OberaConnectException ex)
        {
            entry.State = WorkspaceDatabaseState.Failed;
            entry.Error = ex.Message;
            entry.ErrorId = ex.ErrorId;
            entry.Exception = ex;
        }
        return entry;
    }

    /// <summary>
    /// Compares each database's schema in Notion with the definition. A database that is not configured
    /// or no longer exists yields a <see cref="SchemaDifferenceKind.MissingDatabase"/> difference.
    /// </summary>
    public static async Task<IReadOnlyList<SchemaReport>> CheckAsync(NotionClient notion, WorkspaceDefinition definition, DatabaseIdSet ids,
        IEnumerable<DatabaseKey> keys, CancellationToken cancellationToken)
    {
        var reports = new List<SchemaReport>();
        foreach (var key in keys)
        {
            var def = definition[key];
            var configured = ids[key];
            if (configured is null || configured.IsEmpty)
            {
                reports.Add(Missing(def, $"{def.Title} is not in the configuration. Run Initialize-OberaNotionWorkspace to create it, or add its id under \"databases\"."));
                continue;
            }
            NotionDataSource source;
            try
            {
                source = await notion.GetDataSourceAsync(configured.DataSourceId ?? configured.DatabaseId!, cancellationToken).ConfigureAwait(false);
            }
            catch (NotionObjectNotFoundException)
            {
                reports.Add(Missing(def, $"{def.Title} ({configured.DataSourceId ?? configured.DatabaseId}) was not found, or is not shared with the integration. Share it (••• → Connections), or run Initialize-OberaNotionWorkspace to create it again."));
                continue;
            }
            using var doc = JsonDocument.Parse(source.RawJson);
            var properties = doc.RootElement.TryGetProperty("properties", out var p) ? p.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
            reports.Add(SchemaComparison.Compare(def, properties, k => ids[k]?.DataSourceId));
        }
        return reports;
    }

    /// <summary>Applies the repair of one difference (adds a property or options, renames the title back). Never retypes or removes.</summary>
    public static async Task RepairAsync(NotionClient notion, DatabaseIds ids, KeyValuePair<string, JsonObject> change, CancellationToken cancellationToken)
    {
        var definition = Notion.PropertyDefinition.FromJson(change.Value);
        await notion.UpdateDataSourceAsync(ids.DataSourceId ?? ids.DatabaseId!,
            new[] { new KeyValuePair<string, Notion.PropertyDefinition>(change.Key, definition) }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static SchemaReport Missing(DatabaseDefinition def, string message)
        => new(def, new[] { new SchemaDifference(def.Key, "", SchemaDifferenceKind.MissingDatabase, SchemaSeverity.Error, message, def.Title, null) }, new JsonObject());

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

    private static void Fill(WorkspaceDatabase entry, NotionDatabase db, WorkspaceDatabaseState state)
    {
        entry.State = state;
        entry.DatabaseId = db.Id;
        entry.DataSourceId = db.DataSources.FirstOrDefault()?.Id;
        entry.Url = db.Url;
    }
}
