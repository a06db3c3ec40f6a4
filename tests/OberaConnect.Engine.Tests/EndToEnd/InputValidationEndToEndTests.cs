using System.Text.Json.Nodes;
using OberaConnect.Engine.Duplicates;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.ReadBack;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Bad input against the Notion fake: a refused record sends nothing and never stops the run from journaling and
/// auditing; case and spacing variants of a site name are one site everywhere (no second page, no silent rename, an
/// explicit rename reported); unknown property names of a read are errors that list the properties.
/// </summary>
public sealed class InputValidationEndToEndTests : IAsyncLifetime
{
    private SiteWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await SiteWorkspace.StartAsync();

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private static CustomerStatusInput Site(string name, object? wan = null)
        => CustomerStatusInput.FromValues(new Dictionary<string, object?> { ["SiteName"] = name, ["DevicesOnline"] = 4, ["DevicesTotal"] = 5, ["WanUptimePercent"] = wan });

    private string SitesSource => _ws.DataSource(DatabaseKey.CustomerSites);

    // Outcome lines (and the run's own line); the write-ahead intents before each request are not counted.
    private int AuditLines() => SiteSyncFaultTests.AuditLines(_ws).Count(l => l.Outcome != "Intended");

    [Fact]
    public async Task NaN_in_the_middle_of_a_run_fails_that_site_alone_sends_nothing_for_it_and_the_run_still_journals_and_audits()
    {
        var records = new CustomerStatusRecords();
        var driver = await _ws.OpenAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites);
        _ws.Fake.Requests.Reset();
        var inputs = new[] { Site("Alpha"), Site("Bravo"), Site("Bayou Electric", double.NaN), Site("Charlie", double.PositiveInfinity), Site("Delta") };

