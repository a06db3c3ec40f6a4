using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Failed records of a sync, kept on disk so <c>-RetryFailed</c> re-runs exactly those. One file per
/// operation in the journal directory. A record is stored with its input (as JSON, without secrets:
/// inputs are source data, never credentials) and removed once it syncs; the file is rewritten
/// atomically, so a crash never leaves half a journal.
/// Only failures a retry can fix are kept (<see cref="IsRetryable"/>): input that failed validation fails
/// the same way every time, so it is reported and never journaled. Entries are identified by database and
/// key as the syncs compare keys (trimmed, any case); a failure without a key by its input, so two
/// different inputs never overwrite each other.
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
    /// Records the outcome of a run: failed keys a retry can fix are added (or their attempt count raised), keys
    /// that ended in any other state, or failed for good (invalid input), are removed. Keys the run did not
    /// touch, and records it skipped, stay as they were.
    /// </summary>
    public void Apply(IEnumerable<SyncResult> results, Func<SyncResult, JsonNode?> serializeInput, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        lock (_gate)
        {
            var entries = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            foreach (var e in Read()) entries[IdentityOf(e.Database, e.Key, e.Input)] = e;
            var changed = false;
            foreach (var r in results)
            {
                if (r.StatusValue == SyncStatus.Skipped) continue;
                var retry = r.StatusValue == SyncStatus.Failed && IsRetryable(r);
                var input = retry || string.IsNullOrWhiteSpace(r.Key) ? serializeInput(r) : null;
                var id = IdentityOf(r.Database, r.Key, input);
                if (retry)
                {
                    var attempts = entries.TryGetValue(id, out var old) ? old.Attempts + 1 : 1;
                    entries[id] = new JournalEntry(r.Key, r.Database, r.Error ?? "", r.ErrorId, now, attempts, input);
                    changed = true;
                }
                else if (entries.Remove(id))
                {
                    changed = true;
                }
            }
            if (changed) Write(entries.Values.OrderBy(e => e.FailedAt).ToList());
        }
    }

    /// <summary>
    /// True when running the record again may succeed: anything but input the module's own validation refused before
    /// sending it (a missing or malformed value fails the same way on every retry; the person fixing the input reruns it).
    /// A record Notion itself refused is retryable: its cause may be the workspace (a property or option removed, which
    /// Test-NotionSchema -Repair puts back), as are outages, limits and a site not yet in Customer Sites.
    /// </summary>
    public static bool IsRetryable(SyncResult result)
        => result is not null && result.StatusValue == SyncStatus.Failed
           && !(result.Exception is OberaConnectException { Kind: FailureKind.InvalidInput } and not Notion.NotionApiException);

    // A key names one record (compared as the syncs compare keys: a site name by the site-name rule); without one, the input itself does.
    private static string IdentityOf(string database, string key, JsonNode? input)
    {
        if (!string.IsNullOrWhiteSpace(key)) return database + "\u001fkey\u001f" + SyncTable.IdentityOf(database, SyncTable.SiteNameProperty, key);
        var text = input?.ToJsonString() ?? "";
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return database + "\u001finput\u001f" + Convert.ToBase64String(hash);
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
