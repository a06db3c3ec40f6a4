using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Tests.Http;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***")]
    [InlineData("{\"access_token\":\"eyJhbGciOi\",\"expires_in\":3600}", "{\"access_token\":\"***\",\"expires_in\":3600}")]
    [InlineData("grant_type=client_credentials&client_secret=s3cr3t&scope=monitoring", "grant_type=client_credentials&client_secret=***&scope=monitoring")]
    [InlineData("token ntn_1234567890abcdefghijKLMNOP was used", "token *** was used")]
    public void Secret_shapes_are_masked_even_when_not_registered(string input, string expected)
        => Assert.Equal(expected, new SecretRedactor().Redact(input));

    [Fact]
    public void Registered_values_are_masked_anywhere()
    {
        var r = new SecretRedactor();
        r.Register("plain-api-key-value-42");
        Assert.Equal("key=*** tail", r.Redact("key=plain-api-key-value-42 tail"));
        Assert.Equal("nothing here", r.Redact("nothing here"));
    }
}
