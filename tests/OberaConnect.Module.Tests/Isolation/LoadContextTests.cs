extern alias loader;
using System.Reflection;
using System.Reflection.Emit;
using loader::OberaConnect.PowerShell.Loader;
using OberaConnect.Module.Tests.Support;
using LoaderFolder = loader::OberaConnect.PowerShell.Isolation.DependencyFolder;

namespace OberaConnect.Module.Tests.Isolation;

public class LoadContextTests : IDisposable
{
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "oberaconnect-alc-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_platform_copy_older_than_ours_is_not_used()
    {
        // PowerShell 7.4 runs on .NET 8, whose System.Text.Json is 8.0.0.0: the engine needs our 10.0.
        var platform = new PlatformAssemblies(StandIn("System.Text.Json", new Version(8, 0, 0, 0)));
        var context = new ModuleLoadContext(new LoaderFolder(Repository.DependencyDirectory), platform);
        Assert.Equal(DependencySource.Private, context.SourceOf("System.Text.Json"));
    }

    [Fact]
    public void A_platform_copy_at_our_version_or_newer_is_shared()
    {
        var platform = new PlatformAssemblies(StandIn("System.Memory", new Version(8, 0, 0, 0)) + Path.PathSeparator + StandIn("System.Text.Json", new Version(10, 0, 0, 0)));
        var context = new ModuleLoadContext(new LoaderFolder(Repository.DependencyDirectory), platform);
        Assert.Equal(DependencySource.Platform, context.SourceOf("System.Memory"));
        Assert.Equal(DependencySource.Platform, context.SourceOf("System.Text.Json"));
    }

    [Fact]
    public void Assemblies_outside_Dependencies_are_left_to_the_default_context()
    {
        var context = new ModuleLoadContext(new LoaderFolder(Repository.DependencyDirectory), new PlatformAssemblies(null));
        Assert.Equal(DependencySource.NotInDependencies, context.SourceOf("System.Runtime"));
        Assert.Equal(DependencySource.NotInDependencies, context.SourceOf("Azure.Core.NotShipped"));
        Assert.Equal(DependencySource.Private, context.SourceOf("OberaConnect.Engine"));
        Assert.Equal(DependencySource.Private, context.SourceOf("Polly.Core"));
    }

    [Fact]
    public void The_bridge_is_what_the_cmdlet_assembly_references_from_Dependencies()
    {
        var cmdlets = Assembly.LoadFile(Repository.CmdletAssembly);
        var bridges = OberaConnect.PowerShell.Isolation.DependencyIsolation.BridgeAssemblyNames(cmdlets, Repository.DependencyDirectory);
        // Each further name here is shared with the default context and so NOT isolated from other modules.
        // Allow one only deliberately (its types cross between cmdlets and engine), and say why in this list.
        var allowed = new[] { "OberaConnect.Engine" };
        Assert.Equal(allowed, bridges);
    }

    private string StandIn(string name, Version version)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_scratch, name + "-" + version)).FullName;
        var builder = new PersistedAssemblyBuilder(new AssemblyName(name) { Version = version }, typeof(object).Assembly);
        builder.DefineDynamicModule(name);
        var path = Path.Combine(directory, name + ".dll");
        builder.Save(path);
        return path;
    }
}
