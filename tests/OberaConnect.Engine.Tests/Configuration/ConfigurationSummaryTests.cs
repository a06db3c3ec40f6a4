using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Configuration;

public class ConfigurationSummaryTests
{
    private const string SitesId = "1f2e3d4c-5b6a-7988-1726-354453627181";
    private const string SitesDataSource = "2a3b4c5d-6e7f-8091-a2b3-c4d5e6f70819";

    [Fact]
    public void Every_setting_database_and_secret_name_is_shown_after_defaults()
    {
        using var temp = new TempFolder();
        var env = new FakeSystemEnvironment(temp.Path);
        var path = temp.File("config.json", $$"""
            {
              "notion": { "requestsPerSecond": 2 },
              "ninjaOne": { "region": "eu", "scope": "management monitoring" },
              "databases": { "CustomerSites": { "databaseId": "{{SitesId}}", "dataSourceId": "{{SitesDataSource}}" } },
              "secrets": { "keyVaultUri": "https://acme-ops.vault.azure.net/", "notionTokenSecretName": "notion-ops" }
            }
            """);

        var summary = ConfigurationSummary.From(ConfigurationFile.LoadFrom(path, env), "-ConfigPath", null, env);

        Assert.Equal((path, "-ConfigPath"), (summary.FilePath, summary.Source));
        Assert.Equal(("https://api.notion.com/", "2026-03-11", 2.0), (summary.NotionBaseUrl, summary.NotionVersion, summary.NotionRequestsPerSecond));
        Assert.Equal(("eu", "https://eu.ninjarmm.com", "monitoring management"), (summary.NinjaOneRegion, summary.NinjaOneBaseUrl, summary.NinjaOneScope));
        Assert.Equal(WorkspaceDefinition.Standard.CreationOrder.Select(k => k.ToString()), summary.Databases.Select(d => d.Database));
        Assert.Equal(1, summary.DatabasesConfigured);
        var sites = summary.Databases[0];
        Assert.Equal(("Customer Sites", SitesId, SitesDataSource, true), (sites.Title, sites.DatabaseId, sites.DataSourceId, sites.Configured));
        Assert.False(summary.Databases[1].Configured);
        Assert.Equal(("https://acme-ops.vault.azure.net/", "notion-ops", "unifi-api-key"), (summary.KeyVaultUri, summary.NotionTokenSecretName, summary.UniFiApiKeySecretName));
        Assert.Equal(env.HomeDirectory + "/.local/state/oberaconnect/logs", summary.LogDirectory);
        Assert.Null(summary.MetricsPath);
        Assert.Contains("deviceAvailability 30", summary.HealthScoreWeights);
    }

    [Fact]
    public void Credentials_say_where_they_would_be_looked_for_and_never_show_a_value()
    {
        using var temp = new TempFolder();
        const string token = "ntn_summarytest0123456789abcdef0123456789";
        var env = new FakeSystemEnvironment(temp.Path).Set("NOTION_TOKEN", token);
        var path = temp.File("config.json", """{ "secrets": { "keyVaultUri": "https://acme-ops.vault.azure.net/" } }""");

        var summary = ConfigurationSummary.From(ConfigurationFile.LoadFrom(path, env), "user file", null, env);

        var notion = summary.Credentials.Single(c => c.Credential == "NotionToken");
        Assert.Equal(("notion-token", "NOTION_TOKEN", true), (notion.KeyVaultSecretName, notion.EnvironmentVariable, notion.EnvironmentVariableSet));
        Assert.Equal("looked for in: -NotionToken of Connect-OberaConnect, then Azure Key Vault secret 'notion-token' (https://acme-ops.vault.azure.net/), then environment variable OBERACONNECT_NOTION_TOKEN or NOTION_TOKEN (set)", notion.Source);
        var unifi = summary.Credentials.Single(c => c.Credential == "UniFiApiKey");
        Assert.False(unifi.EnvironmentVariableSet);
        Assert.EndsWith("environment variable OBERACONNECT_UNIFI_API_KEY or UNIFI_API_KEY (not set)", unifi.Source);
        Assert.Equal(5, summary.Credentials.Count); // Notion, UniFi, NinjaOne id and secret, Databricks
        Assert.DoesNotContain(token, Describe(summary));
    }

    [Fact]
    public void A_credential_in_the_prefixed_variable_counts_as_set_as_the_resolver_reads_it()
    {
        using var temp = new TempFolder();
        var env = new FakeSystemEnvironment(temp.Path).Set("OBERACONNECT_NOTION_TOKEN", "ntn_prefixedonly0123456789abcdef012345678");
        var summary = ConfigurationSummary.From(ConfigurationFile.Parse("{}", Path.Combine(temp.Path, "c.json"), env), "machine file", null, env);

        var notion = summary.Credentials.Single(c => c.Credential == "NotionToken");
        Assert.True(notion.EnvironmentVariableSet);
        Assert.EndsWith("environment variable OBERACONNECT_NOTION_TOKEN or NOTION_TOKEN (set)", notion.Source);
        Assert.False(summary.Credentials.Single(c => c.Credential == "UniFiApiKey").EnvironmentVariableSet);
    }

    [Fact]
    public void Without_a_vault_no_secret_name_is_looked_up()
    {
        using var temp = new TempFolder();
        var env = new FakeSystemEnvironment(temp.Path);
        var summary = ConfigurationSummary.From(ConfigurationFile.Parse("{}", Path.Combine(temp.Path, "c.json"), env), "machine file", null, env);

        Assert.Null(summary.KeyVaultUri);
        Assert.All(summary.Credentials, c => Assert.Null(c.KeyVaultSecretName));
        Assert.All(summary.Credentials, c => Assert.DoesNotContain("Key Vault", c.Source));
    }

    [Theory]
    [InlineData(ConfigurationOrigin.Parameter, "-ConfigPath")]
    [InlineData(ConfigurationOrigin.EnvironmentVariable, "OBERACONNECT_CONFIG")]
    [InlineData(ConfigurationOrigin.UserFile, "user file")]
    [InlineData(ConfigurationOrigin.MachineFile, "machine file")]
    public void Origins_are_named_in_the_users_words(ConfigurationOrigin origin, string expected)
        => Assert.Equal(expected, ConfigurationSummary.Describe(origin));

    /// <summary>Every string the summary exposes, nested ones included.</summary>
    private static string Describe(ConfigurationSummary summary)
    {
        var parts = new List<string?>();
        void Add(object o) => parts.AddRange(o.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(o)));
        Add(summary);
        foreach (var d in summary.Databases) Add(d);
        foreach (var c in summary.Credentials) Add(c);
        return string.Join("\n", parts);
    }
}
