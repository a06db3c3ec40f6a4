namespace OberaConnect.Engine.Health;

/// <summary>State of a site's backups, from the latest finished backup job of each device.</summary>
public enum BackupStatus
{
    /// <summary>No backup information (no jobs, or the backup source was unavailable).</summary>
    Unknown = 0,
    /// <summary>Every device's latest backup succeeded.</summary>
    Success,
    /// <summary>Some devices' latest backup succeeded and some did not.</summary>
    Partial,
    /// <summary>No device's latest backup succeeded.</summary>
    Failed,
}

/// <summary>
/// What the health score of one site is computed from. Counts below zero are read as zero and more
/// devices (or weak clients) online than exist are capped at the total, so a glitch in a source never
/// produces a score outside 0–100.
/// </summary>
public sealed record HealthInputs
{
    /// <summary>Devices online now.</summary>
    public int DevicesOnline { get; init; }

    /// <summary>Devices known at the site. With 0 devices, availability costs nothing.</summary>
    public int DevicesTotal { get; init; }

    /// <summary>WiFi clients with a weak signal (0 when the source does not report signal quality).</summary>
    public int WeakSignalClients { get; init; }

    /// <summary>WiFi clients connected. With 0 clients, WiFi quality costs nothing.</summary>
    public int WifiClients { get; init; }

    /// <summary>Open critical alerts.</summary>
    public int CriticalAlerts { get; init; }

    /// <summary>Open warning alerts.</summary>
    public int WarningAlerts { get; init; }

    /// <summary>Backup state; Unknown costs a third of the backup weight.</summary>
    public BackupStatus Backup { get; init; } = BackupStatus.Unknown;

    /// <summary>True when the site's configuration drifted from its baseline.</summary>
    public bool ConfigDrift { get; init; }
}
