namespace OberaConnect.Engine.Configuration;

/// <summary>Where a configuration file path came from.</summary>
public enum ConfigurationOrigin
{
    /// <summary>The -ConfigPath parameter.</summary>
    Parameter,
    /// <summary>The OBERACONNECT_CONFIG environment variable.</summary>
    EnvironmentVariable,
    /// <summary>The account's own file (%APPDATA%, ~/.config).</summary>
    UserFile,
    /// <summary>The machine-wide file (%ProgramData%, /etc), the one SYSTEM uses.</summary>
    MachineFile,
}

/// <summary>The configuration file chosen, why, and which paths were considered.</summary>
public sealed record ConfigurationLocation(string Path, ConfigurationOrigin Origin, bool Exists, IReadOnlyList<string> Searched);

/// <summary>
/// Default locations of the configuration file and of the data the module keeps (logs, audit, journal,
/// state), and the order in which a file is chosen:
/// 1. the -ConfigPath parameter; 2. OBERACONNECT_CONFIG; 3. the account's own file (not for service
/// accounts); 4. the machine-wide file. A path from 1 or 2 must exist; 3 and 4 are tried in turn.
/// </summary>
public static class ConfigurationLocations
{
    /// <summary>Environment variable naming the configuration file.</summary>
    public const string EnvironmentVariable = "OBERACONNECT_CONFIG";

    public const string FileName = "config.json";

    /// <summary>
    /// Environment variable that replaces the default log directory (paths.logDirectory left out or null):
    /// how a NinjaOne script or scheduled task redirects logs without editing the configuration file.
    /// </summary>
    public const string LogDirectoryVariable = "OBERACONNECT_LOG_DIR";

    /// <summary>The account's own file: %APPDATA%\OberaConnect\config.json, or $XDG_CONFIG_HOME (~/.config)/oberaconnect/config.json.</summary>
    public static string UserConfigPath(ISystemEnvironment env)
        => env.IsWindows
            ? Join(env, env.GetFolder(Environment.SpecialFolder.ApplicationData), "OberaConnect", FileName)
            : Join(env, env.GetVariable("XDG_CONFIG_HOME") ?? Join(env, env.HomeDirectory, ".config"), "oberaconnect", FileName);

    /// <summary>
    /// The machine-wide file: %ProgramData%\OberaConnect\config.json, or /etc/oberaconnect/config.json.
    /// SYSTEM reads this one: its %APPDATA% lies under system32\config\systemprofile, which 32-bit processes
    /// see redirected to SysWOW64, and which administrators never look at.
    /// </summary>
    public static string MachineConfigPath(ISystemEnvironment env)
        => env.IsWindows
            ? Join(env, env.GetFolder(Environment.SpecialFolder.CommonApplicationData), "OberaConnect", FileName)
            : "/etc/oberaconnect/" + FileName;

    /// <summary>
    /// Where logs, audit records, the failure journal and state go by default: %LOCALAPPDATA%\OberaConnect for
    /// a person, %ProgramData%\OberaConnect for SYSTEM, $XDG_STATE_HOME (~/.local/state)/oberaconnect elsewhere.
    /// </summary>
    public static string DefaultDataDirectory(ISystemEnvironment env)
    {
        if (env.IsWindows)
        {
            var root = env.IsServiceAccount ? Environment.SpecialFolder.CommonApplicationData : Environment.SpecialFolder.LocalApplicationData;
            return Join(env, env.GetFolder(root), "OberaConnect");
        }
        return Join(env, env.GetVariable("XDG_STATE_HOME") ?? Join(env, env.HomeDirectory, ".local", "state"), "oberaconnect");
    }

    /// <summary>A folder in the <see cref="DefaultDataDirectory"/>, for example "audit" or "state".</summary>
    public static string InDataDirectory(ISystemEnvironment env, string folder)
        => Join(env, DefaultDataDirectory(env), folder);

    /// <summary>
    /// Where logs go when paths.logDirectory does not say: the <see cref="LogDirectoryVariable"/> variable when
    /// set, otherwise "logs" in the <see cref="DefaultDataDirectory"/> (%LOCALAPPDATA%\OberaConnect\logs for a
    /// person, %ProgramData%\OberaConnect\logs for SYSTEM, ~/.local/state/oberaconnect/logs elsewhere).
    /// </summary>
    public static string DefaultLogDirectory(ISystemEnvironment env)
    {
        if (env is null) throw new ArgumentNullException(nameof(env));
        var overridden = env.GetVariable(LogDirectoryVariable)?.Trim().Trim('"');
        return string.IsNullOrWhiteSpace(overridden) ? InDataDirectory(env, "logs") : overridden!;
    }

    /// <summary>Chooses the configuration file without reading it (see the class summary for the order).</summary>
    public static ConfigurationLocation Resolve(string? explicitPath, ISystemEnvironment env)
    {
        if (env is null) throw new ArgumentNullException(nameof(env));
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var p = Full(explicitPath!.Trim(), env);
            return new ConfigurationLocation(p, ConfigurationOrigin.Parameter, File.Exists(p), new[] { p });
        }
        var fromVariable = env.GetVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
        {
            var p = Full(fromVariable!.Trim().Trim('"'), env);
            return new ConfigurationLocation(p, ConfigurationOrigin.EnvironmentVariable, File.Exists(p), new[] { p });
        }

        var candidates = new List<(string Path, ConfigurationOrigin Origin)>();
        if (!env.IsServiceAccount) candidates.Add((UserConfigPath(env), ConfigurationOrigin.UserFile));
        candidates.Add((MachineConfigPath(env), ConfigurationOrigin.MachineFile));
        var searched = candidates.Select(c => c.Path).ToList();
        foreach (var (path, origin) in candidates)
        {
            if (File.Exists(path)) return new ConfigurationLocation(path, origin, true, searched);
        }
        return new ConfigurationLocation(candidates[0].Path, candidates[0].Origin, false, searched);
    }

    /// <summary>Expands %VARIABLES% and a leading ~ with the given environment; null when a variable is not set.</summary>
    internal static string? Expand(string path, ISystemEnvironment env)
    {
        var result = path;
        if (result == "~" || result.StartsWith("~/", StringComparison.Ordinal) || result.StartsWith("~\\", StringComparison.Ordinal))
            result = env.HomeDirectory.TrimEnd('/', '\\') + result.Substring(1);
        var start = result.IndexOf('%');
        while (start >= 0)
        {
            var end = result.IndexOf('%', start + 1);
            if (end < 0) break;
            var name = result.Substring(start + 1, end - start - 1);
            if (name.Length == 0) { start = result.IndexOf('%', end + 1); continue; }
            var value = env.GetVariable(name);
            if (value is null) return null;
            result = result.Substring(0, start) + value + result.Substring(end + 1);
            start = result.IndexOf('%', start + value.Length);
        }
        return result;
    }

    private static string Full(string path, ISystemEnvironment env)
    {
        var expanded = Expand(path, env) ?? path;
        try { return Path.GetFullPath(expanded); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { return expanded; }
    }

    // Paths are joined with the separator of the OS described by env (tests describe Windows on Linux).
    private static string Join(ISystemEnvironment env, params string[] parts)
    {
        var sep = env.IsWindows ? '\\' : '/';
        var result = parts[0].TrimEnd('\\', '/');
        for (var i = 1; i < parts.Length; i++) result += sep + parts[i].Trim('\\', '/');
        return result;
    }
}
