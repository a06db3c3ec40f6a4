using System.Net;

namespace OberaConnect.Engine.Tests.Support;

/// <summary>An HTTP handler that answers from a script of responses, recording what was asked.</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public List<(string Method, string Uri, DateTimeOffset At)> Requests { get; } = new();
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public StubHandler Then(HttpStatusCode status, string body = "{}", TimeSpan? retryAfter = null)
    {
        _script.Enqueue((_, _) =>
        {
            var r = new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (retryAfter is { } ra) r.Headers.TryAddWithoutValidation("Retry-After", ((int)ra.TotalSeconds).ToString());
            return Task.FromResult(r);
        });
        return this;
    }

    public StubHandler ThenThrow(Exception ex)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(ex));
        return this;
    }

    public StubHandler ThenHang()
    {
        _script.Enqueue(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return new HttpResponseMessage(HttpStatusCode.OK); });
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add((request.Method.Method, request.RequestUri!.ToString(), Clock.GetUtcNow()));
        var next = _script.Count > 0 ? _script.Dequeue() : (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        return next(request, cancellationToken);
    }
}
