using System.Reflection;
using System.Xml.Linq;
using OberaConnect.ModuleBuild;

namespace OberaConnect.Module.Tests.Support;

/// <summary>Where things are: the repository, the laid-out module (built by this project's build) and its parts.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ModuleDirectory => Path.Combine(Root, "out", "OberaConnect");

    public static string DependencyDirectory => Path.Combine(ModuleDirectory, "Dependencies");

    public static string CmdletAssembly => Path.Combine(ModuleDirectory, "OberaConnect.PowerShell.dll");

    public static string EngineAssembly => Path.Combine(DependencyDirectory, "OberaConnect.Engine.dll");

    public static string HelpSources => Path.Combine(Root, "module", "help");

    public static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>The version in Directory.Build.props, the one version source.</summary>
    public static string VersionPrefix =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value.Trim();

    public static Dictionary<string, object?> LaidOutManifest() => PowerShellDataFile.Load(Path.Combine(ModuleDirectory, "OberaConnect.psd1"));

    public static IReadOnlyList<CmdletDefinition> Cmdlets() => CmdletMetadata.Read(CmdletAssembly);

    /// <summary>Item names of one kind in build/ModuleFiles.props.</summary>
    public static IReadOnlyList<string> NamedFiles(string itemType) =>
        XDocument.Load(Path.Combine(Root, "build", "ModuleFiles.props")).Descendants(itemType)
            .Select(e => e.Attribute("Include")!.Value).ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OberaConnect.PowerShell.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (OberaConnect.PowerShell.sln) was not found above " + AppContext.BaseDirectory);
    }
}
