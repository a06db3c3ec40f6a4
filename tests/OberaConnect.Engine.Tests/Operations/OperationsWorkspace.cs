using System.Text.Json.Nodes;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Engine.Tests.Security;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.KeyVault;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.Notion;
using OberaConnect.Fakes.UniFi;

namespace OberaConnect.Engine.Tests.Operations;

/// <summary>
/// A machine as the cmdlets see it, on loopback fakes: the Notion fake with the seven workspace databases created
/// from the standard definition, optionally the UniFi, NinjaOne and Key Vault fakes, a configuration file that
/// points at them, environment variables in a <see cref="FakeSystemEnvironment"/> and local folders under a temp
/// folder. Connections are opened the way ConnectionFactory opens them, with the Key Vault factory of the module.
/// </summary>
internal sealed class OperationsWorkspace : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Dictionary<DatabaseKey, SeededDatabase> _databases = new();

    private OperationsWorkspace(NotionFake notion)
    {
        Notion = notion;
        Environment = new FakeSystemEnvironment(_folder.Path);
        Environment.Set("NOTION_TOKEN", notion.Token);
    }

    public NotionFake Notion { get; }
    public UniFiFake? UniFi { get; private set; }
    public NinjaOneFake? NinjaOne { get; private set; }
    public KeyVaultFake? Vault { get; private set; }

    /// <summary>The token the Key Vault credential double hands out (and the vault fake accepts).</summary>
    public IssuingCredential VaultCredential { get; } = new("eyJ0eXAiOiJKV1QiLCJhbGciOi.ops-vault-access-token-3Hq9");

    public FakeSystemEnvironment Environment { get; }

    public string Folder => _folder.Path;

    public string MetricsPath => Path.Combine(_folder.Path, "textfile", "oberaconnect.prom");

    public string AuditDirectory => Path.Combine(_folder.Path, "audit");

    public IReadOnlyDictionary<DatabaseKey, SeededDatabase> Databases => _databases;

    /// <summary>Starts the fakes; <paramref name="secrets"/> gives the credentials they accept (random or the fakes' defaults otherwise).</summary>
    public static async Task<OperationsWorkspace> StartAsync(bool sources = false, bool vault = false, bool seed = true, KnownSecrets? secrets = null)
    {
        var workspace = new OperationsWorkspace(await NotionFake.StartAsync(new NotionFakeOptions { Token = secrets?.NotionToken }));
        if (sources)
        {
            var uniFi = new UniFiFakeOptions();
            var ninjaOne = new NinjaOneFakeOptions();
            if (secrets != null)
            {
                uniFi.ApiKey = secrets.UniFiApiKey;
                ninjaOne.ClientId = secrets.NinjaOneClientId;
                ninjaOne.ClientSecret = secrets.NinjaOneClientSecret;
            }
            workspace.UniFi = await UniFiFake.StartAsync(uniFi);
            workspace.NinjaOne = await NinjaOneFake.StartAsync(ninjaOne);
            workspace.Environment.Set("UNIFI_API_KEY", workspace.UniFi.ApiKey)
                .Set("NINJAONE_CLIENT_ID", workspace.NinjaOne.ClientId)
                .Set("NINJAONE_CLIENT_SECRET", workspace.NinjaOne.ClientSecret);
        }
        if (vault)
        {
            workspace.Vault = await KeyVaultFake.StartAsync();
            workspace.Vault.AcceptedToken = workspace.VaultCredential.Token;
        }
        if (seed) workspace.SeedDatabases();
        return workspace;
    }

    /// <summary>Creates the standard databases (relation targets first) directly in the fake's state.</summary>
    public void SeedDatabases()
    {
        var definition = WorkspaceDefinition.Standard;
        foreach (var key in definition.CreationOrder)
        {
            var properties = NotionSchemaJson.CreateProperties(definition[key], k => _databases[k].DataSourceId);
            _databases[key] = Notion.State.CreateDatabase(Notion.RootPageId, definition[key].Title, properties);
        }
    }

    /// <summary>
    /// Writes config.json pointing at the fakes, with the ids of <paramref name="databases"/> (all seeded ones by
    /// default), quick retries, and folders under the temp folder. <paramref name="tweak"/> edits the JSON last.
    /// </summary>
    public string WriteConfiguration(IEnumerable<DatabaseKey>? databases = null, Action<JsonObject>? tweak = null, string name = "config.json")
    {
        var ids = new JsonObject();
        foreach (var key in databases ?? _databases.Keys)
            ids[key.ToString()] = new JsonObject { ["databaseId"] = _databases[key].DatabaseId, ["dataSourceId"] = _databases[key].DataSourceId };
        var root = new JsonObject
        {
            ["notion"] = new JsonObject { ["baseUrl"] = Notion.BaseUrl.ToString(), ["burst"] = 100, ["maxRetries"] = 1, ["timeoutSeconds"] = 20 },
            ["databases"] = ids,
            ["paths"] = new JsonObject
            {
                ["logDirectory"] = Path.Combine(_folder.Path, "logs"),
                ["auditDirectory"] = AuditDirectory,
                ["journalDirectory"] = Path.Combine(_folder.Path, "journal"),
                ["stateDirectory"] = Path.Combine(_folder.Path, "state"),
                ["metricsPath"] = MetricsPath,
            },
        };
        if (UniFi != null)
            root["unifi"] = new JsonObject { ["baseUrl"] = UniFi.BaseUrl.ToString(), ["maxRetries"] = 0, ["burst"] = 100, ["requestsPerMinute"] = 10000 };
        if (NinjaOne != null)
            root["ninjaOne"] = new JsonObject { ["region"] = NinjaOne.BaseUrl.ToString(), ["maxRetries"] = 0, ["burst"] = 100, ["requestsPerSecond"] = 50 };
        if (Vault != null)
            root["secrets"] = new JsonObject { ["keyVaultUri"] = Vault.VaultUri.ToString(), ["keyVaultCredential"] = "managedIdentity" };
        tweak?.Invoke(root);
        return _folder.File(name, root.ToJsonString());
    }

    /// <summary>Connection options as ConnectionFactory builds them, with the Key Vault factory signing in through the credential double.</summary>
    public ConnectionOptions Options(string configPath, string? traceFile = null)
    {
        var options = new ConnectionOptions
        {
            ConfigPath = configPath,
            Environment = Environment,
            Time = new TestClock(),
            TraceFile = traceFile,
        };
        if (Vault != null)
            options.KeyVaultFactory = ConfiguredKeyVault.Factory(options, VaultCredential, LoopbackCertificate.TrustingHandler(Vault.Certificate), QuickVault);
        return options;
    }

    public OberaConnectConnection Open(string configPath, IEngineOutput? output = null, string? traceFile = null)
        => OberaConnectConnection.Open(Options(configPath, traceFile), output);

    /// <summary>Quick health checks: a probe may take 20 s before it counts as timed out (the fakes answer in milliseconds).</summary>
    public static Engine.Operations.WorkspaceHealthOptions HealthOptions(params string[] components) => new()
    {
        Components = components.Length == 0 ? null : components,
        Runner = new Engine.Operations.HealthCheckOptions { ProbeTimeout = TimeSpan.FromSeconds(20), SlowThreshold = TimeSpan.FromSeconds(15) },
    };

    private static void QuickVault(KeyVaultSecretProviderOptions options)
        => options.Resilience = new HttpResilienceOptions
        {
            RequestsPerSecond = 1000, Burst = 100, MaxRetries = 1,
            BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryAfter = TimeSpan.FromSeconds(5),
        };

    public async ValueTask DisposeAsync()
    {
        await Notion.DisposeAsync();
        if (UniFi != null) await UniFi.DisposeAsync();
        if (NinjaOne != null) await NinjaOne.DisposeAsync();
        if (Vault != null) await Vault.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The system clock, but not TimeProvider.System: clients then pace on their own instead of the process-wide pacer.</summary>
    private sealed class TestClock : TimeProvider
    {
    }
}

/// <summary>Credential values a test knows, so it can look for them in everything the engine produced.</summary>
internal sealed record KnownSecrets(string NotionToken, string UniFiApiKey, string NinjaOneClientId, string NinjaOneClientSecret);

/// <summary>Keeps every message the engine gave its host, in order, for assertions and the secret scan.</summary>
internal sealed class CapturedOutput : IEngineOutput
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public IReadOnlyList<string> Warnings => Lines.Where(l => l.StartsWith("WARNING: ", StringComparison.Ordinal)).Select(l => l.Substring(9)).ToList();

    public void Verbose(string message) { lock (_lines) _lines.Add("VERBOSE: " + message); }

    public void Warning(string message) { lock (_lines) _lines.Add("WARNING: " + message); }

    public void Progress(ProgressUpdate update) { lock (_lines) _lines.Add($"PROGRESS: {update.Activity} | {update.Status} | {update.PercentComplete}"); }
}
