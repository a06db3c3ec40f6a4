using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using OberaConnect.Engine;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Unattended;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Runs OberaConnect cmdlets as an unattended job and returns the exit code of about_OberaConnect_Unattended: what
    /// both job scripts (Task Scheduler's Invoke-OberaConnectJob.ps1 and NinjaOne-OberaConnectSync.ps1) do, in one place.
    /// In order: reads the jobs' parameters (a hashtable, a .psd1 or .json file, or JSON text); opens the run log in
    /// paths.logDirectory (<see cref="JobRunLog"/>); runs the health check once per configuration the jobs use, and does
    /// not start the jobs a required component stops; runs each job with its failed records collected (not stopping it)
    /// and writes one line per failed record, conflict and warning; folds everything into one <see cref="JobOutcome"/> by
    /// the rules shared with Get-OberaConnectExitCode (<see cref="JobResults"/>, <see cref="JobErrors"/>). A job's own
    /// failure never escapes as an error of this cmdlet: it is in the outcome and the log.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "OberaConnectJob", HelpUri = HelpLinks.Unattended)]
    [OutputType(typeof(JobOutcome))]
    public sealed class InvokeOberaConnectJobCommand : OberaConnectCmdlet
    {
        // Health jobs check the configuration themselves.
        private static readonly string[] HealthJobs = { "Test-OberaConnectHealth", "Export-OberaConnectMetric" };

        /// <summary>
        /// <para type="description">The OberaConnect cmdlet(s) to run, in order; "A; B" is split too.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] Job { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The jobs' parameters: a hashtable, the path of a .psd1 or .json file, or JSON object text.</para>
        /// </summary>
        [Parameter(Position = 1)]
        [AllowNull]
        public object? Parameters { get; set; }

        /// <summary>
        /// <para type="description">Passed as -ConfigPath to every job that has it and whose parameters do not name one.</para>
        /// </summary>
        [Parameter]
        [AllowNull]
        [AllowEmptyString]
        public string? ConfigPath { get; set; }

        /// <summary>
        /// <para type="description">Folder of the run log; default paths.logDirectory of the jobs' configuration.</para>
        /// </summary>
        [Parameter]
        [AllowNull]
        [AllowEmptyString]
        public string? LogDirectory { get; set; }

        /// <summary>
        /// <para type="description">Run logs older than this many days are deleted when a run starts.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 3650)]
        public int KeepLogDays { get; set; } = 30;

        /// <summary>
        /// <para type="description">Runs the jobs without the health check before them.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter SkipHealthCheck { get; set; }

        /// <summary>
        /// <para type="description">Records left in conflict (Sync-NotionTable) do not make the exit code 1.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AcceptConflict { get; set; }

        protected override void EndProcessing()
        {
            var outcome = new JobOutcome();
            var early = new List<KeyValuePair<string, string>>();
            void Refuse(string text)
            {
                early.Add(new KeyValuePair<string, string>("ERROR", text));
                outcome.Failed(JobExitCode.ConfigurationError);
            }

            var names = Job.SelectMany(j => (j ?? "").Split(';')).Select(j => j.Trim()).Where(j => j.Length > 0).ToList();
            if (names.Count == 0) Refuse("no job given: name the OberaConnect cmdlet(s) to run (-Job, or the NinjaOne script variable OBERACONNECT_JOB).");

            var steps = new List<JobStep>();
            foreach (var name in names)
            {
                var command = FindCmdlet(name);
                if (command is null) Refuse($"'{name}' is not a cmdlet of the OberaConnect module that can run as a job. Get-Command -Module OberaConnect lists them.");
                else steps.Add(new JobStep(command));
            }

            var parameters = JobParameters.Empty;
            try
            {
                parameters = ReadParameters(steps.Select(s => s.Name).ToList());
            }
            catch (OberaConnectException ex)
            {
                Refuse($"[{ex.ErrorId}] {ex.Message}");
            }
            var unused = parameters.Unused(steps.Select(s => (Func<string, bool>)s.Accepts));
            if (unused.Count > 0 && steps.Count > 0)
                Refuse($"no job of this run has the parameter(s) {string.Join(", ", unused)} ({string.Join(", ", steps.Select(s => s.Name))}). " +
                       "Check the names, or give a job its own parameters under its name ({\"Export-NotionDatabase\": {\"All\": true}}).");
            var extra = string.IsNullOrWhiteSpace(ConfigPath) ? null : new Dictionary<string, object?> { ["ConfigPath"] = ConfigPath };
            foreach (var step in steps) step.Parameters = parameters.For(step.Name, step.Accepts, extra);

            var firstConfig = steps.Select(s => s.ConfigPath).FirstOrDefault(p => p != null) ?? (string.IsNullOrWhiteSpace(ConfigPath) ? null : ConfigPath);
            var directory = !string.IsNullOrWhiteSpace(LogDirectory) ? FileSystemPath(LogDirectory!, Refuse)
                : JobRunLog.DefaultDirectory(firstConfig is null ? null : FileSystemPath(firstConfig, Refuse));
            using var log = JobRunLog.Open(directory, KeepLogDays, Echo);
            log.Write("START", $"{string.Join(", ", names.DefaultIfEmpty("(no job)"))} on PowerShell {PowerShellVersion()} as {Environment.UserName}; " +
                               (log.FilePath is null ? "no run log file" : "log " + log.FilePath));
            if (log.Problem != null) log.Write("WARNING", log.Problem);
            foreach (var line in early) log.Write(line.Key, line.Value);

            if (outcome.ExitCodeValue == JobExitCode.Success)
            {
                var blocked = SkipHealthCheck ? new HashSet<string>() : CheckHealth(steps, outcome, log);
                foreach (var step in steps)
                {
                    if (blocked.Contains(ConfigKey(step.ConfigPath)) && NeedsHealth(step))
                    {
                        log.Write("SKIPPED", $"{step.Name}: a required component of its configuration is unhealthy (see the HEALTH lines).");
                        continue;
                    }
                    outcome.Merge(Run(step, log));
                }
            }

            log.Write("DONE", outcome.ToString());
            outcome.LogFile = log.FilePath;
            WriteObject(outcome);
        }

        // ------------------------------------------------------------------ the jobs

        /// <summary>Runs one job in a nested pipeline of this runspace, logging as it goes; returns its outcome.</summary>
        private JobOutcome Run(JobStep step, JobRunLog log)
        {
            var outcome = new JobOutcome();
            var names = step.Parameters.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToList();
            // Names only: a value may be a secret (-DatabricksToken).
            log.Write("JOB", $"{step.Name} started" + (names.Count == 0 ? "" : $" (parameters: {string.Join(", ", names)})"));
            var accept = AcceptConflict.IsPresent;
            var itemErrors = new List<object>();
            using (var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                // By module-qualified name: a command added as a CommandInfo ignores MergeMyResults, and its warnings would bypass the log.
                ps.AddCommand(string.IsNullOrEmpty(step.Command.ModuleName) ? step.Name : step.Command.ModuleName + "\\" + step.Name);
                foreach (var pair in step.Parameters) ps.AddParameter(pair.Key, pair.Value);
                // A failed record is a non-terminating error: collected, and the job goes on with the next.
                if (!step.Parameters.ContainsKey("ErrorAction")) ps.AddParameter("ErrorAction", ActionPreference.Continue);
                ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Warning, PipelineResultTypes.Output);
                ps.Streams.Error.DataAdded += (sender, e) =>
                {
                    var record = ((PSDataCollection<ErrorRecord>)sender!)[e.Index];
                    itemErrors.Add(record);
                    // A failed record, or a setup problem or outage met on this item (that every other meets too).
                    var kind = JobErrors.ItemCode(record) == JobExitCode.RecordsFailed ? "RECORD FAILED" : "ERROR";
                    log.Write(kind, $"{step.Name} {JobErrors.RecordName(record.TargetObject)}: [{JobErrors.ErrorId(record)}] {JobErrors.Message(record)}");
                };
                var output = new PSDataCollection<PSObject>();
                output.DataAdded += (sender, e) =>
                {
                    var item = ((PSDataCollection<PSObject>)sender!)[e.Index];
                    if (item?.BaseObject is WarningRecord warning)
                    {
                        log.Write("WARNING", $"{step.Name}: {warning.Message}");
                        return;
                    }
                    if (JobResults.Add(outcome, item, accept) == JobResultKind.Conflict) log.Write("CONFLICT", $"{step.Name} {Conflict(item!)}");
                };
                try
                {
                    ps.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings());
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    Stopped(step.Name, ex, outcome, log);
                    itemErrors.RemoveAll(error => ReferenceEquals(JobErrors.Cause(error), JobErrors.Cause(ex)));
                }
            }
            foreach (var error in itemErrors) JobErrors.ItemFailed(outcome, error);
            log.Write("JOB", $"{step.Name} done: {outcome}");
            return outcome;
        }

        /// <summary>
        /// What stopped <paramref name="what"/> (a job, the health check): its line (with the stack trace for a defect)
        /// and its code, folded into <paramref name="outcome"/>.
        /// </summary>
        private static void Stopped(string what, Exception error, JobOutcome outcome, JobRunLog log)
        {
            var code = JobErrors.ForTerminating(error);
            var cause = JobErrors.Cause(error) ?? error;
            if (code == JobExitCode.Unexpected)
            {
                log.Write("UNEXPECTED", $"{what} {cause.GetType().FullName}: {cause.Message}");
                log.WriteLines("UNEXPECTED", cause.StackTrace ?? "");
            }
            else
            {
                log.Write("ERROR", $"{what} [{JobErrors.ErrorId(error)}] {cause.Message}");
            }
            outcome.Failed(code);
        }

        /// <summary>One conflict, in words: the record, why, and the columns in conflict.</summary>
        private static string Conflict(PSObject item)
        {
            var table = JobResults.Property(item, "Table");
            var record = JobResults.Property(item, "RecordId") ?? JobResults.Property(item, "Key");
            var page = JobResults.Property(item, "PageId");
            var reason = JobResults.Property(item, "Reason");
            var columns = JobResults.Property(item, "ChangedColumns") is IEnumerable list and not string
                ? string.Join(", ", list.Cast<object?>().Select(c => c?.ToString()).Where(c => !string.IsNullOrEmpty(c)))
                : "";
            return $"{(table is null ? "" : $"table {table} ")}record {record ?? "(new page)"}{(page is null ? "" : $" (Notion page {page})")}: {reason}" +
                   (columns.Length == 0 ? "" : $"; columns in conflict: {columns}");
        }

        // ------------------------------------------------------------------ the health check

        /// <summary>
        /// The health check of each configuration the jobs use (once each). Returns the configurations a required
        /// component stops; an optional component down makes the outcome at least 3 and lets the jobs run.
        /// </summary>
        private HashSet<string> CheckHealth(List<JobStep> steps, JobOutcome outcome, JobRunLog log)
        {
            var blocked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var config in steps.Where(NeedsHealth).Select(s => s.ConfigPath).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var path = config is null ? null : FileSystemPath(config, text => log.Write("ERROR", text));
                HealthReport report;
                try
                {
                    report = RunEngine((queue, token) => WorkspaceHealth.CheckAsync(() => ConnectionFactory.Open(path, null), null, queue.Output, token));
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    Stopped("health check", ex, outcome, log);
                    blocked.Add(ConfigKey(config));
                    continue;
                }
                // A component not checked because another failed says nothing new: the one that failed is the line to read.
                var own = report.Components.Where(c => c.ErrorId != HealthCheckRunner.DependencyUnhealthy).ToList();
                var notChecked = report.Components.Count - own.Count;
                foreach (var component in own.Where(c => c.StatusValue != HealthStatus.Healthy))
                    log.Write("HEALTH", $"{component.Component} {component.Status} [{component.ErrorId}]: {component.Reason}");
                foreach (var component in own) JobResults.Add(outcome, component, false);
                var blocking = own.Where(c => c.StatusValue == HealthStatus.Unhealthy && c.ImportanceValue == ComponentImportance.Required).Select(c => c.Component).ToList();
                if (blocking.Count > 0)
                {
                    log.Write("SKIPPED", $"every job of {path ?? "the default configuration"}: required component(s) unhealthy: {string.Join(", ", blocking)}" +
                                         (notChecked == 0 ? "" : $" ({notChecked} more not checked because of it)"));
                    blocked.Add(ConfigKey(config));
                }
            }
            return blocked;
        }

        private static bool NeedsHealth(JobStep step)
            => step.Command.Parameters.ContainsKey("ConfigPath") && !HealthJobs.Contains(step.Name, StringComparer.OrdinalIgnoreCase);

        private static string ConfigKey(string? config) => config ?? "";

        // ------------------------------------------------------------------ parameters and commands

        private CmdletInfo? FindCmdlet(string name)
        {
            var command = InvokeCommand.GetCmdlet(name);
            // Ours only (a cmdlet of the same name from another module is not a job of this one), and not this one: a job in a job.
            return command?.ImplementingType?.Assembly == typeof(InvokeOberaConnectJobCommand).Assembly && command.ImplementingType != typeof(InvokeOberaConnectJobCommand)
                ? command : null;
        }

        /// <summary>-Parameters as one object: a hashtable, a .psd1 or .json file, or JSON text.</summary>
        private JobParameters ReadParameters(IReadOnlyList<string> jobs)
        {
            var value = Parameters is PSObject wrapped ? wrapped.BaseObject : Parameters;
            switch (value)
            {
                case null:
                    return JobParameters.Empty;
                case IDictionary map:
                    return JobParameters.FromDictionary(map, jobs);
                case string text when string.IsNullOrWhiteSpace(text):
                    return JobParameters.Empty;
                case string text when text.TrimStart().StartsWith("{", StringComparison.Ordinal):
                    return JobParameters.FromJson(text, "the parameter text", jobs);
                case string text:
                    return FromFile(GetUnresolvedProviderPathFromPSPath(text.Trim().Trim('"')), jobs);
                default:
                    throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                        $"The job parameters must be a hashtable, the path of a .psd1 or .json file, or JSON object text, not a {value.GetType().Name}.");
            }
        }

        private static JobParameters FromFile(string path, IReadOnlyList<string> jobs)
        {
            if (!File.Exists(path))
                throw new OberaConnectException("JobParametersNotFound", FailureKind.Configuration,
                    $"The parameter file '{path}' does not exist. Give the full path of a .psd1 or .json file, or JSON object text.");
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                return JobParameters.FromJson(File.ReadAllText(path), path, jobs);
            if (!path.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
                throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                    $"The parameter file '{path}' must be a PowerShell data file (.psd1) or a JSON file (.json).");
            // What Import-PowerShellDataFile does: parse, and take the hashtable's value without running any code.
            var ast = Parser.ParseFile(path, out _, out var errors);
            if (errors.Length > 0)
                throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                    $"The parameter file '{path}' is not a valid PowerShell data file: {errors[0].Message} (line {errors[0].Extent.StartLineNumber}).");
            if (ast.Find(a => a is HashtableAst, false) is not HashtableAst table)
                throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                    $"The parameter file '{path}' holds no hashtable: write @{{ Name = value; ... }}.");
            try
            {
                return JobParameters.FromDictionary((IDictionary)table.SafeGetValue(), jobs);
            }
            catch (InvalidOperationException ex)
            {
                throw new OberaConnectException("JobParametersInvalid", FailureKind.Configuration,
                    $"The parameter file '{path}' may hold only constant values (strings, numbers, $true, $false, arrays, hashtables): {ex.Message}", ex);
            }
        }

        /// <summary>A path as PowerShell resolves it (relative to the current location); one it cannot resolve is reported and taken as given.</summary>
        private string FileSystemPath(string path, Action<string> report)
        {
            try
            {
                return GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is SessionStateException or NotSupportedException or ArgumentException)
            {
                report($"the path '{path}' cannot be resolved: {ex.Message}");
                return path;
            }
        }

        private string PowerShellVersion()
        {
            var table = SessionState.PSVariable.GetValue("PSVersionTable") as IDictionary;
            return $"{table?["PSVersion"]} ({table?["PSEdition"]})";
        }

        private void Echo(string line)
        {
            // The host: what NinjaOne captures, and a transcript if the caller keeps one.
            try { Host?.UI?.WriteLine(line); }
            catch (System.Management.Automation.Host.HostException) { }
        }

        /// <summary>One job of the run: its cmdlet and parameters.</summary>
        private sealed class JobStep
        {
            public JobStep(CmdletInfo command) => Command = command;

            public CmdletInfo Command { get; }

            public string Name => Command.Name;

            public Dictionary<string, object?> Parameters { get; set; } = new Dictionary<string, object?>();

            /// <summary>The -ConfigPath the job gets, or null for the default configuration.</summary>
            public string? ConfigPath => Parameters.TryGetValue("ConfigPath", out var value) && value is not null && value.ToString() is { Length: > 0 } text ? text : null;

            public bool Accepts(string parameter)
                => Command.Parameters.ContainsKey(parameter)
                   || Command.Parameters.Values.Any(p => p.Aliases.Contains(parameter, StringComparer.OrdinalIgnoreCase));
        }
    }
}
