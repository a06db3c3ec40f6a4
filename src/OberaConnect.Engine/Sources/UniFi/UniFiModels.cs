using System.Text.Json;

namespace OberaConnect.Engine.Sources.UniFi;

/// <summary>A UniFi console or Network Server registered to the account (GET /v1/hosts).</summary>
public sealed record UniFiHost
{
    public string Id { get; init; } = "";
    public string? HardwareId { get; init; }
    /// <summary>console, network-server, ucore, ...</summary>
    public string? Type { get; init; }
    public string? IpAddress { get; init; }
    /// <summary>The host's name as reported by it (reportedState.hostname or .name), when present.</summary>
    public string? Name { get; init; }
    public bool IsOwner { get; init; }
    public bool IsBlocked { get; init; }
    public DateTimeOffset? LastConnectionStateChange { get; init; }
    public DateTimeOffset? LatestBackupTime { get; init; }

    internal static UniFiHost Parse(JsonElement e) => new()
    {
        Id = e.Str("id") ?? "",
        HardwareId = e.Str("hardwareId"),
        Type = e.Str("type"),
        IpAddress = e.Str("ipAddress"),
        Name = e.Path("reportedState", "hostname").Str() ?? e.Path("reportedState", "name").Str() ?? e.Path("userData", "name").Str(),
        IsOwner = e.Bool("owner") ?? false,
        IsBlocked = e.Bool("isBlocked") ?? false,
        LastConnectionStateChange = e.Time("lastConnectionStateChange"),
        LatestBackupTime = e.Time("latestBackupTime"),
    };
}

/// <summary>
/// A UniFi Network site (GET /v1/sites). Counts are null when the site reports no statistics.
/// <see cref="Name"/> is the human name (meta.desc), <see cref="InternalName"/> the short one (meta.name, often "default").
/// </summary>
public sealed record UniFiSite
{
    public string SiteId { get; init; } = "";
    public string? HostId { get; init; }
    /// <summary>Human name (meta.desc); falls back to meta.name, then the site id.</summary>
    public string Name { get; init; } = "";
    /// <summary>Internal name (meta.name), for example "default".</summary>
    public string? InternalName { get; init; }
    public string? Timezone { get; init; }
    /// <summary>Gateway MAC, lower-case colon-separated.</summary>
    public string? GatewayMac { get; init; }
    public int? DevicesTotal { get; init; }
    public int? DevicesOffline { get; init; }
    /// <summary>Total minus offline (never below zero); null when the total is unknown.</summary>
    public int? DevicesOnline => DevicesTotal is { } t ? Math.Max(0, t - (DevicesOffline ?? 0)) : null;
    public int? WifiClients { get; init; }
    public int? WiredClients { get; init; }
    public int? CriticalNotifications { get; init; }
    public int? PendingUpdates { get; init; }
    /// <summary>WAN uptime in percent (0–100).</summary>
    public double? WanUptimePercent { get; init; }
    public string? IspName { get; init; }
    /// <summary>admin, readonly, ...</summary>
    public string? Permission { get; init; }
    public bool? IsOwner { get; init; }

    internal static UniFiSite Parse(JsonElement e)
    {
        var meta = e.Prop("meta");
        var counts = e.Path("statistics", "counts");
        var siteId = e.Str("siteId") ?? e.Str("id") ?? "";
        var desc = meta?.Str("desc");
        var name = meta?.Str("name");
        return new UniFiSite
        {
            SiteId = siteId,
            HostId = e.Str("hostId"),
            Name = desc ?? name ?? siteId,
            InternalName = name,
            Timezone = meta?.Str("timezone"),
            GatewayMac = TolerantJson.Mac(meta?.Str("gatewayMac")),
            DevicesTotal = counts?.Int("totalDevice"),
            DevicesOffline = counts?.Int("offlineDevice"),
            WifiClients = counts?.Int("wifiClient"),
            WiredClients = counts?.Int("wiredClient"),
            CriticalNotifications = counts?.Int("criticalNotification"),
            PendingUpdates = counts?.Int("pendingUpdateDevice"),
            WanUptimePercent = e.Path("statistics", "percentages", "wanUptime").Num(),
            IspName = e.Path("statistics", "ispInfo", "name").Str(),
            Permission = e.Str("permission"),
            IsOwner = e.Bool("isOwner"),
        };
    }
}

/// <summary>A UniFi device managed by a host (GET /v1/devices; the API groups devices per host).</summary>
public sealed record UniFiDevice
{
    public string Id { get; init; } = "";
    /// <summary>MAC, lower-case colon-separated.</summary>
    public string? Mac { get; init; }
    public string? Name { get; init; }
    public string? Model { get; init; }
    /// <summary>Short model id, for example UDMPROSE.</summary>
    public string? ShortName { get; init; }
    public string? IpAddress { get; init; }
    /// <summary>network, protect, access, ...</summary>
    public string? ProductLine { get; init; }
    /// <summary>online, offline, ... (lower case).</summary>
    public string? Status { get; init; }
    public bool IsOnline => string.Equals(Status, "online", StringComparison.OrdinalIgnoreCase);
    /// <summary>Firmware version running.</summary>
    public string? FirmwareVersion { get; init; }
    /// <summary>upToDate, updateAvailable, ...</summary>
    public string? FirmwareStatus { get; init; }
    /// <summary>Version of the available firmware update, when the API names one.</summary>
    public string? UpdateAvailable { get; init; }
    /// <summary>True when a firmware update is available.</summary>
    public bool IsUpdateAvailable { get; init; }
    public bool IsConsole { get; init; }
    public string? HostId { get; init; }
    public string? HostName { get; init; }

    internal static UniFiDevice Parse(JsonElement e, string? hostId, string? hostName)
    {
        var firmwareStatus = e.Str("firmwareStatus");
        var update = e.Prop("updateAvailable");
        string? updateVersion = null;
        var updateFlag = false;
        if (update is { ValueKind: JsonValueKind.True or JsonValueKind.False } b) updateFlag = b.ValueKind == JsonValueKind.True;
        else
        {
            updateVersion = update.Str();
            if (updateVersion is "false" or "0") updateVersion = null;
            updateFlag = updateVersion != null;
        }
        if (string.Equals(firmwareStatus, "updateAvailable", StringComparison.OrdinalIgnoreCase)) updateFlag = true;
        return new UniFiDevice
        {
            Id = e.Str("id") ?? e.Str("mac") ?? "",
            Mac = TolerantJson.Mac(e.Str("mac")),
            Name = e.Str("name"),
            Model = e.Str("model"),
            ShortName = e.Str("shortname"),
            IpAddress = e.Str("ip"),
            ProductLine = e.Str("productLine"),
            Status = e.Str("status")?.ToLowerInvariant(),
            FirmwareVersion = e.Str("version"),
            FirmwareStatus = firmwareStatus,
            UpdateAvailable = updateVersion is "true" ? null : updateVersion,
            IsUpdateAvailable = updateFlag,
            IsConsole = e.Bool("isConsole") ?? false,
            HostId = hostId,
            HostName = hostName,
        };
    }
}
