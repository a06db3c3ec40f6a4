using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.Sample;

namespace OberaConnect.Engine.Sync;

/// <summary>What a sync read from the sources: the inputs, and the sites whose items it knows completely.</summary>
public sealed class SourceBatch<T>
{
    public SourceBatch(IReadOnlyList<T> items, IReadOnlyList<string> coveredSites)
    {
        Items = items;
        CoveredSites = coveredSites;
    }

    public IReadOnlyList<T> Items { get; }

    /// <summary>
    /// Sites whose complete list is in <see cref="Items"/>: only their missing devices are marked gone and
    /// their missing alerts resolved. A site of a source that could not be read is never covered.
    /// </summary>
    public IReadOnlyList<string> CoveredSites { get; }
}

/// <summary>
/// The inputs of the site syncs when nothing is piped: read from the configured sources (UniFi and
/// NinjaOne) or from the Sample. The source is named "Configured" or "Sample" (hosts pass the
/// name, not the enum); the day picks the Sample's day.
/// </summary>
public static class SyncSources
{
    /// <summary>The merged customer sites as Sync-CustomerStatus and Add-DailyHealthSnapshot inputs.</summary>
    public static async Task<IReadOnlyList<CustomerStatusInput>> SitesAsync(OberaConnectConnection connection, string source, int? day, CancellationToken cancellationToken)
    {
        var sites = await OpenAsync(connection, source, day, cancellationToken).ConfigureAwait(false);
        var snapshot = await sites.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Sites.Select(CustomerStatusInput.FromSite).ToList();
    }

    /// <summary>
    /// UniFi's devices placed at a site, as Sync-NetworkDevice inputs. NinjaOne-managed computers are not
    /// network devices; devices whose console serves several sites cannot be placed (a warning counts them).
    /// Covered: every site with at least one placed device (a site of a console that could not be read has none).
    /// </summary>
    public static async Task<SourceBatch<NetworkDeviceInput>> DevicesAsync(OberaConnectConnection connection, string source, int? day, CancellationToken cancellationToken)
    {
        var sites = await OpenAsync(connection, source, day, cancellationToken).ConfigureAwait(false);
        var items = new List<NetworkDeviceInput>();
        var unplaced = 0;
        await foreach (var device in sites.GetDevicesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (device.Source != SourceSystem.UniFi) continue;
            if (string.IsNullOrWhiteSpace(device.SiteName)) { unplaced++; continue; }
            items.Add(NetworkDeviceInput.FromDevice(device));
        }
        if (unplaced > 0)
            connection.Output.Warning($"{unplaced} UniFi device(s) were not synced: their console serves several sites and UniFi does not say which site each device is at.");
        var covered = items.Select(i => i.SiteName!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new SourceBatch<NetworkDeviceInput>(items, covered);
    }

    /// <summary>
    /// NinjaOne's open alerts as Sync-Alert inputs. Covered: every site NinjaOne answered for this run (so
    /// the last alert of a site clears too); none when NinjaOne could not be read.
    /// </summary>
    public static async Task<SourceBatch<AlertInput>> AlertsAsync(OberaConnectConnection connection, string source, int? day, CancellationToken cancellationToken)
    {
        var sites = await OpenAsync(connection, source, day, cancellationToken).ConfigureAwait(false);
        var snapshot = await sites.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var unplaced = snapshot.Alerts.Count(a => string.IsNullOrWhiteSpace(a.SiteName));
        if (unplaced > 0)
            connection.Output.Warning($"{unplaced} NinjaOne alert(s) were not synced: their device belongs to no known customer site.");
        var items = snapshot.Alerts.Where(a => !string.IsNullOrWhiteSpace(a.SiteName)).Select(AlertInput.FromAlert).ToList();
        var covered = snapshot.NinjaOne.State == SourceState.Present
            ? snapshot.Sites.Where(s => s.NinjaOneStatusValue == SourceState.Present).Select(s => s.SiteName).ToList()
            : new List<string>();
        if (snapshot.NinjaOne.State == SourceState.Unavailable)
            connection.Output.Warning("NinjaOne could not be read, so no alert is marked Resolved this run.");
        return new SourceBatch<AlertInput>(items, covered);
    }

    private static Task<ICustomerSiteSource> OpenAsync(OberaConnectConnection connection, string source, int? day, CancellationToken cancellationToken)
    {
        var kind = ParseKind(source);
        if (day is not null && kind != SiteSourceKind.Sample)
            throw new OberaConnectException("DayNeedsSample", FailureKind.InvalidInput, "-Day picks a day of the Sample data; use it with -Source Sample.");
        var sample = kind == SiteSourceKind.Sample ? new SampleOptions { Day = day ?? 0 } : null;
        return connection.GetCustomerSiteSourceAsync(kind, sample, cancellationToken);
    }

    private static SiteSourceKind ParseKind(string? source)
    {
        if (string.IsNullOrWhiteSpace(source)) return SiteSourceKind.Configured;
        if (Enum.TryParse<SiteSourceKind>(source!.Trim(), ignoreCase: true, out var kind)) return kind;
        throw new OberaConnectException("UnknownSiteSource", FailureKind.InvalidInput, $"'{source}' is not a source; use Configured (UniFi and NinjaOne as configured) or Sample.");
    }
}
