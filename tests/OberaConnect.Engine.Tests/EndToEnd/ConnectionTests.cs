using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>What Connect-OberaConnect and Get-OberaConnectConfiguration do, against the Notion fake over HTTP.</summary>
public sealed class ConnectionTests : IAsyncLifetime
{
    private NotionFake _fake = null!;
    private readonly TempFolder _temp = new();
    private string _configPath = "";

    public async Task InitializeAsync()
    {
        _fake = await NotionFake.StartAsync();
        _configPath = _temp.File("config.json", $$"""
            {
              "notion": { "baseUrl": "{{_fake.BaseUrl}}" },
              "databases": { "Alerts": "1f2e3d4c5b6a79881726354453627181" }
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _temp.Dispose();
    }

    private OberaConnectConnection Open(FakeSystemEnvironment env, string? token = null, string? uniFiKey = null)
        => OberaConnectConnection.Open(new ConnectionOptions { ConfigPath = _configPath, Environment = env, NotionToken = token, UniFiApiKey = uniFiKey });

    [Fact]
    public async Task A_token_given_as_a_parameter_is_checked_with_users_me_and_its_source_reported()
    {
        var env = new FakeSystemEnvironment(_temp.Path);
        using var connection = Open(env, token: _fake.Token, uniFiKey: "unifi-key-QWERTY-123456");
        var verbose = new List<string>();

        var info = await ConnectionInfo.ConnectAsync(connection, new CallbackEngineOutput(verbose.Add, _ => { }, _ => { }), default);

        Assert.Equal(1, _fake.Requests.Count("GET /v1/users/me"));
        Assert.Equal(_fake.BotUserId, info.NotionBotId);
        Assert.False(string.IsNullOrEmpty(info.NotionBot));
        Assert.Equal(_configPath, info.ConfigPath);
        Assert.Equal(_fake.BaseUrl.ToString(), info.NotionBaseUrl);
        Assert.Equal(new[] { "Alerts" }, info.Databases);
        Assert.Equal(1, info.DatabasesConfigured);
        Assert.Equal("parameter -NotionToken", info.NotionTokenSource);
        Assert.Equal("parameter -UniFiApiKey", info.UniFiApiKeySource);
        Assert.Equal("not found (give -NinjaOneCredential, the Key Vault secrets named in the configuration, or NINJAONE_CLIENT_ID and NINJAONE_CLIENT_SECRET)", info.NinjaOneCredentialSource);
        Assert.Equal("not found (give -NinjaOneCredential or NINJAONE_CLIENT_SECRET)", info.Credentials.Single(c => c.Credential == "NinjaOneClientSecret").Source);
        Assert.Equal(new[] { "Parameter", "Parameter", "NotFound", "NotFound", "NotFound" }, info.Credentials.Select(c => c.Via));
        Assert.Equal(new[] { true, true, false, false, false }, info.Credentials.Select(c => c.Found));
        Assert.Contains(verbose, v => v.Contains("NINJAONE_CLIENT_ID"));
        Assert.Equal(_fake.BotUserId, connection.NotionBot?.Id);

        var everything = string.Join("\n", typeof(ConnectionInfo).GetProperties().Select(p => p.GetValue(info)?.ToString())
            .Concat(info.Credentials.Select(c => c.Source)).Append(info.ToString()));
        Assert.DoesNotContain(_fake.Token, everything);
        Assert.DoesNotContain("unifi-key-QWERTY-123456", everything);
    }

    [Fact]
    public async Task A_token_from_the_environment_is_used_and_the_configuration_summary_shows_where_it_came_from()
    {
        var env = new FakeSystemEnvironment(_temp.Path).Set("NOTION_TOKEN", _fake.Token).Set("NINJAONE_CLIENT_ID", "1234").Set("NINJAONE_CLIENT_SECRET", "ninja-secret-QWERTY-42");
        using var connection = Open(env);

        var info = await ConnectionInfo.ConnectAsync(connection, null, default);
        var summary = ConfigurationSummary.From(connection.Configuration, "session (Connect-OberaConnect)", connection.ResolvedCredentials, env);

        Assert.Equal("environment variable NOTION_TOKEN", info.NotionTokenSource);
        Assert.Equal("environment variables NINJAONE_CLIENT_ID and NINJAONE_CLIENT_SECRET", info.NinjaOneCredentialSource);
        Assert.Equal("environment variable NOTION_TOKEN", summary.Credentials.Single(c => c.Credential == "NotionToken").Source);
        Assert.StartsWith("looked for in:", summary.Credentials.Single(c => c.Credential == "UniFiApiKey").Source);
        Assert.DoesNotContain(summary.Credentials, c => c.Source.Contains(_fake.Token) || c.Source.Contains("ninja-secret-QWERTY-42"));
    }

    [Fact]
    public async Task A_refused_token_stops_the_connection_with_the_how_to_text()
    {
        using var connection = Open(new FakeSystemEnvironment(_temp.Path), token: "ntn_refused0123456789abcdef0123456789abcd");

        var error = await Assert.ThrowsAsync<NotionUnauthorizedException>(() => ConnectionInfo.ConnectAsync(connection, null, default));

        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.Contains("Internal Integration Secret", error.Message);
        Assert.DoesNotContain("ntn_refused0123456789abcdef0123456789abcd", error.Message);
    }

    [Fact]
    public async Task No_token_anywhere_says_the_three_ways_to_give_it()
    {
        using var connection = Open(new FakeSystemEnvironment(_temp.Path));

        var error = await Assert.ThrowsAsync<CredentialNotFoundException>(() => ConnectionInfo.ConnectAsync(connection, null, default));

        Assert.Equal(CredentialKind.NotionToken, error.Credential);
        Assert.Contains("-NotionToken", error.Message);
        Assert.Contains("NOTION_TOKEN", error.Message);
        Assert.Equal(0, _fake.Requests.Total);
    }
}
