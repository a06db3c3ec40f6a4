using System.Globalization;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Health;

namespace OberaConnect.Engine.Tests.Health;

/// <summary>The worked examples in about_OberaConnect_HealthScore.help.txt must be what the calculator computes.</summary>
public class HealthScoreDocumentationTests
{
    private sealed record Example(string Title, HealthInputs Inputs, HealthWeights Weights, Dictionary<HealthComponent, int> Lost, int Score, RiskLevel Risk);

    [Fact]
    public void Every_worked_example_in_the_help_topic_matches_the_calculator()
    {
        var examples = ReadExamples();
        Assert.True(examples.Count >= 6, $"expected the help topic to hold at least 6 worked examples, found {examples.Count}");
        foreach (var ex in examples)
        {
            var result = new HealthScoreCalculator(ex.Weights).Calculate(ex.Inputs);
            foreach (var (component, lost) in ex.Lost)
                Assert.True(lost == result.PointsLost(component),
                    $"{ex.Title}: the help says {component} loses {lost}, the calculator says {result.PointsLost(component)}");
            Assert.True(ex.Score == result.Score, $"{ex.Title}: the help says {ex.Score}, the calculator says {result.Score}");
            Assert.True(ex.Risk == result.RiskLevelValue, $"{ex.Title}: the help says {ex.Risk}, the calculator says {result.RiskLevel}");
        }
    }

    [Fact]
    public void The_help_topic_states_the_default_weights_and_thresholds_the_code_uses()
    {
        var text = File.ReadAllText(HelpPath());
        var w = HealthWeights.Default;
        Assert.Matches(new Regex($@"Device availability\s+{w.DeviceAvailability}\b"), text);
        Assert.Matches(new Regex($@"WiFi quality\s+{w.WifiQuality}\b"), text);
        Assert.Matches(new Regex($@"Alerts\s+{w.Alerts}\b"), text);
        Assert.Matches(new Regex($@"Backup\s+{w.Backup}\b"), text);
        Assert.Matches(new Regex($@"Config compliance\s+{w.ConfigCompliance}\b"), text);
        Assert.Contains($"{HealthScoreCalculator.LowRiskFrom}-100    Low", text);
        Assert.Contains($"{HealthScoreCalculator.MediumRiskFrom}-{HealthScoreCalculator.LowRiskFrom - 1}     Medium", text);
        Assert.Contains($"{HealthScoreCalculator.HighRiskFrom}-{HealthScoreCalculator.MediumRiskFrom - 1}     High", text);
        Assert.Contains($"{w.PointsPerCriticalAlert} per open critical alert + {w.PointsPerWarningAlert} per open warning alert", text);
    }

    private static List<Example> ReadExamples()
    {
        var lines = File.ReadAllLines(HelpPath());
        var examples = new List<Example>();
        string? title = null;
        Dictionary<string, string>? inputs = null, lost = null;
        HealthWeights? weights = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("Example ", StringComparison.Ordinal)) { title = line; inputs = null; lost = null; weights = null; continue; }
            if (title is null) continue;
            if (line.StartsWith("Inputs:", StringComparison.Ordinal)) inputs = Pairs(line.Substring(7));
            else if (line.StartsWith("Weights:", StringComparison.Ordinal))
            {
                var parts = line.Substring(8).Trim().Split('/').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                weights = new HealthWeights { DeviceAvailability = parts[0], WifiQuality = parts[1], Alerts = parts[2], Backup = parts[3], ConfigCompliance = parts[4] };
            }
            else if (line.StartsWith("Points lost:", StringComparison.Ordinal)) lost = Pairs(line.Substring(12));
            else if (line.StartsWith("Score:", StringComparison.Ordinal))
            {
                var m = Regex.Match(line, @"Score:\s+(\d+)\s+\((\w+)\)");
                Assert.True(m.Success, $"{title}: cannot read '{line}'");
                Assert.True(inputs != null && lost != null && weights != null, $"{title}: Inputs, Weights and Points lost must come before Score");
                examples.Add(new Example(title, new HealthInputs
                {
                    DevicesOnline = Int(inputs!, "DevicesOnline"),
                    DevicesTotal = Int(inputs!, "DevicesTotal"),
                    WifiClients = Int(inputs!, "WifiClients"),
                    WeakSignalClients = Int(inputs!, "WeakSignalClients"),
                    CriticalAlerts = Int(inputs!, "CriticalAlerts"),
                    WarningAlerts = Int(inputs!, "WarningAlerts"),
                    Backup = Enum.Parse<BackupStatus>(inputs!["Backup"]),
                    ConfigDrift = bool.Parse(inputs!["ConfigDrift"]),
                }, weights!, lost!.ToDictionary(kv => Enum.Parse<HealthComponent>(kv.Key), kv => int.Parse(kv.Value, CultureInfo.InvariantCulture)),
                    int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Enum.Parse<RiskLevel>(m.Groups[2].Value)));
                title = null;
            }
        }
        return examples;
    }

    private static Dictionary<string, string> Pairs(string text)
        => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static int Int(Dictionary<string, string> d, string key) => int.Parse(d[key], CultureInfo.InvariantCulture);

    internal static string HelpPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "module", "en-US", "about_OberaConnect_HealthScore.help.txt");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("module/en-US/about_OberaConnect_HealthScore.help.txt not found above " + AppContext.BaseDirectory);
    }
}
