using System.Globalization;

namespace OberaConnect.Engine.Health;

/// <summary>
/// The one health score calculation (it replaces the two diverging ones of the Python syncs).
/// Start at 100 and subtract, per component, with whole-point (rounded down) arithmetic:
/// <list type="bullet">
/// <item>device availability: weight × offline ÷ total (nothing when there are no devices);</item>
/// <item>WiFi quality: weight × weak-signal clients ÷ WiFi clients (nothing without clients);</item>
/// <item>alerts: 10 per critical + 2 per warning alert, capped at the weight;</item>
/// <item>backup: success 0, partial half the weight, failed all of it, unknown a third;</item>
/// <item>config compliance: the whole weight when the configuration drifted.</item>
/// </list>
/// The result is clamped to 0–100. The risk level: ≥ 90 Low, ≥ 75 Medium, ≥ 50 High, else Critical.
/// The worked examples in about_OberaConnect_HealthScore.help.txt are checked against this class by a test.
/// </summary>
public sealed class HealthScoreCalculator
{
    /// <summary>Lowest score that is Low risk.</summary>
    public const int LowRiskFrom = 90;
    /// <summary>Lowest score that is Medium risk.</summary>
    public const int MediumRiskFrom = 75;
    /// <summary>Lowest score that is High risk; below it is Critical.</summary>
    public const int HighRiskFrom = 50;

    /// <summary>A calculator with the given weights (validated) or the defaults.</summary>
    public HealthScoreCalculator(HealthWeights? weights = null)
    {
        Weights = (weights ?? HealthWeights.Default).Validate();
    }

    /// <summary>The weights in force.</summary>
    public HealthWeights Weights { get; }

    /// <summary>The score, risk level and breakdown for one site.</summary>
    public HealthScore Calculate(HealthInputs inputs)
    {
        if (inputs is null) throw new ArgumentNullException(nameof(inputs));
        var w = Weights;
        var components = new List<HealthComponentScore>(5);

        // Integer arithmetic reproduces int((1 - online/total) * weight) exactly, without float rounding surprises.
        var total = Math.Max(0, inputs.DevicesTotal);
        var online = Clamp(inputs.DevicesOnline, 0, total);
        var offline = total - online;
        var deviceLost = total > 0 ? offline * w.DeviceAvailability / total : 0;
        components.Add(new HealthComponentScore(HealthComponent.DeviceAvailability, w.DeviceAvailability, deviceLost,
            total == 0 ? "no devices known" : F("{0} of {1} devices offline", offline, total)));

        var clients = Math.Max(0, inputs.WifiClients);
        var weak = Clamp(inputs.WeakSignalClients, 0, clients);
        var wifiLost = clients > 0 ? weak * w.WifiQuality / clients : 0;
        components.Add(new HealthComponentScore(HealthComponent.WifiQuality, w.WifiQuality, wifiLost,
            clients == 0 ? "no WiFi clients" : F("{0} of {1} WiFi clients with a weak signal", weak, clients)));

        var critical = Math.Max(0, inputs.CriticalAlerts);
        var warning = Math.Max(0, inputs.WarningAlerts);
        // long: a flood of alerts must not overflow before the cap applies.
        var alertCost = (long)critical * w.PointsPerCriticalAlert + (long)warning * w.PointsPerWarningAlert;
        var alertLost = (int)Math.Min(alertCost, w.Alerts);
        components.Add(new HealthComponentScore(HealthComponent.Alerts, w.Alerts, alertLost,
            critical == 0 && warning == 0 ? "no open alerts" : F("{0} critical, {1} warning alerts open", critical, warning)));

        var backupLost = inputs.Backup switch
        {
            BackupStatus.Success => 0,
            BackupStatus.Partial => w.Backup / 2,
            BackupStatus.Failed => w.Backup,
            _ => w.Backup / 3,
        };
        components.Add(new HealthComponentScore(HealthComponent.Backup, w.Backup, backupLost,
            "backup " + inputs.Backup.ToString().ToLowerInvariant()));

        var configLost = inputs.ConfigDrift ? w.ConfigCompliance : 0;
        components.Add(new HealthComponentScore(HealthComponent.ConfigCompliance, w.ConfigCompliance, configLost,
            inputs.ConfigDrift ? "configuration drifted" : "no configuration drift"));

        var score = Clamp(100 - components.Sum(c => c.PointsLost), 0, 100);
        return new HealthScore(score, RiskFor(score), components, w);
    }

    /// <summary>
    /// The score alone, with the parameters of the Python <c>calculate</c> it replaces
    /// (same defaults: no WiFi data, no alerts, backup unknown, no drift).
    /// </summary>
    public int CalculateScore(
        int devicesOnline,
        int devicesTotal,
        int weakSignalClients = 0,
        int totalWifiClients = 0,
        int criticalAlerts = 0,
        int warningAlerts = 0,
        BackupStatus backupStatus = BackupStatus.Unknown,
        bool configDrift = false)
        => Calculate(new HealthInputs
        {
            DevicesOnline = devicesOnline,
            DevicesTotal = devicesTotal,
            WeakSignalClients = weakSignalClients,
            WifiClients = totalWifiClients,
            CriticalAlerts = criticalAlerts,
            WarningAlerts = warningAlerts,
            Backup = backupStatus,
            ConfigDrift = configDrift,
        }).Score;

    /// <summary>Risk level of a score: ≥ 90 Low, ≥ 75 Medium, ≥ 50 High, else Critical.</summary>
    public static RiskLevel RiskFor(int score)
        => score >= LowRiskFrom ? RiskLevel.Low
            : score >= MediumRiskFrom ? RiskLevel.Medium
            : score >= HighRiskFrom ? RiskLevel.High
            : RiskLevel.Critical;

    /// <summary>Parses a backup status word (success, partial, failed, unknown; any case).</summary>
    public static BackupStatus ParseBackupStatus(string? text)
        => Validation.ValueSet.BackupStatus.Match(text) is { } name ? (BackupStatus)Enum.Parse(typeof(BackupStatus), name) : BackupStatus.Unknown;

    private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

    private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
