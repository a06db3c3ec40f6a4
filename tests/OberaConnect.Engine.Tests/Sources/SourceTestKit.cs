using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

/// <summary>Clients wired to the loopback fakes with quick retries, so outage tests take milliseconds.</summary>
internal static class SourceTestKit
{
    public static HttpResilienceOptions Quick(int maxRetries = 2) => new()
    {
        RequestsPerSecond = 1000, Burst = 1000, MaxRetries = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(20), BreakerFailureThreshold = 50,
    };

    public static UniFiClient UniFi(UniFiFake fake, int pageSize = 100, string? apiKey = null, TimeProvider? time = null,
        SecretRedactor? redactor = null, Action<UniFiClientOptions>? tweak = null)
    {
        var options = new UniFiClientOptions
        {
            BaseUrl = fake.BaseUrl, PageSize = pageSize, Resilience = Quick(), Pacer = new RequestPacer(1000, 1000, time),
        };
        tweak?.Invoke(options);
        return new UniFiClient(apiKey ?? fake.ApiKey, options, time: time, redactor: redactor);
    }

    public static NinjaOneClient NinjaOne(NinjaOneFake fake, int pageSize = 200, string? secret = null, TimeProvider? time = null,
        SecretRedactor? redactor = null, Action<NinjaOneClientOptions>? tweak = null)
    {
        var options = new NinjaOneClientOptions
        {
            Instance = fake.BaseUrl.ToString(), PageSize = pageSize, Resilience = Quick(), Pacer = new RequestPacer(1000, 1000, time),
            TokenRenewalMargin = TimeSpan.FromSeconds(60),
        };
        tweak?.Invoke(options);
        return new NinjaOneClient(fake.ClientId, secret ?? fake.ClientSecret, options, time: time, redactor: redactor);
    }

    /// <summary>Pages that <paramref name="items"/> fill at <paramref name="pageSize"/> a page.</summary>
    public static int PagesOf(int items, int pageSize) => (items + pageSize - 1) / pageSize;

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken)) list.Add(item);
        return list;
    }
}

/// <summary>Keeps what the engine told its host.</summary>
internal sealed class RecordingOutput : IEngineOutput
{
    private readonly List<string> _warnings = new();
    private readonly List<string> _verbose = new();

    public IReadOnlyList<string> Warnings { get { lock (_warnings) return _warnings.ToList(); } }
    public IReadOnlyList<string> VerboseLines { get { lock (_verbose) return _verbose.ToList(); } }

    public void Verbose(string message) { lock (_verbose) _verbose.Add(message); }
    public void Warning(string message) { lock (_warnings) _warnings.Add(message); }
    public void Progress(ProgressUpdate update) { }
}
