using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Connection;

/// <summary>What Get-CustomerSite asks for.</summary>
public sealed class CustomerSiteQuery
{
    /// <summary>Configured UniFi + NinjaOne, or the Sample.</summary>
    public SiteSourceKind Source { get; set; } = SiteSourceKind.Configured;

    /// <summary>Shape of the Sample (day, site count); ignored for <see cref="SiteSourceKind.Configured"/>.</summary>
    public SampleOptions? Sample { get; set; }

    /// <summary>Only sites whose SiteName, UniFi site name or NinjaOne organization name matches; null: all.</summary>
    public Func<string, bool>? Name { get; set; }
}

/// <summary>The sites and mapping problems a <see cref="CustomerSiteQuery"/> selected, and the snapshot they came from.</summary>
public sealed class CustomerSiteSelection
{
    public CustomerSiteSelection(IReadOnlyList<CustomerSite> sites, IReadOnlyList<SiteMismatch> mismatches, CustomerSiteSnapshot snapshot)
    {
        Sites = sites;
        Mismatches = mismatches;
        Snapshot = snapshot;
    }

    public IReadOnlyList<CustomerSite> Sites { get; }

    /// <summary>Unmatched and ambiguous sites and site-map problems (only those the name filter concerns).</summary>
    public IReadOnlyList<SiteMismatch> Mismatches { get; }

    public CustomerSiteSnapshot Snapshot { get; }
}

/// <summary>
/// The reads of the source cmdlets over a connection: the client (credentials resolved on first use) and the
/// filtered stream, each item handed to <c>emit</c> as it arrives. They return a plain Task because the cmdlet
/// assembly may reference no type outside netstandard, PowerShell and the engine (IAsyncEnumerable lives in
/// Microsoft.Bcl.AsyncInterfaces on netstandard2.0), and it cannot await (see OberaConnectCmdlet).
/// Warnings and verbose notes go to the connection's <see cref="OberaConnectConnection.Output"/>.
/// </summary>
public static class ConnectionReads
{
    public static Task ReadUniFiSitesAsync(this OberaConnectConnection connection, Func<string, bool>? name, Action<UniFiSite> emit,
        CancellationToken cancellationToken = default)
        => ReadUniFiSitesAsync(connection, null, name, emit, cancellationToken);

    /// <summary>The UniFi sites of the account, or with <paramref name="sample"/> of the Sample (-Source Sample).</summary>
    public static async Task ReadUniFiSitesAsync(this OberaConnectConnection connection, SampleOptions? sample, Func<string, bool>? name, Action<UniFiSite> emit,
        CancellationToken cancellationToken = default)
    {
        var source = await Require(connection, emit).GetUniFiSourceAsync(sample, cancellationToken).ConfigureAwait(false);
        await Emit(SourceQueries.UniFiSitesAsync(source, name, cancellationToken), emit, cancellationToken).ConfigureAwait(false);
    }

    public static Task ReadUniFiDevicesAsync(this OberaConnectConnection connection, UniFiDeviceQuery query, Action<UniFiDevice> emit,
        CancellationToken cancellationToken = default)
        => ReadUniFiDevicesAsync(connection, null, query, emit, cancellationToken);

    /// <summary>The UniFi devices of the account, or with <paramref name="sample"/> of the Sample.</summary>
    public static async Task ReadUniFiDevicesAsync(this OberaConnectConnection connection, SampleOptions? sample, UniFiDeviceQuery query, Action<UniFiDevice> emit,
        CancellationToken cancellationToken = default)
    {
        var source = await Require(connection, emit).GetUniFiSourceAsync(sample, cancellationToken).ConfigureAwait(false);
        await Emit(SourceQueries.UniFiDevicesAsync(source, query, connection.Output, cancellationToken), emit, cancellationToken).ConfigureAwait(false);
    }

    public static Task ReadNinjaOneOrganizationsAsync(this OberaConnectConnection connection, Func<string, bool>? name, Action<NinjaOneOrganization> emit,
        CancellationToken cancellationToken = default)
        => ReadNinjaOneOrganizationsAsync(connection, null, name, emit, cancellationToken);

    /// <summary>The NinjaOne organizations of the account, or with <paramref name="sample"/> of the Sample.</summary>
    public static async Task ReadNinjaOneOrganizationsAsync(this OberaConnectConnection connection, SampleOptions? sample, Func<string, bool>? name,
        Action<NinjaOneOrganization> emit, CancellationToken cancellationToken = default)
    {
        var source = await Require(connection, emit).GetNinjaOneSourceAsync(sample, cancellationToken).ConfigureAwait(false);
        await Emit(SourceQueries.OrganizationsAsync(source, name, cancellationToken), emit, cancellationToken).ConfigureAwait(false);
    }

