using Azure.Core;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Fakes.KeyVault;

namespace OberaConnect.Engine.Tests.Security;

/// <summary>A TokenCredential double: issues a fixed token and records what was asked; can be told to fail.</summary>
internal sealed class IssuingCredential : TokenCredential
{
    public IssuingCredential(string token) => Token = token;

    public string Token { get; set; }
    public Exception? Failure { get; set; }
    public List<TokenRequestContext> Requests { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add(requestContext);
        if (Failure != null) throw Failure;
        return new ValueTask<AccessToken>(new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1)));
    }
}

/// <summary>Records warnings and verbose lines.</summary>
internal sealed class RecordingOutput : OberaConnect.Engine.IEngineOutput
{
    public List<string> Warnings { get; } = new();
    public List<string> VerboseLines { get; } = new();
    public void Verbose(string message) { lock (VerboseLines) VerboseLines.Add(message); }
    public void Warning(string message) { lock (Warnings) Warnings.Add(message); }
    public void Progress(OberaConnect.Engine.ProgressUpdate update) { }
}

internal static class KeyVaultTestSupport
{
    public static KeyVaultSecretProviderOptions Options(KeyVaultFake fake, KeyVaultCredentialKind kind = KeyVaultCredentialKind.ManagedIdentity, string? clientId = null)
        => new()
        {
            VaultUri = fake.VaultUri.ToString(),
            Credential = kind,
            ManagedIdentityClientId = kind == KeyVaultCredentialKind.ManagedIdentity ? clientId : null,
            TenantId = kind == KeyVaultCredentialKind.ClientSecret ? fake.TenantId : null,
            ClientId = kind == KeyVaultCredentialKind.ClientSecret ? clientId ?? "11111111-2222-3333-4444-555555555555" : null,
            ClientSecret = kind == KeyVaultCredentialKind.ClientSecret ? "cs~Q8w2Ez7RkTn4Vb6Yp1Lm3Hs5Jd9Gf0Ac" : null,
            AllowAnyHost = true,
            Resilience = new HttpResilienceOptions
            {
                RequestsPerSecond = 1000, Burst = 100, MaxRetries = 1,
                BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(20),
                RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryAfter = TimeSpan.FromSeconds(5),
            },
        };

    public static KeyVaultSecretProvider Provider(KeyVaultFake fake, IssuingCredential credential, SecretRedactor redactor,
        KeyVaultSecretProviderOptions? options = null, HttpTraceWriter? trace = null)
        => new(options ?? Options(fake), redactor, credential, LoopbackCertificate.TrustingHandler(fake.Certificate), null, trace);
}
