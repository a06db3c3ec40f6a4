using System.Collections;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.ReadBack;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Reading the workspace back through the real client and the Notion fake: typed records carry every property of the
/// definition, and filters are sent to Notion (checked in the fake's request log and by how few rows come back per
/// request), so a site's last week costs one small query, not a read of the whole database.
/// </summary>
public sealed class ReadBackTests : IAsyncLifetime
{
    private static readonly DateTime Today = new(2026, 11, 22);
    private static readonly string[] SiteNames = { "Acme Corp", "Globex", "Initech", "Umbrella", "Hooli" };

    private StandardWorkspaceOnFake _ws = null!;
    private Dictionary<string, string> _sites = null!;

    public async Task InitializeAsync()
    {
        _ws = await StandardWorkspaceOnFake.StartAsync();
        _sites = new Dictionary<string, string>(StringComparer.Ordinal);
        var customerSites = _ws.Source(DatabaseKey.CustomerSites);
        for (var i = 0; i < SiteNames.Length; i++)
        {
            _sites[SiteNames[i]] = NotionId.Normalize(_ws.State.InsertPage(customerSites, new Dictionary<string, object?>
            {
                ["Site Name"] = SiteNames[i],
                ["Health Score"] = 95 - i * 15,
                ["Risk Level"] = i < 2 ? "Low" : i < 4 ? "High" : "Critical",
                ["Devices Online"] = 10 - i,
                ["Devices Offline"] = i,
                ["Devices Total"] = 10,
                ["WiFi Clients"] = 40 + i,
                ["Pending Updates"] = i,
                ["WAN Uptime"] = 0.999,
                ["ISP"] = "Comcast",
                ["Open Tickets"] = 2,
                ["Active Alerts"] = i,
                ["Critical Alerts"] = i / 2,
                ["Backup Status"] = "Success",
                ["Config Drift"] = i % 2 == 1,
                ["Last Sync"] = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero),
                ["Data Sources"] = new[] { "UniFi", "NinjaOne" },
                ["Source Status"] = i == 4 ? "NinjaOne: no organization mapped" : null,
                ["UniFi Site ID"] = "site-" + i,
                ["UniFi Host ID"] = "host-" + i,
                ["NinjaOne Org ID"] = (100 + i).ToString(),
                ["Customer ID"] = "C-" + i,
                ["State"] = "TX",
                ["Contract Renewal"] = new DateTime(2027, 3, 1),
                ["Primary Contact"] = "Pat",
                ["Has MikroTik"] = true,
                ["Has SonicWall"] = false,
                ["Has Azure"] = true,
                ["Notes"] = "gate code 1234",
            }));
        }
        // 50 days of history for each of the 5 sites: 250 rows, far more than one page of query results.
        var rows = SiteNames.SelectMany(site => Enumerable.Range(0, 50).Select(d => (Site: site, Day: Today.AddDays(-d), Score: 60 + d % 30))).ToList();
        _ws.State.InsertPages(_ws.Source(DatabaseKey.DailyHealth), rows.Count, i => new Dictionary<string, object?>
        {
            ["Snapshot"] = RecordKeys.DailyHealthTitle(rows[i].Site, rows[i].Day),
            ["Snapshot Key"] = RecordKeys.DailyHealthKey(rows[i].Site, rows[i].Day),
            ["Date"] = rows[i].Day,
            ["Site"] = new[] { _sites[rows[i].Site] },
            ["Health Score"] = rows[i].Score,
            ["Risk Level"] = "Medium",
            ["Devices Online"] = 9,
            ["Devices Offline"] = 1,
            ["Devices Total"] = 10,
            ["WiFi Clients"] = 33,
            ["Active Alerts"] = 2,
            ["Critical Alerts"] = 0,
            ["Backup Status"] = "Partial",
            ["Config Drift"] = true,
        });
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private WorkspaceReader Reader() => new(_ws.Workspace);

    private int Queries => _ws.Requests.Count("POST /v1/data_sources/{id}/query");

