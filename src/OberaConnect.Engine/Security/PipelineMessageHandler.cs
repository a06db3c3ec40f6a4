using System.Net;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Security;

/// <summary>
/// Lets an SDK that sends its own HttpRequestMessages (the Azure SDK) go through the module's one
/// <see cref="ResilientHttpPipeline"/>, so its requests are paced, retried, traced and counted like every
/// other service's. The SDK's own retries are switched off where this is used.
/// </summary>
internal sealed class PipelineMessageHandler : HttpMessageHandler
{
    // Headers that belong on HttpContent rather than on the message, when rebuilding a response.
    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Language", "Content-Location", "Content-MD5",
        "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private readonly ResilientHttpPipeline _pipeline;

    public PipelineMessageHandler(ResilientHttpPipeline pipeline) => _pipeline = pipeline;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[]? body = null;
        List<KeyValuePair<string, IEnumerable<string>>>? contentHeaders = null;
        if (request.Content != null)
        {
            body = await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            contentHeaders = request.Content.Headers.ToList();
        }
        var method = request.Method;
        var safety = method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete
            ? RequestSafety.Idempotent : RequestSafety.NotIdempotent;

        var response = await _pipeline.SendAsync(() =>
        {
            var copy = new HttpRequestMessage(method, request.RequestUri) { Version = request.Version };
            foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (body != null)
            {
                copy.Content = new ByteArrayContent(body);
                foreach (var header in contentHeaders!) copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            return copy;
        }, safety, cancellationToken).ConfigureAwait(false);

        var result = new HttpResponseMessage((HttpStatusCode)response.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(response.Body)),
        };
        foreach (var header in response.Headers)
        {
            if (string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header.Key, "Content-Encoding", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue; // the body was decoded to text and is re-encoded here
            if (ContentHeaders.Contains(header.Key)) result.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            else result.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return result;
    }
}
