using System.Text;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;

namespace OberaConnect.Engine.Tests.Sync;

/// <summary>
/// The ledger runs of one machine keep of the pages they create (one instance per run): what one records the next finds, with
/// the page's values as they were; entries from before a run's index read are left to that read; a line a killed writer cut
/// short is skipped and the next entry still lands; a pruned ledger is read again whole.
/// </summary>
public sealed class CreateLedgerTests : IDisposable
{
    private const string DataSource = "53a74e9a-2c93-43d9-a948-93d132005d67";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oc-ledger-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static SyncRun Run(string operation)
        => new(operation, new NotionClient("ntn_ledger_test_token", new NotionClientOptions { BaseUrl = "http://127.0.0.1:9/" }), "ledger01");

    private static IndexedPage Page(string id, string name, double score)
        => new(id, "https://www.notion.so/" + id.Replace("-", ""), name, new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero),
            new Dictionary<string, PropertyValue>(StringComparer.Ordinal)
            {
                ["Site Name"] = PropertyValue.Title(name),
                ["Health Score"] = PropertyValue.Number(score),
                ["Risk Level"] = PropertyValue.Select("Low"),
                ["Last Sync"] = PropertyValue.Date(NotionDate.At(new DateTimeOffset(2026, 1, 5, 8, 0, 1, 123, TimeSpan.Zero))),
                ["Data Sources"] = PropertyValue.MultiSelect("UniFi", "NinjaOne"),
            });

    [Fact]
    public async Task What_one_run_records_the_next_finds_with_the_same_values_and_a_spelling_of_the_id_does_not_matter()
    {
        var now = DateTimeOffset.UtcNow;
        var first = new CreateLedger(_directory, DataSource, "Customer Sites", now);
        var page = Page("11111111-2222-3333-4444-555555555555", "Acme Corp", 90);
        using (var hold = await first.AcquireAsync(Run("Sync-CustomerStatus"), TimeSpan.FromSeconds(5), default))
            hold.Record("ACME CORP", page);

        var second = new CreateLedger(_directory, DataSource.Replace("-", "").ToUpperInvariant(), "Customer Sites", now);
        Assert.Equal(first.FilePath, second.FilePath);
        using var held = await second.AcquireAsync(Run("Add-DailyHealthSnapshot"), TimeSpan.FromSeconds(5), default);
        var found = held.Find("ACME CORP");
        Assert.NotNull(found);
        Assert.Equal(page.Id, found!.Page.Id);
        Assert.Equal("Acme Corp", found.Page.Key);
        Assert.StartsWith("Sync-CustomerStatus (process ", found.Writer);
        Assert.Equal(page.Values.Keys.OrderBy(k => k), found.Page.Values.Keys.OrderBy(k => k));
        Assert.All(page.Values, kv => Assert.Equal(kv.Value, found.Page.Values[kv.Key]));
        Assert.Null(held.Find("GLOBEX"));
    }

    [Fact]
    public async Task Entries_from_before_a_runs_index_read_are_left_to_that_read_and_a_cut_line_is_skipped()
    {
        var early = new CreateLedger(_directory, DataSource, "Customer Sites", DateTimeOffset.UtcNow);
        using (var hold = await early.AcquireAsync(Run("Sync-CustomerStatus"), TimeSpan.FromSeconds(5), default))
            hold.Record("OLD", Page("11111111-2222-3333-4444-555555555555", "Old", 1));
        // A writer killed in the middle of its line.
        File.AppendAllText(early.FilePath, "{\"at\":\"2026-", new UTF8Encoding(false));

        // A run whose index read began well after that entry: the read saw the page, the ledger does not speak for it.
        var later = new CreateLedger(_directory, DataSource, "Customer Sites", DateTimeOffset.UtcNow + CreateLedger.Slack + TimeSpan.FromMinutes(1));
        using (var hold = await later.AcquireAsync(Run("Sync-CustomerStatus"), TimeSpan.FromSeconds(5), default))
        {
            Assert.Null(hold.Find("OLD"));
            hold.Record("NEW", Page("66666666-2222-3333-4444-555555555555", "New", 2));
        }

        var reader = new CreateLedger(_directory, DataSource, "Customer Sites", DateTimeOffset.UtcNow);
        using (var held = await reader.AcquireAsync(Run("Sync-CustomerStatus"), TimeSpan.FromSeconds(5), default))
        {
            Assert.NotNull(held.Find("OLD"));
            Assert.Equal("66666666-2222-3333-4444-555555555555", held.Find("NEW")!.Page.Id);
        }
        // The header, the first entry, the cut line (ended by the next writer) and the second entry.
        Assert.Equal(4, File.ReadAllLines(early.FilePath).Length);
    }

    [Fact]
    public async Task A_busy_days_ledger_is_rewritten_only_as_it_doubles_and_keeps_every_entry()
    {
        // 300 creates of one day past a small prune size: a rewrite at each create past the size would make 280 generations.
        var writer = new CreateLedger(_directory, DataSource, "Customer Sites", DateTimeOffset.UtcNow) { PruneBytes = 16 * 1024 };
        var generations = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            using (var hold = await writer.AcquireAsync(Run("Sync-CustomerStatus"), TimeSpan.FromSeconds(5), default))
                hold.Record($"SITE {i:D3}", Page($"{i:D8}-2222-3333-4444-555555555555", $"Site {i:D3}", i));
            generations.Add(File.ReadLines(writer.FilePath).First());
        }

        Assert.True(new FileInfo(writer.FilePath).Length > 4 * 16 * 1024);
        Assert.InRange(generations.Count, 2, 5);
        // Nothing of the day was dropped: another run finds every page.
        var reader = new CreateLedger(_directory, DataSource, "Customer Sites", DateTimeOffset.UtcNow);
        using var held = await reader.AcquireAsync(Run("Add-DailyHealthSnapshot"), TimeSpan.FromSeconds(5), default);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal($"{i:D8}-2222-3333-4444-555555555555", held.Find($"SITE {i:D3}")?.Page.Id));
    }
}
