using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The five site syncs (Customer Sites, Daily Health, Config Changes, Network Devices, Alerts) end to end:
/// record builders → SyncDriver → NotionClient over HTTP → the Notion fake with the standard schema.
/// Pages are counted in the fake, never taken from the results alone.
/// </summary>
public sealed class SiteSyncTests : IAsyncLifetime
{
    private SiteWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await SiteWorkspace.StartAsync();

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    internal static CustomerStatusInput Site(string name, int online = 10, int total = 10, int critical = 0, string backup = "Success", int? tickets = 0) => new()
    {
        SiteName = name,
        DevicesOnline = online,
        DevicesTotal = total,
        WifiClients = 40,
        WeakSignalClients = 0,
        ActiveAlerts = critical,
        CriticalAlerts = critical,
        WarningAlerts = 0,
        OpenTickets = tickets,
        BackupStatus = backup,
        ConfigDrift = "false",
        UniFiSiteId = "u-" + name.GetHashCode().ToString("x"),
        UniFiStatus = "Present",
        NinjaOneStatus = "Present",
    };

    private async Task<IReadOnlyList<SyncResult>> SyncSites(IEnumerable<CustomerStatusInput> inputs, TimeProvider? time = null)
    {
        var driver = await _ws.OpenAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites);
        var records = new CustomerStatusRecords(time: time);
        var (results, _) = await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList());
        return results;
    }

    private Task<SiteRelationIndex> Sites() => SiteRelationIndex.OpenAsync(_ws.Connection, CancellationToken.None);

    private static string Id(string id) => NotionId.Normalize(id);

    // ------------------------------------------------------------------ Customer Sites

    [Fact]
    public async Task Customer_sites_are_created_then_unchanged_then_updated_and_a_bad_name_fails_alone()
    {
        var inputs = Enumerable.Range(1, 12).Select(i => Site($"Site {i:D2}")).ToList();
        inputs.Add(Site("Bad\tName"));

        var first = await SyncSites(inputs);
        Assert.Equal(12, first.Count(r => r.StatusValue == SyncStatus.Created));
        var bad = Assert.Single(first, r => r.StatusValue == SyncStatus.Failed);
        Assert.Equal("InvalidSiteName", bad.ErrorId);
        Assert.Equal(12, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.CustomerSites)));
        var acme = _ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Site 01");
        Assert.Equal("100", _ws.Fake.State.GetPropertyText(acme, "Health Score"));
        Assert.Equal("Low", _ws.Fake.State.GetPropertyText(acme, "Risk Level"));
        Assert.Equal("UniFi,NinjaOne", _ws.Fake.State.GetPropertyText(acme, "Data Sources"));
        Assert.NotNull(_ws.Fake.State.GetPropertyText(acme, "Last Sync"));
        var lastSync = _ws.Fake.State.GetPropertyText(acme, "Last Sync");
        var created = first.Single(r => r.Key == "Site 01");
        Assert.Equal(acme, NotionId.Normalize(created.PageId!));
        Assert.Equal(_ws.Fake.State.GetPage(acme)["url"]!.GetValue<string>(), created.Url);
        // What people add by hand: their own columns and the page's body.
        _ws.Fake.State.UpdatePage(acme, new Dictionary<string, object?> { ["Notes"] = "gate code 1234", ["Customer ID"] = "C-7" });
        var notion = await _ws.Connection.GetNotionAsync(CancellationToken.None);
        await notion.AppendChildrenAsync(acme, new[] { NewBlock.Paragraph("Escalation: call the site manager first.") }, cancellationToken: CancellationToken.None);

        // Same data a minute later: Last Sync alone never causes a write.
        _ws.Fake.Requests.Reset();
        var later = new ShiftedTime(TimeSpan.FromMinutes(1));
        var second = await SyncSites(inputs.Take(12), later);
        Assert.All(second, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(1, _ws.Fake.Requests.Total); // the index read only

        // Two sites change: only they are written, with Last Sync riding along; people's columns survive.
        inputs[0] = Site("Site 01", online: 7, total: 10, critical: 1);
        inputs[1] = Site("Site 02", backup: "Failed");
        _ws.Fake.Requests.Reset();
        var third = await SyncSites(inputs.Take(12), later);
        var updated = third.Where(r => r.StatusValue == SyncStatus.Updated).OrderBy(r => r.Key).ToList();
        Assert.Equal(new[] { "Site 01", "Site 02" }, updated.Select(r => r.Key));
        Assert.Contains("Health Score", updated[0].ChangedProperties);
        Assert.Contains("Devices Online", updated[0].ChangedProperties);
        Assert.Contains("Last Sync", updated[0].ChangedProperties);
        Assert.Contains("Backup Status", updated[1].ChangedProperties);
        Assert.Equal(10, third.Count(r => r.StatusValue == SyncStatus.Unchanged));
        Assert.Equal(2, _ws.Fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal("gate code 1234", _ws.Fake.State.GetPropertyText(acme, "Notes"));
        Assert.Equal("C-7", _ws.Fake.State.GetPropertyText(acme, "Customer ID"));
        Assert.Equal("3", _ws.Fake.State.GetPropertyText(acme, "Devices Offline"));
        Assert.NotEqual(lastSync, _ws.Fake.State.GetPropertyText(acme, "Last Sync"));
        Assert.Single(_ws.Fake.State.GetChildren(acme));
        Assert.Equal(0, _ws.Fake.Requests.Count("PATCH /v1/blocks/{id}/children") + _ws.Fake.Requests.Count("DELETE /v1/blocks/{id}"));
    }

    [Fact]
    public async Task A_source_that_was_unavailable_leaves_its_values_and_says_so()
    {
        await SyncSites(new[] { Site("Acme Corp", critical: 2, tickets: 5) });
        var down = Site("Acme Corp", critical: 0, tickets: null);
        down.NinjaOneStatus = "Unavailable";
        down.BackupStatus = "Unknown";

        var results = await SyncSites(new[] { down });

        var r = Assert.Single(results);
        Assert.Equal(SyncStatus.Updated, r.StatusValue);
        Assert.DoesNotContain("Critical Alerts", r.ChangedProperties);
        Assert.DoesNotContain("Open Tickets", r.ChangedProperties);
        Assert.DoesNotContain("Backup Status", r.ChangedProperties);
        var page = _ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Acme Corp");
        Assert.Equal("2", _ws.Fake.State.GetPropertyText(page, "Critical Alerts"));
        Assert.Equal("5", _ws.Fake.State.GetPropertyText(page, "Open Tickets"));
        Assert.Equal("UniFi", _ws.Fake.State.GetPropertyText(page, "Data Sources"));
        Assert.Contains("NinjaOne: unavailable", _ws.Fake.State.GetPropertyText(page, "Source Status"));
    }

    [Fact]
    public async Task The_sample_sites_sync_completely_and_a_rerun_of_the_same_day_writes_nothing()
    {
        var inputs = await SyncSources.SitesAsync(_ws.Connection, "Sample", null, CancellationToken.None);
        var first = await SyncSites(inputs);
        Assert.True(inputs.Count >= 98);
        Assert.Equal(inputs.Count, first.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(inputs.Count, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.CustomerSites)));

        _ws.Fake.Requests.Reset();
        var again = await SyncSites(await SyncSources.SitesAsync(_ws.Connection, "Sample", 0, CancellationToken.None));
        Assert.All(again, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal((inputs.Count + 99) / 100, _ws.Fake.Requests.Total);

        // Day 1: about a tenth of the sites change.
        _ws.Fake.Requests.Reset();
        var next = await SyncSites(await SyncSources.SitesAsync(_ws.Connection, "Sample", 1, CancellationToken.None));
        var changed = next.Count(r => r.StatusValue == SyncStatus.Updated);
        Assert.InRange(changed, 1, inputs.Count / 4);
        Assert.Equal(changed, _ws.Fake.Requests.Count("PATCH /v1/pages/{id}"));
    }

    // ------------------------------------------------------------------ Daily Health

    [Fact]
    public async Task Daily_snapshots_are_created_once_per_site_and_day_related_to_the_site_and_scoped_to_the_date()
    {
        await SyncSites(new[] { Site("Acme Corp"), Site("Globex") });
        var day = new DateTime(2026, 1, 5);
        var sites = await Sites();

        async Task<IReadOnlyList<SyncResult>> Snapshot(DateTime date, params CustomerStatusInput[] inputs)
        {
            var driver = await _ws.OpenAsync("Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(date));
            var records = new DailyHealthRecords(sites, date);
            return (await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList())).Results;
        }

        // An older day exists already: the date-scoped index never reads it.
        await Snapshot(day.AddDays(-1), Site("Acme Corp"), Site("Globex"));
        _ws.Fake.Requests.Reset();

        var first = await Snapshot(day, Site("Acme Corp", online: 9), Site("Globex"), Site("Initech"));
        Assert.Equal(2, first.Count(r => r.StatusValue == SyncStatus.Created));
        var missing = Assert.Single(first, r => r.StatusValue == SyncStatus.Failed);
        Assert.Equal(SiteRelationIndex.SiteNotInCustomerSites, missing.ErrorId);
        Assert.Contains("Sync-CustomerStatus", missing.Error);
        Assert.Contains("Initech", missing.Error);
        var query = _ws.Fake.Requests.Log.First(l => l.Endpoint == "POST /v1/data_sources/{id}/query");
        Assert.Contains("\"Date\"", query.Body);
        Assert.Contains("2026-01-05", query.Body);

        var snapshot = _ws.PageWhere(DatabaseKey.DailyHealth, "Snapshot Key", "Acme Corp|2026-01-05");
        Assert.Equal("Acme Corp \u2014 2026-01-05", _ws.Fake.State.GetPropertyText(snapshot, "Snapshot"));
        Assert.Equal("2026-01-05", _ws.Fake.State.GetPropertyText(snapshot, "Date"));
        Assert.Equal("9", _ws.Fake.State.GetPropertyText(snapshot, "Devices Online"));
        var acmePage = _ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Acme Corp");
        Assert.Equal(Id(acmePage), Id(_ws.Fake.State.GetPropertyText(snapshot, "Site")!));

        // Rerun the same day, with different numbers: history is never rewritten.
        _ws.Fake.Requests.Reset();
        var rerun = await Snapshot(day, Site("Acme Corp", online: 1), Site("Globex"));
        Assert.Equal(SyncStatus.Skipped, rerun.Single(r => r.Key == "Acme Corp|2026-01-05").StatusValue);
        Assert.Equal(SyncStatus.Unchanged, rerun.Single(r => r.Key == "Globex|2026-01-05").StatusValue);
        Assert.Equal(0, _ws.Fake.Requests.Count("POST /v1/pages") + _ws.Fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal(4, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.DailyHealth)));
        Assert.Equal("9", _ws.Fake.State.GetPropertyText(snapshot, "Devices Online"));
    }

    // ------------------------------------------------------------------ Config Changes

    [Fact]
    public async Task Config_changes_get_a_deterministic_id_so_a_reimported_row_is_not_duplicated_and_an_existing_id_is_never_modified()
    {
        await SyncSites(new[] { Site("Acme Corp") });
        var sites = await Sites();
        var at = new DateTimeOffset(2026, 1, 5, 14, 32, 10, TimeSpan.FromHours(-5));
        ConfigChangeInput Change(string details, string? id = null, string site = "Acme Corp", string? tool = "sonicwall") => new()
        {
            Site = site, Tool = tool, Action = "Update", Engineer = "jdoe", Timestamp = at, Details = details, ChangeId = id,
            TargetDevice = "fw01", Ticket = "T-100", Result = "success",
        };

        async Task<IReadOnlyList<SyncResult>> Write(params ConfigChangeInput[] inputs)
        {
            var driver = await _ws.OpenAsync("Write-ConfigChange", DatabaseKey.ConfigChanges);
            var records = new ConfigChangeRecords(sites);
            return (await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList())).Results;
        }

        var first = await Write(Change("add address object LAN-printers"), Change("allow 443 from WAN", id: "SW-991"),
            Change("x", site: "Initech"), Change("no tool", tool: " "));
        Assert.Equal(2, first.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(SiteRelationIndex.SiteNotInCustomerSites, first.Single(r => r.StatusValue == SyncStatus.Failed && r.ErrorId != "MissingConfigChangeField").ErrorId);
        Assert.Single(first, r => r.ErrorId == "MissingConfigChangeField");
        var generated = first.Single(r => r.StatusValue == SyncStatus.Created && r.Key.StartsWith(ConfigChangeRecords.GeneratedPrefix, StringComparison.Ordinal)).Key;
        var page = _ws.PageWhere(DatabaseKey.ConfigChanges, "Change ID", generated);
        Assert.Equal("Acme Corp - sonicwall: Update fw01", _ws.Fake.State.GetPropertyText(page, "Change"));
        Assert.Equal("Success", _ws.Fake.State.GetPropertyText(page, "Result"));
        Assert.StartsWith("2026-01-05T19:32:10", _ws.Fake.State.GetPropertyText(page, "Timestamp"));

        // The same CSV again (a rerun): nothing new. A changed row is a new change; a reused id is never edited.
        _ws.Fake.Requests.Reset();
        var again = await Write(Change("add address object LAN-printers"), Change("allow 443 from WAN", id: "SW-991"),
            Change("add address object LAN-printers2"));
        Assert.Equal(SyncStatus.Unchanged, again.Single(r => r.Key == generated).StatusValue);
        Assert.Equal(SyncStatus.Unchanged, again.Single(r => r.Key == "SW-991").StatusValue);
        Assert.Single(again, r => r.StatusValue == SyncStatus.Created);
        var reused = await Write(Change("something else entirely", id: "SW-991"));
        var immutable = Assert.Single(reused);
        Assert.Equal(SyncStatus.Skipped, immutable.StatusValue);
        Assert.Contains("immutable", immutable.Reason);
        Assert.Contains("Details", immutable.ChangedProperties);
        Assert.Equal(0, _ws.Fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal(3, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.ConfigChanges)));
        Assert.Equal("allow 443 from WAN", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.ConfigChanges, "Change ID", "SW-991"), "Details"));
    }

    [Fact]
    public async Task A_single_change_reads_only_its_own_id()
    {
        await SyncSites(new[] { Site("Acme Corp") });
        var sites = await Sites();
        var input = new ConfigChangeInput { Site = "Acme Corp", Tool = "unifi", Action = "Reboot", Engineer = "jdoe", Timestamp = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero) };
        var records = new ConfigChangeRecords(sites);
        var key = records.KeyOf(input)!;
        Assert.Equal(key, new ConfigChangeRecords(null).KeyOf(input)); // known before Customer Sites is read

        for (var run = 0; run < 2; run++)
        {
            _ws.Fake.Requests.Reset();
            var driver = await _ws.OpenAsync("Write-ConfigChange", DatabaseKey.ConfigChanges, ConfigChangeRecords.ScopeFor(key));
            var (results, _) = await SiteWorkspace.RunAsync(driver, new[] { records.Build(input) });
            Assert.Equal(run == 0 ? SyncStatus.Created : SyncStatus.Unchanged, Assert.Single(results).StatusValue);
            Assert.Contains(_ws.Fake.Requests.Log, l => l.Endpoint == "POST /v1/data_sources/{id}/query" && l.Body!.Contains(key));
            // The first run: its index read, the create and the query confirming no other writer created the same id.
            Assert.Equal(run == 0 ? 3 : 1, _ws.Fake.Requests.Total);
        }
    }

    // ------------------------------------------------------------------ Network Devices

    internal static NetworkDeviceInput Device(string site, string mac, string status = "online", string name = "USW-24", DateTimeOffset? seen = null) => new()
    {
        SiteName = site, Mac = mac, Name = name, Model = "USW-24-POE", ProductLine = "network", IpAddress = "10.0.0.2",
        Status = status, FirmwareVersion = "7.1.66", UpdateAvailable = "false", DeviceId = "dev-" + mac, Source = "UniFi",
        LastSeen = seen ?? new DateTimeOffset(2026, 1, 5, 6, 0, 0, TimeSpan.Zero),
    };

    private async Task<IReadOnlyList<SyncResult>> SyncDevices(SiteRelationIndex sites, IEnumerable<NetworkDeviceInput> inputs, bool mark = true)
    {
        var driver = await _ws.OpenAsync("Sync-NetworkDevice", DatabaseKey.NetworkDevices);
        var records = new NetworkDeviceRecords(sites);
        var built = inputs.Select(records.Build).ToList();
        return (await SiteWorkspace.RunAsync(driver, built, mark ? () => records.PlanGone(driver.Session) : null)).Results;
    }

    [Fact]
    public async Task Devices_upsert_by_mac_and_those_gone_from_a_covered_site_are_marked_not_deleted()
    {
        await SyncSites(new[] { Site("Acme Corp"), Site("Globex") });
        var sites = await Sites();
        var acme = new[] { Device("Acme Corp", "AA-BB-CC-00-00-01"), Device("Acme Corp", "aabb.cc00.0002", name: "U6-Pro"), Device("Acme Corp", "aa:bb:cc:00:00:03") };
        var globex = new[] { Device("Globex", "aa:bb:cc:00:01:01") };

        var first = await SyncDevices(sites, acme.Concat(globex).Append(Device("Acme Corp", "not-a-mac")).Append(Device("Nowhere Inc", "aa:bb:cc:00:09:09")));
        Assert.Equal(4, first.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal("InvalidMacAddress", first.Single(r => r.Key == "not-a-mac").ErrorId);
        Assert.Equal(SiteRelationIndex.SiteNotInCustomerSites, first.Single(r => r.Key == "aa:bb:cc:00:09:09").ErrorId);
        var u6 = _ws.PageWhere(DatabaseKey.NetworkDevices, "MAC", "aa:bb:cc:00:00:02");
        Assert.Equal("U6-Pro", _ws.Fake.State.GetPropertyText(u6, "Device Name"));
        Assert.Equal("Ubiquiti", _ws.Fake.State.GetPropertyText(u6, "Vendor"));
        Assert.Equal("Network", _ws.Fake.State.GetPropertyText(u6, "Product Line"));
        Assert.Equal("Online", _ws.Fake.State.GetPropertyText(u6, "Status"));
        Assert.Equal(Id(_ws.PageWhere(DatabaseKey.CustomerSites, "Site Name", "Acme Corp")), Id(_ws.Fake.State.GetPropertyText(u6, "Site")!));

        // Later the same day: only Last Seen moved, which alone is no reason to write.
        _ws.Fake.Requests.Reset();
        var later = acme.Concat(globex).Select(d => { d.LastSeen = d.LastSeen!.Value.AddHours(1); return d; }).ToList();
        var steady = await SyncDevices(sites, later);
        Assert.All(steady, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(1, _ws.Fake.Requests.Total);

        // Acme's third device is gone and the second went offline; Globex is not in this run, so its devices are left alone.
        later[1].Status = "offline";
        var run = await SyncDevices(sites, later.Take(2));
        var offline = run.Single(r => r.Key == "aa:bb:cc:00:00:02");
        Assert.Equal(SyncStatus.Updated, offline.StatusValue);
        Assert.Equal(new[] { "Status", "Last Seen" }, offline.ChangedProperties.OrderByDescending(p => p));
        var gone = run.Single(r => r.Key == "aa:bb:cc:00:00:03");
        Assert.Equal(SyncStatus.Updated, gone.StatusValue);
        Assert.Equal(NetworkDeviceRecords.GoneStatus, _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.NetworkDevices, "MAC", "aa:bb:cc:00:00:03"), "Status"));
        Assert.Equal("Online", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.NetworkDevices, "MAC", "aa:bb:cc:00:01:01"), "Status"));
        Assert.Equal(4, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.NetworkDevices)));

        // Marked once: the next run has nothing to write for it; when it comes back it is Online again.
        _ws.Fake.Requests.Reset();
        var again = await SyncDevices(sites, later.Take(2));
        Assert.DoesNotContain(again, r => r.Key == "aa:bb:cc:00:00:03");
        Assert.Equal(1, _ws.Fake.Requests.Total);
        var back = await SyncDevices(sites, later.Take(3));
        Assert.Equal(SyncStatus.Updated, back.Single(r => r.Key == "aa:bb:cc:00:00:03").StatusValue);
        Assert.Equal("Online", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.NetworkDevices, "MAC", "aa:bb:cc:00:00:03"), "Status"));
    }

    [Fact]
    public async Task Sample_devices_sync_and_ninjaone_computers_are_not_network_devices()
    {
        var siteInputs = await SyncSources.SitesAsync(_ws.Connection, "Sample", null, CancellationToken.None);
        await SyncSites(siteInputs);
        var sites = await Sites();
        var batch = await SyncSources.DevicesAsync(_ws.Connection, "Sample", null, CancellationToken.None);
        Assert.NotEmpty(batch.Items);
        Assert.All(batch.Items, d => Assert.Equal("UniFi", d.Source));
        Assert.False(NetworkDeviceRecords.IsNetworkDevice(new NetworkDeviceInput { Source = "NinjaOne" }));

        var results = await SyncDevices(sites, batch.Items);
        var created = results.Count(r => r.StatusValue == SyncStatus.Created);
        Assert.Equal(created, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.NetworkDevices)));
        Assert.True(created >= batch.Items.Count * 9 / 10, $"{created} of {batch.Items.Count} devices created; failures: " +
            string.Join("; ", results.Where(r => r.StatusValue == SyncStatus.Failed).Take(3).Select(r => r.Error)));
    }

    // ------------------------------------------------------------------ Alerts

    internal static AlertInput Alert(string site, string uid, string severity = "CRITICAL") => new()
    {
        AlertId = uid, SiteName = site, DeviceName = "SRV01", Severity = severity, Subject = "Disk C: below 5%",
        Message = "Disk C: has 3% free space", SourceType = "CONDITION", CreatedAt = new DateTimeOffset(2026, 1, 5, 3, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Alerts_open_then_cleared_ones_resolve_at_covered_sites_and_a_returning_alert_reopens()
    {
        await SyncSites(new[] { Site("Acme Corp"), Site("Globex") });
        var sites = await Sites();
        var clock = new ShiftedTime(TimeSpan.Zero);

        async Task<IReadOnlyList<SyncResult>> Sync(IEnumerable<AlertInput> inputs, params string[] alsoCovered)
        {
            var driver = await _ws.OpenAsync("Sync-Alert", DatabaseKey.Alerts, AlertRecords.ScopeFor(clock.GetUtcNow()));
            var records = new AlertRecords(sites, clock);
            foreach (var s in alsoCovered) Assert.True(records.Cover(s));
            var built = inputs.Select(records.Build).ToList();
            return (await SiteWorkspace.RunAsync(driver, built, () => records.PlanResolved(driver.Session))).Results;
        }

        var first = await Sync(new[] { Alert("Acme Corp", "a-1"), Alert("Acme Corp", "a-2", "MINOR"), Alert("Globex", "g-1"), Alert("Acme Corp", " ") });
        Assert.Equal(3, first.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal("MissingAlertId", Assert.Single(first, r => r.StatusValue == SyncStatus.Failed).ErrorId);
        var a1 = _ws.PageWhere(DatabaseKey.Alerts, "Alert UID", "a-1");
        Assert.Equal("Open", _ws.Fake.State.GetPropertyText(a1, "Status"));
        Assert.Equal("CRITICAL", _ws.Fake.State.GetPropertyText(a1, "Severity"));
        Assert.Equal("Disk C: below 5%", _ws.Fake.State.GetPropertyText(a1, "Alert"));

        _ws.Fake.Requests.Reset();
        var steady = await Sync(new[] { Alert("Acme Corp", "a-1"), Alert("Acme Corp", "a-2", "MINOR"), Alert("Globex", "g-1") });
        Assert.All(steady, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(1, _ws.Fake.Requests.Total);

        // a-1 cleared at Acme; Globex's g-1 is not in this run's input and Globex is not covered: it stays open.
        clock.Offset = TimeSpan.FromHours(2);
        var cleared = await Sync(new[] { Alert("Acme Corp", "a-2", "MINOR") });
        Assert.Equal(SyncStatus.Updated, cleared.Single(r => r.Key == "a-1").StatusValue);
        Assert.Equal("Resolved", _ws.Fake.State.GetPropertyText(a1, "Status"));
        Assert.NotNull(_ws.Fake.State.GetPropertyText(a1, "Resolved At"));
        Assert.Equal("Open", _ws.Fake.State.GetPropertyText(_ws.PageWhere(DatabaseKey.Alerts, "Alert UID", "g-1"), "Status"));

        // Globex covered with no alerts at all (its last alert cleared): g-1 resolves too. Resolved ones are not written again.
        var lastCleared = await Sync(new[] { Alert("Acme Corp", "a-2", "MINOR") }, "Globex");
        Assert.Equal(SyncStatus.Updated, lastCleared.Single(r => r.Key == "g-1").StatusValue);
        Assert.DoesNotContain(lastCleared, r => r.Key == "a-1");

        // a-1 comes back within the reopen window: same page, Open again, Resolved At cleared.
        var back = await Sync(new[] { Alert("Acme Corp", "a-1"), Alert("Acme Corp", "a-2", "MINOR") });
        Assert.Equal(SyncStatus.Updated, back.Single(r => r.Key == "a-1").StatusValue);
        Assert.Equal("Open", _ws.Fake.State.GetPropertyText(a1, "Status"));
        Assert.Null(_ws.Fake.State.GetPropertyText(a1, "Resolved At"));
        Assert.Equal(3, _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.Alerts)));
    }

    [Fact]
    public async Task Sample_alerts_cover_every_site_ninjaone_answered_for()
    {
        var siteInputs = await SyncSources.SitesAsync(_ws.Connection, "Sample", null, CancellationToken.None);
        await SyncSites(siteInputs);
        var batch = await SyncSources.AlertsAsync(_ws.Connection, "Sample", null, CancellationToken.None);
        Assert.NotEmpty(batch.Items);
        Assert.Equal(siteInputs.Count(s => s.NinjaOneStatus == "Present"), batch.CoveredSites.Count);
        var sites = await Sites();
        var driver = await _ws.OpenAsync("Sync-Alert", DatabaseKey.Alerts, AlertRecords.ScopeFor(DateTimeOffset.UtcNow));
        var records = new AlertRecords(sites);
        foreach (var s in batch.CoveredSites) records.Cover(s);
        var (results, _) = await SiteWorkspace.RunAsync(driver, batch.Items.Select(records.Build).ToList(), () => records.PlanResolved(driver.Session));
        Assert.Equal(batch.Items.Select(a => a.AlertId).Distinct().Count(), results.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(results.Count(r => r.StatusValue == SyncStatus.Created), _ws.Fake.State.CountPages(_ws.DataSource(DatabaseKey.Alerts)));
    }

    [Fact]
    public async Task Sync_CustomerStatus_refreshes_the_site_names_that_tab_completion_reads()
    {
        var cache = OberaConnect.Engine.State.WorkspaceNameCache.SiteNames(_ws.Connection.Configuration);
        Assert.Empty(cache.Load());
        await SyncSites(new[] { Site("Globex"), Site("Acme Corp") });
        Assert.Equal(new[] { "Acme Corp", "Globex" }, cache.Load());

        // A later run holds every page of Customer Sites: the ones it read and the one it created.
        await SyncSites(new[] { Site("Initech") });
        Assert.Equal(new[] { "Acme Corp", "Globex", "Initech" }, cache.Load());
    }

    [Fact]
    public async Task A_new_connection_knows_the_configured_data_sources_so_reading_one_costs_only_its_query()
    {
        await SyncSites(new[] { Site("Acme Corp"), Site("Globex") });
        var notion = await _ws.Connect().GetNotionAsync(CancellationToken.None);
        _ws.Fake.Requests.Reset();
        var databaseId = _ws.Databases[DatabaseKey.CustomerSites].DatabaseId;
        Assert.Equal(_ws.DataSource(DatabaseKey.CustomerSites), await notion.ResolveDataSourceIdAsync(databaseId));
        var pages = new List<NotionPage>();
        await foreach (var page in notion.QueryAsync(databaseId)) pages.Add(page);
        Assert.Equal(2, pages.Count);
        Assert.Equal(1, _ws.Fake.Requests.Total); // the query; no GET of the database to find its data source
    }

    // ------------------------------------------------------------------ dependency order and -RetryFailed

    /// <summary>One dependent sync: its operation (journal name), database, index scope and record builder over a Customer Sites index.</summary>
    private sealed record DependentSync(string Operation, DatabaseKey Database, Func<IReadOnlyList<JournalEntry>?, NotionFilter?> Scope,
        Func<SiteRelationIndex, IReadOnlyList<DesiredRecord>> Build, Func<SiteRelationIndex, JournalEntry, DesiredRecord> Rebuild);

    [Fact]
    public async Task A_record_of_a_site_not_in_Customer_Sites_fails_naming_the_fix_and_RetryFailed_writes_exactly_it_once_the_site_exists()
    {
        await SyncSites(new[] { Site("Acme Corp") });
        var clock = new ShiftedTime(TimeSpan.Zero);
        var at = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var syncs = new[]
        {
            // Initech's change has neither id nor timestamp: its generated id depends on the run's time, which moves below.
            new DependentSync("Write-ConfigChange", DatabaseKey.ConfigChanges, e => e is null ? null : ConfigChangeRecords.RetryScope(e),
                sites => new[]
                {
                    new ConfigChangeInput { Site = "Acme Corp", Tool = "unifi", Action = "Reboot", Engineer = "jdoe", Timestamp = at },
                    new ConfigChangeInput { Site = "Initech", Tool = "sonicwall", Action = "Update", Engineer = "jdoe", Details = "allow 443" },
                }.Select(new ConfigChangeRecords(sites, clock).Build).ToList(),
                (sites, e) => new ConfigChangeRecords(sites, clock).Build(ConfigChangeInput.FromJournal(e)!)),
            new DependentSync("Sync-NetworkDevice", DatabaseKey.NetworkDevices, _ => null,
                sites => new[] { Device("Acme Corp", "aa:bb:cc:00:00:01"), Device("Initech", "aa:bb:cc:00:00:02") }.Select(new NetworkDeviceRecords(sites).Build).ToList(),
                (sites, e) => new NetworkDeviceRecords(sites).Build(NetworkDeviceInput.FromJournal(e)!)),
            new DependentSync("Sync-Alert", DatabaseKey.Alerts, _ => AlertRecords.ScopeFor(clock.GetUtcNow()),
                sites => new[] { Alert("Acme Corp", "a-1"), Alert("Initech", "i-1") }.Select(new AlertRecords(sites, clock).Build).ToList(),
                (sites, e) => new AlertRecords(sites, clock).Build(AlertInput.FromJournal(e)!)),
        };

        var before = await Sites();
        var failedKeys = new Dictionary<string, string>();
        foreach (var sync in syncs)
        {
            var driver = await _ws.OpenAsync(sync.Operation, sync.Database, sync.Scope(null));
            var (results, _) = await SiteWorkspace.RunAsync(driver, sync.Build(before));
            Assert.Equal(2, results.Count);
            Assert.Equal(SyncStatus.Created, Assert.Single(results, r => r.StatusValue != SyncStatus.Failed).StatusValue);
            var failed = Assert.Single(results, r => r.StatusValue == SyncStatus.Failed);
            Assert.Equal(SiteRelationIndex.SiteNotInCustomerSites, failed.ErrorId);
            Assert.Contains("Initech", failed.Error);
            Assert.Contains("Run Sync-CustomerStatus first", failed.Error);
            failedKeys[sync.Operation] = failed.Key;
            Assert.Equal(1, _ws.Fake.State.CountPages(_ws.DataSource(sync.Database)));
        }

        // Later (another process, an hour on), the site exists: -RetryFailed rebuilds exactly the journaled record.
        clock.Offset = TimeSpan.FromHours(1);
        await SyncSites(new[] { Site("Initech") });
        var after = await Sites();
        foreach (var sync in syncs)
        {
            var journal = FailureJournal.For(_ws.Connection.Configuration, sync.Operation);
            var entry = Assert.Single(journal.Read());
            Assert.Equal(failedKeys[sync.Operation], entry.Key);
            var retry = await _ws.OpenAsync(sync.Operation, sync.Database, sync.Scope(journal.Read()), _ws.Connect());
            var (retried, _) = await SiteWorkspace.RunAsync(retry, new[] { sync.Rebuild(after, entry) });
            var result = Assert.Single(retried);
            Assert.Equal(SyncStatus.Created, result.StatusValue);
            Assert.Equal(entry.Key, result.Key);
            Assert.Empty(journal.Read());
            Assert.Equal(2, _ws.Fake.State.CountPages(_ws.DataSource(sync.Database)));
        }
    }

    /// <summary>A clock running with the system's but shifted by <see cref="Offset"/>.</summary>
    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public TimeSpan Offset { get; set; } = offset;
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}

/// <summary>
/// Crashes and faults during Customer Sites syncs: whatever happens, every record ends written exactly once
/// or reported Failed and journaled, and -RetryFailed re-runs exactly the journaled ones.
/// </summary>
public sealed class SiteSyncFaultTests
{
    private const string Operation = "Sync-CustomerStatus";

    private static List<CustomerStatusInput> Inputs(int n) => Enumerable.Range(1, n).Select(i => SiteSyncTests.Site($"Site {i:D3}")).ToList();

    private static Dictionary<string, int> PagesPerSite(SiteWorkspace ws)
        => ws.Values(DatabaseKey.CustomerSites, "Site Name").GroupBy(n => n!).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task A_run_that_stops_halfway_then_a_full_rerun_make_no_duplicates()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        var inputs = Inputs(100);
        var records = new CustomerStatusRecords();

        // The source dies after 50 records; what was in flight finishes, as it would before a new process starts.
        IEnumerable<DesiredRecord> Crashing()
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (i == 50) throw new IOException("The source connection was reset.");
                yield return records.Build(inputs[i]);
            }
        }
        var crashed = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        await Assert.ThrowsAsync<IOException>(() => SiteWorkspace.RunAsync(crashed, Crashing()));
        await crashed.DrainAsync(_ => { }, CancellationToken.None);
        Assert.Equal(50, ws.Fake.State.CountPages(ws.DataSource(DatabaseKey.CustomerSites)));

        // A second attempt is stopped (Ctrl+C) after 75 records: queued writes are skipped, never half-done.
        using var stop = new CancellationTokenSource();
        var stopped = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: ws.Connect());
        var planned = 0;
        foreach (var input in inputs)
        {
            if (planned++ == 75) { stop.Cancel(); break; }
            SiteWorkspace.Process(stopped, stopped.Session.Plan(records.Build(input)), stop.Token);
        }
        await stopped.DrainAsync(_ => { }, CancellationToken.None);
        var partial = stopped.Results;
        Assert.Equal(75, partial.Count);
        Assert.Equal(50, partial.Count(r => r.StatusValue == SyncStatus.Unchanged));
        Assert.All(partial.Where(r => r.StatusValue == SyncStatus.Skipped), r => Assert.Contains("Stopped before", r.Reason));
        var afterStop = ws.Fake.State.CountPages(ws.DataSource(DatabaseKey.CustomerSites));
        Assert.Equal(50 + partial.Count(r => r.StatusValue == SyncStatus.Created), afterStop);

        // The full rerun: each site exactly once.
        var rerun = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: ws.Connect());
        var (results, summary) = await SiteWorkspace.RunAsync(rerun, inputs.Select(records.Build).ToList());
        Assert.Equal(100, results.Count);
        Assert.Equal(afterStop, summary.Unchanged);
        Assert.Equal(100 - afterStop, summary.Created);
        var pages = PagesPerSite(ws);
        Assert.Equal(100, pages.Count);
        Assert.All(pages, kv => Assert.Equal(1, kv.Value));
    }

    [Fact]
    public async Task A_run_stopped_between_records_still_journals_its_failures_and_audits_every_record_it_reached()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        var inputs = Inputs(30);
        inputs[3] = SiteSyncTests.Site("Bad\tName");
        inputs[12] = SiteSyncTests.Site("Also\nBad");
        var records = new CustomerStatusRecords();
        // One create Notion refuses: a retry may succeed (the workspace can be repaired), so it is journaled.
        ws.Fake.Faults.Add("POST /v1/pages", NotionFault.Status(400), 1);

        // Ctrl+C after 20 records: the cmdlet never reaches EndProcessing; its Dispose finishes the run instead.
        using var stop = new CancellationTokenSource();
        var driver = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
        foreach (var input in inputs.Take(20)) SiteWorkspace.Process(driver, driver.Session.Plan(records.Build(input)), stop.Token);
        // Stop once the refused create was sent: the stop comes while writes are in flight.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ws.Fake.Faults.Fired == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
        stop.Cancel();
        Assert.False(driver.Finished);
        var summary = await driver.FinishStoppedAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(summary);
        Assert.True(driver.Finished);
        Assert.True(summary!.Stopped);
        Assert.Equal(20, summary.Total);
        Assert.Equal(3, summary.Failed);
        Assert.Equal(summary.Created, ws.Fake.State.CountPages(ws.DataSource(DatabaseKey.CustomerSites)));
        var refused = Assert.Single(driver.Results, r => r.StatusValue == SyncStatus.Failed && r.Exception is NotionApiException);
        // The two invalid names fail the same way on every retry: reported, never journaled.
        var journal = FailureJournal.For(ws.Connection.Configuration, Operation).Read();
        Assert.Equal(new[] { refused.Key }, journal.Select(e => e.Key));

        var audit = AuditLines(ws);
        var sent = driver.Results.Count(r => r.StatusValue == SyncStatus.Created) + 1;
        Assert.Equal(sent, audit.Count(l => l.Outcome == "Intended")); // write-ahead: one intent per request sent
        var outcomes = audit.Where(l => l.Key != null && l.Outcome != "Intended").ToList();
        Assert.Equal(driver.Results.Select(r => r.Key).OrderBy(k => k, StringComparer.Ordinal), outcomes.Select(l => l.Key!).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("Stopped", Assert.Single(audit, l => l.Key == null).Outcome); // the run's own line
        Assert.Null(await driver.FinishStoppedAsync(TimeSpan.FromSeconds(1))); // recorded once only
    }

    /// <summary>The audit lines of a workspace's audit folder, parsed.</summary>
    internal static List<(string? Key, string Outcome, string? CorrelationId, string? Message)> AuditLines(SiteWorkspace ws)
        => !Directory.Exists(ws.Connection.Configuration.Paths.AuditDirectory!)
            ? new()
            : Directory.GetFiles(ws.Connection.Configuration.Paths.AuditDirectory!, "audit-*.jsonl")
                .SelectMany(File.ReadAllLines).Where(l => l.Length > 0)
                .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
                .Select(e => (e.GetProperty("key").GetString(), e.GetProperty("outcome").GetString()!, e.GetProperty("correlationId").GetString(), e.GetProperty("message").GetString()))
                .ToList();

    [Fact]
    public async Task Faults_during_a_500_site_sync_end_with_each_site_written_once_or_failed_and_journaled_and_retry_failed_reruns_exactly_those()
    {
        var clock = new ManualTimeProvider();
        await using var ws = await SiteWorkspace.StartAsync(clock);
        var inputs = Inputs(500);
        var records = new CustomerStatusRecords(time: clock);
        var fake = ws.Fake;

        // Faults arrive as the run goes (by request count), the way trouble does: 429 bursts, 5xx, a response
        // that never comes back within the timeout, dropped connections and answers lost after the write.
        var schedule = new (int At, string Endpoint, NotionFault Fault, int Times)[]
        {
            (0, "POST /v1/data_sources/{id}/query", NotionFault.ServiceUnavailable(), 1),
            (20, "*", NotionFault.RateLimited(1), 4),
            (60, "POST /v1/pages", NotionFault.InternalServerError(), 1),
            (100, "POST /v1/pages", NotionFault.LoseResponse(), 2),
            (150, "POST /v1/pages", NotionFault.Delay(TimeSpan.FromMinutes(11)), 1),
            (200, "POST /v1/pages", NotionFault.BadGateway(), 2),
            (250, "*", NotionFault.RateLimited(2), 6),
            (300, "POST /v1/pages", NotionFault.DropConnection(), 1),
            (350, "POST /v1/pages", NotionFault.LoseResponse(), 1),
            (380, "POST /v1/data_sources/{id}/query", NotionFault.GatewayTimeout(), 1),
            (420, "POST /v1/pages", NotionFault.InternalServerError(), 12),
            (470, "POST /v1/pages", NotionFault.LoseResponse(), 1),
        };
        using var done = new CancellationTokenSource();
        var injector = Task.Run(async () =>
        {
            foreach (var step in schedule)
            {
                while (fake.Requests.Total < step.At && !done.IsCancellationRequested) await Task.Delay(1);
                if (done.IsCancellationRequested) return;
                fake.Faults.Add(step.Endpoint, step.Fault, step.Times);
            }
        });

        async Task<(IReadOnlyList<SyncResult>, SyncSummary)> FirstRun()
        {
            var driver = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites);
            return await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList());
        }
        var (results, summary) = await clock.RunAsync(FirstRun(), TimeSpan.FromSeconds(1));
        done.Cancel();
        await injector;
        Assert.Equal(schedule.Sum(s => s.Times), fake.Faults.Fired); // every fault was added and hit a request
        fake.Faults.Clear();

        Assert.Equal(500, results.Count);
        Assert.Equal(500, results.Select(r => r.Key).Distinct().Count());
        Assert.All(results, r => Assert.True(r.StatusValue is SyncStatus.Created or SyncStatus.Failed, r.ToString()));
        var pages = PagesPerSite(ws);
        Assert.All(pages, kv => Assert.True(kv.Value == 1, $"{kv.Key} has {kv.Value} pages"));
        var created = results.Where(r => r.StatusValue == SyncStatus.Created).Select(r => r.Key).ToHashSet();
        Assert.All(created, key => Assert.True(pages.ContainsKey(key), $"{key} was reported created but has no page"));
        var failed = results.Where(r => r.StatusValue == SyncStatus.Failed).Select(r => r.Key).ToHashSet();
        Assert.NotEmpty(failed);
        Assert.Equal(summary.Failed, failed.Count);
        Assert.Equal(500, summary.Total);
        // The summary counts what really went over the wire: every request the fake saw, and the 4 + 6 injected 429s.
        Assert.Equal(fake.Requests.Total, summary.Requests);
        Assert.Equal(10, summary.RateLimited);
        Assert.True(summary.Duration > TimeSpan.Zero);
        Assert.True(results.Count(r => r.Reason?.Contains("lost") == true) >= 1, "no lost answer was recovered");

        // The journal holds exactly the failed ones, with their inputs.
        var retry = await ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: ws.Connect());
        var journal = retry.FailedEntries();
        Assert.Equal(failed.OrderBy(k => k), journal.Select(e => e.Key).OrderBy(k => k));
        Assert.All(journal, e => Assert.False(string.IsNullOrEmpty(e.ErrorId)));

        // -RetryFailed: exactly those, nothing else is even planned.
        fake.Requests.Reset();
        var rebuilt = journal.Select(e => records.Build(CustomerStatusInput.FromJournal(e)!)).ToList();
        var (retried, _) = await clock.RunAsync(SiteWorkspace.RunAsync(retry, rebuilt), TimeSpan.FromSeconds(1));
        Assert.Equal(failed.OrderBy(k => k), retried.Select(r => r.Key).OrderBy(k => k));
        Assert.All(retried, r => Assert.True(r.StatusValue is SyncStatus.Created or SyncStatus.Unchanged, r.ToString()));
        Assert.Equal(retried.Count(r => r.StatusValue == SyncStatus.Created), fake.Requests.Count("POST /v1/pages"));
        Assert.Empty(retry.FailedEntries());

        pages = PagesPerSite(ws);
        Assert.Equal(500, pages.Count);
        Assert.All(pages, kv => Assert.Equal(1, kv.Value));
    }
}
