using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// Holds the NinjaOne access token of one client: fetched with the client-credentials grant, reused
/// until <c>expires_in</c> minus a margin on the injected clock, renewed by one caller at a time.
/// Every token is registered with the redactor the moment it arrives.
/// </summary>
internal sealed class NinjaOneTokenCache
{
    // Assumed when the token answer carries no expires_in: NinjaOne tokens last about an hour.
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResilientHttpPipeline _pipeline;
    private readonly Uri _tokenUri;
    private readonly Uri _baseUrl;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly string _scope;
    private readonly string _instance;
    private readonly TimeSpan _margin;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    // One immutable reference, so a reader never sees a token paired with another token's renewal time.
    private TokenState? _state;

    private sealed class TokenState
    {
        public TokenState(string token, DateTimeOffset renewAt)
        {
            Token = token;
            RenewAt = renewAt;
        }

        public string Token { get; }
        public DateTimeOffset RenewAt { get; }
    }

    public NinjaOneTokenCache(ResilientHttpPipeline pipeline, Uri baseUrl, string instance, string clientId, string clientSecret,
        string scope, TimeSpan margin, TimeProvider time, SecretRedactor redactor)
    {
        _pipeline = pipeline;
        _baseUrl = baseUrl;
        _tokenUri = new Uri(baseUrl, "ws/oauth/token");
        _instance = instance;
        _clientId = clientId;
        _clientSecret = clientSecret;
        _scope = scope;
        _margin = margin;
        _time = time;
        _redactor = redactor;
    }

    /// <summary>Tokens fetched so far (for statistics and tests).</summary>
    public int TokensIssued { get; private set; }

    /// <summary>When the current token will be renewed (MinValue before the first).</summary>
    public DateTimeOffset RenewAt => Volatile.Read(ref _state)?.RenewAt ?? DateTimeOffset.MinValue;

    /// <summary>
    /// A valid token. With <paramref name="rejected"/> set (a token the API just answered 401 to), a
    /// new one is fetched unless another caller already replaced it.
    /// </summary>
    public async Task<string> GetAsync(string? rejected, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _state);
        if (current != null && current.Token != rejected && _time.GetUtcNow() < current.RenewAt) return current.Token;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = Volatile.Read(ref _state);
            if (current != null && current.Token != rejected && _time.GetUtcNow() < current.RenewAt) return current.Token;
            return await FetchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new[]
        {
            new KeyValuePair<string, string>("grant_type", "client_credentials"),
            new KeyValuePair<string, string>("client_id", _clientId),
            new KeyValuePair<string, string>("client_secret", _clientSecret),
            new KeyValuePair<string, string>("scope", _scope),
        };
        // Safe to repeat: asking for another token changes nothing on the service.
        var response = await _pipeline.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri) { Content = new FormUrlEncodedContent(form) };
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            return request;
        }, RequestSafety.Idempotent, cancellationToken).ConfigureAwait(false);

        if (!response.IsSuccess) throw NinjaOneApiException.TokenRefused(response, _baseUrl, _instance, _scope, _redactor);

        string? token;
        double? expiresIn;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            token = doc.RootElement.Str("access_token");
            expiresIn = doc.RootElement.Num("expires_in");
        }
        catch (JsonException ex)
        {
            throw NinjaOneApiException.Unreadable("the token request", response.StatusCode, ex);
        }
        if (token is null)
            throw new NinjaOneApiException("NinjaOneAuthenticationFailed", FailureKind.Authentication,
                $"NinjaOne ({_baseUrl.Host}) answered the token request without an access_token. Check that the instance URL is right and the app uses the Client Credentials grant.",
                response.StatusCode, null);

        _redactor.Register(token);
        var lifetime = expiresIn is { } s && s > 0 ? TimeSpan.FromSeconds(s) : DefaultLifetime;
        var margin = _margin < TimeSpan.FromTicks(lifetime.Ticks / 2) ? _margin : TimeSpan.FromTicks(lifetime.Ticks / 2);
        Volatile.Write(ref _state, new TokenState(token, _time.GetUtcNow() + lifetime - margin));
        TokensIssued++;
        return token;
    }
}
