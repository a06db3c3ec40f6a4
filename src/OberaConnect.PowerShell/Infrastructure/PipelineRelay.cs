using OberaConnect.Engine;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Engine output for what outlives one <see cref="PipelineQueue"/>: a sync run reports from its writes while the cmdlet is
    /// between pipeline calls (a wait for another run's write lock, a merge with another writer's page), long after the queue
    /// of the call that opened it stopped pumping. What it gets while a queue is attached goes to that queue; the rest waits
    /// for the pipeline thread (<see cref="Deliver"/>, or the next queue attached), so nothing reported is dropped.
    /// No PowerShell types, so it is tested without PowerShell.
    /// </summary>
    public sealed class PipelineRelay
    {
        private readonly object _gate = new object();
        private readonly Queue<Action<IPipelineSink>> _pending = new Queue<Action<IPipelineSink>>();
        private PipelineQueue? _attached;
        private IEngineOutput? _output;

        /// <summary>The engine's view of the relay, for objects that live as long as the cmdlet invocation.</summary>
        public IEngineOutput Output => _output ??= new CallbackEngineOutput(
            message => Forward(sink => sink.WriteVerbose(message)),
            message => Forward(sink => sink.WriteWarning(message)),
            update => Forward(sink => sink.WriteProgress(update)));

        /// <summary>From now on what is reported goes to <paramref name="queue"/> (a pump is starting), what waited first.</summary>
        public void Attach(PipelineQueue queue)
        {
            if (queue is null) throw new ArgumentNullException(nameof(queue));
            lock (_gate)
            {
                while (_pending.Count > 0) queue.Post(_pending.Dequeue());
                _attached = queue;
            }
        }

        /// <summary><paramref name="queue"/> stopped pumping: what is reported from now on waits for <see cref="Deliver"/>.</summary>
        public void Detach(PipelineQueue queue)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_attached, queue)) _attached = null;
            }
        }

        /// <summary>On the pipeline thread: delivers what was reported while no queue was attached, in order.</summary>
        public void Deliver(IPipelineSink sink)
        {
            if (sink is null) throw new ArgumentNullException(nameof(sink));
            while (true)
            {
                Action<IPipelineSink> item;
                lock (_gate)
                {
                    if (_pending.Count == 0) return;
                    item = _pending.Dequeue();
                }
                item(sink);
            }
        }

        private void Forward(Action<IPipelineSink> item)
        {
            lock (_gate)
            {
                if (_attached != null) _attached.Post(item);
                else _pending.Enqueue(item);
            }
        }
    }
}
