extern alias loader;
using System.Reflection;
using System.Runtime.Loader;
using loader::OberaConnect.PowerShell.Loader;
using OberaConnect.Module.Tests.Support;
using LoaderFolder = loader::OberaConnect.PowerShell.Isolation.DependencyFolder;

namespace OberaConnect.Module.Tests.Layout;

/// <summary>
/// The data surface's providers as the laid-out module has them, loaded the way PowerShell 7 loads the engine: a
/// private load context over Dependencies/. The PostgreSQL side of Sync-NotionTable (net8.0, PowerShell 7.4+ only)
/// is loaded by the engine by name from the module's folder, with Npgsql beside it; SQLite's native library is
/// found in Dependencies/runtimes/&lt;rid&gt;/native, since a module has no deps.json to name it.
/// </summary>
public class DataSurfaceLayoutTests
{
    private static Assembly PrivateEngine(out ModuleLoadContext context)
    {
        // As in PowerShell 7: framework assemblies the platform has at our version or newer (System.Memory) come from it.
        // The platform is the runtime's folder; this test process's own folder (which holds an engine too) is not.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = string.Join(Path.PathSeparator, Directory.GetFiles(runtime, "*.dll"));
        context = new ModuleLoadContext(new LoaderFolder(Repository.DependencyDirectory), new PlatformAssemblies(platform));
        var engine = context.LoadFromAssemblyName(new AssemblyName("OberaConnect.Engine"));
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(engine));
        return engine;
    }

    [Fact]
    public void The_engine_opens_a_PostgreSQL_table_from_Dependencies_in_its_private_context()
    {
        var engine = PrivateEngine(out var context);
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
    public async Task The_engine_finds_SQLites_native_library_in_Dependencies_from_its_private_context()
    {
        var engine = PrivateEngine(out var context);
        var path = Path.Combine(Path.GetTempPath(), "oc-layout-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            var storeType = engine.GetType("OberaConnect.Engine.DataSurface.Export.SqliteExportStore", throwOnError: true)!;
            var store = Activator.CreateInstance(storeType, path, null)!;
            await (Task)storeType.GetMethod("InitializeAsync")!.Invoke(store, new object[] { CancellationToken.None })!;

            Assert.True(new FileInfo(path).Length > 0);
            var native = engine.GetType("OberaConnect.Engine.DataSurface.SqliteNativeLibrary", throwOnError: true)!;
            var rid = (string)native.GetMethod("RuntimeIdentifier")!.Invoke(null, null)!;
            var file = (string)native.GetMethod("FileName")!.Invoke(null, null)!;
            Assert.Equal(Path.Combine(Repository.DependencyDirectory, "runtimes", rid, "native", file), native.GetProperty("LoadedFrom")!.GetValue(null));
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(context.Assemblies.Single(a => a.GetName().Name == "SQLitePCLRaw.provider.e_sqlite3")));
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }

    [Fact]
    public void Every_named_native_runtime_is_laid_out()
    {
        var doc = System.Xml.Linq.XDocument.Load(Path.Combine(Repository.Root, "build", "ModuleFiles.props"));
        var natives = doc.Descendants("ModuleNativeRuntime").Select(e => (Rid: e.Attribute("Include")!.Value, File: e.Attribute("File")!.Value)).ToList();
        Assert.Contains(natives, n => n.Rid == "win-x64");
        Assert.Contains(natives, n => n.Rid == "linux-x64");
        Assert.All(natives, n => Assert.True(File.Exists(Path.Combine(Repository.DependencyDirectory, "runtimes", n.Rid, "native", n.File)), n.Rid + " is missing"));
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
