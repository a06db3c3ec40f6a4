using OberaConnect.ModuleBuild;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Build;

public class JobScriptsTests
{
    private const string Shared = "Set-StrictMode -Version 3.0\nfunction Invoke-WithModule { 2 }\n";

    [Fact]
    public void A_dot_sourced_shared_file_is_written_in_place_of_its_line()
    {
        var script = "param([string] $Job)\n. \"$PSScriptRoot/JobScript.Common.ps1\"\nexit (Invoke-WithModule)\n";
        var asked = new List<string>();
        var shipped = JobScripts.Inline("Job.ps1", script, f => { asked.Add(f); return Shared; });

        Assert.Equal(new[] { "JobScript.Common.ps1" }, asked);
        Assert.DoesNotContain("$PSScriptRoot", shipped);
        var lines = shipped.Split('\n');
        Assert.Equal("param([string] $Job)", lines[0]);
        Assert.StartsWith("# ---- JobScript.Common.ps1 (written in by the module build", lines[1]);
        Assert.Equal("Set-StrictMode -Version 3.0", lines[2]);
        Assert.Equal("function Invoke-WithModule { 2 }", lines[3]);
        Assert.Equal("# ---- end of JobScript.Common.ps1 ----", lines[4]);
        Assert.Equal("exit (Invoke-WithModule)", lines[5]);
    }

    [Fact]
    public void A_script_with_CRLF_lines_keeps_them()
    {
        var shipped = JobScripts.Inline("Job.ps1", "'a'\r\n. \"$PSScriptRoot\\JobScript.Common.ps1\"\r\n'b'\r\n", _ => Shared);
        Assert.DoesNotContain("$PSScriptRoot", shipped);
        Assert.Equal(0, shipped.Split("\r\n").Count(l => l.Contains('\n')));
        Assert.EndsWith("'b'\r\n", shipped);
    }

    [Fact]
    public void A_dot_sourced_file_that_is_not_shared_is_refused_with_the_line()
    {
        var error = Assert.Throws<FormatException>(() =>
            JobScripts.Inline("Job.ps1", "'a'\n. \"$PSScriptRoot/Helpers.ps1\"\n", _ => Shared));
        Assert.Contains("Job.ps1 line 2", error.Message);
        Assert.Contains("Helpers.ps1", error.Message);
    }

    [Fact]
    public void A_script_without_a_shared_file_is_shipped_as_it_is()
    {
        var script = "param($x)\n# . \"$PSScriptRoot/JobScript.Common.ps1\" in a comment is left alone\n$x\n";
        Assert.Equal(script, JobScripts.Inline("Job.ps1", script, _ => throw new InvalidOperationException("not asked")));
    }

    [Fact]
    public void The_shipped_job_scripts_stand_alone_and_hold_the_shared_block_once()
    {
        var source = Path.Combine(Repository.Root, "module", "Scripts");
        var common = File.ReadAllText(Path.Combine(source, "JobScript.Common.ps1")).Replace("\r\n", "\n").TrimEnd('\n');
        var shipped = Path.Combine(Repository.ModuleDirectory, "Scripts");
        Assert.False(File.Exists(Path.Combine(shipped, "JobScript.Common.ps1")), "a shared file is not shipped by itself");
        foreach (var name in new[] { "Invoke-OberaConnectJob.ps1", "NinjaOne-OberaConnectSync.ps1" })
        {
            var sourceText = File.ReadAllText(Path.Combine(source, name));
            Assert.Contains(". \"$PSScriptRoot/JobScript.Common.ps1\"", sourceText);
            var text = File.ReadAllText(Path.Combine(shipped, name)).Replace("\r\n", "\n");
            Assert.DoesNotContain("$PSScriptRoot", text);
            Assert.Equal(1, CountOf(text, common));
            Assert.Equal(1, CountOf(text, "function Invoke-WithModule("));
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
