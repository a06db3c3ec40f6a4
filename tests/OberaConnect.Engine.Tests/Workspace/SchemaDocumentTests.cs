using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Workspace;

public class SchemaDocumentTests
{
    [Fact]
    public void Committed_schema_document_matches_the_definition()
        => GeneratedDocument.AssertCommittedFileMatches(SchemaDocument.RepositoryPath, SchemaDocument.Render(),
            SchemaDocument.UpdateVariable, nameof(SchemaDocumentTests));

    [Fact]
    public void Schema_document_is_an_about_topic_of_80_ascii_columns()
        => GeneratedDocument.AssertAboutTopicShape(SchemaDocument.Render());

    [Fact]
    public void Every_database_and_every_property_appears_in_the_document()
    {
        var text = SchemaDocument.Render();
        foreach (var db in WorkspaceDefinition.Standard.Databases)
        {
            Assert.Contains($"\n{db.Title.ToUpperInvariant()} ({db.Key})\n", text);
            foreach (var p in db.Properties) Assert.Contains("\n    " + p.Name + "\n", text);
        }
    }

    [Fact]
    public void Table_rows_show_type_role_and_options()
    {
        var text = SchemaDocument.Render();
        var lines = text.Split('\n');
        var riskRow = lines.First(l => l.StartsWith("    Risk Level ", StringComparison.Ordinal));
        Assert.Matches(@"^    Risk Level\s+select\s+module\s+Low \(green\)$", riskRow);
        var siteName = lines.First(l => l.StartsWith("    Site Name ", StringComparison.Ordinal));
        Assert.Matches(@"^    Site Name\s+title\s+key, module$", siteName);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^    Site\s+relation\s+module\s+-> Customer Sites$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^    WAN Uptime\s+number\s+module\s+format: percent$"));
    }

    [Fact]
    public void A_changed_definition_renders_differently()
    {
        var standard = WorkspaceDefinition.Standard;
        var sites = standard[DatabaseKey.CustomerSites];
        var changed = new WorkspaceDefinition(standard.Databases.Select(d => d.Key != DatabaseKey.CustomerSites ? d :
            new DatabaseDefinition(d.Key, d.Title, d.WritePattern, d.NaturalKey, d.Purpose,
                d.Properties.Concat(new[] { Define.Text("Tier", "Support tier.").ForUsers() }))));
        Assert.NotEqual(SchemaDocument.Render(standard), SchemaDocument.Render(changed));
        Assert.Contains("\n    Tier\n", SchemaDocument.Render(changed));
        Assert.Equal(sites.Properties.Count + 1, changed[DatabaseKey.CustomerSites].Properties.Count);
    }
}
