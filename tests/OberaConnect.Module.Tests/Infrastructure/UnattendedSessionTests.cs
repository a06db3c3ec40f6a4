using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

public class UnattendedSessionTests
{
    [Theory]
    [InlineData("pwsh.exe -NoProfile -NonInteractive -File job.ps1", true)]
    [InlineData("powershell.exe -noni -file job.ps1", true)]
    [InlineData("pwsh -NonI -c Get-Date", true)]
    [InlineData("pwsh /NonInteractive", true)]
    [InlineData("pwsh --noninteractive", true)]
    [InlineData("pwsh -NoProfile", false)]
    [InlineData("pwsh -non", false)]
    [InlineData("pwsh -File job.ps1 -NonInteractive", false)]
    [InlineData("pwsh -Command echo -noninteractive", false)]
    [InlineData("pwsh -nonInteractiveX", false)]
    public void Recognises_NonInteractive_as_PowerShell_parses_it(string commandLine, bool expected)
    {
        Assert.Equal(expected, UnattendedSession.HasNonInteractiveSwitch(commandLine.Split(' ')));
    }

    [Fact]
    public void A_host_without_UI_or_a_non_interactive_process_is_unattended()
    {
        var interactive = new[] { "pwsh" };
        Assert.False(UnattendedSession.IsUnattended(interactive, hostHasUserInterface: true, userInteractive: true, overrideValue: null));
        Assert.True(UnattendedSession.IsUnattended(interactive, hostHasUserInterface: false, userInteractive: true, overrideValue: null));
        Assert.True(UnattendedSession.IsUnattended(interactive, hostHasUserInterface: true, userInteractive: false, overrideValue: null));
    }

    [Fact]
    public void The_environment_variable_forces_either_way()
    {
        var nonInteractive = new[] { "pwsh", "-NonInteractive" };
        Assert.True(UnattendedSession.IsUnattended(new[] { "pwsh" }, true, true, "1"));
        Assert.True(UnattendedSession.IsUnattended(new[] { "pwsh" }, true, true, "TRUE"));
        Assert.False(UnattendedSession.IsUnattended(nonInteractive, false, false, "0"));
        Assert.True(UnattendedSession.IsUnattended(nonInteractive, true, true, "maybe"));
    }
}
