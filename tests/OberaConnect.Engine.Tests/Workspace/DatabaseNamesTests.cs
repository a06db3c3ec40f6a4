using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Workspace;

public class DatabaseNamesTests
{
    private static readonly WorkspaceDefinition Ws = WorkspaceDefinition.Standard;

    [Fact]
    public void No_name_selects_every_database_in_creation_order()
    {
        Assert.Equal(Ws.CreationOrder, Ws.SelectByName(null));
        Assert.Equal(Ws.CreationOrder, Ws.SelectByName(new[] { "", " " }));
    }

    [Theory]
    [InlineData("CustomerSites")]
    [InlineData("customersites")]
    [InlineData("Customer Sites")]
    [InlineData("customer-sites")]
    [InlineData("CUSTOMER_SITES")]
    public void A_database_is_named_by_its_key_or_title_ignoring_case_and_separators(string name)
        => Assert.Equal(DatabaseKey.CustomerSites, Ws.FindByName(name));

    [Fact]
    public void Named_databases_come_back_once_in_creation_order()
        => Assert.Equal(new[] { DatabaseKey.CustomerSites, DatabaseKey.Alerts, DatabaseKey.RunbookLibrary },
            Ws.SelectByName(new[] { "Runbook Library", "alerts", "CustomerSites", "Alerts" }));

    [Fact]
    public void An_unknown_name_is_refused_with_the_valid_names()
    {
        var error = Assert.Throws<UnknownDatabaseNameException>(() => Ws.SelectByName(new[] { "Alerts", "customer_status" }));
        Assert.Equal("UnknownDatabase", error.ErrorId);
        Assert.Equal(FailureKind.InvalidInput, error.Kind);
        Assert.Equal("customer_status", error.Name);
        foreach (var key in Ws.CreationOrder) Assert.Contains(key.ToString(), error.Message);
    }
}
