using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.State;

/// <summary>
/// How many pages each database held at the last run that read every page of it, kept in the state directory
/// (<see cref="FileName"/>: one "data source id TAB pages" line each) so a later run can tell whether reading only its
/// input's keys is cheaper than reading every page (<see cref="Sync.IndexRead.Cheaper"/>). A figure only: a missing,
/// damaged or stale file costs at most a few requests, never a wrong write.
/// </summary>
public sealed class IndexSizes
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "index-pages.txt";

    public IndexSizes(string stateDirectory)
    {
        if (string.IsNullOrWhiteSpace(stateDirectory)) throw new ArgumentException("The state directory is empty.", nameof(stateDirectory));
        FilePath = Path.Combine(stateDirectory, FileName);
    }

    public string FilePath { get; }

    /// <summary>The pages of <paramref name="dataSourceId"/> at its last whole read, or null when unknown.</summary>
    public int? Find(string dataSourceId) => Load().TryGetValue(dataSourceId, out var pages) ? pages : null;

    /// <summary>Records the pages a whole read of <paramref name="dataSourceId"/> found (written to a temporary file, then renamed into place).</summary>
    public void Save(string dataSourceId, int pages)
    {
        var sizes = Load();
        sizes[dataSourceId] = pages;
        var text = new StringBuilder();
        foreach (var kv in sizes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append(kv.Key).Append('\t').Append(kv.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        WorkspaceNameCache.WriteWhole(FilePath, text.ToString());
    }

    private Dictionary<string, int> Load()
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists(FilePath)) return sizes;
            foreach (var line in File.ReadLines(FilePath, Encoding.UTF8))
            {
                var parts = line.Split('\t');
                if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)) sizes[parts[0]] = pages;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unknown sizes only make a run read its keys; nothing depends on them being there.
        }
        return sizes;
    }
}
