using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// Where logs go when the configuration does not say. In order: the environment variable
/// <see cref="EnvironmentVariable"/> (how a NinjaOne script or scheduled task can redirect them);
/// on Windows, SYSTEM: <c>%ProgramData%\OberaConnect\logs</c>; an interactive user:
/// <c>%LOCALAPPDATA%\OberaConnect\logs</c>; on Linux/macOS: <c>$XDG_STATE_HOME/oberaconnect/logs</c>, by
/// default <c>~/.local/state/oberaconnect/logs</c>. (The same folders as the configuration's default data
/// directory + "logs"; a LogDirectory from the configuration is passed in as <see cref="AuditLogOptions.Directory"/>.)
/// </summary>
public static class LogLocation
{
    public const string EnvironmentVariable = "OBERACONNECT_LOG_DIR";

    /// <summary>The default log directory for this process's account.</summary>
    public static string Default(IProcessEnvironment? environment = null)
    {
        var env = environment ?? ProcessEnvironment.Instance;
        var overridden = env.GetVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return overridden!.Trim();

        if (env.IsWindows)
        {
            if (IsWindowsServiceAccount(env))
                return WindowsJoin(NonEmpty(env.GetVariable("ProgramData")) ?? @"C:\ProgramData", "OberaConnect", "logs");
            var local = NonEmpty(env.GetVariable("LOCALAPPDATA"))
                ?? WindowsJoin(NonEmpty(env.GetVariable("USERPROFILE")) ?? @"C:\Users\Default", "AppData", "Local");
            return WindowsJoin(local, "OberaConnect", "logs");
        }

        var state = NonEmpty(env.GetVariable("XDG_STATE_HOME"));
        if (state != null) return UnixJoin(state, "oberaconnect", "logs");
        var home = NonEmpty(env.GetVariable("HOME")) ?? "/tmp";
        return UnixJoin(home, ".local", "state", "oberaconnect", "logs");
    }

    /// <summary>
    /// True for SYSTEM (NinjaOne agents, many scheduled tasks) and the other service accounts, whose profile
    /// lives under the Windows directory where a per-user log would be hard to find.
    /// </summary>
    public static bool IsWindowsServiceAccount(IProcessEnvironment env)
    {
        var user = env.UserName ?? "";
        if (user.Equals("SYSTEM", StringComparison.OrdinalIgnoreCase) || user.Equals("LOCAL SERVICE", StringComparison.OrdinalIgnoreCase)
            || user.Equals("NETWORK SERVICE", StringComparison.OrdinalIgnoreCase) || user.EndsWith("$", StringComparison.Ordinal))
            return true;
        var local = env.GetVariable("LOCALAPPDATA") ?? "";
        return local.IndexOf(@"\config\systemprofile", StringComparison.OrdinalIgnoreCase) >= 0
            || local.IndexOf(@"\ServiceProfiles\", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

    // Joined by hand so the Windows and Unix answers are the same whichever OS computes them (tests run on Linux).
    private static string WindowsJoin(string first, params string[] rest)
        => first.TrimEnd('\\', '/') + "\\" + string.Join("\\", rest);

    private static string UnixJoin(string first, params string[] rest)
        => first.TrimEnd('/') + "/" + string.Join("/", rest);
}
