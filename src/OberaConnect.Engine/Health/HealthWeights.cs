namespace OberaConnect.Engine.Health;

/// <summary>
/// How many of the 100 points each part of the health score is worth. The defaults are the
/// 30/20/20/15/15 split of the daily health sync; every weight is at least 0 and together they make 100,
/// so a site that loses every component scores 0 and a site that loses none scores 100.
/// </summary>
public sealed record HealthWeights
{
    /// <summary>Points for devices being online (lost in proportion to devices offline). Default 30.</summary>
    public int DeviceAvailability { get; init; } = 30;

    /// <summary>Points for WiFi quality (lost in proportion to weak-signal clients). Default 20.</summary>
    public int WifiQuality { get; init; } = 20;

    /// <summary>Points for open alerts (each critical and warning alert costs points, up to this cap). Default 20.</summary>
    public int Alerts { get; init; } = 20;

    /// <summary>Points for backups (all lost when failed, half when partial, a third when unknown). Default 15.</summary>
    public int Backup { get; init; } = 15;

    /// <summary>Points for configuration compliance (all lost when the configuration drifted). Default 15.</summary>
    public int ConfigCompliance { get; init; } = 15;

    /// <summary>Points one open critical alert costs, before the <see cref="Alerts"/> cap. Default 10.</summary>
    public int PointsPerCriticalAlert { get; init; } = 10;

    /// <summary>Points one open warning alert costs, before the <see cref="Alerts"/> cap. Default 2.</summary>
    public int PointsPerWarningAlert { get; init; } = 2;

    /// <summary>The default weights (30/20/20/15/15, 10 per critical and 2 per warning alert).</summary>
    public static HealthWeights Default { get; } = new();

    /// <summary>Sum of the five component weights; must be 100.</summary>
    public int Sum => DeviceAvailability + WifiQuality + Alerts + Backup + ConfigCompliance;

    /// <summary>
    /// Checks that every weight is at least 0 and that the five component weights add up to 100.
    /// Throws <see cref="InvalidHealthWeightsException"/> naming the sum and each weight otherwise.
    /// </summary>
    public HealthWeights Validate()
    {
        var parts = $"device availability {DeviceAvailability} + WiFi quality {WifiQuality} + alerts {Alerts} + backup {Backup} + config compliance {ConfigCompliance}";
        var negative = new List<string>();
        if (DeviceAvailability < 0) negative.Add($"device availability = {DeviceAvailability}");
        if (WifiQuality < 0) negative.Add($"WiFi quality = {WifiQuality}");
        if (Alerts < 0) negative.Add($"alerts = {Alerts}");
        if (Backup < 0) negative.Add($"backup = {Backup}");
        if (ConfigCompliance < 0) negative.Add($"config compliance = {ConfigCompliance}");
        if (PointsPerCriticalAlert < 0) negative.Add($"points per critical alert = {PointsPerCriticalAlert}");
        if (PointsPerWarningAlert < 0) negative.Add($"points per warning alert = {PointsPerWarningAlert}");
        if (negative.Count > 0)
            throw new InvalidHealthWeightsException(Sum,
                $"Health score weights must not be negative ({string.Join(", ", negative)}); the weights sum to {Sum} ({parts}). " +
                "Set each weight to 0 or more, with the five component weights adding up to 100.");
        if (Sum != 100)
            throw new InvalidHealthWeightsException(Sum,
                $"Health score weights must add up to 100, but they sum to {Sum} ({parts}). " +
                $"{(Sum > 100 ? "Lower" : "Raise")} them by {Math.Abs(Sum - 100)} in total.");
        return this;
    }

    public override string ToString()
        => $"{DeviceAvailability}/{WifiQuality}/{Alerts}/{Backup}/{ConfigCompliance}";
}

/// <summary>The health score weights are negative or do not add up to 100.</summary>
public sealed class InvalidHealthWeightsException : OberaConnectException
{
    public InvalidHealthWeightsException(int sum, string message)
        : base("InvalidHealthWeights", FailureKind.InvalidInput, message)
    {
        Sum = sum;
    }

    /// <summary>What the five component weights added up to.</summary>
    public int Sum { get; }
}
