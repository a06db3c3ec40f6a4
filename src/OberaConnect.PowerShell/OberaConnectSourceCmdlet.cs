using System.Management.Automation;
using OberaConnect.Engine;
using OberaConnect.Engine.Connection;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that read UniFi, NinjaOne, the merged customer-site view and the health score. They need
    /// no Notion and no configured setting, so when no configuration file was named and none exists they run on the
    /// default settings (credentials then come from parameters or environment variables) instead of stopping.
    /// A named file (-ConfigPath, OBERACONNECT_CONFIG) that is missing or wrong still stops them.
    /// Reads run through <see cref="RunRead{T}"/>: the engine's warnings reach this invocation's warning stream,
    /// and engine failures (credentials, an unreachable service) end the cmdlet as setup errors.
    /// </summary>
    public abstract class OberaConnectSourceCmdlet : OberaConnectConnectedCmdlet
    {
        private OberaConnectConnection? _own;

        /// <summary>The session's connection, -ConfigPath's, the default file's, or one on the default settings.</summary>
        protected OberaConnectConnection SourceConnection
        {
            get
            {
                if (_own != null) return _own;
                if (ConfigPath == null && OberaConnectSession.Current is { } session) return session;
                try
                {
                    var path = ConfigPath == null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
                    _own = ConnectionFactory.OpenOrDefaults(path, null);
                    WriteVerbose(_own.Configuration.FilePath is { } file
                        ? $"Configuration: {file}"
                        : "No configuration file was found; using the default settings (credentials from parameters or environment variables).");
                    return _own;
                }
                catch (OberaConnectException ex)
                {
                    ThrowSetupError(ex, ConfigPath);
                    throw; // not reached: ThrowTerminatingError throws
                }
            }
        }

        /// <summary>
        /// Runs a read on a worker thread (see <see cref="OberaConnectCmdlet.RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/>) with the connection's
        /// engine output routed to this invocation. An engine failure ends the cmdlet with its ErrorId and message.
        /// </summary>
        protected T RunRead<T>(Func<PipelineQueue, OberaConnectConnection, CancellationToken, Task<T>> read, object? target = null)
        {
            var connection = SourceConnection;
            try
            {
                return RunEngine(connection, (queue, token) => read(queue, connection, token));
            }
            catch (OberaConnectException ex)
            {
                ThrowSetupError(ex, target);
                throw; // not reached
            }
        }

        /// <summary><see cref="RunRead{T}"/> for reads that only emit.</summary>
        protected void RunRead(Func<PipelineQueue, OberaConnectConnection, CancellationToken, Task> read, object? target = null) =>
            RunRead<bool>((queue, connection, token) => read(queue, connection, token).ContinueWith(
                t => { t.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), target);

        /// <summary>Reports each name given without wildcards that matched nothing, as a non-terminating ObjectNotFound error.</summary>
        private protected void ReportUnmatched(NameFilter? filter, string errorId, Func<string, string> message)
        {
            if (filter is null) return;
            foreach (var name in filter.UnmatchedLiterals)
                WriteItemError(new OberaConnectException(errorId, FailureKind.NotFound, message(name)), name);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _own?.Dispose();
                _own = null;
            }
            base.Dispose(disposing);
        }
    }
}
