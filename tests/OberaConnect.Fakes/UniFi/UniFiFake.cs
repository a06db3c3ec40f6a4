using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Fakes.Sources;

namespace OberaConnect.Fakes.UniFi;

/// <summary>Settings of a <see cref="UniFiFake"/>.</summary>
public sealed class UniFiFakeOptions
{
    /// <summary>The API key the fake accepts in X-API-Key.</summary>
    public string ApiKey { get; set; } = "unifi-fake-key-7f3a9c21d4";

    /// <summary>The data to serve; the default Sample (98 sites) when null.</summary>
    public SampleDataSet? Data { get; set; }

    /// <summary>Page size when the request names none.</summary>
    public int DefaultPageSize { get; set; } = 25;

    /// <summary>
    /// Largest page served on /v1/, whatever is asked: a server-side cap (Site Manager documents none), so a page
    /// shorter than asked for does not mean the end of a list; only a missing nextToken does.
    /// </summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Clock for the request log.</summary>
    public TimeProvider? Time { get; set; }
}

/// <summary>
/// A loopback fake of UniFi Site Manager (https://api.ui.com) built from its documented responses:
/// <c>X-API-Key</c> check (401 <c>{code, httpStatusCode, message, traceId}</c>), GET /v1/hosts,
/// /v1/sites and /v1/devices (hostIds[] filter, devices grouped per host) with pageSize + nextToken
/// paging, the same lists under /ea/ without paging (early-access endpoints document none: the whole list in one
/// answer, paging parameters ignored), and injected 429 (with Retry-After) and 5xx answers. It serves a <see cref="SampleDataSet"/>.
/// </summary>
public sealed class UniFiFake : IAsyncDisposable
{
    private readonly UniFiFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly List<SourceFakeRequest> _requests = new();
    private WebApplication? _app;
    private int _traceCounter;

    private UniFiFake(UniFiFakeOptions options)
    {
        _options = options;
        _time = options.Time ?? TimeProvider.System;
        Data = options.Data ?? SampleSource.Generate();
    }

    /// <summary>Starts the fake on 127.0.0.1.</summary>
    public static async Task<UniFiFake> StartAsync(UniFiFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new UniFiFake(options ?? new UniFiFakeOptions());
        var (app, baseUrl) = await SourceFakeHost.StartAsync(fake._options.Port, fake.HandleAsync, cancellationToken).ConfigureAwait(false);
        fake._app = app;
        fake.BaseUrl = baseUrl;
        return fake;
    }

    /// <summary>Where the fake listens, for UniFiClientOptions.BaseUrl.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The API key it accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>The data it serves.</summary>
    public SampleDataSet Data { get; }

    /// <summary>Faults to inject (429, 5xx, down).</summary>
    public SourceFakeFaults Faults { get; } = new();

