namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// NinjaOne data: implemented by <see cref="NinjaOneClient"/> (the real API) and by the Sample source.
/// Streams are read page by page; a failure raises an <see cref="OberaConnectException"/> (typed
/// <see cref="NinjaOneApiException"/> for API errors).
/// </summary>
public interface INinjaOneSource
{
    /// <summary>All organizations.</summary>
    IAsyncEnumerable<NinjaOneOrganization> GetOrganizationsAsync(CancellationToken cancellationToken = default);

    /// <summary>All devices of every organization.</summary>
    IAsyncEnumerable<NinjaOneDevice> GetDevicesAsync(CancellationToken cancellationToken = default);

    /// <summary>Devices of one organization.</summary>
    IAsyncEnumerable<NinjaOneDevice> GetOrganizationDevicesAsync(long organizationId, CancellationToken cancellationToken = default);

    /// <summary>Active alerts, as the API gives them (severity Unknown; see <see cref="NinjaOneAlertSeverity"/>).</summary>
    IAsyncEnumerable<NinjaOneAlert> GetAlertsAsync(CancellationToken cancellationToken = default);

    /// <summary>Activities, newest first.</summary>
    IAsyncEnumerable<NinjaOneActivity> GetActivitiesAsync(NinjaOneActivityQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Backup jobs of every device.</summary>
    IAsyncEnumerable<NinjaOneBackupJob> GetBackupJobsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Which activities to read.</summary>
public sealed record NinjaOneActivityQuery
{
    /// <summary>Only activities of this alert series (seriesUid).</summary>
    public string? SeriesUid { get; init; }

    /// <summary>Only activities of this type (for example CONDITION).</summary>
    public string? Type { get; init; }

    /// <summary>Stop reading once activities are older than this (checked on our side, so no server date format is assumed).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Stop after this many activities.</summary>
    public int? MaxActivities { get; init; }
}
