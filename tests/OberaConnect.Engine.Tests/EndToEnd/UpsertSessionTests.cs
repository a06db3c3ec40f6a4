using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>The keyed upsert against the real Notion fake over HTTP: requests counted on the fake.</summary>
public sealed class UpsertSessionTests : IAsyncLifetime
{
    private const string Schema = """
        {"Site Name":{"title":{}},"Health Score":{"number":{}},"Risk Level":{"select":{"options":[{"name":"Low"},{"name":"High"}]}},
         "Devices Online":{"number":{}},"Notes":{"rich_text":{}}}
        """;

    private NotionFake _fake = null!;
    private NotionClient _client = null!;
    private string _dataSource = "";

    public async Task InitializeAsync()
    {
        _fake = await NotionFake.StartAsync(new NotionFakeOptions());
        _client = Client(_fake.Token);
        _dataSource = _fake.State.CreateDatabase(_fake.RootPageId, "Customer Sites", Schema).DataSourceId;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    private NotionClient Client(string token) => new(token, new NotionClientOptions
    {
        BaseUrl = _fake.BaseUrl.ToString(),
        Resilience = new HttpResilienceOptions { RequestsPerSecond = 1000, Burst = 1000, BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), RequestTimeout = TimeSpan.FromSeconds(5) },
        DuplicateCheckInterval = TimeSpan.FromMilliseconds(20),
    });

    private SyncTable Table(WriteMode mode = WriteMode.Upsert) =>
        new("CustomerSites", _dataSource, "Site Name", KeyKind.Title, mode, new[] { "Health Score", "Risk Level", "Devices Online" });

    private static DesiredRecord Site(string name, double score, string risk = "Low", int online = 10) =>
        new(name, new Dictionary<string, PropertyValue>
        {
            ["Site Name"] = PropertyValue.Title(name),
            ["Health Score"] = PropertyValue.Number(score),
            ["Risk Level"] = PropertyValue.Select(risk),
            ["Devices Online"] = PropertyValue.Number(online),
        });

    private static IEnumerable<DesiredRecord> Sites(int n, Func<int, double>? score = null) =>
        Enumerable.Range(1, n).Select(i => Site($"Site {i:D3}", score?.Invoke(i) ?? 90));

    private async Task<IReadOnlyList<SyncResult>> Run(IEnumerable<DesiredRecord> records, WriteMode mode = WriteMode.Upsert, NotionClient? client = null)
    {
        var run = new SyncRun("Sync-CustomerStatus", client ?? _client, "test");
        var session = await UpsertSession.OpenAsync(run, Table(mode), default);
        return await session.RunAsync(records, null, default);
    }

