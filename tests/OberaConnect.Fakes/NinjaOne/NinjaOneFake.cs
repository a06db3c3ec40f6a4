using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Fakes.Sources;

namespace OberaConnect.Fakes.NinjaOne;

/// <summary>Settings of a <see cref="NinjaOneFake"/>.</summary>
public sealed class NinjaOneFakeOptions
{
    public string ClientId { get; set; } = "ninja-fake-client";
    public string ClientSecret { get; set; } = "ninja-fake-secret-5b8e1f0c3a";

    /// <summary>expires_in of issued tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clock deciding when tokens expire (share the test's manual clock to test renewal).</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>The data to serve; the default Sample when null.</summary>
    public SampleDataSet? Data { get; set; }

    /// <summary>
    /// The OAuth scopes the API app was granted (monitoring, management, control). A token request naming any
    /// other scope, or none, is refused with 400 invalid_scope, as NinjaOne does. Empty: the app was granted nothing.
    /// </summary>
    public IReadOnlyCollection<string> GrantedScopes { get; set; } = new[] { "monitoring" };

    /// <summary>Page size when none is asked for (activities use their documented default, 200).</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>
    /// Largest page served, whatever is asked: a server-side cap below the requested size, which NinjaOne does not
    /// document for organizations and devices. Clients must not take a short page for the end of a list.
    /// </summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }
}

/// <summary>
/// A loopback fake of the NinjaOne public API v2: the client-credentials token endpoint
/// (POST /ws/oauth/token; scopes not granted to the app give 400 invalid_scope), bearer checks with token
/// expiry on the injected clock, organizations and devices (pageSize + after), alerts (unpaged), activities
/// (pageSize 10 to 1000 + olderThan, newest first, <c>{lastActivityId, activities}</c>), backup jobs (pageSize up
/// to 10,000 + cursor, <c>{cursor, results}</c>), an optional server-side page cap, API errors as
/// <c>{resultCode, errorMessage}</c> and OAuth errors as <c>{error, error_description}</c> (the fields public
/// NinjaOne clients read), and injected 429 and 5xx answers. It serves a <see cref="SampleDataSet"/>.
/// </summary>
public sealed class NinjaOneFake : IAsyncDisposable
{
    // The pageSize limits NinjaOne documents (v2 OpenAPI spec, draft 2.0.9), stated here on their own rather than
    // taken from the client, so a client that gets them wrong fails against the fake as it would against NinjaOne.
    private const int ActivitiesMinPageSize = 10, ActivitiesMaxPageSize = 1000, ActivitiesDefaultPageSize = 200;
    private const int BackupJobsMaxPageSize = 10000;

