using System.Globalization;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Health;

/// <summary>
/// One site's health score inputs as a pipeline delivers them (Get-HealthScore binds them by property name):
/// counts that may be missing, the backup status as a word, and the site name to carry along. Missing counts
/// are read as none, the way <see cref="Sources.CustomerSite.ToHealthInputs"/> reads unknown values.
/// </summary>
public sealed class HealthScoreRequest
{
    public string? SiteName { get; set; }
    public int DevicesOnline { get; set; }
    public int DevicesTotal { get; set; }
    public int? WeakSignalClients { get; set; }

    /// <summary>WiFi clients in total (weak and strong signal).</summary>
    public int? WifiClients { get; set; }
    public int? CriticalAlerts { get; set; }
    public int? WarningAlerts { get; set; }

    /// <summary>Success, Partial, Failed or Unknown (any case; also succeeded, ok, completed, failure, error); empty is Unknown.</summary>
    public string? BackupStatus { get; set; }
    public bool? ConfigDrift { get; set; }

    /// <summary>The calculator's inputs.</summary>
    /// <exception cref="InputValidationException">The backup status is not a known word.</exception>
    public HealthInputs ToInputs() => new()
    {
        DevicesOnline = DevicesOnline,
        DevicesTotal = DevicesTotal,
        WeakSignalClients = WeakSignalClients ?? 0,
        WifiClients = WifiClients ?? 0,
        CriticalAlerts = CriticalAlerts ?? 0,
        WarningAlerts = WarningAlerts ?? 0,
        Backup = ParseBackupStatus(BackupStatus, SiteName),
        ConfigDrift = ConfigDrift ?? false,
    };

    /// <summary>The score of these inputs with <paramref name="calculator"/>'s weights, labelled with <see cref="SiteName"/>.</summary>
    public HealthScore Calculate(HealthScoreCalculator calculator)
    {
        if (calculator is null) throw new ArgumentNullException(nameof(calculator));
        return calculator.Calculate(ToInputs()).WithSiteName(SiteName);
    }

    /// <summary>
    /// A backup status word, strictly: unlike <see cref="HealthScoreCalculator.ParseBackupStatus"/>, a word it does
    /// not know is an error rather than Unknown, so a typo never silently costs a third of the backup weight.
    /// </summary>
    public static BackupStatus ParseBackupStatus(string? text, string? siteName = null)
    {
        var value = (text ?? "").Trim();
        if (value.Length == 0 || string.Equals(value, "unknown", StringComparison.OrdinalIgnoreCase)) return Health.BackupStatus.Unknown;
        var parsed = HealthScoreCalculator.ParseBackupStatus(value);
        if (parsed != Health.BackupStatus.Unknown) return parsed;
        throw new InputValidationException("InvalidBackupStatus", "backup status", siteName is null ? null : $"Site '{siteName}'", text,
            "is not a backup status", "Use Success, Partial, Failed or Unknown");
    }
}

/// <summary>
/// Health score weights given by a person (Get-HealthScore -Weights): a dictionary of component names to points,
/// or the five points in order. Names are those of <see cref="HealthWeights"/> (DeviceAvailability, WifiQuality,
/// Alerts, Backup, ConfigCompliance, and optionally PointsPerCriticalAlert and PointsPerWarningAlert), any case;
/// a component left out keeps its default. The result is validated: the five must add up to 100.
/// </summary>
public static class HealthWeightsInput
{
    /// <summary>The five component names in their fixed order.</summary>
    public static IReadOnlyList<string> ComponentNames { get; } = new[]
    {
        nameof(HealthWeights.DeviceAvailability), nameof(HealthWeights.WifiQuality), nameof(HealthWeights.Alerts),
        nameof(HealthWeights.Backup), nameof(HealthWeights.ConfigCompliance),
    };

    private static readonly string[] AllNames = ComponentNames
        .Concat(new[] { nameof(HealthWeights.PointsPerCriticalAlert), nameof(HealthWeights.PointsPerWarningAlert) }).ToArray();

    /// <summary>Weights from name/value pairs.</summary>
    /// <exception cref="InputValidationException">An unknown name, or a value that is not a whole number.</exception>
    /// <exception cref="InvalidHealthWeightsException">Negative weights, or the five do not add up to 100.</exception>
    public static HealthWeights FromNamed(IEnumerable<KeyValuePair<string, object?>> values)
    {
        if (values is null) throw new ArgumentNullException(nameof(values));
        var w = HealthWeights.Default;
        foreach (var pair in values)
        {
            var name = AllNames.FirstOrDefault(n => string.Equals(n, (pair.Key ?? "").Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                var near = Configuration.KeySuggestion.Nearest(pair.Key ?? "", AllNames);
                throw new InputValidationException("UnknownHealthWeight", "health score weight name", null, pair.Key,
                    "is not a part of the health score" + (near is null ? "" : $" (did you mean {near}?)"),
                    $"Use {string.Join(", ", AllNames)}");
            }
            var points = Points(name, pair.Value);
            w = name switch
            {
                nameof(HealthWeights.DeviceAvailability) => w with { DeviceAvailability = points },
                nameof(HealthWeights.WifiQuality) => w with { WifiQuality = points },
                nameof(HealthWeights.Alerts) => w with { Alerts = points },
                nameof(HealthWeights.Backup) => w with { Backup = points },
                nameof(HealthWeights.ConfigCompliance) => w with { ConfigCompliance = points },
                nameof(HealthWeights.PointsPerCriticalAlert) => w with { PointsPerCriticalAlert = points },
                _ => w with { PointsPerWarningAlert = points },
            };
        }
        return w.Validate();
    }

    /// <summary>Weights from the five points in the order of <see cref="ComponentNames"/>.</summary>
    /// <exception cref="InputValidationException">Not exactly five values, or one is not a whole number.</exception>
    /// <exception cref="InvalidHealthWeightsException">Negative weights, or the five do not add up to 100.</exception>
    public static HealthWeights FromOrdered(IReadOnlyList<object?> values)
    {
        if (values is null) throw new ArgumentNullException(nameof(values));
        if (values.Count != ComponentNames.Count)
            throw new InputValidationException("InvalidHealthWeights", "health score weights", null,
                string.Join(", ", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
                $"are {values.Count} value(s), not five",
                $"Give five whole numbers in the order {string.Join(", ", ComponentNames)} (for example 30, 20, 20, 15, 15), or a hashtable of names to points");
        return FromNamed(ComponentNames.Select((n, i) => new KeyValuePair<string, object?>(n, values[i])));
    }

    private static int Points(string name, object? value)
    {
        switch (value)
        {
            case int i: return i;
            case long l when l >= int.MinValue && l <= int.MaxValue: return (int)l;
            case short s: return s;
            case byte b: return b;
            case double d when d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue: return (int)d;
            case decimal m when m == decimal.Truncate(m) && Math.Abs(m) <= int.MaxValue: return (int)m;
            case string text when int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed): return parsed;
        }
        throw new InputValidationException("InvalidHealthWeights", $"{name} weight", null, Convert.ToString(value, CultureInfo.InvariantCulture),
            "is not a whole number", $"Give {name} as a whole number of points from 0 to 100");
    }
}