    [Fact]
    public async Task First_sync_creates_each_record_with_one_request_plus_the_index_read_and_a_confirmation_per_50_keys()
    {
        var results = await Run(Sites(150));
        Assert.Equal(150, results.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(150, _fake.State.CountPages(_dataSource));
        Assert.Equal(150, _fake.Requests.Count("POST /v1/pages"));
        // Empty index: one read; then the created keys are confirmed 50 to a query (no other writer made them too).
        Assert.Equal(1 + 3, _fake.Requests.Count("POST /v1/data_sources/{id}/query"));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.PageId)));
    }

    [Fact]
    public async Task Steady_state_rerun_reads_the_index_and_writes_nothing()
    {
        await Run(Sites(250));
        _fake.Requests.Reset();

        var results = await Run(Sites(250));

        Assert.All(results, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(3, _fake.Requests.Total); // ceil(250/100) query pages, nothing else
        Assert.Equal(0, _fake.Requests.Count("POST /v1/pages") + _fake.Requests.Count("PATCH /v1/pages/{id}"));
    }

    [Fact]
    public async Task Changed_records_send_only_the_properties_that_differ_and_user_properties_survive()
    {
        await Run(Sites(20));
        var acme = _fake.State.PageIds(_dataSource).First(id => _fake.State.GetPropertyText(id, "Site Name") == "Site 001");
        _fake.State.UpdatePage(acme, new Dictionary<string, object?> { ["Notes"] = "call before visiting" });
        _fake.Requests.Reset();

        var results = await Run(Sites(20, i => i <= 2 ? 55 : 90));

        var updated = results.Where(r => r.StatusValue == SyncStatus.Updated).ToList();
        Assert.Equal(new[] { "Site 001", "Site 002" }, updated.Select(r => r.Key).OrderBy(k => k));
        Assert.All(updated, r => Assert.Equal(new[] { "Health Score" }, r.ChangedProperties));
        Assert.Equal(2, _fake.Requests.Count("PATCH /v1/pages/{id}"));
        Assert.Equal("55", _fake.State.GetPropertyText(acme, "Health Score"));
        Assert.Equal("call before visiting", _fake.State.GetPropertyText(acme, "Notes"));
    }

    [Fact]
    public async Task Lost_create_responses_never_make_a_second_page()
    {
        _fake.Faults.Add("POST /v1/pages", NotionFault.LoseResponse(), times: 3);
        var results = await Run(Sites(10));
        Assert.Equal(10, results.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(10, _fake.State.CountPages(_dataSource));
        Assert.Equal(3, results.Count(r => r.Reason?.Contains("lost") == true));

        // A rerun after the faults finds everything in place.
        var again = await Run(Sites(10));
        Assert.All(again, r => Assert.Equal(SyncStatus.Unchanged, r.StatusValue));
        Assert.Equal(10, _fake.State.CountPages(_dataSource));
    }

    [Fact]
    public async Task Insert_only_keeps_existing_records_and_immutable_reports_a_differing_one()
    {
        await Run(Sites(3));
        _fake.Requests.Reset();
        var insertOnly = await Run(Sites(4, _ => 10), WriteMode.InsertOnly);
        Assert.Equal(3, insertOnly.Count(r => r.StatusValue == SyncStatus.Skipped && r.Reason!.Contains("insert-only")));
        Assert.Equal(1, insertOnly.Count(r => r.StatusValue == SyncStatus.Created));
        Assert.Equal(0, _fake.Requests.Count("PATCH /v1/pages/{id}"));

        var immutable = await Run(new[] { Site("Site 001", 33) }, WriteMode.Immutable);
        var skipped = Assert.Single(immutable);
        Assert.Equal(SyncStatus.Skipped, skipped.StatusValue);
        Assert.Contains("immutable", skipped.Reason);
        Assert.Contains("Health Score", skipped.ChangedProperties);
    }

    [Fact]
    public async Task A_bad_record_fails_alone_and_the_rest_are_written()
    {
        var records = Sites(5).ToList();
        records.Insert(2, new DesiredRecord("", new Dictionary<string, PropertyValue>()));
        records.Add(Site("Site 001", 1)); // the same key twice in one run
        var results = await Run(records);
        Assert.Equal(5, results.Count(r => r.StatusValue == SyncStatus.Created));
        var failed = Assert.Single(results, r => r.StatusValue == SyncStatus.Failed);
        Assert.Equal("MissingKey", failed.ErrorId);
        Assert.Single(results, r => r.StatusValue == SyncStatus.Skipped && r.Reason!.Contains("more than once"));
        Assert.Equal(7, results.Count);
    }

    [Fact]
    public async Task A_refused_token_stops_writing_and_every_record_is_reported_failed()
    {
        _fake.Requests.Reset();
        var bad = Client("secret_not_the_right_token_000000000000000000");
        await Assert.ThrowsAsync<NotionUnauthorizedException>(() => Run(Sites(5), client: bad));
        Assert.Equal(1, _fake.Requests.Total); // the index read failed fast: nothing else was tried
    }

    [Fact]
    public async Task Server_errors_on_writes_are_reported_failed_and_nothing_is_lost()
    {
        _fake.Faults.Add("PATCH /v1/pages/{id}", NotionFault.Status(500), times: 50);
        await Run(Sites(4));
        var results = await Run(Sites(4, _ => 12));
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.StatusValue));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Error)));
    }

    [Fact]
    public async Task Pages_not_planned_are_listed_for_marking()
    {
        await Run(Sites(5));
        var run = new SyncRun("Sync-NetworkDevice", _client, "test");
        var session = await UpsertSession.OpenAsync(run, Table(), default);
        await session.RunAsync(Sites(3), null, default);
        Assert.Equal(new[] { "Site 004", "Site 005" }, session.Unplanned().Select(p => p.Key).OrderBy(k => k));
        var plan = session.PlanUpdate(session.Unplanned().First(), new Dictionary<string, PropertyValue> { ["Risk Level"] = PropertyValue.Select("High") });
        Assert.Equal(PlanKind.Update, plan.Kind);
        Assert.Equal(new[] { "Risk Level" }, plan.Changed);
    }
}
