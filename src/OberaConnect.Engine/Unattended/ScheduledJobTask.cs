using System.Text;
using System.Xml;

namespace OberaConnect.Engine.Unattended;

/// <summary>Which PowerShell runs the job.</summary>
public enum PowerShellEdition
{
    /// <summary>PowerShell 7 (pwsh.exe).</summary>
    Core,
    /// <summary>Windows PowerShell 5.1 (powershell.exe).</summary>
    Desktop,
}

/// <summary>How Task Scheduler logs the job's account on.</summary>
public enum TaskLogonType
{
    /// <summary>A built-in service account (SYSTEM); no password.</summary>
    ServiceAccount,
    /// <summary>A user account whose password Task Scheduler stores, or a group managed service account (name ends in $).</summary>
    Password,
    /// <summary>Service-for-user: runs as the user without storing a password (no access to Windows-authenticated network shares).</summary>
    S4U,
}

/// <summary>The account a scheduled job runs as.</summary>
public sealed class ScheduledTaskAccount
{
    private ScheduledTaskAccount(string userId, TaskLogonType logonType, string display)
    {
        UserId = userId;
        LogonType = logonType;
        DisplayName = display;
    }

    /// <summary>The account id Task Scheduler stores (a SID for SYSTEM, DOMAIN\user otherwise).</summary>
    public string UserId { get; }

    /// <summary>How the account logs on.</summary>
    public TaskLogonType LogonType { get; }

    /// <summary>The account as people write it.</summary>
    public string DisplayName { get; }

    /// <summary>True when registering needs a password (a user account that is not a managed service account).</summary>
    public bool NeedsPassword => LogonType == TaskLogonType.Password && !UserId.EndsWith("$", StringComparison.Ordinal);

    /// <summary>LocalSystem, what NinjaOne and most server jobs use.</summary>
    public static ScheduledTaskAccount System { get; } = new("S-1-5-18", TaskLogonType.ServiceAccount, "SYSTEM");

    /// <summary>A user or group managed service account (DOMAIN\name$) that Task Scheduler logs on with a password.</summary>
    public static ScheduledTaskAccount WithPassword(string userName) => new(CheckName(userName), TaskLogonType.Password, userName);

    /// <summary>A user account run without a stored password.</summary>
    public static ScheduledTaskAccount ServiceForUser(string userName) => new(CheckName(userName), TaskLogonType.S4U, userName);

    public override string ToString() => DisplayName;

    private static string CheckName(string userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
            throw new InvalidScheduledTaskException("The account name is empty. Give DOMAIN\\user, .\\user or a managed service account DOMAIN\\name$.");
        return userName.Trim();
    }
}

/// <summary>A definition a scheduled job could not be registered from.</summary>
public sealed class InvalidScheduledTaskException : OberaConnectException
{
    public InvalidScheduledTaskException(string message)
        : base("InvalidScheduledTask", FailureKind.InvalidInput, message)
    {
    }
}

/// <summary>
/// A Windows scheduled task that runs an OberaConnect job script unattended:
/// <c>pwsh.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File script.ps1 ...</c>, daily at a time and optionally
/// repeated through the day, one instance at a time, with a time limit. <see cref="ToTaskXml"/> gives the Task
/// Scheduler 1.2 XML that the cmdlet registers; building it needs no Windows, so it is tested everywhere.
/// </summary>
public sealed class ScheduledJobTask
{
    private const string TaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";
    private static readonly char[] InvalidNameCharacters = { '\\', '/', ':', '*', '?', '"', '<', '>', '|' };

    /// <summary>The task's name inside <see cref="TaskPath"/>.</summary>
    public string TaskName { get; init; } = "";

    /// <summary>The Task Scheduler folder, starting and ending with a backslash.</summary>
    public string TaskPath { get; init; } = @"\OberaConnect\";

    /// <summary>Full path of the job script (for example the module's Scripts\Invoke-OberaConnectJob.ps1 copied to a fixed place).</summary>
    public string ScriptPath { get; init; } = "";

    /// <summary>Arguments passed to the script after -File, each quoted as needed.</summary>
    public IReadOnlyList<string> ScriptArguments { get => _scriptArguments; init => _scriptArguments = NameList.From(value); }

    private readonly IReadOnlyList<string> _scriptArguments = NameList.Empty;

    /// <summary>Which PowerShell runs the script: Core (pwsh.exe) or Desktop (powershell.exe).</summary>
    public string Edition => EditionValue.ToString();

    /// <summary><see cref="Edition"/> for code (an enum exports as a number).</summary>
    internal PowerShellEdition EditionValue { get; init; } = PowerShellEdition.Core;

    /// <summary>An explicit PowerShell executable; by default pwsh.exe (found on PATH) or Windows PowerShell's full path.</summary>
    public string? PowerShellPath { get; init; }

