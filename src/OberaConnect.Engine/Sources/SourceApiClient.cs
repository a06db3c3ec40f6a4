using System.Text.Json;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// What the source API clients (UniFi Site Manager, NinjaOne) share: the secret registered with the redactor before
/// anything is sent, the process-wide pacer of the credential, the shared <see cref="ResilientHttpPipeline"/>
/// (pacing, 429/Retry-After, retries, breaker, trace), read-only JSON GETs and their errors. Each client keeps its
/// own authentication, paging and error advice.
/// </summary>
/// <typeparam name="TOptions">The service's settings; the service's defaults when none are given.</typeparam>
public abstract class SourceApiClient<TOptions> : IDisposable
    where TOptions : SourceClientOptions, new()
{
    private readonly HttpMessageInvoker _invoker;

    /// <summary>
    /// Takes <paramref name="options"/> (the defaults when null) and validates them, registers <paramref name="secret"/> with the redactor, and builds the
    /// pipeline with the process-wide pacer keyed by the options' <see cref="SourceClientOptions.PacerScope"/> and a
    /// fingerprint of the credential the service limits: <paramref name="pacerIdentity"/>, or the secret itself when
    /// null. Options that bring their own pacer keep it.
    /// </summary>
    private protected SourceApiClient(string serviceName, TOptions? options, string secret,
        HttpMessageHandler? handler, TimeProvider? time, SecretRedactor? redactor, string? pacerIdentity = null)
    {
        Settings = options ?? new TOptions();
        Settings.Validate();
        Redactor = redactor ?? new SecretRedactor();
        Redactor.Register(secret);
        var resilience = Settings.EffectiveResilience();
        var pacer = Settings.Pacer ?? RequestPacer.ForKey($"{Settings.PacerScope}|{SourceHttp.Fingerprint(pacerIdentity ?? secret)}",
            resilience.RequestsPerSecond, resilience.Burst, time);
        _invoker = SourceHttp.Invoker(handler);
        Pipeline = new ResilientHttpPipeline(serviceName, _invoker, resilience, pacer, time, Settings.Trace ?? HttpTraceWriter.FromEnvironment(Redactor), Redactor);
    }

    /// <summary>Request, 429, retry and failure counters of every request this client sent, NinjaOne's token requests included.</summary>
    public HttpStatistics Statistics => Pipeline.Statistics;

    /// <summary>The options in force (validated).</summary>
    private protected TOptions Settings { get; }

    private protected ResilientHttpPipeline Pipeline { get; }

    private protected SecretRedactor Redactor { get; }

    public void Dispose() => _invoker.Dispose();

    /// <summary>The service's error for a refused request (a status that is not success).</summary>
    private protected abstract SourceApiException Refused(ApiResponse response, string what);

    /// <summary>The service's error for an answer whose body is not the JSON expected.</summary>
    private protected abstract SourceApiException Unreadable(string what, int status, JsonException error);

    /// <summary><paramref name="what"/> as messages name it: the first page alone, later ones with their number.</summary>
    private protected static string PageWhat(string what, int page) => page == 1 ? what : $"{what} (page {page})";

    /// <summary>
    /// A read-only GET asking for JSON, safe to retry; <paramref name="authorize"/> adds the service's credential
    /// to each attempt.
    /// </summary>
    private protected Task<ApiResponse> GetAsync(Uri uri, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken)
        => Pipeline.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            authorize(request);
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            return request;
        }, RequestSafety.Idempotent, cancellationToken);

    /// <summary>
    /// What <paramref name="read"/> makes of a successful answer's JSON; the service's <see cref="Refused"/> error
    /// for any other status, its <see cref="Unreadable"/> one for a body that is not JSON. An empty body is read as
    /// <paramref name="emptyBody"/> when one is given, and is unreadable otherwise. <paramref name="read"/> must copy
    /// what it keeps: the document is gone once it returns.
    /// </summary>
    private protected T ReadJson<T>(ApiResponse response, string what, Func<JsonElement, T> read, string? emptyBody = null)
    {
        if (!response.IsSuccess) throw Refused(response, what);
        try
        {
            using var doc = JsonDocument.Parse(emptyBody != null && string.IsNullOrWhiteSpace(response.Body) ? emptyBody : response.Body);
            return read(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw Unreadable(what, response.StatusCode, ex);
        }
    }
}
