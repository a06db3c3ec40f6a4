using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// Client of the NinjaOne public API v2, authenticated with OAuth2 client credentials against the
/// tenant's regional host. The token is cached and renewed before it expires; a 401 renews it once
/// and retries, then fails with a clear message. Every call goes through the shared
/// <see cref="ResilientHttpPipeline"/>.
/// Pagination, per endpoint (from NinjaOne's API reference and the maintained community modules):
/// organizations and devices take <c>pageSize</c> + <c>after</c> (the last id seen) and answer a bare
/// array; activities take <c>pageSize</c> (10 to 1000) + <c>olderThan</c> (an activity id) and answer
/// <c>{lastActivityId, activities}</c>, newest first; backup jobs take <c>pageSize</c> (up to 10,000) +
/// <c>cursor</c> and answer <c>{cursor:{name,offset,count,expires}, results}</c>; alerts are not paged.
/// No maximum page size is documented for organizations and devices, so a page shorter than asked for
/// does not end a list (the server may cap pages): only an empty page does, or a missing cursor.
/// That costs at most one extra request per list.
/// </summary>
public sealed class NinjaOneClient : SourceApiClient<NinjaOneClientOptions>, INinjaOneSource
{
    /// <summary>Name used in messages, traces and statistics.</summary>
    public const string ServiceName = "NinjaOne";

    private readonly Uri _baseUrl;
    private readonly NinjaOneTokenCache _tokens;

    // The credentials are checked before the options, as the base validates them before anything else. The
    // process-wide pacer is keyed by the client id: NinjaOne limits an API app, and the id names it.
    public NinjaOneClient(string clientId, string clientSecret, NinjaOneClientOptions? options = null,
        HttpMessageHandler? handler = null, TimeProvider? time = null, SecretRedactor? redactor = null)
        : base(ServiceName, options, RequireCredentials(clientId, clientSecret), handler, time, redactor,
            pacerIdentity: clientId)
    {
        _baseUrl = Settings.BaseUrl;
        _tokens = new NinjaOneTokenCache(Pipeline, _baseUrl, Settings.Instance, clientId.Trim(), clientSecret.Trim(),
            NinjaOneClientOptions.NormalizeScope(Settings.Scope, out _)!,
            Settings.TokenRenewalMargin, time ?? TimeProvider.System, Redactor);
    }

    /// <summary>The API base URL in use.</summary>
    public Uri BaseUrl => _baseUrl;

    /// <summary>Access tokens fetched so far.</summary>
    public int TokensIssued => _tokens.TokensIssued;

