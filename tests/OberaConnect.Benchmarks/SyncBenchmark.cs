using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sources.Sample;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Benchmarks;

/// <summary>Runs every scenario for both strategies against one rate-limited fake and keeps the numbers.</summary>
internal sealed partial class SyncBenchmark
{
    private const string Engine = "engine";
    private const string Predecessor = "predecessor";
    private static readonly DateTime SnapshotDate = new(2026, 1, 5);
    private static readonly TimeSpan Refill = TimeSpan.FromSeconds(4); // the fake's bucket (10 at 3/s) is full again

    private readonly BenchmarkOptions _options;
    private readonly List<Measurement> _results = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oc-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
    private NotionFake _fake = null!;

    public SyncBenchmark(BenchmarkOptions options) => _options = options;

    public IReadOnlyList<Measurement> Results => _results;

    public async Task RunAsync()
    {
        _fake = await NotionFake.StartAsync(new NotionFakeOptions
        {
            RateLimitPerSecond = NotionFakeOptions.NotionRateLimitPerSecond,
            Burst = NotionFakeOptions.DefaultBurst,
        });
        try
        {
            if (_options.Runs("sites"))
                foreach (var n in _options.Sites) await RunSitesAsync(n);
            if (_options.Runs("dedupe")) await RunDedupeAsync();
            if (_options.Runs("concurrency"))
                foreach (var n in _options.Processes) await RunConcurrencyAsync(n, _options.ConcurrencySites);
            if (_options.Runs("machines")) await RunTwoMachinesAsync(_options.ConcurrencySites);
            if (_options.Runs("scale")) await RunScaleAsync(_options.ScaleSites);
            if (_options.Runs("keyread"))
                foreach (var n in _options.KeyReadPages) await RunKeyReadAsync(n);
        }
        finally
        {
            await _fake.DisposeAsync();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    // ------------------------------------------------------------------ sites

    private async Task RunSitesAsync(int siteCount)
    {
        var day0 = await SampleSitesAsync(siteCount, 0);
        var day1 = await SampleSitesAsync(siteCount, 1);
        Log($"{siteCount} sample sites ({day0.Count} records); day 1 differs in {day0.Zip(day1).Count(p => !SameSite(p.First, p.Second))}.");

        // The engine, through the cmdlets' path.
        var workspace = NotionWorkspaceSeed.CreateStandardWorkspace(_fake.State);
        var config = NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, workspace, Path.Combine(_directory, "engine-" + siteCount));
        await MeasureAsync("first sync", siteCount, Engine, () => EngineSitesAsync(config, day0));
        await MeasureAsync("steady-state re-sync", siteCount, Engine, () => EngineSitesAsync(config, day0));
        await MeasureAsync("10% changed (day +1)", siteCount, Engine, () => EngineSitesAsync(config, day1));
        await MeasureAsync("daily snapshot", siteCount, Engine, () => EngineSnapshotAsync(config, day1));

        // The predecessor, in its own workspace.
        var old = NotionWorkspaceSeed.CreateStandardWorkspace(_fake.State);
        await MeasureAsync("first sync", siteCount, Predecessor, () => PredecessorSitesAsync(old, day0));
        await MeasureAsync("steady-state re-sync", siteCount, Predecessor, () => PredecessorSitesAsync(old, day0));
        await MeasureAsync("10% changed (day +1)", siteCount, Predecessor, () => PredecessorSitesAsync(old, day1));
        // Its Customer Sites lost sites to 429s above; complete it (untimed) so the snapshot compares like with like.
        CompleteCustomerSites(old, day1);
        await MeasureAsync("daily snapshot", siteCount, Predecessor, () => PredecessorSnapshotAsync(old, day1));
    }

    private void CompleteCustomerSites(IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace, IReadOnlyList<CustomerStatusInput> inputs)
    {
        var dataSource = workspace[DatabaseKey.CustomerSites].DataSourceId;
        var present = _fake.State.PageIds(dataSource).Select(id => _fake.State.GetPropertyText(id, "Site Name")).ToHashSet(StringComparer.Ordinal);
        var missing = inputs.Select(i => i.SiteName!).Where(n => !present.Contains(n)).ToList();
        if (missing.Count > 0) _fake.State.InsertPages(dataSource, missing.Count, i => new Dictionary<string, object?> { ["Site Name"] = missing[i] });
    }

    private async Task<IReadOnlyList<CustomerStatusInput>> SampleSitesAsync(int siteCount, int day)
    {
        using var connection = Connect(NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, new Dictionary<DatabaseKey, SeededDatabase>()));
        var source = await connection.GetCustomerSiteSourceAsync(SiteSourceKind.Sample, new SampleOptions { SiteCount = siteCount, Day = day }, CancellationToken.None);
        var snapshot = await source.GetSnapshotAsync(CancellationToken.None);
        return snapshot.Sites.Select(CustomerStatusInput.FromSite).ToList();
    }

