using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Workspace initialization, schema check and repair through the real Notion client against the Notion fake
/// over HTTP: what Initialize-OberaNotionWorkspace and Test-NotionSchema do, without PowerShell.
/// </summary>
public sealed class WorkspaceSetupTests : IAsyncLifetime
{
    private const string CreateDatabase = "POST /v1/databases";
    private const string PatchDataSource = "PATCH /v1/data_sources/{id}";
    private static readonly WorkspaceDefinition Standard = WorkspaceDefinition.Standard;

    private NotionFake _fake = null!;
    private NotionClient _notion = null!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oc-ws-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _fake = await NotionFake.StartAsync();
        _notion = new NotionClient(_fake.Token, new NotionClientOptions
        {
            BaseUrl = _fake.BaseUrl.ToString(),
            Resilience = { RequestsPerSecond = 1000, Burst = 1000, BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
            DuplicateCheckInterval = TimeSpan.Zero,
        });
        Directory.CreateDirectory(_directory);
    }

    public async Task DisposeAsync()
    {
        _notion.Dispose();
        await _fake.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    // ---- initialization ----------------------------------------------------------------------------

    [Fact]
    public async Task The_first_initialization_creates_seven_databases_with_relations_wired_by_data_source_id()
    {
        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        Assert.Equal(Standard.CreationOrder.Select(k => k.ToString()), plan.Databases.Select(d => d.Database));
        Assert.All(plan.Databases, d => Assert.Equal(WorkspaceDatabaseState.ToCreate, d.StateValue));
        Assert.Equal(0, _fake.Requests.Count(CreateDatabase));

        var results = await CreateAllAsync(plan);

        Assert.All(results, r => Assert.True(r.StateValue == WorkspaceDatabaseState.Created, r.ToString()));
        Assert.Equal(7, _fake.Requests.Count(CreateDatabase));
        var children = _fake.State.GetChildren(_fake.RootPageId).Where(c => (string?)c["type"] == "child_database")
            .Select(c => (string)c["child_database"]!["title"]!).ToList();
        Assert.Equal(Standard.Databases.Select(d => d.Title).OrderBy(t => t), children.OrderBy(t => t));

        var sites = Entry(plan, DatabaseKey.CustomerSites);
        Assert.Equal(Assert.Single(_fake.State.FindDataSources("Customer Sites")), sites.DataSourceId);
        var relationCount = 0;
        foreach (var db in Standard.Databases)
        {
            var schema = (JsonObject)_fake.State.GetDataSource(Entry(plan, db.Key).DataSourceId!)["properties"]!;
            Assert.Equal(db.Properties.Select(p => p.Name).OrderBy(n => n), schema.Select(kv => kv.Key).OrderBy(n => n));
            foreach (var relation in db.Relations)
            {
                relationCount++;
                var config = schema[relation.Name]!["relation"]!;
                Assert.True(SameId(sites.DataSourceId!, (string)config["data_source_id"]!), $"{db.Title}.{relation.Name} points at {config["data_source_id"]}");
                Assert.Equal("single_property", (string)config["type"]!);
            }
        }
        Assert.Equal(4, relationCount);

        var check = await WorkspaceSetup.CheckAsync(_notion, Standard, IdsOf(plan), Standard.CreationOrder, default);
        Assert.All(check, r => Assert.True(r.Matches, string.Join("\n", r.Differences)));
    }

    [Fact]
    public async Task A_second_run_sends_no_create_request_whether_the_ids_are_configured_or_only_found_under_the_parent()
    {
        var first = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        await CreateAllAsync(first);
        var creates = _fake.Requests.Count(CreateDatabase);

        var configured = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, IdsOf(first), null, default);
        Assert.All(configured.Databases, d => Assert.Equal(WorkspaceDatabaseState.Configured, d.StateValue));
        await CreateAllAsync(configured);

        // The configuration was lost: the databases are found by title under the parent page.
        var found = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        Assert.All(found.Databases, d => Assert.Equal(WorkspaceDatabaseState.FoundUnderParent, d.StateValue));
        await CreateAllAsync(found);

        Assert.Equal(creates, _fake.Requests.Count(CreateDatabase));
        Assert.Equal(first.ExistingIds().OrderBy(kv => kv.Key), found.ExistingIds().OrderBy(kv => kv.Key));
        Assert.Equal(7, _fake.State.GetChildren(_fake.RootPageId).Count(c => (string?)c["type"] == "child_database"));
    }

