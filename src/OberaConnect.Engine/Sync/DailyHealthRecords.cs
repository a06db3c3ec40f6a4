using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Daily Health records: one page per site per date, titled "Site — yyyy-MM-dd" and keyed by Snapshot Key
/// ("Site|yyyy-MM-dd"), related to the site's Customer Sites page, with the day's score and counts. The
/// database is insert-only, so a rerun on the same day creates nothing; the sync reads only the pages of
/// that date (<see cref="ScopeFor"/>). Names and keys use the site's page name, so a snapshot made from a
/// slightly different spelling still lands on the same key.
/// </summary>
public sealed class DailyHealthRecords
{
    public const string Database = nameof(DatabaseKey.DailyHealth);

    private readonly SiteRelationIndex _sites;
    private readonly CustomerStatusRecords _scoring;

    public DailyHealthRecords(SiteRelationIndex sites, DateTime date, CustomerStatusRecords? scoring = null)
    {
        _sites = sites ?? throw new ArgumentNullException(nameof(sites));
        Date = date.Date;
        _scoring = scoring ?? new CustomerStatusRecords();
    }

    /// <summary>The day the snapshots describe.</summary>
    public DateTime Date { get; }

    /// <summary>The index scope of one date: only that day's snapshots are read.</summary>
    public static NotionFilter ScopeFor(DateTime date) => NotionFilter.Date("Date").EqualTo(date.Date);

    /// <summary>Today in the machine's time zone: a scheduled 06:00 run describes the local day.</summary>
    public static DateTime Today(TimeProvider? time = null) => (time ?? TimeProvider.System).GetLocalNow().Date;

    /// <summary>The desired snapshot page of one site for <see cref="Date"/>.</summary>
    public DesiredRecord Build(CustomerStatusInput input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        var item = $"Daily Health of {input.SiteName?.Trim()}";
        if (!SiteName.TryNormalize(input.SiteName, out var inputName, out var invalid, "Daily Health"))
            return DesiredRecord.Failed(input.SiteName?.Trim() ?? "", invalid!, input);
        var fallbackKey = RecordKeys.DailyHealthKey(inputName, Date);
        if (!_sites.TryResolve(inputName, "Daily Health", item, out var site, out var error))
            return DesiredRecord.Failed(fallbackKey, error!, input);
        if (!_scoring.TryScore(input, item, out var score, out var drift, out var problem))
            return DesiredRecord.Failed(fallbackKey, problem!, input);

        var key = RecordKeys.DailyHealthKey(site.Name, Date);
        var p = new Dictionary<string, PropertyValue>(StringComparer.Ordinal)
        {
            ["Snapshot"] = PropertyValue.Title(RecordKeys.DailyHealthTitle(site.Name, Date)),
            ["Snapshot Key"] = PropertyValue.RichText(key),
            ["Date"] = PropertyValue.Date(NotionDate.Day(Date)),
            ["Site"] = PropertyValue.Relation(site.PageId),
            ["Health Score"] = PropertyValue.Number(score.Score),
            ["Risk Level"] = PropertyValue.Select(score.RiskLevel.ToString()),
            ["Config Drift"] = PropertyValue.Checkbox(drift ?? false),
        };
        var (online, offline, total) = CustomerStatusRecords.DeviceCounts(input);
        CustomerStatusRecords.Put(p, "Devices Online", online);
        CustomerStatusRecords.Put(p, "Devices Offline", offline);
        CustomerStatusRecords.Put(p, "Devices Total", total);
        CustomerStatusRecords.Put(p, "WiFi Clients", input.WifiClients);
        CustomerStatusRecords.Put(p, "Active Alerts", input.ActiveAlerts);
        CustomerStatusRecords.Put(p, "Critical Alerts", input.CriticalAlerts);
        if (!string.IsNullOrWhiteSpace(input.BackupStatus))
            p["Backup Status"] = PropertyValue.Select(Health.HealthScoreCalculator.ParseBackupStatus(input.BackupStatus).ToString());
        return new DesiredRecord(key, p, input);
    }
}
