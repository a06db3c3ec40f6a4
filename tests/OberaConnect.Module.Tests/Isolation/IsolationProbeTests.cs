using System.Diagnostics;
using System.Text.Json.Nodes;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Isolation;

/// <summary>
/// Runs the isolation probe in its own process (a clean default load context), where other versions of the
/// engine's dependencies are loaded first, then the laid-out module is "imported" through its own initializer code.
/// </summary>
public class IsolationProbeTests : IClassFixture<IsolationProbeTests.ProbeRun>
{
    private readonly JsonObject _report;

    public IsolationProbeTests(ProbeRun run) => _report = run.Report;

    [Fact]
    public void The_engine_loads_into_the_private_context_and_is_bridged_once()
    {
        var engine = _report["engine"]!;
        Assert.False(_report["engineContextIsDefault"]!.GetValue<bool>());
        Assert.StartsWith("OberaConnect (", engine["context"]!.GetValue<string>());
        Assert.Equal(Path.Combine(Repository.DependencyDirectory, "OberaConnect.Engine.dll"), engine["location"]!.GetValue<string>());
        Assert.True(_report["engineResolvedOnce"]!.GetValue<bool>());
        Assert.EndsWith("bridged: OberaConnect.Engine", _report["installed"]!.GetValue<string>());
    }

    [Fact]
    public void The_engine_works_next_to_other_versions_of_its_dependencies()
    {
        Assert.Equal(200, _report["engineRequestStatus"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("Polly.Core", "1.0.0.0")]
    [InlineData("Microsoft.Bcl.TimeProvider", "99.0.0.0")]
    public void Each_side_keeps_its_own_version(string name, string otherVersion)
    {
        var entry = _report["assemblies"]![name]!;
        var engineSide = entry["engineSide"]!;
        var defaultSide = entry["defaultSide"]!;
        Assert.False(entry["same"]!.GetValue<bool>());
        Assert.Equal(otherVersion, defaultSide["version"]!.GetValue<string>());
        Assert.Equal("Default", defaultSide["context"]!.GetValue<string>());
        var ours = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Repository.DependencyDirectory, name + ".dll")).Version!.ToString();
        Assert.Equal(ours, engineSide["version"]!.GetValue<string>());
        Assert.Equal(Path.Combine(Repository.DependencyDirectory, name + ".dll"), engineSide["location"]!.GetValue<string>());
        Assert.StartsWith("OberaConnect (", engineSide["context"]!.GetValue<string>());
    }

    [Fact]
    public void A_framework_assembly_at_our_version_or_newer_is_shared_not_duplicated()
    {
        // The probe runs on .NET 10, whose System.Text.Json is 10.0.0.0 like ours: one copy, the platform's.
        var json = _report["assemblies"]!["System.Text.Json"]!;
        Assert.True(json["same"]!.GetValue<bool>());
        Assert.Equal("Default", json["engineSide"]!["context"]!.GetValue<string>());
    }

    [Fact]
    public void Our_copies_are_never_handed_to_other_requesters()
    {
        var answer = _report["defaultAskingForOurPolly"]!;
        var text = answer is JsonValue value ? value.GetValue<string>() : answer.ToJsonString();
        Assert.DoesNotContain(Repository.DependencyDirectory, text);
    }

    public sealed class ProbeRun
    {
        public ProbeRun()
        {
            var scratch = Path.Combine(Path.GetTempPath(), "oberaconnect-probe-" + Guid.NewGuid().ToString("N"));
            var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.OrdinalIgnoreCase) || Environment.ProcessPath!.EndsWith("dotnet.exe", StringComparison.OrdinalIgnoreCase) ? Environment.ProcessPath! : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Repository.Metadata("IsolationProbe"));
            start.ArgumentList.Add(Repository.ModuleDirectory);
            start.ArgumentList.Add(scratch);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The isolation probe did not finish within a minute.");
            }
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
            if (process.ExitCode != 0) throw new InvalidOperationException($"The isolation probe failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
            Report = JsonNode.Parse(stdout.Result)!.AsObject();
        }

        public JsonObject Report { get; }
    }
}
