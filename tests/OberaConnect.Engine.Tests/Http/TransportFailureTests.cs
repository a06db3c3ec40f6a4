using System.Net;
using System.Net.Sockets;
using System.Text;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Tests.Http;

/// <summary>
/// What a request that gets no answer is reported as, over real sockets on the loopback interface (never any other
/// address): a closed port (connection refused), a name that cannot resolve (the reserved .invalid domain), https to a
/// plain-HTTP listener (the TLS handshake fails) and a listener that never answers (timeout). Each is its own ErrorId
/// with the host and port in the message, and the circuit breaker names the last of them.
/// </summary>
public sealed class TransportFailureTests : IDisposable
{
    private readonly List<TcpListener> _listeners = new();
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners) listener.Stop();
        _stop.Dispose();
    }

    private static ResilientHttpPipeline Pipeline(int maxRetries = 1, int breakerThreshold = 10, double timeoutSeconds = 5)
        => new("Notion", new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }),
            new HttpResilienceOptions
            {
                MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(20),
                RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds), BreakerFailureThreshold = breakerThreshold,
            },
            new RequestPacer(1000, 1000));

    private static Func<HttpRequestMessage> Get(string url) => () => new HttpRequestMessage(HttpMethod.Get, url);

    /// <summary>A port on 127.0.0.1 nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>A listener on 127.0.0.1 that accepts connections and, when <paramref name="answer"/> is given, writes it and closes.</summary>
    private int Listener(string? answer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _listeners.Add(listener);
        _ = Task.Run(async () =>
        {
            var held = new List<TcpClient>();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(_stop.Token);
                    held.Add(client);
                    if (answer is null) continue; // never answers: the connection is kept open and silent
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    _ = await stream.ReadAsync(buffer, _stop.Token);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                    client.Close();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
            finally
            {
                foreach (var c in held) c.Dispose();
            }
        });
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_closed_port_is_ConnectionRefused_with_the_host_and_port()
    {
        var port = ClosedPort();
        var pipeline = Pipeline();

        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => pipeline.SendAsync(Get($"http://127.0.0.1:{port}/v1/users/me"), RequestSafety.Idempotent, default));

        Assert.Equal(HttpFailure.ConnectionRefused, ex.ErrorId);
        Assert.Equal(FailureKind.ServiceUnavailable, ex.Kind);
        Assert.Contains($"the connection to 127.0.0.1:{port} was refused", ex.Message);
        Assert.Contains("GET /v1/users/me, 2 attempt(s)", ex.Message);
        Assert.Equal(HttpFailure.ConnectionRefused, pipeline.Statistics.LastFailure!.ErrorId);
        Assert.Equal(2, pipeline.Statistics.Failures);
    }

    [Fact]
    public async Task A_create_refused_at_connect_is_not_an_unknown_outcome()
    {
        // Nothing reached the service, so retrying it cannot write twice and the caller need not look it up.
        var port = ClosedPort();
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Pipeline().SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/v1/pages") { Content = new StringContent("{}") }, RequestSafety.NotIdempotent, default));
        Assert.Equal(HttpFailure.ConnectionRefused, ex.ErrorId);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_HostNotFound_naming_the_host()
    {
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Pipeline(maxRetries: 0).SendAsync(
            Get("http://nonexistent.invalid/v1/users/me"), RequestSafety.Idempotent, default));

        Assert.Equal(HttpFailure.HostNotFound, ex.ErrorId);
        Assert.Contains("the host name nonexistent.invalid could not be resolved", ex.Message);
        Assert.Contains("DNS", ex.Message);
    }

    [Fact]
    public async Task Https_to_a_plain_http_listener_is_TlsHandshakeFailed_and_not_an_unknown_outcome()
    {
        var port = Listener("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        var read = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Pipeline(maxRetries: 0).SendAsync(
            Get($"https://127.0.0.1:{port}/v1/users/me"), RequestSafety.Idempotent, default));
        Assert.Equal(HttpFailure.TlsHandshakeFailed, read.ErrorId);
        Assert.Contains($"the TLS handshake with 127.0.0.1:{port} failed", read.Message);
        Assert.Contains("certificate", read.Message);

        // The request is only sent once the handshake is done: a create that failed there was not applied.
        var create = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Pipeline(maxRetries: 0).SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{port}/v1/pages") { Content = new StringContent("{}") }, RequestSafety.NotIdempotent, default));
        Assert.Equal(HttpFailure.TlsHandshakeFailed, create.ErrorId);
    }

    [Fact]
    public async Task A_listener_that_never_answers_is_RequestTimeout_with_the_timeout()
    {
        var port = Listener(answer: null);

        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Pipeline(maxRetries: 0, timeoutSeconds: 1).SendAsync(
            Get($"http://127.0.0.1:{port}/v1/users/me"), RequestSafety.Idempotent, default));

        Assert.Equal(HttpFailure.RequestTimeout, ex.ErrorId);
        Assert.Equal(FailureKind.Timeout, ex.Kind);
        Assert.Contains($"127.0.0.1:{port} did not answer within 1 s", ex.Message);
    }

    [Fact]
    public async Task The_circuit_breaker_names_the_failure_behind_it()
    {
        var port = ClosedPort();
        var pipeline = Pipeline(maxRetries: 3, breakerThreshold: 2);

        // The call that opened the breaker reports what it met, and that calls are now paused.
        var first = await Assert.ThrowsAsync<ServiceUnavailableException>(() => pipeline.SendAsync(Get($"http://127.0.0.1:{port}/v1/users/me"), RequestSafety.Idempotent, default));
        Assert.Equal(HttpFailure.ConnectionRefused, first.ErrorId);
        Assert.Contains("circuit breaker open", first.Message);

        // The next is turned away by the open breaker, whose message still names the cause and the host.
        var next = await Assert.ThrowsAsync<CircuitOpenException>(() => pipeline.SendAsync(Get($"http://127.0.0.1:{port}/v1/search"), RequestSafety.Idempotent, default));
        Assert.Equal("CircuitOpen", next.ErrorId);
        Assert.Equal(HttpFailure.ConnectionRefused, next.LastFailure!.ErrorId);
        Assert.Contains($"the connection to 127.0.0.1:{port} was refused", next.Message);
        Assert.Contains("Check the URL and port", next.Message);
    }
}
