using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The syncs that depend on Customer Sites and never update a page (Daily Health: insert-only; Config Changes:
/// immutable, with generated ids) when create answers are lost and a run is stopped half way: the full rerun
/// leaves exactly one page per record, counted in the fake, and every run reports one result per input.
/// </summary>
public sealed class DependentSyncCrashTests
{
    private const int SiteCount = 20;

    private static readonly SyncStatus[] Reportable = { SyncStatus.Created, SyncStatus.Unchanged, SyncStatus.Failed, SyncStatus.Skipped };

    private static List<CustomerStatusInput> Sites() => Enumerable.Range(1, SiteCount).Select(i => SiteSyncTests.Site($"Site {i:D2}")).ToList();

    /// <summary>Customer Sites, written by a clean sync: the pages the dependent records relate to.</summary>
    private static async Task SyncSitesAsync(SiteWorkspace ws)
    {
        var driver = await ws.OpenAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites);
        var records = new CustomerStatusRecords();
        var (results, _) = await SiteWorkspace.RunAsync(driver, Sites().Select(records.Build).ToList());
        Assert.All(results, r => Assert.Equal(SyncStatus.Created, r.StatusValue));
        Assert.Equal(SiteCount, ws.Fake.State.CountPages(ws.DataSource(DatabaseKey.CustomerSites)));
    }

    [Fact]
    public async Task Daily_health_with_lost_answers_and_a_stopped_run_ends_with_one_snapshot_per_site_and_day()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        await SyncSitesAsync(ws);
        var day = new DateTime(2026, 1, 5);

        // Each run is a new process: a new connection, Customer Sites read again, the records built again.
        async Task<(OberaConnectConnection, IReadOnlyList<DesiredRecord>)> Snapshots(DateTime date)
        {
            var connection = ws.Connect();
            var records = new DailyHealthRecords(await SiteRelationIndex.OpenAsync(connection, CancellationToken.None), date);
            return (connection, Sites().Select(records.Build).ToList());
        }

        // Yesterday's snapshots exist: the date-scoped index never reads them, and they must stay as they are.
        var (c0, yesterday) = await Snapshots(day.AddDays(-1));
        var (done, _) = await SiteWorkspace.RunAsync(await ws.OpenAsync("Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(day.AddDays(-1)), c0), yesterday);
        Assert.All(done, r => Assert.Equal(SyncStatus.Created, r.StatusValue));

        var pages = await StopHalfwayThenRerunAsync(ws, "Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, "Snapshot Key",
            DailyHealthRecords.ScopeFor(day), () => Snapshots(day));

        Assert.All(Sites(), s => Assert.Equal(1, pages[$"{s.SiteName}|2026-01-05"]));
        var all = ws.Values(DatabaseKey.DailyHealth, "Snapshot Key");
        Assert.Equal(2 * SiteCount, all.Count);
        Assert.Equal(yesterday.Select(r => r.Key).OrderBy(k => k), all.Where(k => k!.EndsWith("|2026-01-04", StringComparison.Ordinal)).OrderBy(k => k));
    }

    [Fact]
    public async Task Config_changes_with_generated_ids_lost_answers_and_a_stopped_run_end_with_one_page_per_change()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        await SyncSitesAsync(ws);
        var at = new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.FromHours(-5));
        // Two changes per site, without ChangeId but with a Timestamp: the id is generated from the content.
        var changes = Sites().SelectMany((s, i) => new[] { "allow 443 from WAN", "add address object LAN-printers" }.Select((details, j) => new ConfigChangeInput
        {
            Site = s.SiteName, Tool = "sonicwall", Action = "Update", Engineer = "jdoe", TargetDevice = "fw01",
            Timestamp = at.AddMinutes(i * 10 + j), Details = details, Result = "success",
        })).ToList();

        async Task<(OberaConnectConnection, IReadOnlyList<DesiredRecord>)> Changes()
        {
            var connection = ws.Connect();
            // A new ConfigChangeRecords per run: its default timestamp differs, which must not matter when inputs carry one.
            var records = new ConfigChangeRecords(await SiteRelationIndex.OpenAsync(connection, CancellationToken.None));
            return (connection, changes.Select(records.Build).ToList());
        }

        var pages = await StopHalfwayThenRerunAsync(ws, "Write-ConfigChange", DatabaseKey.ConfigChanges, "Change ID", null, Changes);

        var ids = changes.Select(c => new ConfigChangeRecords(null).KeyOf(c)!).ToList();
        Assert.All(ids, id => Assert.StartsWith(ConfigChangeRecords.GeneratedPrefix, id, StringComparison.Ordinal));
        Assert.Equal(changes.Count, ids.Distinct().Count());
        Assert.Equal(ids.OrderBy(k => k), pages.Keys.OrderBy(k => k));
        Assert.Equal(changes.Count, ws.Fake.State.CountPages(ws.DataSource(DatabaseKey.ConfigChanges)));
    }

    /// <summary>
    /// Run 1 loses the answers to its first two creates and is stopped (Ctrl+C) after half the records; run 2, a
    /// full rerun, loses two answers too. Returns the pages per key of <paramref name="keyProperty"/> at the end.
    /// </summary>
    private static async Task<Dictionary<string, int>> StopHalfwayThenRerunAsync(SiteWorkspace ws, string operation, DatabaseKey database,
        string keyProperty, NotionFilter? scope, Func<Task<(OberaConnectConnection, IReadOnlyList<DesiredRecord>)>> build)
    {
        var (connection, records) = await build();
        var keys = records.Select(r => r.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var half = records.Count / 2;
        Dictionary<string, int> PagesPerKey() => ws.Values(database, keyProperty).OfType<string>().Where(keys.Contains).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());

        // The stopped run: the first two creates are applied but their answers never arrive.
        ws.Fake.Faults.Clear();
        ws.Fake.Faults.Add("POST /v1/pages", NotionFault.LoseResponse(), 2);
        using var stop = new CancellationTokenSource();
        var stopped = await ws.OpenAsync(operation, database, scope, connection);
        for (var i = 0; i < half; i++)
            SiteWorkspace.Process(stopped, stopped.Session.Plan(records[i]), stop.Token);
        // Stop only once both lost answers happened, so the stop comes after writes whose outcome had to be recovered.
        await WaitUntilAsync(() => ws.Fake.Faults.Fired == 2, "both lost answers to happen before the stop");
        stop.Cancel();
        await stopped.DrainAsync(_ => { }, CancellationToken.None);

        var partial = stopped.Results;
        AssertOneReportableResultPerInput(records.Take(half), partial);
        Assert.All(partial.Where(r => r.StatusValue == SyncStatus.Skipped), r => Assert.Contains("Stopped before", r.Reason));
        var afterStop = PagesPerKey();
        Assert.All(afterStop, kv => Assert.True(kv.Value == 1, $"{kv.Key} has {kv.Value} pages after the stopped run"));
        var createdBeforeStop = partial.Where(r => r.StatusValue == SyncStatus.Created).Select(r => r.Key).OrderBy(k => k).ToList();
        Assert.True(createdBeforeStop.Count >= 2, $"only {createdBeforeStop.Count} record(s) were created before the stop");
        Assert.Equal(createdBeforeStop, afterStop.Keys.OrderBy(k => k));
        Assert.Equal(2, partial.Count(r => r.Reason?.Contains("answer was lost") == true));

        // The full rerun (a new process), losing two more answers.
        var (again, rebuilt) = await build();
        Assert.Equal(keys, rebuilt.Select(r => r.Key));
        ws.Fake.Faults.Clear();
        ws.Fake.Faults.Add("POST /v1/pages", NotionFault.LoseResponse(), 2);
        var rerun = await ws.OpenAsync(operation, database, scope, again);
        var (results, summary) = await SiteWorkspace.RunAsync(rerun, rebuilt);

        Assert.Equal(2, ws.Fake.Faults.Fired);
        AssertOneReportableResultPerInput(rebuilt, results);
        Assert.Equal(afterStop.Count, summary.Unchanged);
        Assert.Equal(records.Count - afterStop.Count, summary.Created);
        Assert.Equal(2, results.Count(r => r.Reason?.Contains("answer was lost") == true));
        var pages = PagesPerKey();
        Assert.Equal(keys.OrderBy(k => k), pages.Keys.OrderBy(k => k));
        Assert.All(pages, kv => Assert.True(kv.Value == 1, $"{kv.Key} has {kv.Value} pages after the rerun"));
        return pages;
    }

    private static void AssertOneReportableResultPerInput(IEnumerable<DesiredRecord> inputs, IReadOnlyList<SyncResult> results)
    {
        Assert.Equal(inputs.Select(r => r.Key).OrderBy(k => k), results.Select(r => r.Key).OrderBy(k => k));
        Assert.All(results, r => Assert.Contains(r.StatusValue, Reportable));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // A bound so a broken engine fails the test instead of hanging it; not a speed assertion.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Timed out waiting for " + what + ".");
            await Task.Delay(5);
        }
    }
}
