using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using OberaConnect.ModuleBuild;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

public class LayoutTests
{
    [Fact]
    public void Every_named_file_is_laid_out()
    {
        var missing = Repository.NamedFiles("ModuleFile").Where(f => !File.Exists(Path.Combine(Repository.ModuleDirectory, f))).ToArray();
        Assert.Empty(missing);
        var missingDependencies = Repository.NamedFiles("ModuleDependency")
            .Where(d => !File.Exists(Path.Combine(Repository.DependencyDirectory, d + ".dll"))).ToArray();
        Assert.Empty(missingDependencies);
    }

    [Fact]
    public void The_cmdlet_assembly_is_the_only_assembly_PowerShell_probes()
    {
        // PowerShell (and .NET Framework's binder) look next to the root module: nothing else may be there.
        var rootAssemblies = Directory.GetFiles(Repository.ModuleDirectory, "*.dll").Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { "OberaConnect.PowerShell.dll" }, rootAssemblies);
        var nested = Directory.GetDirectories(Repository.ModuleDirectory)
            .Where(d => Path.GetFileName(d) != "Dependencies")
            .SelectMany(d => Directory.GetFiles(d, "*.dll", SearchOption.AllDirectories))
            .ToArray();
        Assert.Empty(nested);
    }

    [Fact]
    public void Dependencies_hold_the_engines_whole_closure()
    {
        // Every assembly the engine (and what it loads) references is in Dependencies/ or part of the framework
        // (netstandard facades on .NET Framework 4.7.2+, the shared runtime on .NET 8+).
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = new HashSet<string>(Directory.GetFiles(runtimeDirectory, "*.dll").Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase)
        {
            "netstandard", "mscorlib",
        };
        var shipped = Directory.GetFiles(Repository.DependencyDirectory, "*.dll").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => f, StringComparer.OrdinalIgnoreCase);
        // net8.0-only assemblies run where the module's load context takes a framework assembly from the platform
        // when the platform's is at our version or newer (System.Memory 8.0 rather than our netstandard 4.0.2).
        var coreOnly = Repository.NamedFiles("ModuleCoreOnlyDependency").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unresolved = new List<string>();
        foreach (var (name, path) in shipped)
        {
            foreach (var reference in CmdletMetadata.References(path))
            {
                if (shipped.TryGetValue(reference.Name!, out var file))
                {
                    var version = System.Reflection.AssemblyName.GetAssemblyName(file).Version!;
                    var platform = Path.Combine(runtimeDirectory, reference.Name + ".dll");
                    if (version < reference.Version! && coreOnly.Contains(name) && File.Exists(platform)
                        && System.Reflection.AssemblyName.GetAssemblyName(platform).Version! >= reference.Version) continue;
                    if (version < reference.Version!) unresolved.Add($"{name} needs {reference.Name} {reference.Version} but {version} is shipped");
                }
                else if (!framework.Contains(reference.Name!)) unresolved.Add($"{name} needs {reference.Name} {reference.Version}, which is not shipped");
            }
        }
        Assert.Empty(unresolved);
    }

    [Fact]
    public void Dependencies_hold_only_named_assemblies()
    {
        var named = Repository.NamedFiles("ModuleDependency").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var shipped = Directory.GetFiles(Repository.DependencyDirectory, "*.dll").Select(Path.GetFileNameWithoutExtension).ToArray();
        Assert.All(shipped, name => Assert.Contains(name!, named));
    }

    [Fact]
    public void Cmdlet_types_need_no_engine_or_third_party_assembly_to_load()
    {
        // PowerShell enumerates the cmdlet assembly's types at import, before the module initializer installs the
        // isolation. Loading a type loads its base type, interfaces and value-type fields (an engine enum property's
        // backing field counts): none of them may come from the engine or a third-party assembly.
        var offenders = TypeLoadDependencies.Find(Repository.CmdletAssembly, allowed: new[] { "netstandard", "System.Management.Automation" });
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_type_load_check_sees_a_value_type_field_of_another_assembly()
    {
        // The check above must be able to fail: the engine itself has enum-typed fields from its own assembly and
        // value-type fields from the framework, so allowing only the framework must report the engine's own.
        var offenders = TypeLoadDependencies.Find(Repository.EngineAssembly, allowed: new[] { "netstandard" });
        Assert.Contains(offenders, o => o.Contains("Polly.Core", StringComparison.Ordinal) || o.Contains("Microsoft.Bcl", StringComparison.Ordinal));
    }
}
