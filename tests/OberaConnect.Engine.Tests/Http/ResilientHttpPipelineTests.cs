using System.Net;
using System.Net.Sockets;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.Http;

public class ResilientHttpPipelineTests
{
    private static (ResilientHttpPipeline Pipeline, StubHandler Stub, ManualTimeProvider Clock) Make(
        Action<HttpResilienceOptions>? tweak = null, double rate = 1000, int burst = 1000, HttpTraceWriter? trace = null)
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock };
        var options = new HttpResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8) };
        tweak?.Invoke(options);
        var pipeline = new ResilientHttpPipeline("Test", new HttpClient(stub), options, new RequestPacer(rate, burst, clock), clock, trace);
        return (pipeline, stub, clock);
    }

    private static Func<HttpRequestMessage> Get(string path = "/v1/users/me") => () => new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1" + path);

    private static Func<HttpRequestMessage> Post(string body = "{\"a\":1}") =>
        () => new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:1/v1/pages") { Content = new StringContent(body) };

    [Fact]
    public async Task Retry_after_on_429_is_honoured_on_the_clock_even_beyond_60_seconds()
    {
        var (pipeline, stub, clock) = Make();
        stub.Then((HttpStatusCode)429, "{\"object\":\"error\",\"code\":\"rate_limited\"}", TimeSpan.FromSeconds(90)).Then(HttpStatusCode.OK);

        var response = await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default), TimeSpan.FromSeconds(1));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
        var gap = stub.Requests[1].At - stub.Requests[0].At;
        Assert.True(gap >= TimeSpan.FromSeconds(90), $"second attempt came after {gap}, expected at least 90 s");
        Assert.True(gap < TimeSpan.FromSeconds(95), $"second attempt came after {gap}, expected about 90 s");
        Assert.Equal(1, pipeline.Statistics.RateLimited);
    }

    [Fact]
    public async Task A_429_also_pauses_the_shared_pacer_for_other_requests()
    {
        var (pipeline, stub, clock) = Make();
        stub.Then((HttpStatusCode)429, "{}", TimeSpan.FromSeconds(10)).Then(HttpStatusCode.OK).Then(HttpStatusCode.OK);
        var first = pipeline.SendAsync(Get(), RequestSafety.Idempotent, default);
        await clock.RunAsync(Task.Delay(10), TimeSpan.FromMilliseconds(100));
        var second = pipeline.SendAsync(Get("/v1/other"), RequestSafety.Idempotent, default);
        await clock.RunAsync(Task.WhenAll(first, second), TimeSpan.FromMilliseconds(500));
        Assert.All(stub.Requests.Skip(1), r => Assert.True(r.At - stub.Requests[0].At >= TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Retry_after_longer_than_the_limit_is_not_slept_through()
    {
        var (pipeline, stub, clock) = Make(o => o.MaxRetryAfter = TimeSpan.FromMinutes(2));
        stub.Then((HttpStatusCode)429, "{}", TimeSpan.FromMinutes(30));
        var response = await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default));
        Assert.Equal(429, response.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Server_errors_on_idempotent_requests_are_retried_with_backoff(int status)
    {
        var (pipeline, stub, clock) = Make();
        stub.Then((HttpStatusCode)status).Then((HttpStatusCode)status).Then(HttpStatusCode.OK);
        var response = await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default), TimeSpan.FromMilliseconds(100));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, stub.Requests.Count);
        Assert.True(stub.Requests[1].At > stub.Requests[0].At, "a retry waited for backoff");
        Assert.Equal(2, pipeline.Statistics.Retries);
    }

    [Fact]
    public async Task Server_errors_are_surfaced_after_the_last_retry()
    {
        var (pipeline, stub, clock) = Make(o => { o.MaxRetries = 2; o.BreakerFailureThreshold = 10; });
        for (var i = 0; i < 5; i++) stub.Then(HttpStatusCode.ServiceUnavailable);
        var response = await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default), TimeSpan.FromMilliseconds(100));
        Assert.Equal(503, response.StatusCode);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task A_5xx_on_a_create_is_an_unknown_outcome_and_is_not_resent()
    {
        var (pipeline, stub, clock) = Make();
        stub.Then(HttpStatusCode.BadGateway).Then(HttpStatusCode.OK);
        var ex = await Assert.ThrowsAsync<RequestOutcomeUnknownException>(() => clock.RunAsync(pipeline.SendAsync(Post(), RequestSafety.NotIdempotent, default)));
        Assert.Equal(502, ex.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_timeout_on_a_create_is_an_unknown_outcome()
    {
        var (pipeline, stub, clock) = Make(o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        stub.ThenHang();
        var ex = await Assert.ThrowsAsync<RequestOutcomeUnknownException>(() => clock.RunAsync(pipeline.SendAsync(Post(), RequestSafety.NotIdempotent, default), TimeSpan.FromMilliseconds(500)));
        Assert.Equal(FailureKind.OutcomeUnknown, ex.Kind);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_refused_connection_on_a_create_is_retried_because_nothing_was_sent()
    {
        var (pipeline, stub, clock) = Make();
        stub.ThenThrow(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))).Then(HttpStatusCode.OK);
        var response = await clock.RunAsync(pipeline.SendAsync(Post(), RequestSafety.NotIdempotent, default), TimeSpan.FromMilliseconds(100));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task Timeouts_on_reads_are_retried_then_reported_as_a_timeout()
    {
        var (pipeline, stub, clock) = Make(o => { o.RequestTimeout = TimeSpan.FromSeconds(2); o.MaxRetries = 1; o.BreakerFailureThreshold = 10; });
        stub.ThenHang().ThenHang();
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default), TimeSpan.FromMilliseconds(250)));
        Assert.Equal(FailureKind.Timeout, ex.Kind);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(HttpFailure.RequestTimeout, ex.ErrorId);
        Assert.Contains("127.0.0.1:1 did not answer within 2 s; GET /v1/users/me, 2 attempt(s)", ex.Message);
    }

    [Fact]
    public async Task Breaker_opens_after_consecutive_failures_and_recovers_after_the_break()
    {
        var (pipeline, stub, clock) = Make(o => { o.MaxRetries = 0; o.BreakerFailureThreshold = 5; o.BreakerBreakDuration = TimeSpan.FromSeconds(60); });
        for (var i = 0; i < 5; i++) stub.Then(HttpStatusCode.InternalServerError);
        for (var i = 0; i < 5; i++)
            Assert.Equal(500, (await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default))).StatusCode);

        var open = await Assert.ThrowsAsync<CircuitOpenException>(() => clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default)));
        Assert.Equal(5, stub.Requests.Count); // the open breaker sent nothing
        Assert.True(open.RetryAt > clock.GetUtcNow());
        Assert.True(open.RetryAt <= clock.GetUtcNow() + TimeSpan.FromSeconds(60));
        Assert.Contains("try", open.Message, StringComparison.OrdinalIgnoreCase);

        clock.Advance(TimeSpan.FromSeconds(61));
        stub.Then(HttpStatusCode.OK);
        Assert.Equal(200, (await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default))).StatusCode);
        Assert.Equal(6, stub.Requests.Count);
    }

    [Fact]
    public async Task Pacer_keeps_the_average_rate_after_the_burst()
    {
        var (pipeline, stub, clock) = Make(rate: 3, burst: 3);
        var start = clock.GetUtcNow();
        for (var i = 0; i < 12; i++)
            await clock.RunAsync(pipeline.SendAsync(Get(), RequestSafety.Idempotent, default), TimeSpan.FromSeconds(1));
        // 3 go at once, the other 9 at 1/3 s intervals.
        var span = stub.Requests[^1].At - start;
        Assert.InRange(span.TotalSeconds, 2.9, 3.2);
        Assert.Equal(start, stub.Requests[2].At);
    }

    [Fact]
    public async Task Trace_writes_one_json_line_per_attempt_without_the_token()
    {
        var path = Path.Combine(Path.GetTempPath(), "oc-trace-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var redactor = new SecretRedactor();
        const string token = "ntn_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd";
        redactor.Register(token);
        var (pipeline, stub, clock) = Make(trace: new HttpTraceWriter(path, redactor));
        stub.Then(HttpStatusCode.InternalServerError, "{\"echo\":\"" + token + "\"}").Then(HttpStatusCode.OK, "{\"ok\":true}");
        await clock.RunAsync(pipeline.SendAsync(() =>
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:1/v1/search") { Content = new StringContent("{\"query\":\"" + token + "\"}") };
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            return r;
        }, RequestSafety.Idempotent, default), TimeSpan.FromMilliseconds(100));

        var lines = File.ReadAllLines(path);
        try
        {
            Assert.Equal(2, lines.Length);
            foreach (var line in lines)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                Assert.Equal("POST", doc.RootElement.GetProperty("method").GetString());
                Assert.True(doc.RootElement.TryGetProperty("durationMs", out _));
                Assert.DoesNotContain(token.Substring(0, 12), line);
            }
            Assert.Contains("\"status\":500", lines[0]);
            Assert.Contains("\"status\":200", lines[1]);
        }
        finally { File.Delete(path); }
    }
}
