using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OberaConnect.Fakes.Notion;
using Xunit.Abstractions;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>
/// Keeps the fake honest against real Notion: every exchange recorded by notion-sdk-py (Notion-Version
/// 2025-09-03, in Recorded/) whose endpoint the fake supports is replayed against the fake, in order,
/// with the recorded ids mapped to the ids the fake hands out. The fake must answer the same status
/// with the same JSON shape: the same keys, recursively, and the same value kinds (null is accepted
/// where the recording has null, or where the field is optional). Exchanges with an endpoint the fake
/// does not support are listed with the reason (<see cref="NotSupported"/>).
/// </summary>
public sealed partial class RecordedExchangeTests
{
    private readonly ITestOutputHelper _output;

    public RecordedExchangeTests(ITestOutputHelper output) => _output = output;

    /// <summary>Endpoints seen in the recordings that the fake deliberately leaves out, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotSupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["POST /v1/comments"] = "comments are not used by OberaConnect",
        ["GET /v1/comments"] = "comments are not used by OberaConnect",
        ["GET /v1/comments/{id}"] = "comments are not used by OberaConnect",
        ["PATCH /v1/comments/{id}"] = "comments are not used by OberaConnect",
        ["DELETE /v1/comments/{id}"] = "comments are not used by OberaConnect",
        ["POST /v1/file_uploads"] = "file uploads are not used by OberaConnect",
        ["GET /v1/file_uploads"] = "file uploads are not used by OberaConnect",
        ["GET /v1/file_uploads/{id}"] = "file uploads are not used by OberaConnect",
        ["POST /v1/file_uploads/{id}/send"] = "file uploads are not used by OberaConnect",
        ["POST /v1/views"] = "database views are not used by OberaConnect",
        ["GET /v1/views"] = "database views are not used by OberaConnect",
        ["GET /v1/views/{id}"] = "database views are not used by OberaConnect",
        ["PATCH /v1/views/{id}"] = "database views are not used by OberaConnect",
        ["DELETE /v1/views/{id}"] = "database views are not used by OberaConnect",
        ["POST /v1/views/{id}/queries"] = "database views are not used by OberaConnect",
        ["DELETE /v1/views/{id}/queries/{id}"] = "database views are not used by OberaConnect",
        ["GET /v1/data_sources/{id}/templates"] = "page templates are not used by OberaConnect",
        ["GET /v1/pages/{id}/markdown"] = "the Markdown content API is not used (OberaConnect writes blocks)",
        ["PATCH /v1/pages/{id}/markdown"] = "the Markdown content API is not used (OberaConnect writes blocks)",
        ["GET /v1/async_tasks/{id}"] = "async tasks belong to the Markdown content API, which is not used",
        ["POST /v1/pages/{id}/move"] = "moving pages is not used by OberaConnect",
        ["GET /v1/custom_emojis"] = "custom emojis are not used by OberaConnect",
    };

    /// <summary>Fields the fake may answer null where the recording has a value (they are nullable in Notion's schema).</summary>
    private static readonly HashSet<string> NullableFields = new(StringComparer.Ordinal)
    {
        "next_cursor", "icon", "cover", "public_url", "link", "href", "end", "time_zone", "description", "avatar_url", "prefix",
    };

    private const string RecordedRootPageId = "393abc1e-edcd-80f3-813b-e205934558c6";
    private const string RecordedBotId = "7775f3a3-893f-43fa-b625-460c61094c78";

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in FixtureNames()) data.Add(name);
        return data;
    }

    private static IEnumerable<string> FixtureNames()
        => Directory.GetFiles(RecordedDirectory(), "*.json").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Recorded_exchange_is_answered_with_the_same_status_and_shape(string fixture)
    {
        var report = await ReplayAsync(fixture);
        foreach (var line in report.Lines) _output.WriteLine(line);
        Assert.True(report.Problems.Count == 0, string.Join("\n", report.Problems));
    }

    /// <summary>The coverage list: every recorded exchange is either replayed or explained, and every supported endpoint that was recorded is replayed.</summary>
    [Fact]
    public async Task Every_recorded_exchange_is_replayed_or_explained()
    {
        var replayed = new HashSet<string>(StringComparer.Ordinal);
        var recordedSupported = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var fixture in FixtureNames())
        {
            var report = await ReplayAsync(fixture);
            Assert.True(report.Problems.Count == 0, $"{fixture}: " + string.Join("\n", report.Problems));
            total += report.Outcomes.Count;
            foreach (var (endpoint, outcome) in report.Outcomes)
            {
                if (NotionApi_Endpoints.Contains(endpoint)) recordedSupported.Add(endpoint);
                if (outcome == "replayed") replayed.Add(endpoint);
                else skipped[$"{endpoint}: {outcome}"] = skipped.GetValueOrDefault($"{endpoint}: {outcome}") + 1;
            }
        }
        _output.WriteLine($"{total} recorded exchanges; replayed endpoints:");
        foreach (var e in replayed.Order(StringComparer.Ordinal)) _output.WriteLine("  " + e);
        _output.WriteLine("not replayed:");
        foreach (var (what, count) in skipped) _output.WriteLine($"  {count} x {what}");

        Assert.Empty(recordedSupported.Except(replayed));
        // Exchanges the fake must cover (a fixture set without them would make this test vacuous).
        foreach (var endpoint in new[]
                 {
                     "GET /v1/users/me", "GET /v1/users", "POST /v1/pages", "GET /v1/pages/{id}", "PATCH /v1/pages/{id}",
                     "POST /v1/databases", "GET /v1/databases/{id}", "PATCH /v1/databases/{id}", "POST /v1/data_sources",
                     "GET /v1/data_sources/{id}", "PATCH /v1/data_sources/{id}", "POST /v1/data_sources/{id}/query",
                     "GET /v1/blocks/{id}", "PATCH /v1/blocks/{id}", "DELETE /v1/blocks/{id}", "GET /v1/blocks/{id}/children",
                     "PATCH /v1/blocks/{id}/children", "POST /v1/search", "GET /v1/invalid",
                 })
            Assert.Contains(endpoint, replayed);
    }

    [Fact]
    public void Shape_check_reports_missing_and_extra_keys_and_changed_kinds()
    {
        var recorded = JsonNode.Parse("""{"object":"page","icon":null,"in_trash":false,"properties":{"title":{"id":"title","title":[{"plain_text":"a"}]}},"next_cursor":"x"}""");
        var same = JsonNode.Parse("""{"object":"page","icon":{"type":"emoji"},"in_trash":true,"properties":{"title":{"id":"t","title":[]}},"next_cursor":null}""");
        var problems = new List<string>();
        CompareShape(recorded, same, "body", null, problems);
        Assert.Empty(problems);

        var different = JsonNode.Parse("""{"object":"page","in_trash":"no","properties":{"title":{"id":"title","title":[{"plain_text":1}]}},"extra":1,"next_cursor":null}""");
        CompareShape(recorded, different, "body", null, problems);
        Assert.Contains(problems, p => p.Contains("lacks icon", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("adds extra", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("body.in_trash: recorded boolean, the fake has string", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("body.properties.title.title[0].plain_text: recorded string, the fake has number", StringComparison.Ordinal));
    }

    private static readonly HashSet<string> NotionApi_Endpoints = new(NotionFake.SupportedEndpoints, StringComparer.Ordinal);

    // ---- replay ----------------------------------------------------------------------------------

    private sealed record Report(List<string> Lines, List<string> Problems, List<(string Endpoint, string Outcome)> Outcomes);

    private static async Task<Report> ReplayAsync(string fixture)
    {
        var lines = new List<string> { fixture };
        var problems = new List<string>();
        var outcomes = new List<(string, string)>();
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RecordedDirectory(), fixture)))!;
        var interactions = doc["interactions"]!.AsArray();

        await using var fake = await NotionFake.StartAsync();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RecordedRootPageId] = fake.RootPageId,
            [RecordedBotId] = fake.BotUserId,
        };
        // Ids the recorded server handed out in this file: a request naming one the fake never mapped depends on a skipped call.
        var recordedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in interactions) CollectIds(i!["response"]!["body"], recordedIds);

        for (var n = 0; n < interactions.Count; n++)
        {
            var request = interactions[n]!["request"]!;
            var response = interactions[n]!["response"]!;
            var method = request["method"]!.GetValue<string>();
            var uri = new Uri(request["uri"]!.GetValue<string>());
            var recordedStatus = response["status"]!.GetValue<int>();
            var endpoint = $"{method} {Template(uri.AbsolutePath)}";
            var label = $"  #{n} {method} {uri.PathAndQuery} -> {recordedStatus}";

            if (uri.Host != "api.notion.com")
            {
                lines.Add($"{label}: not replayed, not a Notion API request ({uri.Host})");
                outcomes.Add(("(not Notion) " + uri.Host, "not a Notion API request"));
                continue;
            }
            var unknownRoute = response["body"]?["code"]?.GetValue<string>() == "invalid_request_url";
            if (!NotionApi_Endpoints.Contains(endpoint) && !unknownRoute)
            {
                var reason = NotSupported.TryGetValue(endpoint, out var r) ? r : null;
                if (reason is null)
                {
                    problems.Add($"{label}: endpoint {endpoint} is neither supported by the fake nor listed in NotSupported");
                    continue;
                }
                lines.Add($"{label}: not supported, {reason}");
                outcomes.Add((endpoint, "not supported: " + reason));
                continue;
            }

            var path = uri.PathAndQuery.TrimStart('/');
            var body = request["body"] is { } b ? b.ToJsonString() : null;
            var missing = IdsIn(path + " " + body).Where(id => recordedIds.Contains(id) && !ids.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                lines.Add($"{label}: not replayed, depends on an object created by an unsupported call ({missing[0]})");
                outcomes.Add((endpoint, "depends on an unsupported call"));
                continue;
            }
            path = MapIds(path, ids);
            body = body is null ? null : MapIds(body, ids);

            var version = request["notion_version"]?.GetValue<string>() ?? "2025-09-03";
            using var api = new FakeApi(fake, version, recordedStatus == 401 ? "ntn_wrong_token" : null);
            var answer = await api.SendAsync(new HttpMethod(method), path, body);
            outcomes.Add((unknownRoute ? $"{method} {uri.AbsolutePath}" : endpoint, "replayed"));

            if (answer.Status != recordedStatus)
            {
                problems.Add($"{label}: the fake answered {answer.Status}: {answer.Text}");
                continue;
            }
            var shapeProblems = new List<string>();
            CompareShape(response["body"], answer.Json, "body", null, shapeProblems);
            if (shapeProblems.Count > 0) problems.AddRange(shapeProblems.Select(p => $"{label}: {p}"));
            else lines.Add($"{label}: replayed, same status and shape");

            if (endpoint != "POST /v1/search") LearnIds(response["body"], answer.Json, ids);
        }
        return new Report(lines, problems, outcomes);
    }

    private static string RecordedDirectory() => OberaConnect.Engine.Tests.Notion.RecordedFixtureTests.FixtureDirectory();

    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex IdPattern();

    private static string? Normalize(string s)
        => Guid.TryParse(s, out var g) && (s.Length == 32 || s.Length == 36) ? g.ToString("D") : null;

    private static IEnumerable<string> IdsIn(string text)
        => IdPattern().Matches(text).Select(m => Normalize(m.Value)).OfType<string>();

    private static string Template(string path)
        => string.Join('/', path.Split('/').Select(s => Normalize(s) is not null || s.StartsWith("task_", StringComparison.Ordinal) ? "{id}" : s));

    private static string MapIds(string text, Dictionary<string, string> ids)
        => IdPattern().Replace(text, m =>
        {
            var id = Normalize(m.Value);
            if (id is null || !ids.TryGetValue(id, out var mapped)) return m.Value;
            return m.Value.Contains('-', StringComparison.Ordinal) ? mapped : mapped.Replace("-", "", StringComparison.Ordinal);
        });

    private static void CollectIds(JsonNode? node, HashSet<string> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                    if (key != "request_id") CollectIds(value, into);
                break;
            case JsonArray a:
                foreach (var item in a) CollectIds(item, into);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                if (Normalize(v.GetValue<string>()) is { } id) into.Add(id);
                break;
        }
    }

    /// <summary>Walks the recorded and fake answers side by side; a UUID in both places maps recorded to fake.</summary>
    private static void LearnIds(JsonNode? recorded, JsonNode? fake, Dictionary<string, string> ids)
    {
        switch (recorded)
        {
            case JsonObject ro when fake is JsonObject fo:
                foreach (var (key, value) in ro)
                    if (key != "request_id" && fo.TryGetPropertyValue(key, out var fv)) LearnIds(value, fv, ids);
                break;
            case JsonArray ra when fake is JsonArray fa:
                for (var i = 0; i < Math.Min(ra.Count, fa.Count); i++) LearnIds(ra[i], fa[i], ids);
                break;
            case JsonValue rv when rv.GetValueKind() == JsonValueKind.String && fake is JsonValue fv2 && fv2.GetValueKind() == JsonValueKind.String:
                if (Normalize(rv.GetValue<string>()) is { } r && Normalize(fv2.GetValue<string>()) is { } f) ids.TryAdd(r, f);
                break;
        }
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var k => k.ToString().ToLowerInvariant(),
    };

    /// <summary>Same keys (recursively) and value kinds; null allowed where recorded null or the field is nullable.</summary>
    private static void CompareShape(JsonNode? recorded, JsonNode? fake, string path, string? key, List<string> problems)
    {
        if (recorded is null) return;
        if (fake is null)
        {
            if (key is null || !NullableFields.Contains(key)) problems.Add($"{path}: recorded {Kind(recorded)}, the fake has null");
            return;
        }
        if (Kind(recorded) != Kind(fake))
        {
            problems.Add($"{path}: recorded {Kind(recorded)}, the fake has {Kind(fake)}");
            return;
        }
        switch (recorded)
        {
            case JsonObject ro:
            {
                var fo = (JsonObject)fake;
                var missing = ro.Select(kv => kv.Key).Where(k => !fo.ContainsKey(k)).ToList();
                var extra = fo.Select(kv => kv.Key).Where(k => !ro.ContainsKey(k)).ToList();
                if (missing.Count > 0) problems.Add($"{path}: the fake lacks {string.Join(", ", missing)}");
                if (extra.Count > 0) problems.Add($"{path}: the fake adds {string.Join(", ", extra)}");
                foreach (var (k, value) in ro)
                    if (fo.TryGetPropertyValue(k, out var fv)) CompareShape(value, fv, $"{path}.{k}", k, problems);
                break;
            }
            case JsonArray ra:
            {
                var fa = (JsonArray)fake;
                if (ra.Count == 0) break;
                for (var i = 0; i < fa.Count; i++)
                {
                    var counterpart = ra.FirstOrDefault(r => Signature(r) == Signature(fa[i])) ?? (ra[0] is JsonObject ? null : ra[0]);
                    if (counterpart is not null) CompareShape(counterpart, fa[i], $"{path}[{i}]", null, problems);
                }
                break;
            }
        }
    }

    private static string Signature(JsonNode? n) => n is JsonObject o
        ? $"{o["object"]?.ToJsonString()}/{o["type"]?.ToJsonString()}"
        : n?.GetValueKind().ToString() ?? "null";
}
