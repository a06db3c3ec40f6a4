using System.Reflection;
using System.Runtime.InteropServices;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.PowerShell.Windows
{
    /// <summary>
    /// Registers tasks with the Windows Task Scheduler through its COM API (Schedule.Service), late-bound so the
    /// assembly needs no interop library. Unlike schtasks.exe /RP, a password never appears on a command line.
    /// </summary>
    internal sealed class TaskSchedulerService : IDisposable
    {
        // TASK_CREATE_OR_UPDATE, and the TASK_LOGON_TYPE values of the Task Scheduler 2.0 API.
        private const int CreateOrUpdate = 6;
        private const int LogonPassword = 1;
        private const int LogonS4U = 2;
        private const int LogonServiceAccount = 5;

        private readonly object _service;

        public TaskSchedulerService()
        {
            WindowsFeature.RequireScheduledTasks("Register-OberaConnectScheduledTask");
            var type = Type.GetTypeFromProgID("Schedule.Service", throwOnError: true)!;
            _service = Activator.CreateInstance(type)!;
            Call(_service, "Connect");
        }

        /// <summary>True when a task of that name exists in that folder.</summary>
        public bool Exists(string taskPath, string taskName)
        {
            var folder = FindFolder(taskPath);
            if (folder is null) return false;
            try
            {
                Call(folder, "GetTask", taskName);
                return true;
            }
            catch (COMException)
            {
                return false;
            }
            catch (FileNotFoundException)
            {
                return false;
            }
        }

        /// <summary>Creates or replaces the task. <paramref name="password"/> only for accounts that need one.</summary>
        public void Register(ScheduledJobTask task, string? password)
        {
            var folder = FindFolder(task.TaskPath) ?? CreateFolder(task.TaskPath);
            var account = task.Account;
            object user;
            int logon;
            switch (account.LogonType)
            {
                case TaskLogonType.ServiceAccount:
                    user = "SYSTEM";
                    logon = LogonServiceAccount;
                    break;
                case TaskLogonType.S4U:
                    user = account.UserId;
                    logon = LogonS4U;
                    break;
                default:
                    user = account.UserId;
                    logon = LogonPassword;
                    break;
            }
            Call(folder, "RegisterTask", task.TaskName, task.ToTaskXml(), CreateOrUpdate, user, (object?)password ?? Type.Missing, logon, Type.Missing);
        }

        public void Dispose()
        {
            if (Marshal.IsComObject(_service)) Marshal.ReleaseComObject(_service);
        }

        private object? FindFolder(string taskPath)
        {
            try { return Call(_service, "GetFolder", NormalizeFolder(taskPath)); }
            catch (COMException) { return null; }
            catch (FileNotFoundException) { return null; }
        }

        private object CreateFolder(string taskPath)
        {
            var root = Call(_service, "GetFolder", @"\")!;
            return Call(root, "CreateFolder", NormalizeFolder(taskPath), Type.Missing)!;
        }

        private static string NormalizeFolder(string taskPath)
        {
            var trimmed = taskPath.TrimEnd('\\');
            return trimmed.Length == 0 ? @"\" : trimmed;
        }

        private static object? Call(object target, string method, params object?[] arguments)
        {
            try
            {
                return target.GetType().InvokeMember(method, BindingFlags.InvokeMethod, null, target, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
