using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Failed records of a sync, kept on disk so <c>-RetryFailed</c> re-runs exactly those. One file per
/// operation in the state directory. A record is stored with its input (as JSON, without secrets:
/// inputs are source data, never credentials) and removed once it syncs; the file is rewritten
/// atomically, so a crash never leaves half a journal.
/// </summary>
public sealed class FailureJournal
{
    private readonly string _path;
    private readonly object _gate = new();

    public FailureJournal(string stateDirectory, string operation)
    {
        if (string.IsNullOrWhiteSpace(stateDirectory)) throw new ArgumentException("A state directory is required.", nameof(stateDirectory));
        var safe = new StringBuilder();
        foreach (var c in operation) safe.Append(char.IsLetterOrDigit(c) || c == '-' ? c : '_');
        _path = Path.Combine(stateDirectory, "failed-" + safe + ".json");
    }

    /// <summary>The journal of <paramref name="operation"/> in the configured journal directory (the temp folder when none is set).</summary>
    public static FailureJournal For(Configuration.OberaConnectConfiguration configuration, string operation)
        => new(configuration.Paths.JournalDirectory ?? Path.Combine(Path.GetTempPath(), "OberaConnect", "journal"), operation);

    /// <summary>Where the journal lives.</summary>
    public string FilePath => _path;

    /// <summary>The journaled entries, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Read()
    {
        lock (_gate)
        {
            if (!File.Exists(_path)) return Array.Empty<JournalEntry>();
            var text = File.ReadAllText(_path, Encoding.UTF8);
            if (string.IsNullOrWhiteSpace(text)) return Array.Empty<JournalEntry>();
            JsonNode? root;
            try { root = JsonNode.Parse(text); }
            catch (JsonException ex)
            {
                throw new OberaConnectException("FailureJournalCorrupt", FailureKind.InvalidState,
                    $"The failed-record journal '{_path}' is not valid JSON ({ex.Message}). Move it aside and run a full sync (without -RetryFailed); a full rerun is always safe.", ex);
            }
            var list = new List<JournalEntry>();
            foreach (var item in root?["entries"]?.AsArray() ?? new JsonArray())
            {
                if (item is null) continue;
                list.Add(new JournalEntry(
                    item["key"]?.GetValue<string>() ?? "",
                    item["database"]?.GetValue<string>() ?? "",
                    item["error"]?.GetValue<string>() ?? "",
                    item["errorId"]?.GetValue<string>(),
                    DateTimeOffset.Parse(item["failedAt"]?.GetValue<string>() ?? DateTimeOffset.MinValue.ToString("o"), System.Globalization.CultureInfo.InvariantCulture),
                    item["attempts"]?.GetValue<int>() ?? 1,
                    item["input"]?.DeepClone()));
            }
            return list;
        }
    }

    /// <summary>
    /// Records the outcome of a run: failed keys are added (or their attempt count raised), keys that
    /// ended in any other state are removed. Keys the run did not touch stay as they were.
    /// </summary>
    public void Apply(IEnumerable<SyncResult> results, Func<SyncResult, JsonNode?> serializeInput, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        lock (_gate)
        {
            var entries = Read().ToDictionary(e => e.Database + "\u001f" + e.Key, StringComparer.Ordinal);
            var changed = false;
            foreach (var r in results)
            {
                var id = r.Database + "\u001f" + r.Key;
                if (r.Status == SyncStatus.Failed)
                {
                    var attempts = entries.TryGetValue(id, out var old) ? old.Attempts + 1 : 1;
                    entries[id] = new JournalEntry(r.Key, r.Database, r.Error ?? "", r.ErrorId, now, attempts, serializeInput(r));
                    changed = true;
                }
                else if (r.Status != SyncStatus.Skipped && entries.Remove(id))
                {
                    changed = true;
                }
            }
            if (changed) Write(entries.Values.OrderBy(e => e.FailedAt).ToList());
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_gate) { if (File.Exists(_path)) File.Delete(_path); }
    }

    private void Write(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0) { if (File.Exists(_path)) File.Delete(_path); return; }
        var array = new JsonArray();
        foreach (var e in entries)
        {
            array.Add(new JsonObject
            {
                ["key"] = e.Key,
                ["database"] = e.Database,
                ["error"] = e.Error,
                ["errorId"] = e.ErrorId,
                ["failedAt"] = e.FailedAt.ToString("o"),
                ["attempts"] = e.Attempts,
                ["input"] = e.Input?.DeepClone(),
            });
        }
        var root = new JsonObject { ["version"] = 1, ["entries"] = array };
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temp = _path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
        if (File.Exists(_path)) File.Replace(temp, _path, null); else File.Move(temp, _path);
    }
}

/// <summary>One failed record waiting for -RetryFailed.</summary>
public sealed record JournalEntry(string Key, string Database, string Error, string? ErrorId, DateTimeOffset FailedAt, int Attempts, JsonNode? Input);
