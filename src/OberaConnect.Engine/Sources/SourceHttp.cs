using System.Security.Cryptography;
using System.Text;

namespace OberaConnect.Engine.Sources;

/// <summary>Small pieces the UniFi and NinjaOne clients share.</summary>
internal static class SourceHttp
{
    /// <summary>A short, non-reversible tag of a credential, to key the process-wide pacer per key without holding the key.</summary>
    public static string Fingerprint(string secret)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(secret));
        var sb = new StringBuilder(16);
        for (var i = 0; i < 8; i++) sb.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>base + relative path + query, with every query value escaped.</summary>
    public static Uri BuildUri(Uri baseUrl, string path, IEnumerable<KeyValuePair<string, string>>? query)
    {
        var root = baseUrl.ToString();
        if (!root.EndsWith("/", StringComparison.Ordinal)) root += "/";
        var sb = new StringBuilder(root).Append(path.TrimStart('/'));
        var first = true;
        if (query != null)
        {
            foreach (var kv in query)
            {
                sb.Append(first ? '?' : '&');
                first = false;
                // Keys are ours (hostIds[] is written as the docs show it); values come from callers and services.
                sb.Append(kv.Key).Append('=').Append(Uri.EscapeDataString(kv.Value));
            }
        }
        return new Uri(sb.ToString());
    }

    /// <summary>The Http invoker for a handler: ours (disposed with the client) or the caller's (left alone).</summary>
    public static HttpMessageInvoker Invoker(HttpMessageHandler? handler)
        => handler is null
            ? new HttpMessageInvoker(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate }, disposeHandler: true)
            : new HttpMessageInvoker(handler, disposeHandler: false);
}
