using System.Globalization;
using System.Text.Json;
using OberaConnect.Engine.Sources;

namespace OberaConnect.Engine.Sync;

// The inputs of the site syncs: plain values with the property names the cmdlets bind to by name, so a
// CustomerSite, SiteDevice or SiteAlert, a CSV row or a hashtable all fit. A null value means "not known
// in this input" and leaves the Notion property as it is. Inputs are what the failed-record journal
// keeps (-RetryFailed rebuilds records from them); they never hold secrets.

/// <summary>What is known about one customer site: the input of Sync-CustomerStatus and Add-DailyHealthSnapshot.</summary>
public sealed class CustomerStatusInput
{
    public string? SiteName { get; set; }
    public int? DevicesOnline { get; set; }
    public int? DevicesOffline { get; set; }
    public int? DevicesTotal { get; set; }
    public int? WifiClients { get; set; }
    public int? WeakSignalClients { get; set; }
    public int? ActiveAlerts { get; set; }
    public int? CriticalAlerts { get; set; }
    public int? WarningAlerts { get; set; }
    public int? OpenTickets { get; set; }
    public int? PendingUpdates { get; set; }

    /// <summary>success, partial, failed or unknown (any case).</summary>
    public string? BackupStatus { get; set; }

    /// <summary>true/false (also yes/no, 1/0), as text so CSV columns bind.</summary>
    public string? ConfigDrift { get; set; }

    /// <summary>WAN uptime in percent (99.9), stored in Notion as a fraction.</summary>
    public double? WanUptimePercent { get; set; }

    public string? IspName { get; set; }
    public string? UniFiSiteId { get; set; }
    public string? UniFiHostId { get; set; }
    public string? NinjaOneOrganizationId { get; set; }

    /// <summary>Present, Unavailable, NotMatched or NotConfigured; Unavailable leaves UniFi's properties as they were.</summary>
    public string? UniFiStatus { get; set; }

    /// <summary>Present, Unavailable, NotMatched or NotConfigured; Unavailable leaves NinjaOne's properties as they were.</summary>
    public string? NinjaOneStatus { get; set; }

    /// <summary>"UniFi", "NinjaOne" or "UniFi, NinjaOne" when a system's data is missing.</summary>
    public string? MissingSources { get; set; }

    /// <summary>The input of a merged customer site.</summary>
    public static CustomerStatusInput FromSite(CustomerSite site) => new()
    {
        SiteName = site.SiteName,
        DevicesOnline = site.DevicesOnline,
        DevicesOffline = site.DevicesOffline,
        DevicesTotal = site.DevicesTotal,
        WifiClients = site.WifiClients,
        WeakSignalClients = site.WeakSignalClients,
        ActiveAlerts = site.ActiveAlerts,
        CriticalAlerts = site.CriticalAlerts,
        WarningAlerts = site.WarningAlerts,
        OpenTickets = site.OpenTickets,
        PendingUpdates = site.PendingUpdates,
        BackupStatus = site.BackupStatus.ToString(),
        ConfigDrift = site.ConfigDrift is { } drift ? (drift ? "true" : "false") : null,
        WanUptimePercent = site.WanUptimePercent,
        IspName = site.IspName,
        UniFiSiteId = site.UniFiSiteId,
        UniFiHostId = site.UniFiHostId,
        NinjaOneOrganizationId = site.NinjaOneOrganizationId?.ToString(CultureInfo.InvariantCulture),
        UniFiStatus = site.UniFiStatus.ToString(),
        NinjaOneStatus = site.NinjaOneStatus.ToString(),
        MissingSources = site.MissingSources,
    };

    /// <summary>The input a journal entry kept, or null when it holds none.</summary>
    public static CustomerStatusInput? FromJournal(JournalEntry entry) => JournalInput.Read<CustomerStatusInput>(entry);

    public override string ToString() => SiteName ?? "(no site name)";
}

/// <summary>One configuration change made at a site: the input of Write-ConfigChange.</summary>
public sealed class ConfigChangeInput
{
    public string? Site { get; set; }
    public string? Tool { get; set; }
    public string? Action { get; set; }
    public string? Engineer { get; set; }

    /// <summary>When the change was made; the time the command started when not given.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public string? Details { get; set; }

