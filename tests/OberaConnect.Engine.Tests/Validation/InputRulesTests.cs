using System.Collections;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Tests.Validation;

/// <summary>
/// The validation step, case by case: each bad input a new user tried (issue "Bad input never lands") is a clear error
/// naming the item, the field and the value, or a documented change with a warning. No request is involved here: a
/// refused record has a Problem, which planning reports without sending anything (see InputValidationEndToEndTests).
/// </summary>
public sealed class InputRulesTests
{
    private static readonly SiteRelationIndex Sites = SiteRelationIndex.From(new Dictionary<string, string>
    {
        ["Bayou Electric"] = "11111111-1111-1111-1111-111111111111",
    });

    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero));

    private static DesiredRecord Site(Dictionary<string, object?> values) => new CustomerStatusRecords(time: Clock).Build(CustomerStatusInput.FromValues(values));

    private static DesiredRecord Change(Dictionary<string, object?> values, bool allowAny = false)
    {
        var all = new Dictionary<string, object?> { ["Site"] = "Bayou Electric", ["Tool"] = "unifi", ["Action"] = "Update", ["Engineer"] = "jdoe" };
        foreach (var kv in values) all[kv.Key] = kv.Value;
        return new ConfigChangeRecords(null, Clock) { AllowAnyTimestamp = allowAny }.WithSites(Sites).Build(ConfigChangeInput.FromValues(all));
    }

    private static InputValidationException Refused(DesiredRecord record)
    {
        var problem = Assert.IsType<InputValidationException>(record.Problem);
        Assert.Equal(FailureKind.InvalidInput, problem.Kind);
        Assert.Empty(record.Properties); // nothing to send
        return problem;
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NaN_and_infinities_are_refused_for_the_site_and_the_snapshot(double value, string shown)
    {
        var site = Refused(Site(new() { ["SiteName"] = "Bayou Electric", ["WanUptimePercent"] = value }));
        Assert.Equal("InvalidNumber", site.ErrorId);
        Assert.Contains($"Customer site 'Bayou Electric': the WanUptimePercent '{shown}' is not a number", site.Message);

        // Add-DailyHealthSnapshot used to drop it and report Created.
        var snapshot = new DailyHealthRecords(Sites, new DateTime(2026, 11, 22), time: Clock)
            .Build(CustomerStatusInput.FromValues(new Dictionary<string, object?> { ["SiteName"] = "Bayou Electric", ["WanUptimePercent"] = value }));
        Assert.Equal("InvalidNumber", Refused(snapshot).ErrorId);
    }

    [Fact]
    public void A_value_that_is_not_a_number_and_one_out_of_range_both_fail_the_record_naming_each()
    {
        var error = Refused(Site(new() { ["SiteName"] = "X", ["DevicesOnline"] = "abc", ["DevicesTotal"] = 1e12 }));

        Assert.Equal("InvalidNumber", error.ErrorId);
        Assert.Contains("the DevicesOnline 'abc' is not a number", error.Message);
        Assert.Contains("the DevicesTotal '1000000000000' is outside the range 0 to 1,000,000", error.Message);
    }

    [Theory]
    [InlineData("DevicesOnline", -5, "is outside the range 0 to 1,000,000")]
    [InlineData("DevicesTotal", -1, "is outside the range 0 to 1,000,000")]
    [InlineData("WifiClients", 2.5, "is a fraction, but a count is a whole number")]
    [InlineData("ActiveAlerts", true, "is a true/false value, not a number")]
    [InlineData("OpenTickets", "1,000", "is not a number")]
    public void Counts_are_whole_numbers_from_zero(string field, object value, string problem)
    {
        var error = Refused(Site(new() { ["SiteName"] = "Acme", [field] = value }));
        Assert.Contains($"the {field} '", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Counts_that_contradict_each_other_are_refused()
    {
        Assert.Contains("the DevicesOnline '100' is more than DevicesTotal (10)", Refused(Site(new() { ["SiteName"] = "A", ["DevicesOnline"] = 100, ["DevicesTotal"] = 10 })).Message);
        Assert.Contains("plus DevicesOffline (5) is 10, more than DevicesTotal (8)",
            Refused(Site(new() { ["SiteName"] = "A", ["DevicesOnline"] = 5, ["DevicesOffline"] = 5, ["DevicesTotal"] = 8 })).Message);
        Assert.Contains("WeakSignalClients '9' is more than WifiClients (3)", Refused(Site(new() { ["SiteName"] = "A", ["WeakSignalClients"] = 9, ["WifiClients"] = 3 })).Message);
        Assert.Contains("plus WarningAlerts (2) is more than ActiveAlerts (2)",
            Refused(Site(new() { ["SiteName"] = "A", ["CriticalAlerts"] = 1, ["WarningAlerts"] = 2, ["ActiveAlerts"] = 2 })).Message);
    }

    [Fact]
    public void Numbers_from_CSV_text_and_whole_decimals_are_taken_exactly()
    {
        var record = Site(new() { ["SiteName"] = "A", ["DevicesOnline"] = " 9 ", ["DevicesTotal"] = 10.0, ["WifiClients"] = 5m, ["WanUptimePercent"] = "99.5" });
        Assert.Null(record.Problem);
        Assert.Equal(PropertyValue.Number(9), record.Properties["Devices Online"]);
        Assert.Equal(PropertyValue.Number(10), record.Properties["Devices Total"]);
        Assert.Equal(PropertyValue.Number(5), record.Properties["WiFi Clients"]);
        Assert.Equal(PropertyValue.Number(0.995), record.Properties["WAN Uptime"]);
    }

    [Fact]
    public void A_percentage_over_100_is_refused()
    {
        var error = Refused(Site(new() { ["SiteName"] = "A", ["WanUptimePercent"] = 150 }));
        Assert.Equal("ValueOutOfRange", error.ErrorId);
        Assert.Contains("the WanUptimePercent '150' is outside the range 0 to 100", error.Message);
    }

    [Fact]
    public void Enumerated_values_outside_their_set_are_refused_listing_the_set()
    {
        var status = Refused(Site(new() { ["SiteName"] = "A", ["UniFiStatus"] = "Banana" }));
        Assert.Equal("InvalidEnumValue", status.ErrorId);
        Assert.Contains("the UniFiStatus 'Banana' does not belong to the set Present, Unavailable, NotMatched, NotConfigured", status.Message);
        Assert.Contains("Tab completes them", status.Message);

        var result = Refused(Change(new() { ["Result"] = "Exploded" }));
        Assert.Equal("InvalidEnumValue", result.ErrorId);
        Assert.Contains("the Result 'Exploded' does not belong to the set Success, Failed, Partial, Rolled Back", result.Message);

        Assert.Contains("Success, Partial, Failed, Unknown", Refused(Site(new() { ["SiteName"] = "A", ["BackupStatus"] = "Sucess" })).Message);
        Assert.Contains("UniFi, NinjaOne", Refused(Site(new() { ["SiteName"] = "A", ["MissingSources"] = "UniFi, Banana" })).Message);
    }

    [Fact]
    public void Enumerated_values_are_written_in_the_sets_spelling()
    {
        var site = Site(new() { ["SiteName"] = "A", ["BackupStatus"] = "ok", ["UniFiStatus"] = "present", ["NinjaOneStatus"] = " not configured " });
        Assert.Null(site.Problem);
        Assert.Equal(PropertyValue.Select("Success"), site.Properties["Backup Status"]);
        Assert.Equal(PropertyValue.MultiSelect("UniFi"), site.Properties["Data Sources"]);
        Assert.Equal(PropertyValue.Select("Rolled Back"), Change(new() { ["Result"] = "rollback" }).Properties["Result"]);
    }

    [Fact]
    public void A_timestamp_before_2000_or_more_than_a_day_ahead_is_refused_unless_allowed()
    {
        var yearOne = Refused(Change(new() { ["Timestamp"] = DateTimeOffset.MinValue }));
        Assert.Equal("ImplausibleTimestamp", yearOne.ErrorId);
        Assert.Contains("is before 2000-01-01", yearOne.Message);
        Assert.Contains("-AllowAnyTimestamp", yearOne.Message);
        Assert.Contains("more than a day in the future", Refused(Change(new() { ["Timestamp"] = Clock.GetUtcNow().AddDays(2) })).Message);
        Assert.Equal("InvalidTimestamp", Refused(Change(new() { ["Timestamp"] = "yesterday" })).ErrorId);
        Assert.Equal("InvalidTimestamp", Refused(Change(new() { ["Timestamp"] = "2.5" })).ErrorId); // never read as 5 February

        var allowed = Change(new() { ["Timestamp"] = new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero) }, allowAny: true);
        Assert.Null(allowed.Problem);
        Assert.Equal(PropertyValue.Date(NotionDate.At(new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero))), allowed.Properties["Timestamp"]);
        Assert.NotNull(DailyHealthRecords.CheckDate(DateTime.MinValue, Clock, allowAnyTimestamp: false));
        Assert.Null(DailyHealthRecords.CheckDate(DateTime.MinValue, Clock, allowAnyTimestamp: true));
        Assert.Null(DailyHealthRecords.CheckDate(new DateTime(2026, 11, 22), Clock, allowAnyTimestamp: false));
    }

    [Fact]
    public void Text_over_its_limit_is_an_error_saying_the_limit_and_the_length()
    {
        var engineer = Refused(Change(new() { ["Engineer"] = new string('e', 5000) }));
        Assert.Equal("TextTooLong", engineer.ErrorId);
        Assert.Contains("is 5,000 characters long; at most 200 are accepted", engineer.Message);
        Assert.True(engineer.Message.Length < 600, engineer.Message); // the value is quoted to 100 characters only
        Assert.Contains("at most 100 are accepted", Refused(Change(new() { ["Tool"] = new string('t', 500) })).Message);
        Assert.Contains("at most 100 are accepted", Refused(Change(new() { ["Action"] = new string('a', 101) })).Message);
    }

    [Fact]
    public void Free_text_documented_as_cut_is_cut_with_a_warning_and_control_characters_are_removed_with_one()
    {
        var record = Change(new() { ["Details"] = "a\0b\u0007c" + new string('d', 3000) });
        Assert.Null(record.Problem);
        var details = ((TextValue)record.Properties["Details"]).PlainText;
        Assert.StartsWith("abc", details);
        Assert.Equal(NotionText.MaxContentLength, details.Length);
        Assert.Contains(record.Notices, n => n.Contains("2 control or invisible formatting character(s) were removed from Details"));
        Assert.Contains(record.Notices, n => n.Contains("Details is 3,003 characters long; only the first 2,000 are kept"));

        var tool = Change(new() { ["Tool"] = "uni\tfi" });
        Assert.Equal(PropertyValue.Select("uni fi"), tool.Properties["Tool"]);
        Assert.Contains(tool.Notices, n => n.Contains("from Tool (line breaks and tabs became spaces)"));
    }

    [Fact]
    public void A_long_change_id_gives_a_short_error_and_a_short_key()
    {
        var record = Change(new() { ["ChangeId"] = new string('x', 5000) });
        var error = Refused(record);
        Assert.Equal("TextTooLong", error.ErrorId);
        Assert.True(error.Message.Length < 700, $"{error.Message.Length} characters");
        Assert.True(record.Key.Length < 150, $"key of {record.Key.Length} characters");
        Assert.Equal("InvalidText", Refused(Change(new() { ["ChangeId"] = "CHG-1\nCHG-2" })).ErrorId);
    }

    [Fact]
    public void Values_of_the_wrong_type_are_refused_not_turned_into_text()
    {
        var table = Refused(Site(new() { ["SiteName"] = new Hashtable { ["a"] = 1 } }));
        Assert.Equal("InvalidText", table.ErrorId);
        Assert.Contains("is a table of 1 entries, not text", table.Message);
        Assert.Contains("is a list of 2 values", Refused(Change(new() { ["Ticket"] = new object[] { "T-1", "T-2" } })).Message);
        Assert.Contains("is a DayOfWeek value, not a number", Refused(Site(new() { ["SiteName"] = "A", ["DevicesTotal"] = DayOfWeek.Monday })).Message);
        // Enum values are their names (a CustomerSite's BackupStatus pipes in as the engine's enum).
        Assert.Equal(PropertyValue.Select("Partial"), Site(new() { ["SiteName"] = "A", ["BackupStatus"] = BackupStatus.Partial }).Properties["Backup Status"]);
    }

    [Fact]
    public void A_value_for_a_property_the_input_does_not_have_is_a_programming_error()
        => Assert.Throws<ArgumentException>(() => CustomerStatusInput.FromValues(new Dictionary<string, object?> { ["SiteNmae"] = "x" }));

    [Fact]
    public void Health_score_requests_refuse_negative_and_impossible_counts()
    {
        var calculator = new HealthScoreCalculator();
        Assert.Contains("the DevicesOnline '11' is more than DevicesTotal (10)",
            Assert.Throws<InputValidationException>(() => HealthScoreRequest.FromValues(new Dictionary<string, object?> { ["DevicesOnline"] = 11, ["DevicesTotal"] = 10 }).Calculate(calculator)).Message);
        Assert.Equal("ValueOutOfRange",
            Assert.Throws<InputValidationException>(() => HealthScoreRequest.FromValues(new Dictionary<string, object?> { ["DevicesOnline"] = -3, ["DevicesTotal"] = 10 }).Calculate(calculator)).ErrorId);
        Assert.Equal("InvalidNumber",
            Assert.Throws<InputValidationException>(() => HealthScoreRequest.FromValues(new Dictionary<string, object?> { ["DevicesOnline"] = 2.5, ["DevicesTotal"] = 10 }).Calculate(calculator)).ErrorId);
        Assert.Equal("InvalidFlag",
            Assert.Throws<InputValidationException>(() => HealthScoreRequest.FromValues(new Dictionary<string, object?> { ["DevicesOnline"] = 1, ["DevicesTotal"] = 1, ["ConfigDrift"] = "maybe" }).Calculate(calculator)).ErrorId);
        var score = HealthScoreRequest.FromValues(new Dictionary<string, object?> { ["DevicesOnline"] = "9", ["DevicesTotal"] = 10, ["ConfigDrift"] = "yes" }).Calculate(calculator);
        Assert.Equal(15, score.ConfigCompliancePointsLost);
    }

    [Fact]
    public void The_site_name_rule_sets_aside_case_spacing_and_unicode_forms_only()
    {
        Assert.True(SiteName.SameSite("Bayou Electric", "BAYOU ELECTRIC"));
        Assert.True(SiteName.SameSite("Bayou Electric", "Bayou  Electric"));
        Assert.True(SiteName.SameSite("Bayou Electric", " Bayou\u00A0Electric "));
        Assert.True(SiteName.SameSite("ACME", "ＡＣＭＥ")); // full-width letters
        Assert.True(SiteName.SameSite("Café", "Cafe\u0301"));
        Assert.False(SiteName.SameSite("Bayou Electric", "Bayou-Electric"));
        Assert.False(SiteName.SameSite("Acme", "Acme Corp"));
        // A broken character (half a surrogate pair) is bad input, never an exception from Unicode normalization.
        Assert.Equal("A\uD800", SiteName.IdentityKey("a\uD800"));
        Assert.False(SiteName.TryNormalize("a\uD800", out _, out var broken));
        Assert.Contains("broken character", broken!.Message);
    }

    [Fact]
    public void Printable_quotes_at_most_100_characters_and_escapes_what_cannot_be_shown()
    {
        var shown = InputValidationException.Printable(new string('x', 150));
        Assert.StartsWith(new string('x', 100) + "…", shown);
        Assert.EndsWith("(150 characters)", shown);
        Assert.Equal("a\\u0000b\\u202ec\\ud800", InputValidationException.Printable("a\0b\u202Ec\uD800"));
        Assert.Equal("🔥", InputValidationException.Printable("🔥"));
    }

    [Fact]
    public async Task Every_sample_site_device_and_alert_passes_the_rules_without_a_change()
    {
        foreach (var day in new[] { 0, 1, 2 })
        {
            var source = SampleSource.Create(SampleSource.Generate(new SampleOptions { Day = day }));
            var snapshot = await source.GetSnapshotAsync();
            foreach (var site in snapshot.Sites.Select(CustomerStatusInput.FromSite))
            {
                var check = InputRules.CustomerStatus(site, "Customer site", Clock, false, out _);
                Assert.True(check.Ok && check.Notices.Count == 0, $"{site}: {check.Error?.Message} {string.Join(" ", check.Notices)}");
            }
            foreach (var alert in snapshot.Alerts.Where(a => a.SiteName != null).Select(AlertInput.FromAlert))
            {
                var check = InputRules.Alert(alert, TimeProvider.System, false, out _);
                Assert.True(check.Ok && check.Notices.Count == 0, $"{alert}: {check.Error?.Message} {string.Join(" ", check.Notices)}");
            }
            await foreach (var device in source.GetDevicesAsync())
            {
                if (device.Source != Engine.Sources.SourceSystem.UniFi || device.SiteName is null) continue;
                var check = InputRules.NetworkDevice(NetworkDeviceInput.FromDevice(device), TimeProvider.System, false, out _);
                Assert.True(check.Ok && check.Notices.Count == 0, $"{device.Name}: {check.Error?.Message} {string.Join(" ", check.Notices)}");
            }
        }
    }

    [Fact]
    public void Devices_from_UniFi_with_values_beyond_the_workspace_sets_are_mapped_not_refused()
    {
        var input = NetworkDeviceInput.FromDevice(new Engine.Sources.SiteDevice
        {
            Source = Engine.Sources.SourceSystem.UniFi, SiteName = "Bayou Electric", Mac = "aa:bb:cc:00:00:01", Name = "AP", Kind = "innerspace",
            Status = "pendingAdoption", IsOnline = false, FirmwareStatus = "checking",
        });
        Assert.Equal(("Other", "Offline", null), (input.ProductLine, input.Status, input.FirmwareStatus));
        Assert.Null(new NetworkDeviceRecords(Sites).Build(input).Problem);
    }

    [Fact]
    public void A_folder_given_as_the_configuration_file_is_named_as_a_folder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "oc-config-folder-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var error = Assert.Throws<ConfigurationFileNotFoundException>(() => ConfigurationFile.Load(folder));
            Assert.Contains("is a folder, not a configuration file", error.Message);
            Assert.Contains(Path.Combine(folder, "config.json"), error.Message);
            Assert.DoesNotContain("does not exist", error.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
