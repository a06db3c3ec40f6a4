using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using OberaConnect.Engine;
using OberaConnect.Engine.Http;
using OberaConnect.Module.Tests.Support;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

public class ErrorMapTests
{
    /// <summary>The member names of System.Management.Automation.ErrorCategory, read from PowerShell's reference assembly.</summary>
    private static HashSet<string> ErrorCategoryNames()
    {
        using var stream = File.OpenRead(Repository.Metadata("PowerShellReferenceAssembly"));
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var type = md.TypeDefinitions.Select(md.GetTypeDefinition)
            .Single(t => md.GetString(t.Name) == "ErrorCategory" && md.GetString(t.Namespace) == "System.Management.Automation");
        return type.GetFields().Select(f => md.GetString(md.GetFieldDefinition(f).Name)).Where(n => n != "value__").ToHashSet();
    }

    [Fact]
    public void Every_failure_kind_maps_to_an_ErrorCategory_that_exists()
    {
        var categories = ErrorCategoryNames();
        Assert.Contains("ObjectNotFound", categories);
        foreach (var kind in Enum.GetValues<FailureKind>())
            Assert.Contains(FailureCategories.CategoryName(kind), categories);
    }

    [Fact]
    public void Only_an_unknown_failure_is_NotSpecified()
    {
        var unspecified = Enum.GetValues<FailureKind>().Where(k => FailureCategories.CategoryName(k) == "NotSpecified").ToArray();
        Assert.Equal(new[] { FailureKind.Unknown }, unspecified);
    }

    [Theory]
    [InlineData(FailureKind.NotFound, "ObjectNotFound")]
    [InlineData(FailureKind.Authentication, "AuthenticationError")]
    [InlineData(FailureKind.RateLimited, "LimitsExceeded")]
    [InlineData(FailureKind.OutcomeUnknown, "WriteError")]
    public void Engine_errors_keep_their_ErrorId_and_get_the_category_of_their_kind(FailureKind kind, string category)
    {
        var error = new OberaConnectException("NotionObjectNotFound", kind, "x");
        Assert.Equal(category, FailureCategories.CategoryName(error));
        Assert.Equal("NotionObjectNotFound", FailureCategories.ErrorId(error));
    }

    [Fact]
    public void Typed_engine_errors_and_framework_errors_are_mapped()
    {
        var circuit = new CircuitOpenException("Notion", DateTimeOffset.UnixEpoch);
        Assert.Equal("CircuitOpen", FailureCategories.ErrorId(circuit));
        Assert.Equal("ResourceUnavailable", FailureCategories.CategoryName(circuit));
        Assert.Equal("InvalidArgument", FailureCategories.CategoryName(new ArgumentException("x")));
        Assert.Equal("OperationStopped", FailureCategories.CategoryName(new OperationCanceledException()));
        Assert.Equal("Unexpected.NullReferenceException", FailureCategories.ErrorId(new NullReferenceException()));
        Assert.Contains(FailureCategories.CategoryName(new PlatformNotSupportedException()), ErrorCategoryNames());
    }
}