    [Fact]
    public async Task With_three_of_seven_found_under_the_parent_only_the_four_missing_are_created_and_related_to_the_existing_ones()
    {
        var sites = Seed(_fake.RootPageId, DatabaseKey.CustomerSites, null);
        var health = Seed(_fake.RootPageId, DatabaseKey.DailyHealth, sites.DataSourceId);
        var runbooks = Seed(_fake.RootPageId, DatabaseKey.RunbookLibrary, null);

        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        Assert.Equal(3, plan.Databases.Count(d => d.StateValue == WorkspaceDatabaseState.FoundUnderParent));
        Assert.Equal(sites.DatabaseId, Entry(plan, DatabaseKey.CustomerSites).DatabaseId);
        Assert.Equal(health.DataSourceId, Entry(plan, DatabaseKey.DailyHealth).DataSourceId);
        Assert.Equal(runbooks.DatabaseId, Entry(plan, DatabaseKey.RunbookLibrary).DatabaseId);

        var results = await CreateAllAsync(plan);

        Assert.Equal(4, _fake.Requests.Count(CreateDatabase));
        Assert.Equal(new[] { DatabaseKey.ConfigChanges, DatabaseKey.NetworkDevices, DatabaseKey.Alerts, DatabaseKey.AzurePipeline },
            results.Where(r => r.StateValue == WorkspaceDatabaseState.Created).Select(r => Enum.Parse<DatabaseKey>(r.Database)));
        Assert.Single(_fake.State.FindDataSources("Customer Sites"));
        foreach (var key in new[] { DatabaseKey.ConfigChanges, DatabaseKey.NetworkDevices, DatabaseKey.Alerts })
            Assert.True(SameId(sites.DataSourceId, RelationTarget(Entry(plan, key).DataSourceId!, "Site")));
        Assert.Equal(7, plan.ExistingIds().Count);
    }

    [Fact]
    public async Task With_three_of_seven_configured_by_id_only_the_four_missing_are_created()
    {
        // Elsewhere in the workspace, so only their ids can find them: one configured by database id, one by
        // data source id, one by both (the three forms people paste).
        var elsewhere = _fake.State.CreatePage(_fake.RootPageId, "Archive");
        var sites = Seed(elsewhere, DatabaseKey.CustomerSites, null);
        var alerts = Seed(elsewhere, DatabaseKey.Alerts, sites.DataSourceId);
        var pipeline = Seed(elsewhere, DatabaseKey.AzurePipeline, null);
        var parent = _fake.State.CreatePage(_fake.RootPageId, "Operations");
        var configured = new DatabaseIdSet();
        configured.Set(DatabaseKey.CustomerSites, new DatabaseIds(sites.DatabaseId, null));
        configured.Set(DatabaseKey.Alerts, new DatabaseIds(null, alerts.DataSourceId));
        configured.Set(DatabaseKey.AzurePipeline, new DatabaseIds(pipeline.DatabaseId, pipeline.DataSourceId));

        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, parent, configured, null, default);

        Assert.Equal(new[] { DatabaseKey.CustomerSites, DatabaseKey.Alerts, DatabaseKey.AzurePipeline },
            plan.Databases.Where(d => d.StateValue == WorkspaceDatabaseState.Configured).Select(d => Enum.Parse<DatabaseKey>(d.Database)));
        Assert.Equal(sites.DataSourceId, Entry(plan, DatabaseKey.CustomerSites).DataSourceId);
        Assert.Equal(alerts.DatabaseId, Entry(plan, DatabaseKey.Alerts).DatabaseId);

        await CreateAllAsync(plan);

