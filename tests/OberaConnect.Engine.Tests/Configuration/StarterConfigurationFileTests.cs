using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Tests.Configuration;

public class StarterConfigurationFileTests
{
    [Fact]
    public void A_person_gets_their_own_file_and_SYSTEM_the_machine_wide_file()
    {
        using var temp = new TempFolder();
        var person = StarterConfigurationFile.DefaultLocation(new FakeSystemEnvironment(temp.Path, windows: true));
        var system = StarterConfigurationFile.DefaultLocation(new FakeSystemEnvironment(temp.Path, windows: true, serviceAccount: true));

        Assert.Equal((ConfigurationOrigin.UserFile, Path.Combine(temp.Path, "ApplicationData") + @"\OberaConnect\config.json"), (person.Origin, person.Path));
        Assert.Equal((ConfigurationOrigin.MachineFile, Path.Combine(temp.Path, "CommonApplicationData") + @"\OberaConnect\config.json"), (system.Origin, system.Path));
    }

    [Fact]
    public void OBERACONNECT_CONFIG_wins_because_it_is_where_the_module_will_look()
    {
        using var temp = new TempFolder();
        var named = Path.Combine(temp.Path, "named.json");
        var env = new FakeSystemEnvironment(temp.Path, serviceAccount: false).Set(ConfigurationLocations.EnvironmentVariable, named);

        var location = StarterConfigurationFile.DefaultLocation(env);

        Assert.Equal((ConfigurationOrigin.EnvironmentVariable, named), (location.Origin, location.Path));
    }

    [Fact]
    public void The_written_file_is_the_sample_and_loads_without_problems()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "sub", "config.json");

        var written = StarterConfigurationFile.Write(path, ConfigurationOrigin.Parameter, overwrite: false);

        Assert.Equal((path, "-Path", false), (written.Path, written.Location, written.Replaced));
        Assert.Equal(ConfigurationFile.Sample(), File.ReadAllText(path));
        var loaded = ConfigurationFile.LoadFrom(path, new FakeSystemEnvironment(temp.Path));
        Assert.Empty(loaded.Databases.Configured);
        Assert.Contains(CommandNames.Initialize, written.NextStep);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void An_existing_file_is_left_alone_without_overwrite_and_replaced_with_it()
    {
        using var temp = new TempFolder();
        var path = temp.File("config.json", """{ "databases": { "Alerts": "1f2e3d4c5b6a79881726354453627181" } }""");
        var before = File.ReadAllText(path);

        var refused = Assert.Throws<ConfigurationFileExistsException>(() => StarterConfigurationFile.Write(path, ConfigurationOrigin.UserFile, overwrite: false));
        Assert.Equal(("ConfigFileExists", FailureKind.Conflict, path), (refused.ErrorId, refused.Kind, refused.FilePath));
        Assert.Contains("-Force", refused.Message);
        Assert.Equal(before, File.ReadAllText(path));

        var replaced = StarterConfigurationFile.Write(path, ConfigurationOrigin.UserFile, overwrite: true);
        Assert.True(replaced.Replaced);
        Assert.Equal("user file", replaced.Location);
        Assert.Equal(ConfigurationFile.Sample(), File.ReadAllText(path));
    }

    [Fact]
    public void A_folder_is_not_a_file_to_write()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<ConfigurationException>(() => StarterConfigurationFile.Write(temp.Path, ConfigurationOrigin.Parameter, overwrite: true));
        Assert.Equal(ConfigurationErrors.WriteFailed, error.ErrorId);
        Assert.Contains("config.json", error.Message);
    }
}
