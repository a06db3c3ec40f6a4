using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Configuration;

public class ConfigurationLoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeSystemEnvironment _env;

    public ConfigurationLoadingTests() => _env = new FakeSystemEnvironment(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private OberaConnectConfiguration Parse(string json) => ConfigurationFile.Parse(json, Path.Combine(_temp.Path, "config.json"), _env);

    private ConfigurationException Fails(string json) => Assert.ThrowsAny<ConfigurationException>(() => Parse(json));

    private ConfigurationProblem Single(string json, string errorId)
    {
        var ex = Fails(json);
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(errorId, problem.ErrorId);
        return problem;
    }

    private const string SitesId = "3d0982b9-f958-41d0-8437-cf2e00981c7f";

    [Fact]
    public void The_sample_loads_and_holds_the_defaults()
    {
        var config = Parse(ConfigurationFile.Sample());
        Assert.Equal("https://api.notion.com/", config.Notion.BaseUrl);
        Assert.Equal("2026-03-11", config.Notion.ApiVersion);
        Assert.Equal(3, config.Notion.RequestsPerSecond);
        Assert.Equal("https://api.ui.com", config.UniFi.BaseUrl);
        Assert.Equal("https://app.ninjarmm.com", config.NinjaOne.BaseUrl);
        Assert.Equal(100, config.HealthScoreWeights.Sum);
        Assert.Equal((30, 20, 20, 15, 15), (config.HealthScoreWeights.DeviceAvailability, config.HealthScoreWeights.WifiQuality,
            config.HealthScoreWeights.Alerts, config.HealthScoreWeights.Backup, config.HealthScoreWeights.ConfigCompliance));
        Assert.Null(config.Secrets.KeyVaultUri);
        Assert.Equal("notion-token", config.Secrets.NotionTokenSecretName);
        Assert.Empty(config.Databases.Configured);
        Assert.True(config.SiteMapping.MatchByName);
        Assert.Null(config.Paths.MetricsPath);
    }

    [Fact]
    public void The_sample_names_every_setting_and_every_database()
    {
        var sample = ConfigurationFile.Sample();
        foreach (var s in ConfigurationSchema.Settings) Assert.Contains("\"" + s.Name + "\":", sample);
        foreach (var key in Enum.GetNames(typeof(DatabaseKey))) Assert.Contains("\"" + key + "\":", sample);
        Assert.DoesNotContain("ntn_", sample);
    }

    [Fact]
    public void An_empty_object_gives_the_defaults_with_paths_for_the_account()
    {
        var config = Parse("{}");
        var data = _env.HomeDirectory + "/.local/state/oberaconnect";
        Assert.Equal(data + "/logs", config.Paths.LogDirectory);
        Assert.Equal(data + "/journal", config.Paths.JournalDirectory);
        Assert.Equal(data, config.Paths.DataDirectory);
    }

    [Fact]
    public void The_log_directory_variable_replaces_the_default_log_directory_but_not_a_setting()
    {
        _env.Set(ConfigurationLocations.LogDirectoryVariable, "/srv/oberaconnect/logs");
        var config = Parse("{}");
        Assert.Equal("/srv/oberaconnect/logs", config.Paths.LogDirectory);
        Assert.Equal(_env.HomeDirectory + "/.local/state/oberaconnect/audit", config.Paths.AuditDirectory);
        Assert.Equal("/var/log/oc", Parse("{\"paths\": {\"logDirectory\": \"/var/log/oc\"}}").Paths.LogDirectory);
        Assert.Equal("/srv/oberaconnect/logs", OberaConnectConfiguration.CreateDefault(_env).Paths.LogDirectory);
    }

    [Fact]
    public void Windows_SYSTEM_keeps_its_data_under_ProgramData()
    {
        var system = new FakeSystemEnvironment(_temp.Path, windows: true, serviceAccount: true);
        var config = ConfigurationFile.Parse("{}", Path.Combine(_temp.Path, "config.json"), system);
        Assert.Equal(system.GetFolder(Environment.SpecialFolder.CommonApplicationData) + "\\OberaConnect\\state", config.Paths.StateDirectory);
        var person = new FakeSystemEnvironment(_temp.Path, windows: true);
        Assert.Equal(person.GetFolder(Environment.SpecialFolder.LocalApplicationData) + "\\OberaConnect", ConfigurationLocations.DefaultDataDirectory(person));
    }

    [Fact]
    public void Invalid_json_names_line_and_byte_position()
    {
        var ex = Assert.Throws<ConfigurationSyntaxException>(() => Parse("{\n  \"notion\": {\n    \"baseUrl\": \"https://api.notion.com/\"\n    \"apiVersion\": \"2026-03-11\"\n  }\n}"));
        Assert.Equal(ConfigurationErrors.InvalidJson, ex.ErrorId);
        Assert.Equal(4, ex.Line);
        Assert.Equal(5, ex.BytePositionInLine);
        Assert.Contains("line 4, byte 5: '\"' is invalid after a value.", ex.Message);
        Assert.DoesNotContain("LineNumber", ex.Message);
        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void Comments_are_refused_with_a_hint()
    {
        var ex = Assert.Throws<ConfigurationSyntaxException>(() => Parse("{\n  // my notes\n  \"notion\": {}\n}"));
        Assert.Equal(2, ex.Line);
        Assert.Contains("$comment", ex.Message);
    }

    [Fact]
    public void Dollar_keys_are_notes()
        => Assert.Equal(3, Parse("{\"$comment\": \"x\", \"notion\": {\"$why\": 1, \"burst\": 3}}").Notion.Burst);

    [Theory]
    [InlineData("{\"notion\": {\"baseUlr\": \"https://api.notion.com/\"}}", "notion.baseUlr", "Did you mean 'notion.baseUrl'?")]
    [InlineData("{\"notoin\": {}}", "notoin", "Did you mean 'notion'?")]
    [InlineData("{\"unifi\": {\"pagesize\": 10, \"requestPerMinute\": 100}}", "unifi.requestPerMinute", "Did you mean 'unifi.requestsPerMinute'?")]
    [InlineData("{\"requestsPerSecond\": 2}", "requestsPerSecond", "Did you mean 'notion.requestsPerSecond'? It belongs in the \"notion\" section.")]
    [InlineData("{\"secrets\": {\"notionTokenSecretNmae\": \"notion-token\"}}", "secrets.notionTokenSecretNmae", "Did you mean 'secrets.notionTokenSecretName'?")]
    [InlineData("{\"healthScoreWeights\": {\"wifi_quality\": 20}}", "healthScoreWeights.wifi_quality", "Did you mean 'healthScoreWeights.wifiQuality'?")]
    public void Unknown_settings_suggest_the_nearest_known_name(string json, string setting, string suggestion)
    {
        var p = Single(json, ConfigurationErrors.UnknownSetting);
        Assert.Equal(setting, p.Setting);
        Assert.Contains($"Unknown setting '{setting}'.", p.Message);
        Assert.Contains(suggestion, p.Message);
    }

    [Fact]
    public void An_unknown_name_far_from_any_lists_what_is_known()
    {
        var p = Single("{\"notion\": {\"colour\": \"blue\"}}", ConfigurationErrors.UnknownSetting);
        Assert.DoesNotContain("Did you mean", p.Message);
        Assert.Contains("Settings of notion: baseUrl, apiVersion, requestsPerSecond, burst", p.Message);
    }

    [Fact]
    public void Names_are_matched_ignoring_case()
        => Assert.Equal(7, Parse("{\"NOTION\": {\"Burst\": 7}}").Notion.Burst);

    [Fact]
    public void A_name_given_twice_is_reported()
        => Assert.Contains("notion.Burst appears more than once", Single("{\"notion\": {\"burst\": 3, \"Burst\": 4}}", ConfigurationErrors.DuplicateSetting).Message);

    [Theory]
    [InlineData("customer_status", "CustomerSites")]
    [InlineData("DailyHelth", "DailyHealth")]
    [InlineData("Runbooks", "RunbookLibrary")]
    public void Unknown_database_names_are_reported_with_a_suggestion(string name, string suggestion)
    {
        var p = Single($"{{\"databases\": {{\"{name}\": \"{SitesId}\"}}}}", ConfigurationErrors.UnknownDatabase);
        Assert.Contains($"Unknown database '{name}'", p.Message);
        Assert.Contains($"Did you mean '{suggestion}'?", p.Message);
        Assert.Contains("CustomerSites, DailyHealth, ConfigChanges, NetworkDevices, Alerts, AzurePipeline, RunbookLibrary", p.Message);
    }

    [Theory]
    [InlineData("3d0982b9-f958-41d0-8437-cf2e00981c7f")]
    [InlineData("3D0982B9F95841D08437CF2E00981C7F")]
    [InlineData("https://www.notion.so/acme/Customer-Sites-3d0982b9f95841d08437cf2e00981c7f?v=56dd91f417054ba19472255b785b9929")]
    [InlineData("https://app.notion.com/p/3d0982b9f95841d08437cf2e00981c7f")]
    [InlineData("https://acme.notion.site/3d0982b9-f958-41d0-8437-cf2e00981c7f")]
    public void Notion_ids_are_accepted_in_every_usual_form_and_stored_dashed(string given)
    {
        var config = Parse($"{{\"databases\": {{\"CustomerSites\": {{\"databaseId\": \"{given}\", \"dataSourceId\": \"521ced704d4b4236b7c84b4eeec81b24\"}}}}}}");
        var ids = config.Databases.Require(DatabaseKey.CustomerSites);
        Assert.Equal(SitesId, ids.DatabaseId);
        Assert.Equal("521ced70-4d4b-4236-b7c8-4b4eeec81b24", ids.DataSourceId);
    }

    [Fact]
    public void A_database_given_as_text_is_its_database_id()
    {
        var config = Parse($"{{\"databases\": {{\"alerts\": \"https://www.notion.so/{SitesId.Replace("-", "")}\", \"DailyHealth\": null}}}}");
        Assert.Equal(new DatabaseIds(SitesId, null), config.Databases[DatabaseKey.Alerts]);
        Assert.False(config.Databases.IsConfigured(DatabaseKey.DailyHealth));
    }

    [Theory]
    [InlineData("3d0982b9-f958-41d0-8437")]
    [InlineData("3d0982b9f95841d08437cf2e00981c7g")]
    [InlineData("https://www.google.com/3d0982b9f95841d08437cf2e00981c7f")]
    [InlineData("Customer Sites")]
    public void Values_that_are_not_Notion_ids_are_reported(string given)
    {
        var p = Single($"{{\"databases\": {{\"CustomerSites\": {{\"databaseId\": \"{given}\"}}}}}}", ConfigurationErrors.InvalidNotionId);
        Assert.Equal("databases.CustomerSites.databaseId", p.Setting);
        Assert.Contains("is not a Notion id", p.Message);
        Assert.Contains("URL", p.Message);
    }

    [Theory]
    [InlineData("databases", "{\"databases\": {\"CustomerSites\": \"xxx\"}}", "databases.CustomerSites")]
    [InlineData("databases", "{\"databases\": {\"CustomerSites\": {\"databaseId\": \"<database-id>\"}}}", "databases.CustomerSites.databaseId")]
    [InlineData("databases", "{\"databases\": {\"CustomerSites\": \"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"}}", "databases.CustomerSites")]
    [InlineData("databases", "{\"databases\": {\"CustomerSites\": \"00000000-0000-0000-0000-000000000000\"}}", "databases.CustomerSites")]
    [InlineData("databases", "{\"databases\": {\"CustomerSites\": \"12345678-1234-1234-1234-123456789012\"}}", "databases.CustomerSites")]
    [InlineData("databases", "{\"databases\": {\"Alerts\": \"TODO\"}}", "databases.Alerts")]
    [InlineData("secrets", "{\"secrets\": {\"notionTokenSecretName\": \"your-key\"}}", "secrets.notionTokenSecretName")]
    [InlineData("secrets", "{\"secrets\": {\"unifiApiKeySecretName\": \"REPLACE_ME\"}}", "secrets.unifiApiKeySecretName")]
    [InlineData("secrets", "{\"secrets\": {\"ninjaOneClientIdSecretName\": \"changeme\"}}", "secrets.ninjaOneClientIdSecretName")]
    [InlineData("secrets", "{\"secrets\": {\"keyVaultUri\": \"https://<vault-name>.vault.azure.net/\"}}", "secrets.keyVaultUri")]
    [InlineData("secrets", "{\"secrets\": {\"keyVaultUri\": \"https://your-vault.vault.azure.net/\"}}", "secrets.keyVaultUri")]
    [InlineData("secrets", "{\"secrets\": {\"keyVaultUri\": \"https://example.vault.azure.net/\"}}", "secrets.keyVaultUri")]
    [InlineData("notion", "{\"notion\": {\"baseUrl\": \"https://EXAMPLE.com/\"}}", "notion.baseUrl")]
    [InlineData("ninjaOne", "{\"ninjaOne\": {\"region\": \"todo\"}}", "ninjaOne.region")]
    [InlineData("paths", "{\"paths\": {\"logDirectory\": \"<log folder>\"}}", "paths.logDirectory")]
    [InlineData("siteMapping", "{\"siteMapping\": {\"map\": {\"<site name>\": 42}}}", "siteMapping.map[\"<site name>\"]")]
    public void Placeholders_are_refused_as_suspicious_default_values(string section, string json, string setting)
    {
        var p = Single(json, ConfigurationErrors.PlaceholderValue);
        Assert.Equal(setting, p.Setting);
        Assert.StartsWith(section, p.Setting);
        Assert.Contains("suspicious default value", p.Message);
    }

    [Fact]
    public void Customer_names_that_contain_a_placeholder_word_are_still_names()
    {
        var config = Parse("{\"siteMapping\": {\"map\": {\"Example Dental Group\": \"Example Dental\", \"Your Town Pharmacy\": 7}}}");
        Assert.Equal(new NinjaOneOrganizationRef(null, "Example Dental"), config.SiteMapping.Find(null, "example dental group"));
        Assert.Equal(new NinjaOneOrganizationRef(7, null), config.SiteMapping.Find("abc", "Your Town Pharmacy"));
    }

    [Theory]
    [InlineData("secret_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg")]
    [InlineData("ntn_123456789012345678901234567890abcdefGHIJKL")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("kR7vT2mQ9xL4pZ8wN3bY6cF1hJ5dG0sA")]
    [InlineData("Xy8_Qw3-Lm9pTr4vBn2cKj7hGf5dSa1zPo6iUy0e")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc123def456")]
    public void A_secret_pasted_into_a_secret_name_setting_is_refused_and_not_repeated(string secret)
    {
        var p = Single($"{{\"secrets\": {{\"ninjaOneClientSecretSecretName\": \"{secret}\"}}}}", ConfigurationErrors.SecretInNameSetting);
        Assert.Equal("secrets.ninjaOneClientSecretSecretName", p.Setting);
        Assert.Contains("NAME of a Key Vault secret", p.Message);
        Assert.DoesNotContain(secret, p.Message);
        Assert.DoesNotContain(secret.Substring(0, 12), Fails($"{{\"secrets\": {{\"notionTokenSecretName\": \"{secret}\"}}}}").Message);
    }

    [Theory]
    [InlineData("notion-token")]
    [InlineData("oberaconnect-notion-token-prod")]
    [InlineData("NinjaOne-ClientSecret-2025")]
    [InlineData("unifi-api-key-v2")]
    [InlineData("kv-secret-ninjaone-client-secret-primary")]
    public void Ordinary_secret_names_are_accepted(string name)
        => Assert.Equal(name, Parse($"{{\"secrets\": {{\"ninjaOneClientSecretSecretName\": \"{name}\"}}}}").Secrets.NinjaOneClientSecretSecretName);

    [Fact]
    public void A_secret_name_with_characters_Key_Vault_refuses_is_reported()
        => Assert.Contains("1 to 127 letters, digits and dashes",
            Single("{\"secrets\": {\"notionTokenSecretName\": \"notion_token\"}}", ConfigurationErrors.InvalidSecretName).Message);

    [Theory]
    [InlineData("{\"notionToken\": \"ntn_1234567890abcdefghijklmnopqrstuv\"}", "notionToken")]
    [InlineData("{\"notion\": {\"token\": \"ntn_1234567890abcdefghijklmnopqrstuv\"}}", "notion.token")]
    [InlineData("{\"unifi\": {\"apiKey\": \"ntn_1234567890abcdefghijklmnopqrstuv\"}}", "unifi.apiKey")]
    [InlineData("{\"ninjaOne\": {\"clientSecret\": \"ntn_1234567890abcdefghijklmnopqrstuv\"}}", "ninjaOne.clientSecret")]
    public void Settings_meant_for_secret_values_are_refused_without_repeating_the_value(string json, string setting)
    {
        var ex = Fails(json);
        var p = Assert.Single(ex.Problems);
        Assert.Equal(ConfigurationErrors.SecretValueNotAllowed, p.ErrorId);
        Assert.Equal(setting, p.Setting);
        Assert.Contains("never holds secrets", p.Message);
        Assert.Contains("NOTION_TOKEN", p.Message);
        Assert.DoesNotContain("ntn_1234567890", ex.Message);
    }

    [Fact]
    public void Weights_that_do_not_add_up_to_100_show_the_sum()
    {
        var p = Single("{\"healthScoreWeights\": {\"deviceAvailability\": 40, \"configCompliance\": 10}}", ConfigurationErrors.InvalidHealthWeights);
        Assert.Contains("add up to 105", p.Message);
        Assert.Contains("deviceAvailability 40 + wifiQuality 20 + alerts 20 + backup 15 + configCompliance 10", p.Message);
    }

    [Fact]
    public void Negative_and_fractional_weights_are_reported()
    {
        var ex = Fails("{\"healthScoreWeights\": {\"alerts\": -5, \"backup\": 12.5}}");
        Assert.Equal(ConfigurationErrors.InvalidHealthWeights, ex.ErrorId);
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Setting == "healthScoreWeights.alerts" && p.Message.Contains("must be 0 or more (got -5)"));
        Assert.Contains(ex.Problems, p => p.Setting == "healthScoreWeights.backup" && p.Message.Contains("whole number"));
    }

    [Fact]
    public void Weights_adding_up_to_100_are_accepted()
    {
        var w = Parse("{\"healthScoreWeights\": {\"deviceAvailability\": 50, \"wifiQuality\": 10, \"alerts\": 10, \"backup\": 20, \"configCompliance\": 10}}").HealthScoreWeights;
        Assert.Equal(50, w.DeviceAvailability);
        Assert.Same(w, w.Validate());
        w.Alerts = 0;
        Assert.Equal(ConfigurationErrors.InvalidHealthWeights, Assert.Throws<ConfigurationException>(() => w.Validate()).ErrorId);
    }

    [Theory]
    [InlineData("notion.baseUrl", "{\"notion\": {\"baseUrl\": \"api.notion.com\"}}", "not an absolute http(s) URL")]
    [InlineData("notion.baseUrl", "{\"notion\": {\"baseUrl\": \"http://api.notion.com/\"}}", "use https")]
    [InlineData("unifi.baseUrl", "{\"unifi\": {\"baseUrl\": \"ftp://api.ui.com\"}}", "not an absolute http(s) URL")]
    [InlineData("secrets.keyVaultUri", "{\"secrets\": {\"keyVaultUri\": \"https://portal.azure.com/\"}}", "not a Key Vault URI")]
    [InlineData("secrets.keyVaultUri", "{\"secrets\": {\"keyVaultUri\": \"https://vault.azure.net/\"}}", "not a Key Vault URI")]
    // A Managed HSM is not a vault the secret provider can read: refused when the file loads, not at connect.
    [InlineData("secrets.keyVaultUri", "{\"secrets\": {\"keyVaultUri\": \"https://contoso.managedhsm.azure.net/\"}}", "not a Key Vault URI")]
    [InlineData("ninjaOne.region", "{\"ninjaOne\": {\"region\": \"http://eu.ninjarmm.com\"}}", "use https")]
    public void Bad_urls_are_reported(string setting, string json, string why)
    {
        var p = Single(json, ConfigurationErrors.InvalidUrl);
        Assert.Equal(setting, p.Setting);
        Assert.Contains(why, p.Message);
    }

    [Fact]
    public void Loopback_http_is_allowed_for_tests_and_Key_Vault_uris_of_every_cloud_are_accepted()
    {
        var config = Parse("{\"notion\": {\"baseUrl\": \"http://127.0.0.1:5123/\"}, \"secrets\": {\"keyVaultUri\": \"https://contoso-ops.vault.usgovcloudapi.net/\"}}");
        Assert.Equal("http://127.0.0.1:5123/", config.Notion.BaseUrl);
        Assert.Equal("https://contoso-ops.vault.usgovcloudapi.net/", config.Secrets.KeyVaultUri);
    }

    [Theory]
    [InlineData("EU", "https://eu.ninjarmm.com")]
    [InlineData("us2", "https://us2.ninjarmm.com")]
    [InlineData("fed", "https://fed.ninjarmm.com")]
    [InlineData("https://acme.rmmservice.com", "https://acme.rmmservice.com")]
    public void NinjaOne_region_or_url(string region, string baseUrl)
        => Assert.Equal(baseUrl, Parse($"{{\"ninjaOne\": {{\"region\": \"{region}\"}}}}").NinjaOne.BaseUrl);

    [Fact]
    public void An_unknown_region_suggests_the_nearest()
        => Assert.Contains("Did you mean 'eu'?", Single("{\"ninjaOne\": {\"region\": \"euu\"}}", ConfigurationErrors.InvalidValue).Message);

    [Theory]
    [InlineData(null, "monitoring")]
    [InlineData("\"Monitoring\"", "monitoring")]
    [InlineData("\"management monitoring\"", "monitoring management")]
    public void The_NinjaOne_scope_defaults_to_monitoring_and_is_kept_in_the_order_NinjaOne_lists_scopes(string? json, string expected)
        => Assert.Equal(expected, Parse(json is null ? "{\"ninjaOne\": {}}" : $"{{\"ninjaOne\": {{\"scope\": {json}}}}}").NinjaOne.Scope);

    [Theory]
    [InlineData("management", "must include 'monitoring'")]
    [InlineData("monitoring offline_access", "'offline_access' is not a NinjaOne scope")]
    public void A_NinjaOne_scope_without_monitoring_or_with_unknown_names_is_refused(string scope, string why)
    {
        var p = Single($"{{\"ninjaOne\": {{\"scope\": \"{scope}\"}}}}", ConfigurationErrors.InvalidValue);
        Assert.Equal("ninjaOne.scope", p.Setting);
        Assert.Contains(why, p.Message);
    }

    [Theory]
    [InlineData("{\"notion\": {\"burst\": \"3\"}}", "notion.burst must be a whole number")]
    [InlineData("{\"notion\": {\"requestsPerSecond\": 10}}", "notion.requestsPerSecond must be between 0.1 and 3 (got 10)")]
    [InlineData("{\"unifi\": {\"pageSize\": 0}}", "unifi.pageSize must be between 1 and 500 (got 0)")]
    [InlineData("{\"siteMapping\": {\"matchByName\": \"yes\"}}", "siteMapping.matchByName must be true or false")]
    [InlineData("{\"notion\": {\"timeoutSeconds\": null}}", "notion.timeoutSeconds must not be null. Remove the line to use the default (30)")]
    [InlineData("{\"notion\": {\"apiVersion\": \"2022-06-28\"}}", "Use one of 2026-03-11, 2025-09-03")]
    [InlineData("{\"notion\": []}", "notion must be an object")]
    [InlineData("[]", "must hold one JSON object")]
    public void Wrong_types_and_ranges_are_reported(string json, string message)
        => Assert.Contains(message, Single(json, ConfigurationErrors.InvalidValue).Message);

    [Fact]
    public void Every_problem_is_reported_at_once_and_the_first_gives_the_ErrorId()
    {
        var ex = Fails("{\"notion\": {\"baseUlr\": \"x\", \"burst\": 0}, \"databases\": {\"Sites\": null}, \"secrets\": {\"keyVaultUri\": \"TODO\"}}");
        Assert.Equal(4, ex.Problems.Count);
        Assert.Equal(ConfigurationErrors.UnknownSetting, ex.ErrorId);
        Assert.Equal("notion.baseUlr", ex.Setting);
        Assert.Contains("has 4 problems", ex.Message);
        Assert.Equal(new[] { ConfigurationErrors.UnknownSetting, ConfigurationErrors.InvalidValue, ConfigurationErrors.UnknownDatabase, ConfigurationErrors.PlaceholderValue },
            ex.Problems.Select(p => p.ErrorId));
        Assert.Equal(FailureKind.Configuration, ex.Kind);
    }

    [Fact]
    public void Site_mapping_takes_ids_and_names_and_finds_by_id_first()
    {
        var config = Parse("{\"siteMapping\": {\"matchByName\": false, \"map\": {\"Acme Corp - Main Office\": 42, \"61a2b3c4d5e6f7a8b9c0d1e2\": \"Globex Dental\", \"Initech\": \"108\"}}}");
        Assert.False(config.SiteMapping.MatchByName);
        Assert.Equal(3, config.SiteMapping.Entries.Count);
        Assert.Equal(new NinjaOneOrganizationRef(42, null), config.SiteMapping.Find("zzz", "ACME CORP - MAIN OFFICE"));
        Assert.Equal(new NinjaOneOrganizationRef(null, "Globex Dental"), config.SiteMapping.Find("61a2b3c4d5e6f7a8b9c0d1e2", "Acme Corp - Main Office"));
        Assert.Equal(new NinjaOneOrganizationRef(108, null), config.SiteMapping.Find(null, "Initech"));
        Assert.Null(config.SiteMapping.Find("nope", "Nobody"));
    }

    [Theory]
    [InlineData("Acme Corp.", "ACME-Corp", true)]
    [InlineData("Acme Corp", "Acme Corporation", false)]
    [InlineData("---", "...", false)]
    public void Names_match_ignoring_case_and_punctuation(string a, string b, bool same)
        => Assert.Equal(same, SiteMappingSettings.SameName(a, b));

    [Fact]
    public void Site_mapping_problems_are_reported()
    {
        var ex = Fails("{\"siteMapping\": {\"map\": {\"Acme\": 1, \"acme\": 2, \"Globex\": true, \"Initech\": -4}}}");
        Assert.Equal(3, ex.Problems.Count);
        Assert.Equal(ConfigurationErrors.DuplicateSetting, ex.Problems[0].ErrorId);
        Assert.All(ex.Problems.Skip(1), p => Assert.Equal(ConfigurationErrors.InvalidValue, p.ErrorId));
    }

    [Fact]
    public void Paths_expand_variables_and_resolve_relative_to_the_file()
    {
        _env.Set("OC_LOGS", "/var/log/oc");
        var config = Parse("{\"paths\": {\"logDirectory\": \"%OC_LOGS%/run\", \"stateDirectory\": \"state\", \"auditDirectory\": \"~/audit\", \"metricsPath\": \"/var/lib/node_exporter/oberaconnect.prom\"}}");
        Assert.Equal("/var/log/oc/run", config.Paths.LogDirectory);
        Assert.Equal(Path.Combine(_temp.Path, "state"), config.Paths.StateDirectory);
        Assert.Equal(_env.HomeDirectory + "/audit", config.Paths.AuditDirectory);
        Assert.Equal("/var/lib/node_exporter/oberaconnect.prom", config.Paths.MetricsPath);
        Assert.EndsWith("journal", config.Paths.JournalDirectory);
    }

    [Fact]
    public void Path_problems_are_reported()
    {
        var ex = Fails("{\"paths\": {\"logDirectory\": \"%NOT_SET_ANYWHERE%/logs\", \"metricsPath\": \"/tmp/metrics.txt\"}}");
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains("environment variable that is not set", ex.Problems[0].Message);
        Assert.Contains("must end in .prom", ex.Problems[1].Message);
    }

    [Fact]
    public void Resilience_settings_become_pipeline_options()
    {
        var config = Parse("{\"notion\": {\"requestsPerSecond\": 2.5, \"burst\": 2, \"timeoutSeconds\": 45, \"maxRetries\": 3, \"breakerFailureThreshold\": 4, \"breakerBreakSeconds\": 90}, \"unifi\": {\"requestsPerMinute\": 120}}");
        var o = config.Notion.ToResilienceOptions();
        Assert.Equal((2.5, 2, TimeSpan.FromSeconds(45), 3, 4, TimeSpan.FromSeconds(90)),
            (o.RequestsPerSecond, o.Burst, o.RequestTimeout, o.MaxRetries, o.BreakerFailureThreshold, o.BreakerBreakDuration));
        o.Validate("Notion");
        Assert.Equal(2.0, config.UniFi.ToResilienceOptions().RequestsPerSecond);
        Assert.Equal(5.0, config.NinjaOne.ToResilienceOptions().RequestsPerSecond);
    }

    [Fact]
    public void A_database_used_before_it_has_ids_says_how_to_get_them()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse("{}").Databases.Require(DatabaseKey.NetworkDevices, "/etc/oberaconnect/config.json"));
        Assert.Equal(ConfigurationErrors.DatabaseNotConfigured, ex.ErrorId);
        Assert.Contains("Network Devices (NetworkDevices)", ex.Message);
        Assert.Contains(CommandNames.Initialize, ex.Message);
    }
}