    private IReadOnlyList<string> QueryBodies() => _ws.Requests.Log.Where(r => r.Endpoint == "POST /v1/data_sources/{id}/query").Select(r => r.Body ?? "").ToList();

    [Fact]
    public async Task A_sites_last_week_is_filtered_by_Notion_and_averages_like_Measure_Object()
    {
        _ws.Requests.Reset();

        var week = await Reader().ListAsync<DailyHealthRecord>(new DailyHealthQuery { Site = "acme corp", Since = Today.AddDays(-7).AddHours(15) });

        Assert.Equal(Enumerable.Range(0, 8).Select(d => Today.AddDays(-7 + d)), week.Select(r => r.Date!.Value));
        Assert.All(week, r => Assert.Equal("Acme Corp", r.SiteName));
        Assert.All(week, r => Assert.Equal(_sites["Acme Corp"], r.SiteId));
        var expected = Enumerable.Range(0, 8).Average(d => 60 + d % 30);
        Assert.Equal(expected, week.Average(r => r.HealthScore!.Value));
        // One query resolves the site, one reads its 8 rows: the 250-row table was never read (that takes 3 pages).
        Assert.Equal(2, Queries);
        var read = JsonNode.Parse(QueryBodies()[1])!["filter"]!.ToJsonString();
        Assert.Contains("\"relation\":{\"contains\":\"" + _sites["Acme Corp"] + "\"}", read);
        Assert.Contains("\"on_or_after\":\"2026-11-15\"", read);
        var first = week[0];
        Assert.Equal(("Acme Corp \u2014 2026-11-15", "Acme Corp|2026-11-15"), (first.Snapshot, first.SnapshotKey));
        Assert.Equal((9, 1, 10, 33, 2, 0), (first.DevicesOnline, first.DevicesOffline, first.DevicesTotal, first.WifiClients, first.ActiveAlerts, first.CriticalAlerts));
        Assert.Equal(("Medium", "Partial", true), (first.RiskLevel, first.BackupStatus, first.ConfigDrift));
    }

    [Fact]
    public async Task Until_bounds_the_days_and_a_site_that_does_not_exist_is_a_not_found_error()
    {
        var span = await Reader().ListAsync<DailyHealthRecord>(new DailyHealthQuery { Site = "Globex", Since = Today.AddDays(-10), Until = Today.AddDays(-8) });
        Assert.Equal(new[] { Today.AddDays(-10), Today.AddDays(-9), Today.AddDays(-8) }, span.Select(r => r.Date!.Value));

        var missing = await Assert.ThrowsAsync<OberaConnectException>(() => Reader().ListAsync<DailyHealthRecord>(new DailyHealthQuery { Site = "Acme" }));
        Assert.Equal("SiteNotFound", missing.ErrorId);
        Assert.Equal(FailureKind.NotFound, missing.Kind);
        var noSite = await Assert.ThrowsAsync<OberaConnectException>(() => Reader().ListAsync<DailyHealthRecord>(new DailyHealthQuery()));
        Assert.Equal("SiteRequired", noSite.ErrorId);
    }

