using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Host;
using OberaConnect.Engine;
using OberaConnect.Engine.Http;
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
    /// <item>-Debug: every HTTP exchange of the engine work this invocation starts (<see cref="HttpObserver"/>), redacted and
    /// shortened, goes to the debug output on the pipeline thread; it never prompts by itself (<see cref="DebugRouting"/>).
    /// A 429 wait shows as progress. Nothing is observed when neither is wanted.</item>
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
        private DebugDecision? _debug;
        private HttpObserver? _observer;
        private bool _observerMade;
        private volatile PipelineQueue? _pumping;
        private DateTimeOffset? _waitShownUntil;
        // HTTP exchanges and waits reported from engine threads, written on the pipeline thread at the next flush.
        private readonly ConcurrentQueue<Action> _observed = new ConcurrentQueue<Action>();

        /// <summary>Progress activity id of a wait a service asked for (429).</summary>
        private const int RateLimitActivity = 9;

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
            var outer = _pumping;
            // -WhatIf leaves no file behind, the request budget shared with other processes included: its requests pace here alone.
            var preview = IsWhatIf;
            var relay = _relay;
            relay?.Attach(queue);
            Task<T> task;
            // The observer flows into the work (and every task it starts) from here.
            using (ObserveHttp())
            {
                task = Task.Run(() =>
                {
                    using (preview ? OberaConnect.Engine.Http.RequestPacer.ThisProcessOnly() : null) return work(queue, token);
                }, token);
            }
            _pumping = queue;
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
                _pumping = outer;
                relay?.Detach(queue);
                FlushObserved();
            }
        }

        /// <summary>
        /// Makes this invocation's HTTP observer (when -Debug or progress wants one) the observer of the engine work started
        /// until the scope is disposed. Engine work started outside <see cref="RunEngine{T}(Func{PipelineQueue, CancellationToken, Task{T}})"/>
        /// (a sync's writes, submitted from the pipeline thread) is started inside this scope.
        /// </summary>
        protected IDisposable ObserveHttp() => HttpObserver.Observe(Observer);

        /// <summary>Writes what the HTTP observer reported since the last flush; pipeline thread only.</summary>
        protected void FlushObserved()
        {
            while (_observed.TryDequeue(out var write)) write();
            if (_waitShownUntil is { } until && DateTimeOffset.UtcNow >= until)
            {
                _waitShownUntil = null;
                WriteProgress(new ProgressRecord(RateLimitActivity, "Waiting for the service", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private HttpObserver? Observer
        {
            get
            {
                if (_observerMade) return _observer;
                _observerMade = true;
                var debug = Debug.Wanted;
                var progress = ProgressWanted;
                if (!debug && !progress) return null;
                _observer = new HttpObserver(
                    debug ? text => Observed(() => WriteDebugLine(text)) : null,
                    progress ? wait => Observed(() => ShowWait(wait)) : null);
                return _observer;
            }
        }

        private void Observed(Action write)
        {
            _observed.Enqueue(write);
            // Wake the pump if one runs; otherwise the next flush on the pipeline thread writes it.
            _pumping?.Post(_ => FlushObserved());
        }

        private void ShowWait(RateLimitWait wait)
        {
            var seconds = (int)Math.Ceiling(wait.Delay.TotalSeconds);
            WriteProgress(new ProgressRecord(RateLimitActivity, "Waiting for " + wait.Service, wait.ToString()) { SecondsRemaining = Math.Max(1, seconds) });
            _waitShownUntil = DateTimeOffset.UtcNow + wait.Delay;
        }

        /// <summary>True unless progress is switched off ($ProgressPreference or -ProgressAction SilentlyContinue or Ignore).</summary>
        protected bool ProgressWanted
        {
            get
            {
                var preference = MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var bound) ? bound : GetVariableValue("ProgressPreference");
                var name = preference?.ToString() ?? "Continue";
                return !(name.Equals("SilentlyContinue", StringComparison.OrdinalIgnoreCase) || name.Equals("Ignore", StringComparison.OrdinalIgnoreCase));
            }
        }

        /// <summary>Where this invocation's debug output goes (see <see cref="DebugRouting"/>).</summary>
        private DebugDecision Debug => _debug ??= DebugRouting.Decide(
            debugSwitch: MyInvocation.BoundParameters.TryGetValue("Debug", out var d) && (d is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(d)),
            verboseSwitch: MyInvocation.BoundParameters.ContainsKey("Verbose"),
            windowsPowerShell: System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal),
            debugPreference: GetVariableValue("DebugPreference")?.ToString(),
            unattended: IsUnattended);

        /// <summary>A debug message, where <see cref="DebugRouting"/> says: the Debug stream, or the host when the stream would prompt.</summary>
        protected void WriteDebugLine(string text)
        {
            switch (Debug.Target)
            {
                case DebugTarget.Stream: WriteDebug(text); break;
                case DebugTarget.Host: Host?.UI?.WriteDebugLine(text); break;
            }
        }

        /// <summary>
        /// A verbose message. Under the -Debug switch without -Verbose PowerShell makes every WriteVerbose ask "Continue with this
        /// operation?" (and fail without a terminal), so the message goes to the debug output instead.
        /// </summary>
        protected new void WriteVerbose(string text)
        {
            if (Debug.VerboseAsDebug) WriteDebugLine(text);
            else base.WriteVerbose(text);
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