    /// <summary>The account the job runs as (exported as <see cref="RunAs"/>: its logon type is the engine's business).</summary>
    internal ScheduledTaskAccount Account { get; init; } = ScheduledTaskAccount.System;

    /// <summary>First day the task may run (local time; only the date is used).</summary>
    public DateTime StartDate { get; init; } = new(2026, 1, 1);

    /// <summary>Time of day of the daily run (local time). Exported as <see cref="Schedule"/>: a TimeSpan exports as fifteen fields.</summary>
    internal TimeSpan DailyAt { get; init; } = TimeSpan.FromHours(2);

    /// <summary>When set, the task repeats at this interval for the rest of the day after <see cref="DailyAt"/>.</summary>
    internal TimeSpan? RepeatEvery { get; init; }

    /// <summary>Task Scheduler stops the run after this long.</summary>
    internal TimeSpan ExecutionTimeLimit { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The repetition interval in milliseconds (null: once a day).</summary>
    public long? RepeatEveryMs => RepeatEvery is { } every ? (long)every.TotalMilliseconds : null;

    /// <summary>How long a run may take before Task Scheduler stops it, in milliseconds.</summary>
    public long ExecutionTimeLimitMs => (long)ExecutionTimeLimit.TotalMilliseconds;

    /// <summary>Shown in Task Scheduler.</summary>
    public string Description { get; init; } = "OberaConnect unattended job.";

    /// <summary>The task's full path, for example <c>\OberaConnect\Nightly sync</c>.</summary>
    public string FullName => TaskPath + TaskName;

    /// <summary>The account, as people write it.</summary>
    public string RunAs => Account.DisplayName;

    /// <summary>The schedule in words.</summary>
    public string Schedule =>
        "daily at " + DailyAt.ToString(@"hh\:mm", global::System.Globalization.CultureInfo.InvariantCulture) +
        (RepeatEvery is { } every ? ", then every " + Words(every) + " until midnight" : "");

    /// <summary>The executable Task Scheduler starts.</summary>
    public string Command => PowerShellPath ?? (EditionValue == PowerShellEdition.Core
        ? "pwsh.exe"
        : @"%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe");

    /// <summary>The command line after the executable: never a profile, never a prompt.</summary>
    public string Arguments
    {
        get
        {
            var parts = new List<string> { "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", WindowsCommandLine.Quote(ScriptPath) };
            foreach (var argument in ScriptArguments) parts.Add(WindowsCommandLine.Quote(argument));
            return string.Join(" ", parts);
        }
    }

    /// <summary>Throws <see cref="InvalidScheduledTaskException"/> naming the first thing wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TaskName))
            throw new InvalidScheduledTaskException("The task name is empty. Give a name such as 'OberaConnect nightly sync'.");
        if (TaskName.IndexOfAny(InvalidNameCharacters) >= 0)
            throw new InvalidScheduledTaskException($"The task name '{TaskName}' contains one of \\ / : * ? \" < > |. Put folders in -TaskPath and use a plain name.");
        if (!TaskPath.StartsWith(@"\", StringComparison.Ordinal) || !TaskPath.EndsWith(@"\", StringComparison.Ordinal)
            || TaskPath.IndexOf(@"\\", StringComparison.Ordinal) >= 0 || TaskPath.Replace(@"\", "").IndexOfAny(InvalidNameCharacters) >= 0)
            throw new InvalidScheduledTaskException($"The task path '{TaskPath}' must start and end with a backslash, for example \\OberaConnect\\.");
        if (string.IsNullOrWhiteSpace(ScriptPath))
            throw new InvalidScheduledTaskException("The script path is empty. Give the full path of the job script.");
        if (!IsAbsoluteWindowsPath(ScriptPath))
            throw new InvalidScheduledTaskException($"The script path '{ScriptPath}' is not a full path. Task Scheduler starts in System32, so give a full path such as C:\\OberaConnect\\Invoke-OberaConnectJob.ps1.");
        if (DailyAt < TimeSpan.Zero || DailyAt >= TimeSpan.FromDays(1))
            throw new InvalidScheduledTaskException($"The daily time {DailyAt} is not a time of day (00:00 to 23:59).");
        if (RepeatEvery is { } every && (every < TimeSpan.FromMinutes(1) || every > TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1)))
            throw new InvalidScheduledTaskException($"The repetition interval {every} must be between 1 minute and 23 hours 59 minutes.");
        if (ExecutionTimeLimit <= TimeSpan.Zero)
            throw new InvalidScheduledTaskException("The execution time limit must be positive.");
    }

    /// <summary>The Task Scheduler 1.2 XML of this task (validated first).</summary>
    public string ToTaskXml()
    {
        Validate();
        // A StringWriter makes the declaration say UTF-16, which is what Task Scheduler's own exports use.
        var settings = new XmlWriterSettings { Indent = true };
        var builder = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriter(builder, global::System.Globalization.CultureInfo.InvariantCulture), settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Task", TaskNamespace);
            w.WriteAttributeString("version", "1.2");

            w.WriteStartElement("RegistrationInfo", TaskNamespace);
            w.WriteElementString("Author", TaskNamespace, "OberaConnect");
            w.WriteElementString("Description", TaskNamespace, Description);
            w.WriteElementString("URI", TaskNamespace, FullName);
            w.WriteEndElement();

            w.WriteStartElement("Triggers", TaskNamespace);
            w.WriteStartElement("CalendarTrigger", TaskNamespace);
            if (RepeatEvery is { } every)
            {
                w.WriteStartElement("Repetition", TaskNamespace);
                w.WriteElementString("Interval", TaskNamespace, XmlConvert.ToString(every));
                w.WriteElementString("Duration", TaskNamespace, XmlConvert.ToString(TimeSpan.FromDays(1) - DailyAt));
                w.WriteElementString("StopAtDurationEnd", TaskNamespace, "false");
                w.WriteEndElement();
            }
            var start = StartDate.Date + DailyAt;
            w.WriteElementString("StartBoundary", TaskNamespace, start.ToString("yyyy-MM-dd'T'HH:mm:ss", global::System.Globalization.CultureInfo.InvariantCulture));
            w.WriteElementString("Enabled", TaskNamespace, "true");
            w.WriteStartElement("ScheduleByDay", TaskNamespace);
            w.WriteElementString("DaysInterval", TaskNamespace, "1");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("Principals", TaskNamespace);
            w.WriteStartElement("Principal", TaskNamespace);
            w.WriteAttributeString("id", "Author");
            w.WriteElementString("UserId", TaskNamespace, Account.UserId);
            if (Account.LogonType != TaskLogonType.ServiceAccount)
                w.WriteElementString("LogonType", TaskNamespace, Account.LogonType == TaskLogonType.S4U ? "S4U" : "Password");
            w.WriteElementString("RunLevel", TaskNamespace, "HighestAvailable");
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("Settings", TaskNamespace);
            // One run at a time: a slow run must not be overtaken by the next one writing the same records.
            w.WriteElementString("MultipleInstancesPolicy", TaskNamespace, "IgnoreNew");
            w.WriteElementString("DisallowStartIfOnBatteries", TaskNamespace, "false");
            w.WriteElementString("StopIfGoingOnBatteries", TaskNamespace, "false");
            w.WriteElementString("StartWhenAvailable", TaskNamespace, "true");
            w.WriteElementString("RunOnlyIfNetworkAvailable", TaskNamespace, "true");
            w.WriteElementString("ExecutionTimeLimit", TaskNamespace, XmlConvert.ToString(ExecutionTimeLimit));
            w.WriteElementString("Enabled", TaskNamespace, "true");
            w.WriteEndElement();

            w.WriteStartElement("Actions", TaskNamespace);
            w.WriteAttributeString("Context", "Author");
            w.WriteStartElement("Exec", TaskNamespace);
            w.WriteElementString("Command", TaskNamespace, Command);
            w.WriteElementString("Arguments", TaskNamespace, Arguments);
            var directory = WindowsDirectoryOf(ScriptPath);
            if (directory.Length > 0) w.WriteElementString("WorkingDirectory", TaskNamespace, directory);
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return builder.ToString();
    }

    private static bool IsAbsoluteWindowsPath(string path) =>
        (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
        || path.StartsWith(@"\\", StringComparison.Ordinal)
        || path.StartsWith("%", StringComparison.Ordinal);

    private static string WindowsDirectoryOf(string path)
    {
        var cut = path.LastIndexOfAny(new[] { '\\', '/' });
        return cut > 2 ? path.Substring(0, cut) : cut == 2 ? path.Substring(0, 3) : "";
    }

    private static string Words(TimeSpan span)
    {
        if (span.TotalMinutes < 60) return $"{span.TotalMinutes:0} minutes";
        if (span.Minutes == 0) return span.TotalHours == 1 ? "hour" : $"{span.TotalHours:0} hours";
        return $"{(int)span.TotalHours} h {span.Minutes} min";
    }
}

/// <summary>Quoting of one argument for a Windows command line (the rules CommandLineToArgvW and .NET parse by).</summary>
public static class WindowsCommandLine
{
    /// <summary>The argument, quoted when it is empty or holds spaces, tabs or quotes; backslashes before quotes doubled.</summary>
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0) return argument;
        var sb = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\') { backslashes++; continue; }
            if (c == '"')
            {
                sb.Append('\\', backslashes * 2 + 1).Append('"');
                backslashes = 0;
                continue;
            }
            sb.Append('\\', backslashes).Append(c);
            backslashes = 0;
        }
        sb.Append('\\', backslashes * 2).Append('"');
        return sb.ToString();
    }
}
