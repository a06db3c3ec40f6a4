using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Tests.Configuration;

/// <summary>secrets.keyVaultCredential, keyVaultClientId and keyVaultTenantId: how the module signs in to the vault.</summary>
public sealed class KeyVaultSettingsTests : IDisposable
{
    private const string Vault = "\"keyVaultUri\": \"https://contoso-ops.vault.azure.net/\"";
    private readonly TempFolder _temp = new();
    private readonly FakeSystemEnvironment _env;

    public KeyVaultSettingsTests() => _env = new FakeSystemEnvironment(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private OberaConnectConfiguration Parse(string secrets) => ConfigurationFile.Parse("{\"secrets\": {" + secrets + "}}", Path.Combine(_temp.Path, "config.json"), _env);

    private ConfigurationProblem Problem(string secrets)
    {
        var ex = Assert.ThrowsAny<ConfigurationException>(() => Parse(secrets));
        return Assert.Single(ex.Problems);
    }

    [Fact]
    public void The_default_is_the_default_chain_with_no_client_or_tenant()
    {
        var config = Parse(Vault);
        Assert.Equal("defaultChain", config.Secrets.KeyVaultCredential);
        Assert.Null(config.Secrets.KeyVaultClientId);
        Assert.Null(config.Secrets.KeyVaultTenantId);
    }

    [Theory]
    [InlineData("ManagedIdentity", "managedIdentity")]
    [InlineData("CLIENTSECRET", "clientSecret")]
    [InlineData("defaultchain", "defaultChain")]
    public void The_credential_kind_is_read_ignoring_case(string written, string expected)
    {
        var config = Parse($"{Vault}, \"keyVaultCredential\": \"{written}\", \"keyVaultClientId\": \"11111111-2222-3333-4444-555555555555\", \"keyVaultTenantId\": \"contoso.onmicrosoft.com\"");
        Assert.Equal(expected, config.Secrets.KeyVaultCredential);
    }

    [Fact]
    public void An_unknown_credential_kind_is_refused_with_the_nearest_one()
    {
        var problem = Problem($"{Vault}, \"keyVaultCredential\": \"managedIdentiy\"");
        Assert.Equal(ConfigurationErrors.InvalidValue, problem.ErrorId);
        Assert.Equal("secrets.keyVaultCredential", problem.Setting);
        Assert.Contains("Did you mean 'managedIdentity'?", problem.Message);
    }

    [Fact]
    public void Client_ids_are_GUIDs_kept_in_lower_case()
    {
        Assert.Equal("9a8b7c6d-1111-2222-3333-444455556666", Parse($"{Vault}, \"keyVaultClientId\": \"9A8B7C6D-1111-2222-3333-444455556666\"").Secrets.KeyVaultClientId);
        var problem = Problem($"{Vault}, \"keyVaultClientId\": \"my-app\"");
        Assert.Equal("secrets.keyVaultClientId", problem.Setting);
        Assert.Contains("not an application (client) id", problem.Message);
    }

    [Fact]
    public void Tenants_are_GUIDs_or_domains()
    {
        Assert.Equal("contoso.onmicrosoft.com", Parse($"{Vault}, \"keyVaultTenantId\": \"contoso.onmicrosoft.com\"").Secrets.KeyVaultTenantId);
        Assert.Equal("72f988bf-0000-4000-8000-00000000f00d", Parse($"{Vault}, \"keyVaultTenantId\": \"72f988bf-0000-4000-8000-00000000f00d\"").Secrets.KeyVaultTenantId);
        Assert.Equal("secrets.keyVaultTenantId", Problem($"{Vault}, \"keyVaultTenantId\": \"contoso\"").Setting);
    }

    [Fact]
    public void Client_secret_sign_in_needs_the_tenant_and_the_client_id()
    {
        var problem = Problem($"{Vault}, \"keyVaultCredential\": \"clientSecret\", \"keyVaultClientId\": \"11111111-2222-3333-4444-555555555555\"");
        Assert.Equal("secrets.keyVaultCredential", problem.Setting);
        Assert.Contains("secrets.keyVaultTenantId", problem.Message);
        // Without a vault the sign-in settings do not matter.
        Assert.Equal("clientSecret", Parse("\"keyVaultCredential\": \"clientSecret\"").Secrets.KeyVaultCredential);
    }

    [Fact]
    public void The_client_secret_itself_has_no_place_in_the_file()
    {
        var ex = Assert.ThrowsAny<ConfigurationException>(() => Parse($"{Vault}, \"keyVaultClientSecret\": \"Qx8~vT2mLr5.Nw7pZk3-Hs9Jd4Gf6Ac1Yb0\""));
        Assert.Equal(ConfigurationErrors.SecretValueNotAllowed, ex.ErrorId);
        Assert.DoesNotContain("Qx8~vT2m", ex.Message);
    }

    [Fact]
    public void The_sample_file_names_the_sign_in_settings_and_loads()
    {
        var sample = ConfigurationFile.Sample();
        Assert.Contains("\"keyVaultCredential\": \"defaultChain\"", sample);
        Assert.Contains("\"keyVaultClientId\": null", sample);
        Assert.Contains("\"keyVaultTenantId\": null", sample);
        Assert.Equal("defaultChain", ConfigurationFile.Parse(sample, Path.Combine(_temp.Path, "sample.json"), _env).Secrets.KeyVaultCredential);
    }
}
