using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Connection;

/// <summary>
/// What Connect-OberaConnect established: the configuration file, the Notion integration the token belongs to,
/// the workspace databases configured, and where each credential came from. Never a credential value.
/// </summary>
public sealed class ConnectionInfo
{
    private ConnectionInfo(string? configPath, string notionBaseUrl, string notionVersion, string notionBot, string notionBotId,
        string? notionWorkspace, IReadOnlyList<string> databases, IReadOnlyList<CredentialOrigin> credentials, DateTimeOffset connectedAt)
    {
        ConfigPath = configPath;
        NotionBaseUrl = notionBaseUrl;
        NotionVersion = notionVersion;
        NotionBot = notionBot;
        NotionBotId = notionBotId;
        NotionWorkspace = notionWorkspace;
        Databases = NameList.From(databases);
        Credentials = ReadableList<CredentialOrigin>.From(credentials);
        ConnectedAt = connectedAt;
    }

    /// <summary>The configuration file read.</summary>
    public string? ConfigPath { get; }

    public string NotionBaseUrl { get; }

    public string NotionVersion { get; }

    /// <summary>The name of the integration (its bot user) the Notion token belongs to.</summary>
    public string NotionBot { get; }

    public string NotionBotId { get; }

    /// <summary>The Notion workspace of the integration, when Notion says.</summary>
    public string? NotionWorkspace { get; }

    /// <summary>Keys of the workspace databases that have ids in the configuration.</summary>
    public IReadOnlyList<string> Databases { get; }

    /// <summary>How many of the seven workspace databases the configuration has ids for.</summary>
    public int DatabasesConfigured => Databases.Count;

    /// <summary>Where each credential came from, or why it was not found.</summary>
    public IReadOnlyList<CredentialOrigin> Credentials { get; }

    /// <summary>Where the Notion token came from (never the token).</summary>
    public string NotionTokenSource => SourceOf(CredentialKind.NotionToken);

    /// <summary>Where the UniFi API key came from, or "not found".</summary>
    public string UniFiApiKeySource => SourceOf(CredentialKind.UniFiApiKey);

    /// <summary>Where the NinjaOne client id and secret came from, or "not found".</summary>
    public string NinjaOneCredentialSource
    {
        get
        {
            var id = Credentials.FirstOrDefault(c => c.Credential == nameof(CredentialKind.NinjaOneClientId));
            var secret = Credentials.FirstOrDefault(c => c.Credential == nameof(CredentialKind.NinjaOneClientSecret));
            if (id is null || secret is null) return "not resolved";
            if (id.Source == secret.Source) return id.Source;
            if (!id.Found && !secret.Found)
                return $"not found (give -NinjaOneCredential, the Key Vault secrets named in the configuration, or {id.EnvironmentVariable} and {secret.EnvironmentVariable})";
            if (id.Via == nameof(CredentialSource.EnvironmentVariable) && secret.Via == id.Via)
            {
                // The resolver notes a vault outage in parentheses; say it once for the pair.
                var note = id.Source.IndexOf('(') is var at && at > 0 ? " " + id.Source.Substring(at) : "";
                return $"environment variables {id.EnvironmentVariable} and {secret.EnvironmentVariable}{note}";
            }
            return $"client id: {id.Source}; client secret: {secret.Source}";
        }
    }

    public DateTimeOffset ConnectedAt { get; }

    public override string ToString() => $"Connected to Notion as {NotionBot} ({DatabasesConfigured} of 7 databases configured, {ConfigPath ?? "default configuration"})";

    private string SourceOf(CredentialKind kind) => Credentials.FirstOrDefault(c => c.Credential == kind.ToString())?.Source ?? "not resolved";

