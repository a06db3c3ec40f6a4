extern alias loader;
using System.Reflection;
using System.Runtime.Loader;
using loader::OberaConnect.PowerShell.Loader;
using OberaConnect.Module.Tests.Support;
using LoaderFolder = loader::OberaConnect.PowerShell.Isolation.DependencyFolder;

namespace OberaConnect.Module.Tests.Layout;

/// <summary>
/// The PostgreSQL side of Sync-NotionTable ships in Dependencies/ (net8.0, PowerShell 7.4+ only) and is loaded by the
/// engine by name: it must come from the module's folder, into the engine's own private load context, with Npgsql
/// beside it, and the cmdlet assembly must not reference it.
/// </summary>
public class PostgreSqlProviderTests
{
    [Fact]
    public void The_engine_opens_a_PostgreSQL_table_from_Dependencies_in_its_private_context()
    {
        // As in PowerShell 7: framework assemblies the platform has at our version or newer (System.Memory) come from it.
        // The platform is the runtime's folder; this test process's own folder (which holds an engine too) is not.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = string.Join(Path.PathSeparator, Directory.GetFiles(runtime, "*.dll"));
        var context = new ModuleLoadContext(new LoaderFolder(Repository.DependencyDirectory), new PlatformAssemblies(platform));
        var engine = context.LoadFromAssemblyName(new AssemblyName("OberaConnect.Engine"));
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(engine));
        var tables = engine.GetType("OberaConnect.Engine.DataSurface.Sync.SyncTables", throwOnError: true)!;
        var open = tables.GetMethod("Open", BindingFlags.Public | BindingFlags.Static)!;

        // The constructor checks the connection string and connects to nothing.
        var table = open.Invoke(null, new object?[] { "PostgreSql", "Host=127.0.0.1;Port=5432;Database=frames;Username=sync;Password=not-used", "public.team", null })!;

        var provider = table.GetType().Assembly;
        Assert.Equal("OberaConnect.Engine.PostgreSql", provider.GetName().Name);
        Assert.Equal(Path.Combine(Repository.DependencyDirectory, "OberaConnect.Engine.PostgreSql.dll"), provider.Location);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(provider));
        var npgsql = provider.GetReferencedAssemblies().Single(a => a.Name == "Npgsql");
        var loaded = context.Assemblies.Single(a => a.GetName().Name == "Npgsql");
        Assert.Equal(Path.Combine(Repository.DependencyDirectory, "Npgsql.dll"), loaded.Location);
        Assert.True(loaded.GetName().Version >= npgsql.Version);
        (table as IDisposable)?.Dispose();
    }

    [Fact]
    public void The_cmdlet_assembly_does_not_reference_the_PostgreSQL_provider_or_Npgsql()
    {
        var references = Assembly.LoadFile(Repository.CmdletAssembly).GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.DoesNotContain("OberaConnect.Engine.PostgreSql", references);
        Assert.DoesNotContain("Npgsql", references);
        Assert.DoesNotContain("Microsoft.Data.Sqlite", references);
        Assert.DoesNotContain("System.Text.Json", references);
    }
}
