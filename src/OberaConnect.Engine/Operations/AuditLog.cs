using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Operations;

/// <summary>What happened to one item or step, as the audit log records it.</summary>
public enum AuditOutcome
{
    /// <summary>An invocation began (one per cmdlet run, with its correlation id).</summary>
    Started,
    /// <summary>An invocation ended; duration and requests are the totals.</summary>
    Completed,
    Created,
    Updated,
    /// <summary>Compared and found equal: nothing written.</summary>
    Unchanged,
    /// <summary>Not processed on purpose (filtered, -WhatIf, invalid input reported separately).</summary>
    Skipped,
    /// <summary>Moved to the Notion trash.</summary>
    Archived,
    Deleted,
    /// <summary>A step without a more specific outcome succeeded (a secret was read, a health check ran).</summary>
    Succeeded,
    Failed,
    /// <summary>
    /// Write-ahead: a write is about to be sent. Its outcome follows in a line with the same correlation id and key; an intent
    /// without one means the process died mid-request, and the next run of the same database writes a <see cref="Reconciled"/> line.
    /// </summary>
    Intended,
    /// <summary>An invocation was stopped before its end (Ctrl+C, a terminating error); its lines say what it did until then.</summary>
    Stopped,
    /// <summary>The outcome of an earlier run's intent, found out afterwards (that run was killed before it could record it).</summary>
    Reconciled,
}

/// <summary>One audit record. The log fills in the timestamp; an <see cref="AuditInvocation"/> fills in the correlation id and command.</summary>
public sealed record AuditEntry
{
    /// <summary>What was done: "Sync-OberaCustomerStatus", "page.update", "secret.read".</summary>
    public required string Operation { get; init; }
    public required AuditOutcome Outcome { get; init; }
    /// <summary>Notion database (or other target) name.</summary>
    public string? Database { get; init; }
    /// <summary>The item's natural key: site name, device MAC, secret name (never a secret value).</summary>
    public string? Key { get; init; }
    public TimeSpan? Duration { get; init; }
    /// <summary>HTTP requests made for this item or step.</summary>
    public long? Requests { get; init; }
    /// <summary>The stable ErrorId of a failure.</summary>
    public string? ErrorId { get; init; }
    /// <summary>Free text; passed through the redactor before it is written.</summary>
    public string? Message { get; init; }
    public string? CorrelationId { get; init; }
    public string? Command { get; init; }
    /// <summary>Set by the log from its clock when left empty.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>An entry for a failure, taking ErrorId and message from an engine exception.</summary>
    public static AuditEntry ForFailure(string operation, Exception error, string? database = null, string? key = null, TimeSpan? duration = null, long? requests = null)
        => new()
        {
            Operation = operation, Outcome = AuditOutcome.Failed, Database = database, Key = key, Duration = duration, Requests = requests,
            ErrorId = (error as OberaConnectException)?.ErrorId ?? error.GetType().Name, Message = error.Message,
        };
}

/// <summary>Where and how the audit log is written.</summary>
public sealed class AuditLogOptions
{
    /// <summary>Folder of the log files; null uses <see cref="LogLocation.Default"/>.</summary>
    public string? Directory { get; set; }

    /// <summary>A day's file is continued in audit-DATE.1.jsonl, .2 ... once it reaches this size.</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files of days older than this many days are deleted; 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How long a writer waits for another process to finish its line.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The audit log could not be written (folder not writable, disk full, lock never freed).</summary>
public sealed class AuditLogException : OberaConnectException
{
    public AuditLogException(string directory, string reason, Exception? inner = null)
        : base("AuditLogWriteFailed", FailureKind.Configuration,
            $"The audit log in '{directory}' could not be written: {reason} Set paths.auditDirectory in the configuration (without a configuration: the {LogLocation.EnvironmentVariable} environment variable) to a folder this account can write to.", inner)
    {
        Directory = directory;
    }

    public string Directory { get; }
}

/// <summary>
/// The audit trail as JSON lines: one object per line with timestamp (UTC), correlation id, command,
/// operation, database, key, outcome, duration, requests, error id and message (redacted), host and process
/// id. One file per UTC day, <c>audit-2026-11-22.jsonl</c>; when it reaches <see cref="AuditLogOptions.MaxFileBytes"/>
/// the day continues in <c>audit-2026-11-22.1.jsonl</c>, <c>.2</c>... (files are never renamed, so a reader
/// holding one open is never disturbed). Days older than the retention are deleted. Several processes may
/// write at once: each line is appended under a machine-wide lock (<c>.audit.lock</c> in the folder), so
/// lines never interleave or break.
/// </summary>
public sealed class AuditLog
{
    private static readonly Regex FileName = new(@"^audit-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl$", RegexOptions.CultureInvariant);
    // Readable accents and quotes in a file people grep; control characters are still escaped.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AuditLogOptions _options;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly string _lockPath;
    private readonly string _host;
    private readonly int _processId;
    private readonly object _state = new();
    private string? _currentDay;
    private int _currentSegment;

    public AuditLog(AuditLogOptions? options, SecretRedactor redactor, TimeProvider? time = null, ISystemEnvironment? environment = null)
    {
        _options = options ?? new AuditLogOptions();
        if (_options.MaxFileBytes < 1024) throw new ArgumentOutOfRangeException(nameof(options), "MaxFileBytes must be at least 1024.");
        if (_options.RetentionDays < 0) throw new ArgumentOutOfRangeException(nameof(options), "RetentionDays must be 0 (keep all) or more.");
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
        _time = time ?? TimeProvider.System;
        Directory = Path.GetFullPath(string.IsNullOrWhiteSpace(_options.Directory) ? LogLocation.Default(environment) : _options.Directory!);
        _lockPath = Path.Combine(Directory, ".audit.lock");
        _host = Environment.MachineName;
        using (var process = System.Diagnostics.Process.GetCurrentProcess()) _processId = process.Id;
    }

