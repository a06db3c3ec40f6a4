using System.Globalization;

namespace OberaConnect.Engine.Health;

/// <summary>How worried to be about a site, from its health score.</summary>
public enum RiskLevel
{
    /// <summary>Score 90–100.</summary>
    Low,
    /// <summary>Score 75–89.</summary>
    Medium,
    /// <summary>Score 50–74.</summary>
    High,
    /// <summary>Score 0–49.</summary>
    Critical,
}

/// <summary>The five parts of the health score.</summary>
public enum HealthComponent
{
    DeviceAvailability,
    WifiQuality,
    Alerts,
    Backup,
    ConfigCompliance,
}

/// <summary>What one component cost: its weight, the points lost and why.</summary>
public sealed record HealthComponentScore(HealthComponent ComponentValue, int Weight, int PointsLost, string Reason)
{
    /// <summary>The component, as a name (DeviceAvailability, WifiQuality, Alerts, Backup, ConfigCompliance).</summary>
    public string Component => ComponentValue.ToString();

    /// <summary><see cref="Component"/> for code (an enum exports as a number).</summary>
    internal HealthComponent ComponentValue { get; init; } = ComponentValue;

    /// <summary>Points kept of this component's weight.</summary>
    public int PointsKept => Weight - PointsLost;

    /// <summary>"device availability -3 of 30 (1 of 10 devices offline)": what a list view and a CSV cell show.</summary>
    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0} -{1} of {2} ({3})", HealthScore.Describe(ComponentValue), PointsLost, Weight, Reason);
}

/// <summary>A site's health score with its risk level and the points lost per component, so users see why.</summary>
public sealed class HealthScore
{
    internal HealthScore(int score, RiskLevel risk, IReadOnlyList<HealthComponentScore> components, HealthWeights weights, string? siteName = null)
    {
        Score = score;
        RiskLevelValue = risk;
        Components = ReadableList<HealthComponentScore>.From(components);
        Weights = weights;
        SiteName = siteName;
    }

    /// <summary>The site the score is of, when the caller said (Get-HealthScore passes it through); null otherwise.</summary>
    public string? SiteName { get; }

    /// <summary>The same score, labelled with a site name.</summary>
    public HealthScore WithSiteName(string? siteName) => new(Score, RiskLevelValue, Components, Weights, siteName);

    /// <summary>0–100; 100 is perfect health.</summary>
    public int Score { get; }

    /// <summary>Low (≥ 90), Medium (≥ 75), High (≥ 50) or Critical, as a name.</summary>
    public string RiskLevel => RiskLevelValue.ToString();

    /// <summary><see cref="RiskLevel"/> for code (an enum exports as a number).</summary>
    internal RiskLevel RiskLevelValue { get; }

    /// <summary>The five components in a fixed order (one text per component in Export-Csv).</summary>
    public IReadOnlyList<HealthComponentScore> Components { get; }

    /// <summary>The weights the score was computed with.</summary>
    public HealthWeights Weights { get; }

    public int DeviceAvailabilityPointsLost => PointsLost(HealthComponent.DeviceAvailability);
    public int WifiQualityPointsLost => PointsLost(HealthComponent.WifiQuality);
    public int AlertsPointsLost => PointsLost(HealthComponent.Alerts);
    public int BackupPointsLost => PointsLost(HealthComponent.Backup);
    public int ConfigCompliancePointsLost => PointsLost(HealthComponent.ConfigCompliance);

    /// <summary>Points lost by one component.</summary>
    public int PointsLost(HealthComponent component)
    {
        foreach (var c in Components) if (c.ComponentValue == component) return c.PointsLost;
        return 0;
    }

    /// <summary>One line for people: "72 (High): -3 device availability (1 of 10 devices offline); ...".</summary>
    public string Explanation
    {
        get
        {
            var lost = Components.Where(c => c.PointsLost > 0)
                .Select(c => $"-{c.PointsLost} {Describe(c.ComponentValue)} ({c.Reason})").ToList();
            var why = lost.Count == 0 ? "nothing lost" : string.Join("; ", lost);
            return string.Format(CultureInfo.InvariantCulture, "{0} ({1}): {2}", Score, RiskLevel, why);
        }
    }

    public override string ToString() => Explanation;

    /// <summary>The words used for a component in messages and documentation.</summary>
    public static string Describe(HealthComponent component) => component switch
    {
        HealthComponent.DeviceAvailability => "device availability",
        HealthComponent.WifiQuality => "WiFi quality",
        HealthComponent.Alerts => "alerts",
        HealthComponent.Backup => "backup",
        HealthComponent.ConfigCompliance => "config compliance",
        _ => component.ToString(),
    };
}
