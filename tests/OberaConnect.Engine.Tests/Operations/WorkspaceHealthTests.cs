using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Unattended;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Operations;

/// <summary>The health check of Test-OberaConnectHealth end to end: real clients over HTTP against the loopback fakes.</summary>
public sealed class WorkspaceHealthTests
{
    private static readonly string[] DatabaseTitles = WorkspaceDefinition.Standard.CreationOrder.Select(k => WorkspaceDefinition.Standard[k].Title).ToArray();

    private static Task<HealthReport> Check(OperationsWorkspace workspace, string config, CapturedOutput? output = null, params string[] components)
        => WorkspaceHealth.CheckAsync(() => workspace.Open(config, output), OperationsWorkspace.HealthOptions(components), output, default);

    private static ComponentHealth Find(HealthReport report, string component)
        => report.Components.SingleOrDefault(c => c.Component == component)
           ?? throw new Xunit.Sdk.XunitException($"No component {component} in: {string.Join(", ", report.Components.Select(c => c.Component))}");

    [Fact]
    public async Task A_healthy_workspace_reports_each_database_and_schema_healthy()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var config = workspace.WriteConfiguration();

        // The module's defaults (two probes at a time, 10 s timeout), as the cmdlets run it.
        var report = await WorkspaceHealth.CheckAsync(() => workspace.Open(config), null, null, default);

