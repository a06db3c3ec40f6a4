namespace OberaConnect.Engine.Configuration;

/// <summary>
/// A configuration file written by New-OberaConnectConfiguration: the sample with every default, no database
/// ids and no secrets (<see cref="ConfigurationFile.Sample"/>), at a path the loader will find.
/// </summary>
public sealed class StarterConfigurationFile
{
    private StarterConfigurationFile(string path, string location, bool replaced)
    {
        Path = path;
        Location = location;
        Replaced = replaced;
    }

    /// <summary>The file written (absolute).</summary>
    public string Path { get; }

    /// <summary>Why there: "-Path", "OBERACONNECT_CONFIG", "user file" or "machine file" (the one SYSTEM reads).</summary>
    public string Location { get; }

    /// <summary>True when an existing file was overwritten (-Force).</summary>
    public bool Replaced { get; }

    /// <summary>What to do next, in a sentence.</summary>
    public string NextStep => $"Set NOTION_TOKEN (or secrets.keyVaultUri), then run {CommandNames.Initialize} -ParentPageId <page link> -ConfigPath '{Path}'.";

    public override string ToString() => Path;

    /// <summary>
    /// Where a new file goes when no path is given: the OBERACONNECT_CONFIG file when the variable is set; the
    /// machine-wide file for SYSTEM and other service accounts (Task Scheduler, NinjaOne); else the account's own file.
    /// These are the places <see cref="ConfigurationFile.Load"/> looks first for that account.
    /// </summary>
    public static ConfigurationLocation DefaultLocation(ISystemEnvironment? environment = null)
    {
        var env = environment ?? SystemEnvironment.Instance;
        var fromVariable = env.GetVariable(ConfigurationLocations.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
            return ConfigurationLocations.Resolve(null, env);
        var path = env.IsServiceAccount ? ConfigurationLocations.MachineConfigPath(env) : ConfigurationLocations.UserConfigPath(env);
        return new ConfigurationLocation(path, env.IsServiceAccount ? ConfigurationOrigin.MachineFile : ConfigurationOrigin.UserFile,
            File.Exists(path), new[] { path });
    }

    /// <summary>
    /// Writes the sample to <paramref name="path"/> (through a temporary file and a rename). An existing file is
    /// replaced only with <paramref name="overwrite"/>: it may hold database ids and site mappings nobody wants to lose.
    /// </summary>
    /// <exception cref="ConfigurationFileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="ConfigurationException">The file could not be written (ConfigWriteFailed).</exception>
    public static StarterConfigurationFile Write(string path, ConfigurationOrigin origin, bool overwrite)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A path is needed.", nameof(path));
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ConfigurationException(ConfigurationErrors.WriteFailed,
                $"{full} is a folder. Give the path of the file to write, for example {System.IO.Path.Combine(full, ConfigurationLocations.FileName)}.", full);
        var exists = File.Exists(full);
        if (exists && !overwrite) throw new ConfigurationFileExistsException(full);
        ConfigurationFile.WriteAtomically(full, ConfigurationFile.Sample());
        var location = origin == ConfigurationOrigin.Parameter ? "-Path" : ConfigurationSummary.Describe(origin);
        return new StarterConfigurationFile(full, location, exists);
    }
}

/// <summary>New-OberaConnectConfiguration found a file where it was to write one.</summary>
public sealed class ConfigurationFileExistsException : OberaConnectException
{
    public ConfigurationFileExistsException(string path)
        : base("ConfigFileExists", FailureKind.Conflict,
            $"The configuration file {path} already exists and was left as it is: it may hold database ids and site mappings. " +
            $"Edit it, give another -Path, or add -Force to replace it with the sample.")
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
