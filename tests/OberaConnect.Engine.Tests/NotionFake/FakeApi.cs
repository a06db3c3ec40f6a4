using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>An answer from the fake: status, parsed JSON (null when not JSON), raw text and headers.</summary>
internal sealed record FakeAnswer(int Status, JsonNode? Json, string Text, HttpResponseHeaders Headers, string? ContentType)
{
    public JsonObject Object => Json as JsonObject ?? throw new Xunit.Sdk.XunitException($"Expected a JSON object, got {Status}: {Text}");
    public string? Code => Json?["code"]?.GetValue<string>();
    public string? Message => Json?["message"]?.GetValue<string>();
    public JsonArray Results => (JsonArray)Object["results"]!;
}

/// <summary>Plain HttpClient + System.Text.Json calls to the fake, as any client would make them.</summary>
internal sealed class FakeApi : IDisposable
{
    private readonly HttpClient _http;

    public FakeApi(NotionFake fake, string? version = "2026-03-11", string? token = null, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = fake.BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        Version = version;
        Token = token ?? fake.Token;
    }

    public string? Version { get; }
    public string? Token { get; }

    public Task<FakeAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<FakeAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);
    public Task<FakeAnswer> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);
    public Task<FakeAnswer> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    public async Task<FakeAnswer> SendAsync(HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(_http.BaseAddress!, path.TrimStart('/')));
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (Version is not null) request.Headers.Add("Notion-Version", Version);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? node = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json") node = JsonNode.Parse(text);
        return new FakeAnswer((int)response.StatusCode, node, text, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Creates a database under <paramref name="parentPageId"/> through the API; returns (database id, data source id).</summary>
    public async Task<(string DatabaseId, string DataSourceId)> CreateDatabaseAsync(string parentPageId, string title, string propertiesJson)
    {
        var answer = await PostAsync("v1/databases", $$$"""
            {"parent":{"type":"page_id","page_id":"{{{parentPageId}}}"},
             "title":[{"type":"text","text":{"content":"{{{title}}}"}}],
             "initial_data_source":{"properties":{{{propertiesJson}}}}}
            """);
        Assert.True(answer.Status == 200, answer.Text);
        return (answer.Object["id"]!.GetValue<string>(), answer.Object["data_sources"]![0]!["id"]!.GetValue<string>());
    }

    public void Dispose() => _http.Dispose();
}
