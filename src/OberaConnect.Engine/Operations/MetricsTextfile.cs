using System.Globalization;
using System.Text;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// What one run adds to the metrics: counters are added to the values already in the file, gauges replace
/// them. Only what is recorded here changes; other operations, services and components keep their values.
/// </summary>
public sealed class MetricsUpdate
{
    internal readonly Dictionary<(string Family, string Label), double> Values = new();

    /// <summary>
    /// One sync run of <paramref name="operation"/> ("customer_status", "daily_health"...): sync_total + 1;
    /// sync_errors + 1 unless it <paramref name="succeeded"/> (no failed item, no fatal error); on success the
    /// last-success timestamp becomes <paramref name="finishedAt"/>.
    /// </summary>
    public MetricsUpdate RecordSyncRun(string operation, bool succeeded, DateTimeOffset finishedAt)
    {
        Require(operation, nameof(operation));
        Add(MetricFamilies.SyncTotal, operation, 1);
        Add(MetricFamilies.SyncErrors, operation, succeeded ? 0 : 1);
        if (succeeded) Values[(MetricFamilies.LastSuccess.Name, operation)] = finishedAt.ToUnixTimeMilliseconds() / 1000.0;
        return this;
    }

    /// <summary>Requests sent to <paramref name="service"/> and how many were answered 429, during this run.</summary>
    public MetricsUpdate RecordRequests(string service, long requests, long rateLimited)
    {
        Require(service, nameof(service));
        if (requests < 0 || rateLimited < 0) throw new ArgumentOutOfRangeException(nameof(requests), "Counts cannot be negative.");
        Add(MetricFamilies.RequestsTotal, service, requests);
        Add(MetricFamilies.RateLimitedTotal, service, rateLimited);
        return this;
    }

    /// <summary>The requests of a pipeline during this run: its statistics now minus a snapshot taken at the start.</summary>
    public MetricsUpdate RecordRequests(string service, HttpStatisticsSnapshot delta) => RecordRequests(service, delta.Requests, delta.RateLimited);

    /// <summary>The requests of every service a run called (<see cref="RequestTally.SinceStart"/>).</summary>
    public MetricsUpdate RecordRequests(IReadOnlyDictionary<string, HttpStatisticsSnapshot> perService)
    {
        if (perService is null) throw new ArgumentNullException(nameof(perService));
        foreach (var pair in perService) RecordRequests(pair.Key, pair.Value);
        return this;
    }

    /// <summary>A component's health: healthy = 1 unless Unhealthy (Degraded still works), and its latency.</summary>
    public MetricsUpdate RecordComponent(string component, HealthStatus status, TimeSpan latency)
    {
        Require(component, nameof(component));
        Values[(MetricFamilies.ComponentHealthy.Name, component)] = status == HealthStatus.Unhealthy ? 0 : 1;
        Values[(MetricFamilies.ComponentLatency.Name, component)] = Math.Round(latency.TotalMilliseconds, 1);
        return this;
    }

    /// <summary>Every component of a health check, and oberaconnect_healthy (1 when operational).</summary>
    public MetricsUpdate RecordHealth(HealthReport report)
    {
        if (report is null) throw new ArgumentNullException(nameof(report));
        foreach (var c in report.Components) RecordComponent(c.Component, c.StatusValue, c.Latency);
        Values[(MetricFamilies.Healthy.Name, "")] = report.IsOperational ? 1 : 0;
        return this;
    }

    private void Add(MetricFamily family, string label, double amount)
    {
        Values.TryGetValue((family.Name, label), out var current);
        Values[(family.Name, label)] = current + amount;
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A label value is required.", name);
    }
}

/// <summary>The metric families this module writes, in file order.</summary>
public static class MetricFamilies
{
    public static readonly MetricFamily SyncTotal = new("oberaconnect_sync_total", "counter", "operation", "Sync runs per operation.");
    public static readonly MetricFamily SyncErrors = new("oberaconnect_sync_errors_total", "counter", "operation", "Sync runs that ended with a failed item or a fatal error.");
    public static readonly MetricFamily LastSuccess = new("oberaconnect_last_success_timestamp_seconds", "gauge", "operation", "Unix time at which the last sync run without failures finished.");
    public static readonly MetricFamily Healthy = new("oberaconnect_healthy", "gauge", null, "1 when the last health check found the module operational (Healthy or Degraded), else 0.");
    public static readonly MetricFamily ComponentHealthy = new("oberaconnect_component_healthy", "gauge", "component", "1 when the component worked at the last health check (Healthy or Degraded), 0 when Unhealthy.");
    public static readonly MetricFamily ComponentLatency = new("oberaconnect_component_latency_ms", "gauge", "component", "Time the component took to answer the last health check, in milliseconds.");
    public static readonly MetricFamily RequestsTotal = new("oberaconnect_requests_total", "counter", "service", "HTTP requests sent per service, retries included.");
    public static readonly MetricFamily RateLimitedTotal = new("oberaconnect_rate_limited_total", "counter", "service", "HTTP 429 answers received per service.");

