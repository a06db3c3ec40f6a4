using System.Text.Json;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>Severity NinjaOne gives an activity (alerts carry none; their activities do, linked by seriesUid).</summary>
public enum NinjaOneSeverity
{
    /// <summary>Not known (no activity of the alert's series was found, or an unrecognised value).</summary>
    Unknown = 0,
    None,
    Minor,
    Moderate,
    Major,
    Critical,
}

/// <summary>Status of a NinjaOne backup job.</summary>
public enum NinjaOneBackupJobStatus
{
    Unknown = 0,
    Processing,
    Running,
    Completed,
    Canceled,
    Failed,
}

/// <summary>A NinjaOne organization (GET /v2/organizations): the customer.</summary>
public sealed record NinjaOneOrganization
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }

    internal static NinjaOneOrganization Parse(JsonElement e) => new()
    {
        Id = e.Long("id") ?? 0,
        Name = e.Str("name") ?? $"Organization {e.Long("id")}",
        Description = e.Str("description"),
    };
}

/// <summary>A device managed by NinjaOne (GET /v2/devices, /v2/organization/{id}/devices).</summary>
public sealed record NinjaOneDevice
{
    public long Id { get; init; }
    public long OrganizationId { get; init; }
    public long? LocationId { get; init; }
    public string? DisplayName { get; init; }
    public string? SystemName { get; init; }
    public string? DnsName { get; init; }
    /// <summary>WINDOWS_SERVER, WINDOWS_WORKSTATION, MAC, LINUX_SERVER, NMS_SWITCH, ...</summary>
    public string? NodeClass { get; init; }
    public bool IsOffline { get; init; }
    public bool IsOnline => !IsOffline;
    /// <summary>When the agent last reported (lastContact, epoch seconds in the API).</summary>
    public DateTimeOffset? LastContact { get; init; }
    public string? ApprovalStatus { get; init; }
    /// <summary>Display name, else system name, else DNS name, else the id.</summary>
    public string Name => DisplayName ?? SystemName ?? DnsName ?? $"Device {Id}";

    internal static NinjaOneDevice Parse(JsonElement e) => new()
    {
        Id = e.Long("id") ?? 0,
        OrganizationId = e.Long("organizationId") ?? 0,
        LocationId = e.Long("locationId"),
        DisplayName = e.Str("displayName"),
        SystemName = e.Str("systemName"),
        DnsName = e.Str("dnsName"),
        NodeClass = e.Str("nodeClass")?.ToUpperInvariant(),
        IsOffline = e.Bool("offline") ?? false,
        LastContact = e.Time("lastContact"),
        ApprovalStatus = e.Str("approvalStatus"),
    };
}

/// <summary>An active alert (a triggered condition; GET /v2/alerts). <see cref="Severity"/> comes from its activities.</summary>
public sealed record NinjaOneAlert
{
    public string Uid { get; init; } = "";
    public long? DeviceId { get; init; }
    public string? Message { get; init; }
    public string? Subject { get; init; }
    /// <summary>CONDITION, CONDITION_CUSTOM_FIELD, ...</summary>
    public string? SourceType { get; init; }
    public string? SourceName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Unknown until resolved from the alert's activities (see <see cref="NinjaOneAlertSeverity"/>).</summary>
    public string Severity => SeverityValue.ToString();

    /// <summary><see cref="Severity"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal NinjaOneSeverity SeverityValue { get; init; }

    internal static NinjaOneAlert Parse(JsonElement e) => new()
    {
        Uid = e.Str("uid") ?? e.Str("id") ?? "",
        DeviceId = e.Long("deviceId"),
        Message = e.Str("message"),
        Subject = e.Str("subject"),
        SourceType = e.Str("sourceType"),
        SourceName = e.Str("sourceName"),
        CreatedAt = e.Time("createTime"),
        SeverityValue = NinjaOneParse.Severity(e.Str("severity")),
    };
}

