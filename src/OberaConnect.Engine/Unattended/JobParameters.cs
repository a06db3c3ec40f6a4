using System.Collections;
using System.Text.Json;

namespace OberaConnect.Engine.Unattended;

/// <summary>
/// The parameters of the jobs of one unattended run, as one object: from a .psd1 file (read by the host), a .json
/// file, or JSON text (a NinjaOne script variable holds a string, so one variable carries them all). Two shapes:
/// <list type="bullet">
/// <item>flat, <c>{ "ConfigPath": "C:\\OberaConnect\\config.json", "All": true }</c>: each key goes to every job that
/// has that parameter (a key no job has is an error, so a typo is never silently ignored);</item>
/// <item>per job, <c>{ "Export-NotionDatabase": { "All": true }, "Sync-CustomerStatus": { "Summary": true } }</c>: a key
/// naming a job of the run, with an object as its value, is that job's own parameters, passed as they are.</item>
/// </list>
/// Both may be mixed; a job's own value wins over a flat one.
/// </summary>
public sealed class JobParameters
{
    private readonly Dictionary<string, object?> _shared;
    private readonly Dictionary<string, Dictionary<string, object?>> _perJob;

    private JobParameters(Dictionary<string, object?> shared, Dictionary<string, Dictionary<string, object?>> perJob)
    {
        _shared = shared;
        _perJob = perJob;
    }

    /// <summary>No parameters.</summary>
    public static JobParameters Empty => new(NewMap(), new Dictionary<string, Dictionary<string, object?>>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Parameters given to every job that has them, by name.</summary>
    public IReadOnlyDictionary<string, object?> Shared => _shared;

    /// <summary>Per-job parameters, by job name.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, object?>> PerJob => _perJob;

    /// <summary>
    /// From a dictionary (a .psd1's hashtable, or parsed JSON). Keys naming one of <paramref name="jobs"/> whose
    /// value is a dictionary are that job's; the rest are shared.
    /// </summary>
    public static JobParameters FromDictionary(IDictionary values, IEnumerable<string> jobs)
    {
        if (values is null) throw new ArgumentNullException(nameof(values));
        var jobNames = new HashSet<string>(jobs ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        var shared = NewMap();
        var perJob = new Dictionary<string, Dictionary<string, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in values)
        {
            var key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (key.Length == 0) continue;
            if (jobNames.Contains(key) && entry.Value is IDictionary own)
            {
                var map = NewMap();
                foreach (DictionaryEntry p in own) map[Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] = p.Value;
                perJob[key] = map;
            }
            else
            {
                shared[key] = entry.Value;
            }
        }
        return new JobParameters(shared, perJob);
    }

    /// <summary>
    /// From JSON object text (<paramref name="source"/> names where it came from, for the error). Values become plain
    /// .NET values PowerShell binds: strings, whole numbers as long, other numbers as double, true/false, null, arrays
    /// as object[] and objects as dictionaries.
    /// </summary>
    public static JobParameters FromJson(string json, string source, IEnumerable<string> jobs)
    {
        object? parsed;
        try
        {
            using var document = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            parsed = ToValue(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                $"The job parameters in {source} are not valid JSON ({ex.Message}). Give a JSON object such as {{\"ConfigPath\": \"C:\\\\OberaConnect\\\\config.json\", \"All\": true}}, or the path of a .psd1 or .json file.", ex);
        }
        if (parsed is not IDictionary map)
            throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                $"The job parameters in {source} must be a JSON object ({{\"Name\": value, ...}}), not a {Describe(parsed)}.");
        return FromDictionary(map, jobs);
    }

    /// <summary>
    /// The parameters of <paramref name="job"/>: the shared ones it <paramref name="accepts"/>, then its own (which win).
    /// <paramref name="extra"/> (for example -ConfigPath of the run) fills what neither gives.
    /// </summary>
    public Dictionary<string, object?> For(string job, Func<string, bool> accepts, IReadOnlyDictionary<string, object?>? extra = null)
    {
        if (accepts is null) throw new ArgumentNullException(nameof(accepts));
        var result = NewMap();
        if (extra != null)
            foreach (var pair in extra)
                if (accepts(pair.Key)) result[pair.Key] = pair.Value;
        foreach (var pair in _shared)
            if (accepts(pair.Key)) result[pair.Key] = pair.Value;
        if (_perJob.TryGetValue(job, out var own))
            foreach (var pair in own) result[pair.Key] = pair.Value;
        return result;
    }

    /// <summary>Shared keys that none of the jobs accepts: the caller reports them as a setup error.</summary>
    public IReadOnlyList<string> Unused(IEnumerable<Func<string, bool>> accepts)
    {
        var all = accepts.ToList();
        return _shared.Keys.Where(k => !all.Any(a => a(k))).ToList();
    }

    private static Dictionary<string, object?> NewMap() => new(StringComparer.OrdinalIgnoreCase);

    private static object? ToValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Hashtable(StringComparer.OrdinalIgnoreCase);
                foreach (var p in element.EnumerateObject()) map[p.Name] = ToValue(p.Value);
                return map;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(ToValue).ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                // Boxed apart: a conditional of long and double would make every whole number a double.
                if (element.TryGetInt64(out var whole)) return whole;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "string",
        object[] => "list",
        bool => "true/false value",
        _ => "number",
    };
}
