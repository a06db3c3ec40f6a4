using System.Text;
using System.Text.Json;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Http;

/// <summary>
/// Appends one JSON object per HTTP attempt to a file, for "what did it send?" support questions.
/// Enabled when the environment variable <see cref="EnvironmentVariable"/> names a file. The
/// Authorization header is never written and every body passes through the <see cref="SecretRedactor"/>.
/// </summary>
public sealed class HttpTraceWriter
{
    /// <summary>Environment variable naming the trace file.</summary>
    public const string EnvironmentVariable = "OBERACONNECT_HTTP_TRACE";

    private readonly string _path;
    private readonly SecretRedactor _redactor;
    private readonly int _maxBodyChars;

    public HttpTraceWriter(string path, SecretRedactor redactor, int maxBodyChars = 64 * 1024)
    {
        _path = Path.GetFullPath(path);
        _redactor = redactor;
        _maxBodyChars = maxBodyChars;
    }

    /// <summary>The trace writer the environment asks for, or null when tracing is off.</summary>
    public static HttpTraceWriter? FromEnvironment(SecretRedactor redactor)
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(path) ? null : new HttpTraceWriter(path!, redactor);
    }

    /// <summary>The file written to.</summary>
    public string Path_ => _path;

    internal async Task WriteAsync(HttpTraceEntry entry, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", entry.Time.ToString("o"));
            json.WriteString("service", entry.Service);
            json.WriteNumber("attempt", entry.Attempt);
            json.WriteString("method", entry.Method);
            json.WriteString("url", _redactor.Redact(entry.Url));
            if (entry.Status is int status) json.WriteNumber("status", status); else json.WriteNull("status");
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            var secretStore = entry.Service == KeyVaultSecretProvider.ServiceName;
            WriteBody(json, "requestBody", entry.RequestBody, secretStore);
            WriteBody(json, "responseBody", entry.ResponseBody, secretStore);
            if (entry.Error != null) json.WriteString("error", _redactor.Redact(entry.Error));
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        var bytes = buffer.ToArray();
        var dir = System.IO.Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // Append mode alone does not keep two processes' lines apart on every OS: hold the machine-wide lock.
        using (await Operations.CrossProcessFileLock.AcquireAsync(_path + ".lock", TimeProvider.System, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
        using (var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        }
    }

    private void WriteBody(Utf8JsonWriter json, string name, string? body, bool secretStore)
    {
        if (body is null) { json.WriteNull(name); return; }
        json.WriteString(name, HttpExchangeText.Body(_redactor, body, secretStore, _maxBodyChars));
    }

    /// <summary>The redactor of the trace (the client's, knowing its secrets).</summary>
    internal SecretRedactor Redactor => _redactor;
}

internal sealed class HttpTraceEntry
{
    public DateTimeOffset Time { get; set; }
    public string Service { get; set; } = "";
    public int Attempt { get; set; }
    public string Method { get; set; } = "";
    public string Url { get; set; } = "";
    public int? Status { get; set; }
    public TimeSpan Duration { get; set; }
    public string? RequestBody { get; set; }
    public string? ResponseBody { get; set; }
    public string? Error { get; set; }
}
