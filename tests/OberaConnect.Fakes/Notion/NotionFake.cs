using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OberaConnect.Fakes.Notion;

/// <summary>
/// A stateful fake of the Notion REST API (Notion-Version 2025-09-03 and 2026-03-11) on 127.0.0.1.
/// <code>
/// await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
/// var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}},"Score":{"number":{}}}""");
/// // client: new Uri(fake.BaseUrl, "v1/data_sources/" + db.DataSourceId + "/query"), "Bearer " + fake.Token
/// </code>
/// </summary>
public sealed class NotionFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NotionRateLimiter _limiter;

    private NotionFake(WebApplication app, Uri baseUrl, string token, NotionFakeState state, NotionRequestCounters requests, NotionFaults faults, NotionRateLimiter limiter)
    {
        _app = app;
        BaseUrl = baseUrl;
        Token = token;
        State = state;
        Requests = requests;
        Faults = faults;
        _limiter = limiter;
    }

    /// <summary>"http://127.0.0.1:{port}/" (ends with '/', so <c>new Uri(BaseUrl, "v1/pages")</c> works).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The integration token the fake accepts ("Authorization: Bearer {Token}").</summary>
    public string Token { get; }

    /// <summary>A workspace-level page shared with the integration: create databases and pages under it.</summary>
    public string RootPageId => State.RootPageId;

    /// <summary>A page that exists but is not shared with the integration: every request for it is 404 object_not_found.</summary>
    public string UnsharedPageId => State.UnsharedPageId;

    /// <summary>The integration's bot user id (what GET /v1/users/me returns).</summary>
    public string BotUserId => State.BotUserId;

    /// <summary>The endpoints the fake answers, as "METHOD /route/template" (the keys <see cref="Requests"/> counts under).</summary>
    public static IReadOnlyList<string> SupportedEndpoints => NotionApi.Endpoints;

    /// <summary>Requests per endpoint and in total.</summary>
    public NotionRequestCounters Requests { get; }

    /// <summary>Faults to inject into coming requests.</summary>
    public NotionFaults Faults { get; }

    /// <summary>Direct seeding and inspection, without HTTP, counters or rate limits.</summary>
    public NotionFakeState State { get; }

    public static async Task<NotionFake> StartAsync(NotionFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NotionFakeOptions();
        var token = options.Token ?? "ntn_fake_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var store = new NotionStore(options) { StrictSelectOptions = options.StrictSelectOptions };
        var counters = new NotionRequestCounters();
        var faults = new NotionFaults();
        var limiter = new NotionRateLimiter(store.Time, options.RateLimitPerSecond, options.Burst);
        var api = new NotionApi(store, counters, faults, limiter, token);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // No console lifetime: an in-process fake must not take the test host's Ctrl+C / SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        api.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        return new NotionFake(app, baseUrl, token, new NotionFakeState(store), counters, faults, limiter);
    }

    /// <summary>Turns the rate limit on (requests per second and burst) or off (null) from now on.</summary>
    public void SetRateLimit(double? requestsPerSecond, int burst = NotionFakeOptions.DefaultBurst) => _limiter.Configure(requestsPerSecond, burst);

    /// <summary>
    /// How long a new row stays out of data source queries (found by GET all the same), as Notion's query index lags a create;
    /// zero (the default) shows every row at once.
    /// </summary>
    public TimeSpan QueryIndexLag
    {
        get => State.Store.QueryIndexLag;
        set { lock (State.Store.Gate) State.Store.QueryIndexLag = value; }
    }

    /// <summary>Whether page writes naming an unknown select option fail (true) or create it (false, Notion's way).</summary>
    public bool StrictSelectOptions
    {
        get => State.Store.StrictSelectOptions;
        set { lock (State.Store.Gate) State.Store.StrictSelectOptions = value; }
    }

    /// <summary>An HttpClient already pointed at the fake with the token and a Notion-Version header.</summary>
    public HttpClient CreateHttpClient(string notionVersion = "2026-03-11")
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        client.DefaultRequestHeaders.Add("Notion-Version", notionVersion);
        return client;
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: requests still held by an injected delay are aborted rather than awaited.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
