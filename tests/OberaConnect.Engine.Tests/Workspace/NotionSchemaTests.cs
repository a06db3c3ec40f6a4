using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Workspace;

public class NotionSchemaTests
{
    private const string SitesDs = "521ced70-4d4b-4236-b7c8-4b4eeec81b24";
    private static readonly WorkspaceDefinition Ws = WorkspaceDefinition.Standard;

    private static string DataSourceOf(DatabaseKey k) => k == DatabaseKey.CustomerSites ? SitesDs : throw new InvalidOperationException(k.ToString());

    [Fact]
    public void Create_properties_carry_types_options_formats_relations_and_prefixes()
    {
        var health = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.DailyHealth], DataSourceOf);
        Assert.Equal(Ws[DatabaseKey.DailyHealth].Properties.Count, health.Count);
        Assert.Equal("{}", health["Snapshot"]!["title"]!.ToJsonString());
        Assert.Equal(SitesDs, health["Site"]!["relation"]!["data_source_id"]!.GetValue<string>());
        Assert.Equal("single_property", health["Site"]!["relation"]!["type"]!.GetValue<string>());
        Assert.Equal("number", health["Health Score"]!["number"]!["format"]!.GetValue<string>());
        var risk = health["Risk Level"]!["select"]!["options"]!.AsArray();
        Assert.Equal("{\"name\":\"Low\",\"color\":\"green\"}", risk[0]!.ToJsonString());

        var sites = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.CustomerSites], DataSourceOf);
        Assert.Equal("percent", sites["WAN Uptime"]!["number"]!["format"]!.GetValue<string>());
        Assert.Equal("[]", sites["ISP"]!["select"]!["options"]!.ToJsonString());
        Assert.Equal("{}", sites["Config Drift"]!["checkbox"]!.ToJsonString());

        var changes = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.ConfigChanges], DataSourceOf);
        Assert.Equal("CHG", changes["Ref"]!["unique_id"]!["prefix"]!.GetValue<string>());
    }

    [Fact]
    public void A_relation_whose_target_is_not_created_yet_cannot_be_built()
        => Assert.Throws<InvalidOperationException>(() => NotionSchemaJson.CreateProperties(Ws[DatabaseKey.Alerts], _ => ""));

    private static JsonElement Observed(JsonObject properties)
    {
        // Shape Notion returns: each property has id, name and type besides its configuration.
        foreach (var p in properties)
        {
            var o = p.Value!.AsObject();
            var type = o.Select(kv => kv.Key).First();
            o["id"] = "x" + p.Key.Length;
            o["name"] = p.Key;
            o["type"] = type;
        }
        return JsonDocument.Parse(properties.ToJsonString()).RootElement;
    }

    [Fact]
    public void A_schema_created_from_the_definition_matches_it()
    {
        var report = SchemaComparison.Compare(Ws[DatabaseKey.Alerts], Observed(NotionSchemaJson.CreateProperties(Ws[DatabaseKey.Alerts], DataSourceOf)), DataSourceOf);
        Assert.True(report.Matches, string.Join("\n", report.Differences));
        Assert.True(report.IsUsable);
        Assert.False(report.CanRepair);
    }

    [Fact]
    public void Missing_and_retyped_properties_are_errors_and_missing_ones_can_be_repaired()
    {
        var props = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.CustomerSites], DataSourceOf);
        props.Remove("Health Score");
        props.Remove("Notes");
        props["Devices Online"] = new JsonObject { ["rich_text"] = new JsonObject() };
        props["Escalation"] = new JsonObject { ["people"] = new JsonObject() };
        var report = SchemaComparison.Compare(Ws[DatabaseKey.CustomerSites], Observed(props));

        Assert.False(report.IsUsable);
        var health = Assert.Single(report.Differences, d => d.Property == "Health Score");
        Assert.Equal((SchemaDifferenceKind.Missing, SchemaSeverity.Error), (health.KindValue, health.SeverityValue));
        Assert.Contains("'Health Score' (number) does not exist", health.Message);
        var notes = Assert.Single(report.Differences, d => d.Property == "Notes");
        Assert.Equal(SchemaSeverity.Warning, notes.SeverityValue);
        var online = Assert.Single(report.Differences, d => d.Property == "Devices Online");
        Assert.Equal((SchemaDifferenceKind.WrongType, "rich_text"), (online.KindValue, online.Actual));
        var extra = Assert.Single(report.Differences, d => d.Property == "Escalation");
        Assert.Equal(SchemaSeverity.Information, extra.SeverityValue);

        var repair = report.RepairProperties();
        Assert.Equal(new[] { "Health Score", "Notes" }, repair.Select(kv => kv.Key).OrderBy(k => k));
        Assert.Equal("number", repair["Health Score"]!["number"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void A_renamed_title_is_found_and_renamed_back_by_the_repair()
    {
        var props = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.RunbookLibrary], DataSourceOf);
        props.Remove("Title");
        props["Name"] = new JsonObject { ["title"] = new JsonObject() };
        var report = SchemaComparison.Compare(Ws[DatabaseKey.RunbookLibrary], Observed(props));
        var d = Assert.Single(report.Differences);
        Assert.Equal(SchemaDifferenceKind.TitleRenamed, d.KindValue);
        Assert.Equal("{\"Name\":{\"name\":\"Title\"}}", report.RepairProperties().ToJsonString());
    }

    [Fact]
    public void A_property_differing_only_in_case_is_named_but_not_duplicated_by_the_repair()
    {
        var props = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.NetworkDevices], DataSourceOf);
        var mac = props["MAC"]!.DeepClone();
        props.Remove("MAC");
        props["Mac"] = mac;
        var report = SchemaComparison.Compare(Ws[DatabaseKey.NetworkDevices], Observed(props), DataSourceOf);
        var d = Assert.Single(report.Differences, x => x.Property == "MAC");
        Assert.Contains("A property 'Mac' exists", d.Message);
        Assert.False(report.RepairProperties().ContainsKey("MAC"));
    }

    [Fact]
    public void A_relation_to_another_data_source_and_missing_options_are_reported()
    {
        var props = NotionSchemaJson.CreateProperties(Ws[DatabaseKey.DailyHealth], _ => "11111111-2222-3333-4444-555555555555");
        props["Risk Level"]!["select"]!["options"]!.AsArray().RemoveAt(3);
        var report = SchemaComparison.Compare(Ws[DatabaseKey.DailyHealth], Observed(props), DataSourceOf);
        var rel = Assert.Single(report.Differences, d => d.KindValue == SchemaDifferenceKind.WrongRelationTarget);
        Assert.Equal(SchemaSeverity.Error, rel.SeverityValue);
        var opt = Assert.Single(report.Differences, d => d.KindValue == SchemaDifferenceKind.MissingOption);
        Assert.Equal("Critical", opt.Expected);
        Assert.Equal(SchemaSeverity.Information, opt.SeverityValue);
    }

    [Fact]
    public void The_recorded_Notion_data_source_schema_is_read()
    {
        // The data source schema of a real recorded response (notion-sdk-py fixtures): only a title "Name".
        var path = Path.Combine(OberaConnect.Engine.Tests.Notion.RecordedFixtureTests.FixtureDirectory(), "test_data_sources_retrieve.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var get = doc.RootElement.GetProperty("interactions").EnumerateArray()
            .First(i => i.GetProperty("request").GetProperty("method").GetString() == "GET");
        var body = get.GetProperty("response").GetProperty("body");
        if (body.ValueKind == JsonValueKind.String) body = JsonDocument.Parse(body.GetString()!).RootElement;
        var properties = body.GetProperty("properties").Clone();
        var report = SchemaComparison.Compare(Ws[DatabaseKey.AzurePipeline], properties);
        Assert.Contains(report.Differences, d => d.KindValue == SchemaDifferenceKind.TitleRenamed && d.Actual == "Name");
        Assert.Equal(Ws[DatabaseKey.AzurePipeline].Properties.Count - 1, report.Differences.Count(d => d.KindValue == SchemaDifferenceKind.Missing));
    }
}
