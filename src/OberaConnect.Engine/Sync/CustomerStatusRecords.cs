using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Customer Sites records from what is known about each site: the health score (computed here with the
/// configured weights, so every path scores alike), device, client and alert counts, backup state, drift,
/// the source ids, which sources answered and what was missing, and Last Sync. Only module-owned
/// properties are written; people's columns (Customer ID, contract, contact, notes) are never touched.
/// A value the input does not know (null) leaves the property as it is; when a source was unavailable this
/// run, the properties that come from it alone are left as they were and Source Status says so.
/// Last Sync is written with a change, never alone, so an unchanged site costs no request.
/// </summary>
public sealed class CustomerStatusRecords
{
    /// <summary>The workspace database these records go to.</summary>
    public const string Database = nameof(DatabaseKey.CustomerSites);

    private readonly TimeProvider _time;

    public CustomerStatusRecords(HealthScoreCalculator? calculator = null, TimeProvider? time = null)
    {
        Calculator = calculator ?? new HealthScoreCalculator();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Records scored with the connection's configured weights, on its clock (hosts never hold a TimeProvider: see OberaConnectCmdlet).</summary>
    public static CustomerStatusRecords For(OberaConnectConnection connection, bool renameSites = false)
        => new(new HealthScoreCalculator(ConfigurationBridge.HealthWeights(connection.Configuration)), connection.Options.Time) { RenameSites = renameSites };

    public HealthScoreCalculator Calculator { get; }

    /// <summary>
    /// -RenameSite: a site whose page spells its name differently (another case or spacing of the same site) gets the
    /// input's spelling. Without it the page keeps its name and the result says so.
    /// </summary>
    public bool RenameSites { get; init; }

    /// <summary>The desired Customer Sites page of one site; a site whose values fail validation is a failed record naming them.</summary>
    public DesiredRecord Build(CustomerStatusInput given)
    {
        if (given is null) throw new ArgumentNullException(nameof(given));
        var check = InputRules.CustomerStatus(given, "Customer site", _time, allowAnyTimestamp: false, out var input);
        if (!check.Ok) return DesiredRecord.Failed(input.SiteName ?? given.SiteName, check, given);
        var name = input.SiteName!;
        if (!TryScore(input, name, out var score, out var drift, out var problem))
            return DesiredRecord.Failed(name, problem!, given);

        var uniFiDown = IsUnavailable(input.UniFiStatus);
        var ninjaDown = IsUnavailable(input.NinjaOneStatus);
        var p = new RecordProperties()
            .Set(CustomerSites.SiteName, name)
            .Set(CustomerSites.HealthScore, score.Score)
            .Set(CustomerSites.RiskLevel, score.RiskLevel.ToString())
            .Set(CustomerSites.ConfigDrift, drift ?? false)
            .Set(CustomerSites.SourceStatus, SourceStatusText(input))
            .Set(CustomerSites.LastSync, NotionDate.At(_time.GetUtcNow()));
        var (online, offline, total) = DeviceCounts(input);
        p.SetKnown(CustomerSites.DevicesOnline, online)
            .SetKnown(CustomerSites.DevicesOffline, offline)
            .SetKnown(CustomerSites.DevicesTotal, total);
        if (!uniFiDown)
        {
            p.SetKnown(CustomerSites.WifiClients, input.WifiClients)
                .SetKnown(CustomerSites.PendingUpdates, input.PendingUpdates)
                .SetKnown(CustomerSites.WanUptime, input.WanUptimePercent is { } wan ? Math.Round(wan / 100.0, 6) : null)
                .SetKnown(CustomerSites.Isp, RecordValues.OptionName(input.IspName))
                .SetKnown(CustomerSites.UniFiSiteId, RecordValues.Clean(input.UniFiSiteId))
                .SetKnown(CustomerSites.UniFiHostId, RecordValues.Clean(input.UniFiHostId));
        }
        if (!ninjaDown)
        {
            p.SetKnown(CustomerSites.OpenTickets, input.OpenTickets)
                .SetKnown(CustomerSites.ActiveAlerts, input.ActiveAlerts)
                .SetKnown(CustomerSites.CriticalAlerts, input.CriticalAlerts)
                .SetKnown(CustomerSites.BackupStatus, BackupStatusName(input.BackupStatus))
                .SetKnown(CustomerSites.NinjaOneOrgId, RecordValues.Clean(input.NinjaOneOrganizationId));
        }
        if (DataSources(input) is { } sources) p.Set(CustomerSites.DataSources, sources);

        var record = new DesiredRecord(name, p, given) { Description = $"site '{name}'", RenameKey = RenameSites };
        foreach (var n in check.Notices) record.Notices.Add(n);
        record.Incidental.Add(CustomerSites.LastSync.Name);
        return record;
    }

    /// <summary>The health score of a site, with the drift flag read from its text.</summary>
    public bool TryScore(CustomerStatusInput input, string item, out HealthScore score, out bool? drift, out OberaConnectException? problem)
    {
        score = null!;
        if (!RecordValues.TryFlag(input.ConfigDrift, "ConfigDrift", item, out drift, out problem)) return false;
        var (online, _, total) = DeviceCounts(input);
        score = Calculator.Calculate(new HealthInputs
        {
            DevicesOnline = online ?? 0,
            DevicesTotal = total ?? 0,
            WifiClients = input.WifiClients ?? 0,
            WeakSignalClients = input.WeakSignalClients ?? 0,
            CriticalAlerts = input.CriticalAlerts ?? 0,
            WarningAlerts = input.WarningAlerts ?? Math.Max(0, (input.ActiveAlerts ?? 0) - (input.CriticalAlerts ?? 0)),
            Backup = HealthScoreCalculator.ParseBackupStatus(input.BackupStatus),
            ConfigDrift = drift ?? false,
        });
        return true;
    }

    /// <summary>Online, offline and total devices, each derived from the other two when only two are given.</summary>
    internal static (int? Online, int? Offline, int? Total) DeviceCounts(CustomerStatusInput input)
    {
        var online = input.DevicesOnline;
        var offline = input.DevicesOffline;
        var total = input.DevicesTotal;
        if (total is null && online is { } on && offline is { } off) total = on + off;
        if (online is null && total is { } t1 && offline is { } o1) online = Math.Max(0, t1 - o1);
        if (offline is null && total is { } t2 && online is { } o2) offline = Math.Max(0, t2 - o2);
        return (online, offline, total);
    }

    /// <summary>What was missing this run, for example "NinjaOne: unavailable this run"; empty when every source answered.</summary>
    internal static string SourceStatusText(CustomerStatusInput input)
    {
        var parts = new List<string>();
        void Add(string system, string? state)
        {
            switch ((state ?? "").Trim().ToLowerInvariant())
            {
                case "unavailable": parts.Add($"{system}: unavailable this run (values from it are from an earlier sync)"); break;
                case "notmatched": parts.Add($"{system}: no {(system == "UniFi" ? "site" : "organization")} matched (add a siteMapping entry)"); break;
                case "notconfigured": parts.Add($"{system}: not configured"); break;
            }
        }
        Add("UniFi", input.UniFiStatus);
        Add("NinjaOne", input.NinjaOneStatus);
        if (parts.Count == 0 && string.IsNullOrWhiteSpace(input.UniFiStatus) && string.IsNullOrWhiteSpace(input.NinjaOneStatus)
            && RecordValues.Clean(input.MissingSources) is { } missing)
            parts.Add("Missing: " + missing);
        return string.Join("; ", parts);
    }

    /// <summary>Sources that answered for the site, or null when the input does not say.</summary>
    internal static IReadOnlyList<string>? DataSources(CustomerStatusInput input)
    {
        if (string.IsNullOrWhiteSpace(input.UniFiStatus) && string.IsNullOrWhiteSpace(input.NinjaOneStatus)) return null;
        var list = new List<string>();
        if (IsPresent(input.UniFiStatus)) list.Add("UniFi");
        if (IsPresent(input.NinjaOneStatus)) list.Add("NinjaOne");
        return list;
    }

    private static bool IsPresent(string? state) => string.Equals((state ?? "").Trim(), "Present", StringComparison.OrdinalIgnoreCase);

    private static bool IsUnavailable(string? state) => string.Equals((state ?? "").Trim(), "Unavailable", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Backup Status option of the input's text, or null when it gives none.</summary>
    internal static string? BackupStatusName(string? backupStatus)
        => string.IsNullOrWhiteSpace(backupStatus) ? null : HealthScoreCalculator.ParseBackupStatus(backupStatus).ToString();
}