    private static bool SameSite(CustomerStatusInput a, CustomerStatusInput b)
        => System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    private async Task<(int Records, int Failed)> EngineSitesAsync(string config, IReadOnlyList<CustomerStatusInput> inputs)
    {
        using var connection = Connect(config);
        var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", DatabaseKey.CustomerSites, null, "benchmark", NullEngineOutput.Instance, CancellationToken.None);
        var records = CustomerStatusRecords.For(connection);
        var summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
        return (summary.Total, summary.Failed);
    }

    private async Task<(int Records, int Failed)> EngineSnapshotAsync(string config, IReadOnlyList<CustomerStatusInput> inputs)
    {
        using var connection = Connect(config);
        var sites = await SiteRelationIndex.OpenAsync(connection, CancellationToken.None);
        var driver = await SyncDriver.OpenAsync(connection, "Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthRecords.ScopeFor(SnapshotDate),
            "benchmark", NullEngineOutput.Instance, CancellationToken.None);
        var records = new DailyHealthRecords(sites, SnapshotDate, CustomerStatusRecords.For(connection));
        var summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
        return (summary.Total, summary.Failed);
    }

    /// <summary>Seed 000's upsert: query by key, then create or update every property, 0.35 s after each write.</summary>
    private async Task<(int Records, int Failed)> PredecessorSitesAsync(IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace, IReadOnlyList<CustomerStatusInput> inputs)
    {
        using var client = PredecessorClient(workspace);
        var dataSource = workspace[DatabaseKey.CustomerSites].DataSourceId;
        var records = new CustomerStatusRecords();
        var failed = 0;
        foreach (var input in inputs)
        {
            var record = records.Build(input);
            try
            {
                var found = await client.QueryPageAsync(dataSource, NotionQuery.Where(NotionFilter.Title("Site Name").EqualTo(record.Key)));
                var page = found.Results.OfType<NotionPage>().FirstOrDefault();
                if (page is null) await client.CreatePageAsync(NewPageOf(dataSource, record));
                else await client.UpdatePageAsync(page.Id, record.Properties);
            }
            catch (OberaConnectException)
            {
                failed++;
            }
            await Task.Delay(TimeSpan.FromSeconds(0.35));
        }
        return (inputs.Count, failed);
    }

    /// <summary>Seed 000's daily health: one query for the customer list, then a create per site, 0.35 s after each.</summary>
    private async Task<(int Records, int Failed)> PredecessorSnapshotAsync(IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace, IReadOnlyList<CustomerStatusInput> inputs)
    {
        using var client = PredecessorClient(workspace);
        var pages = new List<KeyValuePair<string, string>>();
        var failed = 0;
        try
        {
            await foreach (var page in client.QueryAsync(workspace[DatabaseKey.CustomerSites].DataSourceId))
                if (page.Properties.TryGetValue("Site Name", out var v) && v is TextValue t) pages.Add(new(t.PlainText, page.Id));
        }
        catch (OberaConnectException)
        {
            return (inputs.Count, inputs.Count); // without the customer list nothing can be related
        }
        var records = new DailyHealthRecords(SiteRelationIndex.From(pages), SnapshotDate);
        var dataSource = workspace[DatabaseKey.DailyHealth].DataSourceId;
        foreach (var input in inputs)
        {
            var record = records.Build(input);
            try
            {
                if (record.Problem != null) throw record.Problem;
                await client.CreatePageAsync(NewPageOf(dataSource, record));
            }
            catch (OberaConnectException)
            {
                failed++;
            }
            await Task.Delay(TimeSpan.FromSeconds(0.35));
        }
        return (inputs.Count, failed);
    }

    // ------------------------------------------------------------------ dedupe

