using System.Runtime.InteropServices;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// What the configuration and credential code needs to know about the machine and account it runs as:
/// environment variables, the OS, whether the account is a service account (SYSTEM), and well-known
/// folders. An interface so tests can describe a Windows SYSTEM session on a Linux build machine.
/// </summary>
public interface ISystemEnvironment
{
    /// <summary>The variable's value, or null when it is not set.</summary>
    string? GetVariable(string name);

    bool IsWindows { get; }

    /// <summary>True for SYSTEM, LOCAL SERVICE and NETWORK SERVICE (Task Scheduler, NinjaOne agents).</summary>
    bool IsServiceAccount { get; }

    /// <summary>A Windows special folder (ApplicationData, LocalApplicationData, CommonApplicationData).</summary>
    string GetFolder(Environment.SpecialFolder folder);

    /// <summary>The account's home directory.</summary>
    string HomeDirectory { get; }
}

/// <summary>The real process environment.</summary>
public sealed class SystemEnvironment : ISystemEnvironment
{
    /// <summary>Stateless, so one instance serves everyone.</summary>
    public static readonly SystemEnvironment Instance = new();

    private SystemEnvironment() { }

    public string? GetVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public bool IsServiceAccount
    {
        get
        {
            if (!IsWindows) return false;
            var user = Environment.UserName;
            if (string.Equals(user, "SYSTEM", StringComparison.OrdinalIgnoreCase)
                || string.Equals(user, "LOCAL SERVICE", StringComparison.OrdinalIgnoreCase)
                || string.Equals(user, "NETWORK SERVICE", StringComparison.OrdinalIgnoreCase)) return true;
            // A machine account (NAME$) or a profile under system32\config\systemprofile is SYSTEM too.
            var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return user.EndsWith("$", StringComparison.Ordinal)
                   || profile.IndexOf(@"\systemprofile", StringComparison.OrdinalIgnoreCase) >= 0
                   || profile.IndexOf(@"\ServiceProfiles\", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }

    public string GetFolder(Environment.SpecialFolder folder) => Environment.GetFolderPath(folder);

    public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
        ? home
        : GetVariable("HOME") ?? "/";
}
