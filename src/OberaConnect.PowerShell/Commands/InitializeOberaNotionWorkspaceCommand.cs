using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Commands
{
    /// <summary>
    /// Creates the seven OberaConnect databases under a Notion page, idempotently: databases the configuration
    /// names, or that exist under the page with their title, are kept; only the missing ones are created, relation
    /// targets first. The ids are saved into the configuration file (created when there is none). One ShouldProcess
    /// per database and one for the file, so -WhatIf writes nothing anywhere and -Confirm asks for each.
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "OberaNotionWorkspace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
    [OutputType(typeof(WorkspaceDatabase))]
    public sealed class InitializeOberaNotionWorkspaceCommand : OberaConnectConnectedCmdlet
    {
        private const int ProgressActivity = 31;
        private OberaConnectConnection? _defaults;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ParentPage", "PageId")]
        [ValidateNotNullOrEmpty]
        public string ParentPageId { get; set; } = "";

        protected override void ProcessRecord()
        {
            var connection = OpenConnection(out var configPath);
            var definition = WorkspaceDefinition.Standard;
            var configured = connection.Configuration.Databases;

            NotionClient notion;
            WorkspacePlan plan;
            try
            {
                notion = RunEngine(connection, (_, token) => connection.GetNotionAsync(token));
                plan = RunEngine((queue, token) => WorkspaceSetup.PlanAsync(notion, definition, ParentPageId, configured, queue.Output, token));
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, ParentPageId);
                return;
            }

            var whatIf = IsWhatIf;
            var done = 0;
            foreach (var entry in plan.Databases)
            {
                done++;
                if (entry.StateValue != WorkspaceDatabaseState.ToCreate)
                {
                    if (!whatIf) WriteObject(entry);
                    continue;
                }
                // Declining a relation target skips its dependents without asking about each; -WhatIf still lists every create.
                if (!whatIf && plan.MissingRelationTargets(definition, entry).Count > 0)
                {
                    WriteObject(RunEngine((queue, token) => WorkspaceSetup.CreateAsync(notion, definition, plan, entry, token)));
                    continue;
                }
                if (!ShouldProcess(entry.Title, "Create Notion database"))
                {
                    if (!whatIf) WriteObject(plan.Decline(entry));
                    continue;
                }
                WriteProgress(new ProgressRecord(ProgressActivity, "Initializing the OberaConnect workspace", "Creating " + entry.Title)
                {
                    PercentComplete = Math.Min(99, done * 100 / plan.Databases.Count),
                });
                var result = RunEngine((queue, token) => WorkspaceSetup.CreateAsync(notion, definition, plan, entry, token));
                if (result.StateValue == WorkspaceDatabaseState.Failed && result.Exception != null) WriteItemError(result.Exception, result);
                WriteObject(result);
            }
            WriteProgress(new ProgressRecord(ProgressActivity, "Initializing the OberaConnect workspace", "Done") { RecordType = ProgressRecordType.Completed });

            if (!plan.ChangesConfiguration(configured))
            {
                WriteVerbose($"The configuration file {configPath} already holds the ids of every database that exists.");
                return;
            }
            if (!ShouldProcess(configPath, "Save the ids of the workspace databases to the configuration file")) return;
            try
            {
                ConfigurationFile.SaveDatabaseIds(configPath, plan.ExistingIds());
                WriteVerbose($"Saved the database ids to {configPath}.");
            }
            catch (OberaConnectException e)
            {
                ThrowSetupError(e, configPath);
                return;
            }
            // The session's connection still holds the ids it was opened with.
            if (ReferenceEquals(connection, OberaConnectSession.Current))
            {
                try { OberaConnectSession.Set(ConnectionFactory.Reopen(connection)); }
                catch (OberaConnectException e) { WriteWarning("The ids were saved, but the session connection could not be refreshed: " + e.Message + " Run Connect-OberaConnect again."); }
            }
        }

        /// <summary>
        /// The connection, and the file the ids go to. When there is no configuration file yet, the defaults are used
        /// and the file is created where the module will look for it (-ConfigPath, OBERACONNECT_CONFIG, or this account's default).
        /// </summary>
        private OberaConnectConnection OpenConnection(out string configPath)
        {
            if (ConfigPath == null && OberaConnectSession.Current is { } session && session.Configuration.FilePath is { } sessionFile)
            {
                configPath = sessionFile;
                return session;
            }
            var explicitPath = ConfigPath == null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
            var location = ConfigurationLocations.Resolve(explicitPath, SystemEnvironment.Instance);
            if (location.Exists)
            {
                var connection = Connection;
                configPath = connection.Configuration.FilePath ?? location.Path;
                return connection;
            }
            WriteVerbose($"No configuration file yet: using the defaults; {location.Path} will be created with the database ids.");
            _defaults = OberaConnectConnection.FromConfiguration(OberaConnectConfiguration.CreateDefault(), new ConnectionOptions { ConfigPath = location.Path });
            configPath = location.Path;
            return _defaults;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _defaults?.Dispose();
                _defaults = null;
            }
            base.Dispose(disposing);
        }
    }
}
