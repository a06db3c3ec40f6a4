using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;

namespace OberaConnect.Engine.Security;

/// <summary>
/// Secrets from Azure Key Vault. A missing secret is null (the resolver then asks the next store); a
/// vault that cannot be reached raises <see cref="SecretStoreUnavailableException"/> (the resolver falls
/// back to environment variables and warns); a disabled secret or a refused identity raise clear errors
/// that name the secret or the identity and what to change. Values read are trimmed and registered with
/// the <see cref="SecretRedactor"/>.
/// Requests go through the module's <see cref="ResilientHttpPipeline"/> (service "Azure Key Vault"), with
/// the Azure SDK's own retries off. No Azure type appears in the public surface, so the cmdlet assembly
/// never references Azure.Core (which collides with Az.Accounts in the same session).
/// </summary>
public sealed class KeyVaultSecretProvider : ISecretProvider
{
    /// <summary>Service name in traces, statistics and metrics.</summary>
    public const string ServiceName = "Azure Key Vault";

    private readonly KeyVaultSecretProviderOptions _options;
    private readonly SecretRedactor _redactor;
    private readonly SecretClient _client;
    private readonly ResilientHttpPipeline _pipeline;
    private readonly string _identity;

    /// <summary>
    /// Builds the credential the options name. <paramref name="handler"/> replaces the HTTP transport to the
    /// vault (a proxy-aware handler, or a test handler); token requests use Azure.Identity's own transport.
    /// </summary>
    public KeyVaultSecretProvider(
        KeyVaultSecretProviderOptions options,
        SecretRedactor redactor,
        HttpMessageHandler? handler = null,
        TimeProvider? time = null,
        HttpTraceWriter? trace = null)
        : this(options, redactor, CreateCredential(Validated(options, redactor)), handler, time, trace)
    {
    }

    // Tests hand in a TokenCredential double; the public constructor keeps Azure types out of the signature.
    internal KeyVaultSecretProvider(
        KeyVaultSecretProviderOptions options,
        SecretRedactor redactor,
        TokenCredential credential,
        HttpMessageHandler? handler,
        TimeProvider? time,
        HttpTraceWriter? trace)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
        options.Validate();
        _redactor.Register(options.ClientSecret);
        VaultUri = options.ResolveVaultUri();
        Name = $"Azure Key Vault ({VaultUri})";
        _identity = options.DescribeIdentity();

        var resilience = options.Resilience;
        _pipeline = new ResilientHttpPipeline(
            ServiceName,
            new HttpMessageInvoker(handler ?? new HttpClientHandler(), disposeHandler: handler is null),
            resilience,
            RequestPacer.ForKey("keyvault:" + VaultUri.Authority, resilience.RequestsPerSecond, resilience.Burst, time),
            time,
            trace,
            redactor);

