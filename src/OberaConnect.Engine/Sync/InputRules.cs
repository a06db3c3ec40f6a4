using System.Globalization;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// The one validation step of the site syncs' inputs, run by every record builder before anything is planned: for
/// parameters, piped objects, CSV rows, source data and journaled records alike. Each method checks every field of one
/// input (<see cref="RecordCheck"/>) and gives back a copy holding the values as they will be written (enumerated values
/// in their set's spelling, text cleaned); the record fails, naming every field at fault, when anything is refused.
/// The rules (about_OberaConnect, "INPUT VALIDATION"):
/// <list type="bullet">
/// <item>counts are whole numbers from 0 to 1,000,000; online, offline (and both together) at most the total; weak-signal
/// clients at most the WiFi clients; critical plus warning alerts at most the active alerts;</item>
/// <item>percentages are finite numbers from 0 to 100;</item>
/// <item>enumerated values belong to their set (<see cref="ValueSet"/>);</item>
/// <item>timestamps fall between 2000-01-01 and a day from now, unless -AllowAnyTimestamp;</item>
/// <item>names and one-line text at most 200 characters (select options 100), identifiers at most 200 with no control
/// characters; Details and an alert's Message are cut at 2,000 characters and an alert's Subject at 200, with a warning.</item>
/// </list>
/// </summary>
public static class InputRules
{
    /// <summary>Longest name, engineer, target device, ticket, model or device name.</summary>
    public const int NameLength = 200;

    /// <summary>Longest select option (ISP, tool, action, vendor, source type): Notion's limit.</summary>
    public const int OptionLength = RecordValues.MaxOptionLength;

    /// <summary>Longest identifier (source ids, change ids, alert uids).</summary>
    public const int IdLength = 200;

    /// <summary>Longest firmware version.</summary>
    public const int VersionLength = 100;

    /// <summary>Where Details and an alert's Message are cut: one Notion text element.</summary>
    public const int TextLength = NotionText.MaxContentLength;

    /// <summary>Where an alert's Subject is cut (it is the page's title).</summary>
    public const int SubjectLength = 200;

