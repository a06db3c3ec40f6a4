namespace OberaConnect.Engine.Workspace;

public sealed partial class WorkspaceDefinition
{
    /// <summary>
    /// The database a person names: its key (CustomerSites) or its title (Customer Sites), ignoring case,
    /// spaces, dashes and underscores; null when none matches.
    /// </summary>
    public DatabaseKey? FindByName(string? name)
    {
        var wanted = Simplify(name);
        if (wanted.Length == 0) return null;
        foreach (var db in Databases)
        {
            if (Simplify(db.Key.ToString()) == wanted || Simplify(db.Title) == wanted) return db.Key;
        }
        return null;
    }

    /// <summary>
    /// The databases named (-Database), in creation order without repeats; every database when none is named.
    /// </summary>
    /// <exception cref="UnknownDatabaseNameException">A name matches no database; the message lists the valid ones.</exception>
    public IReadOnlyList<DatabaseKey> SelectByName(IEnumerable<string>? names)
    {
        var list = (names ?? Array.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (list.Count == 0) return CreationOrder;
        var keys = new HashSet<DatabaseKey>();
        foreach (var name in list)
        {
            if (FindByName(name) is not { } key) throw new UnknownDatabaseNameException(name, Databases.Select(d => d.Key.ToString()).ToList());
            keys.Add(key);
        }
        return CreationOrder.Where(keys.Contains).ToList();
    }

    private static string Simplify(string? text)
        => new string((text ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}

/// <summary>A -Database value that names no workspace database.</summary>
public sealed class UnknownDatabaseNameException : OberaConnectException
{
    public UnknownDatabaseNameException(string name, IReadOnlyList<string> known)
        : base("UnknownDatabase", FailureKind.InvalidInput,
            $"'{name}' is not a database of the OberaConnect workspace. Use one of {string.Join(", ", known)} (or its title, such as 'Customer Sites').")
    {
        Name = name;
    }

    public string Name { get; }
}
