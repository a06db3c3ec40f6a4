using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Engine.Tests.Operations;

namespace OberaConnect.Engine.Tests.Security;

/// <summary>
/// The connection's Key Vault as the module wires it (ConnectionFactory → <see cref="ConfiguredKeyVault"/>): a
/// configuration naming the HTTPS Key Vault fake, a token credential double for the sign-in.
/// </summary>
public sealed class ConfiguredKeyVaultTests
{
    private const string ClientSecret = "Qx8~vT2mLr5.Nw7pZk3-Hs9Jd4Gf6Ac1Yb0";
    private const string TenantId = "72f988bf-0000-4000-8000-00000000f00d";
    private const string AppId = "11111111-2222-3333-4444-555555555555";
    private const string ClientSecretConfiguration =
        "{\"secrets\": {\"keyVaultUri\": \"https://contoso-ops.vault.azure.net/\", \"keyVaultCredential\": \"clientSecret\", " +
        "\"keyVaultClientId\": \"" + AppId + "\", \"keyVaultTenantId\": \"" + TenantId + "\"}}";

    [Fact]
    public async Task A_configuration_naming_the_vault_resolves_the_Notion_token_from_it()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true, seed: false);
        workspace.Environment.Set("NOTION_TOKEN", null);
        workspace.Vault!.SetSecret("notion-token", workspace.Notion.Token + "\n");
        var output = new CapturedOutput();
        using var connection = workspace.Open(workspace.WriteConfiguration(), output);

        var bot = await connection.VerifyNotionAsync(default);

        Assert.Equal("OberaConnect Fake Integration", bot.Name);
        var resolved = Assert.Single(connection.ResolvedCredentials);
        Assert.Equal(CredentialSource.KeyVault, resolved.Source);
        Assert.Contains($"Azure Key Vault secret 'notion-token' (Azure Key Vault ({workspace.Vault.VaultUri}))", resolved.Origin);
        Assert.Contains(workspace.Vault.Requests, r => r.BearerToken == workspace.VaultCredential.Token && r.Path.EndsWith("/secrets/notion-token", StringComparison.Ordinal));
        Assert.IsType<KeyVaultSecretProvider>(connection.KeyVault);
        Assert.Contains(output.Lines, l => l.Contains("signing in as the system-assigned managed identity", StringComparison.Ordinal));
        Assert.Equal("token ***", connection.Redactor.Redact("token " + workspace.Notion.Token));
    }

    [Fact]
    public async Task The_secret_names_of_the_configuration_are_the_ones_read()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true, seed: false);
        workspace.Environment.Set("NOTION_TOKEN", null);
        workspace.Vault!.SetSecret("ops-notion", workspace.Notion.Token);
        var config = workspace.WriteConfiguration(tweak: root => root["secrets"]!["notionTokenSecretName"] = "ops-notion");
        using var connection = workspace.Open(config);

        await connection.VerifyNotionAsync(default);

        Assert.Contains("'ops-notion'", connection.ResolvedCredentials[0].Origin);
    }

    [Fact]
    public async Task Vault_down_falls_back_to_the_environment_with_the_warning()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true, seed: false);
        await workspace.Vault!.StopAsync();
        var output = new CapturedOutput();
        using var connection = workspace.Open(workspace.WriteConfiguration(), output);

        var bot = await connection.VerifyNotionAsync(default);

        Assert.Equal("OberaConnect Fake Integration", bot.Name);
        var resolved = Assert.Single(connection.ResolvedCredentials);
        Assert.Equal(CredentialSource.EnvironmentVariable, resolved.Source);
        Assert.Equal("environment variable NOTION_TOKEN (Key Vault unreachable)", resolved.Origin);
        var warning = Assert.Single(output.Warnings);
        Assert.StartsWith("Key Vault down: fallback to env vars.", warning);
    }

    [Fact]
    public async Task A_disabled_secret_is_a_clear_error_and_not_a_silent_fallback()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(vault: true, seed: false);
        workspace.Vault!.SetSecret("notion-token", workspace.Notion.Token, enabled: false);
        var output = new CapturedOutput();
        using var connection = workspace.Open(workspace.WriteConfiguration(), output);

        var ex = await Assert.ThrowsAsync<KeyVaultSecretDisabledException>(() => connection.VerifyNotionAsync(default));

        Assert.Equal("KeyVaultSecretDisabled", ex.ErrorId);
        Assert.Contains("'notion-token'", ex.Message);
        Assert.Contains("is disabled", ex.Message);
        Assert.Contains("Enable it", ex.Message);
        Assert.Empty(connection.ResolvedCredentials); // the environment's token was not used instead
        Assert.Empty(output.Warnings);
        Assert.Equal(0, workspace.Notion.Requests.Total);
    }

    [Fact]
    public void No_vault_in_the_configuration_means_no_provider()
    {
        using var folder = new TempFolder();
        var env = new FakeSystemEnvironment(folder.Path);
        var options = new ConnectionOptions { ConfigPath = folder.File("config.json", "{}"), Environment = env };
        options.KeyVaultFactory = ConfiguredKeyVault.Factory(options);

        using var connection = OberaConnectConnection.Open(options);

        Assert.Null(connection.KeyVault);
    }

    [Fact]
    public void The_public_factory_builds_a_provider_for_the_configured_vault_without_sending_anything()
    {
        using var folder = new TempFolder();
        var env = new FakeSystemEnvironment(folder.Path);
        var options = new ConnectionOptions
        {
            ConfigPath = folder.File("config.json", """{"secrets": {"keyVaultUri": "https://contoso-ops.vault.azure.net/", "keyVaultCredential": "managedIdentity", "keyVaultClientId": "9A8B7C6D-1111-2222-3333-444455556666"}}"""),
            Environment = env,
        };
        options.KeyVaultFactory = ConfiguredKeyVault.Factory(options);
        var output = new CapturedOutput();

        using var connection = OberaConnectConnection.Open(options, output);

        var provider = Assert.IsType<KeyVaultSecretProvider>(connection.KeyVault);
        Assert.Equal(new Uri("https://contoso-ops.vault.azure.net/"), provider.VaultUri);
        Assert.Equal(0, provider.Statistics.Requests);
        Assert.Contains(output.Lines, l => l.Contains("user-assigned managed identity (client id 9a8b7c6d-1111-2222-3333-444455556666)", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_secret_sign_in_takes_the_secret_from_the_environment_and_masks_it()
    {
        using var folder = new TempFolder();
        var env = new FakeSystemEnvironment(folder.Path).Set("OBERACONNECT_AZURE_CLIENT_SECRET", ClientSecret + "\r\n");
        var options = new ConnectionOptions
        {
            ConfigPath = folder.File("config.json", ClientSecretConfiguration),
            Environment = env,
        };
        options.KeyVaultFactory = ConfiguredKeyVault.Factory(options);
        var output = new CapturedOutput();

        using var connection = OberaConnectConnection.Open(options, output);

        Assert.IsType<KeyVaultSecretProvider>(connection.KeyVault);
        Assert.Equal("secret ***", connection.Redactor.Redact("secret " + ClientSecret));
        Assert.Contains(output.Lines, l => l.Contains($"the service principal (client id {AppId}, tenant {TenantId})", StringComparison.Ordinal));
        new SecretLeakScan(ClientSecret).Lines("output", output.Lines).AssertClean();
    }

    [Fact]
    public void Client_secret_sign_in_prefers_the_secret_passed_in_the_options()
    {
        var secrets = new SecretSettings
        {
            KeyVaultUri = "https://contoso-ops.vault.azure.net/", KeyVaultCredential = "clientSecret", KeyVaultClientId = AppId, KeyVaultTenantId = "contoso.onmicrosoft.com",
        };

        var mapped = ConfiguredKeyVault.ProviderOptions(secrets, ClientSecret);

        Assert.Equal(KeyVaultCredentialKind.ClientSecret, mapped.Credential);
        Assert.Equal(ClientSecret, mapped.ClientSecret);
        Assert.Equal("contoso.onmicrosoft.com", mapped.TenantId);
        Assert.Equal(AppId, mapped.ClientId);
        Assert.Null(mapped.ManagedIdentityClientId);
    }

    [Fact]
    public void Client_secret_sign_in_without_a_secret_says_which_variable_to_set()
    {
        using var folder = new TempFolder();
        var env = new FakeSystemEnvironment(folder.Path);
        var options = new ConnectionOptions
        {
            ConfigPath = folder.File("config.json", ClientSecretConfiguration),
            Environment = env,
        };
        options.KeyVaultFactory = ConfiguredKeyVault.Factory(options);

        var ex = Assert.Throws<OberaConnectException>(() => OberaConnectConnection.Open(options));

        Assert.Equal("KeyVaultClientSecretMissing", ex.ErrorId);
        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains("OBERACONNECT_AZURE_CLIENT_SECRET or AZURE_CLIENT_SECRET", ex.Message);
        Assert.Contains(AppId, ex.Message);
    }

    [Theory]
    [InlineData("defaultChain", KeyVaultCredentialKind.DefaultChain)]
    [InlineData("managedIdentity", KeyVaultCredentialKind.ManagedIdentity)]
    public void Identity_kinds_map_to_the_provider_and_the_client_id_names_a_user_assigned_identity(string setting, KeyVaultCredentialKind expected)
    {
        var secrets = new SecretSettings { KeyVaultUri = "contoso-ops", KeyVaultCredential = setting, KeyVaultClientId = AppId };

        var mapped = ConfiguredKeyVault.ProviderOptions(secrets, clientSecret: "ignored-for-this-kind-123");

        Assert.Equal(expected, mapped.Credential);
        Assert.Equal(AppId, mapped.ManagedIdentityClientId);
        Assert.Null(mapped.ClientSecret);
        Assert.Equal(new Uri("https://contoso-ops.vault.azure.net/"), mapped.ResolveVaultUri());
    }
}
