using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>The sync view (<see cref="SyncTable"/>) of a workspace database, from the definition and the configured ids.</summary>
public static class WorkspaceTables
{
    /// <summary>
    /// The table of <paramref name="key"/>. The data source id comes from the configuration; when only a
    /// database id is configured it is resolved once (one request).
    /// </summary>
    public static async Task<SyncTable> ForAsync(NotionClient notion, OberaConnectConfiguration configuration, DatabaseKey key,
        NotionFilter? scope, CancellationToken cancellationToken)
    {
        var ids = configuration.Databases.Require(key, configuration.FilePath);
        // A configured data source id is one: the client need not ask Notion (two requests per data source otherwise).
        if (ids.DataSourceId != null) notion.RememberDataSource(ids.DataSourceId, ids.DatabaseId);
        var dataSourceId = ids.DataSourceId
                           ?? await notion.ResolveDataSourceIdAsync(ids.DatabaseId!, cancellationToken).ConfigureAwait(false);
        return For(WorkspaceDefinition.Standard[key], dataSourceId, scope);
    }

    /// <summary>The table of a definition over a known data source.</summary>
    public static SyncTable For(DatabaseDefinition definition, string dataSourceId, NotionFilter? scope = null)
    {
        var keyProperty = definition.KeyProperty;
        var keyKind = keyProperty.Type switch
        {
            NotionPropertyType.Title => KeyKind.Title,
            NotionPropertyType.Number => KeyKind.Number,
            _ => KeyKind.RichText,
        };
        var mode = definition.WritePattern switch
        {
            WritePattern.InsertOnly => WriteMode.InsertOnly,
            WritePattern.Immutable => WriteMode.Immutable,
            _ => WriteMode.Upsert,
        };
        var owned = definition.ModuleProperties
            .Where(p => p.Type is not (NotionPropertyType.CreatedTime or NotionPropertyType.LastEditedTime or NotionPropertyType.UniqueId))
            .Select(p => p.Name);
        return new SyncTable(definition.Key.ToString(), dataSourceId, keyProperty.Name, keyKind, mode, owned) { Scope = scope, Title = definition.Title };
    }
}
