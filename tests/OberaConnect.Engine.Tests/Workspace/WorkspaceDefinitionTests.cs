using OberaConnect.Engine.Workspace;
using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Tests.Workspace;

public class WorkspaceDefinitionTests
{
    private static readonly WorkspaceDefinition Ws = WorkspaceDefinition.Standard;

    [Fact]
    public void Standard_definition_is_valid()
        => Assert.Empty(Ws.Validate());

    [Fact]
    public void Standard_definition_has_the_seven_databases_with_their_stable_keys()
    {
        Assert.Equal(Enum.GetValues(typeof(DatabaseKey)).Cast<DatabaseKey>().OrderBy(k => k), Ws.Databases.Select(d => d.Key).OrderBy(k => k));
        Assert.Equal("Customer Sites", Ws[DatabaseKey.CustomerSites].Title);
        Assert.Equal(WritePattern.Upsert, Ws[DatabaseKey.CustomerSites].WritePattern);
        Assert.Equal(WritePattern.InsertOnly, Ws[DatabaseKey.DailyHealth].WritePattern);
        Assert.Equal(WritePattern.Immutable, Ws[DatabaseKey.ConfigChanges].WritePattern);
        Assert.Equal(WritePattern.Upsert, Ws[DatabaseKey.NetworkDevices].WritePattern);
        Assert.Equal(WritePattern.Update, Ws[DatabaseKey.AzurePipeline].WritePattern);
    }

    [Fact]
    public void Customer_Sites_comes_first_and_dependents_relate_to_it()
    {
        Assert.Equal(DatabaseKey.CustomerSites, Ws.CreationOrder[0]);
        foreach (var k in new[] { DatabaseKey.DailyHealth, DatabaseKey.ConfigChanges, DatabaseKey.NetworkDevices, DatabaseKey.Alerts })
        {
            var site = Ws[k]["Site"];
            Assert.Equal(NotionPropertyType.Relation, site.Type);
            Assert.Equal(DatabaseKey.CustomerSites, site.RelationTarget);
            Assert.Equal(new[] { DatabaseKey.CustomerSites }, Ws[k].DependsOn);
        }
        Assert.Empty(Ws[DatabaseKey.AzurePipeline].DependsOn);
        Assert.Empty(Ws[DatabaseKey.RunbookLibrary].DependsOn);
        Assert.Equal(4, Ws.RelatedFrom(DatabaseKey.CustomerSites).Count);
    }

    [Theory]
    [InlineData(DatabaseKey.CustomerSites, "Site Name", NotionPropertyType.Title)]
    [InlineData(DatabaseKey.DailyHealth, "Snapshot Key", NotionPropertyType.RichText)]
    [InlineData(DatabaseKey.ConfigChanges, "Change ID", NotionPropertyType.RichText)]
    [InlineData(DatabaseKey.NetworkDevices, "MAC", NotionPropertyType.RichText)]
    [InlineData(DatabaseKey.Alerts, "Alert UID", NotionPropertyType.RichText)]
    [InlineData(DatabaseKey.AzurePipeline, "Service Name", NotionPropertyType.Title)]
    [InlineData(DatabaseKey.RunbookLibrary, "Title", NotionPropertyType.Title)]
    public void Natural_keys_are_as_documented(DatabaseKey key, string property, NotionPropertyType type)
    {
        Assert.Equal(property, Ws[key].NaturalKey);
        Assert.Equal(type, Ws[key].KeyProperty.Type);
        Assert.Equal(PropertyOwner.Module, Ws[key].KeyProperty.Owner);
    }

    [Fact]
    public void Customer_Sites_has_what_an_engineer_filters_on()
    {
        var sites = Ws[DatabaseKey.CustomerSites];
        foreach (var name in new[] { "Site Name", "Customer ID", "State", "Health Score", "Risk Level", "Devices Online", "Devices Offline",
                     "Devices Total", "WiFi Clients", "Open Tickets", "Active Alerts", "Critical Alerts", "Backup Status", "Config Drift",
                     "Last Sync", "Data Sources", "Source Status", "Contract Renewal", "Primary Contact", "Has MikroTik", "Has SonicWall",
                     "Has Azure", "UniFi Site ID", "NinjaOne Org ID", "WAN Uptime", "ISP" })
        {
            Assert.NotNull(sites.Find(name));
        }
        Assert.Equal(new[] { "Low", "Medium", "High", "Critical" }, sites["Risk Level"].Options.Select(o => o.Name));
        Assert.Equal(PropertyOwner.User, sites["Contract Renewal"].Owner);
        Assert.Equal(NumberFormat.Percent, sites["WAN Uptime"].NumberFormat);
    }

