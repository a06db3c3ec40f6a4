using System.Reflection;
using OberaConnect.Module.Tests.Support;
using OberaConnect.PowerShell.Isolation;

namespace OberaConnect.Module.Tests.Isolation;

/// <summary>The Windows PowerShell 5.1 resolver's decisions (it answers AppDomain.AssemblyResolve).</summary>
public class FrameworkAssemblyResolverTests
{
    private readonly List<string> _loaded = new();
    private readonly FrameworkAssemblyResolver _resolver;

    public FrameworkAssemblyResolverTests()
    {
        // Record loads instead of loading: the decision is what is under test.
        _resolver = new FrameworkAssemblyResolver(new DependencyFolder(Repository.DependencyDirectory), path =>
        {
            _loaded.Add(path);
            return typeof(FrameworkAssemblyResolverTests).Assembly;
        });
    }

    private Assembly? Resolve(string name, Assembly? requester) => _resolver.Resolve(null, new ResolveEventArgs(name, requester));

    [Fact]
    public void Answers_for_our_assembly_requested_by_our_engine()
    {
        var engine = Assembly.LoadFile(Repository.EngineAssembly);
        Assert.NotNull(Resolve("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", engine));
        Assert.Equal(new[] { Path.Combine(Repository.DependencyDirectory, "Polly.Core.dll") }, _loaded);
    }

    [Fact]
    public void Gives_our_newer_copy_for_an_older_request_like_a_binding_redirect()
    {
        Assert.NotNull(Resolve("System.Memory, Version=4.0.1.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", null));
    }

    [Fact]
    public void Refuses_a_request_for_a_newer_version_than_ours()
    {
        Assert.Null(Resolve("Polly.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", null));
        Assert.Empty(_loaded);
    }

    [Fact]
    public void Refuses_requests_of_other_modules_and_names_we_do_not_ship()
    {
        Assert.Null(Resolve("Polly.Core, Version=8.0.0.0", typeof(object).Assembly));
        Assert.Null(Resolve("Newtonsoft.Json, Version=1.0.0.0", null));
        Assert.Empty(_loaded);
    }

    [Fact]
    public void Loads_each_assembly_once()
    {
        Resolve("Polly.Core, Version=8.0.0.0", null);
        Resolve("Polly.Core, Version=7.0.0.0", null);
        Assert.Single(_loaded);
    }
}
