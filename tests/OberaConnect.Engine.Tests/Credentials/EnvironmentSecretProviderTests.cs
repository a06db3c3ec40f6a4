using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;

namespace OberaConnect.Engine.Tests.Credentials;

public class EnvironmentSecretProviderTests
{
    private readonly FakeSystemEnvironment _env = new("/nowhere");
    private readonly SecretRedactor _redactor = new();

    private CredentialResolver Resolver() => new(new SecretSettings(), null, _env, _redactor);

    [Fact]
    public async Task Looks_up_the_prefixed_then_the_plain_name()
    {
        var provider = new EnvironmentSecretProvider(_env);
        Assert.Equal(new[] { "OBERACONNECT_NOTION_TOKEN", "NOTION_TOKEN" }, EnvironmentSecretProvider.VariableNames("NOTION_TOKEN"));
        Assert.Equal(new[] { "OBERACONNECT_NOTION_TOKEN" }, EnvironmentSecretProvider.VariableNames("OBERACONNECT_NOTION_TOKEN"));

        _env.Set("NOTION_TOKEN", "ntn_generic_value_1234567890");
        Assert.Equal("ntn_generic_value_1234567890", await provider.GetSecretAsync("NOTION_TOKEN", default));
        var found = provider.Find("NOTION_TOKEN")!;
        Assert.Equal(("NOTION_TOKEN", "ntn_generic_value_1234567890"), (found.Variable, found.Value.Reveal()));
        Assert.Equal("environment variable NOTION_TOKEN", found.ToString()); // the name, never the value

        _env.Set("OBERACONNECT_NOTION_TOKEN", "  ntn_module_specific_value_99\r\n");
        Assert.Equal("OBERACONNECT_NOTION_TOKEN", provider.Find("NOTION_TOKEN")!.Variable);
        var resolved = await Resolver().ResolveAsync(CredentialKind.NotionToken, null, default);
        Assert.Equal("ntn_module_specific_value_99", resolved.Value.Reveal()); // trimmed by the resolver
        Assert.Equal("environment variable OBERACONNECT_NOTION_TOKEN", resolved.Origin);
    }

    [Fact]
    public async Task Unset_and_blank_variables_are_missing()
    {
        var provider = new EnvironmentSecretProvider(_env.Set("UNIFI_API_KEY", "   ").Set("OBERACONNECT_NINJAONE_CLIENT_ID", ""));
        Assert.Null(await provider.GetSecretAsync("UNIFI_API_KEY", default));
        Assert.Null(await provider.GetSecretAsync("NINJAONE_CLIENT_SECRET", default));
        Assert.Null(provider.Find("NINJAONE_CLIENT_ID"));
        await Assert.ThrowsAsync<CredentialNotFoundException>(() => Resolver().ResolveAsync(CredentialKind.UniFiApiKey, null, default));

        // A blank module-specific variable does not hide the plain one.
        _env.Set("OBERACONNECT_UNIFI_API_KEY", " \t").Set("UNIFI_API_KEY", "k3yFromEnvironment-0001");
        Assert.Equal("environment variable UNIFI_API_KEY", (await Resolver().ResolveAsync(CredentialKind.UniFiApiKey, null, default)).Origin);
    }

    [Theory]
    [InlineData("your-key")]
    [InlineData("your_notion_token_here")]
    [InlineData("ntn_xxx...")]
    [InlineData("<token>")]
    [InlineData("changeme")]
    public async Task Placeholder_values_from_env_templates_are_refused_without_echoing_them(string placeholder)
    {
        _env.Set("OBERACONNECT_NOTION_TOKEN", placeholder).Set("NOTION_TOKEN", "ntn_real_value_not_reached_0001");
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => Resolver().ResolveAsync(CredentialKind.NotionToken, null, default));
        Assert.Equal("CredentialPlaceholderValue", ex.ErrorId);
        Assert.Contains("OBERACONNECT_NOTION_TOKEN", ex.Message);
        Assert.DoesNotContain(placeholder, ex.Message);
    }

    [Fact]
    public async Task Windows_variable_names_match_without_case()
    {
        var windows = new FakeSystemEnvironment(@"C:\", windows: true).Set("Notion_Token", "ntn_windows_value_abcdef12");
        Assert.Equal("ntn_windows_value_abcdef12", await new EnvironmentSecretProvider(windows).GetSecretAsync("NOTION_TOKEN", default));
    }
}
