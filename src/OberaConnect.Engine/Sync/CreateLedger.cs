using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Lets the runs of one machine take turns at "check the key, then create its page" in one data source, so two jobs
/// started together never both create the same key. Notion has no unique constraint, and its query index can lag a
/// create, so asking Notion again is not enough: the runs keep a ledger of the pages they created, in the state
/// directory, and hold a lock while they check it and create.
/// <list type="bullet">
/// <item>The lock is the ledger file itself, opened with no sharing (<see cref="CrossProcessFileLock.AcquireFileAsync"/>): the
/// OS releases it when its process ends, killed or not, so no run is ever left waiting for a dead one.</item>
/// <item>While it holds the lock a run reads the entries written since its last look, creates only when none names its
/// key, and appends its new page (id, time, owned values) before letting go. A run that finds its key there plans
/// against that page instead: nothing to write, or an update of what differs, with no request to look it up.</item>
/// <item>Only entries from shortly before the run read its index count (<see cref="Slack"/>): older pages are in that
/// read, which stays the authority (a page a person trashed since is not taken for present).</item>
/// <item>Waiting is reported (progress and -Verbose, naming the run that holds the lock from the <c>.holder</c> file next
/// to the ledger) and bounded: past the timeout the record fails with WriteLockTimeout, saying who holds it and what to do.</item>
/// </list>
/// The files are named by a hash of the data source id. Runs on other machines (or with another state directory) do
/// not see this ledger: the confirmation after each create (<see cref="CreateConfirmation"/>) settles those.
/// </summary>
internal sealed class CreateLedger
{
    /// <summary>Entries from this long before the index read still count: Notion's query index may not have shown them.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Past this size, and past twice what the last rewrite kept (the header says), the holder rewrites the ledger with the
    /// last day's entries. The doubling keeps a busy day's ledger (a first sync of thousands of sites) from being rewritten,
    /// and read whole again by every run, at each create once the day's entries alone pass this size.
    /// </summary>
    internal long PruneBytes { get; init; } = 4 * 1024 * 1024;

    private static readonly TimeSpan Keep = TimeSpan.FromDays(1);

    private readonly Dictionary<string, LedgerEntry> _seen = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _since;
    private string? _generation;
    private long _offset;
    // Bytes of entries the last rewrite kept, from the header.
    private long _kept;

    public CreateLedger(string stateDirectory, string dataSourceId, string database, DateTimeOffset indexReadAt)
    {
        var folder = Path.Combine(Path.GetFullPath(stateDirectory), "writers");
        // One file per data source however its id is spelled (dashed or not).
        var name = "creates-" + Sources.SourceHttp.Fingerprint(NotionId.TryParse(dataSourceId, out var id) ? id.Value : dataSourceId.Trim().ToLowerInvariant());
        FilePath = Path.Combine(folder, name + ".ledger");
        HolderPath = Path.Combine(folder, name + ".holder");
        Database = database;
        _since = indexReadAt - Slack;
    }

    /// <summary>The ledger, which is also the lock.</summary>
    public string FilePath { get; }

    /// <summary>Who holds the lock (process, operation, since), for the messages of those waiting.</summary>
    public string HolderPath { get; }

