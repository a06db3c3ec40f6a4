using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Benchmarks;

/// <summary>One run of the index-read scenario: a few sites piped in, or every site, against Customer Sites of some size.</summary>
internal sealed record KeyReadMeasurement(int Pages, string Input, string Read, int Records, int Written, int Failed, long Requests, long RateLimited, double Seconds);

/// <summary>
/// Cost follows the input (the "keyread" scenario): 1 site and 10 sites piped into Sync-CustomerStatus against Customer Sites of
/// 98, 500 and 5,000 pages (--key-read-pages), each site with one changed value, driven as the cmdlet drives the engine (read
/// ahead up to 100 records, choose the index read, open, write: <see cref="IndexRead.ForInput"/>); beside it the same input
/// with every page read (the read before this change), one new site (its filter finds nothing, so every page is read before it
/// is created), and a steady-state run of every site (which reads every page).
/// Customer Sites is seeded untimed by the engine's upsert with the fake's limit lifted; the runs meet Notion's 3 requests/s.
/// </summary>
internal sealed partial class SyncBenchmark
{
    private readonly List<KeyReadMeasurement> _keyReadResults = new();

    private async Task RunKeyReadAsync(int sites)
    {
        var workspace = await SeedCustomerSitesAsync(sites);
        var config = NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, workspace, Path.Combine(_directory, $"keyread-{sites}"));
        var current = (await SampleSitesAsync(sites, 0)).ToList();
        var pages = _fake.State.CountPages(workspace[DatabaseKey.CustomerSites].DataSourceId);
        Log($"keyread: Customer Sites of {pages} pages seeded untimed.");
        var change = 0;
        foreach (var count in new[] { 1, 10 })
            foreach (var whole in new[] { false, true })
            {
                // Each run changes its sites again (one more device online), so every record costs an update.
                var changed = Changed(current.Take(count), ++change);
                await MeasureKeyReadAsync(pages, $"{count} site(s) piped", config, changed, whole);
                for (var i = 0; i < count; i++) current[i] = changed[i];
            }
        // Every site as Notion now holds it: nothing to write, so the requests are the index read's (every page: the input is
        // larger than 100 records, or the last whole read says reading every page is cheaper than reading the keys).
        await MeasureKeyReadAsync(pages, "every site, steady state", config, current, wholeRead: false);
        // Last, as it adds a page: a site Customer Sites does not hold. Its filter finds nothing, and a filter cannot prove a site
        // name absent (Unicode compatibility forms), so every page is read before it is created.
        var added = Changed(current.Take(1), 0);
        added[0].SiteName = $"Benchmark New Site {sites}";
        await MeasureKeyReadAsync(pages, NewSiteInput, config, added, wholeRead: false);
    }

    /// <summary>
    /// A new standard workspace whose Customer Sites holds the Sample's <paramref name="sites"/> sites (day 0), written untimed by
    /// the engine's upsert with the fake's limit lifted and no state directory: one process alone needs no turns at creating, and
    /// 5,000 turns through the ledger file take longer than the scenario itself.
    /// </summary>
    private async Task<IReadOnlyDictionary<DatabaseKey, SeededDatabase>> SeedCustomerSitesAsync(int sites)
    {
        var workspace = NotionWorkspaceSeed.CreateStandardWorkspace(_fake.State);
        var inputs = await SampleSitesAsync(sites, 0);
        _fake.SetRateLimit(null);
        try
        {
            var configuration = ConfigurationFile.Parse(NotionWorkspaceSeed.ConfigurationJson(_fake.BaseUrl, workspace, Path.Combine(_directory, $"keyread-{sites}-seed")),
                Path.Combine(_directory, "config.json"));
            configuration.Notion.RequestsPerSecond = 1000;
            configuration.Notion.Burst = 100;
            using var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { NotionToken = _fake.Token, Time = new RealTime() });
            var notion = await connection.GetNotionAsync(CancellationToken.None);
            var table = await WorkspaceTables.ForAsync(notion, configuration, DatabaseKey.CustomerSites, null, CancellationToken.None);
            var session = await UpsertSession.OpenAsync(new SyncRun("Sync-CustomerStatus", notion, "seed"), table, CancellationToken.None);
            var records = CustomerStatusRecords.For(connection);
            var results = await session.RunAsync(inputs.Select(records.Build), null, CancellationToken.None);
            var created = results.Count(r => r.Status == nameof(SyncStatus.Created));
            if (created != inputs.Count) throw new InvalidOperationException($"Seeding Customer Sites created {created} of {inputs.Count} sites.");
        }
        finally
        {
            _fake.SetRateLimit(NotionFakeOptions.NotionRateLimitPerSecond, NotionFakeOptions.DefaultBurst);
        }
        return workspace;
    }

    private static List<CustomerStatusInput> Changed(IEnumerable<CustomerStatusInput> sites, int by)
        => sites.Select(s =>
        {
            var copy = System.Text.Json.JsonSerializer.Deserialize<CustomerStatusInput>(System.Text.Json.JsonSerializer.Serialize(s))!;
            copy.DevicesOnline = (s.DevicesOnline ?? 0) + by;
            copy.DevicesTotal = Math.Max(copy.DevicesTotal ?? 0, copy.DevicesOnline.Value + (copy.DevicesOffline ?? 0));
            return copy;
        }).ToList();

    /// <summary>
    /// One Sync-CustomerStatus run of <paramref name="inputs"/> as the cmdlet drives it (or, with <paramref name="wholeRead"/>, reading
    /// every page whatever the input, as before), timed from the connection to the summary; requests as the fake counted them.
    /// </summary>
    private async Task MeasureKeyReadAsync(int pages, string input, string config, IReadOnlyList<CustomerStatusInput> inputs, bool wholeRead)
    {
        await Task.Delay(Refill);
        _fake.Requests.Reset();
        var watch = Stopwatch.StartNew();
        using var connection = Connect(config);
        var records = CustomerStatusRecords.For(connection);
        var read = wholeRead
            ? IndexRead.Every("the read before this change: every page whatever the input")
            : IndexRead.ForInput(inputs.Select(records.Build), null, out _);
        var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", DatabaseKey.CustomerSites, null, "benchmark", NullEngineOutput.Instance, false, read, CancellationToken.None);
        var summary = await driver.RunAsync(inputs.Select(records.Build), null, null, CancellationToken.None);
        watch.Stop();
        // The read the engine made: it reads every page when the last whole read says that is cheaper than the keys.
        var m = new KeyReadMeasurement(pages, input, driver.Session.WholeIndex ? "every page" : "input's keys", summary.Total, summary.Created + summary.Updated, summary.Failed,
            _fake.Requests.Total, _fake.Requests.RateLimited, watch.Elapsed.TotalSeconds);
        _keyReadResults.Add(m);
        Log($"  {pages,5} pages {m.Input,-26} {m.Read,-12} {m.Records,5} records {m.Written,4} written {m.Requests,5} requests {m.RateLimited,3} x429 {m.Seconds,6:0.00} s");
    }

    private const string NewSiteInput = "1 new site piped";

    private void AddKeyReadTargets(List<TargetCheck> checks)
    {
        foreach (var m in _keyReadResults)
        {
            var name = $"Customer Sites of {m.Pages} pages, {m.Input}, {m.Read}";
            var wholeQueries = (m.Pages + 99) / 100;
            if (m.Input == NewSiteInput)
                // The filtered query, the whole read that proves the site new, the create and its confirmation query.
                checks.Add(new($"{name}: <= 1 + ceil(N/100) + 2 = {wholeQueries + 3} requests, 1 created", $"{m.Requests} requests, {m.Written} written",
                    m.Requests <= wholeQueries + 3 && m.Written == 1 && m.Failed == 0));
            else if (m.Input.StartsWith("every", StringComparison.Ordinal))
                checks.Add(new($"{name}: <= ceil(N/100) = {wholeQueries} requests, nothing written", $"{m.Requests} requests, {m.Written} written",
                    m.Requests <= wholeQueries && m.Written == 0 && m.Failed == 0));
            else if (m.Read == "every page")
                // The read of before, for comparison: ceil(N/100) queries and one update per changed site.
                checks.Add(new($"{name}: <= {wholeQueries + m.Written} requests", $"{m.Requests}", m.Requests <= wholeQueries + m.Written && m.Failed == 0));
            else
            {
                var target = m.Records == 1 ? 2 : 11;
                checks.Add(new($"{name}: <= {target} requests, {m.Records} written", $"{m.Requests} requests, {m.Written} written",
                    m.Requests <= target && m.Written == m.Records && m.Failed == 0));
            }
        }
    }

    private void PrintKeyRead(TextWriter o)
    {
        if (_keyReadResults.Count == 0) return;
        o.WriteLine();
        o.WriteLine("Cost follows the input: Sync-CustomerStatus as the cmdlet drives the engine (read ahead up to 100 records, then the index read);");
        o.WriteLine("each piped site has one changed value. \"every page\" is the same input with the read of before (every page whatever the input).");
        o.WriteLine();
        o.WriteLine($"| {"Pages",5} | {"Input",-26} | {"Index read",-12} | {"Records",7} | {"Written",7} | {"Requests",8} | {"429s",5} | {"Wall s",7} |");
        o.WriteLine($"|{new string('-', 7)}|{new string('-', 28)}|{new string('-', 14)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 10)}|{new string('-', 7)}|{new string('-', 9)}|");
        foreach (var m in _keyReadResults)
            o.WriteLine($"| {m.Pages,5} | {m.Input,-26} | {m.Read,-12} | {m.Records,7} | {m.Written,7} | {m.Requests,8} | {m.RateLimited,5} | {m.Seconds,7:0.00} |");
    }

    private JsonArray KeyReadJson()
    {
        var list = new JsonArray();
        foreach (var m in _keyReadResults)
            list.Add(new JsonObject
            {
                ["pages"] = m.Pages,
                ["input"] = m.Input,
                ["indexRead"] = m.Read,
                ["records"] = m.Records,
                ["written"] = m.Written,
                ["failed"] = m.Failed,
                ["requests"] = m.Requests,
                ["rateLimited"] = m.RateLimited,
                ["seconds"] = Math.Round(m.Seconds, 3),
            });
        return list;
    }
}
