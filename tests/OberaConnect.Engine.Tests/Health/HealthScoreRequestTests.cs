using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Tests.Health;

/// <summary>What Get-HealthScore does with what the pipeline binds: the request, and -Weights.</summary>
public class HealthScoreRequestTests
{
    private static readonly HealthWeights Custom = new() { DeviceAvailability = 40, WifiQuality = 20, Alerts = 20, Backup = 10, ConfigCompliance = 10 };

    [Fact]
    public void A_request_scores_like_the_calculator_and_carries_the_site_name()
    {
        var request = new HealthScoreRequest
        {
            SiteName = "Acme Corp", DevicesOnline = 9, DevicesTotal = 10, WeakSignalClients = 5, WifiClients = 50,
            CriticalAlerts = 1, WarningAlerts = 2, BackupStatus = "partial", ConfigDrift = true,
        };

        var score = request.Calculate(new HealthScoreCalculator());

        var expected = new HealthScoreCalculator().Calculate(new HealthInputs
        {
            DevicesOnline = 9, DevicesTotal = 10, WeakSignalClients = 5, WifiClients = 50,
            CriticalAlerts = 1, WarningAlerts = 2, Backup = BackupStatus.Partial, ConfigDrift = true,
        });
        Assert.Equal("Acme Corp", score.SiteName);
        Assert.Equal(expected.Score, score.Score);
        Assert.Equal(expected.RiskLevel, score.RiskLevel);
        Assert.Equal(expected.Components, score.Components);
        Assert.Equal(expected.Explanation, score.Explanation);
        Assert.Null(expected.SiteName);
    }

    [Fact]
    public void Missing_counts_are_none_and_a_missing_backup_status_is_Unknown()
    {
        var score = new HealthScoreRequest { DevicesOnline = 4, DevicesTotal = 4 }.Calculate(new HealthScoreCalculator());

        Assert.Equal(0, score.WifiQualityPointsLost);
        Assert.Equal(0, score.AlertsPointsLost);
        Assert.Equal(0, score.ConfigCompliancePointsLost);
        Assert.Equal(15 / 3, score.BackupPointsLost);
        Assert.Equal(100 - 5, score.Score);
    }

    [Theory]
    [InlineData("Success", BackupStatus.Success)]
    [InlineData("succeeded", BackupStatus.Success)]
    [InlineData("PARTIAL", BackupStatus.Partial)]
    [InlineData("failed", BackupStatus.Failed)]
    [InlineData("Unknown", BackupStatus.Unknown)]
    [InlineData("", BackupStatus.Unknown)]
    [InlineData(null, BackupStatus.Unknown)]
    public void Backup_status_words_are_read_in_any_case(string? text, BackupStatus expected)
        => Assert.Equal(expected, HealthScoreRequest.ParseBackupStatus(text));

    [Fact]
    public void An_unknown_backup_word_is_an_error_for_that_site_not_a_silent_Unknown()
    {
        var request = new HealthScoreRequest { SiteName = "Globex", DevicesOnline = 1, DevicesTotal = 1, BackupStatus = "Sucess" };

        var error = Assert.Throws<InputValidationException>(() => request.Calculate(new HealthScoreCalculator()));

        Assert.Equal("InvalidEnumValue", error.ErrorId);
        Assert.Equal("Sucess", error.InvalidValue);
        Assert.Contains("Globex", error.Message, StringComparison.Ordinal);
        Assert.Contains("Success, Partial, Failed, Unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Sample_site_piped_by_property_name_scores_what_the_site_says()
    {
        var sites = (await SampleSource.Create(new SampleOptions { SiteCount = 30, Day = 2 }).GetSnapshotAsync()).Sites;
        var calculator = new HealthScoreCalculator();

        // What PowerShell binds from a CustomerSite: the same property names, enums as their names, nullable counts as they are.
        foreach (var site in sites)
        {
            var score = new HealthScoreRequest
            {
                SiteName = site.SiteName, DevicesOnline = site.DevicesOnline, DevicesTotal = site.DevicesTotal,
                WeakSignalClients = site.WeakSignalClients, WifiClients = site.WifiClients, CriticalAlerts = site.CriticalAlerts,
                WarningAlerts = site.WarningAlerts, BackupStatus = site.BackupStatus.ToString(), ConfigDrift = site.ConfigDrift,
            }.Calculate(calculator);
            Assert.Equal(site.HealthScore, score.Score);
            Assert.Equal(site.RiskLevelValue, score.RiskLevelValue);
            Assert.Equal(site.SiteName, score.SiteName);
        }
        Assert.Contains(sites, s => s.HealthScore < 100);
    }

    [Fact]
    public void Named_weights_in_any_case_and_partial_sets_keep_the_other_defaults()
    {
        var full = HealthWeightsInput.FromNamed(Pairs(("deviceavailability", 40), ("WifiQuality", 20), ("ALERTS", 20), ("Backup", "10"), ("ConfigCompliance", 10L)));
        var partial = HealthWeightsInput.FromNamed(Pairs(("DeviceAvailability", 40), ("Backup", 5)));
        var alertPoints = HealthWeightsInput.FromNamed(Pairs(("PointsPerCriticalAlert", 5), ("PointsPerWarningAlert", 1.0)));

        Assert.Equal(Custom, full);
        Assert.Equal(HealthWeights.Default with { DeviceAvailability = 40, Backup = 5 }, partial);
        Assert.Equal(HealthWeights.Default with { PointsPerCriticalAlert = 5, PointsPerWarningAlert = 1 }, alertPoints);
    }

    [Fact]
    public void Five_weights_in_order_are_the_five_components()
    {
        Assert.Equal(Custom, HealthWeightsInput.FromOrdered(new object?[] { 40, 20, 20, 10, 10 }));

        var error = Assert.Throws<InputValidationException>(() => HealthWeightsInput.FromOrdered(new object?[] { 40, 20, 20, 20 }));
        Assert.Contains("4 value(s), not five", error.Message, StringComparison.Ordinal);
        Assert.Contains("DeviceAvailability, WifiQuality, Alerts, Backup, ConfigCompliance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_that_do_not_add_up_to_100_are_refused_with_the_sum()
    {
        var error = Assert.Throws<InvalidHealthWeightsException>(() => HealthWeightsInput.FromOrdered(new object?[] { 30, 20, 20, 15, 10 }));

        Assert.Equal("InvalidHealthWeights", error.ErrorId);
        Assert.Equal(95, error.Sum);
        Assert.Contains("sum to 95", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_weight_name_is_refused_with_the_nearest_name()
    {
        var error = Assert.Throws<InputValidationException>(() => HealthWeightsInput.FromNamed(Pairs(("Backups", 15))));

        Assert.Equal("UnknownHealthWeight", error.ErrorId);
        Assert.Contains("did you mean Backup?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thirty")]
    [InlineData(12.5)]
    [InlineData(true)]
    public void A_weight_that_is_not_a_whole_number_is_refused(object value)
    {
        var error = Assert.Throws<InputValidationException>(() => HealthWeightsInput.FromNamed(Pairs(("Alerts", value))));
        Assert.Contains("Alerts weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a whole number", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Pairs(params (string Name, object? Value)[] pairs)
        => pairs.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value));
}
