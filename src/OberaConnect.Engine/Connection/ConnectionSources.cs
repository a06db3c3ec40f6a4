using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Connection;

/// <summary>The configuration's settings in the shapes the sources and the health score take.</summary>
public static class ConfigurationBridge
{
    /// <summary>The weights the calculator uses (validated by the configuration loader).</summary>
    public static HealthWeights HealthWeights(OberaConnectConfiguration configuration)
    {
        var w = configuration.HealthScoreWeights;
        return new HealthWeights
        {
            DeviceAvailability = w.DeviceAvailability,
            WifiQuality = w.WifiQuality,
            Alerts = w.Alerts,
            Backup = w.Backup,
            ConfigCompliance = w.ConfigCompliance,
        };
    }

    /// <summary>The configured UniFi-site → NinjaOne-organization pairs as the site matcher takes them.</summary>
    public static SiteMap SiteMap(OberaConnectConfiguration configuration)
        => new(configuration.SiteMapping.Entries.Select(e => new Sources.SiteMapEntry
        {
            UniFi = e.UniFiSite,
            NinjaOne = e.Organization.Id is long id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Organization.Name,
        }));
}

/// <summary>Where customer-site data comes from for a cmdlet.</summary>
public enum SiteSourceKind
{
    /// <summary>UniFi Site Manager and NinjaOne as configured (either may be absent or down).</summary>
    Configured,
    /// <summary>Deterministic sample data in the shape of the real sources (demos, tests, benchmarks).</summary>
    Sample,
}

public sealed partial class OberaConnectConnection
{
    private UniFiClient? _uniFi;
    private NinjaOneClient? _ninjaOne;

    /// <summary>
    /// The UniFi data the list cmdlets read: the account's (<see cref="GetUniFiAsync"/>, credentials resolved on first
    /// use), or with <paramref name="sample"/> the Sample's, which needs no account and no credential.
    /// </summary>
    public async Task<IUniFiSource> GetUniFiSourceAsync(SampleOptions? sample, CancellationToken cancellationToken)
        => sample is null ? await GetUniFiAsync(cancellationToken).ConfigureAwait(false) : new SampleUniFiSource(SampleData(sample));

    /// <summary>The NinjaOne data the list cmdlets read: the account's, or with <paramref name="sample"/> the Sample's.</summary>
    public async Task<INinjaOneSource> GetNinjaOneSourceAsync(SampleOptions? sample, CancellationToken cancellationToken)
        => sample is null ? await GetNinjaOneAsync(cancellationToken).ConfigureAwait(false) : new SampleNinjaOneSource(SampleData(sample));

    private (int Seed, int SiteCount, int Day, SampleDataSet Data)? _sample;

    // One Sample per shape: a piped list (one call per organization id) reads the same data without generating it again.
    private SampleDataSet SampleData(SampleOptions options)
    {
        var last = _sample;
        if (last is { } s && s.Seed == options.Seed && s.SiteCount == options.SiteCount && s.Day == options.Day) return s.Data;
        var data = SampleSource.Generate(options);
        _sample = (options.Seed, options.SiteCount, options.Day, data);
        return data;
    }

    /// <summary>
    /// The request counters of every client this connection has created so far, by the service label the metrics
    /// use (notion, unifi, ninjaone, keyvault). A run snapshots them at its start and records the difference.
    /// </summary>
    public IReadOnlyDictionary<string, HttpStatistics> RequestStatistics()
    {
        var statistics = new Dictionary<string, HttpStatistics>(StringComparer.Ordinal);
        if (_notion is { } notion) statistics[MetricServices.Notion] = notion.Statistics;
        if (_uniFi is { } uniFi) statistics[MetricServices.UniFi] = uniFi.Statistics;
        if (_ninjaOne is { } ninjaOne) statistics[MetricServices.NinjaOne] = ninjaOne.Statistics;
        if (KeyVault is Security.KeyVaultSecretProvider vault) statistics[MetricServices.KeyVault] = vault.Statistics;
        return statistics;
    }

