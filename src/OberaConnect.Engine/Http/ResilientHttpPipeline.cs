using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OberaConnect.Engine.Security;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OberaConnect.Engine.Http;

/// <summary>Whether repeating a request could apply it twice.</summary>
public enum RequestSafety
{
    /// <summary>Reads, updates that set values, deletes and trashing: safe to repeat.</summary>
    Idempotent,
    /// <summary>Creates and appends: repeating one that silently succeeded writes twice.</summary>
    NotIdempotent,
}

/// <summary>
/// The one HTTP pipeline every remote service goes through (Notion, UniFi, NinjaOne, Databricks).
/// Per attempt: the shared <see cref="RequestPacer"/>, a per-attempt timeout, a circuit breaker and a
/// trace line. Around attempts: retries with Polly —
/// 429 and 529 for any request, honouring Retry-After as sent (no 60 s cap), for as long as
/// <see cref="HttpResilienceOptions.MaxRateLimitWait"/> allows in total (not counted against MaxRetries);
/// 5xx, transport errors and timeouts with exponential backoff and jitter, up to MaxRetries, but only for
/// idempotent requests or when the connection was never made. A non-idempotent request whose outcome is unknown
/// raises <see cref="RequestOutcomeUnknownException"/> so the caller can check before re-sending.
/// Time comes from a <see cref="TimeProvider"/>, so tests drive pacing, backoff and the breaker
/// with a manual clock.
/// </summary>
public sealed class ResilientHttpPipeline
{
    private static readonly ResiliencePropertyKey<CallState> StateKey = new("OberaConnect.CallState");

    private readonly HttpMessageInvoker _http;
    private readonly HttpResilienceOptions _options;
    private readonly RequestPacer _pacer;
    private readonly TimeProvider _time;
    private readonly HttpTraceWriter? _trace;
    private readonly SecretRedactor _redactor;
    private readonly ResiliencePipeline<ApiResponse> _pipeline;

    public ResilientHttpPipeline(
        string service,
        HttpMessageInvoker http,
        HttpResilienceOptions options,
        RequestPacer pacer,
        TimeProvider? time = null,
        HttpTraceWriter? trace = null,
        SecretRedactor? redactor = null)
    {
        Service = service;
        _http = http;
        _options = options.Clone().Validate(service);
        _pacer = pacer;
        _time = time ?? TimeProvider.System;
        _trace = trace;
        // What -Debug shows is redacted as the trace is: with the client's redactor, which knows its secrets.
        _redactor = redactor ?? trace?.Redactor ?? new SecretRedactor();
        _pipeline = Build();
    }

    /// <summary>Name used in messages, traces and metrics, for example "Notion".</summary>
    public string Service { get; }

    /// <summary>Request, 429, retry and failure counters.</summary>
    public HttpStatistics Statistics { get; } = new();

    /// <summary>The options in force (a validated copy).</summary>
    public HttpResilienceOptions Options => _options;

    /// <summary>The pacer shared by every request to this service in the process.</summary>
    public RequestPacer Pacer => _pacer;

