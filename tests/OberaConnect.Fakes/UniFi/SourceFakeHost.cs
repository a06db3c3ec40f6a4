using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OberaConnect.Fakes.Sources;

/// <summary>One request a source fake received (headers with credentials are not kept).</summary>
public sealed record SourceFakeRequest(string Method, string Path, string Query, DateTimeOffset At, int Status);

/// <summary>
/// Faults a test asks a source fake to answer with: the next N requests get a status (429 with
/// Retry-After, 5xx), or the whole service is down.
/// </summary>
public sealed class SourceFakeFaults
{
    private readonly object _gate = new();
    private readonly Queue<(int Status, int? RetryAfterSeconds)> _next = new();

    /// <summary>When true every request is answered 503, as during an outage.</summary>
    public bool Down { get; set; }

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = 503)
    {
        lock (_gate) for (var i = 0; i < count; i++) _next.Enqueue((status, null));
    }

    /// <summary>The next <paramref name="count"/> requests are answered 429 with Retry-After.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds = 1)
    {
        lock (_gate) for (var i = 0; i < count; i++) _next.Enqueue((429, retryAfterSeconds));
    }

    internal bool TryTake(out int status, out int? retryAfterSeconds)
    {
        lock (_gate)
        {
            if (Down)
            {
                status = 503;
                retryAfterSeconds = null;
                return true;
            }
            if (_next.Count > 0)
            {
                (status, retryAfterSeconds) = _next.Dequeue();
                return true;
            }
        }
        status = 0;
        retryAfterSeconds = null;
        return false;
    }
}

/// <summary>Starts a Kestrel server on 127.0.0.1 (port 0 = any free port) around one request handler.</summary>
internal static class SourceFakeHost
{
    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(int port, RequestDelegate handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>An int query value, or the fallback when absent; null when present but not a number.</summary>
    public static int? IntQuery(HttpRequest request, string name, int fallback)
    {
        var raw = request.Query[name].ToString();
        if (string.IsNullOrEmpty(raw)) return fallback;
        return int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, Action<System.Text.Json.Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer)) write(json);
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