    /// <summary>The UniFi Site Manager client, resolving the API key on first use.</summary>
    public async Task<UniFiClient> GetUniFiAsync(CancellationToken cancellationToken)
    {
        if (_uniFi != null) return _uniFi;
        var key = await ResolveAsync(CredentialKind.UniFiApiKey, _options.UniFiApiKey, cancellationToken).ConfigureAwait(false);
        var settings = Configuration.UniFi;
        var options = new UniFiClientOptions
        {
            BaseUrl = new Uri(settings.BaseUrl.EndsWith("/", StringComparison.Ordinal) ? settings.BaseUrl : settings.BaseUrl + "/"),
            PageSize = settings.PageSize,
            Resilience = settings.ToResilienceOptions(),
            Trace = Trace,
        };
        return _uniFi ??= new UniFiClient(key.Value.Reveal(), options, _options.HttpHandler, _options.Time, Redactor);
    }

    /// <summary>The NinjaOne client, resolving the client id and secret on first use.</summary>
    public async Task<NinjaOneClient> GetNinjaOneAsync(CancellationToken cancellationToken)
    {
        if (_ninjaOne != null) return _ninjaOne;
        var id = await ResolveAsync(CredentialKind.NinjaOneClientId, _options.NinjaOneClientId, cancellationToken).ConfigureAwait(false);
        var secret = await ResolveAsync(CredentialKind.NinjaOneClientSecret, _options.NinjaOneClientSecret, cancellationToken).ConfigureAwait(false);
        var settings = Configuration.NinjaOne;
        var options = new NinjaOneClientOptions
        {
            Instance = settings.Region,
            Scope = settings.Scope,
            PageSize = settings.PageSize,
            Resilience = settings.ToResilienceOptions(),
            Trace = Trace,
        };
        return _ninjaOne ??= new NinjaOneClient(id.Value.Reveal(), secret.Value.Reveal(), options, _options.HttpHandler, _options.Time, Redactor);
    }

    /// <summary>
    /// The merged customer-site view. Configured: UniFi and NinjaOne, each only when its credentials
    /// resolve (a missing one is a warning and that source is reported missing on every site); both
    /// missing is an error naming how to provide them. Sample: deterministic sample data.
    /// </summary>
    public async Task<ICustomerSiteSource> GetCustomerSiteSourceAsync(SiteSourceKind kind, SampleOptions? sample, CancellationToken cancellationToken)
    {
        var map = ConfigurationBridge.SiteMap(Configuration);
        if (kind == SiteSourceKind.Sample)
        {
            var data = SampleSource.Generate(sample);
            var sampleOptions = SampleSource.OptionsFor(data, map.Entries.Count > 0 ? map : null);
            sampleOptions.HealthWeights = ConfigurationBridge.HealthWeights(Configuration);
            return new CustomerSiteSource(new SampleUniFiSource(data), new SampleNinjaOneSource(data), sampleOptions, Output);
        }

        UniFiClient? uniFi = null;
        NinjaOneClient? ninjaOne = null;
        CredentialNotFoundException? uniFiMissing = null, ninjaOneMissing = null;
        try { uniFi = await GetUniFiAsync(cancellationToken).ConfigureAwait(false); }
        catch (CredentialNotFoundException ex) { uniFiMissing = ex; }
        try { ninjaOne = await GetNinjaOneAsync(cancellationToken).ConfigureAwait(false); }
        catch (CredentialNotFoundException ex) { ninjaOneMissing = ex; }
        if (uniFi is null && ninjaOne is null)
            throw new OberaConnectException("NoSourceCredentials", FailureKind.Configuration,
                "Neither UniFi nor NinjaOne credentials were found, so there is nothing to read. " + uniFiMissing!.Message + " " + ninjaOneMissing!.Message +
                " To try the module without them, use -Source Sample.", uniFiMissing);
        if (uniFiMissing != null) Output.Warning("UniFi is skipped: " + uniFiMissing.Message);
        if (ninjaOneMissing != null) Output.Warning("NinjaOne is skipped: " + ninjaOneMissing.Message);
        var options = new CustomerSiteSourceOptions
        {
            Map = map,
            HealthWeights = ConfigurationBridge.HealthWeights(Configuration),
            Time = _options.Time,
        };
        return new CustomerSiteSource(uniFi, ninjaOne, options, Output);
    }
}
