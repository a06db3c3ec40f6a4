using System.Collections.Concurrent;
using OberaConnect.Engine;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>Where queued output ends up: the cmdlet's Write* methods, called on the pipeline thread only.</summary>
    public interface IPipelineSink
    {
        void WriteVerbose(string message);
        void WriteWarning(string message);
        void WriteProgress(ProgressUpdate update);
        void WriteObject(object item);
        void WriteItemError(Exception error, object? target);
    }

    /// <summary>
    /// Lets engine work run on worker threads while everything it reports reaches PowerShell on the pipeline
    /// thread, which is the only thread allowed to call Write*. Worker threads enqueue (give the engine
    /// <see cref="Output"/>); the pipeline thread calls <see cref="Pump{T}"/>, which delivers in order until
    /// the work is done. No PowerShell types, so it is tested without PowerShell. It does not implement
    /// IEngineOutput itself: no type of the cmdlet assembly may derive from an engine type (see OberaConnectCmdlet).
    /// </summary>
    public sealed class PipelineQueue
    {
        private readonly ConcurrentQueue<Action<IPipelineSink>> _items = new ConcurrentQueue<Action<IPipelineSink>>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private IEngineOutput? _output;

        /// <summary>The engine's view of this queue: Verbose, Warning and Progress are queued for the pipeline thread.</summary>
        public IEngineOutput Output => _output ??= new CallbackEngineOutput(Verbose, Warning, Progress);

        public void Verbose(string message) => Enqueue(sink => sink.WriteVerbose(message));

        public void Warning(string message) => Enqueue(sink => sink.WriteWarning(message));

        public void Progress(ProgressUpdate update) => Enqueue(sink => sink.WriteProgress(update));

        /// <summary>An output object for the pipeline.</summary>
        public void Emit(object item) => Enqueue(sink => sink.WriteObject(item));

        /// <summary>A bad item: reported with WriteError, and the work goes on.</summary>
        public void ItemFailed(Exception error, object? target) => Enqueue(sink => sink.WriteItemError(error, target));

        /// <summary>Any other work for the pipeline thread, such as a cmdlet's own reporting of one result.</summary>
        public void Post(Action<IPipelineSink> work) => Enqueue(work ?? throw new ArgumentNullException(nameof(work)));

        /// <summary>
        /// Blocks the calling (pipeline) thread, delivering queued output to <paramref name="sink"/> as it arrives,
        /// until <paramref name="work"/> completes; then delivers what is left and returns the result, or rethrows
        /// the work's own exception. If delivering throws (the pipeline was stopped, -ErrorAction Stop turned a
        /// WriteError into a terminating error), <paramref name="cancelOnAbandon"/> is cancelled so the work stops
        /// too, and the exception propagates unchanged.
        /// </summary>
        public T Pump<T>(Task<T> work, IPipelineSink sink, CancellationTokenSource? cancelOnAbandon = null)
        {
            if (work is null) throw new ArgumentNullException(nameof(work));
            if (sink is null) throw new ArgumentNullException(nameof(sink));
            work.ContinueWith(_ => _signal.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                while (true)
                {
                    _signal.Wait();
                    Deliver(sink);
                    if (work.IsCompleted)
                    {
                        Deliver(sink);
                        return work.GetAwaiter().GetResult();
                    }
                }
            }
            catch when (!work.IsCompleted)
            {
                TryCancel(cancelOnAbandon);
                throw;
            }
        }

        /// <summary><see cref="Pump{T}"/> for work without a result.</summary>
        public void Pump(Task work, IPipelineSink sink, CancellationTokenSource? cancelOnAbandon = null) =>
            Pump(work.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), sink, cancelOnAbandon);

        /// <summary>On the pipeline thread, after <see cref="Pump{T}"/> returned: delivers what was queued since its last delivery.</summary>
        public void DeliverPending(IPipelineSink sink) => Deliver(sink ?? throw new ArgumentNullException(nameof(sink)));

        private void Deliver(IPipelineSink sink)
        {
            while (_items.TryDequeue(out var item)) item(sink);
        }

        private void Enqueue(Action<IPipelineSink> item)
        {
            _items.Enqueue(item);
            _signal.Release();
        }

        private static void TryCancel(CancellationTokenSource? source)
        {
            try { source?.Cancel(); }
            catch (ObjectDisposedException) { }
            catch (AggregateException) { }
        }
    }
}
