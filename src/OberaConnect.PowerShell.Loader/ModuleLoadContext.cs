using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using OberaConnect.PowerShell.Isolation;

namespace OberaConnect.PowerShell.Loader;

/// <summary>Where the module's load context takes an assembly from.</summary>
public enum DependencySource
{
    /// <summary>Not one of ours (framework, netstandard facades): the default context answers.</summary>
    NotInDependencies,
    /// <summary>Our own copy from Dependencies/, private to this context.</summary>
    Private,
    /// <summary>The platform (runtime or $PSHOME) carries the same assembly at our version or newer: share it.</summary>
    Platform,
}

/// <summary>
/// The private load context of the module: OberaConnect.Engine and its whole closure from Dependencies/.
/// A dependency is loaded from our folder unless the platform itself ships it at the same or a newer version
/// (framework facades like System.Memory on .NET 8, System.Text.Json on a PowerShell whose runtime is newer than
/// ours): loading a second, older copy of a framework assembly would only split type identity for nothing.
/// Assemblies other modules loaded are never considered, so Az.Accounts' Azure.Core cannot leak in here.
/// The decision is made once per name, because a context can hold one assembly of a given name.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly DependencyFolder _folder;
    private readonly PlatformAssemblies _platform;
    private readonly ConcurrentDictionary<string, DependencySource> _decisions = new(StringComparer.OrdinalIgnoreCase);

    public ModuleLoadContext(string dependencyDirectory)
        : this(new DependencyFolder(dependencyDirectory), PlatformAssemblies.OfThisProcess())
    {
    }

    internal ModuleLoadContext(DependencyFolder folder, PlatformAssemblies platform)
        : base("OberaConnect (" + folder.Directory + ")", isCollectible: false)
    {
        _folder = folder;
        _platform = platform;
    }

    /// <summary>Where an assembly of this simple name comes from in this context.</summary>
    public DependencySource SourceOf(string simpleName) => _decisions.GetOrAdd(simpleName, Decide);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || SourceOf(name) != DependencySource.Private) return null;
        _folder.TryGetPath(name, out var path);
        return LoadFromAssemblyPath(path);
    }

    private DependencySource Decide(string simpleName)
    {
        if (!_folder.TryGetPath(simpleName, out _)) return DependencySource.NotInDependencies;
        var ours = _folder.VersionOf(simpleName);
        var platform = _platform.VersionOf(simpleName);
        return platform is not null && ours is not null && platform >= ours
            ? DependencySource.Platform
            : DependencySource.Private;
    }
}