        var clientOptions = new SecretClientOptions
        {
            Transport = new HttpClientTransport(new PipelineMessageHandler(_pipeline)),
            // The pipeline retries; the SDK must not retry on top of it.
            Retry = { MaxRetries = 0, NetworkTimeout = Timeout.InfiniteTimeSpan },
            // Verification ties the token audience to *.vault.azure.net; only a loopback test fake turns it off.
            DisableChallengeResourceVerification = options.AllowAnyHost,
        };
        clientOptions.Diagnostics.IsLoggingEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
        clientOptions.Diagnostics.ApplicationId = "OberaConnect";
        _client = new SecretClient(VaultUri, credential, clientOptions);
    }

    /// <summary>"Azure Key Vault (https://name.vault.azure.net/)".</summary>
    public string Name { get; }

    /// <summary>The vault, in canonical form.</summary>
    public Uri VaultUri { get; }

    /// <summary>Requests, 429s, retries and failures of vault calls (for metrics: requests_total{service}).</summary>
    public HttpStatistics Statistics => _pipeline.Statistics;

    /// <summary>
    /// The current value of secret <paramref name="name"/>, or null when the vault has no such secret (or
    /// its value is empty). <paramref name="name"/> may carry a version: <c>name/0123abcd...</c>.
    /// </summary>
    public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        string? version = null;
        var slash = name?.IndexOf('/') ?? -1;
        if (slash >= 0)
        {
            version = name!.Substring(slash + 1);
            name = name.Substring(0, slash);
            if (version.Length == 0 || SecretName.Problem(version) != null)
                throw new InvalidSecretNameException(name + "/" + version, Name, "the version after '/' must be the secret version id (32 hexadecimal characters)");
        }
        return GetSecretAsync(name!, version, cancellationToken);
    }

    /// <summary>A specific version of a secret, or the current one when <paramref name="version"/> is null.</summary>
    public async Task<string?> GetSecretAsync(string name, string? version, CancellationToken cancellationToken)
    {
        SecretName.Validate(name, Name);
        try
        {
            var response = await _client.GetSecretAsync(name, version, cancellationToken).ConfigureAwait(false);
            var raw = response.Value?.Value;
            if (raw is null) return null;
            _redactor.Register(raw);
            var value = raw.Trim();
            if (value.Length == 0) return null;
            _redactor.Register(value);
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var mapped = Map(Unwrap(ex), name);
            if (mapped is null) return null;
            throw mapped;
        }
    }

    /// <summary>
    /// A health probe: reads <paramref name="secretName"/> and reports Healthy (found), Degraded (reachable,
    /// but the secret is missing) or Unhealthy (unreachable, refused, disabled). Never returns the value.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(string secretName, CancellationToken cancellationToken)
    {
        var value = await GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
        return value is null
            ? ProbeResult.Degraded($"{Name} is reachable, but has no secret '{secretName}' (environment variables are used instead).")
            : ProbeResult.Healthy($"{Name}: secret '{secretName}' is readable by {_identity}.");
    }

    private static KeyVaultSecretProviderOptions Validated(KeyVaultSecretProviderOptions options, SecretRedactor redactor)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        redactor?.Register(options.ClientSecret);
        return options.Validate();
    }

    internal static TokenCredential CreateCredential(KeyVaultSecretProviderOptions options)
    {
        var clientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId!.Trim();
        switch (options.Credential)
        {
            case KeyVaultCredentialKind.ManagedIdentity:
                return new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
            case KeyVaultCredentialKind.ClientSecret:
                return new ClientSecretCredential(options.TenantId!.Trim(), options.ClientId!.Trim(), options.ClientSecret!.Trim());
            default:
                var chain = new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true };
                if (clientId != null) chain.ManagedIdentityClientId = clientId;
                return new DefaultAzureCredential(chain);
        }
    }

    private static Exception Unwrap(Exception ex)
    {
        // The SDK may wrap our pipeline's exceptions (transport failures arrive as RequestFailedException
        // with the original inside; several attempts as AggregateException).
        while (true)
        {
            if (ex is AggregateException agg && agg.InnerExceptions.Count >= 1) { ex = agg.InnerExceptions[agg.InnerExceptions.Count - 1]; continue; }
            if (ex is RequestFailedException { Status: 0, InnerException: { } inner }) { ex = inner; continue; }
            return ex;
        }
    }

    /// <summary>Null means "no such secret"; otherwise the exception to raise.</summary>
    private Exception? Map(Exception ex, string name)
    {
        const string permissions =
            "Grant it the 'Key Vault Secrets User' role on the vault (vaults using Azure RBAC), or an access policy with the secret 'Get' permission (vaults using access policies).";
        switch (ex)
        {
            case RequestFailedException rf when rf.Status == 404:
                return null;

            case RequestFailedException rf when rf.Status == 403:
            {
                var (code, inner, message) = ReadError(rf);
                if (string.Equals(inner, "SecretDisabled", StringComparison.OrdinalIgnoreCase)
                    || message.IndexOf("disabled secret", StringComparison.OrdinalIgnoreCase) >= 0)
                    return new KeyVaultSecretDisabledException(VaultUri.ToString(), name, rf);
                return new KeyVaultAccessDeniedException("KeyVaultAccessDenied", FailureKind.PermissionDenied,
                    $"Azure Key Vault {VaultUri} refused to let {_identity} read the secret '{name}' (HTTP 403{Detail(code, inner)}). {permissions}" +
                    Quote(message), _identity, 403, rf);
            }

            case RequestFailedException rf when rf.Status == 401:
            {
                var (code, inner, message) = ReadError(rf);
                return new KeyVaultAccessDeniedException("KeyVaultAuthenticationFailed", FailureKind.Authentication,
                    $"Azure Key Vault {VaultUri} rejected the token of {_identity} (HTTP 401{Detail(code, inner)}). " +
                    "Check that the identity belongs to the vault's tenant and that its credentials are current; then " + char.ToLowerInvariant(permissions[0]) + permissions.Substring(1) +
                    Quote(message), _identity, 401, rf);
            }

            case RequestFailedException rf when rf.Status == 429 || rf.Status >= 500:
                return new SecretStoreUnavailableException(Name, $"the vault answered HTTP {rf.Status} after every retry; using the next secret store.", rf);

            case RequestFailedException rf0 when rf0.Status == 0:
                return new SecretStoreUnavailableException(Name, $"the vault could not be reached ({_redactor.Redact(rf0.GetBaseException().Message)}).", rf0);

            case RequestFailedException rf:
            {
                var (code, inner, message) = ReadError(rf);
                return new KeyVaultRequestException(
                    $"Azure Key Vault {VaultUri} refused the request for secret '{name}' (HTTP {rf.Status}{Detail(code, inner)})." + Quote(message),
                    rf.Status, code, rf);
            }

            case CredentialUnavailableException cu:
                // No identity of that kind exists here (no managed identity endpoint, nobody signed in):
                // the vault is out of reach for this process, which is the fallback case.
                return new SecretStoreUnavailableException(Name,
                    $"no Azure identity is available to sign in with ({_identity}): {_redactor.Redact(FirstLine(cu.Message))}", cu);

            case AuthenticationFailedException af:
                return new KeyVaultAccessDeniedException("KeyVaultAuthenticationFailed", FailureKind.Authentication,
                    $"Could not get a token for Azure Key Vault {VaultUri} as {_identity}: {_redactor.Redact(FirstLine(af.Message))} " +
                    "Check the tenant id, client id and that the client secret has not expired (for a managed identity: that it is assigned to this machine).",
                    _identity, null, af);

            case ServiceUnavailableException or CircuitOpenException or RequestOutcomeUnknownException:
                return new SecretStoreUnavailableException(Name, _redactor.Redact(ex.Message), ex);

            case HttpRequestException:
            case OperationCanceledException:
                return new SecretStoreUnavailableException(Name, $"the vault could not be reached ({_redactor.Redact(ex.GetBaseException().Message)}).", ex);

            default:
                return ex is OberaConnectException ? ex : new SecretStoreUnavailableException(Name, $"unexpected {ex.GetType().Name}: {_redactor.Redact(FirstLine(ex.Message))}", ex);
        }
    }

    private (string? Code, string? Inner, string Message) ReadError(RequestFailedException ex)
    {
        string? code = ex.ErrorCode, inner = null, message = "";
        try
        {
            var content = ex.GetRawResponse()?.Content?.ToString();
            if (!string.IsNullOrWhiteSpace(content))
            {
                using var doc = JsonDocument.Parse(content!);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    if (error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code = c.GetString();
                    if (error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString() ?? "";
                    foreach (var key in new[] { "innererror", "innerError" })
                        if (error.TryGetProperty(key, out var ie) && ie.ValueKind == JsonValueKind.Object && ie.TryGetProperty("code", out var ic) && ic.ValueKind == JsonValueKind.String)
                            inner = ic.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not Key Vault's JSON (a proxy's HTML page): the status alone has to do.
        }
        return (code, inner, _redactor.Redact(message.Replace("\r\n", " ").Replace('\n', ' ').Trim()));
    }

    private static string Detail(string? code, string? inner)
        => code is null ? "" : inner is null ? $" {code}" : $" {code}/{inner}";

    private static string Quote(string message) => message.Length == 0 ? "" : $" The vault said: {Truncate(message, 600)}";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "…";

    private static string FirstLine(string s)
    {
        var i = s.IndexOfAny(new[] { '\r', '\n' });
        return i < 0 ? s : s.Substring(0, i);
    }
}
