using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// Where logs go when the configuration does not say. The rule is the configuration's own
/// (<see cref="ConfigurationLocations.DefaultLogDirectory"/>, the default of paths.logDirectory), so a log
/// written without a configuration lands where a loaded configuration would put it: the environment variable
/// <see cref="EnvironmentVariable"/> when set (how a NinjaOne script or scheduled task can redirect logs);
/// otherwise "logs" in the configuration's default data directory: on Windows, SYSTEM:
/// <c>%ProgramData%\OberaConnect\logs</c>; an interactive user: <c>%LOCALAPPDATA%\OberaConnect\logs</c>; on
/// Linux/macOS: <c>$XDG_STATE_HOME/oberaconnect/logs</c>, by default <c>~/.local/state/oberaconnect/logs</c>.
/// A directory from the configuration is passed in as <see cref="AuditLogOptions.Directory"/>.
/// </summary>
public static class LogLocation
{
    /// <summary>OBERACONNECT_LOG_DIR (<see cref="ConfigurationLocations.LogDirectoryVariable"/>).</summary>
    public const string EnvironmentVariable = ConfigurationLocations.LogDirectoryVariable;

    /// <summary>The default log directory for this process's account.</summary>
    public static string Default(ISystemEnvironment? environment = null)
        => ConfigurationLocations.DefaultLogDirectory(environment ?? SystemEnvironment.Instance);
}
