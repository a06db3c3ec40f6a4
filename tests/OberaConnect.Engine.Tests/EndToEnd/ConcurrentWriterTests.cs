using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Operations;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Several writers, one workspace, through the engine and the Notion fake: runs sharing a state directory (one machine) take
/// turns at creating and plan against what the other created; runs with separate state directories (two machines) create
/// the same key and converge on the earliest page after confirming it; records pointing at the page that goes are moved to
/// the one that stays; a page a person made is never trashed; Notion's lagging query index; the write lock's timeout.
/// Each "process" is a connection of its own, as a new PowerShell process opens one (the real-process cases are in
/// tests/Pester/Concurrency.Tests.ps1).
/// </summary>
public sealed class ConcurrentWriterTests : IAsyncLifetime
{
    private const string Operation = "Sync-CustomerStatus";
    private SiteWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await SiteWorkspace.StartAsync();

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private static List<CustomerStatusInput> Sites(int n, Func<int, int>? online = null)
        => Enumerable.Range(1, n).Select(i => SiteSyncTests.Site($"Site {i:D2}", online: online?.Invoke(i) ?? 10)).ToList();

    /// <summary>A connection as a process on another machine has it: the same workspace, a state directory of its own.</summary>
    private OberaConnectConnection OtherMachine(string name)
        => _ws.Connect(c => c.Paths.StateDirectory = Path.Combine(_ws.Directory, name, "state"));