        var expected = new[] { "Configuration", "NotionToken" }
            .Concat(DatabaseTitles.SelectMany(t => new[] { "Database:" + t, "Schema:" + t })).ToArray();
        Assert.Equal(expected, report.Components.Select(c => c.Component));
        Assert.All(report.Components, c => Assert.True(c.StatusValue == HealthStatus.Healthy, c.ToString()));
        Assert.Equal(HealthStatus.Healthy, report.Overall);
        Assert.True(report.IsOperational);
        Assert.Equal(JobExitCode.Success, report.ExitCode);
        Assert.Contains("7 of 7 databases configured", Find(report, "Configuration").Reason);
        Assert.Contains("OberaConnect Fake Integration", Find(report, "NotionToken").Reason);
        Assert.Contains("token from environment variable NOTION_TOKEN", Find(report, "NotionToken").Reason);
        // One users/me; the data sources are read by the database probes only (the schema probes judge the same answer).
        Assert.Equal(1, workspace.Notion.Requests.Count("GET /v1/users/me"));
        Assert.InRange(workspace.Notion.Requests.Count("GET /v1/data_sources/{id}"), 7, 14);
    }

    [Fact]
    public async Task A_database_that_no_longer_exists_is_unhealthy_and_its_schema_is_not_checked()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var config = workspace.WriteConfiguration(tweak: root =>
            root["databases"]!["Alerts"] = new System.Text.Json.Nodes.JsonObject { ["databaseId"] = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", ["dataSourceId"] = "1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" });

        var report = await Check(workspace, config);

        var alerts = Find(report, "Database:Alerts");
        Assert.Equal(HealthStatus.Unhealthy, alerts.StatusValue);
        Assert.Equal("HealthDatabaseMissing", alerts.ErrorId);
        Assert.Contains("not found", alerts.Reason);
        var schema = Find(report, "Schema:Alerts");
        Assert.Equal(HealthStatus.Unhealthy, schema.StatusValue);
        Assert.StartsWith("not checked: Database:Alerts", schema.Reason);
        Assert.Equal(HealthStatus.Healthy, Find(report, "Database:Customer Sites").StatusValue);
        Assert.Equal(HealthStatus.Unhealthy, report.Overall);
        Assert.False(report.IsOperational);
        // A missing database will not come back by itself: a person must fix the setup.
        Assert.Equal(JobExitCode.ConfigurationError, report.ExitCode);
    }

    [Fact]
    public async Task A_schema_missing_a_property_the_sync_writes_is_unhealthy_with_the_repair_named()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var sites = workspace.Databases[DatabaseKey.CustomerSites].DataSourceId;
        workspace.Notion.State.UpdateSchema(sites, """{"Health Score": null}""");
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        var schema = Find(report, "Schema:Customer Sites");
        Assert.Equal(HealthStatus.Unhealthy, schema.StatusValue);
        Assert.Equal("HealthSchemaMismatch", schema.ErrorId);
        Assert.Contains("Health Score", schema.Reason);
        Assert.Contains("-Repair", schema.Reason);
        Assert.Equal(HealthStatus.Healthy, Find(report, "Database:Customer Sites").StatusValue);
        Assert.Equal(HealthStatus.Healthy, Find(report, "Schema:Alerts").StatusValue);
    }

    [Fact]
    public async Task A_wrong_token_is_unhealthy_NotionToken_and_nothing_that_needs_it_is_sent()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        workspace.Environment.Set("NOTION_TOKEN", "ntn_" + new string('w', 40));
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        var token = Find(report, "NotionToken");
        Assert.Equal(HealthStatus.Unhealthy, token.StatusValue);
        Assert.Equal("NotionUnauthorized", token.ErrorId);
        Assert.Equal(FailureKind.Authentication, token.FailureValue);
        Assert.All(report.Components.Where(c => c.Component.StartsWith("Database:", StringComparison.Ordinal) || c.Component.StartsWith("Schema:", StringComparison.Ordinal)), c =>
        {
            Assert.Equal(HealthStatus.Unhealthy, c.StatusValue);
            Assert.Equal("HealthDependencyUnhealthy", c.ErrorId);
        });
        Assert.Equal(0, workspace.Notion.Requests.Count("GET /v1/data_sources/{id}"));
        Assert.Equal(HealthStatus.Unhealthy, report.Overall);
        Assert.Equal(JobExitCode.ConfigurationError, report.ExitCode);
        Assert.DoesNotContain("wwwwwwww", string.Join("\n", report.Components.Select(c => c.Reason)));
    }

    [Fact]
    public async Task UniFi_and_NinjaOne_are_checked_when_their_credentials_are_found()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(sources: true);
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        Assert.Equal(HealthStatus.Healthy, Find(report, "UniFi").StatusValue);
        Assert.Equal(HealthStatus.Healthy, Find(report, "NinjaOne").StatusValue);
        Assert.Equal(HealthStatus.Healthy, report.Overall);
        Assert.Contains(workspace.UniFi!.Requests, r => r.Path.Contains("sites", StringComparison.OrdinalIgnoreCase) && r.Status == 200);
        Assert.Contains(workspace.NinjaOne!.Requests, r => r.Path.Contains("organizations", StringComparison.OrdinalIgnoreCase) && r.Status == 200);
    }

    [Fact]
    public async Task One_source_down_makes_the_whole_Degraded_and_the_job_exit_code_3()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(sources: true);
        workspace.UniFi!.Faults.Down = true;
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        var uniFi = Find(report, "UniFi");
        Assert.Equal(HealthStatus.Unhealthy, uniFi.StatusValue);
        Assert.Equal(ComponentImportance.Optional, uniFi.ImportanceValue);
        Assert.Equal(HealthStatus.Healthy, Find(report, "NinjaOne").StatusValue);
        Assert.Equal(HealthStatus.Degraded, report.Overall);
        Assert.True(report.IsOperational); // NinjaOne still syncs
        Assert.Equal(JobExitCode.ComponentUnhealthy, report.ExitCode);
        Assert.Equal(JobExitCode.ComponentUnhealthy, uniFi.ExitCodeValue);
    }

    [Fact]
    public async Task Sources_without_credentials_are_left_out_unless_named()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var config = workspace.WriteConfiguration();

        var all = await Check(workspace, config);
        Assert.DoesNotContain(all.Components, c => c.Component is "UniFi" or "NinjaOne" or "KeyVault");

        var named = await Check(workspace, config, null, "UniFi");
        var uniFi = Assert.Single(named.Components);
        Assert.Equal("UniFi", uniFi.Component);
        Assert.Equal(HealthStatus.Unhealthy, uniFi.StatusValue);
        Assert.Equal("CredentialNotFound", uniFi.ErrorId);
        Assert.Equal(JobExitCode.ConfigurationError, uniFi.ExitCodeValue);
    }

    [Fact]
    public async Task A_selection_reports_only_what_was_named_but_runs_what_it_depends_on()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config, null, "schema:customer*");

        Assert.Equal(new[] { "Schema:Customer Sites" }, report.Components.Select(c => c.Component));
        Assert.Equal(HealthStatus.Healthy, report.Overall);
        Assert.Equal(1, workspace.Notion.Requests.Count("GET /v1/users/me"));
        Assert.InRange(workspace.Notion.Requests.Count("GET /v1/data_sources/{id}"), 1, 2); // Customer Sites only, not all seven

        var unknown = await Assert.ThrowsAsync<OberaConnectException>(() => Check(workspace, config, null, "Databse:*"));
        Assert.Equal("HealthComponentUnknown", unknown.ErrorId);
        Assert.Contains("Database:Customer Sites", unknown.Message);
    }

    [Fact]
    public async Task A_configuration_that_does_not_load_is_the_Configuration_component_unhealthy()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(seed: false);
        var config = Path.Combine(workspace.Folder, "broken.json");
        File.WriteAllText(config, "{ \"notion\": { \"baseUrl\": ");
        var output = new CapturedOutput();

        var report = await Check(workspace, config, output);

        Assert.Equal(new[] { "Configuration", "NotionToken" }, report.Components.Select(c => c.Component));
        var configuration = report.Components[0];
        Assert.Equal(HealthStatus.Unhealthy, configuration.StatusValue);
        Assert.Equal("ConfigInvalidJson", configuration.ErrorId);
        Assert.Contains("broken.json", configuration.Reason);
        Assert.StartsWith("not checked: Configuration", report.Components[1].Reason);
        Assert.Equal(JobExitCode.ConfigurationError, report.ExitCode);
        Assert.Equal(0, workspace.Notion.Requests.Total);
    }

    [Fact]
    public async Task No_database_configured_is_Degraded_with_what_to_run()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(seed: false);
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        var configuration = Find(report, "Configuration");
        Assert.Equal(HealthStatus.Degraded, configuration.StatusValue);
        Assert.Contains("no workspace database is configured", configuration.Reason);
        Assert.Equal(HealthStatus.Healthy, Find(report, "NotionToken").StatusValue);
        Assert.True(report.IsOperational);
    }

    [Fact]
    public async Task Key_Vault_reachable_is_healthy_and_gives_the_token()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true);
        workspace.Environment.Set("NOTION_TOKEN", null);
        workspace.Vault!.SetSecret("notion-token", workspace.Notion.Token);
        var config = workspace.WriteConfiguration();

        var report = await Check(workspace, config);

        var vault = Find(report, "KeyVault");
        Assert.Equal(HealthStatus.Healthy, vault.StatusValue);
        Assert.Contains("'notion-token' is readable", vault.Reason);
        Assert.Contains("Azure Key Vault secret 'notion-token'", Find(report, "NotionToken").Reason);
        Assert.Equal(HealthStatus.Healthy, report.Overall);
    }

    [Fact]
    public async Task Key_Vault_down_is_unhealthy_but_optional_when_the_environment_has_the_token()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true);
        await workspace.Vault!.StopAsync();
        var config = workspace.WriteConfiguration();
        var output = new CapturedOutput();

        var report = await Check(workspace, config, output);

        var vault = Find(report, "KeyVault");
        Assert.Equal(HealthStatus.Unhealthy, vault.StatusValue);
        Assert.Equal("SecretStoreUnavailable", vault.ErrorId);
        var token = Find(report, "NotionToken");
        Assert.Equal(HealthStatus.Healthy, token.StatusValue);
        Assert.Contains("(Key Vault unreachable)", token.Reason);
        Assert.Equal(HealthStatus.Degraded, report.Overall);
        Assert.Equal(JobExitCode.ComponentUnhealthy, report.ExitCode);
        Assert.Contains(output.Warnings, w => w.StartsWith("Key Vault down: fallback to env vars.", StringComparison.Ordinal));
    }
}