    /// <summary>Checks a customer site's values (Sync-CustomerStatus, Add-DailyHealthSnapshot); <paramref name="kind"/> names the item ("Customer site").</summary>
    public static RecordCheck CustomerStatus(CustomerStatusInput input, string kind, TimeProvider? time, bool allowAnyTimestamp, out CustomerStatusInput valid)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var check = Begin(input.SiteName, nameof(input.SiteName), input.Rejected, kind, time, allowAnyTimestamp, out var name);
        valid = new CustomerStatusInput
        {
            SiteName = name,
            DevicesOnline = check.Count(nameof(input.DevicesOnline), input.DevicesOnline),
            DevicesOffline = check.Count(nameof(input.DevicesOffline), input.DevicesOffline),
            DevicesTotal = check.Count(nameof(input.DevicesTotal), input.DevicesTotal),
            WifiClients = check.Count(nameof(input.WifiClients), input.WifiClients),
            WeakSignalClients = check.Count(nameof(input.WeakSignalClients), input.WeakSignalClients),
            ActiveAlerts = check.Count(nameof(input.ActiveAlerts), input.ActiveAlerts),
            CriticalAlerts = check.Count(nameof(input.CriticalAlerts), input.CriticalAlerts),
            WarningAlerts = check.Count(nameof(input.WarningAlerts), input.WarningAlerts),
            OpenTickets = check.Count(nameof(input.OpenTickets), input.OpenTickets),
            PendingUpdates = check.Count(nameof(input.PendingUpdates), input.PendingUpdates),
            BackupStatus = check.Choice(nameof(input.BackupStatus), input.BackupStatus, ValueSet.BackupStatus),
            ConfigDrift = Flag(check, nameof(input.ConfigDrift), input.ConfigDrift),
            WanUptimePercent = check.Percent(nameof(input.WanUptimePercent), input.WanUptimePercent),
            IspName = check.Line(nameof(input.IspName), input.IspName, OptionLength),
            UniFiSiteId = check.Identifier(nameof(input.UniFiSiteId), input.UniFiSiteId, IdLength),
            UniFiHostId = check.Identifier(nameof(input.UniFiHostId), input.UniFiHostId, IdLength),
            NinjaOneOrganizationId = check.Identifier(nameof(input.NinjaOneOrganizationId), input.NinjaOneOrganizationId, IdLength),
            UniFiStatus = check.Choice(nameof(input.UniFiStatus), input.UniFiStatus, ValueSet.SourceState),
            NinjaOneStatus = check.Choice(nameof(input.NinjaOneStatus), input.NinjaOneStatus, ValueSet.SourceState),
            MissingSources = SourceList(check, nameof(input.MissingSources), input.MissingSources),
        };
        check.AtMost(nameof(input.DevicesOnline), valid.DevicesOnline, nameof(input.DevicesTotal), valid.DevicesTotal);
        check.AtMost(nameof(input.DevicesOffline), valid.DevicesOffline, nameof(input.DevicesTotal), valid.DevicesTotal);
        if (valid.DevicesOnline is { } on && valid.DevicesOffline is { } off && valid.DevicesTotal is { } total && on <= total && off <= total && on + off > total)
            check.Fail(InputErrorIds.ValueOutOfRange, nameof(input.DevicesOnline), Text(on),
                $"plus DevicesOffline ({off}) is {on + off}, more than DevicesTotal ({total})", "Correct the three counts so that online plus offline is at most the total.");
        check.AtMost(nameof(input.WeakSignalClients), valid.WeakSignalClients, nameof(input.WifiClients), valid.WifiClients);
        if (valid.CriticalAlerts is { } critical && valid.ActiveAlerts is { } active)
        {
            var warning = valid.WarningAlerts ?? 0;
            if (critical + warning > active)
                check.Fail(InputErrorIds.ValueOutOfRange, nameof(input.CriticalAlerts), Text(critical),
                    $"plus WarningAlerts ({warning}) is more than ActiveAlerts ({active})", "Give ActiveAlerts as at least CriticalAlerts plus WarningAlerts.");
        }
        return check;
    }

    /// <summary>Checks a configuration change (Write-ConfigChange); Site, Tool, Action and Engineer are required.</summary>
    public static RecordCheck ConfigChange(ConfigChangeInput input, TimeProvider? time, bool allowAnyTimestamp, out ConfigChangeInput valid, out string? fullDetails)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var given = input.ChangeId?.Trim();
        var kind = string.IsNullOrEmpty(given) ? "Config change" : $"Config change {InputValidationException.Printable(given)}";
        var check = Begin(input.Site, nameof(input.Site), input.Rejected, kind, time, allowAnyTimestamp, out var site, itemWithName: false);
        valid = new ConfigChangeInput
        {
            Site = site,
            Tool = Required(check, input.Rejected, nameof(input.Tool), check.Line(nameof(input.Tool), input.Tool, OptionLength), "-Tool (the tool that made the change)"),
            Action = Required(check, input.Rejected, nameof(input.Action), check.Line(nameof(input.Action), input.Action, OptionLength), "-Action (what kind of change: Create, Update, Delete, ...)"),
            Engineer = Required(check, input.Rejected, nameof(input.Engineer), check.Line(nameof(input.Engineer), input.Engineer, NameLength), "-Engineer (who made the change)"),
            Timestamp = check.Timestamp(nameof(input.Timestamp), input.Timestamp),
            Details = check.Paragraph(nameof(input.Details), input.Details, TextLength, out fullDetails),
            ChangeId = check.Identifier(nameof(input.ChangeId), input.ChangeId, IdLength),
            TargetDevice = check.Line(nameof(input.TargetDevice), input.TargetDevice, NameLength),
            Ticket = check.Line(nameof(input.Ticket), input.Ticket, NameLength),
            Result = check.Choice(nameof(input.Result), input.Result, ValueSet.ChangeResult),
        };
        return check;
    }

    /// <summary>Checks a network device (Sync-NetworkDevice); the MAC address is required.</summary>
    public static RecordCheck NetworkDevice(NetworkDeviceInput input, TimeProvider? time, bool allowAnyTimestamp, out NetworkDeviceInput valid)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var label = FirstText(input.Name, input.DeviceId, input.Mac) ?? "(unnamed)";
        var check = new RecordCheck($"Network device '{InputValidationException.Printable(label)}'", time, allowAnyTimestamp);
        check.Add(input.Rejected);
        string? mac = null;
        if (!Rejected(input.Rejected, nameof(input.Mac)))
        {
            if (MacAddress.TryParse(input.Mac, out var parsed, out var badMac, check.Item)) mac = parsed.ToString();
            else check.Add(badMac);
        }
        valid = new NetworkDeviceInput
        {
            SiteName = SiteNameOf(check, input.Rejected, nameof(input.SiteName), input.SiteName),
            Mac = mac,
            Name = check.Line(nameof(input.Name), input.Name, NameLength),
            Model = check.Line(nameof(input.Model), input.Model, NameLength),
            Vendor = check.Line(nameof(input.Vendor), input.Vendor, OptionLength),
            ProductLine = check.Choice(nameof(input.ProductLine), input.ProductLine, ValueSet.ProductLine),
            IpAddress = check.IpAddress(nameof(input.IpAddress), input.IpAddress),
            Status = check.Choice(nameof(input.Status), input.Status, ValueSet.DeviceStatus),
            FirmwareVersion = check.Line(nameof(input.FirmwareVersion), input.FirmwareVersion, VersionLength),
            FirmwareStatus = check.Choice(nameof(input.FirmwareStatus), input.FirmwareStatus, ValueSet.FirmwareStatus),
            UpdateAvailable = Flag(check, nameof(input.UpdateAvailable), input.UpdateAvailable),
            LastSeen = check.Timestamp(nameof(input.LastSeen), input.LastSeen),
            DeviceId = check.Identifier(nameof(input.DeviceId), input.DeviceId, IdLength),
            Source = check.Choice(nameof(input.Source), input.Source, ValueSet.SourceSystem),
        };
        return check;
    }

    /// <summary>Checks an alert (Sync-Alert); the alert uid is required.</summary>
    public static RecordCheck Alert(AlertInput input, TimeProvider? time, bool allowAnyTimestamp, out AlertInput valid)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var uid = input.AlertId?.Trim();
        var check = new RecordCheck($"Alert {(string.IsNullOrEmpty(uid) ? "(no uid)" : InputValidationException.Printable(uid))}", time, allowAnyTimestamp);
        check.Add(input.Rejected);
        var id = check.Identifier(nameof(input.AlertId), input.AlertId, IdLength);
        if (id is null && check.Ok && !Rejected(input.Rejected, nameof(input.AlertId)))
            check.Fail("MissingAlertId", "alert uid", null, "is missing", "Give the NinjaOne alert uid as AlertId (Get-NinjaOneAlert and Get-CustomerSite's alerts carry it).");
        valid = new AlertInput
        {
            AlertId = id,
            SiteName = SiteNameOf(check, input.Rejected, nameof(input.SiteName), input.SiteName),
            DeviceName = check.Line(nameof(input.DeviceName), input.DeviceName, NameLength),
            Severity = check.Choice(nameof(input.Severity), input.Severity, ValueSet.Severity),
            Subject = check.Paragraph(nameof(input.Subject), input.Subject, SubjectLength, out _),
            Message = check.Paragraph(nameof(input.Message), input.Message, TextLength, out _),
            SourceType = check.Line(nameof(input.SourceType), input.SourceType, OptionLength),
            CreatedAt = check.Timestamp(nameof(input.CreatedAt), input.CreatedAt),
        };
        return check;
    }

    // A check whose item names the site (after its name is validated), with the values that could not be converted.
    private static RecordCheck Begin(string? siteName, string field, IReadOnlyList<FieldProblem>? rejected, string kind, TimeProvider? time, bool allowAnyTimestamp,
        out string? name, bool itemWithName = true)
    {
        // "Daily Health of 'Acme'", or "Daily Health" while the name itself is at fault.
        var bare = kind.EndsWith(" of", StringComparison.Ordinal) ? kind.Substring(0, kind.Length - 3) : kind;
        InputValidationException? invalid = null;
        name = null;
        if (!Rejected(rejected, field) && SiteName.TryNormalize(siteName, out var normalized, out invalid, bare)) name = normalized;
        var check = new RecordCheck(name != null && itemWithName ? $"{kind} '{name}'" : bare, time, allowAnyTimestamp);
        check.Add(rejected);
        check.Add(invalid);
        return check;
    }

    // The site name a record relates to: validated here (with the other fields), resolved to a page by the builder.
    private static string? SiteNameOf(RecordCheck check, IReadOnlyList<FieldProblem>? rejected, string field, string? value)
    {
        if (Rejected(rejected, field)) return null;
        if (SiteName.TryNormalize(value, out var name, out var invalid, check.Item)) return name;
        check.Add(invalid);
        return null;
    }

    private static string? Required(RecordCheck check, IReadOnlyList<FieldProblem>? rejected, string field, string? value, string remedy)
    {
        if (value != null || Rejected(rejected, field) || check.Problems.Any(p => p.Field == field)) return value;
        check.Add(new InputValidationException("MissingConfigChangeField", field, check.Item, null, "is missing", "Give " + remedy + "."));
        return null;
    }

    private static string? Flag(RecordCheck check, string field, string? value)
    {
        if (!RecordValues.TryFlag(value, field, check.Item, out var flag, out var error))
        {
            check.Add(error as InputValidationException);
            return null;
        }
        return flag is { } f ? (f ? "true" : "false") : null;
    }

    // MissingSources: source systems separated by commas, each in its set; written back as "UniFi, NinjaOne".
    private static string? SourceList(RecordCheck check, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var names = new List<string>();
        foreach (var part in value!.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (check.Choice(field, part, ValueSet.SourceSystem) is not { } name) return null;
            if (!names.Contains(name)) names.Add(name);
        }
        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static bool Rejected(IReadOnlyList<FieldProblem>? rejected, string field)
        => rejected != null && rejected.Any(p => string.Equals(p.Field, field, StringComparison.OrdinalIgnoreCase));

    private static string? FirstText(params string?[] values)
        => values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