    private async Task<IReadOnlyList<SyncResult>> Run(SyncDriver driver, IEnumerable<CustomerStatusInput> inputs)
    {
        var records = new CustomerStatusRecords();
        return (await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList())).Results;
    }

    private string CustomerSites => _ws.DataSource(DatabaseKey.CustomerSites);

    private Dictionary<string, int> PagesPerKey(DatabaseKey database, string property)
        => _ws.Values(database, property).GroupBy(v => v!).ToDictionary(g => g.Key, g => g.Count());

    // ------------------------------------------------------------------ one machine

    [Fact]
    public async Task A_run_on_the_same_machine_plans_against_the_page_another_run_created_since_its_index_read_with_no_request_to_find_it()
    {
        var first = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        var second = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: _ws.Connect());
        // Both read an empty index; the first creates every site.
        var created = await Run(first, Sites(20));
        Assert.All(created, r => Assert.Equal(SyncStatus.Created, r.StatusValue));
        _ws.Fake.Requests.Reset();

        // The second has the same sites, three of them with other numbers: nothing is created again.
        var results = await Run(second, Sites(20, i => i <= 3 ? 7 : 10));

        Assert.Equal(17, results.Count(r => r.StatusValue == SyncStatus.Unchanged));
        var updated = results.Where(r => r.StatusValue == SyncStatus.Updated).ToList();
        Assert.Equal(new[] { "Site 01", "Site 02", "Site 03" }, updated.Select(r => r.Key).OrderBy(k => k));
        Assert.All(results, r => Assert.StartsWith("Another run on this machine, Sync-CustomerStatus (process ", r.Reason));
        Assert.All(updated, r => Assert.Contains("this run's values that differ were written to it", r.Reason));
        // What it knew came from the ledger: no create, no lookup, only the three updates.
        Assert.Equal(0, _ws.Fake.Requests.Count("POST /v1/pages"));
        Assert.Equal(3, _ws.Fake.Requests.Total);
        var pages = PagesPerKey(DatabaseKey.CustomerSites, "Site Name");
        Assert.Equal(20, pages.Count);
        Assert.All(pages, kv => Assert.Equal(1, kv.Value));
        Assert.Equal("7", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Site 02"), "Devices Online"));
        // Each result names the page that holds the key.
        Assert.All(results, r => Assert.Equal(_ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", r.Key), NotionId.Normalize(r.PageId!)));
    }

    [Fact]
    public async Task Runs_on_one_machine_started_together_create_each_key_once_and_report_it_created_once()
    {
        var drivers = new[] { _ws.Connection, _ws.Connect(), _ws.Connect() };
        var opened = new List<SyncDriver>();
        foreach (var c in drivers) opened.Add(await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: c));

        var runs = await Task.WhenAll(opened.Select(d => Run(d, Sites(30))));

        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(30, all.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(60, all.Count(r => r.StatusValue == SyncStatus.Unchanged));
        Assert.DoesNotContain(all, r => r.StatusValue == SyncStatus.Failed);
        Assert.Equal(30, _ws.Fake.State.CountPages(CustomerSites, includeTrashed: true)); // nothing was created twice, even for a moment
    }

    // ------------------------------------------------------------------ two machines

    [Fact]
    public async Task Writers_on_two_machines_converge_on_the_earliest_page_and_only_its_writer_reports_created()
    {
        var a = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        var b = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: OtherMachine("b"));
        // A creates and confirms its pages alone; B read its index before, so it creates the same keys a moment later,
        // in the same minute as A's pages: Notion's created_time order (finer than the minute it shows) decides, not the page id.
        var first = await Run(a, Sites(10));
        var second = await Run(b, Sites(10, i => i == 1 ? 4 : 10));

        Assert.All(first, r => Assert.Equal(SyncStatus.Created, r.StatusValue));
        Assert.Equal(9, second.Count(r => r.StatusValue == SyncStatus.Unchanged));
        var site1 = Assert.Single(second, r => r.StatusValue == SyncStatus.Updated);
        Assert.Equal("Site 01", site1.Key);
        Assert.All(second, r => Assert.Matches("^Another writer created 'Site \\d\\d' at the same time: its page [0-9a-f]{8} was created first and stays; page [0-9a-f]{8} moved to the trash", r.Reason));
        var pages = PagesPerKey(DatabaseKey.CustomerSites, "Site Name");
        Assert.Equal(10, pages.Count);
        Assert.All(pages, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(20, _ws.Fake.State.CountPages(CustomerSites, includeTrashed: true));
        // The page that stayed is the one A reported, and B's result names it too; B's own values landed on it.
        foreach (var r in first)
        {
            var page = _ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", r.Key);
            Assert.Equal(page, NotionId.Normalize(r.PageId!));
            Assert.Equal(page, NotionId.Normalize(second.Single(s => s.Key == r.Key).PageId!));
        }
        Assert.Equal("4", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Site 01"), "Devices Online"));
    }

    [Fact]
    public async Task Writers_on_two_machines_started_together_leave_one_page_per_key_in_every_database_and_one_created_per_key()
    {
        // Customer Sites, then the day's snapshot and a batch of config changes, each by two "machines" at once.
        var machines = new[] { _ws.Connection, OtherMachine("b") };
        var siteRuns = await Task.WhenAll(machines.Select(async c => await Run(await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: c), Sites(15))));
        AssertOneCreatedPerKey(siteRuns, 15);
        Assert.All(PagesPerKey(DatabaseKey.CustomerSites, "Site Name"), kv => Assert.Equal(1, kv.Value));

        var day = new DateTime(2026, 1, 5);
        var snapshotRuns = await Task.WhenAll(machines.Select(async c =>
        {
            var sites = await SiteRelationIndex.OpenAsync(c, CancellationToken.None);
            var driver = await _ws.OpenAsync("Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(day), c);
            var records = new DailyHealthRecords(sites, day);
            return (await SiteWorkspace.RunAsync(driver, Sites(15).Select(records.Build).ToList())).Results;
        }));
        AssertOneCreatedPerKey(snapshotRuns, 15);
        var snapshots = PagesPerKey(DatabaseKey.DailyHealth, "Snapshot Key");
        Assert.Equal(15, snapshots.Count);
        Assert.All(snapshots, kv => Assert.Equal(1, kv.Value));

        var changeRuns = await Task.WhenAll(machines.Select(async c =>
        {
            var sites = await SiteRelationIndex.OpenAsync(c, CancellationToken.None);
            var driver = await _ws.OpenAsync("Write-ConfigChange", DatabaseKey.ConfigChanges, connection: c);
            var records = new ConfigChangeRecords(sites);
            var changes = Enumerable.Range(1, 15).Select(i => new ConfigChangeInput
            {
                Site = $"Site {i:D2}", Tool = "unifi", Action = "Reboot", Engineer = "jdoe", ChangeId = $"race-{i}",
                Timestamp = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero),
            });
            return (await SiteWorkspace.RunAsync(driver, changes.Select(records.Build).ToList())).Results;
        }));
        AssertOneCreatedPerKey(changeRuns, 15);
        var changes = PagesPerKey(DatabaseKey.ConfigChanges, "Change ID");
        Assert.Equal(15, changes.Count);
        Assert.All(changes, kv => Assert.Equal(1, kv.Value));
    }

    private static void AssertOneCreatedPerKey(IReadOnlyList<SyncResult>[] runs, int keys)
    {
        var all = runs.SelectMany(r => r).ToList();
        Assert.DoesNotContain(all, r => r.StatusValue == SyncStatus.Failed);
        Assert.Equal(keys, all.Where(r => r.StatusValue == SyncStatus.Created).Select(r => r.Key).Distinct().Count());
        Assert.Equal(keys, all.Count(r => r.StatusValue == SyncStatus.Created));
    }

    [Fact]
    public async Task The_records_pointing_at_the_page_that_goes_are_moved_to_the_page_that_stays()
    {
        await Run(await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites), Sites(2));
        var driver = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        // Another machine's "Acme Corp", made after this run read its index and later than this run's page by Notion's clock,
        // already holds history: two snapshots point at it.
        var theirs = _ws.Fake.State.InsertPage(CustomerSites, new Dictionary<string, object?> { ["Site Name"] = "Acme Corp" });
        _ws.Fake.State.SetTimestamps(theirs, created: DateTimeOffset.UtcNow.AddMinutes(5));
        var history = new[] { "2026-01-03", "2026-01-04" }.Select(d => _ws.Fake.State.InsertPage(_ws.DataSource(DatabaseKey.DailyHealth), new Dictionary<string, object?>
        {
            ["Snapshot"] = "Acme Corp \u2014 " + d, ["Snapshot Key"] = "Acme Corp|" + d, ["Site"] = new[] { theirs },
        })).ToList();

        var result = Assert.Single(await Run(driver, new[] { SiteSyncTests.Site("Acme Corp") }));

        Assert.Equal(SyncStatus.Created, result.StatusValue);
        var ours = NotionId.Normalize(result.PageId!);
        Assert.Contains($"page {theirs.Replace("-", "").Substring(0, 8)} moved to the trash, its 2 record(s) now point at the page that stays", result.Reason);
        Assert.True(_ws.Fake.State.IsInTrash(theirs));
        Assert.All(history, h => Assert.Equal(ours, NotionId.Normalize(_ws.Fake.State.GetPropertyText(h, "Site")!)));
    }

    [Fact]
    public async Task A_page_a_person_made_with_the_same_key_is_never_trashed_whether_it_came_first_or_second()
    {
        var person = _ws.Fake.State.AddUser("Pat Admin", "pat@example.com");
        var earlier = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        var later = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: _ws.Connect());

        // Made by hand after the index read and before this run's create: it is the earliest, so it stays and takes this run's values.
        var first = _ws.Fake.State.InsertPageBy(person, CustomerSites, new Dictionary<string, object?> { ["Site Name"] = "Site 01", ["Notes"] = "by hand" });
        var kept = Assert.Single(await Run(earlier, Sites(1)));
        Assert.Equal(SyncStatus.Updated, kept.StatusValue);
        Assert.Equal(first, NotionId.Normalize(kept.PageId!));
        Assert.Equal("by hand", _ws.Fake.State.GetPropertyText(first, "Notes"));
        Assert.Equal("10", _ws.Fake.State.GetPropertyText(first, "Devices Online"));
        Assert.Equal(1, _ws.Fake.State.CountPages(CustomerSites)); // this run's own copy went

        // Made by hand later than this run's page: this run's page stays, the person's page is left and named.
        var second = _ws.Fake.State.InsertPageBy(person, CustomerSites, new Dictionary<string, object?> { ["Site Name"] = "Site 02" });
        _ws.Fake.State.SetTimestamps(second, created: DateTimeOffset.UtcNow.AddMinutes(5));
        var result = Assert.Single(await Run(later, new[] { SiteSyncTests.Site("Site 02") }));
        Assert.Equal(SyncStatus.Created, result.StatusValue);
        Assert.Contains($"page {second.Replace("-", "").Substring(0, 8)} was made by someone else, not this integration, and is left as it is", result.Reason);
        Assert.False(_ws.Fake.State.IsInTrash(second));
        Assert.Equal(2, PagesPerKey(DatabaseKey.CustomerSites, "Site Name")["Site 02"]);
    }

    [Fact]
    public async Task A_new_page_the_lagging_query_index_does_not_show_yet_is_asked_for_again_before_it_is_confirmed()
    {
        _ws.Fake.QueryIndexLag = TimeSpan.FromSeconds(2.5);
        var driver = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        _ws.Fake.Requests.Reset();

        var result = Assert.Single(await Run(driver, Sites(1)));

        Assert.Equal(SyncStatus.Created, result.StatusValue);
        Assert.Null(result.Reason);
        // The first look (1 s after the create) found nothing; the next, 2 s later, found the page.
        Assert.Equal(2, _ws.Fake.Requests.Count("POST /v1/data_sources/{id}/query"));
        Assert.Equal(1, _ws.Fake.State.CountPages(CustomerSites));
    }

    [Fact]
    public async Task Waiting_for_another_run_is_reported_and_ends_in_a_clear_write_lock_timeout_for_the_creates_only()
    {
        await Run(await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites), Sites(2));
        var output = new CapturedOutput();
        var connection = _ws.Connect(c => c.Notion.WriteLockTimeoutSeconds = 3);
        var driver = await SyncDriver.OpenAsync(connection, Operation, DatabaseKey.CustomerSites, null, "waiting01", output, CancellationToken.None);

        // Another run of this machine holds the lock (it is creating in Customer Sites).
        var holderRun = new SyncRun("Add-DailyHealthSnapshot", await _ws.Connection.GetNotionAsync(CancellationToken.None), "holder01");
        var ledger = new CreateLedger(connection.Configuration.Paths.StateDirectory!, CustomerSites, "Customer Sites", DateTimeOffset.UtcNow);
        using (await ledger.AcquireAsync(holderRun, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            var results = await Run(driver, Sites(4, i => i == 1 ? 3 : 10));

            // The update of an existing site does not wait; the two creates fail, the second without waiting again.
            Assert.Equal(SyncStatus.Updated, results.Single(r => r.Key == "Site 01").StatusValue);
            Assert.Equal(SyncStatus.Unchanged, results.Single(r => r.Key == "Site 02").StatusValue);
            var failed = results.Where(r => r.StatusValue == SyncStatus.Failed).ToList();
            Assert.Equal(2, failed.Count);
            Assert.All(failed, r => Assert.Equal("WriteLockTimeout", r.ErrorId));
            var first = failed.Single(r => !r.Error!.StartsWith("Not attempted"));
            Assert.Contains("Customer Sites: waited 3 s for the write lock that lets one run at a time on this machine create pages in it", first.Error);
            Assert.Contains($"process {Environment.ProcessId} (Add-DailyHealthSnapshot on {Environment.MachineName}", first.Error);
            Assert.Contains("notion.writeLockTimeoutSeconds", first.Error);
            Assert.StartsWith("Not attempted: an earlier record of this run already waited too long", failed.Single(r => r != first).Error);
        }
        Assert.Contains(output.Lines, l => l.StartsWith("PROGRESS: Waiting for another run to create pages in Customer Sites | process ", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.StartsWith("VERBOSE: Customer Sites: waiting for the write lock ", StringComparison.Ordinal) && l.Contains("Add-DailyHealthSnapshot"));
        // Nothing half-done: the journal takes both for -RetryFailed, which now creates them.
        var summary = await driver.FinishAsync(CancellationToken.None);
        Assert.Equal(2, summary.Failed);
        var retry = await _ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: _ws.Connect());
        Assert.Equal(new[] { "Site 03", "Site 04" }, retry.FailedEntries().Select(e => e.Key).OrderBy(k => k));
    }
}
