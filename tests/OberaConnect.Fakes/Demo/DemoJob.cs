using System.Diagnostics;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Fakes.Demo;

/// <summary>
/// The main job, end to end, for machines without PowerShell: the same engine calls the cmdlets make,
/// against the Notion fake (enforcing Notion's 3 requests/s) with the Sample source.
///   dotnet run -c Release --project tests/OberaConnect.Fakes -- --service demo [--sites 98] [--no-rate-limit]
/// Steps: initialize the workspace, sync customer status, add today's snapshots, write a config change,
/// rerun the customer sync (nothing to write), find duplicates; prints a table per step.
/// </summary>
public static class DemoJob
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var siteCount = 98;
        var rateLimit = true;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--sites" && i + 1 < args.Length) siteCount = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--no-rate-limit") rateLimit = false;
        }
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { RateLimitPerSecond = rateLimit ? NotionFakeOptions.NotionRateLimitPerSecond : null });
        var work = Path.Combine(Path.GetTempPath(), "oberaconnect-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var configPath = Path.Combine(work, "config.json");
        File.WriteAllText(configPath, $$"""
            { "notion": { "baseUrl": "{{fake.BaseUrl}}" },
              "paths": { "logDirectory": "{{Json(work, "logs")}}", "auditDirectory": "{{Json(work, "audit")}}",
                         "journalDirectory": "{{Json(work, "journal")}}", "stateDirectory": "{{Json(work, "state")}}" } }
            """);
        var log = new CallbackEngineOutput(_ => { }, m => output.WriteLine("WARNING: " + m), _ => { });
        output.WriteLine($"Notion fake at {fake.BaseUrl} ({(rateLimit ? "3 requests/s like Notion" : "no rate limit")}); Sample source, {siteCount} sites; working folder {work}");
        try
        {
            var options = new ConnectionOptions { ConfigPath = configPath, NotionToken = fake.Token };

            // 1. Initialize the workspace (idempotent) and save the ids.
            var watch = Stopwatch.StartNew();
            using (var connection = OberaConnectConnection.Open(options, log))
            {
                var notion = await connection.VerifyNotionAsync(cancellationToken);
                output.WriteLine($"Connected as {notion.Name ?? notion.Id}.");
                var client = await connection.GetNotionAsync(cancellationToken);
                var plan = await WorkspaceSetup.PlanAsync(client, WorkspaceDefinition.Standard, fake.RootPageId, connection.Configuration.Databases, log, cancellationToken);
                foreach (var entry in plan.Databases.Where(d => d.StateValue == WorkspaceDatabaseState.ToCreate).ToList())
                    await WorkspaceSetup.CreateAsync(client, WorkspaceDefinition.Standard, plan, entry, cancellationToken);
                ConfigurationFile.SaveDatabaseIds(configPath, plan.ExistingIds());
                output.WriteLine();
                output.WriteLine("Initialize-OberaNotionWorkspace");
                foreach (var d in plan.Databases) output.WriteLine($"  {d.Title,-18} {d.State,-10} {d.DataSourceId}");
                output.WriteLine($"  {watch.Elapsed.TotalSeconds:0.0} s");
            }

            using var conn = OberaConnectConnection.Open(options, log);
            var sites = (await SyncSources.SitesAsync(conn, "Sample", null, cancellationToken)).Take(siteCount).ToList();

            // 2. Customer status, 3. daily snapshots, 4. a config change.
            var scoring = CustomerStatusRecords.For(conn);
            var customer = await SyncAsync(conn, "Sync-CustomerStatus", DatabaseKey.CustomerSites, null, sites.Select(scoring.Build), log, output, cancellationToken);
            var index = await SiteRelationIndex.OpenAsync(conn, cancellationToken);
            var today = DailyHealthRecords.Today();
            var daily = new DailyHealthRecords(index, today, scoring);
            await SyncAsync(conn, "Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(today), sites.Select(daily.Build), log, output, cancellationToken);
            var changes = new ConfigChangeRecords(index);
            var change = new ConfigChangeInput { Site = sites[0].SiteName, Tool = "demo", Action = "Set VLAN 20 on the core switch", Engineer = Environment.UserName, Details = "Written by the demo job." };
            await SyncAsync(conn, "Write-ConfigChange", DatabaseKey.ConfigChanges, null, new[] { changes.Build(change) }, log, output, cancellationToken);

            // 5. The same customer sync again: the index read only.
            await SyncAsync(conn, "Sync-CustomerStatus (rerun)", DatabaseKey.CustomerSites, null, sites.Select(scoring.Build), log, output, cancellationToken);

            // 6. Duplicates: pages sharing a Site Name.
            var duplicates = customer.Session.DuplicateKeys.Count;
            output.WriteLine();
            output.WriteLine($"Get-NotionDuplicate -Database CustomerSites: {duplicates} duplicated key(s).");
            output.WriteLine();
            output.WriteLine($"Requests the fake answered: {fake.Requests.Total}, rate-limited: {fake.Requests.RateLimited}.");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private static async Task<SyncDriver> SyncAsync(OberaConnectConnection connection, string operation, DatabaseKey database,
        Engine.Notion.NotionFilter? scope, IEnumerable<DesiredRecord> records, IEngineOutput log, TextWriter output, CancellationToken cancellationToken)
    {
        var driver = await SyncDriver.OpenAsync(connection, operation, database, scope, Guid.NewGuid().ToString("N").Substring(0, 12), log, cancellationToken);
        foreach (var record in records)
        {
            var plan = driver.Session.Plan(record);
            if (plan.Kind == PlanKind.Done) driver.Track(plan.Done!);
            else driver.Session.Submit(plan, cancellationToken);
        }
        await driver.DrainAsync(_ => { }, cancellationToken);
        var summary = await driver.FinishAsync(cancellationToken);
        output.WriteLine();
        output.WriteLine(operation);
        foreach (var group in driver.Results.GroupBy(r => r.Status).OrderBy(g => g.Key))
            output.WriteLine($"  {group.Key,-10} {group.Count(),5}");
        foreach (var failed in driver.Results.Where(r => r.Status == nameof(SyncStatus.Failed)).Take(5))
            output.WriteLine($"  failed: {failed.Key}: {failed.Error}");
        output.WriteLine($"  {summary.Requests} request(s), {summary.RateLimited} rate-limited, {summary.DurationMs / 1000.0:0.0} s" +
                         (summary.DurationMs > 0 ? $", {summary.Requests * 1000.0 / summary.DurationMs:0.00} requests/s" : ""));
        return driver;
    }

    private static string Json(string folder, string name) => Path.Combine(folder, name).Replace("\\", "\\\\");
}