    /// <summary>The database as people name it, for messages.</summary>
    public string Database { get; }

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="timeout"/> and reporting a wait of a second or more through the run's output
    /// (progress each second, and one -Verbose line naming the holder); throws WriteLockTimeout past it.
    /// </summary>
    public async Task<Hold> AcquireAsync(SyncRun run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var reportedAt = TimeSpan.Zero;
        var told = false;
        void Waiting(TimeSpan waited)
        {
            if (waited - reportedAt < TimeSpan.FromSeconds(1)) return;
            reportedAt = waited;
            var holder = Holder();
            run.Output.Progress(new ProgressUpdate(ProgressId, $"Waiting for another run to create pages in {Database}",
                $"{holder}; waited {waited.TotalSeconds:0} s of {timeout.TotalSeconds:0} s"));
            if (!told)
            {
                told = true;
                run.Output.Verbose($"{Database}: waiting for the write lock {FilePath}: {holder} is creating pages in this database, and runs on this machine take turns so none creates a page twice.");
            }
        }
        LockedFile file;
        try
        {
            file = await CrossProcessFileLock.AcquireFileAsync(FilePath, run.Time, timeout, Waiting, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new OberaConnectException("WriteLockTimeout", FailureKind.Timeout,
                $"{Database}: waited {timeout.TotalSeconds:0} s for the write lock that lets one run at a time on this machine create pages in it ({FilePath}); " +
                $"{Holder()} still holds it. That run is still going (a lock is released as soon as its process ends, even when it is killed): " +
                "let it finish or stop it, or raise notion.writeLockTimeoutSeconds. Nothing was written for this record: run it again (-RetryFailed) when the other run is done.", ex);
        }
        finally
        {
            if (reportedAt > TimeSpan.Zero) run.Output.Progress(new ProgressUpdate(ProgressId, $"Waiting for another run to create pages in {Database}", "", Completed: true));
        }
        try
        {
            WriteHolder(run);
            return new Hold(this, file, run);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Progress id of the wait for the lock.</summary>
    public const int ProgressId = 5;

    /// <summary>"process 1234 (Add-DailyHealthSnapshot on HOST, since 10:00:01 UTC)", or "another run" when the holder file says nothing.</summary>
    private string Holder()
    {
        try
        {
            using var stream = new FileStream(HolderPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var node = JsonNode.Parse(reader.ReadToEnd());
            var since = DateTimeOffset.TryParse((string?)node?["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? $", since {t.UtcDateTime:HH:mm:ss} UTC" : "";
            return $"process {(int?)node?["process"]} ({(string?)node?["operation"]} on {(string?)node?["host"]}{since})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return "another run";
        }
    }

    private void WriteHolder(SyncRun run)
    {
        var text = new JsonObject
        {
            ["process"] = CurrentProcessId,
            ["host"] = Environment.MachineName,
            ["operation"] = run.Operation,
            ["run"] = run.CorrelationId,
            ["since"] = run.Time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
        }.ToJsonString();
        try
        {
            File.WriteAllText(HolderPath, text, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the wording of a waiter's message depends on it.
        }
    }

    private static readonly int CurrentProcessId = Process.GetCurrentProcess().Id;

    /// <summary>The lock, held: look up keys, record new pages, then dispose.</summary>
    public sealed class Hold : IDisposable
    {
        private readonly CreateLedger _ledger;
        private readonly LockedFile _file;
        private readonly SyncRun _run;

        internal Hold(CreateLedger ledger, LockedFile file, SyncRun run)
        {
            _ledger = ledger;
            _file = file;
            _run = run;
            ledger.ReadNew(file.Stream);
        }

        /// <summary>The page another run (or this one) created for <paramref name="identity"/> since shortly before the index read, or null.</summary>
        public LedgerEntry? Find(string identity) => _ledger._seen.TryGetValue(identity, out var e) ? e : null;

        /// <summary>Records the page now holding <paramref name="identity"/>.</summary>
        public void Record(string identity, IndexedPage page)
        {
            var entry = new LedgerEntry(identity, page, _run.Time.GetUtcNow(), _run.Operation, CurrentProcessId);
            _ledger.Append(_file.Stream, entry, _run.Time.GetUtcNow());
            _ledger._seen[identity] = entry;
        }

        public void Dispose() => _file.Dispose();
    }

    private void ReadNew(FileStream stream)
    {
        stream.Position = 0;
        var header = ReadLine(stream);
        var generation = Generation(header, out _kept);
        if (generation is null || generation != _generation || _offset > stream.Length)
        {
            // A new ledger, or one pruned since the last look: read it whole.
            _generation = generation;
            _offset = stream.Position;
        }
        stream.Position = _offset;
        var bytes = new byte[stream.Length - _offset];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0) break;
            read += n;
        }
        // Only whole lines: a line a killed writer cut short is skipped once the next writer ends it.
        if (read == 0) return;
        var end = Array.LastIndexOf(bytes, (byte)'\n', read - 1);
        if (end < 0) return;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end + 1).Split('\n'))
            if (LedgerEntry.Parse(line) is { } entry && entry.At >= _since)
                _seen[entry.Identity] = entry;
        _offset += end + 1;
    }

    private void Append(FileStream stream, LedgerEntry entry, DateTimeOffset now)
    {
        if (stream.Length == 0 || _generation is null || stream.Length > Math.Max(PruneBytes, 2 * _kept))
        {
            // Start the ledger, or rewrite it with the last day's entries (a new generation makes readers read it whole).
            var kept = stream.Length == 0 ? new List<string>() : KeptLines(stream, now);
            _generation = Guid.NewGuid().ToString("N");
            var entries = new StringBuilder();
            foreach (var line in kept) entries.Append(line).Append('\n');
            var body = Encoding.UTF8.GetBytes(entries.ToString());
            _kept = body.Length;
            var head = Encoding.UTF8.GetBytes(new JsonObject { ["ledger"] = 1, ["generation"] = _generation, ["kept"] = _kept }.ToJsonString() + "\n");
            var bytes = head.Concat(body).ToArray();
            stream.Position = 0;
            stream.Write(bytes, 0, bytes.Length);
            stream.SetLength(bytes.Length);
            _offset = bytes.Length;
        }
        stream.Position = stream.Length;
        if (stream.Length > 0)
        {
            // A writer killed mid-line left no line end: end that line so this entry starts a line of its own.
            stream.Position = stream.Length - 1;
            var last = stream.ReadByte();
            if (last != '\n') stream.WriteByte((byte)'\n');
        }
        var entryBytes = Encoding.UTF8.GetBytes(entry.ToJson() + "\n");
        stream.Write(entryBytes, 0, entryBytes.Length);
        stream.Flush();
        _offset = stream.Length;
    }

    private static List<string> KeptLines(FileStream stream, DateTimeOffset now)
    {
        stream.Position = 0;
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 4096, leaveOpen: true);
        var lines = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) != null)
            if (LedgerEntry.Parse(line) is { } e && e.At >= now - Keep) lines.Add(line);
        return lines;
    }