    private async Task RunDedupeAsync()
    {
        var pages = _options.DedupePages;
        var groups = _options.DedupeGroups;
        Log($"dedupe: {pages} pages, {groups} keys held twice.");
        foreach (var strategy in new[] { Engine, Predecessor })
        {
            var dataSource = SeedDuplicates(pages, groups);
            List<string> toTrash = new();
            await MeasureAsync($"dedupe read+group ({pages:N0} pages)", 0, strategy, async () =>
            {
                using var client = strategy == Engine ? EngineClient(dataSource) : PredecessorClient(dataSource);
                var (read, trash, aborted) = await ReadDuplicatesAsync(client, dataSource);
                toTrash = trash;
                if (aborted != null) Log($"  {strategy}: the read stopped after {read} pages: {aborted.ErrorId}");
                return (read, aborted is null ? 0 : 1);
            });
            if (toTrash.Count == 0)
            {
                // The script would have stopped here; its trash step is still measured, on the duplicates the fake knows.
                toTrash = KnownDuplicates(dataSource);
                Log($"  {strategy}: trashing the {toTrash.Count} known duplicates instead");
            }
            if (toTrash.Count != groups) Log($"  {strategy}: found {toTrash.Count} duplicates, expected {groups}");
            await MeasureAsync($"dedupe trash ({toTrash.Count} duplicates)", 0, strategy, () =>
                strategy == Engine ? EngineTrashAsync(dataSource, toTrash) : PredecessorTrashAsync(dataSource, toTrash));
            var left = _fake.State.CountPages(dataSource);
            if (left != pages - groups) Log($"  {strategy}: {left} pages left, expected {pages - groups}");
        }
    }

    private string SeedDuplicates(int pages, int groups)
    {
        var definition = WorkspaceDefinition.Standard[DatabaseKey.CustomerSites];
        var db = _fake.State.CreateDatabase(_fake.RootPageId, "Dedupe " + Guid.NewGuid().ToString("N").Substring(0, 6),
            NotionSchemaJson.CreateProperties(definition, _ => throw new InvalidOperationException("Customer Sites has no relations.")));
        var unique = pages - groups;
        var step = Math.Max(1, unique / groups);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        _fake.State.InsertPages(db.DataSourceId, pages,
            i => new Dictionary<string, object?> { ["Site Name"] = $"Site {(i < unique ? i : (i - unique) * step):D5}", ["Health Score"] = i % 100 },
            i => start.AddMinutes(i));
        return db.DataSourceId;
    }

