using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.Unattended;

/// <summary>
/// The log of one unattended run (Invoke-OberaConnectJob, the job scripts): one file per run,
/// <c>OberaConnectJob-yyyyMMdd-HHmmss-&lt;pid&gt;.log</c> in paths.logDirectory, one line per event
/// (<c>2026-03-01 02:30:00Z RECORD FAILED ...</c>), written through as it happens so a run that is killed still
/// leaves what it did. Every line is also handed to an echo (the host, which NinjaOne and a transcript capture).
/// Lines never hold a line break: a message is one line, so a failed record is one line. Messages come from the
/// engine's errors, which never carry secrets; parameter values are never logged, only their names.
/// A folder that cannot be written costs the file, never the run: <see cref="Problem"/> says why, and the echo
/// still gets every line.
/// </summary>
public sealed class JobRunLog : IDisposable
{
    /// <summary>Start of every run log's file name (what opening a log deletes once older than the retention).</summary>
    public const string FilePrefix = "OberaConnectJob-";

    private readonly Action<string>? _echo;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private StreamWriter? _writer;

    private JobRunLog(Action<string>? echo, TimeProvider time)
    {
        _echo = echo;
        _time = time;
    }

    /// <summary>The file of this run, or null when none could be written (see <see cref="Problem"/>).</summary>
    public string? FilePath { get; private set; }

    /// <summary>Why there is no file, for a warning line; null when there is one (or none was asked for).</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Opens this run's file in <paramref name="directory"/> (created when missing) after deleting run logs there
    /// older than <paramref name="keepDays"/> days. A null directory writes only to <paramref name="echo"/>.
    /// </summary>
    public static JobRunLog Open(string? directory, int keepDays, Action<string>? echo) => Open(directory, keepDays, echo, TimeProvider.System, null);

    /// <summary>
    /// Opens the run log on a given clock and process id (tests). A separate
    /// overload: the other keeps TimeProvider out of the cmdlet assembly's references (see the module's dependency isolation).
    /// </summary>
    public static JobRunLog Open(string? directory, int keepDays, Action<string>? echo, TimeProvider time, int? processId)
    {
        var log = new JobRunLog(echo, time ?? TimeProvider.System);
        if (string.IsNullOrWhiteSpace(directory)) return log;
        var now = log._time.GetUtcNow();
        try
        {
            var full = Path.GetFullPath(directory!.Trim());
            Directory.CreateDirectory(full);
            DeleteOld(full, now.UtcDateTime.AddDays(-Math.Max(1, keepDays)));
            var pid = processId ?? System.Diagnostics.Process.GetCurrentProcess().Id;
            var path = Path.Combine(full, string.Format(CultureInfo.InvariantCulture, "{0}{1:yyyyMMdd-HHmmss}-{2}.log", FilePrefix, now.UtcDateTime, pid));
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            log._writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = Environment.NewLine };
            log.FilePath = path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            log.Problem = $"no run log in '{directory}': {ex.Message.TrimEnd('.')}. Set paths.logDirectory in the configuration (or -LogDirectory, or the " +
                          $"{Configuration.ConfigurationLocations.LogDirectoryVariable} environment variable) to a folder this account can write to.";
        }
        return log;
    }

    /// <summary>
    /// Where a run's log goes when the caller names no folder: paths.logDirectory of the configuration the jobs use
    /// (<paramref name="configPath"/>, or the default file), else the default log folder (<see cref="Operations.LogLocation"/>)
    /// when that configuration does not load: the run log must be written even then, it is what says why.
    /// </summary>
    public static string DefaultDirectory(string? configPath, Configuration.ISystemEnvironment? environment = null)
    {
        try
        {
            var location = Configuration.ConfigurationLocations.Resolve(configPath, environment ?? Configuration.SystemEnvironment.Instance);
            if (location.Exists) return Configuration.ConfigurationFile.Load(configPath, environment).Paths.LogDirectory!;
        }
        catch (OberaConnectException)
        {
            // Falls through to the default below; the health check reports what is wrong with the file.
        }
        return Operations.LogLocation.Default(environment);
    }

    /// <summary>Writes one line: the time (UTC), <paramref name="kind"/> (START, HEALTH, RECORD FAILED, DONE...) and the text on one line.</summary>
    public void Write(string kind, string text)
    {
        var line = string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd HH:mm:ss}Z {1} {2}", _time.GetUtcNow().UtcDateTime, kind, OneLine(text));
        lock (_gate)
        {
            if (_writer != null)
            {
                try
                {
                    _writer.WriteLine(line);
                }
                catch (IOException ex)
                {
                    // A full disk must not stop the run: say so once, then only echo.
                    Problem = $"the run log {FilePath} could not be written any more: {ex.Message}";
                    _writer.Dispose();
                    _writer = null;
                    _echo?.Invoke(line);
                    _echo?.Invoke(string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd HH:mm:ss}Z WARNING {1}", _time.GetUtcNow().UtcDateTime, Problem));
                    return;
                }
            }
        }
        _echo?.Invoke(line);
    }

    /// <summary>Several lines under one kind (a stack trace of an unexpected error): each its own line.</summary>
    public void WriteLines(string kind, string text)
    {
        foreach (var part in (text ?? "").Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.RemoveEmptyEntries))
            Write(kind, part.Trim());
    }

    /// <summary>The text with line breaks and tabs turned into spaces, so one event is one line.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text!.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\t')
            {
                if (!space && sb.Length > 0) sb.Append(' ');
                space = true;
                continue;
            }
            sb.Append(c);
            space = c == ' ';
        }
        return sb.ToString().TrimEnd();
    }

    private static void DeleteOld(string directory, DateTime olderThanUtc)
    {
        foreach (var file in Directory.EnumerateFiles(directory, FilePrefix + "*.log"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < olderThanUtc) File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run's open log, or one this account may not delete: it goes next time.
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