    private static string ReadLine(FileStream stream)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n') bytes.Add((byte)b);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The generation a header names (null for no ledger header) and the bytes of entries its rewrite kept.</summary>
    private static string? Generation(string header, out long kept)
    {
        kept = 0;
        try
        {
            if (JsonNode.Parse(header) is not JsonObject o || (int?)o["ledger"] != 1) return null;
            kept = (long?)o["kept"] ?? 0;
            return (string?)o["generation"];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>One page a run created, as the ledger keeps it: enough to plan against it without reading it from Notion.</summary>
internal sealed class LedgerEntry
{
    internal LedgerEntry(string identity, IndexedPage page, DateTimeOffset at, string operation, int process)
    {
        Identity = identity;
        Page = page;
        At = at;
        Operation = operation;
        Process = process;
    }

    public string Identity { get; }
    public IndexedPage Page { get; }
    public DateTimeOffset At { get; }
    public string Operation { get; }
    public int Process { get; }

    /// <summary>"Add-DailyHealthSnapshot (process 1234)": who created it, for results.</summary>
    public string Writer => $"{Operation} (process {Process})";

    public string ToJson()
    {
        var values = new JsonObject();
        foreach (var kv in Page.Values) values[kv.Key] = kv.Value.ToJson();
        return new JsonObject
        {
            ["at"] = At.ToString("o", CultureInfo.InvariantCulture),
            ["identity"] = Identity,
            ["key"] = Page.Key,
            ["page"] = Page.Id,
            ["url"] = Page.Url,
            ["created"] = Page.CreatedTime.ToString("o", CultureInfo.InvariantCulture),
            ["edited"] = Page.LastEditedTime.ToString("o", CultureInfo.InvariantCulture),
            ["operation"] = Operation,
            ["process"] = Process,
            ["values"] = values,
        }.ToJsonString();
    }

    /// <summary>An entry from one ledger line, or null for anything else (the header, a cut or foreign line).</summary>
    public static LedgerEntry? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.IndexOf("\"identity\"", StringComparison.Ordinal) < 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object) return null;
            string? Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            DateTimeOffset Time(string name) => DateTimeOffset.Parse(Str(name) ?? throw new FormatException(name + " is missing"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var values = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
            if (e.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Object)
                foreach (var p in v.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Object) values[p.Name] = PropertyValue.Parse(p.Value);
            var page = new IndexedPage(Str("page") ?? throw new FormatException("page is missing"), Str("url"), Str("key") ?? "",
                Time("created"), Time("edited"), values);
            var process = e.TryGetProperty("process", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : 0;
            return new LedgerEntry(Str("identity") ?? throw new FormatException("identity is missing"), page, Time("at"), Str("operation") ?? "another run", process);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
