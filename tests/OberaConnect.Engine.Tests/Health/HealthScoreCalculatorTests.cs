using OberaConnect.Engine.Health;

namespace OberaConnect.Engine.Tests.Health;

public class HealthScoreCalculatorTests
{
    private readonly HealthScoreCalculator _calc = new();

    [Fact]
    public void A_perfect_site_scores_100_and_low_risk()
    {
        var result = _calc.Calculate(new HealthInputs
        {
            DevicesOnline = 10, DevicesTotal = 10, WeakSignalClients = 0, WifiClients = 50,
            CriticalAlerts = 0, WarningAlerts = 0, Backup = BackupStatus.Success, ConfigDrift = false,
        });
        Assert.Equal(100, result.Score);
        Assert.Equal(RiskLevel.Low, result.RiskLevelValue);
        Assert.All(result.Components, c => Assert.Equal(0, c.PointsLost));
    }

    [Fact]
    public void All_devices_offline_loses_the_30_availability_points()
    {
        Assert.Equal(70, _calc.CalculateScore(devicesOnline: 0, devicesTotal: 10, backupStatus: BackupStatus.Success));
    }

    [Fact]
    public void Config_drift_costs_15_points()
    {
        var withDrift = _calc.CalculateScore(devicesOnline: 10, devicesTotal: 10, configDrift: true);
        var withoutDrift = _calc.CalculateScore(devicesOnline: 10, devicesTotal: 10, configDrift: false);
        Assert.Equal(withoutDrift - 15, withDrift);
    }

    [Fact]
    public void Custom_weights_change_what_each_component_costs()
    {
        var calc = new HealthScoreCalculator(new HealthWeights { DeviceAvailability = 50, WifiQuality = 10, Alerts = 10, Backup = 20, ConfigCompliance = 10 });
        Assert.Equal(50, calc.CalculateScore(devicesOnline: 0, devicesTotal: 10, backupStatus: BackupStatus.Success));
        Assert.Equal(80, calc.CalculateScore(devicesOnline: 10, devicesTotal: 10, backupStatus: BackupStatus.Failed));
        Assert.Equal(90, calc.CalculateScore(devicesOnline: 10, devicesTotal: 10, backupStatus: BackupStatus.Partial));
        Assert.Equal(94, calc.CalculateScore(devicesOnline: 10, devicesTotal: 10)); // unknown backup: 20 / 3 = 6
        Assert.Equal(90, calc.CalculateScore(devicesOnline: 10, devicesTotal: 10, criticalAlerts: 4, backupStatus: BackupStatus.Success)); // capped at 10
    }

    [Theory]
    [InlineData(30, 20, 20, 15, 10, 95)]
    [InlineData(40, 20, 20, 20, 20, 120)]
    [InlineData(0, 0, 0, 0, 0, 0)]
    public void Weights_that_do_not_sum_to_100_are_rejected_with_the_sum_in_the_message(int d, int w, int a, int b, int c, int sum)
    {
        var weights = new HealthWeights { DeviceAvailability = d, WifiQuality = w, Alerts = a, Backup = b, ConfigCompliance = c };
        var ex = Assert.Throws<InvalidHealthWeightsException>(() => new HealthScoreCalculator(weights));
        Assert.Contains($"sum to {sum}", ex.Message);
        Assert.Equal(sum, ex.Sum);
        Assert.Equal("InvalidHealthWeights", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public void Negative_weights_are_rejected_even_when_the_sum_is_100()
    {
        var weights = new HealthWeights { DeviceAvailability = 50, WifiQuality = -5, Alerts = 20, Backup = 20, ConfigCompliance = 15 };
        var ex = Assert.Throws<InvalidHealthWeightsException>(() => weights.Validate());
        Assert.Contains("WiFi quality = -5", ex.Message);
        Assert.Contains("sum to 100", ex.Message);
    }

    [Theory]
    [InlineData(100, RiskLevel.Low)]
    [InlineData(90, RiskLevel.Low)]
    [InlineData(89, RiskLevel.Medium)]
    [InlineData(75, RiskLevel.Medium)]
    [InlineData(74, RiskLevel.High)]
    [InlineData(50, RiskLevel.High)]
    [InlineData(49, RiskLevel.Critical)]
    [InlineData(0, RiskLevel.Critical)]
    public void Risk_level_follows_the_documented_thresholds(int score, RiskLevel expected)
    {
        Assert.Equal(expected, HealthScoreCalculator.RiskFor(score));
    }

    [Fact]
    public void The_breakdown_explains_every_point_lost()
    {
        var result = _calc.Calculate(new HealthInputs
        {
            DevicesOnline = 9, DevicesTotal = 10, WifiClients = 40, WeakSignalClients = 4,
            CriticalAlerts = 1, WarningAlerts = 3, Backup = BackupStatus.Partial,
        });
        Assert.Equal(100 - result.Score, result.Components.Sum(c => c.PointsLost));
        Assert.Equal(3, result.DeviceAvailabilityPointsLost);
        Assert.Equal(2, result.WifiQualityPointsLost);
        Assert.Equal(16, result.AlertsPointsLost);
        Assert.Equal(7, result.BackupPointsLost);
        Assert.Equal(0, result.ConfigCompliancePointsLost);
        Assert.Contains("1 of 10 devices offline", result.Explanation);
        Assert.Contains("backup partial", result.Explanation);
        Assert.DoesNotContain("config compliance", result.Explanation); // nothing lost there, so not listed
        Assert.StartsWith("72 (High)", result.Explanation);
    }

    [Fact]
    public void Glitched_inputs_never_leave_the_0_to_100_range()
    {
        var result = _calc.Calculate(new HealthInputs
        {
            DevicesOnline = 15, DevicesTotal = 10, WifiClients = 5, WeakSignalClients = 9,
            CriticalAlerts = int.MaxValue, WarningAlerts = int.MaxValue, Backup = BackupStatus.Failed, ConfigDrift = true,
        });
        Assert.Equal(0, result.DeviceAvailabilityPointsLost);
        Assert.Equal(20, result.WifiQualityPointsLost);
        Assert.Equal(20, result.AlertsPointsLost);
        Assert.InRange(result.Score, 0, 100);

        var negative = _calc.Calculate(new HealthInputs { DevicesOnline = -3, DevicesTotal = -1, CriticalAlerts = -2, Backup = BackupStatus.Success });
        Assert.Equal(100, negative.Score);
    }

    [Theory]
    [InlineData("success", BackupStatus.Success)]
    [InlineData("PARTIAL", BackupStatus.Partial)]
    [InlineData(" Failed ", BackupStatus.Failed)]
    [InlineData("whatever", BackupStatus.Unknown)]
    [InlineData(null, BackupStatus.Unknown)]
    public void Backup_status_words_from_the_python_era_parse(string? text, BackupStatus expected)
    {
        Assert.Equal(expected, HealthScoreCalculator.ParseBackupStatus(text));
    }
}
