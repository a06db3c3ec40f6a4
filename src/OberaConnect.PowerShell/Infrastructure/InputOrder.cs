namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Puts results back in the order of the input while the writes behind them run a few at a time and finish in any
    /// order. Every input record takes a slot as it is planned: filled at once when its result is known (unchanged,
    /// skipped, previewed, refused), or left waiting for the result of its key when its write was submitted. A result is
    /// released once every slot before it is filled, so the concurrency stays and only the order changes. Keys are unique
    /// among the writes of one run (the session never submits a key twice). No PowerShell or engine types: tested alone.
    /// </summary>
    public sealed class InputOrder
    {
        private readonly LinkedList<Slot> _slots = new LinkedList<Slot>();

        /// <summary>Slots still waiting for their result.</summary>
        public int Waiting { get; private set; }

        /// <summary>A record whose result is known now; it is released after the records before it.</summary>
        public void Ready(object result) => _slots.AddLast(new Slot(null) { Result = result, Filled = true });

        /// <summary>A record whose write was submitted; its result comes later through <see cref="Complete"/>.</summary>
        public void Pending(string key)
        {
            _slots.AddLast(new Slot(key ?? throw new ArgumentNullException(nameof(key))));
            Waiting++;
        }

        /// <summary>Fills the waiting slot of <paramref name="key"/>; false when no slot waits for it (the caller releases the result itself).</summary>
        public bool Complete(string key, object result)
        {
            for (var node = _slots.First; node != null; node = node.Next)
            {
                var slot = node.Value;
                if (slot.Filled || !string.Equals(slot.Key, key, StringComparison.Ordinal)) continue;
                slot.Result = result;
                slot.Filled = true;
                Waiting--;
                return true;
            }
            return false;
        }

        /// <summary>The results that may be released now: the filled slots up to the first that still waits, in input order.</summary>
        public IReadOnlyList<object> TakeReady()
        {
            var ready = new List<object>();
            while (_slots.First is { } first && first.Value.Filled)
            {
                ready.Add(first.Value.Result!);
                _slots.RemoveFirst();
            }
            return ready;
        }

        private sealed class Slot
        {
            public Slot(string? key) => Key = key;

            public string? Key { get; }

            public bool Filled { get; set; }

            public object? Result { get; set; }
        }
    }
}
