using OberaConnect.Engine.Health;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// One customer site as the operations workspace sees it: a UniFi site merged with its NinjaOne
/// organization (either may be missing; <see cref="UniFiStatus"/> and <see cref="NinjaOneStatus"/>
/// say which and why). Property names are the ones the sync cmdlets bind to by name.
/// Device counts: <see cref="DevicesTotal"/>/<see cref="DevicesOnline"/>/<see cref="DevicesOffline"/>
/// add UniFi network devices and NinjaOne managed devices that are known; the Network* and Managed*
/// properties keep the two apart. Alerts are NinjaOne's open alerts (critical = CRITICAL or MAJOR;
/// warning = MODERATE, MINOR or severity unknown); UniFi's critical notifications are kept apart in
/// <see cref="CriticalNotifications"/>.
/// </summary>
public sealed record CustomerSite
{
    /// <summary>Name the site is known by: the site map's SiteName, else the UniFi site name, else the NinjaOne organization name.</summary>
    public string SiteName { get; init; } = "";

    /// <summary>Normalized name (see <see cref="SiteNameNormalizer"/>), equal for the same customer in both systems.</summary>
    public string SiteKey { get; init; } = "";

    /// <summary>Customer id from the site details, when known.</summary>
    public string? CustomerId { get; init; }

    /// <summary>State or region from the site details, when known.</summary>
    public string? State { get; init; }

    /// <summary>How the UniFi site and NinjaOne organization were paired.</summary>
    public string MatchedBy => MatchedByValue.ToString();

    /// <summary><see cref="MatchedBy"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal SiteMatchKind MatchedByValue { get; init; }

    /// <summary>Whether the UniFi data is here: Present, Unavailable (UniFi could not be read), NotMatched or NotConfigured.</summary>
    public string UniFiStatus => UniFiStatusValue.ToString();

    /// <summary><see cref="UniFiStatus"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal SourceState UniFiStatusValue { get; init; }

    /// <summary>Whether the NinjaOne data is here.</summary>
    public string NinjaOneStatus => NinjaOneStatusValue.ToString();

    /// <summary><see cref="NinjaOneStatus"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal SourceState NinjaOneStatusValue { get; init; }

    /// <summary>Systems whose data is missing for this site ("UniFi", "NinjaOne", "UniFi, NinjaOne"), empty when complete.</summary>
    public string MissingSources { get; init; } = "";

    /// <summary>True when both systems' data is here.</summary>
    public bool IsComplete => UniFiStatusValue == SourceState.Present && NinjaOneStatusValue == SourceState.Present;

    // ---- UniFi identity and network
    public string? UniFiSiteId { get; init; }
    public string? UniFiHostId { get; init; }
    /// <summary>UniFi's human site name (meta.desc).</summary>
    public string? UniFiSiteName { get; init; }
    /// <summary>UniFi's internal site name (meta.name).</summary>
    public string? UniFiInternalName { get; init; }
    public string? Timezone { get; init; }
    public string? GatewayMac { get; init; }
    public string? IspName { get; init; }
    public double? WanUptimePercent { get; init; }
    public int NetworkDevicesTotal { get; init; }
    public int NetworkDevicesOnline { get; init; }
    public int NetworkDevicesOffline { get; init; }
    /// <summary>WiFi clients connected; null when UniFi data is missing.</summary>
    public int? WifiClients { get; init; }
    public int? WiredClients { get; init; }
    /// <summary>WiFi clients with a weak signal; null when not known (Site Manager does not report it).</summary>
    public int? WeakSignalClients { get; init; }
    /// <summary>UniFi critical notifications of the site.</summary>
    public int? CriticalNotifications { get; init; }
    /// <summary>UniFi devices with a pending firmware update.</summary>
    public int? PendingUpdates { get; init; }

    // ---- NinjaOne identity and managed devices
    public long? NinjaOneOrganizationId { get; init; }
    public string? NinjaOneOrganizationName { get; init; }
    public int ManagedDevicesTotal { get; init; }
    public int ManagedDevicesOnline { get; init; }
    public int ManagedDevicesOffline { get; init; }
    /// <summary>Latest contact of any managed device.</summary>
    public DateTimeOffset? LastContact { get; init; }
    /// <summary>Open tickets; null when no source reports them.</summary>
    public int? OpenTickets { get; init; }
    public int ActiveAlerts { get; init; }
    public int CriticalAlerts { get; init; }
    public int WarningAlerts { get; init; }
    /// <summary>Up to five open alerts, critical first: "CRITICAL SRV01: Disk C: below 5%; ...".</summary>
    public string AlertSummary { get; init; } = "";
    /// <summary>From each managed device's latest finished backup job: success, partial, failed or unknown.</summary>
    public string BackupStatus => BackupStatusValue.ToString();

    /// <summary><see cref="BackupStatus"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal BackupStatus BackupStatusValue { get; init; }
    public int BackupDevicesSucceeded { get; init; }
    /// <summary>Devices whose latest backup failed, was canceled, or is older than the allowed age.</summary>
    public int BackupDevicesFailed { get; init; }

    // ---- Both systems
    public int DevicesTotal { get; init; }
    public int DevicesOnline { get; init; }
    public int DevicesOffline { get; init; }

    // ---- What the operator knows
    /// <summary>Configuration drift from the site details or the config-change log; null when not known (scored as no drift).</summary>
    public bool? ConfigDrift { get; init; }
    public bool HasMikroTik { get; init; }
    public bool HasSonicWall { get; init; }
    public bool HasAzure { get; init; }
    public DateTime? ContractRenewal { get; init; }
    public string? PrimaryContact { get; init; }

    // ---- Health (computed by the source with its configured weights)
    /// <summary>Health score 0–100 (see about_OberaConnect_HealthScore).</summary>
    public int HealthScore { get; init; }