    /// <summary>
    /// Sends one logical request. <paramref name="createRequest"/> is called once per attempt, because
    /// a request message cannot be sent twice. Returns the final response whatever its status, except:
    /// throws <see cref="CircuitOpenException"/>, <see cref="RequestOutcomeUnknownException"/> (non-idempotent
    /// request, outcome unknown) or <see cref="ServiceUnavailableException"/> (unreachable or timing out
    /// after every retry). Caller cancellation surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<ApiResponse> SendAsync(Func<HttpRequestMessage> createRequest, RequestSafety safety, CancellationToken cancellationToken)
    {
        var state = new CallState(createRequest, safety, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);

            if (safety == RequestSafety.NotIdempotent && IsAmbiguousStatus(response.StatusCode))
                throw new RequestOutcomeUnknownException(Service, state.Method, state.Path, response.StatusCode, null);
            return new ApiResponse(response.StatusCode, response.Body, response.Headers, state.Attempts, watch.Elapsed)
            {
                RateLimitWait = state.RateLimitWait,
                RateLimitWaitExhausted = state.RateLimitWaitExhausted,
            };
        }
        catch (BrokenCircuitException ex)
        {
            var retryAt = _time.GetUtcNow() + (ex.RetryAfter ?? _options.BreakerBreakDuration);
            // The breaker opened during this call's own retries: its error is what the call met (refused, DNS...),
            // with the pause added; a call turned away by a breaker that was already open reports the breaker.
            if (state.LastFailure is { } own)
                throw new ServiceUnavailableException(Service, own, Describe(own, state) +
                    $" Calls to {Service} are now paused until {retryAt:u} (circuit breaker open).", ex);
            throw new CircuitOpenException(Service, retryAt, ex, Statistics.LastFailure);
        }
        catch (Exception ex) when (IsTransportOrTimeout(ex) && !cancellationToken.IsCancellationRequested)
        {
            if (safety == RequestSafety.NotIdempotent && !IsConnectFailure(ex))
                throw new RequestOutcomeUnknownException(Service, state.Method, state.Path, null, ex);
            var cause = state.LastFailure ?? HttpFailure.FromException(ex, state.Uri, _options.RequestTimeout, _time.GetUtcNow());
            throw new ServiceUnavailableException(Service, cause, Describe(cause, state), ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // "the connection to host:port was refused; GET /v1/users/me, 6 attempt(s). Check ..."
    private static string Describe(HttpFailure cause, CallState state)
        => $"{cause.Description}; {state.Method} {state.Path}, {state.Attempts} attempt(s). {cause.Fix}";

    private ResiliencePipeline<ApiResponse> Build()
    {
        var builder = new ResiliencePipelineBuilder<ApiResponse> { Name = Service, TimeProvider = _time };

        builder.AddRetry(new RetryStrategyOptions<ApiResponse>
        {
            // Each call counts its own retries (CallState): 429/529 are bounded by the time waited (MaxRateLimitWait), other
            // failures by their number (MaxRetries). Polly's own count must never stop a call first.
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = args =>
            {
                var state = args.Context.Properties.GetValue(StateKey, null!);
                return new ValueTask<bool>(_options.MaxRetries > 0 && ShouldRetry(args.Outcome, state));
            },
            DelayGenerator = args =>
            {
                var state = args.Context.Properties.GetValue(StateKey, null!);
                return new ValueTask<TimeSpan?>(state.NextDelay);
            },
            OnRetry = args =>
            {
                var state = args.Context.Properties.GetValue(StateKey, null!);
                Statistics.CountRetry();
                if (args.Outcome.Result is { } r && IsThrottle(r.StatusCode))
                {
                    state.RateLimitWait += args.RetryDelay;
                    _pacer.PauseUntil(_time.GetUtcNow() + args.RetryDelay);
                    HttpObserver.Active?.RateLimitWait?.Invoke(new RateLimitWait(Service, args.RetryDelay, r.StatusCode,
                        ParseRetryAfter(r.Headers, _time.GetUtcNow()) is not null));
                }
                else
                {
                    state.ServiceRetries++;
                }
                return default;
            },
        });

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<ApiResponse>
        {
            // Every attempt in the window failed and there were at least the threshold of them:
            // with a ratio of 1 this opens after that many failures in a row.
            FailureRatio = 1.0,
            MinimumThroughput = _options.BreakerFailureThreshold,
            SamplingDuration = TimeSpan.FromTicks(Math.Max(_options.BreakerBreakDuration.Ticks, TimeSpan.FromSeconds(30).Ticks)),
            BreakDuration = _options.BreakerBreakDuration,
            ShouldHandle = args => new ValueTask<bool>(IsServiceFailure(args.Outcome)),
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = _options.RequestTimeout });
        return builder.Build();
    }

    private async ValueTask<ApiResponse> AttemptAsync(ResilienceContext context)
    {
        var state = context.Properties.GetValue(StateKey, null!);
        var cancellationToken = context.CancellationToken;
        await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);

        using var request = state.Create();
        state.Method = request.Method.Method;
        state.Uri = request.RequestUri;
        state.Path = request.RequestUri?.AbsolutePath ?? "";
        state.Attempts++;
        var observer = HttpObserver.Active?.Exchange;
        string? requestBody = null;
        if ((_trace != null || observer != null) && request.Content != null)
            requestBody = await request.Content.ReadAsStringAsync().ConfigureAwait(false);

        var started = _time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        Statistics.CountRequest();
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 429) Statistics.CountRateLimited();
            if (status >= 500)
            {
                state.LastFailure = HttpFailure.FromStatus(status, request.RequestUri, _time.GetUtcNow());
                Statistics.CountFailure(state.LastFailure);
            }
            if (_trace != null) await _trace.WriteAsync(new HttpTraceEntry
            {
                Time = started, Service = Service, Attempt = state.Attempts, Method = state.Method,
                Url = request.RequestUri?.ToString() ?? "", Status = status, Duration = watch.Elapsed,
                RequestBody = requestBody, ResponseBody = body,
            }, CancellationToken.None).ConfigureAwait(false);
            var headers = ApiResponse.CopyHeaders(response);
            observer?.Invoke(HttpObserver.Describe(Service, state.Method, request.RequestUri?.ToString() ?? "", status, watch.Elapsed, state.Attempts,
                HttpObserver.RequestId(headers, body), requestBody, body, null, _redactor));
            return new ApiResponse(status, body, headers, state.Attempts, watch.Elapsed);
        }
        catch (Exception ex) when (!state.CallerToken.IsCancellationRequested)
        {
            // Anything but the caller's own cancellation: transport errors, and our timeout cancelling the attempt.
            state.LastFailure = HttpFailure.FromException(ex, request.RequestUri, _options.RequestTimeout, _time.GetUtcNow());
            Statistics.CountFailure(state.LastFailure);
            if (_trace != null) await _trace.WriteAsync(new HttpTraceEntry
            {
                Time = started, Service = Service, Attempt = state.Attempts, Method = state.Method,
                Url = request.RequestUri?.ToString() ?? "", Status = null, Duration = watch.Elapsed,
                RequestBody = requestBody, Error = ex.GetType().Name + ": " + ex.GetBaseException().Message,
            }, CancellationToken.None).ConfigureAwait(false);
            observer?.Invoke(HttpObserver.Describe(Service, state.Method, request.RequestUri?.ToString() ?? "", null, watch.Elapsed, state.Attempts,
                null, requestBody, null, state.LastFailure.Description, _redactor));
            throw;
        }
    }

    /// <summary>
    /// Whether to try again, and after how long (<see cref="CallState.NextDelay"/>). A 429 or 529 is retried after its
    /// Retry-After (our backoff when it sends none) unless one wait is longer than <see cref="HttpResilienceOptions.MaxRetryAfter"/>
    /// or the waits together would pass <see cref="HttpResilienceOptions.MaxRateLimitWait"/>: a record is never failed for
    /// rate limiting while that time allows waiting. 5xx, transport errors and timeouts count against
    /// <see cref="HttpResilienceOptions.MaxRetries"/>, and only for requests safe to repeat or never sent.
    /// </summary>
    private bool ShouldRetry(Outcome<ApiResponse> outcome, CallState state)
    {
        if (outcome.Result is { } response)
        {
            if (IsThrottle(response.StatusCode))
            {
                var retryAfter = ParseRetryAfter(response.Headers, _time.GetUtcNow());
                if (retryAfter > _options.MaxRetryAfter) return false;
                var delay = retryAfter ?? Backoff(state.ThrottleRetries + 1);
                if (state.RateLimitWait + delay > _options.MaxRateLimitWait)
                {
                    state.RateLimitWaitExhausted = true;
                    return false;
                }
                state.ThrottleRetries++;
                state.NextDelay = delay;
                return true;
            }
            return response.StatusCode >= 500 && state.Safety == RequestSafety.Idempotent && ServiceRetry(state);
        }
        return outcome.Exception switch
        {
            null => false,
            BrokenCircuitException => false,
            var ex when IsTransportOrTimeout(ex) => (state.Safety == RequestSafety.Idempotent || IsConnectFailure(ex)) && ServiceRetry(state),
            _ => false,
        };
    }

    private bool ServiceRetry(CallState state)
    {
        if (state.ServiceRetries >= _options.MaxRetries) return false;
        state.NextDelay = Backoff(state.ServiceRetries + 1);
        return true;
    }

    private static readonly Random Jitter = new();

    /// <summary>Exponential backoff for retry <paramref name="retry"/> (1 for the first): BaseDelay doubling, up to MaxBackoff, with jitter.</summary>
    private TimeSpan Backoff(int retry)
    {
        double factor;
        lock (Jitter) factor = 0.75 + Jitter.NextDouble() * 0.5;
        var ticks = _options.BaseDelay.Ticks * Math.Pow(2, Math.Min(30, retry - 1)) * factor;
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxBackoff.Ticks));
    }

    private static bool IsServiceFailure(Outcome<ApiResponse> outcome)
        => outcome.Result is { } r ? r.StatusCode >= 500 : outcome.Exception is { } ex && IsTransportOrTimeout(ex);

    private static bool IsThrottle(int status) => status == 429 || status == 529;

    // 5xx after a write was sent: it may have been applied. 529 (overload) is refused before processing.
    private static bool IsAmbiguousStatus(int status) => status >= 500 && status != 529;

    internal static bool IsTransportOrTimeout(Exception ex)
        => ex is HttpRequestException or IOException or SocketException or WebException || HttpFailure.IsTimeout(ex);

    /// <summary>
    /// True when the request never reached the service: the connection was never made, or its TLS handshake failed
    /// (the request is only sent once the handshake is done).
    /// </summary>
    internal static bool IsConnectFailure(Exception ex)
    {
        if (HttpFailure.IsTlsFailure(ex)) return true;
        for (var e = ex; e != null; e = e.InnerException)
        {
            if (e is SocketException se && se.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain or SocketError.NoData)
                return true;
            if (e is WebException we && we.Status is WebExceptionStatus.ConnectFailure or WebExceptionStatus.NameResolutionFailure
                    or WebExceptionStatus.ProxyNameResolutionFailure)
                return true;
        }
        return false;
    }

    /// <summary>Retry-After as delta seconds (Notion, UniFi) or an HTTP date (measured from <paramref name="now"/>).</summary>
    internal static TimeSpan? ParseRetryAfter(IReadOnlyDictionary<string, string>? headers, DateTimeOffset now)
    {
        if (headers is null || !headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            var delta = at - now;
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }
        return null;
    }

    private sealed class CallState
    {
        public CallState(Func<HttpRequestMessage> create, RequestSafety safety, CancellationToken callerToken)
        {
            Create = create;
            Safety = safety;
            CallerToken = callerToken;
        }

        public CancellationToken CallerToken { get; }

        public Func<HttpRequestMessage> Create { get; }
        public RequestSafety Safety { get; }
        public int Attempts { get; set; }
        public string Method { get; set; } = "";
        public string Path { get; set; } = "";
        public Uri? Uri { get; set; }

        /// <summary>Why this call's latest attempt failed; null while none has.</summary>
        public HttpFailure? LastFailure { get; set; }

        /// <summary>Retries after 5xx, transport errors and timeouts so far (bounded by MaxRetries).</summary>
        public int ServiceRetries { get; set; }

        /// <summary>Retries after 429/529 so far.</summary>
        public int ThrottleRetries { get; set; }

        /// <summary>Time waited on 429/529 so far (bounded by MaxRateLimitWait).</summary>
        public TimeSpan RateLimitWait { get; set; }

        /// <summary>True once a 429/529 was not retried because the wait would pass MaxRateLimitWait.</summary>
        public bool RateLimitWaitExhausted { get; set; }

        /// <summary>The wait before the retry just decided.</summary>
        public TimeSpan NextDelay { get; set; }
    }
}
