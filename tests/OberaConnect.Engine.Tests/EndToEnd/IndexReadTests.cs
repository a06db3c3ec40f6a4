using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The index read a run chooses (<see cref="IndexRead"/>): a small input reads only its keys, a large one or a run that must see
/// every page reads them all; the plans are the same either way. Requests are counted on the Notion fake.
/// </summary>
public sealed class IndexReadTests : IAsyncLifetime
{
    private const string Schema = """
        {"Site Name":{"title":{}},"Health Score":{"number":{}},"Notes":{"rich_text":{}}}
        """;

    private const string Query = "POST /v1/data_sources/{id}/query";
    private const int Pages = 500;

    private NotionFake _fake = null!;
    private NotionClient _client = null!;
    private string _dataSource = "";
    private readonly List<string> _verbose = new();

    public async Task InitializeAsync()
    {
        _fake = await NotionFake.StartAsync(new NotionFakeOptions());
        _client = NotionClientsOnFake.Create(_fake);
        _dataSource = _fake.State.CreateDatabase(_fake.RootPageId, "Customer Sites", Schema).DataSourceId;
        _fake.State.InsertPages(_dataSource, Pages, i => new Dictionary<string, object?> { ["Site Name"] = Name(i + 1), ["Health Score"] = 90.0 });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    private static string Name(int i) => $"Site {i:D4}";

    /// <summary>The queries of a whole read of the fixture's pages and <paramref name="added"/> more.</summary>
    private static int WholeReadQueries(int added) => (Pages + added + 99) / 100;

    private SyncTable Table() => new("CustomerSites", _dataSource, "Site Name", KeyKind.Title, WriteMode.Upsert, new[] { "Health Score" }) { Title = "Customer Sites" };

    private static DesiredRecord Site(string name, double score) => new(name, new Dictionary<string, PropertyValue>
    {
        ["Site Name"] = PropertyValue.Title(name),
        ["Health Score"] = PropertyValue.Number(score),
    });

    /// <summary>The first <paramref name="n"/> sites, every third one changed.</summary>
    private static List<DesiredRecord> Sites(int n) => Enumerable.Range(1, n).Select(i => Site(Name(i), i % 3 == 0 ? 75 : 90)).ToList();

    private async Task<UpsertSession> OpenAsync(IndexRead read)
    {
        var run = new SyncRun("Sync-CustomerStatus", _client, "test", new CallbackEngineOutput(_verbose.Add, _ => { }, _ => { }));
        return await UpsertSession.OpenAsync(run, Table(), read, default);
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(10, 1, false)]
    [InlineData(100, 2, false)] // two words a site name: 50 keys a query
    [InlineData(150, 5, true)]
    [InlineData(Pages, 5, true)]
    public async Task A_small_input_reads_its_keys_in_one_query_and_a_large_one_reads_every_page(int sites, int queries, bool whole)
    {
        var records = Sites(sites);
        var read = IndexRead.ForInput(records, null, out var all);
        Assert.Equal(sites, all.Count());
        Assert.Equal(whole, read.Whole);

        var session = await OpenAsync(read);

        Assert.Equal(queries, _fake.Requests.Count(Query));
        Assert.Equal(whole, session.WholeIndex);
        Assert.Equal(whole ? Pages : sites, session.IndexedPages);
        // The strategy and why are on -Verbose.
        Assert.Contains(_verbose, v => whole
            ? v.Contains("reading every page (the input has more than 100 record(s)", StringComparison.Ordinal)
            : v.Contains($"reading only the pages of {sites} key(s) in {queries} filtered quer", StringComparison.Ordinal) && v.Contains($"(the input has {sites} record(s), at most 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_must_see_every_page_reads_them_all_whatever_its_input()
    {
        var read = IndexRead.For(Sites(1), "devices missing from the input are marked Missing");
        var session = await OpenAsync(read);
        Assert.Equal((Pages + 99) / 100, _fake.Requests.Count(Query));
        Assert.Equal(Pages, session.Unplanned().Count());
        Assert.Contains(_verbose, v => v.Contains("reading every page (devices missing from the input are marked Missing)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plans_are_the_same_as_with_every_page_read_spellings_and_duplicates_included()
    {
        // A second page of one site in another case and spacing, and a longer name holding the same words.
        _fake.State.InsertPage(_dataSource, new Dictionary<string, object?> { ["Site Name"] = "site   0007", ["Health Score"] = 50.0 });
        _fake.State.InsertPage(_dataSource, new Dictionary<string, object?> { ["Site Name"] = "Site 0007 Annex", ["Health Score"] = 90.0 });
        var records = new List<DesiredRecord> { Site("SITE 0007", 90), Site("Site 0042", 70), Site("Site 0099", 90), Site("Brand New Site", 80) };

        var byKeys = await OpenAsync(IndexRead.For(records, null));
        // One filtered query; "Brand New Site" was not found by it, so every page is read before it is created.
        Assert.Equal(1 + WholeReadQueries(2), _fake.Requests.Count(Query));
        var every = await OpenAsync(IndexRead.Every("comparison"));

        // The duplicates of a key are found by its key as by reading every page.
        Assert.Equal(every.DuplicateKeys["SITE 0007"], byKeys.DuplicateKeys["SITE 0007"]);
        Assert.Equal(2, byKeys.DuplicateKeys["SITE 0007"]);
        Assert.Single(byKeys.DuplicateKeys);
        // Only the asked keys are indexed: "Site 0007 Annex" came back from the filter but is another site.
        Assert.Equal(4, byKeys.IndexedPages);
        Assert.Null(byKeys.Find("Site 0007 Annex"));
        foreach (var record in records)
        {
            var a = byKeys.Plan(record);
            var b = every.Plan(record);
            Assert.Equal(b.Kind, a.Kind);
            Assert.Equal(b.Existing?.Id, a.Existing?.Id);
            Assert.Equal(b.Changed, a.Changed);
            Assert.Equal(b.Done?.Status, a.Done?.Status);
        }
        Assert.Throws<InvalidOperationException>(() => byKeys.Unplanned().ToList());
    }

    [Fact]
    public async Task A_read_by_keys_writes_what_a_whole_read_would_and_finds_the_pages_it_created()
    {
        var records = new List<DesiredRecord> { Site(Name(3), 10), Site(Name(4), 90), Site("Brand New Site", 80) };
        var session = await OpenAsync(IndexRead.For(records, null));
        var results = await session.RunAsync(records, null, default);

        Assert.Equal(new[] { SyncStatus.Updated, SyncStatus.Unchanged, SyncStatus.Created }, records.Select(r => results.Single(x => x.Key == r.Key).StatusValue));
        // Index read, the whole read for the key it did not find, the create's confirmation; one update and one create.
        Assert.Equal(1 + WholeReadQueries(0) + 1, _fake.Requests.Count(Query));
        Assert.Equal(1, _fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal(1, _fake.Requests.Count("POST /v1/pages"));

        _fake.Requests.Reset();
        var again = await OpenAsync(IndexRead.For(records, null));
        var rerun = await again.RunAsync(records, null, default);
        Assert.All(rerun, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(1, _fake.Requests.Count(Query));
    }

    [Fact]
    public async Task Keys_their_filters_miss_are_looked_for_in_every_page_so_a_site_in_Unicode_compatibility_forms_is_found_not_created_again()
    {
        // Notion's filters match case but not compatibility forms: full-width letters stored, a ligature in the input.
        _fake.State.InsertPage(_dataSource, new Dictionary<string, object?> { ["Site Name"] = "\uFF33\uFF49\uFF54\uFF45 Compat", ["Health Score"] = 50.0 });
        _fake.State.InsertPage(_dataSource, new Dictionary<string, object?> { ["Site Name"] = "Office Park", ["Health Score"] = 50.0 });
        var records = new List<DesiredRecord> { Site("Site Compat", 50), Site("O\uFB03ce Park", 60), Site(Name(5), 75), Site("Brand New Site", 80) };

        var session = await OpenAsync(IndexRead.For(records, null));

        // The filtered query finds Site 0005 only; the three keys it missed cost one whole read, and nothing else is indexed.
        Assert.Equal(1 + WholeReadQueries(2), _fake.Requests.Count(Query));
        Assert.Contains(_verbose, v => v.Contains("Customer Sites: 3 key(s) not found by their filters; reading every page before creating them", StringComparison.Ordinal));
        Assert.False(session.WholeIndex);
        Assert.Equal(3, session.IndexedPages);

        var results = await session.RunAsync(records, null, default);
        Assert.Equal(new[] { SyncStatus.Unchanged, SyncStatus.Updated, SyncStatus.Updated, SyncStatus.Created },
            records.Select(r => results.Single(x => x.Key == r.Key).StatusValue));
        // One page per site: the two spelled in compatibility forms were updated in place, not created again.
        var names = new List<string>();
        await foreach (var page in _client.QueryAsync(_dataSource, new NotionQuery(), default)) names.Add(Table().KeyOf(page)!);
        Assert.Equal(Pages + 3, names.Count);
        Assert.Single(names, n => n == "\uFF33\uFF49\uFF54\uFF45 Compat");
        Assert.Single(names, n => n == "Office Park");
        Assert.Single(names, n => n == "Brand New Site");
        Assert.DoesNotContain(names, n => n is "Site Compat" or "O\uFB03ce Park");

        // A rerun finds every key by its filters, the new site's included: no whole read.
        _fake.Requests.Reset();
        _verbose.Clear();
        var again = await OpenAsync(IndexRead.For(new List<DesiredRecord> { Site(Name(5), 75), Site("Brand New Site", 80) }, null));
        Assert.Equal(1, _fake.Requests.Count(Query));
        Assert.DoesNotContain(_verbose, v => v.Contains("not found by their filters", StringComparison.Ordinal));
        Assert.Equal(2, again.IndexedPages);
    }

    [Fact]
    public void Every_page_is_read_when_the_last_whole_read_says_that_is_cheaper_than_the_keys()
    {
        var table = Table();
        var hundred = IndexRead.For(Sites(100), null);
        // 100 two-word names take 2 queries: a database of 98 pages is read whole in 1, one of 5,000 takes 50.
        var small = hundred.Cheaper(table, 98);
        Assert.True(small.Whole);
        Assert.Equal("Customer Sites held 98 page(s) at its last whole read: reading them all takes 1 query, fewer than the 2 the input's 100 key(s) take", small.Reason);
        Assert.False(hundred.Cheaper(table, 5000).Whole);
        Assert.False(hundred.Cheaper(table, null).Whole);
        Assert.False(IndexRead.For(Sites(1), null).Cheaper(table, 98).Whole);

        var directory = Path.Combine(Path.GetTempPath(), "oc-sizes-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sizes = new OberaConnect.Engine.State.IndexSizes(directory);
            Assert.Null(sizes.Find(_dataSource));
            sizes.Save(_dataSource, 98);
            sizes.Save("other", 5000);
            Assert.Equal(98, new OberaConnect.Engine.State.IndexSizes(directory).Find(_dataSource));
            Assert.Equal(5000, new OberaConnect.Engine.State.IndexSizes(directory).Find("other"));
            File.WriteAllText(sizes.FilePath, "damaged\tnot a number\n");
            Assert.Null(sizes.Find(_dataSource));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Key_filters_stay_within_Notions_limits_of_100_conditions_and_two_levels()
    {
        var table = Table();
        var keys = Enumerable.Range(1, 250).Select(i => $"Branch Office {i}").ToList();
        var batches = table.KeyFilters(keys);
        // Three words a key: 33 keys (99 conditions) a query.
        Assert.Equal(8, batches.Count);
        Assert.Equal(keys, batches.SelectMany(b => b.Keys));
        Assert.All(batches, b => Assert.True(b.Filter.Depth <= 2));
        Assert.All(batches, b => Assert.True(b.Keys.Count * 3 <= 100));
        // One-word keys: 100 a query; the same site twice is asked once.
        var single = table.KeyFilters(Enumerable.Range(1, 201).Select(i => $"S{i}").Append("s1"));
        Assert.Equal(new[] { 100, 100, 1 }, single.Select(b => b.Keys.Count));
    }

    [Fact]
    public async Task The_fake_refuses_an_or_of_more_than_100_filters_as_Notion_does_and_finds_words_in_any_case()
    {
        var table = Table();
        var tooMany = NotionFilter.Or(Enumerable.Range(1, 101).Select(i => table.KeyCondition(Name(i))).ToArray());
        var error = await Assert.ThrowsAnyAsync<OberaConnectException>(async () =>
        {
            await foreach (var _ in _client.QueryAsync(_dataSource, NotionQuery.Where(tooMany), default)) { }
        });
        Assert.Contains("body.filter.or.length should be ≤ `100`, instead was `101`", error.Message, StringComparison.Ordinal);

        var found = new List<string>();
        await foreach (var page in _client.QueryAsync(_dataSource, NotionQuery.Where(table.KeyCondition("site  0012")), default))
            found.Add(table.KeyOf(page)!);
        Assert.Equal(new[] { "Site 0012" }, found);
    }
}
