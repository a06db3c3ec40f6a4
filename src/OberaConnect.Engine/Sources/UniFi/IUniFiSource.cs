namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>
/// UniFi Site Manager data: implemented by <see cref="UniFiClient"/> (the real API) and by the Sample
/// source. Streams are read page by page; a failure raises an <see cref="OberaConnectException"/>
/// (typed <see cref="UniFiApiException"/> for API errors) and never yields partial pages silently.
/// </summary>
public interface IUniFiSource
{
    /// <summary>Consoles and Network Servers of the account.</summary>
    IAsyncEnumerable<UniFiHost> GetHostsAsync(CancellationToken cancellationToken = default);

    /// <summary>Network sites with their statistics.</summary>
    IAsyncEnumerable<UniFiSite> GetSitesAsync(CancellationToken cancellationToken = default);

    /// <summary>Devices of the given hosts (all hosts when null or empty), with host id and name.</summary>
    IAsyncEnumerable<UniFiDevice> GetDevicesAsync(IEnumerable<string>? hostIds = null, CancellationToken cancellationToken = default);
}