    /// <summary>The folder written to.</summary>
    public string Directory { get; }

    /// <summary>Starts the records of one cmdlet invocation under a new correlation id.</summary>
    public AuditInvocation BeginInvocation(string command) => new(this, command, Guid.NewGuid().ToString("N"));

    /// <summary>Starts the records of one cmdlet invocation under its own correlation id (the one its errors and results carry).</summary>
    public AuditInvocation BeginInvocation(string command, string correlationId)
        => new(this, command, string.IsNullOrWhiteSpace(correlationId) ? Guid.NewGuid().ToString("N") : correlationId);

    /// <summary>Appends one record. Throws <see cref="AuditLogException"/> when the folder cannot be written.</summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        var now = _time.GetUtcNow();
        var line = Serialize(entry, entry.Timestamp ?? now);
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        bool newDay;
        lock (_state)
        {
            newDay = _currentDay != day;
            if (newDay) { _currentDay = day; _currentSegment = 0; }
        }

        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (await CrossProcessFileLock.AcquireAsync(_lockPath, _time, _options.LockTimeout, cancellationToken).ConfigureAwait(false))
            {
                Append(day, line);
            }
        }
        catch (IOException ex)
        {
            throw new AuditLogException(Directory, ex is DirectoryNotFoundException ? "the folder does not exist and could not be created." : $"{ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AuditLogException(Directory, "access was denied.", ex);
        }

        if (newDay) ApplyRetention();
    }

    /// <summary>Deletes the files of days older than the retention; returns their names. Files in use are left for next time.</summary>
    public IReadOnlyList<string> ApplyRetention()
    {
        var deleted = new List<string>();
        if (_options.RetentionDays == 0 || !System.IO.Directory.Exists(Directory)) return deleted;
        var oldestKept = _time.GetUtcNow().UtcDateTime.Date.AddDays(-_options.RetentionDays);
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "audit-*.jsonl"))
        {
            var name = Path.GetFileName(path);
            var match = FileName.Match(name);
            if (!match.Success) continue;
            if (!DateTime.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)) continue;
            if (date >= oldestKept) continue;
            try
            {
                File.Delete(path);
                deleted.Add(name);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    private void Append(string day, byte[] line)
    {
        int segment;
        lock (_state) segment = _currentDay == day ? _currentSegment : 0;
        // Another process may have moved on to a later segment: walk forward to the first with room.
        while (true)
        {
            var path = Path.Combine(Directory, SegmentName(day, segment));
            var info = new FileInfo(path);
            if (!info.Exists || info.Length == 0 || info.Length + line.Length <= _options.MaxFileBytes) break;
            segment++;
        }
        lock (_state) if (_currentDay == day) _currentSegment = segment;

        var file = Path.Combine(Directory, SegmentName(day, segment));
        using var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (length > 0)
        {
            // A writer killed mid-line leaves no newline: start on a fresh line so ours stays parseable.
            stream.Seek(length - 1, SeekOrigin.Begin);
            if (stream.ReadByte() != '\n') stream.WriteByte((byte)'\n');
        }
        stream.Seek(0, SeekOrigin.End);
        stream.Write(line, 0, line.Length);
        stream.Flush();
    }

    private static string SegmentName(string day, int segment)
        => "audit-" + day + (segment == 0 ? "" : "." + segment.ToString(CultureInfo.InvariantCulture)) + ".jsonl";

    private byte[] Serialize(AuditEntry entry, DateTimeOffset timestamp)
    {
        var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            WriteText(json, "correlationId", entry.CorrelationId, 64);
            WriteText(json, "command", entry.Command, 200);
            WriteText(json, "operation", entry.Operation, 200);
            WriteText(json, "database", entry.Database, 200);
            WriteText(json, "key", entry.Key, 500);
            json.WriteString("outcome", entry.Outcome.ToString());
            if (entry.Duration is { } d) json.WriteNumber("durationMs", Math.Round(d.TotalMilliseconds, 1)); else json.WriteNull("durationMs");
            if (entry.Requests is { } r) json.WriteNumber("requests", r); else json.WriteNull("requests");
            WriteText(json, "errorId", entry.ErrorId, 200);
            WriteText(json, "message", entry.Message, 4000);
            json.WriteString("host", _host);
            json.WriteNumber("pid", _processId);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private void WriteText(Utf8JsonWriter json, string name, string? value, int max)
    {
        if (value is null) { json.WriteNull(name); return; }
        var text = _redactor.Redact(value);
        if (text.Length > max) text = text.Substring(0, max) + "…";
        json.WriteString(name, text);
    }
}

/// <summary>The records of one cmdlet invocation: they share its correlation id and command name.</summary>
public sealed class AuditInvocation
{
    private readonly AuditLog _log;

    internal AuditInvocation(AuditLog log, string command, string correlationId)
    {
        _log = log;
        Command = command;
        CorrelationId = correlationId;
    }

    /// <summary>Correlation id written on every record of this invocation (also worth putting in -Verbose output).</summary>
    public string CorrelationId { get; }

    public string Command { get; }

    /// <summary>Writes <paramref name="entry"/> with this invocation's correlation id and command.</summary>
    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
        => _log.WriteAsync(entry with { CorrelationId = CorrelationId, Command = Command }, cancellationToken);
}
