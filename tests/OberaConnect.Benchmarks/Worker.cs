using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Benchmarks;

/// <summary>
/// One job in a process of its own, as a scheduled task runs one (the benchmark starts several):
/// <c>dotnet OberaConnect.Benchmarks.dll --worker snapshot|sites --config path --sites N [--day D] [--date yyyy-MM-dd]</c>,
/// the Notion token in OBERACONNECT_NOTION_TOKEN. It connects as the cmdlets do (system clock, so the request budget and the
/// write lock are shared through the configuration's state directory), builds its records from the Sample source, prints
/// "ready", waits for a line on standard input (so every process starts at once), runs, and prints one JSON line: its counts,
/// the requests it sent, its wall and CPU time for the run and its peak working set.
/// </summary>
internal static class Worker
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--worker needs {name}.");
        }
        var job = args[1];
        var config = Arg("--config");
        var sites = int.Parse(Arg("--sites"), CultureInfo.InvariantCulture);
        var day = int.Parse(Arg("--day", "0"), CultureInfo.InvariantCulture);
        var date = DateTime.ParseExact(Arg("--date", "2026-01-05"), "yyyy-MM-dd", CultureInfo.InvariantCulture);

        using var connection = OberaConnectConnection.Open(new ConnectionOptions { ConfigPath = config });
        var source = await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Sample, new SampleOptions { SiteCount = sites, Day = day }, CancellationToken.None);
        var inputs = (await source.GetSnapshotAsync(CancellationToken.None)).Sites.Select(CustomerStatusInput.FromSite).ToList();
        // Loaded and connected before the start: process start-up is not part of the run.
        await connection.GetNotionAsync(CancellationToken.None);
        Console.WriteLine("ready");
        Console.Out.Flush();
        _ = Console.ReadLine();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var correlation = "bench-" + Environment.ProcessId;
        SyncSummary summary;
        if (job == "snapshot")
        {
            var index = await SiteRelationIndex.OpenAsync(connection, CancellationToken.None);
            var driver = await SyncDriver.OpenAsync(connection, "Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(date), correlation,
                NullEngineOutput.Instance, CancellationToken.None);
            var records = new DailyHealthRecords(index, date, CustomerStatusRecords.For(connection));
            summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
        }
        else if (job == "sites")
        {
            var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", DatabaseKey.CustomerSites, null, correlation, NullEngineOutput.Instance, CancellationToken.None);
            var records = CustomerStatusRecords.For(connection);
            summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
        }
        else
        {
            throw new ArgumentException($"Unknown worker job '{job}' (snapshot or sites).");
        }
        watch.Stop();
        process.Refresh();
        var result = new JsonObject
        {
            ["process"] = Environment.ProcessId,
            ["created"] = summary.Created,
            ["updated"] = summary.Updated,
            ["unchanged"] = summary.Unchanged,
            ["skipped"] = summary.Skipped,
            ["failed"] = summary.Failed,
            ["requests"] = summary.Requests,
            ["rateLimited"] = summary.RateLimited,
            ["startedAt"] = started.ToString("o", CultureInfo.InvariantCulture),
            ["seconds"] = watch.Elapsed.TotalSeconds,
            ["cpuSeconds"] = (process.TotalProcessorTime - cpuBefore).TotalSeconds,
            ["peakWorkingSetMB"] = process.PeakWorkingSet64 / (1024.0 * 1024.0),
        };
        Console.WriteLine(result.ToJsonString());
        return 0;
    }
}
