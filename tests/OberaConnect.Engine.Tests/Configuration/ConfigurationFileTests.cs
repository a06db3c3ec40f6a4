using System.Text;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Tests.Workspace;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Configuration;

public class ConfigurationFileTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeSystemEnvironment _env;

    public ConfigurationFileTests() => _env = new FakeSystemEnvironment(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private string UserFile => _env.HomeDirectory + "/.config/oberaconnect/config.json";

    [Fact]
    public void Default_locations_for_a_person_and_for_SYSTEM()
    {
        var linux = new FakeSystemEnvironment("/r");
        Assert.Equal("/r/home/.config/oberaconnect/config.json", ConfigurationLocations.UserConfigPath(linux));
        Assert.Equal("/xdg/oberaconnect/config.json", ConfigurationLocations.UserConfigPath(linux.Set("XDG_CONFIG_HOME", "/xdg")));
        Assert.Equal("/etc/oberaconnect/config.json", ConfigurationLocations.MachineConfigPath(linux));

        var windows = new FakeSystemEnvironment("/r", windows: true);
        Assert.Equal(Path.Combine("/r", "ApplicationData") + "\\OberaConnect\\config.json", ConfigurationLocations.UserConfigPath(windows));
        Assert.Equal(Path.Combine("/r", "CommonApplicationData") + "\\OberaConnect\\config.json", ConfigurationLocations.MachineConfigPath(windows));

        var system = ConfigurationLocations.Resolve(null, new FakeSystemEnvironment(_temp.Path, windows: true, serviceAccount: true));
        Assert.Equal(ConfigurationOrigin.MachineFile, system.Origin);
        Assert.Single(system.Searched);
    }

    [Fact]
    public void Resolution_order_is_parameter_then_variable_then_user_then_machine()
    {
        var explicitFile = _temp.File("explicit.json", "{}");
        var variableFile = _temp.File("variable.json", "{}");
        _temp.File(Path.Combine("home", ".config", "oberaconnect", "config.json"), "{}");
        _env.Set(ConfigurationLocations.EnvironmentVariable, variableFile);

        Assert.Equal((explicitFile, ConfigurationOrigin.Parameter), Pick(ConfigurationLocations.Resolve(explicitFile, _env)));
        Assert.Equal((variableFile, ConfigurationOrigin.EnvironmentVariable), Pick(ConfigurationLocations.Resolve(null, _env)));
        _env.Set(ConfigurationLocations.EnvironmentVariable, null);
        Assert.Equal((UserFile, ConfigurationOrigin.UserFile), Pick(ConfigurationLocations.Resolve(null, _env)));
        File.Delete(UserFile);
        var none = ConfigurationLocations.Resolve(null, _env);
        Assert.False(none.Exists);
        Assert.Equal(new[] { UserFile, "/etc/oberaconnect/config.json" }, none.Searched);

        static (string, ConfigurationOrigin) Pick(ConfigurationLocation l) => (l.Path, l.Origin);
    }

    [Fact]
    public void A_missing_file_names_where_it_looked_and_how_to_create_one()
    {
        var ex = Assert.Throws<ConfigurationFileNotFoundException>(() => ConfigurationFile.Load(null, _env));
        Assert.Equal(ConfigurationErrors.FileNotFound, ex.ErrorId);
        Assert.Contains(UserFile, ex.Message);
        Assert.Contains("/etc/oberaconnect/config.json", ex.Message);
        Assert.Contains(CommandNames.NewConfiguration + " -Path '" + UserFile + "'", ex.Message);
        Assert.Contains("OBERACONNECT_CONFIG", ex.Message);
        Assert.Contains("SYSTEM", ex.Message);
        Assert.Equal(new[] { UserFile, "/etc/oberaconnect/config.json" }, ex.SearchedPaths);
    }

    [Fact]
    public void A_missing_file_from_the_parameter_or_the_variable_says_which()
    {
        var missing = Path.Combine(_temp.Path, "nope.json");
        var p = Assert.Throws<ConfigurationFileNotFoundException>(() => ConfigurationFile.Load(missing, _env));
        Assert.Contains($"'{missing}' does not exist. Check the -ConfigPath value", p.Message);
        _env.Set(ConfigurationLocations.EnvironmentVariable, missing);
        var v = Assert.Throws<ConfigurationFileNotFoundException>(() => ConfigurationFile.Load(null, _env));
        Assert.Contains("OBERACONNECT_CONFIG names the configuration file", v.Message);
    }

    [Fact]
    public void Loads_the_file_found_and_remembers_its_path()
    {
        var path = _temp.File(Path.Combine("home", ".config", "oberaconnect", "config.json"), "{\"notion\": {\"burst\": 2}}");
        var config = ConfigurationFile.Load(null, _env);
        Assert.Equal(2, config.Notion.Burst);
        Assert.Equal(Path.GetFullPath(path), config.FilePath);
    }

    [Fact]
    public void Files_written_by_Windows_PowerShell_in_UTF16_or_with_a_BOM_are_read()
    {
        var utf16 = Path.Combine(_temp.Path, "utf16.json");
        File.WriteAllText(utf16, "{\"unifi\": {\"pageSize\": 50}}", Encoding.Unicode);
        Assert.Equal(50, ConfigurationFile.LoadFrom(utf16, _env).UniFi.PageSize);
        var bom = Path.Combine(_temp.Path, "bom.json");
        File.WriteAllText(bom, "{\"unifi\": {\"pageSize\": 60}}", new UTF8Encoding(true));
        Assert.Equal(60, ConfigurationFile.LoadFrom(bom, _env).UniFi.PageSize);
    }

    [Fact]
    public void Saving_ids_keeps_every_other_setting_and_normalizes_ids()
    {
        var path = _temp.File("config.json",
            "{\n  \"$comment\": \"ops team\",\n  \"notion\": {\"burst\": 2},\n  \"Databases\": {\"customersites\": {\"$note\": \"keep\", \"databaseId\": null}},\n  \"siteMapping\": {\"map\": {\"Acme\": 42}}\n}");
        ConfigurationFile.SaveDatabaseIds(path, new Dictionary<DatabaseKey, DatabaseIds>
        {
            [DatabaseKey.CustomerSites] = new("https://www.notion.so/acme/Sites-3d0982b9f95841d08437cf2e00981c7f", "521CED704D4B4236B7C84B4EEEC81B24"),
            [DatabaseKey.Alerts] = new("c171bce2a97444c4a5e269043df6d459", "6ebc1ef2-33fa-4610-ae5f-8e4efa3a4561"),
        });

        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal("ops team", root["$comment"]!.GetValue<string>());
        Assert.Equal("keep", root["Databases"]!["customersites"]!["$note"]!.GetValue<string>());
        Assert.Null(root["databases"]);
        Assert.Equal("3d0982b9-f958-41d0-8437-cf2e00981c7f", root["Databases"]!["customersites"]!["databaseId"]!.GetValue<string>());

        var config = ConfigurationFile.LoadFrom(path, _env);
        Assert.Equal(2, config.Notion.Burst);
        Assert.Equal(new NinjaOneOrganizationRef(42, null), config.SiteMapping.Find(null, "Acme"));
        Assert.Equal(new DatabaseIds("3d0982b9-f958-41d0-8437-cf2e00981c7f", "521ced70-4d4b-4236-b7c8-4b4eeec81b24"), config.Databases[DatabaseKey.CustomerSites]);
        Assert.Equal(new DatabaseIds("c171bce2-a974-44c4-a5e2-69043df6d459", "6ebc1ef2-33fa-4610-ae5f-8e4efa3a4561"), config.Databases[DatabaseKey.Alerts]);
        Assert.Equal(new[] { "config.json" }, Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_into_a_missing_file_creates_it_from_the_sample()
    {
        var path = Path.Combine(_temp.Path, "new", "config.json");
        ConfigurationFile.SaveDatabaseIds(path, new Dictionary<DatabaseKey, DatabaseIds>
        {
            [DatabaseKey.RunbookLibrary] = new("3d0982b9f95841d08437cf2e00981c7f", "521ced704d4b4236b7c84b4eeec81b24"),
        });
        var config = ConfigurationFile.LoadFrom(path, _env);
        Assert.Equal(new[] { DatabaseKey.RunbookLibrary }, config.Databases.Configured);
        Assert.Contains("\"healthScoreWeights\"", File.ReadAllText(path));
    }

    [Fact]
    public void Saving_leaves_a_broken_file_or_a_bad_id_untouched()
    {
        const string broken = "{\"notion\": {\"burst\": 2,,}";
        var path = _temp.File("config.json", broken);
        var ids = new Dictionary<DatabaseKey, DatabaseIds> { [DatabaseKey.Alerts] = new("c171bce2a97444c4a5e269043df6d459", null) };
        Assert.Throws<ConfigurationSyntaxException>(() => ConfigurationFile.SaveDatabaseIds(path, ids));
        Assert.Equal(broken, File.ReadAllText(path));

        File.WriteAllText(path, "{}");
        var bad = new Dictionary<DatabaseKey, DatabaseIds> { [DatabaseKey.Alerts] = new("not-an-id", null) };
        Assert.Equal(ConfigurationErrors.InvalidNotionId, Assert.Throws<ConfigurationException>(() => ConfigurationFile.SaveDatabaseIds(path, bad)).ErrorId);
        Assert.Equal("{}", File.ReadAllText(path));
    }

    [Fact]
    public void A_failed_write_is_a_typed_error_and_leaves_no_temporary_file()
    {
        // A directory where the file should be makes the final rename fail.
        var path = Path.Combine(_temp.Path, "config.json");
        Directory.CreateDirectory(path);
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationFile.SaveDatabaseIds(path,
            new Dictionary<DatabaseKey, DatabaseIds> { [DatabaseKey.Alerts] = new("c171bce2a97444c4a5e269043df6d459", null) }));
        Assert.Equal(ConfigurationErrors.WriteFailed, ex.ErrorId);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Committed_configuration_reference_matches_the_code()
        => GeneratedDocument.AssertCommittedFileMatches(ConfigurationReference.RepositoryPath, ConfigurationReference.Render(),
            ConfigurationReference.UpdateVariable, nameof(ConfigurationFileTests));

    [Fact]
    public void Configuration_reference_is_an_about_topic_covering_every_setting_error_and_credential()
    {
        var text = ConfigurationReference.Render();
        GeneratedDocument.AssertAboutTopicShape(text);
        foreach (var s in ConfigurationSchema.Settings) Assert.Contains("\n    " + s.Path + "\n", text);
        foreach (var (id, _) in ConfigurationErrors.All) Assert.Contains("\n    " + id + "\n", text);
        foreach (var d in OberaConnect.Engine.Credentials.CredentialDescriptor.All)
        {
            Assert.Contains(d.EnvironmentVariable, text);
            Assert.Contains(d.SecretNameSetting, text);
        }
        Assert.Contains("Default: \"https://api.ui.com\".", text);
        Assert.Contains("Default: 30.", text);
        Assert.Contains("%ProgramData%\\OberaConnect\\config.json", text);
        var flowing = System.Text.RegularExpressions.Regex.Replace(text, @"\n +", " ");
        Assert.Contains("Key Vault down: fallback to env vars", flowing);
    }

    [Fact]
    public void The_example_in_the_reference_is_the_sample_and_loads()
    {
        var text = ConfigurationReference.Render();
        var start = text.IndexOf("\n    {\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n    }\n", start, StringComparison.Ordinal);
        var example = string.Join("\n", text.Substring(start + 1, end - start + 6).Split('\n').Select(l => l.Length >= 4 ? l.Substring(4) : l));
        Assert.Equal(ConfigurationFile.Sample().TrimEnd('\n'), example.TrimEnd('\n'));
        ConfigurationFile.Parse(example, Path.Combine(_temp.Path, "x.json"), _env);
    }
}
