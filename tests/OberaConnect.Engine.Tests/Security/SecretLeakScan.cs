using System.Collections;
using System.Reflection;
using System.Text;

namespace OberaConnect.Engine.Tests.Security;

/// <summary>
/// Secret hygiene harness: given the secret values a test used, it scans everything the code under test
/// produced — output objects (their string form and public properties), log and trace lines, files,
/// error messages, exceptions with every inner exception and their ToString — for each value and for
/// its first 8 characters, and fails naming where it found one. The failure text shows only a masked
/// excerpt, so the harness itself never prints a secret.
/// Usage: <c>var scan = new SecretLeakScan(token, clientSecret); scan.Text("trace", File.ReadAllText(path)); scan.Exception("error", ex); scan.AssertClean();</c>
/// </summary>
public sealed class SecretLeakScan
{
    /// <summary>How many leading characters of a secret count as a leak on their own.</summary>
    public const int PrefixLength = 8;

    private readonly List<(string Label, string Needle)> _needles = new();
    private readonly List<string> _findings = new();
    private readonly List<string> _scanned = new();

    public SecretLeakScan(params string?[] secrets)
    {
        var index = 0;
        foreach (var secret in secrets)
        {
            index++;
            if (string.IsNullOrEmpty(secret)) continue;
            if (secret.Length < PrefixLength)
                throw new ArgumentException($"Secret #{index} is shorter than {PrefixLength} characters; use realistic test secrets so a prefix match means something.");
            _needles.Add(($"secret #{index}", secret));
            if (secret.Length > PrefixLength) _needles.Add(($"the first {PrefixLength} characters of secret #{index}", secret.Substring(0, PrefixLength)));
        }
    }

    /// <summary>Where the scan looked (for a test to assert that it really scanned something).</summary>
    public IReadOnlyList<string> Scanned => _scanned;

    /// <summary>Scans one piece of text (a log line, a message, a whole file's content).</summary>
    public SecretLeakScan Text(string where, string? text)
    {
        _scanned.Add(where);
        if (string.IsNullOrEmpty(text)) return this;
        foreach (var (label, needle) in _needles)
        {
            var at = text.IndexOf(needle, StringComparison.Ordinal);
            if (at >= 0) _findings.Add($"{where}: contains {label} at offset {at}: …{Excerpt(text)}…");
        }
        return this;
    }

    /// <summary>Scans each line separately, naming the line number.</summary>
    public SecretLeakScan Lines(string where, IEnumerable<string> lines)
    {
        var n = 0;
        foreach (var line in lines) Text($"{where} line {++n}", line);
        if (n == 0) _scanned.Add(where);
        return this;
    }

    /// <summary>Scans a file's whole content.</summary>
    public SecretLeakScan File(string where, string path)
        => Text($"{where} ({Path.GetFileName(path)})", System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path) : null);

    /// <summary>Scans an exception: message, ToString (stack and inner exceptions), Data, and every inner exception's message.</summary>
    public SecretLeakScan Exception(string where, Exception? exception)
    {
        if (exception is null) { _scanned.Add(where); return this; }
        Text($"{where} ToString()", exception.ToString());
        var depth = 0;
        for (var e = exception; e != null; e = e.InnerException, depth++)
        {
            Text($"{where} {(depth == 0 ? "" : $"inner[{depth}] ")}{e.GetType().Name}.Message", e.Message);
            foreach (DictionaryEntry entry in e.Data) Text($"{where} {e.GetType().Name}.Data[{entry.Key}]", $"{entry.Key}={entry.Value}");
            if (e is AggregateException agg)
                for (var i = 0; i < agg.InnerExceptions.Count; i++) Exception($"{where} aggregate[{i}]", agg.InnerExceptions[i]);
        }
        return this;
    }

    /// <summary>
    /// Scans an output object: its ToString and the string form of each public readable property, one level
    /// into collections and nested objects (what PowerShell's formatter would show).
    /// </summary>
    public SecretLeakScan Object(string where, object? value, int depth = 2)
    {
        if (value is null) { _scanned.Add(where); return this; }
        Text($"{where}.ToString()", value.ToString());
        if (depth <= 0 || value is string || value.GetType().IsPrimitive) return this;
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence) Object($"{where}[{i++}]", item, depth - 1);
            return this;
        }
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            object? propertyValue;
            try { propertyValue = property.GetValue(value); }
            catch (TargetInvocationException ex) { propertyValue = ex.InnerException?.Message; }
            Object($"{where}.{property.Name}", propertyValue, depth - 1);
        }
        return this;
    }

    /// <summary>The findings so far (empty when clean).</summary>
    public IReadOnlyList<string> Findings => _findings;

    /// <summary>Fails the test naming every place a secret (or its prefix) was found.</summary>
    public void AssertClean()
    {
        if (_findings.Count == 0) return;
        var message = new StringBuilder($"Secret material found in {_findings.Count} place(s):");
        foreach (var finding in _findings) message.Append("\n  - ").Append(finding);
        Assert.Fail(message.ToString());
    }

    // Masks every known secret and prefix first, so the failure message shows context but no secret material.
    private string Excerpt(string text)
    {
        var masked = text;
        foreach (var (_, needle) in _needles.OrderByDescending(n => n.Needle.Length))
            masked = masked.Replace(needle, "[SECRET]");
        var at = Math.Max(0, masked.IndexOf("[SECRET]", StringComparison.Ordinal));
        var start = Math.Max(0, at - 30);
        var end = Math.Min(masked.Length, at + 8 + 30);
        return masked.Substring(start, end - start).Replace("\r", "\\r").Replace("\n", "\\n");
    }
}
