using System.Globalization;
using System.Text.Json;

namespace OberaConnect.Engine.Operations;

/// <summary>A write an earlier run announced (an <see cref="AuditOutcome.Intended"/> line) whose outcome was never recorded.</summary>
public sealed record PendingIntent(string CorrelationId, string? Command, string Database, string Key, string? Action, DateTimeOffset Timestamp, string? Host, int ProcessId);

/// <summary>
/// Reads the audit log back for the write-ahead intents that have no outcome line (same correlation id and key): what a
/// process killed mid-request leaves. An intent counts as pending only once its run cannot still be writing it: the run
/// wrote its own end line, or its process (on this machine) is gone. Runs of other machines are left to themselves until
/// they are a day old. Only the last <see cref="Days"/> days of files are read, so the check stays cheap.
/// </summary>
public static class AuditIntents
{
    /// <summary>How many days of audit files are searched for intents without an outcome.</summary>
    public const int Days = 8;

    /// <summary>
    /// The pending intents of <paramref name="database"/> in the audit folder <paramref name="directory"/>, oldest first, as of
    /// <paramref name="now"/>. <paramref name="isRunning"/> tells whether a process id on this machine is still running (by
    /// default, asked of the OS); the current process's own runs are pending only once they ended.
    /// </summary>
    public static IReadOnlyList<PendingIntent> Pending(string directory, string database, DateTimeOffset now, Func<int, bool>? isRunning = null)
    {
        if (!Directory.Exists(directory)) return Array.Empty<PendingIntent>();
        isRunning ??= IsRunning;
        var intents = new Dictionary<string, PendingIntent>(StringComparer.Ordinal);
        var settled = new HashSet<string>(StringComparer.Ordinal);
        var ended = new HashSet<string>(StringComparer.Ordinal);
        var oldest = now.UtcDateTime.Date.AddDays(-Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var files = Directory.EnumerateFiles(directory, "audit-*.jsonl")
            .Where(f => string.CompareOrdinal(Path.GetFileName(f).Substring(6, Math.Min(10, Path.GetFileName(f).Length - 6)), oldest) >= 0)
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var line in ReadLines(file))
            {
                if (!TryParse(line, out var entry)) continue;
                if (entry.Key is null)
                {
                    // A run's own line: its end (Completed, Failed, Stopped) means nothing of it is still in flight.
                    if (entry.Outcome is "Completed" or "Failed" or "Stopped") ended.Add(entry.CorrelationId);
                    continue;
                }
                var id = entry.CorrelationId + "\u001f" + entry.Database + "\u001f" + entry.Key;
                if (entry.Outcome == nameof(AuditOutcome.Intended))
                {
                    if (entry.Database == database && !settled.Contains(id))
                        intents[id] = new PendingIntent(entry.CorrelationId, entry.Command, entry.Database, entry.Key, entry.Message, entry.Timestamp, entry.Host, entry.ProcessId);
                }
                else
                {
                    settled.Add(id);
                    intents.Remove(id);
                }
            }
        }
        var host = Environment.MachineName;
        int self;
        using (var process = System.Diagnostics.Process.GetCurrentProcess()) self = process.Id;
        return intents.Values
            .Where(i => ended.Contains(i.CorrelationId)
                        || (string.Equals(i.Host, host, StringComparison.OrdinalIgnoreCase) ? i.ProcessId != self && !isRunning(i.ProcessId) : now - i.Timestamp > TimeSpan.FromDays(1)))
            .OrderBy(i => i.Timestamp)
            .ToList();
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        List<string> lines = new();
        try
        {
            // Other processes may be appending: share everything, and skip a half-written last line (it fails to parse).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            string? line;
            while ((line = reader.ReadLine()) != null) lines.Add(line);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return lines;
    }

    private static bool TryParse(string line, out Line entry)
    {
        entry = default;
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{') return false;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var correlation = Text("correlationId");
            var outcome = Text("outcome");
            if (correlation is null || outcome is null) return false;
            DateTimeOffset.TryParse(Text("timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp);
            var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n : 0;
            entry = new Line(correlation, Text("command"), Text("database") ?? "", Text("key"), outcome, Text("message"), timestamp, Text("host"), pid);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private readonly record struct Line(string CorrelationId, string? Command, string Database, string? Key, string Outcome, string? Message, DateTimeOffset Timestamp, string? Host, int ProcessId);
}