    private readonly NinjaOneFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<NinjaOneBackupJob> Jobs, int Offset, DateTimeOffset Expires)> _cursors = new(StringComparer.Ordinal);
    private readonly List<SourceFakeRequest> _requests = new();
    private WebApplication? _app;

    private NinjaOneFake(NinjaOneFakeOptions options)
    {
        _options = options;
        _time = options.Time ?? TimeProvider.System;
        Data = options.Data ?? SampleSource.Generate();
    }

    /// <summary>Starts the fake on 127.0.0.1.</summary>
    public static async Task<NinjaOneFake> StartAsync(NinjaOneFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new NinjaOneFake(options ?? new NinjaOneFakeOptions());
        var (app, baseUrl) = await SourceFakeHost.StartAsync(fake._options.Port, fake.HandleAsync, cancellationToken).ConfigureAwait(false);
        fake._app = app;
        fake.BaseUrl = baseUrl;
        return fake;
    }

    /// <summary>Where the fake listens, for NinjaOneClientOptions.Instance.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public string ClientId => _options.ClientId;
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The data it serves.</summary>
    public SampleDataSet Data { get; }

    /// <summary>Faults to inject (429, 5xx, down), for API and token requests alike.</summary>
    public SourceFakeFaults Faults { get; } = new();

    /// <summary>When true, every bearer token is refused (401), fresh ones included.</summary>
    public bool RejectAllTokens { get; set; }

    /// <summary>Token requests answered with a token.</summary>
    public int TokensIssued { get { lock (_gate) return _tokensIssued; } }
    private int _tokensIssued;

    /// <summary>API requests refused with 401.</summary>
    public int UnauthorizedAnswers { get { lock (_gate) return _unauthorized; } }
    private int _unauthorized;

    /// <summary>Requests received so far (token requests included).</summary>
    public IReadOnlyList<SourceFakeRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>Forgets every issued token, as if they had been revoked: the next API call gets a 401.</summary>
    public void RevokeAllTokens()
    {
        lock (_gate) _tokens.Clear();
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
            return await ErrorAsync(context, faultStatus, faultStatus == 429 ? "TOO_MANY_REQUESTS" : "SERVER_ERROR",
                faultStatus == 429 ? "Rate limit exceeded" : "Internal server error").ConfigureAwait(false);
        }
        var path = (request.Path.Value ?? "").TrimEnd('/');
        if (path == "/ws/oauth/token")
            return await TokenAsync(context).ConfigureAwait(false);
        if (!HttpMethods.IsGet(request.Method))
            return await ErrorAsync(context, 405, "METHOD_NOT_ALLOWED", "Method not allowed").ConfigureAwait(false);
        if (!Authorized(request))
        {
            lock (_gate) _unauthorized++;
            return await ErrorAsync(context, 401, "UNAUTHORIZED", "Invalid or expired access token").ConfigureAwait(false);
        }

        switch (path)
        {
            case "/v2/organizations":
                return await AfterPagedAsync(context, Data.NinjaOneOrganizations.OrderBy(o => o.Id).ToList(), o => o.Id, WriteOrganization).ConfigureAwait(false);
            case "/v2/devices":
                return await AfterPagedAsync(context, Data.NinjaOneDevices.OrderBy(d => d.Id).ToList(), d => d.Id, WriteDevice).ConfigureAwait(false);
            case "/v2/alerts":
                await SourceFakeHost.WriteJsonAsync(context, 200, json =>
                {
                    json.WriteStartArray();
                    foreach (var a in Data.NinjaOneAlerts) WriteAlert(json, a);
                    json.WriteEndArray();
                }).ConfigureAwait(false);
                return 200;
            case "/v2/activities":
                return await ActivitiesAsync(context).ConfigureAwait(false);
            case "/v2/backup/jobs":
                return await BackupJobsAsync(context).ConfigureAwait(false);
        }
        const string orgPrefix = "/v2/organization/";
        if (path.StartsWith(orgPrefix, StringComparison.Ordinal) && path.EndsWith("/devices", StringComparison.Ordinal))
        {
            var idText = path.Substring(orgPrefix.Length, path.Length - orgPrefix.Length - "/devices".Length);
            if (!long.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var orgId) || Data.NinjaOneOrganizations.All(o => o.Id != orgId))
                return await ErrorAsync(context, 404, "NOT_FOUND", $"Organization {idText} not found").ConfigureAwait(false);
            return await AfterPagedAsync(context, Data.NinjaOneDevices.Where(d => d.OrganizationId == orgId).OrderBy(d => d.Id).ToList(), d => d.Id, WriteDevice).ConfigureAwait(false);
        }
        return await ErrorAsync(context, 404, "NOT_FOUND", $"Resource not found: {path}").ConfigureAwait(false);
    }

    private async Task<int> TokenAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType)
            return await OAuthErrorAsync(context, 400, "invalid_request", "POST a form (application/x-www-form-urlencoded)").ConfigureAwait(false);
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (form["grant_type"] != "client_credentials")
            return await OAuthErrorAsync(context, 400, "unsupported_grant_type", "Only client_credentials is supported here").ConfigureAwait(false);
        if (form["client_id"] != _options.ClientId || form["client_secret"] != _options.ClientSecret)
            return await OAuthErrorAsync(context, 401, "invalid_client", "Client authentication failed").ConfigureAwait(false);
        var scope = form["scope"].ToString();
        // NinjaOne refuses a scope the app was not granted instead of narrowing the grant (RFC 6749 allows both),
        // and asking for none is refused too.
        var asked = scope.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        var notGranted = asked.Where(a => !_options.GrantedScopes.Contains(a, StringComparer.Ordinal)).ToList();
        if (asked.Length == 0 || notGranted.Count > 0)
            return await OAuthErrorAsync(context, 400, "invalid_scope",
                asked.Length == 0 ? "Invalid scope" : $"Invalid scope {string.Join(" ", notGranted)} for client").ConfigureAwait(false);

        string token;
        lock (_gate)
        {
            token = "n1-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            _tokens[token] = _time.GetUtcNow() + _options.TokenLifetime;
            _tokensIssued++;
        }
        await SourceFakeHost.WriteJsonAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("access_token", token);
            json.WriteNumber("expires_in", (long)_options.TokenLifetime.TotalSeconds);
            json.WriteString("scope", scope);
            json.WriteString("token_type", "Bearer");
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return 200;
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || RejectAllTokens) return false;
        var token = header.Substring("Bearer ".Length).Trim();
        lock (_gate) return _tokens.TryGetValue(token, out var expires) && _time.GetUtcNow() < expires;
    }

    private async Task<int> AfterPagedAsync<T>(HttpContext context, List<T> ordered, Func<T, long> idOf, Action<Utf8JsonWriter, T> write)
    {
        var size = SourceFakeHost.IntQuery(context.Request, "pageSize", _options.DefaultPageSize);
        if (size is null || size < 1) return await ErrorAsync(context, 400, "BAD_REQUEST", "pageSize must be a positive number").ConfigureAwait(false);
        var afterText = context.Request.Query["after"].ToString();
        long? after = null;
        if (afterText.Length > 0)
        {
            if (!long.TryParse(afterText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a))
                return await ErrorAsync(context, 400, "BAD_REQUEST", "after must be an id").ConfigureAwait(false);
            after = a;
        }
        var page = ordered.Where(x => after is null || idOf(x) > after).Take(Math.Min(size.Value, _options.MaxPageSize)).ToList();
        await SourceFakeHost.WriteJsonAsync(context, 200, json =>
        {
            json.WriteStartArray();
            foreach (var item in page) write(json, item);
            json.WriteEndArray();
        }).ConfigureAwait(false);
        return 200;
    }

    private async Task<int> ActivitiesAsync(HttpContext context)
    {
        var size = SourceFakeHost.IntQuery(context.Request, "pageSize", ActivitiesDefaultPageSize);
        if (size is null || size < ActivitiesMinPageSize || size > ActivitiesMaxPageSize)
            return await ErrorAsync(context, 400, "BAD_REQUEST", $"pageSize must be between {ActivitiesMinPageSize} and {ActivitiesMaxPageSize}").ConfigureAwait(false);
        var olderText = context.Request.Query["olderThan"].ToString();
        long? olderThan = null;
        if (olderText.Length > 0)
        {
            if (!long.TryParse(olderText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var o))
                return await ErrorAsync(context, 400, "BAD_REQUEST", "olderThan must be an activity id").ConfigureAwait(false);
            olderThan = o;
        }
        var series = context.Request.Query["seriesUid"].ToString();
        var type = context.Request.Query["type"].ToString();
        var page = Data.NinjaOneActivities
            .Where(a => olderThan is null || a.Id < olderThan)
            .Where(a => series.Length == 0 || string.Equals(a.SeriesUid, series, StringComparison.OrdinalIgnoreCase))
            .Where(a => type.Length == 0 || string.Equals(a.ActivityType, type, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.Id)
            .Take(Math.Min(size.Value, _options.MaxPageSize))
            .ToList();
        await SourceFakeHost.WriteJsonAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("lastActivityId", page.Count > 0 ? page[page.Count - 1].Id : 0);
            json.WriteStartArray("activities");
            foreach (var a in page) WriteActivity(json, a);
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return 200;
    }

    private async Task<int> BackupJobsAsync(HttpContext context)
    {
        var size = SourceFakeHost.IntQuery(context.Request, "pageSize", _options.DefaultPageSize);
        if (size is null || size < 1 || size > BackupJobsMaxPageSize)
            return await ErrorAsync(context, 400, "BAD_REQUEST", $"pageSize must be between 1 and {BackupJobsMaxPageSize}").ConfigureAwait(false);
        var pageSize = Math.Min(size.Value, _options.MaxPageSize);
        var cursorName = context.Request.Query["cursor"].ToString();
        List<NinjaOneBackupJob> jobs;
        int offset;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (cursorName.Length == 0)
            {
                // A cursor is a snapshot of the result set that later pages are read from.
                cursorName = Guid.NewGuid().ToString("N");
                jobs = Data.NinjaOneBackupJobs.ToList();
                offset = 0;
                _cursors[cursorName] = (jobs, 0, now.AddMinutes(10));
            }
            else if (_cursors.TryGetValue(cursorName, out var c) && c.Expires > now)
            {
                jobs = c.Jobs;
                offset = c.Offset;
            }
            else
            {
                jobs = null!;
                offset = -1;
            }
        }
        if (offset < 0) return await ErrorAsync(context, 400, "INVALID_CURSOR", "The cursor is unknown or has expired").ConfigureAwait(false);
        var page = jobs.Skip(offset).Take(pageSize).ToList();
        DateTimeOffset expires;
        lock (_gate)
        {
            expires = _cursors[cursorName].Expires;
            _cursors[cursorName] = (jobs, offset + page.Count, expires);
        }
        await SourceFakeHost.WriteJsonAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("cursor");
            json.WriteString("name", cursorName);
            json.WriteNumber("offset", offset);
            json.WriteNumber("count", page.Count);
            json.WriteNumber("expires", expires.ToUnixTimeMilliseconds() / 1000.0);
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var j in page) WriteJob(json, j);
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return 200;
    }

    private static async Task<int> ErrorAsync(HttpContext context, int status, string code, string message)
    {
        await SourceFakeHost.WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("resultCode", code);
            json.WriteString("errorMessage", message);
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return status;
    }

    private static async Task<int> OAuthErrorAsync(HttpContext context, int status, string error, string description)
    {
        await SourceFakeHost.WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteString("error_description", description);
            json.WriteEndObject();
        }).ConfigureAwait(false);
        return status;
    }

    private static double Epoch(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    private static void WriteOrganization(Utf8JsonWriter json, NinjaOneOrganization o)
    {
        json.WriteStartObject();
        json.WriteNumber("id", o.Id);
        json.WriteString("name", o.Name);
        json.WriteString("description", o.Description);
        json.WriteString("nodeApprovalMode", "AUTOMATIC");
        json.WriteStartArray("tags");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteDevice(Utf8JsonWriter json, NinjaOneDevice d)
    {
        json.WriteStartObject();
        json.WriteNumber("id", d.Id);
        json.WriteNumber("organizationId", d.OrganizationId);
        if (d.LocationId is { } loc) json.WriteNumber("locationId", loc);
        json.WriteString("nodeClass", d.NodeClass);
        json.WriteNumber("nodeRoleId", 1);
        json.WriteNumber("rolePolicyId", 1);
        json.WriteString("approvalStatus", d.ApprovalStatus);
        json.WriteBoolean("offline", d.IsOffline);
        json.WriteString("displayName", d.DisplayName);
        json.WriteString("systemName", d.SystemName);
        json.WriteString("dnsName", d.DnsName);
        json.WriteNumber("created", 1704067200.0);
        if (d.LastContact is { } lc)
        {
            json.WriteNumber("lastContact", Epoch(lc));
            json.WriteNumber("lastUpdate", Epoch(lc));
        }
        json.WriteEndObject();
    }

    private static void WriteAlert(Utf8JsonWriter json, NinjaOneAlert a)
    {
        json.WriteStartObject();
        json.WriteString("uid", a.Uid);
        if (a.DeviceId is { } id) json.WriteNumber("deviceId", id);
        json.WriteString("message", a.Message);
        if (a.CreatedAt is { } t)
        {
            json.WriteNumber("createTime", Epoch(t));
            json.WriteNumber("updateTime", Epoch(t));
        }
        json.WriteString("sourceType", a.SourceType);
        json.WriteString("sourceConfigUid", "00000000-0000-4000-8000-000000000001");
        json.WriteString("sourceName", a.SourceName);
        json.WriteString("subject", a.Subject);
        json.WriteStartObject("data");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteActivity(Utf8JsonWriter json, NinjaOneActivity a)
    {
        json.WriteStartObject();
        json.WriteNumber("id", a.Id);
        if (a.ActivityTime is { } t) json.WriteNumber("activityTime", Epoch(t));
        if (a.DeviceId is { } d) json.WriteNumber("deviceId", d);
        json.WriteString("severity", a.Severity == NinjaOneSeverity.Unknown ? "NONE" : a.Severity.ToString().ToUpperInvariant());
        if (a.Priority != null) json.WriteString("priority", a.Priority);
        if (a.SeriesUid != null) json.WriteString("seriesUid", a.SeriesUid);
        json.WriteString("activityType", a.ActivityType);
        json.WriteString("statusCode", a.StatusCode);
        json.WriteString("status", a.Status);
        json.WriteString("sourceName", a.SourceName);
        json.WriteString("subject", a.Subject);
        json.WriteString("message", a.Message);
        json.WriteString("type", a.ActivityType);
        json.WriteEndObject();
    }

    private static void WriteJob(Utf8JsonWriter json, NinjaOneBackupJob j)
    {
        json.WriteStartObject();
        json.WriteString("jobId", j.JobId);
        json.WriteNumber("deviceId", j.DeviceId);
        json.WriteString("jobStatus", j.StatusText);
        if (j.StartedAt is { } s) json.WriteNumber("jobStartTime", Epoch(s));
        if (j.EndedAt is { } e) json.WriteNumber("jobEndTime", Epoch(e));
        json.WriteString("planType", j.PlanType);
        json.WriteString("planName", j.PlanName);
        json.WriteEndObject();
    }
}
