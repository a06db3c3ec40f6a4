using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Connection;

/// <summary>What opening a connection takes: where the configuration is, and credentials given explicitly.</summary>
public sealed class ConnectionOptions
{
    /// <summary>A configuration file path; null uses OBERACONNECT_CONFIG, then the user's, then the machine's file.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Explicit credentials (from -NotionToken, -UniFiApiKey, -NinjaOneCredential); they win over Key Vault and environment.</summary>
    public string? NotionToken { get; set; }
    public string? UniFiApiKey { get; set; }
    public string? NinjaOneClientId { get; set; }
    public string? NinjaOneClientSecret { get; set; }

    /// <summary>
    /// The client secret of the app registration when secrets.keyVaultCredential is clientSecret; null reads
    /// OBERACONNECT_AZURE_CLIENT_SECRET, then AZURE_CLIENT_SECRET (see <see cref="ConfiguredKeyVault"/>).
    /// </summary>
    public string? KeyVaultClientSecret { get; set; }

    /// <summary>An HTTP trace file for every client of the connection; null uses OBERACONNECT_HTTP_TRACE (off when unset).</summary>
    public string? TraceFile { get; set; }

    /// <summary>Environment variables, SYSTEM detection and folders (tests replace it).</summary>
    public ISystemEnvironment? Environment { get; set; }

    /// <summary>Builds the Key Vault provider when the configuration names a vault; null means no vault support.</summary>
    public Func<SecretSettings, SecretRedactor, IEngineOutput, ISecretProvider?>? KeyVaultFactory { get; set; }

    /// <summary>HTTP handler for every client (tests, proxies); null uses the default.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    public TimeProvider? Time { get; set; }
}

/// <summary>
/// The configuration and credentials one invocation (or the session, after Connect-OberaConnect) works
/// with. Credentials are resolved when first needed, so reading UniFi never asks for a Notion token.
/// Clients are created once and shared by the cmdlets that use this connection.
/// </summary>
public sealed partial class OberaConnectConnection : IDisposable
{
    private readonly ConnectionOptions _options;
    private readonly CredentialResolver _credentials;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ResolvedCredential> _resolved = new();
    private NotionClient? _notion;
    private HttpTraceWriter? _trace;

    private OberaConnectConnection(OberaConnectConfiguration configuration, ConnectionOptions options, IEngineOutput output)
    {
        Configuration = configuration;
        _options = options;
        Output = output;
        // The host's output changes per invocation (a session connection outlives its Connect cmdlet): forward at call time.
        var forwarding = new CallbackEngineOutput(m => Output.Verbose(m), m => Output.Warning(m), p => Output.Progress(p));
        KeyVault = configuration.Secrets.KeyVaultUri is null ? null : options.KeyVaultFactory?.Invoke(configuration.Secrets, Redactor, forwarding);
        _credentials = new CredentialResolver(configuration.Secrets, KeyVault, options.Environment, Redactor, forwarding);
    }

    /// <summary>Loads and validates the configuration. Sends nothing.</summary>
    public static OberaConnectConnection Open(ConnectionOptions options, IEngineOutput? output = null)
    {
        var configuration = ConfigurationFile.Load(options.ConfigPath, options.Environment);
        return new OberaConnectConnection(configuration, options, output ?? NullEngineOutput.Instance);
    }

    /// <summary>A connection over an already loaded configuration (tests, tools).</summary>
    public static OberaConnectConnection FromConfiguration(OberaConnectConfiguration configuration, ConnectionOptions options, IEngineOutput? output = null)
        => new(configuration, options, output ?? NullEngineOutput.Instance);

    public OberaConnectConfiguration Configuration { get; }

    /// <summary>The Key Vault the credentials are read from, or null when none is configured (or the host gave no factory).</summary>
    public ISecretProvider? KeyVault { get; }

    /// <summary>The HTTP trace every client of this connection writes to, or null when tracing is off.</summary>
    internal HttpTraceWriter? Trace => _trace ??= _options.TraceFile is { Length: > 0 } file ? new HttpTraceWriter(file, Redactor) : HttpTraceWriter.FromEnvironment(Redactor);

    /// <summary>Knows every secret this connection resolved; everything quoting received text passes through it.</summary>
    public SecretRedactor Redactor { get; } = new();

    /// <summary>Where output of lazily resolved credentials (a Key Vault fallback warning) goes.</summary>
    public IEngineOutput Output { get; set; }

    /// <summary>The bot user, once <see cref="VerifyNotionAsync"/> ran.</summary>
    public NotionUser? NotionBot { get; private set; }

    /// <summary>Where each credential resolved so far came from (never the values).</summary>
    public IReadOnlyList<ResolvedCredential> ResolvedCredentials { get { lock (_resolved) return _resolved.ToList(); } }

    public ConnectionOptions Options => _options;

    /// <summary>The Notion client, resolving the token on first use.</summary>
    public async Task<NotionClient> GetNotionAsync(CancellationToken cancellationToken)
    {
        if (_notion != null) return _notion;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_notion != null) return _notion;
            var token = await ResolveAsync(CredentialKind.NotionToken, _options.NotionToken, cancellationToken).ConfigureAwait(false);
            var settings = Configuration.Notion;
            var clientOptions = new NotionClientOptions
            {
                BaseUrl = settings.BaseUrl,
                NotionVersion = settings.ApiVersion,
                Resilience = settings.ToResilienceOptions(),
                TraceFile = _options.TraceFile,
                // Jobs on this machine using the same token share Notion's 3 requests/s through the state directory.
                SharedBudgetDirectory = Configuration.Paths.StateDirectory,
            };
            var notion = new NotionClient(token.Value.Reveal(), clientOptions, _options.HttpHandler, _options.Time, Redactor);
            notion.Pacer.SharedProblem = m => Output.Warning(m);
            // The configured data source ids are data sources: no cmdlet then spends a request finding that out.
            foreach (var key in Configuration.Databases.Configured)
                if (Configuration.Databases[key] is { DataSourceId: { } dataSource } ids)
                    notion.RememberDataSource(dataSource, ids.DatabaseId);
            _notion = notion;
            return _notion;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks the Notion token with users/me (Connect-OberaConnect, health checks).</summary>
    public async Task<NotionUser> VerifyNotionAsync(CancellationToken cancellationToken)
    {
        var notion = await GetNotionAsync(cancellationToken).ConfigureAwait(false);
        NotionBot = await notion.GetMeAsync(cancellationToken).ConfigureAwait(false);
        return NotionBot;
    }

    /// <summary>Resolves one credential (explicit value, Key Vault, environment) and remembers where it came from.</summary>
    public async Task<ResolvedCredential> ResolveAsync(CredentialKind kind, string? explicitValue, CancellationToken cancellationToken)
    {
        var resolved = await _credentials.ResolveAsync(kind, explicitValue, cancellationToken).ConfigureAwait(false);
        lock (_resolved)
        {
            _resolved.RemoveAll(r => r.Kind == kind);
            _resolved.Add(resolved);
        }
        return resolved;
    }

    public void Dispose()
    {
        _notion?.Dispose();
        _uniFi?.Dispose();
        _ninjaOne?.Dispose();
        _gate.Dispose();
    }
}
