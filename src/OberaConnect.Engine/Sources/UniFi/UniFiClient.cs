using System.Runtime.CompilerServices;
using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>
/// Client of the UniFi Site Manager API (https://api.ui.com): hosts, sites and devices, read-only,
/// authenticated with the <c>X-API-Key</c> header. v1 lists are streamed page by page (pageSize +
/// nextToken) until a page comes without nextToken; early-access (/ea/) lists document no paging and are
/// asked without paging parameters. Pacing, 429/Retry-After, 5xx retries and the breaker come from the shared
/// <see cref="ResilientHttpPipeline"/>; errors become <see cref="UniFiApiException"/> with UniFi's traceId.
/// </summary>
public sealed class UniFiClient : SourceApiClient<UniFiClientOptions>, IUniFiSource
{
    /// <summary>Name used in messages, traces and statistics.</summary>
    public const string ServiceName = "UniFi Site Manager";

    private readonly string _apiKey;
    private readonly string _prefix;

    // The key is checked before the options, as the base validates them before anything else.
    public UniFiClient(string apiKey, UniFiClientOptions? options = null, HttpMessageHandler? handler = null,
        TimeProvider? time = null, SecretRedactor? redactor = null)
        : base(ServiceName, options, RequireKey(apiKey), handler, time, redactor)
    {
        _apiKey = apiKey.Trim();
        _prefix = Settings.ApiVersion == UniFiApiVersion.EarlyAccess ? "ea/" : "v1/";
    }

    /// <summary>The options in force.</summary>
    public UniFiClientOptions Options => Settings;

    /// <inheritdoc />
    public IAsyncEnumerable<UniFiHost> GetHostsAsync(CancellationToken cancellationToken = default)
        => PagedAsync("hosts", null, "the list of hosts", ParseData(UniFiHost.Parse), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<UniFiSite> GetSitesAsync(CancellationToken cancellationToken = default)
        => PagedAsync("sites", null, "the list of sites", ParseData(UniFiSite.Parse), cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<UniFiDevice> GetDevicesAsync(IEnumerable<string>? hostIds = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = (hostIds ?? Enumerable.Empty<string>()).Where(h => !string.IsNullOrWhiteSpace(h))
            .Distinct(StringComparer.Ordinal).ToList();
        // No ids: one unfiltered listing. Many ids: several requests, so no URL grows past proxy limits.
        var batches = ids.Count == 0
            ? new List<List<string>> { new() }
            : ids.Select((id, i) => (id, i)).GroupBy(x => x.i / Settings.HostIdsPerRequest)
                .Select(g => g.Select(x => x.id).ToList()).ToList();
        foreach (var batch in batches)
        {
            var query = batch.Select(id => new KeyValuePair<string, string>("hostIds[]", id)).ToList();
            await foreach (var device in PagedAsync("devices", query, "the list of devices", ParseDeviceGroups, cancellationToken)
                               .WithCancellation(cancellationToken).ConfigureAwait(false))
                yield return device;
        }
    }

    private protected override SourceApiException Refused(ApiResponse response, string what) => UniFiApiException.FromResponse(response, what, Redactor);

    private protected override SourceApiException Unreadable(string what, int status, JsonException error) => UniFiApiException.Unreadable(what, status, error);

    private static string RequireKey(string apiKey)
        => string.IsNullOrWhiteSpace(apiKey)
            ? throw new OberaConnectException("UniFiApiKeyMissing", FailureKind.Configuration,
                "No UniFi Site Manager API key was given. Create one at unifi.ui.com/api and store it in the secret store (or the environment variable) the configuration names.")
            : apiKey.Trim();

    private static Func<JsonElement, IEnumerable<T>> ParseData<T>(Func<JsonElement, T> parseItem)
        => root => Data(root).Where(e => e.ValueKind == JsonValueKind.Object).Select(parseItem).ToList();

    private static IEnumerable<UniFiDevice> ParseDeviceGroups(JsonElement root)
    {
        var result = new List<UniFiDevice>();
        foreach (var group in Data(root))
        {
            if (group.ValueKind != JsonValueKind.Object) continue;
            var devices = group.Prop("devices");
            if (devices is null)
            {
                // Tolerate a flat list of devices (no per-host grouping).
                if (group.Prop("mac") != null || group.Prop("model") != null)
                    result.Add(UniFiDevice.Parse(group, group.Str("hostId"), group.Str("hostName")));
                continue;
            }
            var hostId = group.Str("hostId");
            var hostName = group.Str("hostName");
            foreach (var d in devices.Items())
                if (d.ValueKind == JsonValueKind.Object) result.Add(UniFiDevice.Parse(d, hostId, hostName));
        }
        return result;
    }

    // The documented envelope is {data: [...], nextToken}; a bare array is accepted too.
    private static IEnumerable<JsonElement> Data(JsonElement root)
        => root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.Prop("data").Items();

    private async IAsyncEnumerable<T> PagedAsync<T>(string resource, IReadOnlyList<KeyValuePair<string, string>>? filter, string what,
        Func<JsonElement, IEnumerable<T>> parse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextToken = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var page = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = new List<KeyValuePair<string, string>>();
            if (filter != null) query.AddRange(filter);
            // Early-access endpoints document no paging: they are asked without pageSize, and a nextToken is only
            // sent back if one of them answers with it (so nothing is lost should they start paging).
            if (Settings.ApiVersion == UniFiApiVersion.V1)
                query.Add(new("pageSize", Settings.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (nextToken != null) query.Add(new("nextToken", nextToken));
            var uri = SourceHttp.BuildUri(Settings.BaseUrl, _prefix + resource, query);
            var pageWhat = PageWhat(what, ++page);

            var response = await GetAsync(uri, r => r.Headers.TryAddWithoutValidation("X-API-Key", _apiKey), cancellationToken).ConfigureAwait(false);
            List<T> items;
            (items, nextToken) = ReadJson(response, pageWhat,
                root => (parse(root).ToList(), root.ValueKind == JsonValueKind.Object ? root.Str("nextToken") : null));

            foreach (var item in items) yield return item;

            if (nextToken is null) yield break;
            if (!seen.Add(nextToken))
                throw new UniFiApiException("UniFiUnexpectedResponse", FailureKind.ServiceUnavailable,
                    $"UniFi Site Manager returned the same nextToken twice while listing {what}; stopped to avoid reading forever. Try again later.",
                    response.StatusCode, null, null);
        }
    }
}
