using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Daily Health records: one page per site per date, titled "Site — yyyy-MM-dd" and keyed by Snapshot Key
/// ("Site|yyyy-MM-dd"), related to the site's Customer Sites page, with the day's score and counts. The
/// database is insert-only, so a rerun on the same day creates nothing; the sync reads only the pages of
/// that date (<see cref="ScopeFor(DateTime)"/>). Names and keys use the site's page name, so a snapshot made from a
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

    /// <summary>Today on the connection's clock.</summary>
    public static DateTime Today(Connection.OberaConnectConnection connection) => Today(connection.Options.Time);

    /// <summary>
    /// The index scope of a -RetryFailed run: the dates of the journaled snapshots (each date's pages only),
    /// or null (the whole database) when they span more than 50 days.
    /// </summary>
    public static NotionFilter? RetryScope(IEnumerable<JournalEntry> entries)
    {
        var dates = entries.Select(FromJournal).Where(i => i != null).Select(i => i!.Date.Date).Distinct().OrderBy(d => d).ToList();
        if (dates.Count == 0) return ScopeFor(Today());
        if (dates.Count > 50) return null;
        return dates.Count == 1 ? ScopeFor(dates[0]) : NotionFilter.Or(dates.Select(ScopeFor).ToArray());
    }

    /// <summary>The journaled input of a failed snapshot, or null.</summary>
    public static DailyHealthInput? FromJournal(JournalEntry entry) => JournalInput.Read<DailyHealthInput>(entry);

    /// <summary>The desired snapshot page of one site for <see cref="Date"/>.</summary>
    public DesiredRecord Build(CustomerStatusInput input) => Build(new DailyHealthInput { Date = Date, Site = input });

    /// <summary>The desired snapshot page of one site for the input's own date (a journaled snapshot).</summary>
    public DesiredRecord Build(DailyHealthInput snapshot)
    {
        if (snapshot?.Site is null) throw new ArgumentNullException(nameof(snapshot));
        var input = snapshot.Site;
        var date = snapshot.Date.Date;
        var item = $"Daily Health of {input.SiteName?.Trim()}";
        if (!SiteName.TryNormalize(input.SiteName, out var inputName, out var invalid, "Daily Health"))
            return DesiredRecord.Failed(input.SiteName?.Trim() ?? "", invalid!, snapshot);
        var fallbackKey = RecordKeys.DailyHealthKey(inputName, date);
        if (!_sites.TryResolve(inputName, "Daily Health", item, out var site, out var error))
            return DesiredRecord.Failed(fallbackKey, error!, snapshot);
        if (!_scoring.TryScore(input, item, out var score, out var drift, out var problem))
            return DesiredRecord.Failed(fallbackKey, problem!, snapshot);

        var key = RecordKeys.DailyHealthKey(site.Name, date);
        var p = new Dictionary<string, PropertyValue>(StringComparer.Ordinal)
        {
            ["Snapshot"] = PropertyValue.Title(RecordKeys.DailyHealthTitle(site.Name, date)),
            ["Snapshot Key"] = PropertyValue.RichText(key),
            ["Date"] = PropertyValue.Date(NotionDate.Day(date)),
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
        return new DesiredRecord(key, p, snapshot) { Description = $"snapshot of '{site.Name}' for {date:yyyy-MM-dd}" };
    }
}

/// <summary>A site's values for one day's snapshot: what the journal keeps, so -RetryFailed writes the day that failed.</summary>
public sealed class DailyHealthInput
{
    public DateTime Date { get; set; }
    public CustomerStatusInput? Site { get; set; }

    public override string ToString() => $"{Site} {Date:yyyy-MM-dd}";
}
