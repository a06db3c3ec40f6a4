using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>
/// The databases the export knows by name: the workspace databases that have ids ("databases", named by their
/// key, for example CustomerSites) and the extra ones of "export.databases". Turns -Database names, -DatabaseId
/// ids and -All into <see cref="ExportSource"/>s.
/// </summary>
public static class ExportCatalog
{
    /// <summary>Every configured database, workspace ones first (in workspace order), then the extra ones.</summary>
    public static IReadOnlyList<ExportSource> All(OberaConnectConfiguration configuration)
    {
        if (configuration is null) throw new ArgumentNullException(nameof(configuration));
        var sources = new List<ExportSource>();
        foreach (var key in configuration.Databases.Configured)
        {
            var ids = configuration.Databases[key]!;
            // A configuration may hold only the data source id (pasted from a newer link): the query accepts it as well.
            var id = ids.DatabaseId ?? ids.DataSourceId!;
            sources.Add(new ExportSource(id, key.ToString(), ids.DataSourceId));
        }
        foreach (var extra in configuration.Export.Databases)
            sources.Add(new ExportSource(extra.DatabaseId, extra.Name));
        return sources;
    }

    /// <summary>The names -Database accepts (for completion and messages).</summary>
    public static IReadOnlyList<string> Names(OberaConnectConfiguration configuration) => All(configuration).Select(s => s.DatabaseName).ToList();

    /// <summary>
    /// The sources for one run. Names are matched ignoring case; an id that is configured keeps its configured
    /// name, any other id is exported under the id itself. Nothing named and not -All is an error that lists the names.
    /// </summary>
    public static IReadOnlyList<ExportSource> Resolve(OberaConnectConfiguration configuration, IReadOnlyCollection<string>? names,
        IReadOnlyCollection<string>? databaseIds, bool all)
    {
        var known = All(configuration);
        var result = new List<ExportSource>();
        void Add(ExportSource source)
        {
            var id = NotionIds.Normalize(source.DatabaseId, "database id");
            if (!result.Any(r => NotionIds.Normalize(r.DatabaseId, "database id") == id)) result.Add(source);
        }

        if (all) foreach (var s in known) Add(s);
        foreach (var name in names ?? Array.Empty<string>())
        {
            var match = known.FirstOrDefault(s => string.Equals(s.DatabaseName, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var workspaceKey = Enum.GetNames(typeof(DatabaseKey)).FirstOrDefault(k => string.Equals(k, name?.Trim(), StringComparison.OrdinalIgnoreCase));
                throw new OberaConnectException(workspaceKey is null ? "ExportDatabaseUnknown" : ConfigurationErrors.DatabaseNotConfigured, FailureKind.Configuration,
                    workspaceKey is null
                        ? $"'{name}' is not a database the export knows. Known: {(known.Count == 0 ? "none yet" : string.Join(", ", known.Select(k => k.DatabaseName)))}. " +
                          "Add it to \"export.databases\" in the configuration (\"<name>\": \"<database URL>\") or pass -DatabaseId."
                        : $"{workspaceKey} has no database id in {configuration.FilePath ?? "the configuration"}. Run {CommandNames.Initialize} or paste the database's URL into \"databases\".");
            }
            Add(match);
        }
        foreach (var raw in databaseIds ?? Array.Empty<string>())
        {
            var id = NotionIds.Normalize(NotionIdFrom(raw), "database id");
            var configured = known.FirstOrDefault(s => NotionIds.Normalize(s.DatabaseId, "database id") == id
                                                       || (s.DataSourceId is { } ds && NotionIds.Normalize(ds, "data source id") == id));
            Add(configured ?? new ExportSource(id, id));
        }
        if (result.Count == 0)
            throw new OberaConnectException("ExportNothingSelected", FailureKind.InvalidInput,
                $"Name the databases to export with -Database, -DatabaseId or -All. Configured: {(known.Count == 0 ? "none" : string.Join(", ", known.Select(k => k.DatabaseName)))}.");
        return result;
    }

    /// <summary>Accepts an id (dashed or not) or a Notion link to the database.</summary>
    private static string NotionIdFrom(string text)
        => NotionIdText.TryNormalize(text ?? "", out var id) ? id : text ?? "";
}
