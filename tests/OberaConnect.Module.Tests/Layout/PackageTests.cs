using System.IO.Compression;
using System.Xml.Linq;
using OberaConnect.ModuleBuild;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

public class PackageTests
{
    private static string PackagePath => Path.Combine(Repository.Root, "out", $"OberaConnect.{Repository.VersionPrefix}.nupkg");

    [Fact]
    public void The_package_carries_the_module_files_at_its_root()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var moduleFiles = Directory.GetFiles(Repository.ModuleDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.ModuleDirectory, f).Replace('\\', '/')).ToArray();
        Assert.Contains("OberaConnect.psd1", moduleFiles);
        Assert.All(moduleFiles, f => Assert.Contains(f, entries));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase) || e.StartsWith("content/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_nuspec_has_the_metadata_PSResourceGet_reads()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        using var reader = new StreamReader(zip.GetEntry("OberaConnect.nuspec")!.Open());
        var nuspec = XDocument.Parse(reader.ReadToEnd());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        var manifest = Repository.LaidOutManifest();
        Assert.Equal("OberaConnect", metadata.Element(ns + "id")!.Value);
        Assert.Equal(Repository.VersionPrefix, metadata.Element(ns + "version")!.Value);
        Assert.Equal(manifest["Author"], metadata.Element(ns + "authors")!.Value);
        Assert.Equal(manifest["Description"], metadata.Element(ns + "description")!.Value);

        var tags = metadata.Element(ns + "tags")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("PSModule", tags);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        Assert.Contains("PSEdition_Desktop", tags);
        Assert.Contains("PSEdition_Core", tags);
        foreach (var cmdlet in Repository.Cmdlets())
        {
            Assert.Contains("PSCmdlet_" + cmdlet.Name, tags);
            Assert.Contains("PSCommand_" + cmdlet.Name, tags);
        }
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Tags_follow_the_manifest()
    {
        var manifest = PowerShellDataFile.Parse("""
            @{ CmdletsToExport = 'Get-A', 'Set-B'; CompatiblePSEditions = @('Core')
               PrivateData = @{ PSData = @{ Tags = @('x', 'PSModule') } } }
            """);
        Assert.Equal(new[] { "x", "PSModule", "PSIncludes_Cmdlet", "PSCmdlet_Get-A", "PSCommand_Get-A", "PSCmdlet_Set-B", "PSCommand_Set-B", "PSEdition_Core" },
            ModulePackage.Tags(manifest));
    }

    [Fact]
    public void Stamping_replaces_only_the_module_version()
    {
        const string source = "@{\n    # ModuleVersion = '9.9.9' in a comment stays\n    ModuleVersion = '0.0.0'\n    Other = 'ModuleVersion'\n}\n";
        var stamped = ModulePackage.StampVersion(source, "1.2.3");
        Assert.Equal("1.2.3", PowerShellDataFile.Parse(stamped)["ModuleVersion"]);
        Assert.Contains("# ModuleVersion = '9.9.9' in a comment stays", stamped);
        Assert.Throws<FormatException>(() => ModulePackage.StampVersion("@{ RootModule = 'x' }", "1.0.0"));
    }
}
