using OberaConnect.ModuleBuild;

namespace OberaConnect.Module.Tests.Build;

public class PowerShellDataFileTests
{
    [Fact]
    public void Reads_the_manifest_language()
    {
        var data = PowerShellDataFile.Parse("""
            # comment
            @{
                <# block
                   comment #>
                RootModule = 'Mod.dll'   # trailing comment
                'Quoted Key' = "double ""quoted"" `t tab"
                Single = 'it''s'
                Numbers = 1, -2, 3.5
                Flags = @($true, $false, $null)
                Empty = @()
                Nested = @{ Inner = @( 'a'
                                       'b', 'c' ) ; Other = 'x' }
                Here = @'
            line one
            line two
            '@
            }
            """);
        Assert.Equal("Mod.dll", data["rootmodule"]);
        Assert.Equal("double \"quoted\" \t tab", data["Quoted Key"]);
        Assert.Equal("it's", data["Single"]);
        Assert.Equal(new object?[] { 1, -2, 3.5 }, (List<object?>)data["Numbers"]!);
        Assert.Equal(new object?[] { true, false, null }, (List<object?>)data["Flags"]!);
        Assert.Empty((List<object?>)data["Empty"]!);
        var nested = (Dictionary<string, object?>)data["Nested"]!;
        Assert.Equal(new[] { "a", "b", "c" }, PowerShellDataFile.Strings(nested["Inner"]));
        Assert.Equal("x", nested["Other"]);
        Assert.Equal("line one\nline two", data["Here"]);
    }

    [Theory]
    [InlineData("@{ A = $env:PATH }", "Variable")]
    [InlineData("@{ A = \"$(Get-Date)\" }", "not allowed")]
    [InlineData("@{ A = 'x' ", "Missing '}'")]
    [InlineData("@{ A = 'x'; A = 'y' }", "Duplicate key")]
    [InlineData("@( 'x' )", "one hashtable")]
    [InlineData("@{ A = Get-Date }", "Unexpected")]
    public void Refuses_what_a_data_file_may_not_hold(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text));
        Assert.Contains(message, error.Message);
        Assert.Contains("(line 1)", error.Message);
    }

    [Fact]
    public void The_source_manifest_parses()
    {
        var manifest = PowerShellDataFile.Load(Path.Combine(Support.Repository.Root, "OberaConnect.psd1"));
        Assert.Equal("OberaConnect.PowerShell.dll", manifest["RootModule"]);
    }
}
