using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Notion;
using Xunit.Abstractions;
using static OberaConnect.Engine.Tests.Notion.NotionResponder;

namespace OberaConnect.Engine.Tests.Notion;

/// <summary>
/// Real Notion exchanges (Notion-Version 2025-09-03, recorded by notion-sdk-py's tests) must all parse:
/// every response body maps to its typed object (or the raw form for kinds the client does not model),
/// every error body to its typed error, and the calls the client makes replay through the client itself.
/// </summary>
public class RecordedFixtureTests
{
    private readonly ITestOutputHelper _output;

    public RecordedFixtureTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// The recorded exchanges are kept in the repository (tests/Fixtures/notion-recorded, MIT, from
    /// notion-sdk-py's test suite; see the LICENSE file there), so a clean clone runs these tests.
    /// </summary>
    internal static string FixtureDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "OberaConnect.PowerShell.sln"))) dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException($"OberaConnect.PowerShell.sln was not found above {AppContext.BaseDirectory}; cannot locate the recorded Notion fixtures.");
        var path = Path.Combine(dir.FullName, "tests", "Fixtures", "notion-recorded");
        if (!Directory.Exists(path) || Directory.GetFiles(path, "*.json").Length == 0)
            throw new InvalidOperationException("The recorded Notion fixtures were not found in " + path);
        return path;
    }

    private sealed record Exchange(string File, int Index, string Method, string Uri, int Status, string BodyText, bool BodyIsJson, Dictionary<string, string> Headers);

    private static IEnumerable<Exchange> Exchanges()
    {
        foreach (var file in Directory.GetFiles(FixtureDirectory(), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            var i = 0;
            foreach (var interaction in root["interactions"]!.AsArray())
            {
                var request = interaction!["request"]!;
                var response = interaction["response"]!;
                var body = response["body"];
                var isJson = body is JsonObject || body is JsonArray;
                var text = body is null ? "" : isJson ? body.ToJsonString() : (string)body!;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                if (response["headers"] is JsonObject h)
                    foreach (var kv in h) headers[kv.Key] = kv.Value is JsonArray a ? string.Join(",", a.Select(x => (string?)x)) : kv.Value?.ToString() ?? "";
                yield return new Exchange(Path.GetFileName(file), i++, (string)request["method"]!, (string)request["uri"]!, (int)response["status"]!, text, isJson, headers);
            }
        }
    }

    private static readonly Dictionary<string, Type> Expected = new()
    {
        ["page"] = typeof(NotionPage),
        ["database"] = typeof(NotionDatabase),
        ["data_source"] = typeof(NotionDataSource),
        ["block"] = typeof(NotionBlock),
        ["user"] = typeof(NotionUser),
        ["list"] = typeof(NotionList),
        ["error"] = typeof(NotionError),
    };

    private static void AssertParsesAsItsKind(NotionObject parsed, JsonElement source)
    {
        var kind = source.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";
        Assert.IsType(Expected.TryGetValue(kind, out var t) ? t : typeof(NotionRawObject), parsed);
        Assert.Equal(kind, parsed.ObjectType);
        if (source.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && NotionId.TryParse(id.GetString(), out var norm))
            Assert.Equal(norm.Value, parsed.Id);
        switch (parsed)
        {
            case NotionPage page:
                Assert.Equal(source.GetProperty("properties").EnumerateObject().Count(), page.Properties.Count);
                Assert.All(page.Properties.Values, v => Assert.IsNotType<UnknownValue>(v));
                Assert.NotEqual(default, page.CreatedTime);
                break;
            case NotionDatabase db:
                Assert.Equal(source.GetProperty("data_sources").GetArrayLength(), db.DataSources.Count);
                break;
            case NotionDataSource ds when source.TryGetProperty("properties", out var props):
                Assert.Equal(props.EnumerateObject().Count(), ds.Properties.Count);
                break;
            case NotionList list:
                var results = source.GetProperty("results");
                Assert.Equal(results.GetArrayLength(), list.Results.Count);
                var k = 0;
                foreach (var item in results.EnumerateArray()) AssertParsesAsItsKind(list.Results[k++], item);
                break;
        }
    }

    [Fact]
    public void Every_recorded_response_parses()
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var count = 0;
        foreach (var x in Exchanges())
        {
            count++;
            var where = $"{x.File}#{x.Index} {x.Method} {x.Uri} → {x.Status}";
            try
            {
                if (x.Status >= 200 && x.Status < 300)
                {
                    Assert.True(x.BodyIsJson, "2xx answers are JSON");
                    var parsed = NotionObject.Parse(x.BodyText);
                    using var doc = JsonDocument.Parse(x.BodyText);
                    AssertParsesAsItsKind(parsed, doc.RootElement);
                    kinds[parsed.ObjectType.Length == 0 ? "(none)" : parsed.ObjectType] = kinds.TryGetValue(parsed.ObjectType.Length == 0 ? "(none)" : parsed.ObjectType, out var n) ? n + 1 : 1;
                }
                else
                {
                    var error = NotionApiException.FromResponse(x.Status, x.BodyText, x.Headers, "the recorded request");
                    Assert.Equal(x.Status, error.Status);
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    if (x.BodyIsJson)
                    {
                        var body = JsonNode.Parse(x.BodyText)!;
                        Assert.Equal((string?)body["code"], error.Code);
                        Assert.Equal((string?)body["request_id"], error.RequestId);
                        Assert.Contains((string)body["message"]!, error.Message);
                        Assert.IsType<NotionError>(NotionObject.Parse(x.BodyText));
                    }
                    else
                    {
                        Assert.Contains(x.BodyText.Trim(), error.Message);
                    }
                    Assert.IsType(x.Status switch
                    {
                        400 => typeof(NotionBadRequestException),
                        401 => typeof(NotionUnauthorizedException),
                        404 => typeof(NotionObjectNotFoundException),
                        _ => typeof(NotionApiException),
                    }, error);
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{where}: {ex}");
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                throw new Xunit.Sdk.XunitException($"{where}: {ex.Message}");
            }
        }
        _output.WriteLine($"{count} exchanges: " + string.Join(", ", kinds.Select(k => $"{k.Key}={k.Value}")));
        Assert.True(count > 100, $"only {count} exchanges found");
        foreach (var kind in new[] { "page", "database", "data_source", "block", "user", "list", "comment" })
            Assert.True(kinds.ContainsKey(kind), "no fixture of kind " + kind);
    }

    /// <summary>Each recorded call the client itself makes is replayed through the client against its recorded answer.</summary>
    [Fact]
    public async Task Recorded_answers_replay_through_the_client()
    {
        const string Id = "([0-9a-f-]{32,36})";
        var calls = new List<(string Method, Regex Path, Func<NotionClient, string, Task<object>> Call)>
        {
            ("GET", new Regex($"^/v1/pages/{Id}$"), async (c, id) => await c.GetPageAsync(id)),
            ("GET", new Regex("^/v1/users/me$"), async (c, _) => await c.GetMeAsync()),
            ("GET", new Regex($"^/v1/databases/{Id}$"), async (c, id) => await c.GetDatabaseAsync(id)),
            ("GET", new Regex($"^/v1/blocks/{Id}/children$"), async (c, id) => { var n = 0; await foreach (var _ in c.ListChildrenAsync(id)) n++; return n; }),
            ("DELETE", new Regex($"^/v1/blocks/{Id}$"), async (c, id) => await c.DeleteBlockAsync(id)),
            ("POST", new Regex("^/v1/search$"), async (c, unused) => { var n = 0; await foreach (var _ in c.SearchAsync("x")) n++; return n; }),
            ("POST", new Regex($"^/v1/data_sources/{Id}/query$"), async (c, id) => await c.QueryPageAsync(id, new NotionQuery())),
        };

        var replayed = 0;
        foreach (var x in Exchanges())
        {
            var uri = new Uri(x.Uri);
            if (uri.Host != "api.notion.com") continue;
            var match = calls.Select(c => (c, m: c.Path.Match(uri.AbsolutePath))).FirstOrDefault(t => t.c.Method == x.Method && t.m.Success);
            if (match.c.Call is null) continue;
            // The recorded answer once; a cursor it names then leads to an empty last page.
            var answered = false;
            var responder = new NotionResponder().On(x.Method, ".*", call =>
            {
                if (answered) return Reply.Ok(NotionShapes.List(Array.Empty<JsonNode>()));
                answered = true;
                return new Reply { Status = x.Status, Body = x.BodyText, ContentType = x.BodyIsJson ? "application/json" : "text/plain" };
            });
            // Data source ids resolve as themselves: not a database, but a data source.
            responder.On("GET", "/v1/databases/.*", _ => Reply.Error(404, "object_not_found", "not a database"));
            responder.On("GET", "/v1/data_sources/.*", c => Reply.Ok(new JsonObject { ["object"] = "data_source", ["id"] = c.Path.Split('/')[^1] }));
            if (x.Method == "GET" && uri.AbsolutePath.StartsWith("/v1/databases/"))
                responder.On("GET", "/v1/databases/.*", _ => new Reply { Status = x.Status, Body = x.BodyText });
            using var client = TestClients.Create(responder, tweak: o => { o.NotionVersion = "2025-09-03"; o.Resilience.MaxRetries = 0; });
            var id = match.m.Groups.Count > 1 && match.m.Groups[1].Success ? match.m.Groups[1].Value : "";
            try
            {
                await match.c.Call(client, id);
                Assert.True(x.Status < 300, $"{x.File}#{x.Index}: expected an error for HTTP {x.Status}");
            }
            catch (NotionApiException ex)
            {
                Assert.True(x.Status >= 400, $"{x.File}#{x.Index}: unexpected {ex.GetType().Name}: {ex.Message}");
                Assert.Equal(x.Status, ex.Status);
            }
            replayed++;
        }
        _output.WriteLine($"{replayed} exchanges replayed through the client");
        Assert.True(replayed > 50, $"only {replayed} exchanges replayed");
    }
}
