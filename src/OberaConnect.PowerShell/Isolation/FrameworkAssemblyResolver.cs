using System.Collections.Concurrent;
using System.Reflection;

namespace OberaConnect.PowerShell.Isolation
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has no private load contexts. The best it allows is a narrow
    /// AppDomain.AssemblyResolve handler: it answers only for assemblies that are in our Dependencies/ folder,
    /// only when the request comes from one of our own assemblies (or from nowhere known), and only when our copy
    /// is at least the version asked for. A lower request gets our newer copy, which is the binding redirect
    /// powershell.exe.config cannot give us. Each assembly is loaded once, by path, so other modules' copies of
    /// the same name (Az.Accounts' Azure.Core) neither serve us nor get served by us.
    /// </summary>
    internal sealed class FrameworkAssemblyResolver
    {
        private readonly DependencyFolder _folder;
        private readonly ConcurrentDictionary<string, Assembly> _loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private readonly Func<string, Assembly> _loadFile;

        public FrameworkAssemblyResolver(DependencyFolder folder, Func<string, Assembly>? loadFile = null)
        {
            _folder = folder;
            _loadFile = loadFile ?? Assembly.LoadFile;
        }

        /// <summary>The AppDomain.AssemblyResolve handler.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            AssemblyName requested;
            try { requested = new AssemblyName(args.Name); }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException) { return null; }

            var name = requested.Name;
            if (name is null || !_folder.TryGetPath(name, out var path)) return null;
            if (args.RequestingAssembly is { } requester && !_folder.IsInsideModule(SafeLocation(requester))) return null;
            var ours = _folder.VersionOf(name);
            if (ours is null || (requested.Version is { } wanted && wanted > ours)) return null;
            return _loaded.GetOrAdd(name, _ => _loadFile(path));
        }

        private static string? SafeLocation(Assembly assembly)
        {
            try { return assembly.IsDynamic ? null : assembly.Location; }
            catch (NotSupportedException) { return null; }
        }
    }
}
