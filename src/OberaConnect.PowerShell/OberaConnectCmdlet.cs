using System.Management.Automation;
using System.Management.Automation.Host;
using OberaConnect.Engine;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// The base of every OberaConnect cmdlet. It owns what each invocation needs once:
    /// <list type="bullet">
    /// <item>a cancellation token, made in BeginProcessing and cancelled by Ctrl+C (StopProcessing), for every engine call;</item>
    /// <item><see cref="RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/>: engine work runs on worker threads while its Verbose/Warning/Progress and
    /// output objects reach PowerShell on the pipeline thread (the only thread allowed to call Write*);</item>
    /// <item>error helpers: a bad item is <see cref="WriteItemError"/> and the pipeline goes on, bad setup is
    /// <see cref="ThrowSetupError"/>; both carry the engine's stable ErrorId, an ErrorCategory mapped from the
    /// FailureKind (<see cref="FailureCategories"/>), the offending item as target and the correlation id;</item>
    /// <item><see cref="CorrelationId"/>, one per invocation, to match console errors with logs and HTTP traces;</item>
    /// <item><see cref="IsUnattended"/>: no prompt ever reaches a session nobody watches.</item>
    /// </list>
    /// Rule for every type in this assembly: no base type, interface or value-type field (including an auto-property's
    /// backing field, e.g. an engine enum parameter) from the engine or a third-party assembly. PowerShell inspects
    /// the types at import, before the isolation can load the engine; the module tests check the rule.
    /// Use string parameters with [ValidateSet] instead of engine enums, and engine classes (reference types) freely.
    /// </summary>
    public abstract class OberaConnectCmdlet : PSCmdlet, IDisposable, IPipelineSink
    {
        private CancellationTokenSource? _cancellation;
        private readonly object _cancellationGate = new object();
        private bool? _unattended;

        /// <summary>Short id of this invocation, written to -Verbose at the start and added to every error.</summary>
        protected string CorrelationId { get; private set; } = NewCorrelationId();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken
        {
            get
            {
                lock (_cancellationGate)
                {
                    _cancellation ??= new CancellationTokenSource();
                    return _cancellation.Token;
                }
            }
        }

        /// <summary>True when nobody can answer a prompt (see <see cref="UnattendedSession"/>).</summary>
        protected bool IsUnattended => _unattended ??= UnattendedSession.IsUnattended(
            Environment.GetCommandLineArgs(),
            hostHasUserInterface: Host?.UI is PSHostUserInterface ui && ui.RawUI is not null && Host.Name != "Default Host",
            userInteractive: Environment.UserInteractive,
            overrideValue: Environment.GetEnvironmentVariable(UnattendedSession.OverrideVariable));

        protected override void BeginProcessing()
        {
            lock (_cancellationGate)
            {
                _cancellation?.Dispose();
                _cancellation = new CancellationTokenSource();
            }
            CorrelationId = NewCorrelationId();
            WriteVerbose($"{MyInvocation.MyCommand?.Name} correlation id {CorrelationId}");
        }

        protected override void StopProcessing()
        {
            lock (_cancellationGate)
            {
                try { _cancellation?.Cancel(); }
                catch (ObjectDisposedException) { }
            }
        }

        /// <summary>True when -WhatIf is in effect (the switch, or $WhatIfPreference).</summary>
        protected bool IsWhatIf
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound))
                    return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
                return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            }
        }

        /// <summary>
        /// Runs engine work off the pipeline thread and pumps what it reports (through <see cref="PipelineQueue.Output"/>
        /// and <see cref="PipelineQueue.Emit"/>) onto the pipeline until it finishes. When the pipeline is stopped the
        /// token is cancelled and a <see cref="PipelineStoppedException"/> propagates; it is never swallowed.
        /// </summary>
        protected T RunEngine<T>(Func<PipelineQueue, CancellationToken, Task<T>> work)
        {
            var queue = new PipelineQueue();
            var token = CancellationToken;
            // -WhatIf leaves no file behind, the request budget shared with other processes included: its requests pace here alone.
            var preview = IsWhatIf;
            var relay = _relay;
            relay?.Attach(queue);
            var task = Task.Run(() =>
            {
                using (preview ? OberaConnect.Engine.Http.RequestPacer.ThisProcessOnly() : null) return work(queue, token);
            }, token);
            try
            {
                var result = queue.Pump(task, this, _cancellation);
                relay?.Detach(queue);
                // What the relay posted between the pump's last delivery and the detach.
                queue.DeliverPending(this);
                return result;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopping is PowerShell's to report; our cancellation is only how the engine heard of it.
                throw new PipelineStoppedException();
            }
            finally
            {
                relay?.Detach(queue);
            }
        }

        private PipelineRelay? _relay;

        /// <summary>
        /// Engine output for what outlives one <see cref="RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/> call (a sync
        /// run's writes report between pipeline calls): delivered by each RunEngine's pump and by <see cref="DeliverRelayed"/>.
        /// </summary>
        protected OberaConnect.Engine.IEngineOutput InvocationOutput => (_relay ??= new PipelineRelay()).Output;

        /// <summary>On the pipeline thread: writes what <see cref="InvocationOutput"/> got while no engine call was pumping.</summary>
        protected void DeliverRelayed() => _relay?.Deliver(this);

        /// <summary>
        /// <see cref="RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/> with <paramref name="connection"/>'s engine output lent to this invocation while the
        /// work runs, then given back. A session connection outlives the cmdlet: what it reports now (a Key Vault
        /// fallback, a source down) belongs to this invocation's streams, and to the next cmdlet's afterwards.
        /// </summary>
        protected T RunEngine<T>(OberaConnect.Engine.Connection.OberaConnectConnection connection, Func<PipelineQueue, CancellationToken, Task<T>> work)
        {
            var previous = connection.Output;
            try
            {
                return RunEngine((queue, token) =>
                {
                    connection.Output = queue.Output;
                    return work(queue, token);
                });
            }
            finally
            {
                connection.Output = previous;
            }
        }

        /// <summary><see cref="RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/> for work without a result.</summary>
        protected void RunEngine(Func<PipelineQueue, CancellationToken, Task> work) =>
            RunEngine<bool>(async (queue, token) => { await work(queue, token).ConfigureAwait(false); return true; });

        /// <summary>A bad item: writes a non-terminating error and lets the pipeline go on.</summary>
        protected void WriteItemError(Exception error, object? target)
        {
            if (error is PipelineStoppedException) throw error;
            WriteError(ToErrorRecord(error, target));
        }

        /// <summary>Bad setup (configuration, credentials, an unreachable workspace): stops the cmdlet.</summary>
        protected void ThrowSetupError(Exception error, object? target)
        {
            if (error is PipelineStoppedException) throw error;
            ThrowTerminatingError(ToErrorRecord(error, target));
        }

        /// <summary>The ErrorRecord of an error: stable ErrorId, mapped category, target, correlation id in the details.</summary>
        protected ErrorRecord ToErrorRecord(Exception error, object? target)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), FailureCategories.CategoryName(error));
            return new ErrorRecord(error, FailureCategories.ErrorId(error), category, target)
            {
                ErrorDetails = new ErrorDetails($"{error.Message} (correlation id {CorrelationId})"),
            };
        }

        void IPipelineSink.WriteVerbose(string message) => WriteVerbose(message);

        void IPipelineSink.WriteWarning(string message) => WriteWarning(message);

        void IPipelineSink.WriteProgress(ProgressUpdate update)
        {
            var record = new ProgressRecord(update.ActivityId, update.Activity, string.IsNullOrEmpty(update.Status) ? update.Activity : update.Status)
            {
                PercentComplete = update.PercentComplete < 0 ? -1 : Math.Min(100, update.PercentComplete),
                RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }

        void IPipelineSink.WriteObject(object item) => WriteObject(item);

        void IPipelineSink.WriteItemError(Exception error, object? target) => WriteItemError(error, target);

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            lock (_cancellationGate)
            {
                _cancellation?.Dispose();
                _cancellation = null;
            }
        }

        private static string NewCorrelationId() => Guid.NewGuid().ToString("N").Substring(0, 12);
    }
}
