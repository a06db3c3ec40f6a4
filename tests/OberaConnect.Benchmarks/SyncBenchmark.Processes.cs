using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Benchmarks;

/// <summary>One multi-process or large scenario: what the processes reported together, and what the fake holds after.</summary>
internal sealed record ProcessMeasurement(string Scenario, int Sites, int Processes, int Records, int Created, int Failed, long Requests, long RateLimited,
    int Duplicates, int Trashed, double Seconds, double CpuSeconds, double PeakWorkingSetMB)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;
}

/// <summary>
/// The scenarios of many writers and of scale, in real processes (copies of this program in --worker mode, see <see cref="Worker"/>):
/// <list type="bullet">
/// <item>concurrency: 2 and 4 processes on one machine (one state directory) writing the day's Daily Health for the same sites;</item>
/// <item>two machines: 2 processes with separate state directories (no shared lock, ledger or request budget) doing the same;</item>
/// <item>scale: a Customer Sites sync of 5,000 sites in steady state and with the Sample's day-1 changes (about 10%), one process.</item>
/// </list>
/// The fake enforces Notion's 3 requests/s (burst 10) throughout. What the runs need beforehand (Customer Sites for the snapshot,
/// the 5,000 pages of the scale stage) is written untimed by the engine with the fake's limit lifted: a first sync of 5,000 sites
/// at 3 requests/s alone takes about half an hour.
/// </summary>
internal sealed partial class SyncBenchmark
{
    private readonly List<ProcessMeasurement> _processResults = new();

    private async Task RunConcurrencyAsync(int processes, int sites)
    {
        var workspace = await SeededWorkspaceAsync(sites, $"concurrency-{processes}");
        var config = WriteConfig(workspace, $"concurrency-{processes}");
        await MeasureProcessesAsync($"{processes} processes, one machine", sites, Enumerable.Repeat(config, processes).ToList(), "snapshot", workspace);
    }

    private async Task RunTwoMachinesAsync(int sites)
    {
        var workspace = await SeededWorkspaceAsync(sites, "machines");
        var configs = new[] { WriteConfig(workspace, "machine-a"), WriteConfig(workspace, "machine-b") };
        await MeasureProcessesAsync("2 processes, two lock directories", sites, configs, "snapshot", workspace);
    }

    private async Task RunScaleAsync(int sites)
    {
        var workspace = await SeededWorkspaceAsync(sites, "scale");
        var config = WriteConfig(workspace, "scale");
        var day0 = await SampleSitesAsync(sites, 0);
        var day1 = await SampleSitesAsync(sites, 1);
        Log($"scale: {sites} sites seeded untimed; day 1 differs in {day0.Zip(day1).Count(p => !SameSite(p.First, p.Second))} site(s).");
        await MeasureProcessesAsync("steady-state re-sync", sites, new[] { config }, "sites", workspace, day: 0);
        await MeasureProcessesAsync("10% changed (day +1)", sites, new[] { config }, "sites", workspace, day: 1);
    }

