using System.Collections;
using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.ReadBack;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that work on the workspace one explicit item at a time (pipeline stages, runbooks,
    /// duplicates) or read it back. The engine decides (<see cref="PlannedChange"/>, <see cref="WorkspaceReader"/>);
    /// this class keeps PowerShell's rules: the workspace is opened once per invocation (bad setup stops the cmdlet),
    /// each write is approved with one ShouldProcess naming the page and what changes, results are written on the
    /// pipeline thread, and a failed item is also a non-terminating error whose target is the input.
    /// A cmdlet that writes checks its audit folder before anything else (unless -WhatIf, which writes nothing) and logs
    /// each write ahead: an intent line before the request, the outcome after it.
    /// </summary>
    public abstract class WorkspaceCmdletBase : OberaConnectConnectedCmdlet
    {
        private NotionWorkspace? _workspace;
        private WorkspaceReader? _reader;
        private WorkspaceAudit? _audit;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var writes = GetType().GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().Any(a => a.SupportsShouldProcess);
            if (!writes || IsWhatIf) return;
            var configuration = Connection.Configuration;
            try
            {
                RecordFolders.EnsureWritable(configuration, journal: false);
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, null);
            }
        }

        /// <summary>The workspace of this invocation, opened on first use.</summary>
        protected NotionWorkspace Workspace
        {
            get
            {
                if (_workspace != null) return _workspace;
                var connection = Connection;
                try
                {
                    _workspace = RunEngine((queue, token) => NotionWorkspace.OpenAsync(connection, token));
                }
                catch (OberaConnectException ex)
                {
                    ThrowSetupError(ex, null);
                }
                return _workspace!;
            }
        }

        /// <summary>
        /// Asks ShouldProcess for a planned change and applies it when approved. A change with nothing to write reports
        /// its result at once (under -WhatIf only its error, so -WhatIf outputs nothing).
        /// </summary>
        protected void Apply(PlannedChange plan)
        {
            if (plan.Done != null)
            {
                if (IsWhatIf && plan.Done.StatusValue != SyncStatus.Failed)
                {
                    WriteVerbose($"{plan.Target}: {plan.Done.Status}" + (plan.Done.Reason is null ? "" : " (" + plan.Done.Reason + ")"));
                    return;
                }
                EmitResult(plan.Done);
                return;
            }
            if (!ShouldProcess(plan.Target, plan.Action)) return;
            if (plan.Declined is { } intended) RecordIntent(intended.Database, intended.Key, plan.Action);
            EmitResult(RunEngine((queue, token) => plan.ApplyAsync(token)));
        }

        /// <summary>Writes a result and its audit line, and for a failed one the error record too (with -WhatIf, only the error).</summary>
        protected void EmitResult(SyncResult result)
        {
            if (!IsWhatIf)
            {
                WriteObject(result);
                var audit = Audit;
                RunEngine((queue, token) => audit.RecordAsync(result, token));
            }
            if (result.StatusValue == SyncStatus.Failed)
            {
                var error = result.Exception ?? new OberaConnectException(result.ErrorId ?? "WorkspaceWriteFailed", FailureKind.Unknown, result.Error ?? "The write failed.");
                WriteItemError(error, result.Input ?? result.Key);
            }
        }

        /// <summary>Write-ahead: the audit's intent line, before the request of an approved write is sent.</summary>
        protected void RecordIntent(string database, string key, string action)
        {
            var audit = Audit;
            RunEngine((queue, token) => audit.RecordIntentAsync(database, key, action, token));
        }

        /// <summary>The audit log of this invocation (an intent and an outcome line per item written), opened on first use.</summary>
        protected WorkspaceAudit Audit
        {
            get
            {
                if (_audit != null) return _audit;
                var connection = Connection;
                var operation = MyInvocation.MyCommand.Name;
                var correlationId = CorrelationId;
                _audit = RunEngine((queue, token) => Task.FromResult(WorkspaceAudit.Open(connection, operation, correlationId, queue.Output)));
                return _audit;
            }
        }

        /// <summary>
        /// Streams the records of a read-back query to the pipeline as Notion returns them. A wrong input (unknown option)
        /// is an item error, and so is each site name that matches no site (SiteNotFound, ObjectNotFound: the same in every
        /// read cmdlet) while the other sites are still read; the workspace being unreachable or refusing the token stops the cmdlet.
        /// </summary>
        protected void Read(WorkspaceQuery query, object? target)
        {
            var reader = _reader ??= new WorkspaceReader(Workspace);
            try
            {
                RunEngine((queue, token) => reader.ReadAsync(query, queue.Emit, (name, error) => queue.ItemFailed(error, name), queue.Output, token));
            }
            catch (OberaConnectException ex) when (ex.Kind == FailureKind.InvalidInput || ex.Kind == FailureKind.NotFound)
            {
                WriteItemError(ex, target);
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, target);
            }
        }

        /// <summary>
        /// Limits <paramref name="query"/> to the sites of a -Site filter the way Get-Process -Name filters: names without
        /// wildcards must each name a site (or it is reported), wildcard patterns ('Bayou*') may match nothing.
        /// </summary>
        protected static void SelectSites(WorkspaceQuery query, string[]? sites)
        {
            var filter = NameFilter.From(sites);
            if (filter != null) query.Sites = new SiteSelection(filter.Literals, filter.WildcardMatch);
        }

        /// <summary>A value from PowerShell as plain .NET values: PSObject wrappers removed, hashtables and arrays copied through.</summary>
        internal static object? Unwrap(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            switch (value)
            {
                case null:
                    return null;
                case string _:
                    return value;
                case IDictionary map:
                    var copy = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry e in map) copy[Convert.ToString(Unwrap(e.Key), System.Globalization.CultureInfo.InvariantCulture) ?? ""] = Unwrap(e.Value);
                    return copy;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(Unwrap(item));
                    return items;
                default:
                    return value;
            }
        }
    }
}