    public static readonly IReadOnlyList<MetricFamily> All = new[] { SyncTotal, SyncErrors, LastSuccess, Healthy, ComponentHealthy, ComponentLatency, RequestsTotal, RateLimitedTotal };

    /// <summary>
    /// Names earlier versions wrote, read as today's family so a counter keeps counting across the upgrade
    /// (oberaconnect_sync_errors lacked the _total every Prometheus counter ends with).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, MetricFamily> FormerNames = new Dictionary<string, MetricFamily>(StringComparer.Ordinal)
    {
        ["oberaconnect_sync_errors"] = SyncErrors,
    };
}

/// <summary>The service label values of oberaconnect_requests_total and oberaconnect_rate_limited_total.</summary>
public static class MetricServices
{
    public const string Notion = "notion";
    public const string UniFi = "unifi";
    public const string NinjaOne = "ninjaone";
    public const string KeyVault = "keyvault";
    public const string Databricks = "databricks";
}

/// <summary>
/// The requests each service got since the tally started, across every client a connection has (or creates later):
/// a run starts one, and writes <see cref="SinceStart"/> to the metrics when it ends.
/// </summary>
public sealed class RequestTally
{
    private readonly Func<IReadOnlyDictionary<string, HttpStatistics>> _current;
    private readonly Dictionary<string, HttpStatisticsSnapshot> _start;

    public RequestTally(Func<IReadOnlyDictionary<string, HttpStatistics>> current)
    {
        _current = current ?? throw new ArgumentNullException(nameof(current));
        _start = current().ToDictionary(p => p.Key, p => p.Value.Snapshot(), StringComparer.Ordinal);
    }

    /// <summary>Per service, the requests since the start (a client created since then counts from zero).</summary>
    public IReadOnlyDictionary<string, HttpStatisticsSnapshot> SinceStart()
    {
        var result = new Dictionary<string, HttpStatisticsSnapshot>(StringComparer.Ordinal);
        foreach (var pair in _current())
        {
            var now = pair.Value.Snapshot();
            result[pair.Key] = _start.TryGetValue(pair.Key, out var start) ? now - start : now;
        }
        return result;
    }
}

/// <summary>
/// What every kind of run (a workspace sync, Export-NotionDatabase, Sync-NotionTable) adds to the configured
/// metrics file when it ends: one run of its operation, and the requests of every service it called. A file that
/// cannot be written is a warning: the run itself happened.
/// </summary>
public static class RunMetrics
{
    public static async Task RecordAsync(string? metricsPath, string operation, bool succeeded, RequestTally requests, TimeProvider time,
        IEngineOutput output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(metricsPath)) return;
        try
        {
            var full = System.IO.Path.GetFullPath(metricsPath!);
            var file = new MetricsTextfile(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full), time);
            var update = new MetricsUpdate()
                .RecordSyncRun(operation, succeeded, time.GetUtcNow())
                .RecordRequests(requests.SinceStart());
            await file.WriteAsync(update, cancellationToken).ConfigureAwait(false);
        }
        catch (OberaConnectException ex)
        {
            output.Warning("The metrics file could not be written: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            output.Warning($"The metrics file '{metricsPath}' could not be written: {ex.Message} Set paths.metricsPath to a file ending in .prom.");
        }
    }
}

/// <summary>One metric family: name, Prometheus type, its single label (or none) and help text.</summary>
public sealed record MetricFamily(string Name, string Type, string? Label, string Help)
{
    public bool IsCounter => Type == "counter";
}

/// <summary>The metrics file could not be written.</summary>
public sealed class MetricsWriteException : OberaConnectException
{
    public MetricsWriteException(string path, string reason, Exception? inner = null)
        : base("MetricsWriteFailed", FailureKind.Configuration,
            $"The metrics file '{path}' could not be written: {reason} Check that the textfile collector folder exists and this account can write to it.", inner)
    {
        Path = path;
    }

    public string Path { get; }
}

/// <summary>
/// A Prometheus text-format file for the textfile collector of windows_exporter and node_exporter.
/// Written as UTF-8 without BOM, "\n" line ends and a final line feed, to a temporary name in the same
/// folder (not ending in .prom, so the collector ignores it) and renamed over the target, so the collector
/// never reads half a file. Several jobs share one file: each write merges into the values already there
/// (counters add up, gauges are replaced per label) under a machine-wide lock, so jobs finishing at the same
/// moment do not lose each other's counts. Families not written by this module are dropped from the file:
/// give other tools their own .prom file.
/// </summary>
public sealed class MetricsTextfile
{
    /// <summary>File name used when none is given.</summary>
    public const string DefaultFileName = "oberaconnect.prom";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lockTimeout;