    /// <summary>Low (≥ 90), Medium (≥ 75), High (≥ 50) or Critical.</summary>
    public string RiskLevel => RiskLevelValue.ToString();

    /// <summary><see cref="RiskLevel"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal RiskLevel RiskLevelValue { get; init; }

    /// <summary>Why: "72 (High): -3 device availability (1 of 10 devices offline); ...".</summary>
    public string HealthExplanation { get; init; } = "";

    /// <summary>When the data was read.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>The health score inputs of this site (unknown weak-signal counts and drift count as none).</summary>
    public HealthInputs ToHealthInputs() => new()
    {
        DevicesOnline = DevicesOnline,
        DevicesTotal = DevicesTotal,
        WifiClients = WifiClients ?? 0,
        WeakSignalClients = WeakSignalClients ?? 0,
        CriticalAlerts = CriticalAlerts,
        WarningAlerts = WarningAlerts,
        Backup = BackupStatusValue,
        ConfigDrift = ConfigDrift ?? false,
    };

    /// <summary>A copy scored with <paramref name="calculator"/> (for other weights than the source's).</summary>
    public CustomerSite Scored(HealthScoreCalculator calculator)
    {
        var score = calculator.Calculate(ToHealthInputs());
        return this with { HealthScore = score.Score, RiskLevelValue = score.RiskLevelValue, HealthExplanation = score.Explanation };
    }

    public override string ToString() => MissingSources.Length == 0 ? SiteName : $"{SiteName} (missing {MissingSources})";
}

/// <summary>A device of a customer site, from either system, for the network device inventory.</summary>
public sealed record SiteDevice
{
    public SourceSystem Source { get; init; }
    /// <summary>The id in its system (UniFi device id; NinjaOne device id as text).</summary>
    public string DeviceId { get; init; } = "";
    /// <summary>The site it belongs to; null when its UniFi host serves several sites or its organization is not a known site.</summary>
    public string? SiteName { get; init; }
    public string? SiteKey { get; init; }
    public string Name { get; init; } = "";
    public string? Model { get; init; }
    /// <summary>UniFi product line (network, protect, ...) or NinjaOne node class (WINDOWS_SERVER, ...).</summary>
    public string? Kind { get; init; }
    public string? Mac { get; init; }
    public string? IpAddress { get; init; }
    public bool IsOnline { get; init; }
    /// <summary>online / offline (lower case).</summary>
    public string Status { get; init; } = "";
    public string? FirmwareVersion { get; init; }
    public string? FirmwareStatus { get; init; }
    public bool UpdateAvailable { get; init; }
    public DateTimeOffset? LastContact { get; init; }
    public string? HostId { get; init; }
    public string? HostName { get; init; }
    public long? NinjaOneOrganizationId { get; init; }
}

/// <summary>Severity of an alert in the workspace's terms.</summary>
public enum AlertLevel
{
    /// <summary>NinjaOne CRITICAL or MAJOR.</summary>
    Critical,
    /// <summary>NinjaOne MODERATE or MINOR, or a severity that could not be found.</summary>
    Warning,
    /// <summary>NinjaOne NONE.</summary>
    Info,
}

/// <summary>An open alert of a customer site.</summary>
public sealed record SiteAlert
{
    public SourceSystem Source { get; init; }
    public string AlertId { get; init; } = "";
    /// <summary>The site it belongs to; null when its device's organization is not a known site.</summary>
    public string? SiteName { get; init; }
    public string? SiteKey { get; init; }
    public string? DeviceId { get; init; }
    public string? DeviceName { get; init; }
    public AlertLevel Level { get; init; }
    /// <summary>The severity as NinjaOne names it (CRITICAL, MAJOR, MODERATE, MINOR, NONE), empty when unknown.</summary>
    public string Severity { get; init; } = "";
    public string? Subject { get; init; }
    public string? Message { get; init; }
    public string? SourceType { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>Everything one read of the sources produced: the merged sites, mapping problems and how each source went.</summary>
public sealed class CustomerSiteSnapshot
{
    public CustomerSiteSnapshot(IReadOnlyList<CustomerSite> sites, IReadOnlyList<SiteMismatch> mismatches,
        SourceStatus uniFi, SourceStatus ninjaOne, IReadOnlyList<string> warnings, DateTimeOffset asOf)
    {
        Sites = sites;
        Mismatches = mismatches;
        UniFi = uniFi;
        NinjaOne = ninjaOne;
        Warnings = warnings;
        AsOf = asOf;
    }

    /// <summary>The customer sites, ordered by name.</summary>
    public IReadOnlyList<CustomerSite> Sites { get; }

    /// <summary>Sites unmatched on either side, ambiguous names and site-map problems; reported, never guessed.</summary>
    public IReadOnlyList<SiteMismatch> Mismatches { get; }

    public SourceStatus UniFi { get; }
    public SourceStatus NinjaOne { get; }
    public IReadOnlyList<SourceStatus> Sources => new[] { UniFi, NinjaOne };

    /// <summary>Things the user should know (a source down, backups not readable, ...), already sent to the engine output.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public DateTimeOffset AsOf { get; }

    /// <summary>
    /// NinjaOne's open alerts with the site each belongs to, read with the sites (empty when NinjaOne was not
    /// read). Sync-Alert needs them together with <see cref="NinjaOne"/>'s state: an alert absent from a read
    /// that failed is not resolved.
    /// </summary>
    public IReadOnlyList<SiteAlert> Alerts { get; init; } = Array.Empty<SiteAlert>();

    /// <summary>True when every configured source was read.</summary>
    public bool IsComplete => Sources.All(s => s.State is SourceState.Present or SourceState.NotConfigured);
}
