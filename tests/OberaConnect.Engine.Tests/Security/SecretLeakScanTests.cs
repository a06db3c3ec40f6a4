namespace OberaConnect.Engine.Tests.Security;

public class SecretLeakScanTests
{
    [Fact]
    public void It_fails_naming_the_place_and_never_prints_the_secret()
    {
        const string secret = "sk-live-4f8a9b2c7d1e6f30";
        var scan = new SecretLeakScan(secret)
            .Text("verbose line 3", "nothing here")
            .Exception("error record", new InvalidOperationException("outer", new Exception("inner has " + secret)))
            .Object("output", new { Name = "site", Token = secret.Substring(0, 8) + "…" });

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => scan.AssertClean());
        Assert.Contains("error record inner[1] Exception.Message", failure.Message);
        Assert.Contains("error record ToString()", failure.Message);
        Assert.Contains("output.Token", failure.Message);
        Assert.Contains("first 8 characters", failure.Message);
        Assert.DoesNotContain(secret.Substring(0, 8), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("verbose line 3", failure.Message);
    }

    [Fact]
    public void Clean_material_passes()
    {
        new SecretLeakScan("sk-live-4f8a9b2c7d1e6f30", null)
            .Lines("log", new[] { "token=***", "sk-live" })
            .Exception("error", new Exception("no secret"))
            .AssertClean();
    }
}
