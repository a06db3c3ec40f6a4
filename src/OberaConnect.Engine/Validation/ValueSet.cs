using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// An enumerated set of values an input field accepts: the names written to Notion, in the order tab completion offers
/// them, and the other spellings sources and people use for them (any case, surrounding spaces ignored). Anything else
/// is an <see cref="InputErrorIds.InvalidEnumValue"/> error that lists the set, the way PowerShell's [ValidateSet] does.
/// The sets of select properties come from the workspace definition, so what is accepted is what Notion holds.
/// </summary>
public sealed class ValueSet
{
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ValueSet(string name, IEnumerable<string> values, IEnumerable<KeyValuePair<string, string>>? aliases = null)
    {
        Name = name;
        Values = values.ToList();
        foreach (var v in Values) _byName[v] = v;
        foreach (var a in aliases ?? Array.Empty<KeyValuePair<string, string>>()) _byName[a.Key] = a.Value;
    }

    /// <summary>What the set is, in words ("backup status").</summary>
    public string Name { get; }

    /// <summary>The values, as written to Notion and offered by tab completion.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The set's own spelling of <paramref name="text"/>, or null when it is not in the set.</summary>
    public string? Match(string? text) => text is null ? null : _byName.TryGetValue(text.Trim(), out var v) ? v : null;

    /// <summary>The set as the error message lists it: "Success, Partial, Failed, Unknown".</summary>
    public override string ToString() => string.Join(", ", Values);

    private static KeyValuePair<string, string> A(string alias, string value) => new(alias, value);

    /// <summary>Backup Status: Success, Partial, Failed, Unknown (also succeeded, ok, completed, failure, error).</summary>
    public static ValueSet BackupStatus { get; } = new("backup status", new[] { "Success", "Partial", "Failed", "Unknown" },
        new[] { A("succeeded", "Success"), A("ok", "Success"), A("completed", "Success"), A("failure", "Failed"), A("error", "Failed") });

    /// <summary>UniFiStatus and NinjaOneStatus: whether a source's data is in the input.</summary>
    public static ValueSet SourceState { get; } = new("source status", Enum.GetNames(typeof(Sources.SourceState)),
        new[] { A("Not Matched", "NotMatched"), A("Not Configured", "NotConfigured") });

    /// <summary>The systems MissingSources may name.</summary>
    public static ValueSet SourceSystem { get; } = new("source system", Enum.GetNames(typeof(Sources.SourceSystem)));

    /// <summary>Config Changes' Result: Success, Failed, Partial, Rolled Back (also succeeded, ok, failure, error, rolledback, rollback).</summary>
    public static ValueSet ChangeResult { get; } = Options(DatabaseKey.ConfigChanges, Workspace.Databases.ConfigChanges.Result.Name, "result",
        A("succeeded", "Success"), A("ok", "Success"), A("failure", "Failed"), A("error", "Failed"),
        A("rolledback", "Rolled Back"), A("rollback", "Rolled Back"));

    /// <summary>A network device's Status as input gives it: Online, Offline, Updating (Gone From Source is the module's own mark).</summary>
    public static ValueSet DeviceStatus { get; } = new("device status", new[] { "Online", "Offline", "Updating" },
        new[] { A("connected", "Online"), A("up", "Online"), A("disconnected", "Offline"), A("down", "Offline"), A("upgrading", "Updating"), A("provisioning", "Updating") });

    /// <summary>Network Devices' Product Line: Network, Protect, Access, Talk, Connect, Other.</summary>
    public static ValueSet ProductLine { get; } = Options(DatabaseKey.NetworkDevices, Workspace.Databases.NetworkDevices.ProductLine.Name, "product line");

    /// <summary>Network Devices' Firmware Status: Up To Date, Update Available, Unknown (also UniFi's upToDate, updateAvailable, and current, outdated).</summary>
    public static ValueSet FirmwareStatus { get; } = Options(DatabaseKey.NetworkDevices, Workspace.Databases.NetworkDevices.FirmwareStatus.Name, "firmware status",
        A("uptodate", "Up To Date"), A("up_to_date", "Up To Date"), A("current", "Up To Date"),
        A("updateavailable", "Update Available"), A("update_available", "Update Available"), A("outdated", "Update Available"));

    /// <summary>Alerts' Severity: NinjaOne's NONE, MINOR, MODERATE, MAJOR, CRITICAL.</summary>
    public static ValueSet Severity { get; } = Options(DatabaseKey.Alerts, Workspace.Databases.Alerts.Severity.Name, "severity");

    /// <summary>The options of a select property of the standard workspace, with <paramref name="aliases"/>.</summary>
    public static ValueSet Options(DatabaseKey database, string property, string name, params KeyValuePair<string, string>[] aliases)
        => new(name, NotionWorkspace.OptionsOf(database, property), aliases);

    /// <summary>The sets tab completion offers, by the name completers use (no engine types in the cmdlet assembly's fields).</summary>
    public static ValueSet Named(string name) => name switch
    {
        nameof(BackupStatus) => BackupStatus,
        nameof(SourceState) => SourceState,
        nameof(ChangeResult) => ChangeResult,
        nameof(DeviceStatus) => DeviceStatus,
        nameof(ProductLine) => ProductLine,
        nameof(FirmwareStatus) => FirmwareStatus,
        nameof(Severity) => Severity,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such value set."),
    };
}
