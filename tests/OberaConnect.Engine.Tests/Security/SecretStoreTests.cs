using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Tests.Security;

public class EnvironmentSecretProviderTests
{
    private readonly SecretRedactor _redactor = new();

    [Fact]
    public async Task Looks_up_the_prefixed_then_the_conventional_then_the_exact_name()
    {
        var env = new DictionaryEnvironment().Set("NOTION_API_KEY", "ntn_generic_value_1234567890").Set("notion-api-key", "exact-name-value-123");
        var provider = new EnvironmentSecretProvider(_redactor, env);
        Assert.Equal(new[] { "OBERACONNECT_NOTION_API_KEY", "NOTION_API_KEY", "notion-api-key" }, provider.VariableNames("notion-api-key"));

        Assert.Equal("ntn_generic_value_1234567890", await provider.GetSecretAsync("notion-api-key", default));
        env.Set("OBERACONNECT_NOTION_API_KEY", "  ntn_module_specific_value_99\r\n");
        Assert.Equal("ntn_module_specific_value_99", await provider.GetSecretAsync("notion-api-key", default));
        env.Set("OBERACONNECT_NOTION_API_KEY", null).Set("NOTION_API_KEY", null);
        Assert.Equal("exact-name-value-123", await provider.GetSecretAsync("notion-api-key", default));
    }

    [Fact]
    public async Task Unset_and_blank_variables_are_missing()
    {
        var provider = new EnvironmentSecretProvider(_redactor, new DictionaryEnvironment().Set("UNIFI_API_KEY", "   "));
        Assert.Null(await provider.GetSecretAsync("unifi-api-key", default));
        Assert.Null(await provider.GetSecretAsync("ninjaone-client-secret", default));
    }

    [Fact]
    public async Task Values_read_are_registered_with_the_redactor()
    {
        var provider = new EnvironmentSecretProvider(_redactor, new DictionaryEnvironment().Set("NINJAONE_CLIENT_SECRET", "Zq8-ninja-secret-Wx4"));
        await provider.GetSecretAsync("ninjaone-client-secret", default);
        Assert.Equal("secret=*** end", _redactor.Redact("secret=Zq8-ninja-secret-Wx4 end"));
    }

    [Theory]
    [InlineData("your-key")]
    [InlineData("your_notion_token_here")]
    [InlineData("ntn_xxx...")]
    [InlineData("<token>")]
    [InlineData("changeme")]
    public async Task Placeholder_values_from_env_templates_are_refused_without_echoing_them(string placeholder)
    {
        var provider = new EnvironmentSecretProvider(_redactor, new DictionaryEnvironment().Set("NOTION_API_KEY", placeholder));
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => provider.GetSecretAsync("notion-api-key", default));
        Assert.Equal("SecretPlaceholderValue", ex.ErrorId);
        Assert.Contains("NOTION_API_KEY", ex.Message);
        Assert.DoesNotContain(placeholder, ex.Message);
    }

    [Fact]
    public async Task Windows_variable_names_match_without_case()
    {
        var env = new DictionaryEnvironment(new Dictionary<string, string> { ["Notion_Api_Key"] = "ntn_windows_value_abcdef12" }, isWindows: true);
        Assert.Equal("ntn_windows_value_abcdef12", await new EnvironmentSecretProvider(_redactor, env).GetSecretAsync("notion-api-key", default));
    }
}

public class SecretStoreChainTests
{
    private sealed class Store : ISecretProvider
    {
        public Store(string name, Func<string, string?> answer) { Name = name; Answer = answer; }
        public string Name { get; }
        public Func<string, string?> Answer { get; }
        public int Calls;
        public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken) { Calls++; return Task.FromResult(Answer(name)); }
    }

    [Fact]
    public async Task The_first_store_that_has_the_secret_wins()
    {
        var vault = new Store("vault", n => n == "a" ? "from-vault-value" : null);
        var env = new Store("env", _ => "from-env-value");
        var chain = new SecretStoreChain(new[] { vault, env });
        Assert.Equal("from-vault-value", await chain.GetSecretAsync("a", default));
        Assert.Equal("from-env-value", await chain.GetSecretAsync("b", default));
        Assert.Equal("vault", chain.Sources["a"]);
        Assert.Equal("env", chain.Sources["b"]);
    }

    [Fact]
    public async Task An_unavailable_store_is_warned_about_once_and_skipped_afterwards()
    {
        var vault = new Store("vault", _ => throw new SecretStoreUnavailableException("vault", "connection refused"));
        var env = new Store("environment variables", _ => "env-value-123456");
        var output = new RecordingOutput();
        var chain = new SecretStoreChain(new[] { vault, env }, output);
        await chain.GetSecretAsync("a", default);
        await chain.GetSecretAsync("b", default);
        Assert.Equal(1, vault.Calls);
        var warning = Assert.Single(output.Warnings);
        Assert.Equal("vault could not be used: connection refused Falling back to environment variables for the rest of this run.", warning);
    }

    [Fact]
    public async Task When_every_store_is_unavailable_the_error_surfaces()
    {
        var chain = new SecretStoreChain(new[] { new Store("vault", _ => throw new SecretStoreUnavailableException("vault", "down")) });
        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => chain.GetSecretAsync("a", default));
    }

    [Fact]
    public async Task Configuration_errors_are_not_swallowed_by_the_fallback()
    {
        var vault = new Store("vault", n => throw new KeyVaultSecretDisabledException("https://x.vault.azure.net/", n));
        var env = new Store("env", _ => "env-value-123456");
        var chain = new SecretStoreChain(new[] { vault, env });
        await Assert.ThrowsAsync<KeyVaultSecretDisabledException>(() => chain.GetSecretAsync("notion-token", default));
        Assert.Equal(0, env.Calls);
    }
}

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
