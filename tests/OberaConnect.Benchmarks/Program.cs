// Sync throughput against the Notion fake at Notion's real limit (3 requests/s, burst 10, real time):
//
//   dotnet run -c Release --project tests/OberaConnect.Benchmarks -- [--sites 98,500] [--json path] [--quick] [--dedupe-pages 5000]
//
// For each site count it measures, with the Sample source: the first sync of Customer Sites, a steady-state
// re-sync (nothing changed), a re-sync with about 10% of the sites changed (Sample day 1) and the day's
// Daily Health snapshot; then a dedupe over 5,000 pages (read, group by key, trash the older duplicates).
// Each scenario runs twice: the engine (the cmdlets' path: SyncDriver over one index read, only differing
// properties written, paced to 3 requests/s with 3 writes in flight) and the predecessor's strategy from
// seed 000 (per record: query by key, then create or update every property, a fixed 0.35 s pause after each
// write, no pacing and no retry, so a 429 fails the record). Requests and 429s are counted by the fake.
// Then the scenarios of many writers and of scale, in real processes (copies of this program, --worker):
// 2 and 4 processes on one machine writing the day's Daily Health for the same --concurrency-sites sites (98),
// 2 processes with separate state directories ("two machines") doing the same, and a Customer Sites sync of
// --scale-sites sites (5000; seeded untimed) in steady state and with about 10% changed (requests, wall, CPU, peak memory).
// Then cost follows the input (keyread): 1 and 10 sites piped into Sync-CustomerStatus against Customer Sites of
// --key-read-pages pages (98,500,5000; seeded untimed), with the index read the cmdlet chooses and with every page read,
// and 1 new site (its filter finds nothing, so every page is read before it is created).
// --scenarios picks some of sites,dedupe,concurrency,machines,scale,keyread (default all); --processes sets the counts (2,4).
// The tables go to the console, the same numbers to --json (default out/benchmark.json).
// --quick: 98 sites only. Takes about 7 minutes with --quick and 40 minutes for 98 and 500 sites, plus about
// 20 minutes for the multi-process and scale scenarios.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Benchmarks;

// A copy of this program started by the multi-process scenarios runs one job and exits.
if (args.Length > 1 && args[0] == "--worker") return await Worker.RunAsync(args);

var options = BenchmarkOptions.Parse(args);
if (options is null) return 2;

var benchmark = new SyncBenchmark(options);
await benchmark.RunAsync();
benchmark.Print(Console.Out);
var json = benchmark.ToJson();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.JsonPath))!);
File.WriteAllText(options.JsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written to {Path.GetFullPath(options.JsonPath)}");
return 0;

namespace OberaConnect.Benchmarks
{
    internal sealed class BenchmarkOptions
    {
        public IReadOnlyList<int> Sites { get; private set; } = new[] { 98, 500 };
        public string JsonPath { get; private set; } = Path.Combine("out", "benchmark.json");
        public int DedupePages { get; private set; } = 5000;
        public int DedupeGroups { get; private set; } = 100;
        public bool Quick { get; private set; }
        public IReadOnlyList<int> Processes { get; private set; } = new[] { 2, 4 };
        public int ConcurrencySites { get; private set; } = 98;
        public int ScaleSites { get; private set; } = 5000;
        public IReadOnlyList<int> KeyReadPages { get; private set; } = new[] { 98, 500, 5000 };
        public ISet<string> Scenarios { get; private set; } = new HashSet<string>(AllScenarios, StringComparer.OrdinalIgnoreCase);

        public static readonly string[] AllScenarios = { "sites", "dedupe", "concurrency", "machines", "scale", "keyread" };

        public bool Runs(string scenario) => Scenarios.Contains(scenario);

        public static BenchmarkOptions? Parse(string[] args)
        {
            var o = new BenchmarkOptions();
            var sitesGiven = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--sites":
                        o.Sites = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        sitesGiven = true;
                        break;
                    case "--json": o.JsonPath = Next(); break;
                    case "--dedupe-pages": o.DedupePages = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--quick": o.Quick = true; break;
                    case "--processes":
                        o.Processes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        break;
                    case "--concurrency-sites": o.ConcurrencySites = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--scale-sites": o.ScaleSites = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--key-read-pages":
                        o.KeyReadPages = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        break;
                    case "--scenarios":
                        o.Scenarios = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                        if (o.Scenarios.Except(AllScenarios, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } unknown)
                        {
                            Console.Error.WriteLine($"Unknown scenario '{unknown}': choose from {string.Join(",", AllScenarios)}.");
                            return null;
                        }
                        break;
                    case "--help" or "-h":
                        Console.WriteLine("dotnet run -c Release --project tests/OberaConnect.Benchmarks -- [--sites 98,500] [--json out/benchmark.json] [--quick] [--dedupe-pages 5000] " +
                                          "[--scenarios sites,dedupe,concurrency,machines,scale,keyread] [--processes 2,4] [--concurrency-sites 98] [--scale-sites 5000] [--key-read-pages 98,500,5000]");
                        return null;
                    default:
                        Console.Error.WriteLine($"Unknown option {args[i]}; see --help.");
                        return null;
                }
            }
            if (o.Quick && !sitesGiven) o.Sites = new[] { 98 };
            if (o.Sites.Count == 0 || o.Sites.Any(n => n < 1 || n > 5000)) { Console.Error.WriteLine("--sites takes counts between 1 and 5000."); return null; }
            if (o.Processes.Count == 0 || o.Processes.Any(n => n < 1 || n > 16)) { Console.Error.WriteLine("--processes takes counts between 1 and 16."); return null; }
            if (o.KeyReadPages.Count == 0 || o.KeyReadPages.Any(n => n < 10 || n > 25000)) { Console.Error.WriteLine("--key-read-pages takes counts between 10 and 25000."); return null; }
            if (o.ConcurrencySites < 1 || o.ScaleSites < 1 || o.ScaleSites > 25000) { Console.Error.WriteLine("--concurrency-sites must be at least 1 and --scale-sites between 1 and 25000."); return null; }
            o.DedupeGroups = Math.Max(1, o.DedupePages / 50);
            return o;
        }
    }

    /// <summary>One scenario run by one strategy.</summary>
    internal sealed record Measurement(string Scenario, int SiteCount, string Strategy, int Records, long Requests, long RateLimited, int Failed, double Seconds)
    {
        public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;
    }

    /// <summary>A target of the brief, checked against the measurements.</summary>
    internal sealed record TargetCheck(string Target, string Measured, bool Met);

    /// <summary>The system clock, but not TimeProvider.System: each client gets a pacer of its own.</summary>
    internal sealed class RealTime : TimeProvider
    {
    }
}