    /// <summary>Reads every page, groups by key (case-insensitive), and returns the pages to trash: all but the newest of each group.</summary>
    private List<string> KnownDuplicates(string dataSource)
        => _fake.State.PageIds(dataSource)
            .GroupBy(id => _fake.State.GetPropertyText(id, "Site Name") ?? "", StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1))
            .ToList();

    /// <remarks>A read stopped by an error (the predecessor's first 429) trashes nothing: its groups would be incomplete.</remarks>
    private static async Task<(int Read, List<string> Trash, OberaConnectException? Aborted)> ReadDuplicatesAsync(NotionClient client, string dataSource)
    {
        var byKey = new Dictionary<string, List<NotionPage>>(StringComparer.Ordinal);
        var read = 0;
        try
        {
            await foreach (var page in client.QueryAsync(dataSource))
            {
                read++;
                var key = page.Properties.TryGetValue("Site Name", out var v) && v is TextValue t ? SyncTable.NormalizeKey(t.PlainText) : "";
                if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = new List<NotionPage>();
                list.Add(page);
            }
        }
        catch (OberaConnectException ex)
        {
            return (read, new List<string>(), ex);
        }
        var trash = byKey.Values.Where(g => g.Count > 1)
            .SelectMany(g => g.OrderByDescending(p => p.LastEditedTime).ThenByDescending(p => p.CreatedTime).Skip(1))
            .Select(p => p.Id).ToList();
        return (read, trash, null);
    }

    private async Task<(int Records, int Failed)> EngineTrashAsync(string dataSource, IReadOnlyList<string> pages)
    {
        using var client = EngineClient(dataSource);
        using var slots = new SemaphoreSlim(3);
        var failed = 0;
        await Task.WhenAll(pages.Select(async id =>
        {
            await slots.WaitAsync();
            try { await client.TrashPageAsync(id); }
            catch (OberaConnectException) { Interlocked.Increment(ref failed); }
            finally { slots.Release(); }
        }));
        return (pages.Count, failed);
    }

    /// <summary>Seed 002's clean-up script: archive each duplicate in turn, no pause.</summary>
    private async Task<(int Records, int Failed)> PredecessorTrashAsync(string dataSource, IReadOnlyList<string> pages)
    {
        using var client = PredecessorClient(dataSource);
        var failed = 0;
        foreach (var id in pages)
        {
            try { await client.TrashPageAsync(id); }
            catch (OberaConnectException) { failed++; }
        }
        return (pages.Count, failed);
    }

    // ------------------------------------------------------------------ plumbing

    private async Task MeasureAsync(string scenario, int siteCount, string strategy, Func<Task<(int Records, int Failed)>> run)
    {
        await Task.Delay(Refill);
        _fake.Requests.Reset();
        var watch = Stopwatch.StartNew();
        int records, failed;
        try
        {
            (records, failed) = await run();
        }
        catch (OberaConnectException ex)
        {
            // A strategy that gives up mid-scenario is a measurement too: one failed run, never a crashed benchmark.
            Log($"  {strategy}: {scenario} stopped: {ex.ErrorId}");
            (records, failed) = (0, 1);
        }
        watch.Stop();
        var m = new Measurement(scenario, siteCount, strategy, records, _fake.Requests.Total, _fake.Requests.RateLimited, failed, watch.Elapsed.TotalSeconds);
        _results.Add(m);
        Log($"  {strategy,-11} {scenario,-32} {m.Records,6} records {m.Requests,6} requests {m.RateLimited,5} x429 {m.Failed,5} failed {m.Seconds,8:0.0} s {m.RequestsPerSecond,5:0.00} req/s");
    }

    private OberaConnectConnection Connect(string configJson)
    {
        var configuration = ConfigurationFile.Parse(configJson, Path.Combine(_directory, "config.json"));
        return OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { NotionToken = _fake.Token, Time = new RealTime() });
    }

    /// <summary>A client as the module makes it (3 requests/s, burst 3, retries honouring Retry-After).</summary>
    private NotionClient EngineClient(string dataSource)
    {
        var client = new NotionClient(_fake.Token, new NotionClientOptions { BaseUrl = _fake.BaseUrl.AbsoluteUri }, null, new RealTime());
        client.RememberDataSource(dataSource);
        return client;
    }

    /// <summary>The predecessor's client: no pacing and no retry (seed 000, gap 5), so a 429 fails the call.</summary>
    private NotionClient PredecessorClient(string dataSource)
    {
        var client = new NotionClient(_fake.Token, new NotionClientOptions
        {
            BaseUrl = _fake.BaseUrl.AbsoluteUri,
            Resilience = new HttpResilienceOptions { RequestsPerSecond = 1000, Burst = 1000, MaxRetries = 0 },
        }, null, new RealTime());
        client.RememberDataSource(dataSource);
        return client;
    }

    private NotionClient PredecessorClient(IReadOnlyDictionary<DatabaseKey, SeededDatabase> workspace)
    {
        var client = PredecessorClient(workspace[DatabaseKey.CustomerSites].DataSourceId);
        foreach (var db in workspace.Values) client.RememberDataSource(db.DataSourceId, db.DatabaseId);
        return client;
    }

    private static NewPage NewPageOf(string dataSource, DesiredRecord record)
    {
        var page = NewPage.InDataSource(dataSource);
        foreach (var kv in record.Properties) page.Properties[kv.Key] = kv.Value;
        return page;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    // ------------------------------------------------------------------ report

    public IReadOnlyList<TargetCheck> Targets()
    {
        var checks = new List<TargetCheck>();
        foreach (var n in _options.Sites)
        {
            Measurement? Get(string scenario) => _results.FirstOrDefault(r => r.SiteCount == n && r.Strategy == Engine && r.Scenario == scenario);
            var first = Get("first sync");
            var steady = Get("steady-state re-sync");
            if (first != null)
            {
                // One create per site, the index read, and one query confirming up to 50 created keys (no other writer made them too).
                var pages = (first.Records + 99) / 100;
                var confirmations = (first.Records + 49) / 50;
                checks.Add(new($"{n} sites: first sync <= N + ceil(N/100) + ceil(N/50) = {first.Records + pages + confirmations} requests", $"{first.Requests}",
                    first.Requests <= first.Records + pages + confirmations));
                checks.Add(new($"{n} sites: first sync sustained >= 2.7 requests/s", first.RequestsPerSecond.ToString("0.00", CultureInfo.InvariantCulture), first.RequestsPerSecond >= 2.7));
            }
            if (steady != null)
            {
                var pages = (steady.Records + 99) / 100;
                checks.Add(new($"{n} sites: steady-state re-sync <= ceil(N/100) = {pages} requests", $"{steady.Requests}", steady.Requests <= pages));
            }
        }
        AddProcessTargets(checks);
        AddKeyReadTargets(checks);
        var engine429 = _results.Where(r => r.Strategy == Engine).Sum(r => r.RateLimited);
        checks.Add(new("engine: zero 429s in every scenario", $"{engine429}", engine429 == 0));
        var engineFailed = _results.Where(r => r.Strategy == Engine).Sum(r => r.Failed);
        checks.Add(new("engine: no failed record", $"{engineFailed}", engineFailed == 0));
        return checks;
    }

    public void Print(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("Notion fake: 3 requests/s, burst 10, real time. Engine: 3 requests/s, burst 3, 3 writes in flight. Source reads excluded from the times.");
        o.WriteLine();
        o.WriteLine($"| {"Scenario",-32} | {"Sites",5} | {"Strategy",-11} | {"Records",7} | {"Requests",8} | {"429s",5} | {"Failed",6} | {"Wall s",8} | {"Req/s",7} | {"Pred/Eng req",12} | {"Pred/Eng time",13} |");
        o.WriteLine($"|{new string('-', 34)}|{new string('-', 7)}|{new string('-', 13)}|{new string('-', 9)}|{new string('-', 10)}|{new string('-', 7)}|{new string('-', 8)}|{new string('-', 10)}|{new string('-', 9)}|{new string('-', 14)}|{new string('-', 15)}|");
        foreach (var m in _results)
        {
            var other = m.Strategy == Predecessor ? _results.FirstOrDefault(r => r.Strategy == Engine && r.Scenario == m.Scenario && r.SiteCount == m.SiteCount) : null;
            var reqRatio = other is { Requests: > 0 } ? (m.Requests / (double)other.Requests).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "";
            var timeRatio = other is { Seconds: > 0 } ? (m.Seconds / other.Seconds).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "";
            o.WriteLine($"| {m.Scenario,-32} | {(m.SiteCount == 0 ? "" : m.SiteCount.ToString(CultureInfo.InvariantCulture)),5} | {m.Strategy,-11} | {m.Records,7} | {m.Requests,8} | {m.RateLimited,5} | {m.Failed,6} | {m.Seconds,8:0.0} | {m.RequestsPerSecond,7:0.00} | {reqRatio,12} | {timeRatio,13} |");
        }
        PrintProcesses(o);
        PrintKeyRead(o);
        o.WriteLine();
        foreach (var t in Targets()) o.WriteLine($"{(t.Met ? "MET   " : "MISSED")} {t.Target}: {t.Measured}");
    }

    public JsonObject ToJson()
    {
        var results = new JsonArray();
        foreach (var m in _results)
        {
            results.Add(new JsonObject
            {
                ["scenario"] = m.Scenario,
                ["sites"] = m.SiteCount == 0 ? null : m.SiteCount,
                ["strategy"] = m.Strategy,
                ["records"] = m.Records,
                ["requests"] = m.Requests,
                ["rateLimited"] = m.RateLimited,
                ["failed"] = m.Failed,
                ["seconds"] = Math.Round(m.Seconds, 3),
                ["requestsPerSecond"] = Math.Round(m.RequestsPerSecond, 3),
            });
        }
        var targets = new JsonArray();
        foreach (var t in Targets()) targets.Add(new JsonObject { ["target"] = t.Target, ["measured"] = t.Measured, ["met"] = t.Met });
        return new JsonObject
        {
            ["generatedAt"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["runtime"] = Environment.Version.ToString() },
            ["notionFake"] = new JsonObject { ["requestsPerSecond"] = NotionFakeOptions.NotionRateLimitPerSecond, ["burst"] = NotionFakeOptions.DefaultBurst },
            ["engine"] = new JsonObject { ["requestsPerSecond"] = 3, ["burst"] = 3, ["writesInFlight"] = 3 },
            ["predecessor"] = "per record: query by key, create or update every property, 0.35 s pause after each write; no pacing, no retry",
            ["results"] = results,
            ["processes"] = ProcessesJson(),
            ["keyRead"] = KeyReadJson(),
            ["targets"] = targets,
        };
    }
}
