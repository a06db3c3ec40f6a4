using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Sync;

// The inputs of the site syncs: plain values with the property names the cmdlets bind to by name, so a
// CustomerSite, SiteDevice or SiteAlert, a CSV row or a hashtable all fit. A null value means "not known
// in this input" and leaves the Notion property as it is. Inputs are what the failed-record journal
// keeps (-RetryFailed rebuilds records from them); they never hold secrets.
// FromValues takes the values as PowerShell hands them over (any type) and converts each exactly
// (InputValue); a value it cannot take is kept in Rejected, so the record's validation step
// (InputRules, run by the record builders) fails the record naming it: nothing is dropped silently.

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

    /// <summary>Values that could not be taken as their field's type (see <see cref="FromValues"/>); the record fails with them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FieldProblem>? Rejected { get; set; }

    /// <summary>
    /// The input of values as received, by property name (a piped object's properties, a CSV row, parameters): counts and
    /// WanUptimePercent are converted exactly, text is taken as text; what cannot be converted is kept in <see cref="Rejected"/>.
    /// </summary>
    public static CustomerStatusInput FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var v = new RawFields(values);
        var input = new CustomerStatusInput
        {
            SiteName = v.Text(nameof(SiteName)),
            DevicesOnline = v.Count(nameof(DevicesOnline)),
            DevicesOffline = v.Count(nameof(DevicesOffline)),
            DevicesTotal = v.Count(nameof(DevicesTotal)),
            WifiClients = v.Count(nameof(WifiClients)),
            WeakSignalClients = v.Count(nameof(WeakSignalClients)),
            ActiveAlerts = v.Count(nameof(ActiveAlerts)),
            CriticalAlerts = v.Count(nameof(CriticalAlerts)),
            WarningAlerts = v.Count(nameof(WarningAlerts)),
            OpenTickets = v.Count(nameof(OpenTickets)),
            PendingUpdates = v.Count(nameof(PendingUpdates)),
            BackupStatus = v.Text(nameof(BackupStatus)),
            ConfigDrift = v.Flag(nameof(ConfigDrift)),
            WanUptimePercent = v.Number(nameof(WanUptimePercent), "Give WanUptimePercent as a number from 0 to 100 (99.9 for 99.9%)."),
            IspName = v.Text(nameof(IspName)),
            UniFiSiteId = v.Text(nameof(UniFiSiteId)),
            UniFiHostId = v.Text(nameof(UniFiHostId)),
            NinjaOneOrganizationId = v.Text(nameof(NinjaOneOrganizationId)),
            UniFiStatus = v.Text(nameof(UniFiStatus)),
            NinjaOneStatus = v.Text(nameof(NinjaOneStatus)),
            MissingSources = v.Text(nameof(MissingSources)),
        };
        input.Rejected = v.Finish();
        return input;
    }

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

    /// <summary>Values that could not be taken as their field's type; the record fails with them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FieldProblem>? Rejected { get; set; }

    /// <summary>The input of values as received, by property name (see <see cref="CustomerStatusInput.FromValues"/>).</summary>
    public static ConfigChangeInput FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var v = new RawFields(values);
        var input = new ConfigChangeInput
        {
            Site = v.Text(nameof(Site)),
            Tool = v.Text(nameof(Tool)),
            Action = v.Text(nameof(Action)),
            Engineer = v.Text(nameof(Engineer)),
            Timestamp = v.Timestamp(nameof(Timestamp)),
            Details = v.Text(nameof(Details)),
            ChangeId = v.Text(nameof(ChangeId)),
            TargetDevice = v.Text(nameof(TargetDevice)),
            Ticket = v.Text(nameof(Ticket)),
            Result = v.Text(nameof(Result)),
        };
        input.Rejected = v.Finish();
        return input;
    }

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

    /// <summary>Values that could not be taken as their field's type; the record fails with them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FieldProblem>? Rejected { get; set; }

    /// <summary>The input of values as received, by property name (see <see cref="CustomerStatusInput.FromValues"/>).</summary>
    public static NetworkDeviceInput FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var v = new RawFields(values);
        var input = new NetworkDeviceInput
        {
            SiteName = v.Text(nameof(SiteName)),
            Mac = v.Text(nameof(Mac)),
            Name = v.Text(nameof(Name)),
            Model = v.Text(nameof(Model)),
            Vendor = v.Text(nameof(Vendor)),
            ProductLine = v.Text(nameof(ProductLine)),
            IpAddress = v.Text(nameof(IpAddress)),
            Status = v.Text(nameof(Status)),
            FirmwareVersion = v.Text(nameof(FirmwareVersion)),
            FirmwareStatus = v.Text(nameof(FirmwareStatus)),
            UpdateAvailable = v.Flag(nameof(UpdateAvailable)),
            LastSeen = v.Timestamp(nameof(LastSeen)),
            DeviceId = v.Text(nameof(DeviceId)),
            Source = v.Text(nameof(Source)),
        };
        input.Rejected = v.Finish();
        return input;
    }

    /// <summary>
    /// The input of a device read from a source. What the source reports beyond the workspace's sets is mapped here, so a
    /// new UniFi value never fails a sync: a status other than online, offline or updating by whether the device is
    /// online, a product line the workspace does not list as Other, an unknown firmware status as not given.
    /// </summary>
    public static NetworkDeviceInput FromDevice(SiteDevice device) => new()
    {
        SiteName = device.SiteName,
        Mac = device.Mac,
        Name = device.Name,
        Model = device.Model,
        Vendor = device.Source == SourceSystem.UniFi ? "Ubiquiti" : null,
        ProductLine = string.IsNullOrWhiteSpace(device.Kind) ? null : ValueSet.ProductLine.Match(device.Kind) ?? "Other",
        IpAddress = device.IpAddress,
        Status = ValueSet.DeviceStatus.Match(device.Status) ?? (device.IsOnline ? "Online" : "Offline"),
        FirmwareVersion = device.FirmwareVersion,
        FirmwareStatus = ValueSet.FirmwareStatus.Match(device.FirmwareStatus),
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

    /// <summary>Values that could not be taken as their field's type; the record fails with them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FieldProblem>? Rejected { get; set; }

    /// <summary>The input of values as received, by property name (see <see cref="CustomerStatusInput.FromValues"/>).</summary>
    public static AlertInput FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var v = new RawFields(values);
        var input = new AlertInput
        {
            AlertId = v.Text(nameof(AlertId)),
            SiteName = v.Text(nameof(SiteName)),
            DeviceName = v.Text(nameof(DeviceName)),
            Severity = v.Text(nameof(Severity)),
            Subject = v.Text(nameof(Subject)),
            Message = v.Text(nameof(Message)),
            SourceType = v.Text(nameof(SourceType)),
            CreatedAt = v.Timestamp(nameof(CreatedAt)),
        };
        input.Rejected = v.Finish();
        return input;
    }

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
    /// <summary>
    /// How inputs are written to and read from the journal: any value an input can hold is written (NaN and the
    /// infinities as their names), so writing the journal never fails on input the validation step refused.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static T? Read<T>(JournalEntry entry) where T : class
    {
        if (entry?.Input is null) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(entry.Input.ToJsonString(), Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The raw values of one input by property name, converted one field at a time (see <see cref="InputValue"/>).</summary>
internal sealed class RawFields
{
    private readonly IReadOnlyDictionary<string, object?> _values;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FieldProblem> _problems = new();

    public RawFields(IReadOnlyDictionary<string, object?> values) => _values = values ?? throw new ArgumentNullException(nameof(values));

    public string? Text(string name) => InputValue.ToText(Get(name), name, _problems);
    public string? Flag(string name) => InputValue.ToFlagText(Get(name), name, _problems);
    public int? Count(string name) => InputValue.ToCount(Get(name), name, _problems);
    public double? Number(string name, string remedy) => InputValue.ToNumber(Get(name), name, remedy, _problems);
    public DateTimeOffset? Timestamp(string name) => InputValue.ToTimestamp(Get(name), name, _problems);

    /// <summary>The problems found, or null; a value for a property the input does not have is a caller's mistake.</summary>
    public List<FieldProblem>? Finish()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"The input has no property {string.Join(", ", unknown)}.", "values");
        return _problems.Count == 0 ? null : _problems;
    }

    private object? Get(string name)
    {
        _read.Add(name);
        foreach (var kv in _values)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) return kv.Value;
        return null;
    }
}
