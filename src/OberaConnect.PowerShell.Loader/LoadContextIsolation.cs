using System.Reflection;
using System.Runtime.Loader;

namespace OberaConnect.PowerShell.Loader;

/// <summary>
/// Hooks the default load context so that requests for the bridge assemblies (OberaConnect.Engine, and any other
/// assembly the cmdlet assembly references directly from Dependencies/) are answered from the module's private
/// context. Every other request is left alone, so this module never hands its copies to other modules.
/// Called by the cmdlet assembly's module initializer through reflection (it cannot reference net8.0 code).
/// </summary>
public static class LoadContextIsolation
{
    // Process-wide by nature: the default context and its Resolving event are process-wide, and the context must
    // survive Remove-Module/Import-Module because the default context keeps the engine it was once given.
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Hook> Hooks = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Installs the hook for a Dependencies/ folder (idempotent) and returns its load context.</summary>
    /// <param name="dependencyDirectory">The module's Dependencies/ folder.</param>
    /// <param name="bridgeAssemblyNames">Simple names the default context may be given from the private context.</param>
    public static AssemblyLoadContext Install(string dependencyDirectory, string[] bridgeAssemblyNames)
    {
        var key = Path.GetFullPath(dependencyDirectory);
        lock (Gate)
        {
            if (!Hooks.TryGetValue(key, out var hook))
            {
                hook = new Hook(new ModuleLoadContext(key));
                Hooks[key] = hook;
            }
            hook.SetBridges(bridgeAssemblyNames);
            if (!hook.Attached)
            {
                AssemblyLoadContext.Default.Resolving += hook.OnDefaultResolving;
                hook.Attached = true;
            }
            return hook.Context;
        }
    }

    /// <summary>Removes the hook (Remove-Module). The context itself stays, ready for a later import.</summary>
    public static void Uninstall(string dependencyDirectory)
    {
        var key = Path.GetFullPath(dependencyDirectory);
        lock (Gate)
        {
            if (Hooks.TryGetValue(key, out var hook) && hook.Attached)
            {
                AssemblyLoadContext.Default.Resolving -= hook.OnDefaultResolving;
                hook.Attached = false;
            }
        }
    }

    private sealed class Hook
    {
        private volatile HashSet<string> _bridges = new(StringComparer.OrdinalIgnoreCase);

        public Hook(ModuleLoadContext context) => Context = context;

        public ModuleLoadContext Context { get; }
        public bool Attached { get; set; }

        public void SetBridges(IEnumerable<string> names) => _bridges = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);

        public Assembly? OnDefaultResolving(AssemblyLoadContext requestingContext, AssemblyName name)
        {
            if (name.Name is null || !_bridges.Contains(name.Name)) return null;
            if (Context.SourceOf(name.Name) != DependencySource.Private) return null;
            // Loaded into the private context: its own references then resolve there, never in the default one.
            return Context.LoadFromAssemblyName(name);
        }
    }
}
