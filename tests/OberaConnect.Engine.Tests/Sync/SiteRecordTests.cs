using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Sync;

/// <summary>The record builders without Notion: what they write, how they validate, how ids are derived.</summary>
public sealed class SiteRecordTests
{
    private const string AcmePage = "11111111-1111-1111-1111-111111111111";
    private static readonly SiteRelationIndex Sites = SiteRelationIndex.From(new Dictionary<string, string>
    {
        ["Acme Corp"] = AcmePage,
        ["Acme - Warehouse"] = "22222222-2222-2222-2222-222222222222",
        ["Globex"] = "33333333-3333-3333-3333-333333333333",
    });

    private static CustomerStatusInput Site(string name = "Acme Corp") => new()
    {
        SiteName = name, DevicesOnline = 9, DevicesTotal = 10, WifiClients = 30, WeakSignalClients = 3, ActiveAlerts = 2, CriticalAlerts = 1,
        WarningAlerts = 1, OpenTickets = 4, PendingUpdates = 1, BackupStatus = "partial", ConfigDrift = "no", WanUptimePercent = 99.5,
        IspName = "Comcast, Inc.", UniFiSiteId = "s1", UniFiHostId = "h1", NinjaOneOrganizationId = "42", UniFiStatus = "Present", NinjaOneStatus = "NotMatched",
    };

