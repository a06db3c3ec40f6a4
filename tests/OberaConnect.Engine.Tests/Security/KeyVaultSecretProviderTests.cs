using Azure.Identity;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Fakes.KeyVault;
using static OberaConnect.Engine.Tests.Security.KeyVaultTestSupport;

namespace OberaConnect.Engine.Tests.Security;

public sealed class KeyVaultSecretProviderTests : IAsyncLifetime
{
    private const string NotionToken = "ntn_5Qh2Zr8Wm1Xc7Vb3Nk9Lp4Tg6Yd0Sa2Fj";
    private const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOi.fake-vault-access-token-7Rk2";
    private KeyVaultFake _fake = null!;
    private readonly IssuingCredential _credential = new(AccessToken);
    private readonly SecretRedactor _redactor = new();

    public async Task InitializeAsync()
    {
        _fake = await KeyVaultFake.StartAsync();
        _fake.AcceptedToken = AccessToken;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Answers_the_bearer_challenge_with_a_token_for_the_vault_resource_and_tenant_then_reads_the_secret()
    {
        _fake.SetSecret("notion-token", NotionToken + "\n");
        var provider = Provider(_fake, _credential, _redactor);

        var value = await provider.GetSecretAsync("notion-token", default);

        Assert.Equal(NotionToken, value); // trimmed: pasted values often end in a newline
        var requests = _fake.Requests;
        Assert.True(requests.Count >= 2, $"expected a challenge round trip, saw {requests.Count} request(s)");
        Assert.Null(requests[0].BearerToken);
        Assert.Equal(AccessToken, requests[^1].BearerToken);
        Assert.All(requests, r => Assert.Contains("api-version=", r.Query));
        Assert.Equal("/secrets/notion-token", requests[^1].Path.TrimEnd('/'));
        var tokenRequest = Assert.Single(_credential.Requests);
        Assert.Equal(new[] { "https://vault.azure.net/.default" }, tokenRequest.Scopes);
        Assert.Equal(_fake.TenantId, tokenRequest.TenantId);
        Assert.Equal("key *** used", _redactor.Redact($"key {NotionToken} used"));
        Assert.True(provider.Statistics.Requests >= 2);
    }

    [Fact]
    public async Task Reads_a_named_version_and_the_token_is_reused_for_later_requests()
    {
        var first = _fake.SetSecret("unifi-api-key", "unifi-key-version-one-1234");
        _fake.SetSecret("unifi-api-key", "unifi-key-version-two-5678");
        var provider = Provider(_fake, _credential, _redactor);

        Assert.Equal("unifi-key-version-two-5678", await provider.GetSecretAsync("unifi-api-key", default));
        Assert.Equal("unifi-key-version-one-1234", await provider.GetSecretAsync("unifi-api-key/" + first, default));

        Assert.EndsWith("/secrets/unifi-api-key/" + first, _fake.Requests[^1].Path);
        Assert.Single(_credential.Requests);
    }

    [Fact]
    public async Task A_missing_secret_is_null_so_the_resolver_can_ask_the_next_store()
    {
        var provider = Provider(_fake, _credential, _redactor);
        Assert.Null(await provider.GetSecretAsync("ninjaone-client-secret", default));
        Assert.Contains(_fake.Requests, r => r.BearerToken == AccessToken && r.Path.Contains("ninjaone-client-secret"));
    }

    [Fact]
    public async Task A_disabled_secret_is_a_clear_error_naming_it()
    {
        _fake.SetSecret("notion-token", NotionToken, enabled: false);
        var provider = Provider(_fake, _credential, _redactor);

        var ex = await Assert.ThrowsAsync<KeyVaultSecretDisabledException>(() => provider.GetSecretAsync("notion-token", default));

        Assert.Equal("KeyVaultSecretDisabled", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidState, ex.Kind);
        Assert.Contains("'notion-token'", ex.Message);
        Assert.Contains("disabled", ex.Message);
        Assert.Contains(_fake.VaultUri.ToString(), ex.Message);
        new SecretLeakScan(NotionToken, AccessToken).Exception("disabled-secret error", ex).AssertClean();
    }

    [Theory]
    [InlineData("ForbiddenByRbac")]
    [InlineData("AccessDenied")]
    public async Task A_403_names_the_identity_and_the_permission_it_needs(string denial)
    {
        _fake.DenyWith = denial;
        var options = Options(_fake, KeyVaultCredentialKind.ManagedIdentity, clientId: "9a8b7c6d-1111-2222-3333-444455556666");
        var provider = Provider(_fake, _credential, _redactor, options);

        var ex = await Assert.ThrowsAsync<KeyVaultAccessDeniedException>(() => provider.GetSecretAsync("notion-token", default));

        Assert.Equal("KeyVaultAccessDenied", ex.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
        Assert.Equal(403, ex.StatusCode);
        Assert.Contains("user-assigned managed identity (client id 9a8b7c6d-1111-2222-3333-444455556666)", ex.Message);
        Assert.Contains("Key Vault Secrets User", ex.Message);
        Assert.Contains("'Get' permission", ex.Message);
        Assert.Contains(denial, ex.Message);
        Assert.IsNotType<SecretStoreUnavailableException>(ex);
    }

    [Fact]
    public async Task A_rejected_token_is_an_authentication_error_naming_the_service_principal()
    {
        _fake.AcceptedToken = "some-other-token-the-vault-expects";
        var options = Options(_fake, KeyVaultCredentialKind.ClientSecret, clientId: "0f0f0f0f-aaaa-bbbb-cccc-dddddddddddd");
        var provider = Provider(_fake, _credential, _redactor, options);

        var ex = await Assert.ThrowsAsync<KeyVaultAccessDeniedException>(() => provider.GetSecretAsync("notion-token", default));

        Assert.Equal("KeyVaultAuthenticationFailed", ex.ErrorId);
        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("service principal (client id 0f0f0f0f-aaaa-bbbb-cccc-dddddddddddd", ex.Message);
        new SecretLeakScan(AccessToken, options.ClientSecret).Exception("401 error", ex).AssertClean();
    }

    [Fact]
    public async Task A_vault_that_is_down_raises_store_unavailable_and_the_resolver_falls_back_to_environment_variables_with_one_warning()
    {
        var provider = Provider(_fake, _credential, _redactor);
        await _fake.StopAsync(); // port closed: connection refused

        var direct = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => provider.GetSecretAsync("notion-token", default));
        Assert.Equal("SecretStoreUnavailable", direct.ErrorId);
        Assert.Contains("Azure Key Vault", direct.Message);

        var environment = new FakeSystemEnvironment("/nowhere").Set("NOTION_TOKEN", NotionToken).Set("UNIFI_API_KEY", "unifi-key-from-env-0099");
        var output = new RecordingOutput();
        var resolver = new CredentialResolver(new SecretSettings(), provider, environment, _redactor, output);

        var set = await resolver.ResolveAsync(new[] { new CredentialRequest(CredentialKind.NotionToken), new CredentialRequest(CredentialKind.UniFiApiKey) }, default);
        Assert.Equal(NotionToken, set[CredentialKind.NotionToken].Value.Reveal());
        Assert.Equal("unifi-key-from-env-0099", set[CredentialKind.UniFiApiKey].Value.Reveal());

        var warning = Assert.Single(output.Warnings);
        Assert.Contains("Azure Key Vault", warning);
        Assert.StartsWith("Key Vault down: fallback to env vars.", warning);
        Assert.Equal(CredentialSource.EnvironmentVariable, set[CredentialKind.NotionToken].Source);
        Assert.Equal("environment variable NOTION_TOKEN (Key Vault unreachable)", set[CredentialKind.NotionToken].Origin);
        Assert.Contains(provider.Name, set.KeyVaultFailure);
        new SecretLeakScan(NotionToken).Exception("vault down", direct).Lines("warnings", output.Warnings).Lines("verbose", output.VerboseLines)
            .Text("credential set", set.ToString()).AssertClean();
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_shared_pipeline_and_an_outage_becomes_store_unavailable()
    {
        _fake.SetSecret("notion-token", NotionToken);
        var provider = Provider(_fake, _credential, _redactor);
        Assert.Equal(NotionToken, await provider.GetSecretAsync("notion-token", default)); // challenge done

        _fake.FailNext(429, 1, retryAfter: "0");
        Assert.Equal(NotionToken, await provider.GetSecretAsync("notion-token", default));
        Assert.Equal(1, provider.Statistics.RateLimited);

        _fake.FailNext(503, 2); // MaxRetries = 1: both attempts fail
        var ex = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => provider.GetSecretAsync("notion-token", default));
        Assert.Contains("503", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("notion_token")]
    [InlineData("notion token")]
    [InlineData("notion.token")]
    [InlineData("tök")]
    public async Task An_invalid_secret_name_fails_before_any_request(string name)
    {
        var provider = Provider(_fake, _credential, _redactor);
        var ex = await Assert.ThrowsAsync<InvalidSecretNameException>(() => provider.GetSecretAsync(name, default));
        Assert.Equal("InvalidSecretName", ex.ErrorId);
        Assert.Contains("1-127 characters of letters, digits and '-'", ex.Message);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task A_name_of_128_characters_is_refused_and_127_is_accepted()
    {
        var provider = Provider(_fake, _credential, _redactor);
        await Assert.ThrowsAsync<InvalidSecretNameException>(() => provider.GetSecretAsync(new string('a', 128), default));
        Assert.Empty(_fake.Requests);
        Assert.Null(await provider.GetSecretAsync(new string('a', 127), default));
    }

    [Fact]
    public async Task No_identity_available_is_store_unavailable_but_a_failed_sign_in_is_an_authentication_error()
    {
        _credential.Failure = new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.");
        var provider = Provider(_fake, _credential, _redactor);
        var unavailable = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => provider.GetSecretAsync("notion-token", default));
        Assert.Contains("system-assigned managed identity", unavailable.Message);

        var failing = new IssuingCredential(AccessToken) { Failure = new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS7000222: The provided client secret keys are expired.") };
        var options = Options(_fake, KeyVaultCredentialKind.ClientSecret);
        var provider2 = Provider(_fake, failing, _redactor, options);
        var denied = await Assert.ThrowsAsync<KeyVaultAccessDeniedException>(() => provider2.GetSecretAsync("notion-token", default));
        Assert.Equal("KeyVaultAuthenticationFailed", denied.ErrorId);
        Assert.Contains("AADSTS7000222", denied.Message);
        Assert.Contains("client secret has not expired", denied.Message);
    }

    [Fact]
    public async Task The_http_trace_and_every_error_stay_free_of_secret_values_and_tokens()
    {
        var tracePath = Path.Combine(Path.GetTempPath(), "oc-kv-trace-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            _fake.SetSecret("notion-token", NotionToken);
            _fake.SetSecret("disabled-one", "disabled-value-abcdefgh", enabled: false);
            var options = Options(_fake, KeyVaultCredentialKind.ClientSecret);
            var provider = Provider(_fake, _credential, _redactor, options, new HttpTraceWriter(tracePath, _redactor));

            Assert.Equal(NotionToken, await provider.GetSecretAsync("notion-token", default));
            Assert.Null(await provider.GetSecretAsync("missing-one", default));
            var disabled = await Assert.ThrowsAsync<KeyVaultSecretDisabledException>(() => provider.GetSecretAsync("disabled-one", default));
            _fake.DenyWith = "ForbiddenByRbac";
            var denied = await Assert.ThrowsAsync<KeyVaultAccessDeniedException>(() => provider.GetSecretAsync("notion-token", default));

            var trace = File.ReadAllLines(tracePath);
            Assert.True(trace.Length >= 5, $"expected a trace line per attempt, got {trace.Length}");
            Assert.Contains(trace, l => l.Contains("\"status\":200"));
            new SecretLeakScan(NotionToken, AccessToken, options.ClientSecret)
                .Lines("HTTP trace", trace)
                .Exception("disabled error", disabled)
                .Exception("denied error", denied)
                .Object("provider", new { provider.Name, provider.VaultUri, provider.Statistics })
                .AssertClean();
        }
        finally
        {
            File.Delete(tracePath);
        }
    }

    [Fact]
    public void The_credential_kind_chooses_the_Azure_Identity_credential()
    {
        var managed = new KeyVaultSecretProviderOptions { VaultUri = "contoso-ops", Credential = KeyVaultCredentialKind.ManagedIdentity };
        Assert.IsType<ManagedIdentityCredential>(KeyVaultSecretProvider.CreateCredential(managed.Validate()));
        managed.ManagedIdentityClientId = "9a8b7c6d-1111-2222-3333-444455556666";
        Assert.IsType<ManagedIdentityCredential>(KeyVaultSecretProvider.CreateCredential(managed.Validate()));

        var principal = new KeyVaultSecretProviderOptions
        {
            VaultUri = "https://contoso-ops.vault.azure.net", Credential = KeyVaultCredentialKind.ClientSecret,
            TenantId = "contoso.onmicrosoft.com", ClientId = "11111111-2222-3333-4444-555555555555", ClientSecret = "cs~abcdefghijklmnop",
        };
        Assert.IsType<ClientSecretCredential>(KeyVaultSecretProvider.CreateCredential(principal.Validate()));

        var chain = new KeyVaultSecretProviderOptions { VaultUri = "https://contoso-ops.vault.azure.net/" };
        Assert.IsType<DefaultAzureCredential>(KeyVaultSecretProvider.CreateCredential(chain.Validate()));
    }

    [Theory]
    [InlineData("contoso-ops", "https://contoso-ops.vault.azure.net/")]
    [InlineData("https://Contoso-Ops.vault.azure.net", "https://contoso-ops.vault.azure.net/")]
    [InlineData("https://contoso-ops.vault.usgovcloudapi.net/", "https://contoso-ops.vault.usgovcloudapi.net/")]
    public void Vault_uris_are_accepted_in_canonical_form(string input, string expected)
        => Assert.Equal(expected, new KeyVaultSecretProviderOptions { VaultUri = input }.ResolveVaultUri().ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("http://contoso-ops.vault.azure.net/", "https")]
    [InlineData("https://contoso-ops.vault.azure.net/secrets/x", "without a path")]
    [InlineData("https://contoso.example.com/", "not a Key Vault address")]
    [InlineData("https://c.vault.azure.net/", "not a valid vault name")]
    [InlineData("con$oso", "neither a URI nor a vault name")]
    public void Bad_vault_uris_are_refused_with_what_is_wrong(string input, string expected)
    {
        var ex = Assert.Throws<OberaConnectException>(() => new KeyVaultSecretProviderOptions { VaultUri = input }.Validate());
        Assert.Equal("KeyVaultConfigurationInvalid", ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Client_secret_settings_are_checked_and_the_secret_is_registered_before_anything_can_echo_it()
    {
        var options = new KeyVaultSecretProviderOptions
        {
            VaultUri = "contoso-ops", Credential = KeyVaultCredentialKind.ClientSecret,
            TenantId = "72f988bf-0000-4000-8000-00000000f00d", ClientId = "not-a-guid", ClientSecret = "cs~Zx9Yw8Vu7Ts6Rq5Po4",
        };
        var ex = Assert.Throws<OberaConnectException>(() => options.Validate());
        Assert.Contains("ClientId 'not-a-guid'", ex.Message);

        options.ClientId = "11111111-2222-3333-4444-555555555555";
        var redactor = new SecretRedactor();
        _ = new KeyVaultSecretProvider(options, redactor);
        Assert.Equal("x *** y", redactor.Redact("x cs~Zx9Yw8Vu7Ts6Rq5Po4 y"));
    }

    [Fact]
    public async Task The_probe_reports_healthy_for_a_readable_secret_and_degraded_for_a_missing_one_without_the_value()
    {
        _fake.SetSecret("notion-token", NotionToken);
        var provider = Provider(_fake, _credential, _redactor);
        var healthy = await provider.ProbeAsync("notion-token", default);
        var missing = await provider.ProbeAsync("absent", default);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Degraded, missing.Status);
        new SecretLeakScan(NotionToken).Object("probe", healthy).AssertClean();
    }
}
