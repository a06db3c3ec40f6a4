namespace OberaConnect.Engine.Sources.Sample;

/// <summary>
/// Shape of the Sample data. The defaults reproduce the production estate the Python predecessor
/// served: 98 sites, 496 UniFi devices, 323 NinjaOne devices. Counts scale with <see cref="SiteCount"/>.
/// </summary>
public sealed class SampleOptions
{
    /// <summary>Same seed, same data, on every machine.</summary>
    public int Seed { get; set; } = 20260105;

    /// <summary>Number of customer sites (98 like production; 500 for the capacity benchmark).</summary>
    public int SiteCount { get; set; } = 98;

    /// <summary>
    /// Day of the simulation (0, 1, 2, ...). Each day about <see cref="DailyChangeRate"/> of the sites
    /// change (devices going offline, alerts, backups, clients, drift); the others stay exactly as they were.
    /// </summary>
    public int Day { get; set; }

    /// <summary>Share of sites whose state changes from one day to the next. Default 0.10.</summary>
    public double DailyChangeRate { get; set; } = 0.10;

    /// <summary>The moment of day 0; day d is this plus d days.</summary>
    public DateTimeOffset StartDate { get; set; } = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    /// <summary>UniFi devices in total; default 496 × SiteCount / 98.</summary>
    public int? UniFiDeviceCount { get; set; }

    /// <summary>NinjaOne devices in total; default 323 × SiteCount / 98.</summary>
    public int? NinjaOneDeviceCount { get; set; }

    /// <summary>Sites whose NinjaOne organization is named unlike the UniFi site; default 3 × SiteCount / 98 (at least 1).</summary>
    public int? MismatchedNames { get; set; }

    /// <summary>The moment the data describes: <see cref="StartDate"/> plus <see cref="Day"/> days.</summary>
    public DateTimeOffset AsOf => StartDate.AddDays(Day);

    internal int EffectiveUniFiDevices => UniFiDeviceCount ?? (int)Math.Round(496.0 * SiteCount / 98.0);
    internal int EffectiveNinjaOneDevices => NinjaOneDeviceCount ?? (int)Math.Round(323.0 * SiteCount / 98.0);
    internal int EffectiveMismatches => Math.Min(SiteCount, MismatchedNames ?? Math.Max(1, (int)Math.Round(3.0 * SiteCount / 98.0)));

    /// <summary>A copy with another day.</summary>
    public SampleOptions WithDay(int day)
    {
        var copy = (SampleOptions)MemberwiseClone();
        copy.Day = day;
        return copy;
    }

    internal void Validate()
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new OberaConnectException("InvalidSampleSetting", FailureKind.InvalidInput, "Sample: " + what);
        }
        Require(SiteCount >= 1 && SiteCount <= 5000, $"SiteCount must be between 1 and 5000 (got {SiteCount}).");
        Require(Day >= 0 && Day <= 100000, $"Day must be between 0 and 100000 (got {Day}).");
        Require(DailyChangeRate >= 0 && DailyChangeRate <= 1, $"DailyChangeRate must be between 0 and 1 (got {DailyChangeRate}).");
        Require(EffectiveUniFiDevices >= SiteCount, $"UniFiDeviceCount must be at least SiteCount (every site has a gateway); got {EffectiveUniFiDevices}.");
        Require(EffectiveNinjaOneDevices >= SiteCount, $"NinjaOneDeviceCount must be at least SiteCount; got {EffectiveNinjaOneDevices}.");
        Require(EffectiveMismatches >= 0, "MismatchedNames must not be negative.");
    }
}