    /// <summary>A new standard workspace whose Customer Sites holds the Sample's <paramref name="sites"/> sites (day 0), written untimed.</summary>
    private async Task<IReadOnlyDictionary<DatabaseKey, SeededDatabase>> SeededWorkspaceAsync(int sites, string name)
    {
        var workspace = NotionWorkspaceSeed.CreateStandardWorkspace(_fake.State);
        var json = NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, workspace, Path.Combine(_directory, name + "-seed"));
        var inputs = await SampleSitesAsync(sites, 0);
        _fake.SetRateLimit(null);
        try
        {
            var configuration = ConfigurationFile.Parse(json, Path.Combine(_directory, "config.json"));
            configuration.Notion.RequestsPerSecond = 1000;
            configuration.Notion.Burst = 100;
            using var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { NotionToken = _fake.Token, Time = new RealTime() });
            var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", DatabaseKey.CustomerSites, null, "seed", NullEngineOutput.Instance, CancellationToken.None);
            var records = CustomerStatusRecords.For(connection);
            var summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
            if (summary.Created != inputs.Count) throw new InvalidOperationException($"Seeding {name} created {summary.Created} of {inputs.Count} sites.");
        }
        finally
        {
            _fake.SetRateLimit(NotionFakeOptions.NotionRateLimitPerSecond, NotionFakeOptions.DefaultBurst);
        }
        return workspace;
    }

    /// <summary>A configuration file as a machine's job would have it: the workspace, and a state directory of this machine's own.</summary>
    private string WriteConfig(IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace, string machine)
    {
        var folder = Path.Combine(_directory, machine);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, workspace, folder));
        return path;
    }

    private async Task MeasureProcessesAsync(string scenario, int sites, IReadOnlyList<string> configs, string job,
        IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace, int day = 0)
    {
        var workers = configs.Select(c => StartWorker(job, c, sites, day)).ToList();
        // Read from the start, so a worker that writes much to standard error never blocks on a full pipe.
        var errors = workers.Select(w => w.StandardError.ReadToEndAsync()).ToList();
        try
        {
            foreach (var w in workers)
            {
                var line = await w.StandardOutput.ReadLineAsync();
                if (line != "ready") throw new InvalidOperationException($"A worker did not start: {line}\n{await errors[workers.IndexOf(w)]}");
            }
            await Task.Delay(Refill);
            _fake.Requests.Reset();
            var watch = Stopwatch.StartNew();
            foreach (var w in workers) await w.StandardInput.WriteLineAsync("go");
            var reports = new List<JsonObject>();
            foreach (var w in workers)
            {
                var line = await w.StandardOutput.ReadLineAsync();
                await w.WaitForExitAsync();
                if (w.ExitCode != 0 || line is null || JsonNode.Parse(line) is not JsonObject report)
                    throw new InvalidOperationException($"A worker failed (exit {w.ExitCode}): {line}\n{await errors[workers.IndexOf(w)]}");
                reports.Add(report);
            }
            watch.Stop();

            var database = job == "snapshot" ? DatabaseKey.DailyHealth : DatabaseKey.CustomerSites;
            var property = job == "snapshot" ? "Snapshot Key" : "Site Name";
            var dataSource = workspace[database].DataSourceId;
            var keys = _fake.State.PageIds(dataSource).Select(id => _fake.State.GetPropertyText(id, property) ?? "").ToList();
            var duplicates = keys.Count - keys.Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var trashed = _fake.State.CountPages(dataSource, includeTrashed: true) - _fake.State.CountPages(dataSource);
            int Sum(string name) => reports.Sum(r => (int)r[name]!);
            var seconds = workers.Count == 1 ? (double)reports[0]["seconds"]! : watch.Elapsed.TotalSeconds;
            var m = new ProcessMeasurement(scenario, sites, workers.Count, Sum("created") + Sum("updated") + Sum("unchanged") + Sum("skipped") + Sum("failed"),
                Sum("created"), Sum("failed"), _fake.Requests.Total, _fake.Requests.RateLimited, duplicates, trashed, seconds,
                reports.Sum(r => (double)r["cpuSeconds"]!), reports.Max(r => (double)r["peakWorkingSetMB"]!));
            _processResults.Add(m);
            Log($"  {scenario,-36} {m.Processes} proc {m.Records,6} records {m.Created,5} created {m.Requests,6} requests {m.RateLimited,4} x429 {m.Failed,3} failed " +
                $"{m.Duplicates,3} dup {m.Trashed,4} trashed {m.Seconds,7:0.0} s {m.RequestsPerSecond,5:0.00} req/s cpu {m.CpuSeconds:0.0} s peak {m.PeakWorkingSetMB:0} MB");
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.HasExited) w.Kill(entireProcessTree: true);
                w.Dispose();
            }
        }
    }

    private Process StartWorker(string job, string config, int sites, int day)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { typeof(Worker).Assembly.Location, "--worker", job, "--config", config, "--sites", sites.ToString(CultureInfo.InvariantCulture),
                     "--day", day.ToString(CultureInfo.InvariantCulture), "--date", SnapshotDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        // The token reaches the worker as a job's would: in the environment, never on its command line.
        info.Environment["OBERACONNECT_NOTION_TOKEN"] = _fake.Token;
        info.Environment.Remove("OBERACONNECT_CONFIG");
        return Process.Start(info) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    private void AddProcessTargets(List<TargetCheck> checks)
    {
        foreach (var m in _processResults)
        {
            var name = $"{m.Scenario} ({m.Sites} sites)";
            if (m.Scenario.Contains("one machine", StringComparison.Ordinal))
            {
                checks.Add(new($"{name}: 0 duplicates", $"{m.Duplicates}", m.Duplicates == 0));
                checks.Add(new($"{name}: 0 429s", $"{m.RateLimited}", m.RateLimited == 0));
                checks.Add(new($"{name}: 0 failed", $"{m.Failed}", m.Failed == 0));
                checks.Add(new($"{name}: combined >= 2.7 requests/s", m.RequestsPerSecond.ToString("0.00", CultureInfo.InvariantCulture), m.RequestsPerSecond >= 2.7));
                checks.Add(new($"{name}: one Created per record across the processes", $"{m.Created} of {m.Records / m.Processes}", m.Created == m.Records / m.Processes));
            }
            else if (m.Scenario.Contains("two lock directories", StringComparison.Ordinal))
            {
                checks.Add(new($"{name}: 0 duplicates after the run", $"{m.Duplicates}", m.Duplicates == 0));
                checks.Add(new($"{name}: 0 failed", $"{m.Failed}", m.Failed == 0));
            }
            else
            {
                // ceil(N/100) for the index read; with the day-1 changes, one update per changed site (about 10%: N/10).
                var pages = (m.Records + 99) / 100;
                var limit = m.Scenario.StartsWith("steady", StringComparison.Ordinal) ? pages : pages + m.Sites / 10;
                checks.Add(new($"{name}: <= {limit} requests", $"{m.Requests}", m.Requests <= limit));
                checks.Add(new($"{name}: peak working set < 300 MB", m.PeakWorkingSetMB.ToString("0", CultureInfo.InvariantCulture) + " MB", m.PeakWorkingSetMB < 300));
                var share = m.Seconds > 0 ? m.CpuSeconds / m.Seconds : 0;
                checks.Add(new($"{name}: engine CPU < 10% of wall", share.ToString("0.0%", CultureInfo.InvariantCulture), share < 0.10));
            }
        }
    }

    private void PrintProcesses(TextWriter o)
    {
        if (_processResults.Count == 0) return;
        o.WriteLine();
        o.WriteLine("Real processes (copies of this program in --worker mode), each connected as the cmdlets connect; the fake at 3 requests/s, burst 10.");
        o.WriteLine("Requests and 429s as the fake counted them; wall from the common start to the last exit (one process: its run); CPU summed over the processes.");
        o.WriteLine();
        o.WriteLine($"| {"Scenario",-36} | {"Sites",5} | {"Proc",4} | {"Records",7} | {"Created",7} | {"Failed",6} | {"Requests",8} | {"429s",5} | {"Dup after",9} | {"Trashed",7} | {"Wall s",7} | {"Req/s",6} | {"CPU s",6} | {"Peak MB",7} |");
        o.WriteLine($"|{new string('-', 38)}|{new string('-', 7)}|{new string('-', 6)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 8)}|{new string('-', 10)}|{new string('-', 7)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 8)}|{new string('-', 8)}|{new string('-', 9)}|");
        foreach (var m in _processResults)
            o.WriteLine($"| {m.Scenario,-36} | {m.Sites,5} | {m.Processes,4} | {m.Records,7} | {m.Created,7} | {m.Failed,6} | {m.Requests,8} | {m.RateLimited,5} | {m.Duplicates,9} | {m.Trashed,7} | {m.Seconds,7:0.0} | {m.RequestsPerSecond,6:0.00} | {m.CpuSeconds,6:0.0} | {m.PeakWorkingSetMB,7:0} |");
    }

    private JsonArray ProcessesJson()
    {
        var list = new JsonArray();
        foreach (var m in _processResults)
        {
            list.Add(new JsonObject
            {
                ["scenario"] = m.Scenario,
                ["sites"] = m.Sites,
                ["processes"] = m.Processes,
                ["records"] = m.Records,
                ["created"] = m.Created,
                ["failed"] = m.Failed,
                ["requests"] = m.Requests,
                ["rateLimited"] = m.RateLimited,
                ["duplicatesAfter"] = m.Duplicates,
                ["trashed"] = m.Trashed,
                ["seconds"] = Math.Round(m.Seconds, 3),
                ["requestsPerSecond"] = Math.Round(m.RequestsPerSecond, 3),
                ["cpuSeconds"] = Math.Round(m.CpuSeconds, 3),
                ["peakWorkingSetMB"] = Math.Round(m.PeakWorkingSetMB, 1),
            });
        }
        return list;
    }
}
