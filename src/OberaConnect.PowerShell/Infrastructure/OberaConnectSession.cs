using OberaConnect.Engine.Connection;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The session default connection set by Connect-OberaConnect and cleared by Disconnect-OberaConnect.
    /// The one piece of static mutable state the module keeps: it is what "connect once, then run cmdlets
    /// without repeating parameters" means.
    /// </summary>
    public static class OberaConnectSession
    {
        private static readonly object Gate = new object();
        private static OberaConnectConnection? _current;

        /// <summary>The connection set by Connect-OberaConnect, or null.</summary>
        public static OberaConnectConnection? Current
        {
            get { lock (Gate) return _current; }
        }

        /// <summary>Replaces the session default (disposing the previous one).</summary>
        public static void Set(OberaConnectConnection? connection)
        {
            OberaConnectConnection? old;
            lock (Gate)
            {
                old = _current;
                _current = connection;
            }
            if (old != null && !ReferenceEquals(old, connection)) old.Dispose();
        }
    }
}
