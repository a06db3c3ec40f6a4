using OberaConnect.ModuleBuild;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

public class ManifestTests
{
    private readonly Dictionary<string, object?> _manifest = Repository.LaidOutManifest();

    [Fact]
    public void Module_version_is_the_one_from_Directory_Build_props()
    {
        Assert.Equal(Repository.VersionPrefix, _manifest["ModuleVersion"]);
    }

    [Fact]
    public void Root_module_editions_and_PowerShell_version_fit_both_editions()
    {
        Assert.Equal("OberaConnect.PowerShell.dll", _manifest["RootModule"]);
        Assert.Equal(new[] { "Desktop", "Core" }, PowerShellDataFile.Strings(_manifest["CompatiblePSEditions"]));
        Assert.Equal("5.1", _manifest["PowerShellVersion"]);
        Assert.True(Guid.TryParse(_manifest["GUID"] as string, out _));
        Assert.False(string.IsNullOrWhiteSpace(_manifest["Author"] as string));
        Assert.False(string.IsNullOrWhiteSpace(_manifest["Description"] as string));
    }

    [Fact]
    public void Exported_cmdlets_are_exactly_the_cmdlet_classes()
    {
        var exported = PowerShellDataFile.Strings(_manifest["CmdletsToExport"]).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        var inAssembly = Repository.Cmdlets().Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.NotEmpty(inAssembly);
        Assert.Equal(inAssembly, exported);
    }

    [Fact]
    public void Nothing_else_is_exported_and_nothing_by_wildcard()
    {
        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.True(_manifest.ContainsKey(key), $"{key} must be present (an absent key exports everything).");
            Assert.Empty(PowerShellDataFile.Strings(_manifest[key]));
        }
        Assert.DoesNotContain(PowerShellDataFile.Strings(_manifest["CmdletsToExport"]), n => n.Contains('*') || n.Contains('?'));
    }

    [Fact]
    public void Every_file_the_manifest_names_exists()
    {
        var named = new List<string> { (string)_manifest["RootModule"]! };
        foreach (var key in new[] { "FormatsToProcess", "TypesToProcess", "NestedModules", "RequiredAssemblies", "ScriptsToProcess", "FileList" })
            if (_manifest.TryGetValue(key, out var value)) named.AddRange(PowerShellDataFile.Strings(value));
        Assert.Contains("OberaConnect.format.ps1xml", named);
        Assert.All(named, file => Assert.True(File.Exists(Path.Combine(Repository.ModuleDirectory, file)), $"The manifest names {file}, which is not in the module."));
    }

    [Fact]
    public void Gallery_data_is_complete()
    {
        var psData = (Dictionary<string, object?>)((Dictionary<string, object?>)_manifest["PrivateData"]!)["PSData"]!;
        Assert.NotEmpty(PowerShellDataFile.Strings(psData["Tags"]));
        Assert.All(PowerShellDataFile.Strings(psData["Tags"]), t => Assert.DoesNotContain(' ', t));
        Assert.True(Uri.TryCreate(psData["ProjectUri"] as string, UriKind.Absolute, out _));
        Assert.False(string.IsNullOrWhiteSpace(psData["ReleaseNotes"] as string));
    }
}