    /// <inheritdoc />
    public IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default)
        => AfterPagedAsync("v2/organizations", "the list of organizations", NinjaOneOrganization.Parse, o => o.Id, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default)
        => AfterPagedAsync("v2/devices", "the list of devices", NinjaOneDevice.Parse, d => d.Id, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default)
        => AfterPagedAsync($"v2/organization/{organizationId.ToString(CultureInfo.InvariantCulture)}/devices",
            $"the devices of organization {organizationId}", NinjaOneDevice.Parse, d => d.Id, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var alerts = await GetJsonAsync("v2/alerts", null, "the list of alerts",
            root => Items(root, "results").Select(NinjaOneAlert.Parse).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var a in alerts) yield return a;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new NinjaOneActivityQuery();
        long? olderThan = null;
        var yielded = 0;
        var page = 0;
        while (true)
        {
            // The endpoint refuses a pageSize outside 10-1000, whatever the configuration asks for.
            var q = new List<KeyValuePair<string, string>> { new("pageSize", Inv(Settings.ActivitiesPageSize)) };
            if (olderThan is { } o) q.Add(new("olderThan", Inv(o)));
            if (query.SeriesUid != null) q.Add(new("seriesUid", query.SeriesUid));
            if (query.Type != null) q.Add(new("type", query.Type));
            var what = PageWhat("the activity log", ++page);
            var activities = await GetJsonAsync("v2/activities", q, what,
                root => Items(root, "activities").Select(NinjaOneActivity.Parse).ToList(), cancellationToken).ConfigureAwait(false);
            if (activities.Count == 0) yield break;
            var oldest = activities.Min(a => a.Id);
            // The cursor must move to older ids, or we would read the same page forever.
            if (oldest <= 0 || (olderThan is { } prev && oldest >= prev))
                throw NinjaOneApiException.PagingStuck(what, oldest <= 0 ? "an activity without an id, so the next page cannot be asked for"
                    : $"a page that does not go back past activity {olderThan}");
            foreach (var a in activities)
            {
                if (query.NotBefore is { } nb && a.ActivityTime is { } at && at < nb) yield break;
                yield return a;
                if (query.MaxActivities is { } max && ++yielded >= max) yield break;
            }
            olderThan = oldest;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        long? lastOffset = null;
        var page = 0;
        while (true)
        {
            var q = new List<KeyValuePair<string, string>> { new("pageSize", Inv(Settings.BackupJobsPageSize)) };
            if (cursor != null) q.Add(new("cursor", cursor));
            var what = PageWhat("the list of backup jobs", ++page);
            var (jobs, nextCursor, offset) = await GetJsonAsync("v2/backup/jobs", q, what,
                root => (Items(root, "results").Select(NinjaOneBackupJob.Parse).ToList(),
                    root.ValueKind == JsonValueKind.Object ? root.Path("cursor", "name").Str() : null,
                    root.ValueKind == JsonValueKind.Object ? root.Path("cursor", "offset").Long() : null),
                cancellationToken).ConfigureAwait(false);
            if (jobs.Count == 0) yield break;
            if (offset is { } off && lastOffset is { } last && off <= last)
                throw NinjaOneApiException.PagingStuck(what, $"a page that does not move past offset {last} of its cursor");
            foreach (var j in jobs) yield return j;
            if (nextCursor is null) yield break;
            lastOffset = offset;
            cursor = nextCursor;
        }
    }

    private protected override SourceApiException Refused(ApiResponse response, string what)
        => NinjaOneApiException.FromResponse(response, what, _baseUrl, Redactor);

    private protected override SourceApiException Unreadable(string what, int status, JsonException error)
        => NinjaOneApiException.Unreadable(what, status, error);

    // The secret, which the base registers with the redactor; as given, the token cache sends it trimmed.
    private static string RequireCredentials(string clientId, string clientSecret)
        => string.IsNullOrWhiteSpace(clientId) || string.IsNullOrWhiteSpace(clientSecret)
            ? throw new OberaConnectException("NinjaOneCredentialsMissing", FailureKind.Configuration,
                "The NinjaOne client id or client secret is missing. Create an API Services (machine-to-machine) app under Administration > Apps > API and store its id and secret where the configuration names.")
            : clientSecret;

    private async IAsyncEnumerable<T> AfterPagedAsync<T>(string path, string what, Func<JsonElement, T> parse, Func<T, long> idOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? after = null;
        var page = 0;
        while (true)
        {
            var q = new List<KeyValuePair<string, string>> { new("pageSize", Inv(Settings.PageSize)) };
            if (after is { } a) q.Add(new("after", Inv(a)));
            var pageWhat = PageWhat(what, ++page);
            var items = await GetJsonAsync(path, q, pageWhat,
                root => Items(root, "results").Select(parse).ToList(), cancellationToken).ConfigureAwait(false);
            // Only an empty page ends the list: the server may serve fewer items than asked for.
            if (items.Count == 0) yield break;
            var last = items.Max(idOf);
            if (after is { } prev && last <= prev) throw NinjaOneApiException.PagingStuck(pageWhat, $"a page that does not move past id {prev}");
            foreach (var item in items) yield return item;
            after = last;
        }
    }

    // A bare array, or the array under `name` of an object.
    private static IEnumerable<JsonElement> Items(JsonElement root, string name)
        => (root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.Prop(name).Items())
            .Where(e => e.ValueKind == JsonValueKind.Object);

    private async Task<T> GetJsonAsync<T>(string path, IReadOnlyList<KeyValuePair<string, string>>? query, string what,
        Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        var uri = SourceHttp.BuildUri(_baseUrl, path, query);
        var token = await _tokens.GetAsync(null, cancellationToken).ConfigureAwait(false);
        var response = await GetAsync(uri, Bearer(token), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401)
        {
            // The token may have been revoked or expired early: renew once, and only once.
            var fresh = await _tokens.GetAsync(token, cancellationToken).ConfigureAwait(false);
            response = await GetAsync(uri, Bearer(fresh), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 401)
                throw new NinjaOneApiException("NinjaOneUnauthorized", FailureKind.Authentication,
                    $"NinjaOne ({_baseUrl.Host}) refused {what} with HTTP 401 even with a freshly issued access token. " +
                    $"The API app may lack the 'monitoring' scope, or its permissions were changed or it was disabled: check it under {NinjaOneApiException.AppSettingsPath}.",
                    401, null);
        }
        // An empty answer is an empty list.
        return ReadJson(response, what, parse, emptyBody: "[]");
    }

    private static Action<HttpRequestMessage> Bearer(string token)
        => request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    private static string Inv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