    public MetricsTextfile(string directory, string? fileName = null, TimeProvider? time = null, TimeSpan? lockTimeout = null)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("The textfile collector folder is required.", nameof(directory));
        var name = string.IsNullOrWhiteSpace(fileName) ? DefaultFileName : fileName!.Trim();
        if (!name.EndsWith(".prom", StringComparison.Ordinal) || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0)
            throw new ArgumentException($"The metrics file name '{name}' must be a plain file name ending in .prom (the collectors read only *.prom).", nameof(fileName));
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), name);
        _time = time ?? TimeProvider.System;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>The .prom file.</summary>
    public string Path { get; }

    /// <summary>Merges <paramref name="update"/> into the file and replaces it atomically.</summary>
    public async Task WriteAsync(MetricsUpdate update, CancellationToken cancellationToken)
    {
        if (update is null) throw new ArgumentNullException(nameof(update));
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temp = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (await CrossProcessFileLock.AcquireAsync(Path + ".lock", _time, _lockTimeout, cancellationToken).ConfigureAwait(false))
            {
                var current = File.Exists(Path) ? PrometheusText.Parse(File.ReadAllText(Path, Utf8)) : new Dictionary<(string, string), double>();
                foreach (var pair in update.Values)
                {
                    var family = MetricFamilies.All.First(f => f.Name == pair.Key.Family);
                    current.TryGetValue(pair.Key, out var previous);
                    current[pair.Key] = family.IsCounter ? previous + pair.Value : pair.Value;
                }
                File.WriteAllBytes(temp, Utf8.GetBytes(PrometheusText.Render(current)));
                await ReplaceAsync(temp, Path, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException ex)
        {
            throw new MetricsWriteException(Path, ex.Message, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MetricsWriteException(Path, "access was denied.", ex);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The values in the file now (our families only), keyed by family and label value.</summary>
    public IReadOnlyDictionary<(string Family, string Label), double> Read()
        => File.Exists(Path) ? PrometheusText.Parse(File.ReadAllText(Path, Utf8)) : new Dictionary<(string, string), double>();

    private async Task ReplaceAsync(string temp, string target, CancellationToken cancellationToken)
    {
        // On Windows the collector may hold the file open for a moment while reading it: retry briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (File.Exists(target)) File.Replace(temp, target, null);
                else File.Move(temp, target);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await _time.Delay(TimeSpan.FromMilliseconds(25 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>Rendering and parsing of the Prometheus text exposition format (version 0.0.4) for our families.</summary>
internal static class PrometheusText
{
    public static string Render(IReadOnlyDictionary<(string Family, string Label), double> values)
    {
        var sb = new StringBuilder();
        foreach (var family in MetricFamilies.All)
        {
            var samples = values.Where(v => v.Key.Family == family.Name).OrderBy(v => v.Key.Label, StringComparer.Ordinal).ToList();
            if (samples.Count == 0) continue;
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var sample in samples)
            {
                sb.Append(family.Name);
                if (family.Label != null) sb.Append('{').Append(family.Label).Append("=\"").Append(EscapeLabel(sample.Key.Label)).Append("\"}");
                sb.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Reads our families back; anything else (foreign metrics, broken lines) is skipped.</summary>
    public static Dictionary<(string Family, string Label), double> Parse(string text)
    {
        var result = new Dictionary<(string, string), double>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var i = 0;
            while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '_' || line[i] == ':')) i++;
            var name = line.Substring(0, i);
            var family = MetricFamilies.All.FirstOrDefault(f => f.Name == name);
            var former = family is null && MetricFamilies.FormerNames.TryGetValue(name, out family);
            if (family is null) continue;
            var label = "";
            if (i < line.Length && line[i] == '{')
            {
                if (!TryParseLabels(line, ref i, family.Label, out label)) continue;
            }
            else if (family.Label != null) continue;
            var rest = line.Substring(i).Trim();
            var space = rest.IndexOf(' ');
            var valueText = space < 0 ? rest : rest.Substring(0, space);
            if (!TryParseValue(valueText, out var value)) continue;
            // A value under today's name wins over one under a former name, wherever each stands in the file.
            if (former && result.ContainsKey((family.Name, label))) continue;
            result[(family.Name, label)] = value;
        }
        return result;
    }

    private static bool TryParseLabels(string line, ref int i, string? expectedLabel, out string value)
    {
        value = "";
        i++; // '{'
        var found = false;
        while (i < line.Length && line[i] != '}')
        {
            var start = i;
            while (i < line.Length && line[i] != '=') i++;
            if (i >= line.Length) return false;
            var labelName = line.Substring(start, i - start).Trim().TrimStart(',').Trim();
            i++;
            if (i >= line.Length || line[i] != '"') return false;
            i++;
            var sb = new StringBuilder();
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    sb.Append(line[i] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var other => other });
                }
                else sb.Append(line[i]);
                i++;
            }
            if (i >= line.Length) return false;
            i++; // closing quote
            if (labelName == expectedLabel) { value = sb.ToString(); found = true; }
            while (i < line.Length && (line[i] == ',' || line[i] == ' ')) i++;
        }
        if (i >= line.Length) return false;
        i++; // '}'
        return found;
    }

    internal static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN": value = double.NaN; return true;
            case "+Inf": case "Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    internal static string FormatValue(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15) return ((long)value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    internal static string EscapeLabel(string value)
        => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r\n", "\n").Replace("\r", "\n").Replace("\n", "\\n");

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