    private static readonly DateTimeOffset When = new(2026, 1, 5, 14, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Builders => new() { "CustomerSites", "DailyHealth", "ConfigChanges", "NetworkDevices", "Alerts" };

    private static DesiredRecord Build(string database) => database switch
    {
        "CustomerSites" => new CustomerStatusRecords().Build(Site()),
        "DailyHealth" => new DailyHealthRecords(Sites, new DateTime(2026, 1, 5)).Build(Site()),
        "ConfigChanges" => new ConfigChangeRecords(Sites).Build(new ConfigChangeInput
        {
            Site = "Acme Corp", Tool = "sonicwall", Action = "Update", Engineer = "jdoe", Timestamp = When,
            Details = "x", TargetDevice = "fw01", Ticket = "T-1", Result = "rolled back",
        }),
        "NetworkDevices" => new NetworkDeviceRecords(Sites).Build(new NetworkDeviceInput
        {
            SiteName = "Acme Corp", Mac = "AABB.CCDD.EEFF", Name = "USW", Model = "USW-24", ProductLine = "protect", IpAddress = "10.0.0.2", Status = "online",
            FirmwareVersion = "7.1", UpdateAvailable = "true", LastSeen = When, DeviceId = "d1", Source = "UniFi",
        }),
        _ => new AlertRecords(Sites).Build(new AlertInput
        {
            AlertId = "u1", SiteName = "Acme Corp", DeviceName = "SRV01", Severity = "major", Subject = "Disk", Message = "Disk low", SourceType = "CONDITION",
            CreatedAt = When,
        }),
    };

    [Theory]
    [MemberData(nameof(Builders))]
    public void Every_property_written_is_a_module_property_of_its_database_with_its_type(string database)
    {
        var definition = WorkspaceDefinition.Standard[Enum.Parse<DatabaseKey>(database)];
        var record = Build(database);
        Assert.Null(record.Problem);
        Assert.NotEmpty(record.Properties);
        Assert.Contains(definition.KeyProperty.Name, record.Properties.Keys);
        Assert.Contains(definition.TitleProperty.Name, record.Properties.Keys);
        foreach (var (name, value) in record.Properties)
        {
            var property = definition.Find(name);
            Assert.True(property != null, $"{database} has no property '{name}'");
            Assert.Equal(PropertyOwner.Module, property!.Owner);
            Assert.Equal(property.Type.ApiName(), value.Type);
        }
        foreach (var select in record.Properties.Values.OfType<SelectValue>().Where(s => s.Name != null))
            Assert.DoesNotContain(",", select.Name);
    }

    [Fact]
    public void Customer_status_scores_with_the_given_weights_and_leaves_out_what_a_missing_source_would_falsify()
    {
        var record = new CustomerStatusRecords().Build(Site());
        // 1 of 10 offline: -3; 3 of 30 weak: -2; 1 critical + 1 warning: -12; partial backup: -7.
        Assert.Equal(PropertyValue.Number(76), record.Properties["Health Score"]);
        Assert.Equal(PropertyValue.Select("Medium"), record.Properties["Risk Level"]);
        Assert.Equal(PropertyValue.Number(0.995), record.Properties["WAN Uptime"]);
        Assert.Equal(PropertyValue.Select("Comcast Inc."), record.Properties["ISP"]);
        Assert.Equal(PropertyValue.MultiSelect("UniFi"), record.Properties["Data Sources"]);
        Assert.Contains("NinjaOne: no organization matched", ((TextValue)record.Properties["Source Status"]).PlainText);
        Assert.Contains("Last Sync", record.Incidental);

        var down = Site();
        down.UniFiStatus = "Unavailable";
        var partial = new CustomerStatusRecords().Build(down);
        Assert.DoesNotContain("WiFi Clients", partial.Properties.Keys);
        Assert.DoesNotContain("UniFi Site ID", partial.Properties.Keys);
        Assert.Contains("Open Tickets", partial.Properties.Keys);

        var sparse = new CustomerStatusRecords().Build(new CustomerStatusInput { SiteName = "Acme Corp", DevicesOnline = 3, DevicesOffline = 1 });
        Assert.Equal(PropertyValue.Number(4), sparse.Properties["Devices Total"]);
        Assert.DoesNotContain("Open Tickets", sparse.Properties.Keys);
        Assert.DoesNotContain("Data Sources", sparse.Properties.Keys);
    }

    [Theory]
    [InlineData(null, "InvalidSiteName")]
    [InlineData("Acme\nCorp", "InvalidSiteName")]
    [InlineData("Initech", SiteRelationIndex.SiteNotInCustomerSites)]
    public void A_site_that_cannot_be_used_makes_a_failed_record_naming_the_problem(string? site, string errorId)
    {
        var record = new DailyHealthRecords(Sites, new DateTime(2026, 1, 5)).Build(Site(site!));
        Assert.NotNull(record.Problem);
        Assert.Equal(errorId, record.Problem!.ErrorId);
        Assert.IsType<DailyHealthInput>(record.Input);
    }

    [Fact]
    public void A_close_spelling_finds_the_site_only_when_one_page_fits()
    {
        Assert.Equal(AcmePage, Sites.Find("ACME Corp., LLC")!.PageId);
        Assert.Equal(AcmePage, Sites.Find("  acme corp ")!.PageId);
        Assert.Equal("Acme Corp", Sites.Find("Acme Corp - Main Office")!.Name);
        Assert.Null(Sites.Find("Acme Warehouse Two"));
        var snapshot = new DailyHealthRecords(Sites, new DateTime(2026, 1, 5)).Build(Site("ACME Corp., LLC"));
        Assert.Equal("Acme Corp|2026-01-05", snapshot.Key); // keyed by the page's name, not the input's spelling
    }

    [Fact]
    public void Generated_change_ids_are_stable_and_change_with_every_field()
    {
        var at = new DateTimeOffset(2026, 1, 5, 14, 32, 10, 123, TimeSpan.FromHours(-5));
        var id = ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "sonicwall", "Update", "jdoe", "fw01", "details");
        Assert.Matches("^auto-[0-9a-f]{16}$", id);
        Assert.Equal(id, ConfigChangeRecords.GenerateChangeId("ACME CORP ", at.ToUniversalTime(), "SonicWall", "update", "JDoe", "FW01", "details"));
        Assert.Equal(id, ConfigChangeRecords.GenerateChangeId("Acme Corp", at.AddTicks(5), "sonicwall", "Update", "jdoe", "fw01", "details"));
        var others = new[]
        {
            ConfigChangeRecords.GenerateChangeId("Globex", at, "sonicwall", "Update", "jdoe", "fw01", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at.AddMilliseconds(1), "sonicwall", "Update", "jdoe", "fw01", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "unifi", "Update", "jdoe", "fw01", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "sonicwall", "Delete", "jdoe", "fw01", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "sonicwall", "Update", "asmith", "fw01", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "sonicwall", "Update", "jdoe", "fw02", "details"),
            ConfigChangeRecords.GenerateChangeId("Acme Corp", at, "sonicwall", "Update", "jdoe", "fw01", "Details"),
        };
        Assert.Equal(others.Length, others.Distinct().Count());
        Assert.DoesNotContain(id, others);
    }