    /// <summary>
    /// Checks the connection the way Connect-OberaConnect promises: the audit and journal folders can be written (a
    /// Configuration error naming the folder and its setting otherwise), the Notion token is resolved and checked with
    /// users/me (failures are thrown: a refused token is bad setup), then the UniFi and NinjaOne credentials are
    /// resolved so the summary says where they come from; those may be missing (a Notion-only user needs none),
    /// which is said in the summary and to Verbose, not thrown.
    /// </summary>
    public static async Task<ConnectionInfo> ConnectAsync(OberaConnectConnection connection, IEngineOutput? output, CancellationToken cancellationToken)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        output ??= NullEngineOutput.Instance;
        // The folders every writing run keeps its records in: found unwritable here rather than silently at the first sync.
        Operations.RecordFolders.EnsureWritable(connection.Configuration, journal: true);
        var bot = await connection.VerifyNotionAsync(cancellationToken).ConfigureAwait(false);
        output.Verbose($"Notion accepted the token: integration '{bot.Name}' ({bot.Id}){(bot.WorkspaceName is null ? "" : $" in workspace '{bot.WorkspaceName}'")}.");

        var options = connection.Options;
        await TryResolveAsync(connection, CredentialKind.UniFiApiKey, options.UniFiApiKey, output, cancellationToken).ConfigureAwait(false);
        await TryResolveAsync(connection, CredentialKind.NinjaOneClientId, options.NinjaOneClientId, output, cancellationToken).ConfigureAwait(false);
        await TryResolveAsync(connection, CredentialKind.NinjaOneClientSecret, options.NinjaOneClientSecret, output, cancellationToken).ConfigureAwait(false);

        var resolved = connection.ResolvedCredentials;
        var secrets = connection.Configuration.Secrets;
        var origins = CredentialDescriptor.All.Select(d => resolved.FirstOrDefault(r => r.Kind == d.Kind) is { } r
                ? new CredentialOrigin(d.Kind.ToString(), d.DisplayName, true, r.Source.ToString(), r.Origin, d.EnvironmentVariable)
                : new CredentialOrigin(d.Kind.ToString(), d.DisplayName, false, "NotFound",
                    secrets.KeyVaultUri is null
                        ? $"not found (give {d.Parameter.Split(' ')[0]} or {d.EnvironmentVariable})"
                        : $"not found (give {d.Parameter.Split(' ')[0]}, the Key Vault secret '{d.SecretName(secrets)}' or {d.EnvironmentVariable})",
                    d.EnvironmentVariable))
            .ToList();
        var configuration = connection.Configuration;
        var databases = WorkspaceDefinition.Standard.CreationOrder.Where(configuration.Databases.IsConfigured).Select(k => k.ToString()).ToList();
        var time = connection.Options.Time ?? TimeProvider.System;
        return new ConnectionInfo(configuration.FilePath, configuration.Notion.BaseUrl, configuration.Notion.ApiVersion, bot.Name ?? bot.Id, bot.Id,
            bot.WorkspaceName, databases, origins, time.GetUtcNow());
    }

    private static async Task TryResolveAsync(OberaConnectConnection connection, CredentialKind kind, string? explicitValue, IEngineOutput output,
        CancellationToken cancellationToken)
    {
        try
        {
            await connection.ResolveAsync(kind, explicitValue, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialNotFoundException ex)
        {
            // Only the cmdlets reading that source need it; they fail with this same message when run.
            output.Verbose(ex.Message);
        }
    }
}

/// <summary>Where one credential came from (or that it was not found). Never the value.</summary>
public sealed class CredentialOrigin
{
    public CredentialOrigin(string credential, string displayName, bool found, string via, string source, string environmentVariable)
    {
        Credential = credential;
        DisplayName = displayName;
        Found = found;
        Via = via;
        Source = source;
        EnvironmentVariable = environmentVariable;
    }

    /// <summary>NotionToken, UniFiApiKey, NinjaOneClientId or NinjaOneClientSecret.</summary>
    public string Credential { get; }

    /// <summary>For example "Notion integration token".</summary>
    public string DisplayName { get; }

    public bool Found { get; }

    /// <summary>Parameter, KeyVault, EnvironmentVariable or NotFound.</summary>
    public string Via { get; }

    /// <summary>For example "environment variable NOTION_TOKEN" or "Azure Key Vault secret 'notion-token' (...)".</summary>
    public string Source { get; }

    /// <summary>The environment variable that can hold it, for example NOTION_TOKEN.</summary>
    public string EnvironmentVariable { get; }

    public override string ToString() => $"{DisplayName}: {Source}";
}