    [Fact]
    public void Alerts_severities_and_pipeline_stages_are_ordered_as_the_workflow()
    {
        Assert.Equal(new[] { "NONE", "MINOR", "MODERATE", "MAJOR", "CRITICAL" }, Ws[DatabaseKey.Alerts]["Severity"].Options.Select(o => o.Name));
        Assert.Equal(new[] { "Idea", "Design", "Build", "Test", "Pilot", "Production", "Retired" }, Ws[DatabaseKey.AzurePipeline]["Stage"].Options.Select(o => o.Name));
        Assert.Equal(NotionPropertyType.Select, Ws[DatabaseKey.AzurePipeline]["Stage"].Type);
    }

    [Fact]
    public void Computed_properties_are_owned_by_Notion()
    {
        Assert.Equal(PropertyOwner.Notion, Ws[DatabaseKey.NetworkDevices]["First Seen"].Owner);
        Assert.Equal(PropertyOwner.Notion, Ws[DatabaseKey.ConfigChanges]["Ref"].Owner);
        Assert.DoesNotContain(Ws[DatabaseKey.NetworkDevices].ModuleProperties, p => p.Name == "First Seen" || p.Name == "Notes");
    }

    [Fact]
    public void Daily_health_titles_and_keys_identify_one_page_per_site_per_day()
    {
        var day = new DateTime(2026, 11, 22);
        Assert.Equal("Acme Corp \u2014 2026-11-22", RecordKeys.DailyHealthTitle(" Acme Corp ", day));
        Assert.Equal("Acme Corp|2026-11-22", RecordKeys.DailyHealthKey("Acme Corp", day));
        Assert.NotEqual(RecordKeys.DailyHealthKey("Acme Corp", day), RecordKeys.DailyHealthKey("Acme Corp", day.AddDays(1)));
    }

    // ---- validation of broken definitions ----

    private static DatabaseDefinition Db(DatabaseKey key, string title, string naturalKey, params PropertyDefinition[] properties)
        => new(key, title, WritePattern.Upsert, naturalKey, "Test database.", properties);

    private static DatabaseDefinition Root()
        => Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name", Title("Site Name", "Name."));

    private static string Single(WorkspaceDefinition ws)
    {
        var problems = ws.Validate();
        Assert.Single(problems);
        return problems[0];
    }

    [Fact]
    public void Minimal_definition_is_valid()
        => Assert.Empty(new WorkspaceDefinition(new[] { Root() }).Validate());

    [Fact]
    public void Duplicate_database_keys_are_reported()
        => Assert.Contains("CustomerSites is defined more than once",
            new WorkspaceDefinition(new[] { Root(), Db(DatabaseKey.CustomerSites, "Sites 2", "Site Name", Title("Site Name", "Name.")) }).Validate()[0]);

    [Fact]
    public void Duplicate_titles_are_reported()
        => Assert.Contains("Alerts: the title 'customer sites' is used by another database",
            Single(new WorkspaceDefinition(new[] { Root(), Db(DatabaseKey.Alerts, "customer sites", "Alert", Title("Alert", "A.")) })));