    /// <summary>The tool's id of the change; generated from the content when not given.</summary>
    public string? ChangeId { get; set; }

    public string? TargetDevice { get; set; }
    public string? Ticket { get; set; }

    /// <summary>Success, Failed, Partial or Rolled Back.</summary>
    public string? Result { get; set; }

    public static ConfigChangeInput? FromJournal(JournalEntry entry) => JournalInput.Read<ConfigChangeInput>(entry);

    /// <summary>
    /// A copy carrying the Change ID and time the record was built with, so that what is journaled (and
    /// rebuilt by -RetryFailed, perhaps days later) keys to the same entry and never to a new generated id.
    /// </summary>
    public ConfigChangeInput Stamped(string changeId, DateTimeOffset timestamp)
    {
        var copy = (ConfigChangeInput)MemberwiseClone();
        copy.ChangeId = changeId;
        copy.Timestamp = timestamp;
        return copy;
    }

    public override string ToString() => $"{Site} {Tool}: {Action}";
}

/// <summary>One network device of a site: the input of Sync-NetworkDevice.</summary>
public sealed class NetworkDeviceInput
{
    public string? SiteName { get; set; }
    public string? Mac { get; set; }
    public string? Name { get; set; }
    public string? Model { get; set; }
    public string? Vendor { get; set; }

    /// <summary>UniFi product line: network, protect, access, talk, connect.</summary>
    public string? ProductLine { get; set; }

    public string? IpAddress { get; set; }

    /// <summary>online, offline or updating.</summary>
    public string? Status { get; set; }

    public string? FirmwareVersion { get; set; }
    public string? FirmwareStatus { get; set; }

    /// <summary>true when newer firmware is offered (text, so CSV columns bind).</summary>
    public string? UpdateAvailable { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>The device's id in its system.</summary>
    public string? DeviceId { get; set; }

    /// <summary>UniFi or NinjaOne; NinjaOne's managed computers are not network devices and are passed over.</summary>
    public string? Source { get; set; }

    public static NetworkDeviceInput FromDevice(SiteDevice device) => new()
    {
        SiteName = device.SiteName,
        Mac = device.Mac,
        Name = device.Name,
        Model = device.Model,
        Vendor = device.Source == SourceSystem.UniFi ? "Ubiquiti" : null,
        ProductLine = device.Kind,
        IpAddress = device.IpAddress,
        Status = string.IsNullOrEmpty(device.Status) ? (device.IsOnline ? "online" : "offline") : device.Status,
        FirmwareVersion = device.FirmwareVersion,
        FirmwareStatus = device.FirmwareStatus,
        UpdateAvailable = device.UpdateAvailable ? "true" : "false",
        LastSeen = device.LastContact,
        DeviceId = device.DeviceId,
        Source = device.Source.ToString(),
    };

    public static NetworkDeviceInput? FromJournal(JournalEntry entry) => JournalInput.Read<NetworkDeviceInput>(entry);

    public override string ToString() => $"{Name} ({Mac}) at {SiteName}";
}

/// <summary>One open alert of a site: the input of Sync-Alert.</summary>
public sealed class AlertInput
{
    /// <summary>NinjaOne's alert uid.</summary>
    public string? AlertId { get; set; }
    public string? SiteName { get; set; }
    public string? DeviceName { get; set; }

    /// <summary>NONE, MINOR, MODERATE, MAJOR or CRITICAL.</summary>
    public string? Severity { get; set; }

    public string? Subject { get; set; }
    public string? Message { get; set; }
    public string? SourceType { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    public static AlertInput FromAlert(SiteAlert alert) => new()
    {
        AlertId = alert.AlertId,
        SiteName = alert.SiteName,
        DeviceName = alert.DeviceName,
        Severity = alert.Severity,
        Subject = alert.Subject,
        Message = alert.Message,
        SourceType = alert.SourceType,
        CreatedAt = alert.CreatedAt,
    };

    public static AlertInput? FromJournal(JournalEntry entry) => JournalInput.Read<AlertInput>(entry);

    public override string ToString() => $"{AlertId} at {SiteName}";
}

internal static class JournalInput
{
    public static T? Read<T>(JournalEntry entry) where T : class
    {
        if (entry?.Input is null) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(entry.Input.ToJsonString());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
