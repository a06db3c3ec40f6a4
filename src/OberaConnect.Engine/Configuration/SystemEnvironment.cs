using System.Runtime.InteropServices;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// What the engine needs to know about the machine and account it runs as (configuration, credentials,
/// log and data folders): environment variables, the OS, whether the account is a service account
/// (SYSTEM), and well-known folders. The engine's one view of the process environment; an interface so
/// tests can describe a Windows SYSTEM session on a Linux build machine.
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
        => IsWindows && IsWindowsServiceAccount(Environment.UserName, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>
    /// The rule behind <see cref="IsServiceAccount"/> on Windows, apart so tests can check it for any account:
    /// SYSTEM, LOCAL SERVICE, NETWORK SERVICE, a machine account (NAME$), or a profile under
    /// system32\config\systemprofile or ServiceProfiles (where a per-user file would be hard to find).
    /// </summary>
    internal static bool IsWindowsServiceAccount(string? userName, string? profileDirectory)
    {
        var user = userName ?? "";
        var profile = profileDirectory ?? "";
        return string.Equals(user, "SYSTEM", StringComparison.OrdinalIgnoreCase)
               || string.Equals(user, "LOCAL SERVICE", StringComparison.OrdinalIgnoreCase)
               || string.Equals(user, "NETWORK SERVICE", StringComparison.OrdinalIgnoreCase)
               || user.EndsWith("$", StringComparison.Ordinal)
               || profile.IndexOf(@"\systemprofile", StringComparison.OrdinalIgnoreCase) >= 0
               || profile.IndexOf(@"\ServiceProfiles\", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    public string GetFolder(Environment.SpecialFolder folder) => Environment.GetFolderPath(folder);

    public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
        ? home
        : GetVariable("HOME") ?? "/";
}
