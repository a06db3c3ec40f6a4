using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// The OberaConnect workspace as the explicit commands use it (pipeline stages, runbooks, duplicates, read-back):
/// the Notion client, where each database's data source is, and the clock. Data source ids come from the
/// configuration; a database configured only by its database id is resolved once (one request) and remembered.
/// </summary>
public sealed class NotionWorkspace
{
    private readonly Func<DatabaseKey, CancellationToken, Task<string>> _dataSourceOf;
    private readonly Dictionary<DatabaseKey, string> _resolved = new();
    private readonly object _gate = new();

    public NotionWorkspace(NotionClient notion, Func<DatabaseKey, CancellationToken, Task<string>> dataSourceOf, TimeProvider? time = null)
    {
        Notion = notion ?? throw new ArgumentNullException(nameof(notion));
        _dataSourceOf = dataSourceOf ?? throw new ArgumentNullException(nameof(dataSourceOf));
        Time = time ?? TimeProvider.System;
    }

    /// <summary>A workspace whose data source ids are known (tests, tools).</summary>
    public static NotionWorkspace Of(NotionClient notion, IReadOnlyDictionary<DatabaseKey, string> dataSourceIds, TimeProvider? time = null)
        => new(notion, (key, _) => dataSourceIds.TryGetValue(key, out var id)
            ? Task.FromResult(id)
            : throw new ConfigurationException(ConfigurationErrors.DatabaseNotConfigured,
                $"{WorkspaceDefinition.Standard[key].Title} ({key}) has no data source id. Run {CommandNames.Initialize} to create the workspace."), time);

    /// <summary>The workspace of a connection: its Notion client and the database ids of its configuration.</summary>
    public static async Task<NotionWorkspace> OpenAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var notion = await connection.GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var configuration = connection.Configuration;
        return new NotionWorkspace(notion, async (key, ct) =>
        {
            var ids = configuration.Databases.Require(key, configuration.FilePath);
            return ids.DataSourceId ?? await notion.ResolveDataSourceIdAsync(ids.DatabaseId!, ct).ConfigureAwait(false);
        }, connection.Options.Time);
    }

    public NotionClient Notion { get; }

    public TimeProvider Time { get; }

    /// <summary>The workspace definition (property names, options, keys).</summary>
    public WorkspaceDefinition Definition => WorkspaceDefinition.Standard;

    /// <summary>The data source id of <paramref name="key"/>, resolved at most once.</summary>
    public async Task<string> DataSourceIdAsync(DatabaseKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_resolved.TryGetValue(key, out var known)) return known;
        }
        var id = await _dataSourceOf(key, cancellationToken).ConfigureAwait(false);
        lock (_gate) _resolved[key] = id;
        return id;
    }

    /// <summary>
    /// The database a user names: its key (<c>CustomerSites</c>) or its title (<c>Customer Sites</c>), ignoring case,
    /// spaces, dashes and underscores. Anything else is an <see cref="FailureKind.InvalidInput"/> error listing the keys.
    /// </summary>
    public static DatabaseKey DatabaseNamed(string? name)
    {
        var wanted = Squash(name);
        foreach (var db in WorkspaceDefinition.Standard.Databases)
            if (wanted.Length > 0 && (wanted == Squash(db.Key.ToString()) || wanted == Squash(db.Title))) return db.Key;
        throw new OberaConnectException("UnknownDatabase", FailureKind.InvalidInput,
            $"'{name}' is not a database of the OberaConnect workspace. Use one of: {string.Join(", ", WorkspaceDefinition.Standard.Databases.Select(d => d.Key))}.");
    }

    private static string Squash(string? text)
    {
        var chars = (text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-' && c != '_').Select(char.ToUpperInvariant).ToArray();
        return new string(chars);
    }

    /// <summary>
    /// The option of a select property as the definition spells it, matched ignoring case; null for null or empty input.
    /// A value that is not an option is an <see cref="Validation.InputErrorIds.InvalidEnumValue"/> error listing the options,
    /// the rule every enumerated input follows (<see cref="Validation.RecordCheck.Choice"/>).
    /// </summary>
    public static string? OptionOf(DatabaseKey database, string property, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var check = new Validation.RecordCheck(WorkspaceDefinition.Standard[database].Title);
        return check.Choice(property, value, Validation.ValueSet.Options(database, property, property)) ?? throw check.Error!;
    }

    /// <summary>The option names of a select property, in the definition's order (for completers and validation).</summary>
    public static IReadOnlyList<string> OptionsOf(DatabaseKey database, string property)
        => WorkspaceDefinition.Standard[database][property].Options.Select(o => o.Name).ToList();

    /// <summary>The property names of a database the user names (<see cref="DatabaseNamed"/>), in the definition's order (for completers).</summary>
    public static IReadOnlyList<string> PropertiesOf(string database)
        => WorkspaceDefinition.Standard[DatabaseNamed(database)].Properties.Select(p => p.Name).ToList();

    /// <summary><see cref="OptionsOf(DatabaseKey, string)"/> by the database's key name (for hosts that must not hold engine enums).</summary>
    public static IReadOnlyList<string> OptionsOf(string database, string property) => OptionsOf(DatabaseNamed(database), property);
}
