using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Engine.Tests.Unattended;

/// <summary>
/// Register-OberaConnectScheduledTask on Linux or macOS says plainly that scheduled tasks are a Windows feature and what
/// to use instead; on Windows the check lets it through. Both decided through the machine the test describes.
/// </summary>
public class WindowsFeatureTests
{
    [Fact]
    public void Scheduled_tasks_elsewhere_than_Windows_are_refused_with_the_reason_and_what_to_use_instead()
    {
        var linux = new FakeSystemEnvironment("/tmp/oc", windows: false);
        var error = Assert.Throws<OberaConnectException>(() => WindowsFeature.RequireScheduledTasks("Register-OberaConnectScheduledTask", linux));
        Assert.Equal(WindowsFeature.ErrorId, error.ErrorId);
        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.StartsWith("Scheduled tasks are a Windows feature: Register-OberaConnectScheduledTask works on Windows only", error.Message, StringComparison.Ordinal);
        Assert.Contains("cron or a systemd timer", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void On_Windows_scheduled_tasks_pass_the_check()
    {
        var windows = new FakeSystemEnvironment(@"C:\oc", windows: true);
        WindowsFeature.RequireScheduledTasks("Register-OberaConnectScheduledTask", windows);
    }

    [Fact]
    public void The_real_machine_decides_without_a_described_one()
    {
        var onWindows = OperatingSystem.IsWindows();
        var error = Record.Exception(() => WindowsFeature.RequireScheduledTasks("Register-OberaConnectScheduledTask"));
        Assert.Equal(onWindows, error is null);
    }
}
