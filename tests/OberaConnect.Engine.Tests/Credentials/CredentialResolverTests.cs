using System.Collections.Concurrent;
using System.Text.Json;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;

namespace OberaConnect.Engine.Tests.Credentials;

/// <summary>A Key Vault stand-in: secrets by name, can be switched to unreachable, records what was asked.</summary>
internal sealed class InMemorySecretProvider : ISecretProvider
{
    private readonly Dictionary<string, string> _secrets;

    public InMemorySecretProvider(Dictionary<string, string>? secrets = null) => _secrets = secrets ?? new Dictionary<string, string>();

    public string Name => "Azure Key Vault (https://contoso-ops.vault.azure.net/)";

    public bool Unreachable { get; set; }

    public string UnreachableReason { get; set; } = "the vault did not answer (timeout)";

    public List<string> Asked { get; } = new();

    /// <summary>An error other than "unreachable" to throw for a secret name (a disabled secret, a refused identity).</summary>
    public Func<string, Exception>? Refuse { get; set; }

    public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Asked.Add(name);
        if (Unreachable) throw new SecretStoreUnavailableException(Name, UnreachableReason);
        if (Refuse is not null) throw Refuse(name);
        return Task.FromResult(_secrets.TryGetValue(name, out var v) ? v : null);
    }
}

internal sealed class RecordingOutput : IEngineOutput
{
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> Verbose { get; } = new();
    void IEngineOutput.Verbose(string message) => Verbose.Enqueue(message);
    public void Warning(string message) => Warnings.Enqueue(message);
    public void Progress(ProgressUpdate update) { }
}

public class CredentialResolverTests
{
    private const string VaultToken = "ntn_vault0000000000000000000000000000000000";
    private const string EnvToken = "ntn_envvar111111111111111111111111111111111";
    private const string ParamToken = "ntn_param2222222222222222222222222222222222";

    private readonly FakeSystemEnvironment _env = new("/nowhere");
    private readonly RecordingOutput _output = new();
    private readonly SecretRedactor _redactor = new();
    private readonly SecretSettings _settings = new();

    private CredentialResolver Resolver(ISecretProvider? vault) => new(_settings, vault, _env, _redactor, _output);

    [Fact]
    public async Task A_parameter_wins_and_the_vault_is_not_even_asked()
    {
        var vault = new InMemorySecretProvider(new() { ["notion-token"] = VaultToken });
        _env.Set("NOTION_TOKEN", EnvToken);
        var c = await Resolver(vault).ResolveAsync(CredentialKind.NotionToken, ParamToken, CancellationToken.None);
        Assert.Equal(ParamToken, c.Value.Reveal());
        Assert.Equal(CredentialSource.Parameter, c.Source);
        Assert.Equal("parameter -NotionToken", c.Origin);
        Assert.Empty(vault.Asked);
    }

