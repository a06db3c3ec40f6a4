using System.Xml.Linq;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Module.Tests.Unattended;

public class ScheduledJobTaskTests
{
    private static readonly XNamespace Task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    private static ScheduledJobTask Nightly(Func<ScheduledJobTask, ScheduledJobTask>? change = null)
    {
        var task = new ScheduledJobTask
        {
            TaskName = "Nightly sync",
            ScriptPath = @"C:\Program Files\OberaConnect\Invoke-OberaConnectJob.ps1",
            ScriptArguments = new[] { "-Job", "Sync-CustomerStatus" },
            StartDate = new DateTime(2026, 3, 1),
            DailyAt = new TimeSpan(2, 30, 0),
        };
        return change is null ? task : change(task);
    }

    [Fact]
    public void Runs_PowerShell_without_profile_or_prompts_on_the_script()
    {
        var xml = XDocument.Parse(Nightly().ToTaskXml());
        var exec = xml.Root!.Element(Task + "Actions")!.Element(Task + "Exec")!;
        Assert.Equal("pwsh.exe", exec.Element(Task + "Command")!.Value);
        Assert.Equal(@"-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ""C:\Program Files\OberaConnect\Invoke-OberaConnectJob.ps1"" -Job Sync-CustomerStatus",
            exec.Element(Task + "Arguments")!.Value);
        Assert.Equal(@"C:\Program Files\OberaConnect", exec.Element(Task + "WorkingDirectory")!.Value);
        Assert.Equal(@"\OberaConnect\Nightly sync", xml.Root.Element(Task + "RegistrationInfo")!.Element(Task + "URI")!.Value);
    }

    [Fact]
    public void Runs_daily_at_the_time_one_instance_at_a_time_with_a_limit()
    {
        var xml = XDocument.Parse(Nightly().ToTaskXml());
        var trigger = xml.Root!.Element(Task + "Triggers")!.Element(Task + "CalendarTrigger")!;
        Assert.Equal("2026-03-01T02:30:00", trigger.Element(Task + "StartBoundary")!.Value);
        Assert.Equal("1", trigger.Element(Task + "ScheduleByDay")!.Element(Task + "DaysInterval")!.Value);
        Assert.Null(trigger.Element(Task + "Repetition"));
        var settings = xml.Root.Element(Task + "Settings")!;
        Assert.Equal("IgnoreNew", settings.Element(Task + "MultipleInstancesPolicy")!.Value);
        Assert.Equal("PT2H", settings.Element(Task + "ExecutionTimeLimit")!.Value);
    }

    [Fact]
    public void Repetition_runs_until_midnight()
    {
        var xml = XDocument.Parse(Nightly(t => new ScheduledJobTask
        {
            TaskName = t.TaskName, ScriptPath = t.ScriptPath, DailyAt = TimeSpan.FromHours(6), RepeatEvery = TimeSpan.FromMinutes(15),
        }).ToTaskXml());
        var repetition = xml.Descendants(Task + "Repetition").Single();
        Assert.Equal("PT15M", repetition.Element(Task + "Interval")!.Value);
        Assert.Equal("PT18H", repetition.Element(Task + "Duration")!.Value);
    }

    [Fact]
    public void The_account_decides_the_principal()
    {
        XElement Principal(ScheduledTaskAccount account) =>
            XDocument.Parse(new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", Account = account }.ToTaskXml()).Descendants(Task + "Principal").Single();

        var system = Principal(ScheduledTaskAccount.System);
        Assert.Equal("S-1-5-18", system.Element(Task + "UserId")!.Value);
        Assert.Null(system.Element(Task + "LogonType"));

        var user = Principal(ScheduledTaskAccount.WithPassword(@"CONTOSO\svc-sync"));
        Assert.Equal(@"CONTOSO\svc-sync", user.Element(Task + "UserId")!.Value);
        Assert.Equal("Password", user.Element(Task + "LogonType")!.Value);
        Assert.True(ScheduledTaskAccount.WithPassword(@"CONTOSO\svc-sync").NeedsPassword);
        Assert.False(ScheduledTaskAccount.WithPassword(@"CONTOSO\gmsa-sync$").NeedsPassword);
        Assert.Equal("S4U", Principal(ScheduledTaskAccount.ServiceForUser(@".\ops")).Element(Task + "LogonType")!.Value);
    }

    [Fact]
    public void Windows_PowerShell_is_started_by_its_full_path()
    {
        var task = new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", EditionValue = PowerShellEdition.Desktop };
        Assert.Equal(@"%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe", task.Command);
    }

    [Theory]
    [InlineData("", @"C:\j.ps1", "task name is empty")]
    [InlineData(@"a\b", @"C:\j.ps1", "contains one of")]
    [InlineData("ok", @"j.ps1", "not a full path")]
    [InlineData("ok", "", "script path is empty")]
    public void Invalid_definitions_are_refused_with_a_message_that_says_what_to_do(string name, string script, string expected)
    {
        var error = Assert.Throws<InvalidScheduledTaskException>(() => new ScheduledJobTask { TaskName = name, ScriptPath = script }.ToTaskXml());
        Assert.Contains(expected, error.Message);
        Assert.Equal("InvalidScheduledTask", error.ErrorId);
    }

    [Fact]
    public void Task_path_and_times_are_checked()
    {
        Assert.Throws<InvalidScheduledTaskException>(() => new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", TaskPath = "OberaConnect" }.Validate());
        Assert.Throws<InvalidScheduledTaskException>(() => new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", TaskPath = @"\a\\b\" }.Validate());
        Assert.Throws<InvalidScheduledTaskException>(() => new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", DailyAt = TimeSpan.FromHours(24) }.Validate());
        Assert.Throws<InvalidScheduledTaskException>(() => new ScheduledJobTask { TaskName = "t", ScriptPath = @"C:\j.ps1", RepeatEvery = TimeSpan.FromSeconds(10) }.Validate());
        new ScheduledJobTask { TaskName = "t", ScriptPath = @"\\server\share\j.ps1", TaskPath = @"\" }.Validate();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\dir with space\", "\"C:\\dir with space\\\\\"")]
    public void Arguments_are_quoted_the_way_Windows_parses_them(string argument, string expected)
    {
        Assert.Equal(expected, WindowsCommandLine.Quote(argument));
    }
}