        Assert.Equal(4, _fake.Requests.Count(CreateDatabase));
        Assert.Equal(4, _fake.State.GetChildren(parent).Count(c => (string?)c["type"] == "child_database"));
        Assert.True(SameId(sites.DataSourceId, RelationTarget(Entry(plan, DatabaseKey.DailyHealth).DataSourceId!, "Site")));
        var check = await WorkspaceSetup.CheckAsync(_notion, Standard, IdsOf(plan), Standard.CreationOrder, default);
        Assert.All(check, r => Assert.True(r.Matches, string.Join("\n", r.Differences)));
    }

    [Fact]
    public async Task A_configured_database_that_was_trashed_is_created_again()
    {
        var first = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        await CreateAllAsync(first);
        var oldAlerts = Entry(first, DatabaseKey.Alerts).DatabaseId!;
        await TrashDatabaseAsync(oldAlerts);
        var warnings = new List<string>();

        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, IdsOf(first), new CallbackEngineOutput(_ => { }, warnings.Add, _ => { }), default);

        Assert.Equal(WorkspaceDatabaseState.ToCreate, Entry(plan, DatabaseKey.Alerts).StateValue);
        Assert.Contains(warnings, w => w.Contains("Alerts") && w.Contains("trash"));
        var results = await CreateAllAsync(plan);
        Assert.Equal(8, _fake.Requests.Count(CreateDatabase));
        Assert.NotEqual(oldAlerts, Assert.Single(results, r => r.StateValue == WorkspaceDatabaseState.Created).DatabaseId);
    }

    [Fact]
    public async Task A_failed_database_is_reported_and_the_others_go_on_without_relations_to_it()
    {
        _fake.Faults.Add(CreateDatabase, NotionFault.Status(409));
        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);

        var results = await CreateAllAsync(plan);

        var sites = Entry(plan, DatabaseKey.CustomerSites);
        Assert.Equal(WorkspaceDatabaseState.Failed, sites.StateValue);
        Assert.Equal("NotionConflict", sites.ErrorId);
        Assert.IsType<NotionConflictException>(sites.Exception);
        foreach (var key in new[] { DatabaseKey.DailyHealth, DatabaseKey.ConfigChanges, DatabaseKey.NetworkDevices, DatabaseKey.Alerts })
        {
            Assert.Equal(WorkspaceDatabaseState.Skipped, Entry(plan, key).StateValue);
            Assert.Contains("Customer Sites", Entry(plan, key).Error);
        }
        Assert.Equal(WorkspaceDatabaseState.Created, Entry(plan, DatabaseKey.AzurePipeline).StateValue);
        Assert.Equal(WorkspaceDatabaseState.Created, Entry(plan, DatabaseKey.RunbookLibrary).StateValue);
        Assert.Equal(3, _fake.Requests.Count(CreateDatabase));
        Assert.Equal(new[] { DatabaseKey.AzurePipeline, DatabaseKey.RunbookLibrary }, plan.ExistingIds().Keys.OrderBy(k => k));

        // Run again: the two are found, the five are created.
        var again = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, IdsOf(plan), null, default);
        await CreateAllAsync(again);
        Assert.Equal(8, _fake.Requests.Count(CreateDatabase));
        Assert.All(again.Databases, d => Assert.Contains(d.StateValue, new[] { WorkspaceDatabaseState.Configured, WorkspaceDatabaseState.Created }));
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_recovered_not_duplicated()
    {
        _fake.Faults.Add(CreateDatabase, NotionFault.LoseResponse());
        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);

        await CreateAllAsync(plan);

        var sites = Entry(plan, DatabaseKey.CustomerSites);
        Assert.Equal(WorkspaceDatabaseState.Created, sites.StateValue);
        Assert.Equal(Assert.Single(_fake.State.FindDataSources("Customer Sites")), sites.DataSourceId);
        Assert.Equal(7, _fake.Requests.Count(CreateDatabase));
    }

    [Fact]
    public async Task A_database_relating_to_itself_is_created_with_the_relation_pointing_at_its_own_data_source()
    {
        var definition = new WorkspaceDefinition(new[]
        {
            new DatabaseDefinition(DatabaseKey.CustomerSites, "Sites", WritePattern.Upsert, "Name", "Sites.", new[]
            {
                Define.Title("Name", "The name."),
                Define.Relation("Parent Site", DatabaseKey.CustomerSites, "The site this one belongs to."),
            }),
        }).EnsureValid();
        var plan = await WorkspaceSetup.PlanAsync(_notion, definition, _fake.RootPageId, new DatabaseIdSet(), null, default);

        var created = await WorkspaceSetup.CreateAsync(_notion, definition, plan, plan.Databases[0], default);

        Assert.True(created.StateValue == WorkspaceDatabaseState.Created, created.ToString());
        Assert.True(SameId(created.DataSourceId!, RelationTarget(created.DataSourceId!, "Parent Site")));
        var ids = IdsOf(plan);
        Assert.True((await WorkspaceSetup.CheckAsync(_notion, definition, ids, new[] { DatabaseKey.CustomerSites }, default))[0].Matches);
    }

    [Fact]
    public async Task A_parent_page_not_shared_with_the_integration_says_how_to_share_it()
    {
        var error = await Assert.ThrowsAsync<WorkspaceParentNotSharedException>(
            () => WorkspaceSetup.PlanAsync(_notion, Standard, _fake.UnsharedPageId, new DatabaseIdSet(), null, default));

        Assert.Equal("WorkspaceParentNotShared", error.ErrorId);
        Assert.Equal(FailureKind.NotFound, error.Kind);
        Assert.True(SameId(_fake.UnsharedPageId, error.PageId));
        Assert.Contains("Connections", error.Message);
        Assert.Contains("Connect to", error.Message);
        Assert.IsType<NotionObjectNotFoundException>(error.InnerException);
        Assert.Equal(0, _fake.Requests.Count(CreateDatabase));
    }

    [Fact]
    public async Task A_parent_page_in_the_trash_is_refused_before_anything_is_created()
    {
        var parent = _fake.State.CreatePage(_fake.RootPageId, "Old operations");
        _fake.State.TrashPage(parent);

        var error = await Assert.ThrowsAsync<OberaConnectException>(
            () => WorkspaceSetup.PlanAsync(_notion, Standard, parent, new DatabaseIdSet(), null, default));

        Assert.Equal("WorkspaceParentInTrash", error.ErrorId);
        Assert.Contains("Old operations", error.Message);
        Assert.Equal(0, _fake.Requests.Count(CreateDatabase));
    }

    [Fact]
    public async Task A_parent_given_as_a_Notion_link_is_accepted()
    {
        var link = "https://www.notion.so/Operations-" + _fake.RootPageId.Replace("-", "");
        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, link, new DatabaseIdSet(), null, default);
        Assert.True(SameId(_fake.RootPageId, plan.ParentPageId));
    }

    // ---- configuration file ------------------------------------------------------------------------

    [Fact]
    public async Task The_ids_are_saved_into_the_configuration_file_and_a_reload_plans_no_creation()
    {
        var path = Path.Combine(_directory, "config.json");
        var sample = JsonNode.Parse(ConfigurationFile.Sample())!.AsObject();
        sample["notion"]!["baseUrl"] = _fake.BaseUrl.ToString();
        sample["notion"]!["requestsPerSecond"] = 2.5;
        File.WriteAllText(path, sample.ToJsonString());
        var before = ConfigurationFile.LoadFrom(path);
        Assert.Empty(before.Databases.Configured);

        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, before.Databases, null, default);
        await CreateAllAsync(plan);
        ConfigurationFile.SaveDatabaseIds(path, plan.ExistingIds());

        var reloaded = ConfigurationFile.LoadFrom(path);
        Assert.Equal(Standard.CreationOrder.OrderBy(k => k), reloaded.Databases.Configured);
        foreach (var entry in plan.Databases)
        {
            var ids = reloaded.Databases[Enum.Parse<DatabaseKey>(entry.Database)]!;
            Assert.True(SameId(entry.DatabaseId!, ids.DatabaseId), entry.Database);
            Assert.True(SameId(entry.DataSourceId!, ids.DataSourceId), entry.Database);
        }
        Assert.Equal(2.5, reloaded.Notion.RequestsPerSecond);
        Assert.Equal(_fake.BaseUrl.ToString(), reloaded.Notion.BaseUrl);

        var creates = _fake.Requests.Count(CreateDatabase);
        var again = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, reloaded.Databases, null, default);
        Assert.All(again.Databases, d => Assert.Equal(WorkspaceDatabaseState.Configured, d.StateValue));
        Assert.Equal(creates, _fake.Requests.Count(CreateDatabase));
        var check = await WorkspaceSetup.CheckAsync(_notion, Standard, reloaded.Databases, Standard.CreationOrder, default);
        Assert.All(check, r => Assert.True(r.Matches, string.Join("\n", r.Differences)));
    }

    // ---- drift: check, repair, re-check -----------------------------------------------------------

    [Fact]
    public async Task Each_repairable_drift_is_detected_repaired_one_difference_at_a_time_and_the_recheck_is_clean()
    {
        var plan = await InitializedAsync();
        var ids = IdsOf(plan);
        var sites = Entry(plan, DatabaseKey.CustomerSites).DataSourceId!;
        var health = Entry(plan, DatabaseKey.DailyHealth).DataSourceId!;
        var acme = _fake.State.InsertPage(sites, new Dictionary<string, object?> { ["Site Name"] = "Acme HQ", ["Health Score"] = 91 });

        // What people do in Notion: delete a column, rename the title, rename an option, delete a relation.
        _fake.State.UpdateSchema(sites, """{"Devices Offline": null, "Site Name": {"name": "Customer"}}""");
        var critical = OptionId(sites, "Risk Level", "Critical");
        _fake.State.UpdateSchema(sites, "{\"Risk Level\": {\"select\": {\"options\": [{\"id\": \"" + critical + "\", \"name\": \"Severe\"}]}}}");
        _fake.State.UpdateSchema(health, """{"Site": null}""");

        var reports = await WorkspaceSetup.CheckAsync(_notion, Standard, ids, Standard.CreationOrder, default);

        var differences = reports.SelectMany(r => r.Differences).Where(d => d.KindValue != SchemaDifferenceKind.Extra).ToList();
        Assert.Equal(4, differences.Count);
        Assert.Contains(differences, d => d is { DatabaseValue: DatabaseKey.CustomerSites, Property: "Devices Offline", KindValue: SchemaDifferenceKind.Missing, SeverityValue: SchemaSeverity.Error });
        Assert.Contains(differences, d => d is { DatabaseValue: DatabaseKey.CustomerSites, KindValue: SchemaDifferenceKind.TitleRenamed, Expected: "Site Name", Actual: "Customer" });
        Assert.Contains(differences, d => d is { DatabaseValue: DatabaseKey.CustomerSites, Property: "Risk Level", KindValue: SchemaDifferenceKind.MissingOption, Expected: "Critical" });
        Assert.Contains(differences, d => d is { DatabaseValue: DatabaseKey.DailyHealth, Property: "Site", KindValue: SchemaDifferenceKind.Missing });
        // The renamed title is not also reported as an extra property; every one of the four is repairable.
        Assert.DoesNotContain(reports.SelectMany(r => r.Differences), d => d.KindValue == SchemaDifferenceKind.Extra);
        Assert.All(differences, d => Assert.True(d.Repairable, d.Message));
        Assert.Equal("Add property 'Devices Offline' (number)", differences.Single(d => d.Property == "Devices Offline").RepairAction);
        Assert.Equal("Rename the title property 'Customer' back to 'Site Name'", differences.Single(d => d.KindValue == SchemaDifferenceKind.TitleRenamed).RepairAction);
        Assert.Equal("Add option(s) Critical to 'Risk Level'", differences.Single(d => d.KindValue == SchemaDifferenceKind.MissingOption).RepairAction);

        var patches = 0;
        foreach (var report in reports)
        {
            foreach (var difference in report.Differences)
            {
                Assert.True(await WorkspaceSetup.RepairAsync(_notion, ids, report, difference, default), difference.Message);
                patches++;
            }
        }
        Assert.Equal(4, patches);
        Assert.Equal(4, _fake.Requests.Count(PatchDataSource));

        var recheck = await WorkspaceSetup.CheckAsync(_notion, Standard, ids, Standard.CreationOrder, default);
        Assert.All(recheck, r => Assert.True(r.Matches, string.Join("\n", r.Differences)));
        Assert.True(SameId(sites, RelationTarget(health, "Site")));
        Assert.Equal("Acme HQ", _fake.State.GetPropertyText(acme, "Site Name"));
        Assert.Equal("91", _fake.State.GetPropertyText(acme, "Health Score"));
        var options = ((JsonArray)_fake.State.GetDataSource(sites)["properties"]!["Risk Level"]!["select"]!["options"]!).Select(o => (string)o!["name"]!).ToList();
        Assert.Contains("Critical", options);
        Assert.Contains("Severe", options);
    }

    [Fact]
    public async Task Wrong_types_and_misdirected_relations_are_reported_and_never_changed()
    {
        var plan = await InitializedAsync();
        var ids = IdsOf(plan);
        var sites = Entry(plan, DatabaseKey.CustomerSites).DataSourceId!;
        var alerts = Entry(plan, DatabaseKey.Alerts).DataSourceId!;
        var oldSites = _fake.State.CreateDatabase(_fake.RootPageId, "Old Sites", """{"Name":{"title":{}}}""");
        _fake.State.UpdateSchema(sites, """{"Devices Total": {"rich_text": {}}}""");
        _fake.State.UpdateSchema(alerts, "{\"Site\": {\"relation\": {\"data_source_id\": \"" + oldSites.DataSourceId + "\", \"type\": \"single_property\", \"single_property\": {}}}}");
        var page = _fake.State.InsertPage(sites, new Dictionary<string, object?> { ["Site Name"] = "Acme HQ", ["Devices Total"] = "about forty" });

        var reports = await WorkspaceSetup.CheckAsync(_notion, Standard, ids, Standard.CreationOrder, default);

        var wrongType = Assert.Single(reports.SelectMany(r => r.Differences), d => d.KindValue == SchemaDifferenceKind.WrongType);
        Assert.Equal((DatabaseKey.CustomerSites, "Devices Total", "number", "rich_text"), (wrongType.DatabaseValue, wrongType.Property, wrongType.Expected, wrongType.Actual));
        Assert.Equal(SchemaSeverity.Error, wrongType.SeverityValue);
        var misdirected = Assert.Single(reports.SelectMany(r => r.Differences), d => d.KindValue == SchemaDifferenceKind.WrongRelationTarget);
        Assert.Equal((DatabaseKey.Alerts, "Site"), (misdirected.DatabaseValue, misdirected.Property));
        Assert.True(SameId(oldSites.DataSourceId, misdirected.Actual));
        Assert.True(SameId(sites, misdirected.Expected));
        Assert.All(reports, r => Assert.False(r.CanRepair, r.Database.Title));
        Assert.False(wrongType.Repairable);
        Assert.False(misdirected.Repairable);
        Assert.Null(reports.Single(r => r.Database.Key == DatabaseKey.CustomerSites).RepairFor(wrongType));
        foreach (var report in reports)
            foreach (var difference in report.Differences)
                Assert.False(await WorkspaceSetup.RepairAsync(_notion, ids, report, difference, default));

        var recheck = await WorkspaceSetup.CheckAsync(_notion, Standard, ids, Standard.CreationOrder, default);
        Assert.Equal(2, recheck.SelectMany(r => r.Differences).Count(d => d.SeverityValue == SchemaSeverity.Error));
        Assert.Equal(0, _fake.Requests.Count(PatchDataSource));
        Assert.Equal("rich_text", (string)_fake.State.GetDataSource(sites)["properties"]!["Devices Total"]!["type"]!);
        Assert.True(SameId(oldSites.DataSourceId, RelationTarget(alerts, "Site")));
        Assert.Equal("about forty", _fake.State.GetPropertyText(page, "Devices Total"));
    }

    [Fact]
    public async Task A_missing_database_is_reported_by_the_check_and_recreated_by_initialization()
    {
        var plan = await InitializedAsync();
        var ids = IdsOf(plan);
        await TrashDatabaseAsync(Entry(plan, DatabaseKey.RunbookLibrary).DatabaseId!);
        var notConfigured = new DatabaseIdSet();
        foreach (var kv in plan.ExistingIds().Where(kv => kv.Key != DatabaseKey.AzurePipeline)) notConfigured.Set(kv.Key, kv.Value);

        var trashed = await WorkspaceSetup.CheckAsync(_notion, Standard, ids, new[] { DatabaseKey.RunbookLibrary }, default);
        var unknown = await WorkspaceSetup.CheckAsync(_notion, Standard, notConfigured, new[] { DatabaseKey.AzurePipeline }, default);

        var gone = Assert.Single(trashed[0].Differences);
        Assert.Equal((SchemaDifferenceKind.MissingDatabase, SchemaSeverity.Error), (gone.KindValue, gone.SeverityValue));
        Assert.Contains("trash", gone.Message);
        Assert.Null(trashed[0].RepairFor(gone));
        var missing = Assert.Single(unknown[0].Differences);
        Assert.Equal(SchemaDifferenceKind.MissingDatabase, missing.KindValue);
        Assert.False(missing.Repairable);
        Assert.Contains("Initialize-OberaNotionWorkspace", missing.Message);

        var again = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, ids, null, default);
        Assert.Equal(WorkspaceDatabaseState.ToCreate, Entry(again, DatabaseKey.RunbookLibrary).StateValue);
        await CreateAllAsync(again);
        Assert.Equal(1, _fake.Requests.Count(CreateDatabase));
        var recheck = await WorkspaceSetup.CheckAsync(_notion, Standard, IdsOf(again), Standard.CreationOrder, default);
        Assert.All(recheck, r => Assert.True(r.Matches, string.Join("\n", r.Differences)));
    }

    [Fact]
    public async Task Relations_are_checked_and_repaired_against_targets_configured_by_database_id_only()
    {
        var plan = await InitializedAsync();
        var health = Entry(plan, DatabaseKey.DailyHealth).DataSourceId!;
        var sites = Entry(plan, DatabaseKey.CustomerSites);
        // People paste database links: the configuration holds no data source ids at all.
        var linksOnly = new DatabaseIdSet();
        foreach (var entry in plan.Databases) linksOnly.Set(Enum.Parse<DatabaseKey>(entry.Database), new DatabaseIds(entry.DatabaseId, null));
        _fake.State.UpdateSchema(health, """{"Site": null}""");

        var reports = await WorkspaceSetup.CheckAsync(_notion, Standard, linksOnly, new[] { DatabaseKey.DailyHealth, DatabaseKey.Alerts }, default);

        Assert.True(reports[1].Matches, string.Join("\n", reports[1].Differences));
        var missing = Assert.Single(reports[0].Differences);
        var change = reports[0].RepairFor(missing);
        Assert.NotNull(change);
        await WorkspaceSetup.RepairAsync(_notion, linksOnly[DatabaseKey.DailyHealth]!, change!.Value, default);
        Assert.True(SameId(sites.DataSourceId!, RelationTarget(health, "Site")));
        Assert.True((await WorkspaceSetup.CheckAsync(_notion, Standard, linksOnly, new[] { DatabaseKey.DailyHealth }, default))[0].Matches);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private async Task<WorkspacePlan> InitializedAsync()
    {
        var plan = await WorkspaceSetup.PlanAsync(_notion, Standard, _fake.RootPageId, new DatabaseIdSet(), null, default);
        var results = await CreateAllAsync(plan);
        Assert.All(results, r => Assert.True(r.StateValue == WorkspaceDatabaseState.Created, r.ToString()));
        _fake.Requests.Reset();
        return plan;
    }

    /// <summary>What Initialize does after approval: create each planned database, in creation order.</summary>
    private async Task<IReadOnlyList<WorkspaceDatabase>> CreateAllAsync(WorkspacePlan plan)
    {
        var results = new List<WorkspaceDatabase>();
        foreach (var entry in plan.Databases.Where(d => d.StateValue == WorkspaceDatabaseState.ToCreate).ToList())
            results.Add(await WorkspaceSetup.CreateAsync(_notion, Standard, plan, entry, default));
        return results;
    }

    /// <summary>A database as Initialize would create it, made directly in the fake (no request counted).</summary>
    private SeededDatabase Seed(string parentPageId, DatabaseKey key, string? sitesDataSourceId)
        => _fake.State.CreateDatabase(parentPageId, Standard[key].Title,
            NotionSchemaJson.CreateProperties(Standard[key], _ => sitesDataSourceId ?? throw new InvalidOperationException("no target")));

    private async Task TrashDatabaseAsync(string databaseId)
    {
        using var http = _fake.CreateHttpClient();
        using var response = await http.PatchAsync("v1/databases/" + databaseId, JsonContent.Create(new { in_trash = true }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private string RelationTarget(string dataSourceId, string property)
        => (string)_fake.State.GetDataSource(dataSourceId)["properties"]![property]!["relation"]!["data_source_id"]!;

    private string OptionId(string dataSourceId, string property, string option)
        => (string)((JsonArray)_fake.State.GetDataSource(dataSourceId)["properties"]![property]!["select"]!["options"]!)
            .First(o => (string)o!["name"]! == option)!["id"]!;

    private static WorkspaceDatabase Entry(WorkspacePlan plan, DatabaseKey key) => plan.Databases.Single(d => d.Database == key.ToString());

    private static DatabaseIdSet IdsOf(WorkspacePlan plan)
    {
        var ids = new DatabaseIdSet();
        foreach (var kv in plan.ExistingIds()) ids.Set(kv.Key, kv.Value);
        return ids;
    }

    private static bool SameId(string expected, string? actual)
        => actual is not null && string.Equals(expected.Replace("-", ""), actual.Replace("-", ""), StringComparison.OrdinalIgnoreCase);
}