    [Fact]
    public async Task A_site_name_pasted_with_a_no_break_space_finds_the_site_as_the_syncs_would_relate_it()
    {
        // Copied from a web page or a PDF: "Acme\u00A0Corp". Sync-CustomerStatus stores and relates it as "Acme Corp".
        var days = await Reader().ListAsync<DailyHealthRecord>(new DailyHealthQuery { Site = "Acme\u00A0Corp", Since = Today.AddDays(-2) });
        Assert.Equal(3, days.Count);
        Assert.All(days, d => Assert.Equal("Acme Corp", d.SiteName));
        var status = await Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { Site = "  acme\u00A0corp " });
        Assert.Equal("Acme Corp", Assert.Single(status).SiteName);
    }

    [Fact]
    public async Task A_site_or_a_key_is_read_with_one_filtered_query_never_the_whole_database()
    {
        _ws.Requests.Reset();
        var notFound = new List<string>();
        var records = new List<object>();

        // Get-CustomerStatus -Site 'globex', 'Nope': the read finds the sites itself, no query resolves them first.
        await Reader().ReadAsync(new CustomerStatusQuery { Sites = new SiteSelection(new[] { "globex", "Nope" }) }, records.Add, (name, _) => notFound.Add(name), null, default);

        Assert.Equal(new[] { "Globex" }, records.Cast<CustomerStatus>().Select(s => s.SiteName));
        Assert.Equal(new[] { "Nope" }, notFound);
        Assert.Equal(1, Queries);
        Assert.Contains("\"title\":{\"contains\":\"globex\"}", QueryBodies()[0]);

        // Get-NotionPage DailyHealth @{ 'Snapshot Key' = ... }: one query of the 250-row table (a whole read takes 3).
        _ws.Requests.Reset();
        var key = RecordKeys.DailyHealthKey("Globex", Today.AddDays(-3));
        var pages = await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery
        {
            DatabaseName = "DailyHealth",
            Filter = new System.Collections.Hashtable { ["Snapshot Key"] = key },
        });
        Assert.Equal(key, Assert.Single(pages).Properties["Snapshot Key"]);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task Names_and_wildcard_patterns_select_sites_and_each_name_that_matches_nothing_is_reported_while_the_rest_is_read()
    {
        // What Get-DailyHealth -Site 'Nope', 'Globex', 'A*' gets from the cmdlet: two names and one pattern.
        var selection = new SiteSelection(new[] { "Nope", "globex" }, name => name.StartsWith("A", StringComparison.OrdinalIgnoreCase));
        var notFound = new List<(string Name, OberaConnectException Error)>();
        var records = new List<object>();

        await Reader().ReadAsync(new DailyHealthQuery { Sites = selection, Since = Today }, records.Add, (name, error) => notFound.Add((name, error)), null, default);

        Assert.Equal(new[] { "Acme Corp", "Globex" }, records.Cast<DailyHealthRecord>().Select(r => r.SiteName).OrderBy(n => n));
        var (missing, error) = Assert.Single(notFound);
        Assert.Equal("Nope", missing);
        Assert.Equal(("SiteNotFound", FailureKind.NotFound), (error.ErrorId, error.Kind));
        Assert.Contains("'Nope'", error.Message);

        // The same rule for Customer Sites itself: a name that matches nothing is SiteNotFound, not an empty answer.
        var status = await Assert.ThrowsAsync<OberaConnectException>(() => Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { Site = "Nope" }));
        Assert.Equal("SiteNotFound", status.ErrorId);
        var pattern = await Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { Sites = new SiteSelection(Array.Empty<string>(), n => n.EndsWith("i", StringComparison.Ordinal)) });
        Assert.Equal(new[] { "Hooli" }, pattern.Select(s => s.SiteName));
        // A pattern that matches nothing is not an error: nothing to read.
        Assert.Empty(await Reader().ListAsync<AlertRecord>(new AlertQuery { Sites = new SiteSelection(Array.Empty<string>(), _ => false) }));
    }

    [Fact]
    public async Task Customer_status_carries_every_property_and_filters_risk_level_in_Notion()
    {
        _ws.Requests.Reset();
        var high = await Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { RiskLevel = "high" });

        Assert.Equal(new[] { "Initech", "Umbrella" }, high.Select(s => s.SiteName));
        Assert.Equal(1, Queries);
        Assert.Contains("\"select\":{\"equals\":\"High\"}", QueryBodies()[0]);

        var initech = high[0];
        Assert.Equal(65, initech.HealthScore);
        Assert.Equal("High", initech.RiskLevel);
        Assert.Equal((8, 2, 10, 42, 2), (initech.DevicesOnline, initech.DevicesOffline, initech.DevicesTotal, initech.WifiClients, initech.PendingUpdates));
        Assert.Equal(0.999, initech.WanUptime);
        Assert.Equal(("Comcast", 2, 2, 1, "Success"), (initech.Isp, initech.OpenTickets, initech.ActiveAlerts, initech.CriticalAlerts, initech.BackupStatus));
        Assert.False(initech.ConfigDrift);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero), initech.LastSync);
        Assert.Equal(new[] { "UniFi", "NinjaOne" }, initech.DataSources);
        Assert.Equal(("site-2", "host-2", "102", "C-2", "TX"), (initech.UniFiSiteId, initech.UniFiHostId, initech.NinjaOneOrgId, initech.CustomerId, initech.State));
        Assert.Equal(new DateTime(2027, 3, 1), initech.ContractRenewal);
        Assert.Equal(("Pat", true, false, true, "gate code 1234"), (initech.PrimaryContact, initech.HasMikroTik, initech.HasSonicWall, initech.HasAzure, initech.Notes));
        Assert.Equal(_sites["Initech"], initech.PageId);
        Assert.False(string.IsNullOrEmpty(initech.Url));

        var one = await Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { Site = "HOOLI" });
        Assert.Equal("NinjaOne: no organization mapped", Assert.Single(one).SourceStatus);
        var bad = await Assert.ThrowsAsync<InputValidationException>(() => Reader().ListAsync<CustomerStatus>(new CustomerStatusQuery { RiskLevel = "Severe" }));
        Assert.Equal("InvalidEnumValue", bad.ErrorId);
        Assert.Contains("Low, Medium, High, Critical", bad.Message);
    }

    [Fact]
    public async Task Config_changes_filter_by_site_time_and_engineer_and_show_site_names()
    {
        var changes = _ws.Source(DatabaseKey.ConfigChanges);
        var t = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 12; i++)
        {
            _ws.State.InsertPage(changes, new Dictionary<string, object?>
            {
                ["Change"] = $"change {i}",
                ["Change ID"] = $"chg-{i}",
                ["Site"] = new[] { _sites[SiteNames[i % 2]] },
                ["Timestamp"] = t.AddHours(-12 * i),
                ["Tool"] = "sonicwall",
                ["Action"] = "Update",
                ["Target Device"] = "fw1",
                ["Engineer"] = i % 3 == 0 ? "jdoe" : "asmith",
                ["Result"] = "Success",
                ["Ticket"] = "T-" + i,
                ["Details"] = "opened 443",
            });
        }
        _ws.Requests.Reset();

        var byAcme = await Reader().ListAsync<ConfigChangeRecord>(new ConfigChangeQuery { Site = "Acme Corp", Since = t.AddDays(-2).UtcDateTime });
        var byEngineer = await Reader().ListAsync<ConfigChangeRecord>(new ConfigChangeQuery { Engineer = "jdoe" });

        Assert.Equal(new[] { "change 0", "change 2", "change 4" }, byAcme.Select(c => c.Change));
        Assert.Equal(new[] { "change 0", "change 3", "change 6", "change 9" }, byEngineer.Select(c => c.Change));
        Assert.Equal(new[] { "Acme Corp", "Globex", "Acme Corp", "Globex" }, byEngineer.Select(c => c.SiteName));
        var c0 = byAcme[0];
        Assert.Equal(("chg-0", "CHG-1", "sonicwall", "Update", "fw1", "Success", "T-0", "opened 443"),
            (c0.ChangeId, c0.Ref, c0.Tool, c0.Action, c0.TargetDevice, c0.Result, c0.Ticket, c0.Details));
        Assert.Equal(t, c0.Timestamp);
        Assert.Contains(QueryBodies(), b => b.Contains("\"rich_text\":{\"equals\":\"jdoe\"}"));
        Assert.Contains(QueryBodies(), b => b.Contains("\"Timestamp\"") && b.Contains("on_or_after"));

        // An engineer pattern ('as*') is matched as pages arrive: Notion gets no engineer condition.
        _ws.Requests.Reset();
        var byPattern = await Reader().ListAsync<ConfigChangeRecord>(new ConfigChangeQuery { Engineer = "as*", EngineerPattern = e => e.StartsWith("as", StringComparison.OrdinalIgnoreCase) });
        Assert.Equal(8, byPattern.Count);
        Assert.All(byPattern, c => Assert.Equal("asmith", c.Engineer));
        Assert.DoesNotContain(QueryBodies(), b => b.Contains("\"Engineer\""));
    }

    [Fact]
    public async Task Devices_and_alerts_filter_by_site_status_and_severity()
    {
        var devices = _ws.Source(DatabaseKey.NetworkDevices);
        var alerts = _ws.Source(DatabaseKey.Alerts);
        var seen = new DateTimeOffset(2026, 11, 22, 7, 30, 0, TimeSpan.Zero);
        for (var i = 0; i < 6; i++)
        {
            _ws.State.InsertPage(devices, new Dictionary<string, object?>
            {
                ["Device Name"] = $"ap-{i}", ["MAC"] = $"aa:bb:cc:dd:ee:0{i}", ["Site"] = new[] { _sites[SiteNames[i % 3]] },
                ["Vendor"] = "Ubiquiti", ["Model"] = "U6-Pro", ["Product Line"] = "Network", ["IP Address"] = $"10.0.0.{i}",
                ["Status"] = i % 2 == 0 ? "Online" : "Offline", ["Firmware"] = "6.6.55", ["Firmware Status"] = "Up To Date",
                ["Last Seen"] = seen, ["UniFi Device ID"] = $"dev-{i}",
            });
            _ws.State.InsertPage(alerts, new Dictionary<string, object?>
            {
                ["Alert"] = $"disk {i}", ["Alert UID"] = $"uid-{i}", ["Site"] = new[] { _sites[SiteNames[i % 3]] }, ["Device"] = $"srv-{i}",
                ["Severity"] = i < 2 ? "CRITICAL" : "MINOR", ["Status"] = i == 0 ? "Resolved" : "Open", ["Message"] = "Disk C: 95%",
                ["Source Type"] = "CONDITION", ["Created"] = seen.AddHours(-i),
            });
        }
        _ws.Requests.Reset();

        var offline = await Reader().ListAsync<NetworkDeviceRecord>(new NetworkDeviceQuery { Site = "Globex", Status = "offline" });
        var critical = await Reader().ListAsync<AlertRecord>(new AlertQuery { Severity = "critical", Status = "Open" });

        var device = Assert.Single(offline);
        Assert.Equal(("ap-1", "aa:bb:cc:dd:ee:01", "Globex", "Offline", "10.0.0.1"), (device.DeviceName, device.Mac, device.SiteName, device.Status, device.IpAddress));
        Assert.Equal(("Ubiquiti", "U6-Pro", "Network", "6.6.55", "Up To Date", "dev-1"), (device.Vendor, device.Model, device.ProductLine, device.Firmware, device.FirmwareStatus, device.UniFiDeviceId));
        Assert.Equal(seen, device.LastSeen);
        Assert.NotNull(device.FirstSeen);
        var alert = Assert.Single(critical);
        Assert.Equal(("disk 1", "uid-1", "Globex", "srv-1", "CRITICAL", "Open", "Disk C: 95%", "CONDITION"),
            (alert.Alert, alert.AlertUid, alert.SiteName, alert.Device, alert.Severity, alert.Status, alert.Message, alert.SourceType));
        Assert.Equal(seen.AddHours(-1), alert.Created);
        Assert.Contains(QueryBodies(), b => b.Contains("\"select\":{\"equals\":\"Offline\"}"));
        Assert.Contains(QueryBodies(), b => b.Contains("\"select\":{\"equals\":\"CRITICAL\"}") && b.Contains("\"select\":{\"equals\":\"Open\"}"));
    }

    [Fact]
    public async Task Get_NotionPage_takes_a_hashtable_or_JSON_filter_and_returns_the_asked_properties()
    {
        _ws.Requests.Reset();
        var conditions = new Hashtable { ["Risk Level"] = "Low", ["Health Score"] = new Hashtable { ["less_than"] = 90 } };

        var low = await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery
        {
            DatabaseName = "Customer Sites", Filter = conditions, Properties = new[] { "Health Score", "data sources" },
        });

        var globex = Assert.Single(low);
        Assert.Equal(("Globex", "CustomerSites"), (globex.Title, globex.Database));
        Assert.Equal(new[] { "Data Sources", "Health Score" }, globex.Properties.Keys.OrderBy(k => k));
        Assert.Equal(80.0, globex.Properties["health score"]);
        Assert.Equal(new[] { "UniFi", "NinjaOne" }, (IEnumerable<string>)globex.Properties["Data Sources"]!);
        Assert.Equal(1, Queries); // types come from the definition: no schema read
        Assert.Contains("\"number\":{\"less_than\":90}", QueryBodies()[0]);

        var json = await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery
        {
            DatabaseName = "DailyHealth",
            Filter = "{\"and\":[{\"property\":\"Site\",\"relation\":{\"contains\":\"" + _sites["Hooli"] + "\"}},{\"property\":\"Date\",\"date\":{\"on_or_after\":\"2026-11-20\"}}]}",
        });
        Assert.Equal(3, json.Count);
        Assert.All(json, r => Assert.Equal(_sites["Hooli"], ((IReadOnlyList<string>)r.Properties["Site"]!)[0]));
        Assert.All(json, r => Assert.IsType<DateTime>(r.Properties["Date"]));
    }

    [Fact]
    public async Task A_property_people_added_is_found_in_the_schema_and_bad_filters_say_what_is_wrong()
    {
        _ws.State.UpdateSchema(_ws.Source(DatabaseKey.CustomerSites), "{\"Region\":{\"rich_text\":{}}}");
        _ws.State.UpdatePage(_sites["Umbrella"], new Dictionary<string, object?> { ["Region"] = "North" });
        // The client learns once that the configured id is a data source (not a database); then a known property costs no schema read.
        await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery { DatabaseName = "CustomerSites", Filter = new Hashtable { ["Site Name"] = "Hooli" } });
        _ws.Requests.Reset();
        Assert.Single(await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery { DatabaseName = "CustomerSites", Filter = new Hashtable { ["Site Name"] = "Hooli" } }));
        Assert.Equal(0, _ws.Requests.Count("GET /v1/data_sources/{id}"));

        var north = await Reader().ListAsync<WorkspacePageRecord>(new NotionPageQuery { DatabaseName = "customersites", Filter = new Hashtable { ["region"] = "North" } });

        Assert.Equal("Umbrella", Assert.Single(north).Title);
        Assert.Equal(1, _ws.Requests.Count("GET /v1/data_sources/{id}"));
        var unknown = await Assert.ThrowsAsync<InputValidationException>(() => Reader().ListAsync<WorkspacePageRecord>(
            new NotionPageQuery { DatabaseName = "CustomerSites", Filter = new Hashtable { ["Colour"] = "red" } }));
        Assert.Equal("UnknownProperty", unknown.ErrorId);
        Assert.Contains("Region", unknown.Message);
        var badJson = await Assert.ThrowsAsync<OberaConnectException>(() => Reader().ListAsync<WorkspacePageRecord>(
            new NotionPageQuery { DatabaseName = "CustomerSites", Filter = "{not json" }));
        Assert.Equal("InvalidFilter", badJson.ErrorId);
    }

    [Fact]
    public async Task Records_stream_to_the_callback_as_pages_arrive()
    {
        var seen = new List<object>();
        var count = await Reader().ReadAsync(new NotionPageQuery { DatabaseName = "DailyHealth" }, seen.Add, null, default);

        Assert.Equal(250, count);
        Assert.Equal(250, seen.Count);
        Assert.Equal(3, Queries);
        Assert.All(seen, r => Assert.IsType<WorkspacePageRecord>(r));
    }
}
