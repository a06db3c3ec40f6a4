using OberaConnect.PowerShell.Infrastructure;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Unattended;
using OberaConnect.PowerShell.Windows;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Registers a Windows scheduled task that runs an OberaConnect job script unattended
    /// (<c>pwsh.exe -NoProfile -NonInteractive -File ...</c>), as SYSTEM, a user account or a group managed
    /// service account. Never prompts: an existing task is replaced only with -Force. -WhatIf shows what would
    /// be registered and touches nothing.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "OberaConnectScheduledTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SystemSet, HelpUri = HelpLinks.Unattended)]
    [OutputType(typeof(ScheduledJobTask))]
    public sealed class RegisterOberaConnectScheduledTaskCommand : OberaConnectCmdlet
    {
        private const string SystemSet = "System";
        private const string CredentialSet = "Credential";
        private const string ManagedAccountSet = "ManagedServiceAccount";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string TaskName { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ScriptPath { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] ArgumentList { get; set; } = Array.Empty<string>();

        [Parameter]
        public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(2);

        [Parameter]
        public TimeSpan RepeatEvery { get; set; }

        // A string, not the engine's enum: an enum property's backing field would make PowerShell load the engine
        // while it inspects the cmdlet at import, before the isolation is installed.
        [Parameter]
        [ValidateSet("Core", "Desktop")]
        public string Edition { get; set; } = "Core";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string TaskPath { get; set; } = @"\OberaConnect\";

        [Parameter]
        public TimeSpan ExecutionTimeLimit { get; set; } = TimeSpan.FromHours(2);

        [Parameter]
        public string Description { get; set; } = "OberaConnect unattended job (exit codes: see about_OberaConnect_Unattended).";

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ManagedAccountSet)]
        [ValidatePattern(@"\$$")]
        public string? ManagedServiceAccount { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            // Before any parameter is checked (and under -WhatIf too): on Linux or macOS a script path "not a full
            // Windows path" would hide the real reason, that Task Scheduler exists only on Windows.
            try
            {
                WindowsFeature.RequireScheduledTasks(MyInvocation.MyCommand.Name);
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, MyInvocation.MyCommand.Name);
            }
        }

        protected override void ProcessRecord()
        {
            ScheduledJobTask task;
            try
            {
                task = new ScheduledJobTask
                {
                    TaskName = TaskName,
                    TaskPath = TaskPath,
                    ScriptPath = ScriptPath,
                    ScriptArguments = ArgumentList ?? Array.Empty<string>(),
                    EditionValue = (PowerShellEdition)Enum.Parse(typeof(PowerShellEdition), Edition, ignoreCase: true),
                    DailyAt = DailyAt,
                    RepeatEvery = RepeatEvery > TimeSpan.Zero ? RepeatEvery : (TimeSpan?)null,
                    ExecutionTimeLimit = ExecutionTimeLimit,
                    StartDate = DateTime.Today,
                    Description = Description,
                    Account = ParameterSetName switch
                    {
                        CredentialSet => ScheduledTaskAccount.WithPassword(Credential!.UserName),
                        ManagedAccountSet => ScheduledTaskAccount.WithPassword(ManagedServiceAccount!),
                        _ => ScheduledTaskAccount.System,
                    },
                };
                task.Validate();
            }
            catch (InvalidScheduledTaskException e)
            {
                WriteItemError(e, TaskName);
                return;
            }

            var action = $"Register a task that runs '{task.Command} {task.Arguments}' as {task.RunAs}, {task.Schedule}";
            if (!ShouldProcess(task.FullName, action)) return;

            try
            {
                using var scheduler = new TaskSchedulerService();
                if (!Force && scheduler.Exists(task.TaskPath, task.TaskName))
                {
                    WriteItemError(new InvalidOperationException(
                        $"The scheduled task '{task.FullName}' already exists. Add -Force to replace it."), task.FullName);
                    return;
                }
                var password = task.Account.NeedsPassword ? Credential?.GetNetworkCredential().Password : null;
                scheduler.Register(task, password);
                WriteVerbose($"Registered '{task.FullName}': {task.Command} {task.Arguments}");
                WriteObject(task);
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, task.FullName);
            }
            catch (UnauthorizedAccessException e)
            {
                ThrowSetupError(new UnauthorizedAccessException(
                    $"Registering '{task.FullName}' was refused. Run PowerShell as an administrator to register tasks that run as {task.RunAs}.", e), task.FullName);
            }
            catch (System.Runtime.InteropServices.COMException e)
            {
                WriteItemError(new InvalidOperationException($"Task Scheduler refused '{task.FullName}': {e.Message}", e), task.FullName);
            }
        }
    }
}