    public static Task ReadNinjaOneDevicesAsync(this OberaConnectConnection connection, long? organizationId, bool offlineOnly, Action<NinjaOneDevice> emit,
        CancellationToken cancellationToken = default)
        => ReadNinjaOneDevicesAsync(connection, null, organizationId, offlineOnly, emit, cancellationToken);

    /// <summary>The NinjaOne devices of the account, or with <paramref name="sample"/> of the Sample.</summary>
    public static async Task ReadNinjaOneDevicesAsync(this OberaConnectConnection connection, SampleOptions? sample, long? organizationId, bool offlineOnly,
        Action<NinjaOneDevice> emit, CancellationToken cancellationToken = default)
    {
        var source = await Require(connection, emit).GetNinjaOneSourceAsync(sample, cancellationToken).ConfigureAwait(false);
        await Emit(SourceQueries.NinjaOneDevicesAsync(source, organizationId, offlineOnly, cancellationToken), emit, cancellationToken).ConfigureAwait(false);
    }

    public static Task ReadNinjaOneAlertsAsync(this OberaConnectConnection connection, NinjaOneAlertQuery query, Action<NinjaOneAlert> emit,
        CancellationToken cancellationToken = default)
        => ReadNinjaOneAlertsAsync(connection, null, query, emit, cancellationToken);

    /// <summary>The open NinjaOne alerts of the account, or with <paramref name="sample"/> of the Sample.</summary>
    public static async Task ReadNinjaOneAlertsAsync(this OberaConnectConnection connection, SampleOptions? sample, NinjaOneAlertQuery query,
        Action<NinjaOneAlert> emit, CancellationToken cancellationToken = default)
    {
        var source = await Require(connection, emit).GetNinjaOneSourceAsync(sample, cancellationToken).ConfigureAwait(false);
        await Emit(SourceQueries.NinjaOneAlertsAsync(source, query, connection.Output, cancellationToken), emit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The merged view (see <see cref="OberaConnectConnection.GetCustomerSiteSourceAsync"/>), narrowed to the sites
    /// and mapping problems whose names match the query. Source warnings have gone to the connection's output.
    /// </summary>
    public static async Task<CustomerSiteSelection> SelectCustomerSitesAsync(this OberaConnectConnection connection, CustomerSiteQuery query,
        CancellationToken cancellationToken = default)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        if (query is null) throw new ArgumentNullException(nameof(query));
        var source = await connection.GetCustomerSiteSourceAsync(query.Source, query.Sample, cancellationToken).ConfigureAwait(false);
        var snapshot = await source.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var name = query.Name;
        if (name is null) return new CustomerSiteSelection(snapshot.Sites, snapshot.Mismatches, snapshot);
        bool Any(params string?[] texts) => texts.Any(t => !string.IsNullOrEmpty(t) && name(t!));
        var sites = snapshot.Sites.Where(s => Any(s.SiteName, s.UniFiSiteName, s.NinjaOneOrganizationName)).ToList();
        var mismatches = snapshot.Mismatches.Where(m => Any(m.Name)).ToList();
        return new CustomerSiteSelection(sites, mismatches, snapshot);
    }

    private static OberaConnectConnection Require<T>(OberaConnectConnection connection, Action<T> emit)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        if (emit is null) throw new ArgumentNullException(nameof(emit));
        return connection;
    }

    private static async Task Emit<T>(IAsyncEnumerable<T> items, Action<T> emit, CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false)) emit(item);
    }
}

public sealed partial class OberaConnectConnection
{
    /// <summary>
    /// Like <see cref="Open"/>, except that when no file was named (no -ConfigPath, no OBERACONNECT_CONFIG) and none
    /// exists in the default places, the defaults are used (said on verbose). Reads that need no configured
    /// setting (the Sample, the health score, the sources with credentials from environment variables) then work
    /// on a machine that was never configured. A named file that is missing or invalid is still an error.
    /// </summary>
    public static OberaConnectConnection OpenOrDefaults(ConnectionOptions options, IEngineOutput? output = null)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        var environment = options.Environment ?? SystemEnvironment.Instance;
        var location = ConfigurationLocations.Resolve(options.ConfigPath, environment);
        if (location.Exists || location.Origin is ConfigurationOrigin.Parameter or ConfigurationOrigin.EnvironmentVariable)
            return Open(options, output);
        (output ?? NullEngineOutput.Instance).Verbose(
            $"No configuration file was found (looked for {string.Join(", ", location.Searched)}); using the default settings.");
        return FromConfiguration(OberaConnectConfiguration.CreateDefault(environment), options, output);
    }
}