    [Fact]
    public void A_change_without_a_timestamp_takes_the_run_start_so_its_key_is_known_before_customer_sites_is_read()
    {
        var clock = new Support.ManualTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var early = new ConfigChangeRecords(null, clock);
        clock.Advance(TimeSpan.FromMinutes(3));
        var input = new ConfigChangeInput { Site = "Acme Corp", Tool = "unifi", Action = "Reboot", Engineer = "jdoe" };
        var key = early.KeyOf(input);
        var record = early.WithSites(Sites).Build(input);
        Assert.Equal(key, record.Key);
        Assert.Equal(PropertyValue.Date(NotionDate.At(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero))), record.Properties["Timestamp"]);
        Assert.Null(early.KeyOf(new ConfigChangeInput { Site = "Acme Corp", Tool = "unifi", Action = "Reboot" }));
        Assert.Equal("MissingConfigChangeField", new ConfigChangeRecords(Sites).Build(new ConfigChangeInput { Site = "Acme Corp", Tool = "unifi", Engineer = "x" }).Problem!.ErrorId);
    }

    [Fact]
    public void Devices_are_keyed_by_their_normalized_mac_and_unusable_ones_fail()
    {
        var records = new NetworkDeviceRecords(Sites);
        var a = records.Build(new NetworkDeviceInput { SiteName = "Acme Corp", Mac = "AA-BB-CC-DD-EE-FF", Status = "online" });
        var b = records.Build(new NetworkDeviceInput { SiteName = "Acme Corp", Mac = "aabbccddeeff", Status = "upgrading" });
        Assert.Equal("aa:bb:cc:dd:ee:ff", a.Key);
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(PropertyValue.Select("Updating"), b.Properties["Status"]);
        Assert.Equal(PropertyValue.Title("aa:bb:cc:dd:ee:ff"), a.Properties["Device Name"]);
        Assert.Equal("InvalidMacAddress", records.Build(new NetworkDeviceInput { SiteName = "Acme Corp", Mac = "00:00:00:00:00:00" }).Problem!.ErrorId);
        Assert.Equal("InvalidFlag", records.Build(new NetworkDeviceInput { SiteName = "Acme Corp", Mac = "aa:bb:cc:dd:ee:01", UpdateAvailable = "maybe" }).Problem!.ErrorId);
        Assert.Equal(new[] { AcmePage }, records.CoveredSitePageIds);
    }

    [Fact]
    public void Journaled_inputs_rebuild_the_same_record()
    {
        var input = Site();
        var snapshot = new DailyHealthRecords(Sites, new DateTime(2026, 1, 5)).Build(input);
        var entry = new JournalEntry(snapshot.Key, "DailyHealth", "x", "y", DateTimeOffset.UnixEpoch, 1, SyncDriver.SerializeInput(snapshot.Input));
        var again = new DailyHealthRecords(Sites, new DateTime(2030, 1, 1)).Build(DailyHealthRecords.FromJournal(entry)!);
        Assert.Equal(snapshot.Key, again.Key); // the journaled date, not the new run's
        Assert.Equal(snapshot.Properties, again.Properties);

        var scope = DailyHealthRecords.RetryScope(new[] { entry })!.ToJson();
        Assert.Contains("2026-01-05", scope);
    }
}
