using System.Globalization;
using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Health;

/// <summary>
/// One site's health score inputs as a pipeline delivers them (Get-HealthScore binds them by property name):
/// counts that may be missing, the backup status as a word, and the site name to carry along. Missing counts
/// are read as none, the way <see cref="Sources.CustomerSite.ToHealthInputs"/> reads unknown values. The values are
/// checked by the rules every sync input follows (whole counts from 0 to 1,000,000, online at most total, weak-signal
/// clients at most all WiFi clients, a backup status of the set): a score of impossible counts is an error, never a number.
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

    /// <summary>Values that could not be taken as their field's type (see <see cref="FromValues"/>); <see cref="ToInputs"/> refuses them.</summary>
    public List<FieldProblem>? Rejected { get; set; }

    /// <summary>
    /// The request of values as received, by property name (the counts, BackupStatus, ConfigDrift and SiteName, as
    /// Get-HealthScore's parameters bind them): counts converted exactly, ConfigDrift as true/false (also yes/no, 1/0).
    /// </summary>
    public static HealthScoreRequest FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var v = new Sync.RawFields(values);
        var request = new HealthScoreRequest
        {
            SiteName = v.Text(nameof(SiteName)),
            DevicesOnline = v.Count(nameof(DevicesOnline)) ?? 0,
            DevicesTotal = v.Count(nameof(DevicesTotal)) ?? 0,
            WeakSignalClients = v.Count(nameof(WeakSignalClients)),
            WifiClients = v.Count(nameof(WifiClients)),
            CriticalAlerts = v.Count(nameof(CriticalAlerts)),
            WarningAlerts = v.Count(nameof(WarningAlerts)),
            BackupStatus = v.Text(nameof(BackupStatus)),
        };
        var drift = v.Flag(nameof(ConfigDrift));
        request.Rejected = v.Finish();
        if (!Sync.RecordValues.TryFlag(drift, nameof(ConfigDrift), request.Item, out var flag, out var error))
            (request.Rejected ??= new List<FieldProblem>()).Add(new FieldProblem(error!.ErrorId, nameof(ConfigDrift), drift, "is neither true nor false", "Give ConfigDrift as true or false (yes/no and 1/0 work too)."));
        request.ConfigDrift = flag;
        return request;
    }

    private string Item => string.IsNullOrWhiteSpace(SiteName) ? "Health score" : $"Health score of '{InputValidationException.Printable(SiteName!.Trim())}'";

    /// <summary>The calculator's inputs.</summary>
    /// <exception cref="InputValidationException">A value is refused (the message names every one).</exception>
    public HealthInputs ToInputs()
    {
        var check = new RecordCheck(Item);
        check.Add(Rejected);
        check.Count(nameof(DevicesOnline), DevicesOnline);
        check.Count(nameof(DevicesTotal), DevicesTotal);
        check.Count(nameof(WeakSignalClients), WeakSignalClients);
        check.Count(nameof(WifiClients), WifiClients);
        check.Count(nameof(CriticalAlerts), CriticalAlerts);
        check.Count(nameof(WarningAlerts), WarningAlerts);
        check.AtMost(nameof(DevicesOnline), DevicesOnline, nameof(DevicesTotal), DevicesTotal);
        check.AtMost(nameof(WeakSignalClients), WeakSignalClients, nameof(WifiClients), WifiClients);
        var backup = check.Choice(nameof(BackupStatus), BackupStatus, ValueSet.BackupStatus);
        if (!check.Ok) throw check.Error!;
        return new HealthInputs
        {
            DevicesOnline = DevicesOnline,
            DevicesTotal = DevicesTotal,
            WeakSignalClients = WeakSignalClients ?? 0,
            WifiClients = WifiClients ?? 0,
            CriticalAlerts = CriticalAlerts ?? 0,
            WarningAlerts = WarningAlerts ?? 0,
            Backup = HealthScoreCalculator.ParseBackupStatus(backup),
            ConfigDrift = ConfigDrift ?? false,
        };
    }

    /// <summary>The score of these inputs with <paramref name="calculator"/>'s weights, labelled with <see cref="SiteName"/>.</summary>
    public HealthScore Calculate(HealthScoreCalculator calculator)
    {
        if (calculator is null) throw new ArgumentNullException(nameof(calculator));
        return calculator.Calculate(ToInputs()).WithSiteName(SiteName);
    }

    /// <summary>
    /// A backup status word, strictly: unlike <see cref="HealthScoreCalculator.ParseBackupStatus"/>, a word it does
    /// not know is an error (InvalidEnumValue) rather than Unknown, so a typo never silently costs a third of the backup weight.
    /// </summary>
    public static BackupStatus ParseBackupStatus(string? text, string? siteName = null)
    {
        var check = new RecordCheck(siteName is null ? "Health score" : $"Site '{siteName}'");
        var name = check.Choice("BackupStatus", text, ValueSet.BackupStatus);
        if (!check.Ok) throw check.Error!;
        return HealthScoreCalculator.ParseBackupStatus(name);
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

    // A whole number exactly as the input rules read counts (InputValue.ToCount); the range is the weights' own check.
    private static int Points(string name, object? value)
    {
        var problems = new List<FieldProblem>();
        if (InputValue.ToCount(value, name, problems) is { } points) return points;
        throw new InputValidationException("InvalidHealthWeights", $"{name} weight", null, InputValue.Show(value),
            "is not a whole number", $"Give {name} as a whole number of points from 0 to 100");
    }
}
