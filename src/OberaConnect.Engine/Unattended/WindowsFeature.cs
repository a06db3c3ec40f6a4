using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Unattended;

/// <summary>
/// The platform check of the Windows-only features (Task Scheduler), through the engine's one view of the machine
/// (<see cref="ISystemEnvironment"/>), so the rule is tested for Windows on any build machine. It comes before anything
/// else a command checks: on Linux or macOS a path "not a full Windows path" would hide the real reason.
/// </summary>
public static class WindowsFeature
{
    /// <summary>ErrorId of a Windows-only command run elsewhere.</summary>
    public const string ErrorId = "WindowsOnlyFeature";

    /// <summary>Returns when scheduled tasks can be registered here; otherwise throws the error a user should read.</summary>
    /// <param name="command">The command that needs them, named in the message.</param>
    /// <param name="environment">The machine; the real one when null.</param>
    public static void RequireScheduledTasks(string command, ISystemEnvironment? environment = null)
    {
        if ((environment ?? SystemEnvironment.Instance).IsWindows) return;
        throw new OberaConnectException(ErrorId, FailureKind.InvalidState,
            $"Scheduled tasks are a Windows feature: {command} works on Windows only (Task Scheduler). " +
            "On Linux or macOS schedule the job script with cron or a systemd timer instead, for example " +
            "'30 2 * * * pwsh -NoProfile -NonInteractive -File /opt/oberaconnect/Invoke-OberaConnectJob.ps1' in crontab " +
            "(about_OberaConnect_Unattended).");
    }
}
