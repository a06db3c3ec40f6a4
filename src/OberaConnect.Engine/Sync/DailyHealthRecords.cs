using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

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

    private readonly TimeProvider _time;

    public DailyHealthRecords(SiteRelationIndex sites, DateTime date, CustomerStatusRecords? scoring = null, TimeProvider? time = null)
    {
        _sites = sites ?? throw new ArgumentNullException(nameof(sites));
        Date = date.Date;
        _scoring = scoring ?? new CustomerStatusRecords();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The snapshots of <paramref name="date"/> scored with the connection's weights, on its clock.</summary>
    public static DailyHealthRecords For(Connection.OberaConnectConnection connection, SiteRelationIndex sites, DateTime date, bool allowAnyTimestamp)
        => new(sites, date, CustomerStatusRecords.For(connection), connection.Options.Time) { AllowAnyTimestamp = allowAnyTimestamp };

    /// <summary><see cref="CheckDate(DateTime, TimeProvider?, bool)"/> on the connection's clock.</summary>
    public static InputValidationException? CheckDate(DateTime date, Connection.OberaConnectConnection connection, bool allowAnyTimestamp)
        => CheckDate(date, connection.Options.Time, allowAnyTimestamp);

    /// <summary>-AllowAnyTimestamp: snapshot dates before 2000 or more than a day ahead are taken.</summary>
    public bool AllowAnyTimestamp { get; init; }

    /// <summary>
    /// The error of a snapshot date outside 2000-01-01 to a day from now (-Date of Add-DailyHealthSnapshot), or null when
    /// it is plausible or <paramref name="allowAnyTimestamp"/>: a whole run of snapshots for year 1 is refused before it starts.
    /// </summary>
    public static InputValidationException? CheckDate(DateTime date, TimeProvider? time, bool allowAnyTimestamp)
    {
        var check = new RecordCheck("Daily Health", time, allowAnyTimestamp);
        check.Timestamp("Date", AsTimestamp(date));
        return check.Error;
    }

    // The day itself, as a point in time (UTC midnight), so year 1 and 9999 convert too.
    private static DateTimeOffset AsTimestamp(DateTime date) => new(DateTime.SpecifyKind(date.Date, DateTimeKind.Utc), TimeSpan.Zero);

    /// <summary>The day the snapshots describe.</summary>
    public DateTime Date { get; }

    /// <summary>The index scope of one date: only that day's snapshots are read.</summary>
    public static NotionFilter ScopeFor(DateTime date) => NotionFilter.Date(DailyHealth.Date.Name).EqualTo(date.Date);

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
        var date = snapshot.Date.Date;
        var check = InputRules.CustomerStatus(snapshot.Site, "Daily Health of", _time, AllowAnyTimestamp, out var input);
        check.Timestamp("Date", AsTimestamp(date));
        if (!check.Ok)
            return DesiredRecord.Failed(input.SiteName is { } valid ? RecordKeys.DailyHealthKey(valid, date) : snapshot.Site.SiteName, check, snapshot);
        var inputName = input.SiteName!;
        var item = check.Item;
        var fallbackKey = RecordKeys.DailyHealthKey(inputName, date);
        if (!_sites.TryResolve(inputName, "Daily Health", item, out var site, out var error))
            return DesiredRecord.Failed(fallbackKey, error!, snapshot);
        if (!_scoring.TryScore(input, item, out var score, out var drift, out var problem))
            return DesiredRecord.Failed(fallbackKey, problem!, snapshot);

        var key = RecordKeys.DailyHealthKey(site.Name, date);
        var (online, offline, total) = CustomerStatusRecords.DeviceCounts(input);
        var p = new RecordProperties()
            .Set(DailyHealth.Snapshot, RecordKeys.DailyHealthTitle(site.Name, date))
            .Set(DailyHealth.SnapshotKey, key)
            .Set(DailyHealth.Date, NotionDate.Day(date))
            .Set(DailyHealth.Site, new[] { site.PageId })
            .Set(DailyHealth.HealthScore, score.Score)
            .Set(DailyHealth.RiskLevel, score.RiskLevel.ToString())
            .Set(DailyHealth.ConfigDrift, drift ?? false)
            .SetKnown(DailyHealth.DevicesOnline, online)
            .SetKnown(DailyHealth.DevicesOffline, offline)
            .SetKnown(DailyHealth.DevicesTotal, total)
            .SetKnown(DailyHealth.WifiClients, input.WifiClients)
            .SetKnown(DailyHealth.ActiveAlerts, input.ActiveAlerts)
            .SetKnown(DailyHealth.CriticalAlerts, input.CriticalAlerts)
            .SetKnown(DailyHealth.BackupStatus, CustomerStatusRecords.BackupStatusName(input.BackupStatus));
        var record = new DesiredRecord(key, p, snapshot) { Description = $"snapshot of '{site.Name}' for {date:yyyy-MM-dd}" };
        foreach (var n in check.Notices) record.Notices.Add(n);
        return record;
    }
}

/// <summary>A site's values for one day's snapshot: what the journal keeps, so -RetryFailed writes the day that failed.</summary>
public sealed class DailyHealthInput
{
    public DateTime Date { get; set; }
    public CustomerStatusInput? Site { get; set; }

    public override string ToString() => $"{Site} {Date:yyyy-MM-dd}";
}
