using System.Text;

namespace OberaConnect.Engine.State;

/// <summary>
/// The site names the last sync saw, kept in a small local file so that tab completion of -SiteName works
/// without calling any service (completion must be instant and must never prompt for a credential).
/// Syncs call <see cref="Save"/>; the completer calls <see cref="Load"/>. One name per line, UTF-8, written to a
/// temporary file and renamed into place so a reader never sees half a file.
/// </summary>
public sealed class SiteNameCache
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "site-names.txt";

    /// <summary>More names than any MSP has sites: a bound so a damaged file cannot make completion slow.</summary>
    public const int MaxNames = 20000;

    public SiteNameCache(string stateDirectory)
    {
        if (string.IsNullOrWhiteSpace(stateDirectory)) throw new ArgumentException("The state directory is empty.", nameof(stateDirectory));
        FilePath = Path.Combine(stateDirectory, FileName);
    }

    /// <summary>Full path of the cache file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The state directory when no configuration says: OBERACONNECT_STATE_DIR when set, otherwise the default of
    /// paths.stateDirectory ("state" in the data directory), which is where the syncs save the names.
    /// </summary>
    public static string DefaultStateDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("OBERACONNECT_STATE_DIR");
        if (!string.IsNullOrWhiteSpace(configured)) return configured!;
        return Configuration.ConfigurationLocations.InDataDirectory(Configuration.SystemEnvironment.Instance, "state");
    }

    /// <summary>Replaces the cached names (distinct, sorted, blank and multi-line names dropped).</summary>
    public void Save(IEnumerable<string> siteNames)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in siteNames)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOf('\n') >= 0 || name.IndexOf('\r') >= 0) continue;
            names.Add(name.Trim());
            if (names.Count >= MaxNames) break;
        }
        var text = new StringBuilder();
        foreach (var name in names) text.Append(name).Append('\n');
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
}