    [Fact]
    public async Task Key_Vault_comes_before_environment_variables_under_the_configured_name()
    {
        _settings.NotionTokenSecretName = "ops-notion-token";
        var vault = new InMemorySecretProvider(new() { ["ops-notion-token"] = VaultToken });
        _env.Set("NOTION_TOKEN", EnvToken);
        var c = await Resolver(vault).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None);
        Assert.Equal(VaultToken, c.Value.Reveal());
        Assert.Equal(CredentialSource.KeyVault, c.Source);
        Assert.Equal(new[] { "ops-notion-token" }, vault.Asked);
        Assert.Contains("Azure Key Vault secret 'ops-notion-token'", c.Origin);
        Assert.Empty(_output.Warnings);
    }

    [Fact]
    public async Task Environment_variables_are_used_without_a_vault()
    {
        _env.Set("UNIFI_API_KEY", "k3yFromEnvironment-0001");
        var c = await Resolver(null).ResolveAsync(CredentialKind.UniFiApiKey, "  ", CancellationToken.None);
        Assert.Equal(CredentialSource.EnvironmentVariable, c.Source);
        Assert.Equal("environment variable UNIFI_API_KEY", c.Origin);
    }

    [Fact]
    public async Task A_secret_missing_from_the_vault_falls_to_the_environment_with_a_verbose_note()
    {
        var vault = new InMemorySecretProvider();
        _env.Set("NINJAONE_CLIENT_ID", "client-id-from-env-42");
        var c = await Resolver(vault).ResolveAsync(CredentialKind.NinjaOneClientId, null, CancellationToken.None);
        Assert.Equal(CredentialSource.EnvironmentVariable, c.Source);
        Assert.Equal(new[] { "ninjaone-client-id" }, vault.Asked);
        Assert.Contains(_output.Verbose, v => v.Contains("has no secret named 'ninjaone-client-id'"));
        Assert.Empty(_output.Warnings);
    }

    [Fact]
    public async Task When_the_vault_is_down_it_warns_once_and_falls_back_to_environment_variables()
    {
        var vault = new InMemorySecretProvider { Unreachable = true, UnreachableReason = "401 from login: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig" };
        _env.Set("NOTION_TOKEN", EnvToken).Set("UNIFI_API_KEY", "k3yFromEnvironment-0001");
        var set = await Resolver(vault).ResolveAsync(new[] { new CredentialRequest(CredentialKind.NotionToken), new CredentialRequest(CredentialKind.UniFiApiKey) }, CancellationToken.None);

        var warning = Assert.Single(_output.Warnings);
        Assert.StartsWith("Key Vault down: fallback to env vars.", warning);
        Assert.DoesNotContain("eyJhbGciOiJSUzI1NiJ9", warning);
        Assert.Single(vault.Asked);
        Assert.Equal(CredentialSource.EnvironmentVariable, set[CredentialKind.NotionToken].Source);
        Assert.Equal("environment variable NOTION_TOKEN (Key Vault unreachable)", set[CredentialKind.NotionToken].Origin);
        Assert.Equal(CredentialSource.EnvironmentVariable, set[CredentialKind.UniFiApiKey].Source);
        Assert.NotNull(set.KeyVaultFailure);
        Assert.Equal("NotionToken from environment variable NOTION_TOKEN (Key Vault unreachable); UniFiApiKey from environment variable UNIFI_API_KEY (Key Vault unreachable)", set.ToString());
        Assert.DoesNotContain(EnvToken, set.ToString());
    }

    [Fact]
    public async Task Vault_errors_that_mean_fix_the_configuration_are_raised_not_hidden_by_the_fallback()
    {
        var vault = new InMemorySecretProvider { Refuse = n => new KeyVaultSecretDisabledException("https://contoso-ops.vault.azure.net/", n) };
        _env.Set("NOTION_TOKEN", EnvToken);
        var resolver = Resolver(vault);
        var ex = await Assert.ThrowsAsync<KeyVaultSecretDisabledException>(() => resolver.ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None));
        Assert.Equal("notion-token", ex.SecretName);
        Assert.Empty(_output.Warnings);
        Assert.Null(resolver.KeyVaultFailure);
    }

    [Fact]
    public async Task Nothing_anywhere_is_an_error_naming_all_three_ways()
    {
        var ex = await Assert.ThrowsAsync<CredentialNotFoundException>(() => Resolver(null).ResolveAsync(CredentialKind.NinjaOneClientSecret, null, CancellationToken.None));
        Assert.Equal("CredentialNotFound", ex.ErrorId);
        Assert.Equal(CredentialKind.NinjaOneClientSecret, ex.Credential);
        Assert.Contains("-NinjaOneCredential", ex.Message);
        Assert.Contains("'ninjaone-client-secret' (setting secrets.ninjaOneClientSecretSecretName)", ex.Message);
        Assert.Contains("no Key Vault is configured", ex.Message);
        Assert.Contains("the environment variable OBERACONNECT_NINJAONE_CLIENT_SECRET or NINJAONE_CLIENT_SECRET", ex.Message);
    }

    [Fact]
    public async Task The_error_says_what_the_vault_answered()
    {
        var empty = await Assert.ThrowsAsync<CredentialNotFoundException>(() => Resolver(new InMemorySecretProvider()).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None));
        Assert.Contains("the Key Vault has no secret named 'notion-token'", empty.Message);
        var down = await Assert.ThrowsAsync<CredentialNotFoundException>(() => Resolver(new InMemorySecretProvider { Unreachable = true }).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None));
        Assert.Contains("could not be reached", down.Message);
        Assert.Contains("timeout", down.Message);
    }

    [Fact]
    public async Task Resolved_values_are_registered_with_the_redactor_and_trimmed()
    {
        _env.Set("NINJAONE_CLIENT_SECRET", "  pLain-s3cret-value-from-env\n");
        var c = await Resolver(null).ResolveAsync(CredentialKind.NinjaOneClientSecret, null, CancellationToken.None);
        Assert.Equal("pLain-s3cret-value-from-env", c.Value.Reveal());
        Assert.Equal("client_id=abc&other=***", _redactor.Redact("client_id=abc&other=pLain-s3cret-value-from-env"));
        Assert.DoesNotContain(_output.Verbose, v => v.Contains("pLain-s3cret"));
    }

    [Theory]
    [InlineData("your-key")]
    [InlineData("changeme")]
    [InlineData("<notion token>")]
    [InlineData("xxxxxxxx")]
    [InlineData("your_notion_token_here")]
    [InlineData("ntn_xxx...")]
    [InlineData("secret_XXXXXXXXXXXX")]
    [InlineData("none")]
    public async Task A_placeholder_credential_is_refused(string placeholder)
    {
        _env.Set("NOTION_TOKEN", placeholder);
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => Resolver(null).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None));
        Assert.Equal("CredentialPlaceholderValue", ex.ErrorId);
        Assert.Contains("environment variable NOTION_TOKEN", ex.Message);
        Assert.Contains("suspicious default value", ex.Message);
        Assert.DoesNotContain(placeholder, ex.Message);
    }

    [Theory]
    [InlineData("ntn_4Fq9kLmWp2Rz8Tb1Yc6Xxx")]
    [InlineData("secret_yourKeyIsHere1234567890abcdef")]
    [InlineData("Xxx-9f3c2a7b-client-secret")]
    public async Task Real_values_that_only_resemble_a_placeholder_are_accepted(string value)
    {
        _env.Set("NOTION_TOKEN", value);
        var c = await Resolver(null).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None);
        Assert.Equal(value, c.Value.Reveal());
    }

    [Fact]
    public async Task NinjaOne_id_and_secret_from_a_credential_parameter()
    {
        var set = await Resolver(new InMemorySecretProvider()).ResolveAsync(new[]
        {
            new CredentialRequest(CredentialKind.NinjaOneClientId, "client-id-0042"),
            new CredentialRequest(CredentialKind.NinjaOneClientSecret, "client-secret-s3cr3t-0042"),
        }, CancellationToken.None);
        Assert.Equal("client-secret-s3cr3t-0042", set[CredentialKind.NinjaOneClientSecret].Value.Reveal());
        Assert.All(set.Items, i => Assert.Equal(CredentialSource.Parameter, i.Source));
        Assert.Equal("parameter -NinjaOneCredential", set[CredentialKind.NinjaOneClientId].Origin);
        Assert.Null(set.KeyVaultFailure);
    }

    [Fact]
    public async Task Cancellation_stops_a_vault_lookup()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Resolver(new InMemorySecretProvider()).ResolveAsync(CredentialKind.NotionToken, null, cts.Token));
    }

    [Fact]
    public void Descriptors_cover_every_credential_with_distinct_names()
    {
        var kinds = Enum.GetValues(typeof(CredentialKind)).Cast<CredentialKind>().ToList();
        Assert.Equal(kinds, CredentialDescriptor.All.Select(d => d.Kind));
        Assert.Equal(kinds.Count, CredentialDescriptor.All.Select(d => d.EnvironmentVariable).Distinct().Count());
        Assert.Equal(new[] { "NOTION_TOKEN", "UNIFI_API_KEY", "NINJAONE_CLIENT_ID", "NINJAONE_CLIENT_SECRET", "DATABRICKS_TOKEN" }, CredentialDescriptor.All.Select(d => d.EnvironmentVariable));
        Assert.Equal(kinds.Count, CredentialDescriptor.All.Select(d => d.SecretName(new SecretSettings())).Distinct().Count());
    }
}

public class SecretValueTests
{
    private const string Secret = "ntn_abcdefghijklmnopqrstuvwxyz0123456789";

    [Fact]
    public void A_secret_value_never_prints_itself()
    {
        var s = new SecretValue(Secret);
        Assert.Equal("***", s.ToString());
        Assert.Equal("token=***", $"token={s}");
        Assert.Equal("***", string.Format("{0}", s));
        Assert.Equal("{}", JsonSerializer.Serialize(s));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(new { Token = s }));
        Assert.Equal(Secret, s.Reveal());
    }

    [Fact]
    public async Task A_resolved_credential_prints_its_origin_not_its_value()
    {
        var env = new FakeSystemEnvironment("/nowhere").Set("NOTION_TOKEN", Secret);
        var c = await new CredentialResolver(new SecretSettings(), null, env).ResolveAsync(CredentialKind.NotionToken, null, CancellationToken.None);
        Assert.Equal("NotionToken from environment variable NOTION_TOKEN", c.ToString());
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(c));
    }

    [Fact]
    public void An_empty_secret_is_refused()
        => Assert.Throws<ArgumentException>(() => new SecretValue(""));
}
