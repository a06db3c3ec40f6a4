using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OberaConnect.Fakes.KeyVault;

/// <summary>
/// A loopback fake of the Azure Key Vault secrets REST API over HTTPS (self-signed certificate made at
/// start): GET /secrets/{name} and /secrets/{name}/{version} with api-version, the bearer challenge
/// (an unauthenticated request gets 401 with WWW-Authenticate naming the tenant and resource), and the
/// answers Key Vault gives for a missing secret (404 SecretNotFound), a disabled one (403 Forbidden /
/// SecretDisabled), an identity without permission (403 Forbidden / ForbiddenByRbac or AccessDenied),
/// a rejected token (401) and throttling or outages (scripted status codes).
/// Bodies follow the service's documented error shape: {"error":{"code","message","innererror":{"code"}}}.
/// </summary>
public sealed class KeyVaultFake : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<StoredSecret>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _scripted = new();
    private readonly List<RecordedRequest> _requests = new();
    private WebApplication? _app;

    private KeyVaultFake(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>Directory (tenant) id named in the challenge.</summary>
    public string TenantId { get; init; } = DefaultTenantId;

    public const string DefaultTenantId = "72f988bf-0000-4000-8000-00000000f00d";

    /// <summary>Resource named in the challenge (the real service's audience).</summary>
    public string Resource { get; init; } = "https://vault.azure.net";

    /// <summary>The bearer token the fake accepts. Anything else gets 401.</summary>
    public string AcceptedToken { get; set; } = "fake-access-token";

    /// <summary>When set, every authenticated request gets 403 with this innererror code ("ForbiddenByRbac" or "AccessDenied").</summary>
    public string? DenyWith { get; set; }

    /// <summary>The server's certificate: trust exactly this one in the test's transport.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri VaultUri { get; private set; } = null!;

    /// <summary>What was asked, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests { get { lock (_requests) return _requests.ToList(); } }

    public static async Task<KeyVaultFake> StartAsync(string? tenantId = null)
    {
        var fake = new KeyVaultFake(LoopbackCertificate.Create("CN=OberaConnect Key Vault fake")) { TenantId = tenantId ?? DefaultTenantId };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(fake.Certificate)));
        var app = builder.Build();
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.VaultUri = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority).Replace("[::1]", "127.0.0.1") + "/");
        fake._app = app;
        return fake;
    }

    /// <summary>Adds a new current version of a secret and returns its version id.</summary>
    public string SetSecret(string name, string value, bool enabled = true)
    {
        var version = Guid.NewGuid().ToString("N");
        var list = _secrets.GetOrAdd(name, _ => new List<StoredSecret>());
        lock (list) list.Add(new StoredSecret(name, version, value, enabled));
        return version;
    }

    /// <summary>The next <paramref name="count"/> authenticated requests get <paramref name="status"/> (429, 500, 503...).</summary>
    public void FailNext(int status, int count = 1, string? retryAfter = null)
    {
        for (var i = 0; i < count; i++) _scripted.Enqueue((status, retryAfter));
    }

    /// <summary>Closes the port: later requests are refused, as when the vault is unreachable.</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization.Substring(7).Trim() : null;
        lock (_requests) _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", token));

        var response = context.Response;
        response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        response.Headers["x-ms-keyvault-service-version"] = "1.9.0.0";

        var segments = (request.Path.Value ?? "").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 2 or > 3 || !segments[0].Equals("secrets", StringComparison.OrdinalIgnoreCase))
        {
            await Error(response, 404, "NotFound", "The requested resource was not found on this fake (only GET /secrets/{name}[/{version}]).").ConfigureAwait(false);
            return;
        }
        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await Error(response, 400, "BadParameter", "The request URI does not contain the required api-version parameter.").ConfigureAwait(false);
            return;
        }
        if (token is null)
        {
            Challenge(response);
            await Error(response, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return;
        }
        if (!string.Equals(token, AcceptedToken, StringComparison.Ordinal))
        {
            Challenge(response);
            await Error(response, 401, "Unauthorized", "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/" + TenantId + "/.").ConfigureAwait(false);
            return;
        }
        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter != null) response.Headers.RetryAfter = scripted.RetryAfter;
            var code = scripted.Status == 429 ? "Throttled" : "ServiceUnavailable";
            await Error(response, scripted.Status, code, "Scripted failure of the fake vault.").ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            await Error(response, 405, "BadParameter", "Only GET is implemented by this fake.").ConfigureAwait(false);
            return;
        }
        if (DenyWith != null)
        {
            var message = DenyWith == "AccessDenied"
                ? $"The user, group or application 'appid=00000000-0000-0000-0000-00000000abcd;oid=00000000-0000-0000-0000-00000000ef01;iss=https://sts.windows.net/{TenantId}/' does not have secrets get permission on key vault 'fake;location=local'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"
                : "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
                  $"Caller: appid=00000000-0000-0000-0000-00000000abcd;oid=00000000-0000-0000-0000-00000000ef01;iss=https://sts.windows.net/{TenantId}/\r\n" +
                  $"Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/secrets/{segments[1]}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: fake;location=local\r\n";
            await Error(response, 403, "Forbidden", message, DenyWith).ConfigureAwait(false);
            return;
        }

        var name = segments[1];
        var version = segments.Length == 3 ? segments[2] : null;
        StoredSecret? secret = null;
        if (_secrets.TryGetValue(name, out var versions))
            lock (versions) secret = version is null ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase));
        if (secret is null)
        {
            var what = version is null ? name : name + "/" + version;
            await Error(response, 404, "SecretNotFound",
                $"A secret with (name/id) {what} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182").ConfigureAwait(false);
            return;
        }
        if (!secret.Enabled)
        {
            await Error(response, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled").ConfigureAwait(false);
            return;
        }
        await Json(response, 200, writer =>
        {
            writer.WriteString("value", secret.Value);
            writer.WriteString("id", $"{VaultUri}secrets/{secret.Name}/{secret.Version}");
            writer.WriteStartObject("attributes");
            writer.WriteBoolean("enabled", true);
            writer.WriteNumber("created", 1763798400);
            writer.WriteNumber("updated", 1763798400);
            writer.WriteString("recoveryLevel", "Recoverable+Purgeable");
            writer.WriteNumber("recoverableDays", 90);
            writer.WriteEndObject();
            writer.WriteStartObject("tags");
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private void Challenge(HttpResponse response)
        => response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://login.microsoftonline.com/{TenantId}\", resource=\"{Resource}\"";

    private static Task Error(HttpResponse response, int status, string code, string message, string? innerCode = null)
        => Json(response, status, writer =>
        {
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            if (innerCode != null)
            {
                writer.WriteStartObject("innererror");
                writer.WriteString("code", innerCode);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });

    private static async Task Json(HttpResponse response, int status, Action<Utf8JsonWriter> body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        await response.Body.WriteAsync(buffer.ToArray()).ConfigureAwait(false);
    }

    private sealed record StoredSecret(string Name, string Version, string Value, bool Enabled);
}

/// <summary>One request the fake received. <see cref="BearerToken"/> is null for an unauthenticated request.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? BearerToken);