/// <summary>One entry of the activity log (GET /v2/activities); alerts' severities live here.</summary>
public sealed record NinjaOneActivity
{
    public long Id { get; init; }
    public DateTimeOffset? ActivityTime { get; init; }
    public long? DeviceId { get; init; }
    public NinjaOneSeverity Severity { get; init; }
    public string? Priority { get; init; }
    /// <summary>Links the activity to an alert's uid.</summary>
    public string? SeriesUid { get; init; }
    public string? ActivityType { get; init; }
    public string? StatusCode { get; init; }
    public string? Status { get; init; }
    public string? Subject { get; init; }
    public string? Message { get; init; }
    public string? SourceName { get; init; }

    internal static NinjaOneActivity Parse(JsonElement e) => new()
    {
        Id = e.Long("id") ?? 0,
        ActivityTime = e.Time("activityTime"),
        DeviceId = e.Long("deviceId"),
        Severity = NinjaOneParse.Severity(e.Str("severity")),
        Priority = e.Str("priority"),
        SeriesUid = e.Str("seriesUid"),
        ActivityType = e.Str("activityType"),
        StatusCode = e.Str("statusCode"),
        Status = e.Str("status"),
        Subject = e.Str("subject"),
        Message = e.Str("message"),
        SourceName = e.Str("sourceName"),
    };
}

/// <summary>A backup job of a device (GET /v2/backup/jobs).</summary>
public sealed record NinjaOneBackupJob
{
    public string JobId { get; init; } = "";
    public long DeviceId { get; init; }
    public NinjaOneBackupJobStatus Status { get; init; }
    /// <summary>jobStatus as sent, upper case.</summary>
    public string? StatusText { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>IMAGE, FILE_FOLDER, ...</summary>
    public string? PlanType { get; init; }
    public string? PlanName { get; init; }

    /// <summary>True for a job that has ended (completed, canceled or failed).</summary>
    public bool IsFinished => Status is NinjaOneBackupJobStatus.Completed or NinjaOneBackupJobStatus.Canceled or NinjaOneBackupJobStatus.Failed;

    internal static NinjaOneBackupJob Parse(JsonElement e)
    {
        var status = e.Str("jobStatus") ?? e.Str("status");
        return new NinjaOneBackupJob
        {
            JobId = e.Str("jobId") ?? e.Str("id") ?? "",
            DeviceId = e.Long("deviceId") ?? 0,
            Status = NinjaOneParse.JobStatus(status),
            StatusText = status?.ToUpperInvariant(),
            StartedAt = e.Time("jobStartTime") ?? e.Time("startTime"),
            EndedAt = e.Time("jobEndTime") ?? e.Time("endTime"),
            PlanType = e.Str("planType"),
            PlanName = e.Str("planName"),
        };
    }
}

internal static class NinjaOneParse
{
    public static NinjaOneSeverity Severity(string? text) => (text ?? "").Trim().ToUpperInvariant() switch
    {
        "NONE" => NinjaOneSeverity.None,
        "MINOR" => NinjaOneSeverity.Minor,
        "MODERATE" => NinjaOneSeverity.Moderate,
        "MAJOR" => NinjaOneSeverity.Major,
        "CRITICAL" => NinjaOneSeverity.Critical,
        _ => NinjaOneSeverity.Unknown,
    };

    public static NinjaOneBackupJobStatus JobStatus(string? text) => (text ?? "").Trim().ToUpperInvariant() switch
    {
        "PROCESSING" => NinjaOneBackupJobStatus.Processing,
        "RUNNING" => NinjaOneBackupJobStatus.Running,
        "COMPLETED" => NinjaOneBackupJobStatus.Completed,
        "CANCELED" or "CANCELLED" => NinjaOneBackupJobStatus.Canceled,
        "FAILED" => NinjaOneBackupJobStatus.Failed,
        _ => NinjaOneBackupJobStatus.Unknown,
    };

    public static string Text(NinjaOneSeverity severity) => severity == NinjaOneSeverity.Unknown ? "" : severity.ToString().ToUpperInvariant();

    public static string Text(NinjaOneBackupJobStatus status) => status == NinjaOneBackupJobStatus.Unknown ? "" : status.ToString().ToUpperInvariant();
}