    [Fact]
    public void Duplicate_property_names_are_reported_ignoring_case()
        => Assert.Contains("property 'health score' is defined more than once",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
                Title("Site Name", "Name."), Number("Health Score", "S."), Number("health score", "S.")) })));

    [Fact]
    public void A_database_without_a_title_property_is_reported()
        => Assert.Contains("needs exactly one title property, has 0",
            new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name", Text("Site Name", "Name.")) }).Validate()[0]);

    [Fact]
    public void Two_title_properties_are_reported()
        => Assert.Contains("needs exactly one title property, has 2",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
                Title("Site Name", "Name."), Title("Other", "Other.")) })));

    [Fact]
    public void A_natural_key_that_is_not_a_property_is_reported()
        => Assert.Contains("natural key 'Site ID' is not one of its properties",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site ID", Title("Site Name", "Name.")) })));

    [Fact]
    public void A_natural_key_owned_by_users_is_reported()
        => Assert.Contains("must be owned by the module",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Code",
                Title("Site Name", "Name."), Text("Code", "C.").ForUsers()) })));

    [Fact]
    public void A_natural_key_of_a_computed_type_is_reported()
        => Assert.Contains("it must be title, rich_text or number",
            new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Ref",
                Title("Site Name", "Name."), UniqueId("Ref", "S", "R.")) }).Validate()[0]);

    [Fact]
    public void A_relation_to_a_database_outside_the_workspace_is_reported()
        => Assert.Contains("relation target CustomerSites is not a database of the workspace",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.Alerts, "Alerts", "Alert",
                Title("Alert", "A."), Relation("Site", DatabaseKey.CustomerSites, "S.")) })));

    [Fact]
    public void A_relation_to_a_database_created_later_is_reported()
        => Assert.Contains("relation target CustomerSites is created after Alerts",
            Single(new WorkspaceDefinition(new[]
            {
                Db(DatabaseKey.Alerts, "Alerts", "Alert", Title("Alert", "A."), Relation("Site", DatabaseKey.CustomerSites, "S.")),
                Root(),
            })));

    [Fact]
    public void A_relation_without_target_is_reported()
        => Assert.Contains("relation without a target",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
                Title("Site Name", "Name."), new PropertyDefinition("Parent", NotionPropertyType.Relation, "P.")) })));

    [Fact]
    public void Options_on_a_text_property_and_duplicate_or_comma_options_are_reported()
    {
        var problems = new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
            Title("Site Name", "Name."),
            Text("Code", "C.") with { Options = new[] { Opt("A", OptionColor.Red) } },
            Select("Level", "L.", Opt("Low", OptionColor.Green), Opt("low", OptionColor.Blue)),
            Select("Mood", "M.", Opt("Good, mostly", OptionColor.Green))) }).Validate();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Code: only select, multi_select and status properties have options"));
        Assert.Contains(problems, p => p.Contains("option 'low' is listed more than once"));
        Assert.Contains(problems, p => p.Contains("contains a comma"));
    }

    [Fact]
    public void Status_options_are_refused_because_the_API_cannot_set_them()
        => Assert.Contains("use a select",
            Single(new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
                Title("Site Name", "Name."),
                new PropertyDefinition("Stage", NotionPropertyType.Status, "S.") { Options = new[] { Opt("Idea", OptionColor.Gray) } }) })));

    [Fact]
    public void Formats_and_prefixes_only_where_they_belong()
    {
        var problems = new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
            Title("Site Name", "Name."),
            Text("Uptime", "U.") with { NumberFormat = NumberFormat.Percent },
            Text("Ref", "R.") with { UniqueIdPrefix = "X" }) }).Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("only number properties have a number format"));
        Assert.Contains(problems, p => p.Contains("only unique_id properties have a prefix"));
    }

    [Fact]
    public void Owners_of_computed_properties_are_checked()
    {
        var problems = new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Site Name",
            Title("Site Name", "Name."),
            CreatedTime("Added", "A.") with { Owner = PropertyOwner.Module },
            Text("Code", "C.") with { Owner = PropertyOwner.Notion }) }).Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Added: created_time is computed by Notion"));
        Assert.Contains(problems, p => p.Contains("Code: only computed properties"));
    }

    [Fact]
    public void EnsureValid_throws_a_typed_error_listing_the_problems()
    {
        var ws = new WorkspaceDefinition(new[] { Db(DatabaseKey.CustomerSites, "Customer Sites", "Nope", Title("Site Name", "Name.")) });
        var ex = Assert.Throws<WorkspaceDefinitionException>(() => ws.EnsureValid());
        Assert.Equal("InvalidWorkspaceDefinition", ex.ErrorId);
        Assert.Single(ex.Problems);
        Assert.Contains("'Nope'", ex.Message);
        Assert.Same(WorkspaceDefinition.Standard, WorkspaceDefinition.Standard.EnsureValid());
    }
}
