namespace OberaConnect.Engine.Sources;

/// <summary>The systems customer-site data comes from.</summary>
public enum SourceSystem
{
    /// <summary>UniFi Site Manager (network sites and devices).</summary>
    UniFi,
    /// <summary>NinjaOne RMM (organizations, managed devices, alerts, backups).</summary>
    NinjaOne,
}

/// <summary>Whether one system's data is in a customer site, and if not, why.</summary>
public enum SourceState
{
    /// <summary>The site's data from this system is included.</summary>
    Present,
    /// <summary>The system could not be read this run (outage, refused credentials, ...): its data is missing.</summary>
    Unavailable,
    /// <summary>The system was read but has no site or organization matched to this one.</summary>
    NotMatched,
    /// <summary>No client for this system was configured.</summary>
    NotConfigured,
}

/// <summary>How reading one system went in this run.</summary>
public sealed record SourceStatus
{
    /// <summary>Which system.</summary>
    public SourceSystem System { get; init; }

    /// <summary>Present (read completely), Unavailable (failed; see <see cref="Message"/>) or NotConfigured.</summary>
    public SourceState State { get; init; }

    /// <summary>The stable ErrorId of the failure (for example UniFiUnauthorized), when it failed.</summary>
    public string? ErrorId { get; init; }

    /// <summary>What went wrong and what to do, when it failed (never contains a secret).</summary>
    public string? Message { get; init; }

    /// <summary>True when the failure may pass on its own (outage, rate limit); false for bad credentials.</summary>
    public bool IsTransient { get; init; }

    /// <summary>Sites (UniFi) or organizations (NinjaOne) read.</summary>
    public int SitesRead { get; init; }

    /// <summary>Devices read.</summary>
    public int DevicesRead { get; init; }

    /// <summary>True when the data of this system is in the result.</summary>
    public bool IsAvailable => State == SourceState.Present;

    public override string ToString()
        => State == SourceState.Present ? $"{System}: {SitesRead} sites, {DevicesRead} devices"
            : $"{System}: {State}{(Message is null ? "" : " - " + Message)}";
}