        var (results, summary) = await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList());

        Assert.Equal(3, _ws.Fake.Requests.Count("POST /v1/pages")); // one create per valid site, none for the refused ones
        Assert.Equal(3, _ws.Fake.State.CountPages(SitesSource));
        Assert.Equal((3, 2), (summary.Created, summary.Failed));
        Assert.All(results.Where(r => r.StatusValue == SyncStatus.Failed), r => Assert.Equal(InputErrorIds.InvalidNumber, r.ErrorId));
        Assert.Equal(5 + 1, AuditLines()); // every site has its line, the ones created before the NaN included, and the run its own
        // Refused input fails the same way on every retry: reported, never journaled.
        Assert.Empty(FailureJournal.For(_ws.Connection.Configuration, "Sync-CustomerStatus").Read());
    }

    [Fact]
    public async Task A_refused_record_fails_with_its_own_error_even_when_its_key_repeats_and_does_not_take_the_key_from_a_valid_one()
    {
        var results = await Sync(new CustomerStatusRecords(), Site("Echo", 150), Site("Echo"), Site("Echo", double.NaN));

        Assert.Equal(new[] { SyncStatus.Failed, SyncStatus.Created, SyncStatus.Failed }, results.Select(r => r.StatusValue));
        Assert.Equal(new[] { InputErrorIds.ValueOutOfRange, null, InputErrorIds.InvalidNumber }, results.Select(r => r.ErrorId));
        Assert.Single(_ws.Fake.State.PageIds(SitesSource));
    }

    [Fact]
    public async Task An_input_the_journal_cannot_write_is_journaled_without_it_and_every_record_is_still_audited()
    {
        // Notion refuses one create (a retry may succeed), so it is journaled: its input cannot be written.
        _ws.Fake.Faults.Add("POST /v1/pages", NotionFault.Status(400), 1);
        var driver = await _ws.OpenAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites);
        foreach (var record in new[] { Site("Alpha"), Site("Bravo") }.Select(new CustomerStatusRecords().Build)) SiteWorkspace.Process(driver, driver.Session.Plan(record));
        await driver.DrainAsync(_ => { }, CancellationToken.None);

        var summary = await driver.FinishAsync(_ => throw new NotSupportedException("an object the serializer cannot write"), CancellationToken.None);

        Assert.Equal((1, 1), (summary.Created, summary.Failed));
        Assert.Equal(2 + 1, AuditLines());
        var entry = Assert.Single(FailureJournal.For(_ws.Connection.Configuration, "Sync-CustomerStatus").Read());
        Assert.Null(entry.Input);
    }

    [Fact]
    public async Task Case_and_spacing_variants_are_one_site_that_keeps_its_name_unless_a_rename_is_asked_for()
    {
        await Sync(new CustomerStatusRecords(), Site("Bayou Electric"));
        var page = Assert.Single(_ws.Fake.State.PageIds(SitesSource));

        var variants = await Sync(new CustomerStatusRecords(), Site("Bayou  Electric"), Site("BAYOU ELECTRIC"), Site("bayou\u00A0electric"));

        Assert.Single(_ws.Fake.State.PageIds(SitesSource));
        Assert.Equal("Bayou Electric", _ws.Fake.State.GetPropertyText(page, "Site Name"));
        var first = variants[0];
        Assert.Equal(SyncStatus.Unchanged, first.StatusValue);
        Assert.Contains("keeps its Site Name 'Bayou Electric'", first.Reason);
        Assert.Contains("-RenameSite", first.Reason);
        // The others are the same site again in one run: reported, not written twice.
        Assert.All(variants.Skip(1), r => Assert.Equal(SyncStatus.Skipped, r.StatusValue));

        var renamed = Assert.Single(await Sync(new CustomerStatusRecords { RenameSites = true }, Site("BAYOU ELECTRIC")));
        Assert.Equal(SyncStatus.Updated, renamed.StatusValue);
        Assert.Equal(new[] { "Site Name" }, renamed.ChangedProperties.Where(p => p != "Last Sync"));
        Assert.Equal("Renamed: Site Name 'Bayou Electric' becomes 'BAYOU ELECTRIC'.", renamed.Reason);
        Assert.Equal("BAYOU ELECTRIC", _ws.Fake.State.GetPropertyText(page, "Site Name"));
        Assert.Single(_ws.Fake.State.PageIds(SitesSource));
    }

    [Fact]
    public async Task Records_and_reads_find_a_site_by_any_spelling_of_its_name()
    {
        await Sync(new CustomerStatusRecords(), Site("Bayou Electric"));
        var page = Assert.Single(_ws.Fake.State.PageIds(SitesSource));
        var sites = await SiteRelationIndex.OpenAsync(_ws.Connection, CancellationToken.None);

        var snapshot = new DailyHealthRecords(sites, DateTime.Today).Build(Site("bayou   ELECTRIC"));
        Assert.Null(snapshot.Problem);
        Assert.Equal(RecordKeys.DailyHealthKey("Bayou Electric", DateTime.Today), snapshot.Key); // the page's spelling
        Assert.Equal(PropertyValue.Relation(page), snapshot.Properties["Site"]);

        var workspace = await NotionWorkspace.OpenAsync(_ws.Connection, CancellationToken.None);
        var reader = new WorkspaceReader(workspace);
        var found = await reader.ListAsync<CustomerStatus>(new CustomerStatusQuery { Site = "BAYOU  ELECTRIC" });
        Assert.Equal(page, Assert.Single(found).PageId);

        // A hand-made page with two spaces is the same site: a duplicate to clean up, not a second customer.
        _ws.Fake.State.InsertPage(SitesSource, new Dictionary<string, object?> { ["Site Name"] = "Bayou  Electric" });
        var duplicate = Assert.Single(await new NotionDuplicates(workspace).FindAsync("CustomerSites", null, null, CancellationToken.None));
        Assert.Equal(2, duplicate.Count);
    }

    [Fact]
    public async Task An_unknown_property_name_of_a_read_is_an_error_listing_the_properties()
    {
        await Sync(new CustomerStatusRecords(), Site("Alpha"));
        var workspace = await NotionWorkspace.OpenAsync(_ws.Connection, CancellationToken.None);
        var reader = new WorkspaceReader(workspace);

        var error = await Assert.ThrowsAsync<InputValidationException>(() => reader.ListAsync<WorkspacePageRecord>(
            new NotionPageQuery { DatabaseName = "CustomerSites", Properties = new[] { "Health Score", "NoSuchProperty" } }));
        Assert.Equal("UnknownProperty", error.ErrorId);
        Assert.Contains("'NoSuchProperty' is not a property of the database", error.Message);
        Assert.Contains("Health Score", error.Message);
        Assert.Contains("Site Name", error.Message);

        var record = Assert.Single(await reader.ListAsync<WorkspacePageRecord>(new NotionPageQuery { DatabaseName = "CustomerSites", Properties = new[] { "health score" } }));
        Assert.Equal(new[] { "Health Score" }, record.Properties.Keys);
    }

    private async Task<IReadOnlyList<SyncResult>> Sync(CustomerStatusRecords records, params CustomerStatusInput[] inputs)
    {
        var driver = await _ws.OpenAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites);
        var (results, _) = await SiteWorkspace.RunAsync(driver, inputs.Select(records.Build).ToList());
        return inputs.Select(i => results.Single(r => ReferenceEquals(r.Input, i))).ToList();
    }
}