    /// <summary>Requests received so far.</summary>
    public IReadOnlyList<SourceFakeRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app != null) await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var status = await AnswerAsync(context).ConfigureAwait(false);
        lock (_requests)
            _requests.Add(new SourceFakeRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", _time.GetUtcNow(), status));
    }

    private async Task<int> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (Faults.TryTake(out var faultStatus, out var retryAfter))
        {
            if (retryAfter is { } ra) context.Response.Headers["Retry-After"] = ra.ToString(CultureInfo.InvariantCulture);
            var code = faultStatus == 429 ? "RATE_LIMIT" : faultStatus == 502 ? "BAD_GATEWAY" : faultStatus == 503 ? "SERVICE_UNAVAILABLE" : "SERVER_ERROR";
            var message = faultStatus == 429 ? $"rate limit exceeded, retry after {retryAfter ?? 1}s" : "upstream failure";
            return await ErrorAsync(context, faultStatus, code, message).ConfigureAwait(false);
        }
        if (!string.Equals(request.Headers["X-API-Key"].ToString(), _options.ApiKey, StringComparison.Ordinal))
            return await ErrorAsync(context, 401, "UNAUTHORIZED", "unauthorized").ConfigureAwait(false);
        if (!HttpMethods.IsGet(request.Method))
            return await ErrorAsync(context, 405, "METHOD_NOT_ALLOWED", "method not allowed").ConfigureAwait(false);

        var path = (request.Path.Value ?? "").TrimEnd('/');
        var earlyAccess = path.StartsWith("/ea/", StringComparison.Ordinal);
        var prefix = earlyAccess ? "/ea" : "/v1";
        return path.Substring(Math.Min(path.Length, prefix.Length)) switch
        {
            "/hosts" => await PageAsync(context, "hosts", Data.UniFiHosts, WriteHost, earlyAccess).ConfigureAwait(false),
            "/sites" => await PageAsync(context, "sites", Data.UniFiSites, WriteSite, earlyAccess).ConfigureAwait(false),
            "/devices" => await DevicesAsync(context, earlyAccess).ConfigureAwait(false),
            _ => await ErrorAsync(context, 404, "NOT_FOUND", $"route not found: {path}").ConfigureAwait(false),
        };
    }

    private Task<int> DevicesAsync(HttpContext context, bool earlyAccess)
    {
        var wanted = context.Request.Query["hostIds[]"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToHashSet(StringComparer.Ordinal);
        var groups = Data.UniFiHosts
            .Where(h => wanted.Count == 0 || wanted.Contains(h.Id))
            .Select(h => (Host: h, Devices: Data.UniFiDevices.Where(d => d.HostId == h.Id).ToList()))
            .Where(g => g.Devices.Count > 0)
            .ToList();
        return PageAsync(context, "devices", groups, earlyAccess: earlyAccess, write: (json, g) =>
        {
            json.WriteStartObject();
            json.WriteString("hostId", g.Host.Id);
            json.WriteString("hostName", g.Host.Name);
            json.WriteStartArray("devices");
            foreach (var d in g.Devices) WriteDevice(json, d);
            json.WriteEndArray();
            json.WriteString("updatedAt", Data.AsOf.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
    }

    private async Task<int> PageAsync<T>(HttpContext context, string resource, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, bool earlyAccess)
    {
        if (earlyAccess) return await WriteListAsync(context, items, write, next: null).ConfigureAwait(false);
        var size = SourceFakeHost.IntQuery(context.Request, "pageSize", _options.DefaultPageSize);
        if (size is null || size < 1)
            return await ErrorAsync(context, 400, "BAD_REQUEST", "invalid request parameters: pageSize").ConfigureAwait(false);
        var pageSize = Math.Min(size.Value, _options.MaxPageSize);
        var offset = 0;
        var token = context.Request.Query["nextToken"].ToString();
        if (!string.IsNullOrEmpty(token) && !TryReadToken(resource, token, out offset))
            return await ErrorAsync(context, 400, "BAD_REQUEST", "invalid request parameters: nextToken").ConfigureAwait(false);
        var page = items.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < items.Count ? MakeToken(resource, offset + page.Count) : null;
        return await WriteListAsync(context, page, write, next).ConfigureAwait(false);
    }

    private async Task<int> WriteListAsync<T>(HttpContext context, IReadOnlyList<T> page, Action<Utf8JsonWriter, T> write, string? next)
    {
        await SourceFakeHost.WriteJsonAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var item in page) write(json, item);
            json.WriteEndArray();
            json.WriteNumber("httpStatusCode", 200);
            json.WriteString("traceId", NextTraceId());
            if (next != null) json.WriteString("nextToken", next);
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return 200;
    }

    // Tokens look like the real ones (hex:number) and are tied to the resource they page through.
    private static string MakeToken(string resource, int offset)
        => $"{Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(resource)).PadRight(24, '0')}:{offset.ToString(CultureInfo.InvariantCulture)}";

    private static bool TryReadToken(string resource, string token, out int offset)
    {
        offset = 0;
        var colon = token.LastIndexOf(':');
        return colon > 0
               && token.Substring(0, colon) == Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(resource)).PadRight(24, '0')
               && int.TryParse(token.Substring(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out offset)
               && offset >= 0;
    }

    private string NextTraceId() => Interlocked.Increment(ref _traceCounter).ToString("x32", CultureInfo.InvariantCulture);

    private async Task<int> ErrorAsync(HttpContext context, int status, string code, string message)
    {
        await SourceFakeHost.WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("code", code);
            json.WriteNumber("httpStatusCode", status);
            json.WriteString("message", message);
            json.WriteString("traceId", NextTraceId());
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return status;
    }

    private void WriteHost(Utf8JsonWriter json, UniFiHost h)
    {
        json.WriteStartObject();
        json.WriteString("id", h.Id);
        json.WriteString("hardwareId", h.HardwareId);
        json.WriteString("type", h.Type);
        json.WriteString("ipAddress", h.IpAddress);
        json.WriteBoolean("owner", h.IsOwner);
        json.WriteBoolean("isBlocked", h.IsBlocked);
        json.WriteString("registrationTime", "2024-03-01T10:00:00Z");
        if (h.LastConnectionStateChange is { } t) json.WriteString("lastConnectionStateChange", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("userData");
        json.WriteString("status", "ACTIVE");
        json.WriteString("role", "owner");
        json.WriteEndObject();
        json.WriteStartObject("reportedState");
        json.WriteString("hostname", h.Name);
        json.WriteString("name", h.Name);
        json.WriteString("state", "connected");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSite(Utf8JsonWriter json, UniFiSite s)
    {
        json.WriteStartObject();
        json.WriteString("siteId", s.SiteId);
        json.WriteString("hostId", s.HostId);
        json.WriteStartObject("meta");
        json.WriteString("desc", s.Name);
        json.WriteString("gatewayMac", s.GatewayMac);
        json.WriteString("name", s.InternalName);
        json.WriteString("timezone", s.Timezone);
        json.WriteEndObject();
        json.WriteStartObject("statistics");
        json.WriteStartObject("counts");
        json.WriteNumber("criticalNotification", s.CriticalNotifications ?? 0);
        json.WriteNumber("gatewayDevice", 1);
        json.WriteNumber("guestClient", 0);
        json.WriteNumber("lanConfiguration", 1);
        json.WriteNumber("offlineDevice", s.DevicesOffline ?? 0);
        json.WriteNumber("offlineGatewayDevice", 0);
        json.WriteNumber("pendingUpdateDevice", s.PendingUpdates ?? 0);
        json.WriteNumber("totalDevice", s.DevicesTotal ?? 0);
        json.WriteNumber("wanConfiguration", 1);
        json.WriteNumber("wifiClient", s.WifiClients ?? 0);
        json.WriteNumber("wiredClient", s.WiredClients ?? 0);
        json.WriteEndObject();
        json.WriteStartArray("internetIssues");
        json.WriteEndArray();
        json.WriteStartObject("ispInfo");
        json.WriteString("name", s.IspName);
        json.WriteString("organization", s.IspName);
        json.WriteEndObject();
        json.WriteStartObject("percentages");
        json.WriteNumber("txRetry", 1.5);
        if (s.WanUptimePercent is { } up) json.WriteNumber("wanUptime", up);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("permission", s.Permission);
        json.WriteBoolean("isOwner", s.IsOwner ?? true);
        json.WriteEndObject();
    }

    private static void WriteDevice(Utf8JsonWriter json, UniFiDevice d)
    {
        json.WriteStartObject();
        json.WriteString("id", d.Id);
        json.WriteString("mac", d.Mac);
        json.WriteString("name", d.Name);
        json.WriteString("model", d.Model);
        json.WriteString("shortname", d.ShortName);
        json.WriteString("ip", d.IpAddress);
        json.WriteString("productLine", d.ProductLine);
        json.WriteString("status", d.Status);
        json.WriteString("version", d.FirmwareVersion);
        json.WriteString("firmwareStatus", d.FirmwareStatus);
        if (d.UpdateAvailable != null) json.WriteString("updateAvailable", d.UpdateAvailable);
        else json.WriteNull("updateAvailable");
        json.WriteBoolean("isConsole", d.IsConsole);
        json.WriteBoolean("isManaged", true);
        json.WriteString("startupTime", "2025-12-01T00:00:00Z");
        json.WriteNull("adoptionTime");
        json.WriteNull("note");
        json.WriteStartObject("uidb");
        json.WriteString("guid", d.Id.ToLowerInvariant());
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
