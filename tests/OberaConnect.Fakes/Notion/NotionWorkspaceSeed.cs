using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Fakes.Notion;

/// <summary>
/// The OberaConnect workspace on a fake: the seven databases of the standard definition (its exact schema,
/// relations included) under the root page, and a configuration file that points the module at them.
/// Used by the standalone fake (--seed-workspace, --write-config), the Pester tests and the benchmarks.
/// </summary>
public static class NotionWorkspaceSeed
{
    /// <summary>Creates the standard databases in creation order; returns their ids by key.</summary>
    public static IReadOnlyDictionary<DatabaseKey, SeededDatabase> CreateStandardWorkspace(NotionFakeState state)
    {
        var ids = new Dictionary<DatabaseKey, SeededDatabase>();
        foreach (var definition in WorkspaceDefinition.Standard.Databases)
        {
            var properties = NotionSchemaJson.CreateProperties(definition, key => ids[key].DataSourceId);
            ids[definition.Key] = state.CreateDatabase(state.RootPageId, definition.Title, properties);
        }
        return ids;
    }

    /// <summary>
    /// The text of an OberaConnect configuration file for a fake at <paramref name="baseUrl"/> with these
    /// databases (no secret: the token comes from NOTION_TOKEN). <paramref name="stateDirectory"/>, when given,
    /// holds the journal, audit, state and logs.
    /// </summary>
    public static string ConfigurationJson(Uri baseUrl, IReadOnlyDictionary<DatabaseKey, SeededDatabase> databases, string? stateDirectory = null)
    {
        var dbs = new JsonObject();
        foreach (var (key, db) in databases)
            dbs[key.ToString()] = new JsonObject { ["databaseId"] = db.DatabaseId, ["dataSourceId"] = db.DataSourceId };
        var root = new JsonObject
        {
            ["$comment"] = "Written by the Notion fake for a local trial: see about_OberaConnect_Configuration.",
            ["notion"] = new JsonObject { ["baseUrl"] = baseUrl.AbsoluteUri },
            ["databases"] = dbs,
        };
        if (stateDirectory != null)
        {
            root["paths"] = new JsonObject
            {
                ["journalDirectory"] = Path.Combine(stateDirectory, "journal"),
                ["auditDirectory"] = Path.Combine(stateDirectory, "audit"),
                ["stateDirectory"] = Path.Combine(stateDirectory, "state"),
                ["logDirectory"] = Path.Combine(stateDirectory, "logs"),
            };
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
