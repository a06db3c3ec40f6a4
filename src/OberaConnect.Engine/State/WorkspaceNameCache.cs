using System.Text;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.State;

/// <summary>
/// Names of one workspace that tab completion offers (the site names of Customer Sites, the tools of Config Changes),
/// kept in a small file in the state directory so that completion is instant, offline and never asks for a credential.
/// One file per workspace and kind: <c>site-names.&lt;id&gt;.txt</c>, where the id is the configured data source (or
/// database) id of the database the names come from, so two configurations never mix their names. Writers replace the
/// file through a temporary file and a rename, so a reader never sees half of it; the file's age is the age of the names.
/// </summary>
public sealed class WorkspaceNameCache
{
    /// <summary>More names than any MSP has sites: a bound so a damaged file cannot make completion slow.</summary>
    public const int MaxNames = 20000;

    /// <summary>The cache of <paramref name="kind"/> ("site-names", "tools") for the workspace <paramref name="workspaceKey"/> in <paramref name="stateDirectory"/>.</summary>
    public WorkspaceNameCache(string stateDirectory, string kind, string? workspaceKey)
    {
        if (string.IsNullOrWhiteSpace(stateDirectory)) throw new ArgumentException("The state directory is empty.", nameof(stateDirectory));
        if (string.IsNullOrWhiteSpace(kind)) throw new ArgumentException("The kind of names is empty.", nameof(kind));
        var key = Safe(workspaceKey);
        FilePath = Path.Combine(stateDirectory, key.Length == 0 ? kind + ".txt" : $"{kind}.{key}.txt");
    }

    /// <summary>Full path of the cache file.</summary>
    public string FilePath { get; }

    /// <summary>The site names of the Customer Sites database the configuration names.</summary>
    public static WorkspaceNameCache SiteNames(OberaConnectConfiguration configuration)
        => For(configuration, "site-names", DatabaseKey.CustomerSites);

    /// <summary>The Tool options of the Config Changes database the configuration names.</summary>
    public static WorkspaceNameCache Tools(OberaConnectConfiguration configuration)
        => For(configuration, "tools", DatabaseKey.ConfigChanges);

    /// <summary>When the names were last written (UTC); null when there is no file.</summary>
    public DateTimeOffset? SavedAt
    {
        get
        {
            try { return File.Exists(FilePath) ? new DateTimeOffset(File.GetLastWriteTimeUtc(FilePath), TimeSpan.Zero) : null; }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }

    /// <summary>Replaces the cached names (distinct, sorted, blank and multi-line names dropped).</summary>
    public void Save(IEnumerable<string> names)
    {
        var sorted = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOf('\n') >= 0 || name.IndexOf('\r') >= 0) continue;
            sorted.Add(name.Trim());
            if (sorted.Count >= MaxNames) break;
        }
        var text = new StringBuilder();
        foreach (var name in sorted) text.Append(name).Append('\n');
        WriteWhole(FilePath, text.ToString());
    }

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8) to a temporary file next to <paramref name="path"/> and renames it into place, so a
    /// reader never sees half a file (the state files of this folder share it).
    /// </summary>
    internal static void WriteWhole(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        try
        {
            if (File.Exists(path)) File.Replace(temp, path, null);
            else File.Move(temp, path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The cached names; empty when nothing was cached yet or the file cannot be read.</summary>
    public IReadOnlyList<string> Load()
    {
        try
        {
            if (!File.Exists(FilePath)) return Array.Empty<string>();
            var result = new List<string>();
            foreach (var line in File.ReadLines(FilePath, Encoding.UTF8))
            {
                var name = line.Trim();
                if (name.Length == 0) continue;
                result.Add(name);
                if (result.Count >= MaxNames) break;
            }
            return result;
        }
        catch (IOException) { return Array.Empty<string>(); }
        catch (UnauthorizedAccessException) { return Array.Empty<string>(); }
    }

    private static WorkspaceNameCache For(OberaConnectConfiguration configuration, string kind, DatabaseKey database)
    {
        if (configuration is null) throw new ArgumentNullException(nameof(configuration));
        var ids = configuration.Databases[database];
        // paths.stateDirectory always has a value once loaded (its default is "state" in the data directory).
        var directory = configuration.Paths.StateDirectory ?? ConfigurationLocations.InDataDirectory(SystemEnvironment.Instance, "state");
        return new WorkspaceNameCache(directory, kind, ids?.DataSourceId ?? ids?.DatabaseId);
    }

    // A Notion id is hex and dashes; anything else (a hand-edited configuration) must not reach a file name.
    private static string Safe(string? key)
        => key is null ? "" : new string(key.Where(c => c < 128 && char.IsLetterOrDigit(c)).ToArray()).ToLowerInvariant();
}
