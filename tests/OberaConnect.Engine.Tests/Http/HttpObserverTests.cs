using System.Net;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.Http;

/// <summary>
/// What -Debug and progress hear of the HTTP pipeline: each exchange of observed work as one redacted, shortened text
/// (method, URL, status, duration, attempt, request id, bodies), each 429 wait with its delay, and nothing at all for
/// work nobody observes, or once the observing scope is closed.
/// </summary>
public class HttpObserverTests
{
    private const string Token = "ntn_abcdefghijklmnopqrstuvwxyz0123456789";

    private static (ResilientHttpPipeline Pipeline, StubHandler Stub, ManualTimeProvider Clock) Make()
    {
        var clock = new ManualTimeProvider();
        var stub = new StubHandler { Clock = clock };
        var redactor = new SecretRedactor();
        redactor.Register(Token);
        var options = new HttpResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8) };
        var pipeline = new ResilientHttpPipeline("Notion", new HttpClient(stub), options, new RequestPacer(1000, 1000, clock), clock, null, redactor);
        return (pipeline, stub, clock);
    }

    private static Func<HttpRequestMessage> Post(string body) =>
        () => new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:1/v1/data_sources/abc/query") { Content = new StringContent(body) };

    [Fact]
    public async Task Each_exchange_of_observed_work_is_one_redacted_shortened_text()
    {
        var (pipeline, stub, clock) = Make();
        var longValue = new string('x', 5000);
        stub.Then(HttpStatusCode.OK, "{\"object\":\"list\",\"results\":[{\"note\":\"" + longValue + "\"}],\"request_id\":\"0f1e2d3c-aaaa-bbbb-cccc-111122223333\"}");
        var lines = new List<string>();
        var observer = new HttpObserver(lines.Add, null);

        Task<ApiResponse> sent;
        using (HttpObserver.Observe(observer))
            sent = Task.Run(() => pipeline.SendAsync(Post("{\"filter\":{\"token\":\"" + Token + "\"},\"page_size\":100}"), RequestSafety.Idempotent, default));
        await clock.RunAsync(sent);

        var line = Assert.Single(lines);
        Assert.StartsWith("HTTP Notion POST http://127.0.0.1:1/v1/data_sources/abc/query -> 200 OK in ", line, StringComparison.Ordinal);
        Assert.Contains("(attempt 1, request id 0f1e2d3c-aaaa-bbbb-cccc-111122223333)", line, StringComparison.Ordinal);
        Assert.Contains("request: {\"filter\":{\"token\":\"***\"},\"page_size\":100}", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        Assert.Contains("more characters]", line, StringComparison.Ordinal);
        Assert.True(line.Length < HttpObserver.MaxBodyChars * 2 + 600, $"the text is {line.Length} characters long");
    }

    [Fact]
    public async Task Work_nobody_observes_reports_nothing_and_a_closed_scope_stops_reporting()
    {
        var (pipeline, stub, clock) = Make();
        var lines = new List<string>();
        var observer = new HttpObserver(lines.Add, null);
        using (HttpObserver.Observe(observer)) { }
        await clock.RunAsync(Task.Run(() => pipeline.SendAsync(Post("{}"), RequestSafety.Idempotent, default)));
        await clock.RunAsync(pipeline.SendAsync(Post("{}"), RequestSafety.Idempotent, default));
        Assert.Empty(lines);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task A_429_wait_is_reported_with_its_delay_and_the_failed_attempt_too()
    {
        var (pipeline, stub, clock) = Make();
        stub.Then((HttpStatusCode)429, "{\"object\":\"error\",\"code\":\"rate_limited\"}", TimeSpan.FromSeconds(3)).Then(HttpStatusCode.OK);
        var lines = new List<string>();
        var waits = new List<RateLimitWait>();
        Task<ApiResponse> sent;
        using (HttpObserver.Observe(new HttpObserver(lines.Add, waits.Add)))
            sent = Task.Run(() => pipeline.SendAsync(Post("{}"), RequestSafety.Idempotent, default));
        await clock.RunAsync(sent, TimeSpan.FromSeconds(1));

        var wait = Assert.Single(waits);
        Assert.Equal(TimeSpan.FromSeconds(3), wait.Delay);
        Assert.Equal("Notion asked to slow down (429 Too Many Requests): waiting 3.0 s, as its Retry-After says", wait.ToString());
        Assert.Equal(2, lines.Count);
        Assert.Contains("-> 429 TooManyRequests", lines[0], StringComparison.Ordinal);
        Assert.Contains("(attempt 2", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_an_exchange_without_a_response_then_the_retry_is_another()
    {
        var (pipeline, stub, clock) = Make();
        stub.ThenThrow(new HttpRequestException("Connection refused (127.0.0.1:1)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        var lines = new List<string>();
        Task<ApiResponse> sent;
        using (HttpObserver.Observe(new HttpObserver(lines.Add, null)))
            sent = Task.Run(() => pipeline.SendAsync(Post("{}"), RequestSafety.NotIdempotent, default));
        // Nothing reached the service, so even a create is sent again; the stub then answers 200.
        Assert.Equal(200, (await clock.RunAsync(sent, TimeSpan.FromSeconds(1))).StatusCode);
        Assert.Equal(2, lines.Count);
        Assert.Contains("-> no response in ", lines[0], StringComparison.Ordinal);
        Assert.Contains("\n  error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("-> 200 OK", lines[1], StringComparison.Ordinal);
    }
}
