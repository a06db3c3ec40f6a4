using System.Globalization;
using OberaConnect.Engine.Sources.Sample;

namespace OberaConnect.Fakes.Sources;

/// <summary>
/// What the UniFi and NinjaOne standalone runners share: the Sample they serve and waiting for Ctrl+C.
/// Both serve the same Sample for the same --sites, --day and --seed, so a configuration pointing at the two
/// gives the merged view of <c>Get-CustomerSite -Source Sample -SiteCount n -Day d</c>.
/// </summary>
internal sealed class SourceStandalone
{
    public const string SampleUsage = """
          --sites <n>        customer sites in the Sample served (default 98)
          --day <n>          day of the Sample simulation (default 0)
          --seed <n>         Sample seed (default the Sample's own)
          --sample-dates     keep the Sample's own dates (January 2026) instead of moving them to now
        """;

    public int Sites { get; private set; } = 98;
    public int Day { get; private set; }
    public int? Seed { get; private set; }
    public bool SampleDates { get; private set; }

    /// <summary>Reads a Sample option at <paramref name="i"/>; false when the argument is not one.</summary>
    public bool TryRead(string[] args, ref int i)
    {
        string Next(ref int at) => at + 1 < args.Length ? args[++at] : throw new ArgumentException($"{args[at]} needs a value.");
        switch (args[i])
        {
            case "--sites": Sites = int.Parse(Next(ref i), CultureInfo.InvariantCulture); return true;
            case "--day": Day = int.Parse(Next(ref i), CultureInfo.InvariantCulture); return true;
            case "--seed": Seed = int.Parse(Next(ref i), CultureInfo.InvariantCulture); return true;
            case "--sample-dates": SampleDates = true; return true;
            default: return false;
        }
    }

    /// <summary>A value of at least 1, or an error naming the option.</summary>
    public static int PositiveInt(string text, string option)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value >= 1 ? value : throw new ArgumentException($"{option} must be at least 1 (got {value}).");
    }

    /// <summary>
    /// The Sample to serve. Its dates are moved so that the data describes this hour, because clients judge backup
    /// age against the real clock: with the Sample's own dates every backup would look months old.
    /// </summary>
    public SampleDataSet Generate(TimeProvider? time = null)
    {
        var options = new SampleOptions { SiteCount = Sites, Day = Day };
        if (Seed is { } seed) options.Seed = seed;
        if (!SampleDates)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            options.StartDate = hour.AddDays(-Day);
        }
        return SampleSource.Generate(options);
    }

    public string Describe(SampleDataSet data)
        => $"{data.Options.SiteCount} customer sites (Sample day {data.Options.Day}, as of {data.AsOf.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";

    /// <summary>Waits for Ctrl+C (the token), then returns 0.</summary>
    public static async Task<int> RunUntilStoppedAsync(TextWriter output, Func<string> requestSummary, CancellationToken cancellationToken)
    {
        output.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        output.WriteLine(requestSummary());
        return 0;
    }
}
