using System.Text.RegularExpressions;
using OberaConnect.Engine.Tests.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>
/// Every Notion route the client can call is one the fake serves: the client's sources are read for each request
/// they build (method and "v1/..." path), so a new call fails here before any test or user meets the fake's
/// invalid_request_url. Endpoints the product does not call stay listed as not supported in <see cref="RecordedExchangeTests"/>.
/// </summary>
public sealed partial class ClientRouteCoverageTests
{
    // SendAsync(HttpMethod.Get | Post | Delete | Patch, "v1/..." or $"v1/...{x}..." [+ id], ...) and PaginateGetAsync($"v1/...").
    [GeneratedRegex("""(?:SendAsync\(\s*(?:HttpMethod\.(?<method>Get|Post|Delete)|(?<patch>Patch))|(?<paginate>PaginateGetAsync)\()\s*,?\s*\$?"(?<path>v1/[^"?]*)(?:\?[^"]*)?"(?<concat>\s*\+\s*\w+)?""")]
    private static partial Regex RequestPattern();

    // var url = $"v1/..."; ... SendAsync(HttpMethod.Get, url, ...): the path in a variable first (GetPropertyAsync's cursor loop).
    [GeneratedRegex("""var (?<name>\w+) = \$?"(?<path>v1/[^"?]*)(?:\?[^"]*)?"(?:;| \+)""")]
    private static partial Regex PathVariable();

    [GeneratedRegex("\"v1/")]
    private static partial Regex AnyNotionPath();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Interpolation();

    [Fact]
    public void Every_route_the_Notion_client_calls_is_served_by_the_fake()
    {
        var directory = Path.Combine(GeneratedDocument.RepositoryRoot(), "src", "OberaConnect.Engine", "Notion");
        var served = new HashSet<string>(Fakes.Notion.NotionFake.SupportedEndpoints, StringComparer.Ordinal);
        var called = new SortedSet<string>(StringComparer.Ordinal);
        int literals = 0, understood = 0;
        foreach (var file in Directory.GetFiles(directory, "NotionClient*.cs"))
        {
            var text = File.ReadAllText(file);
            literals += AnyNotionPath().Matches(text).Count;
            foreach (Match m in RequestPattern().Matches(text))
            {
                understood++;
                var method = m.Groups["patch"].Success ? "PATCH" : m.Groups["paginate"].Success ? "GET" : m.Groups["method"].Value.ToUpperInvariant();
                var path = Interpolation().Replace(m.Groups["path"].Value, "{id}");
                if (m.Groups["concat"].Success) path += "{id}";
                called.Add(Route(method, path));
            }
            foreach (Match v in PathVariable().Matches(text))
            {
                var use = Regex.Match(text, $@"SendAsync\(\s*(?:HttpMethod\.(?<method>Get|Post|Delete)|(?<patch>Patch))\s*,\s*{v.Groups["name"].Value}\b");
                Assert.True(use.Success, $"{Path.GetFileName(file)}: the path in '{v.Groups["name"].Value}' is sent in a way this test does not read.");
                understood++;
                called.Add(Route(use.Groups["patch"].Success ? "PATCH" : use.Groups["method"].Value.ToUpperInvariant(), Interpolation().Replace(v.Groups["path"].Value, "{id}")));
            }
        }

        // Every "v1/ literal in the client must be one the pattern understood: a new way of building a request
        // cannot slip past this test unread.
        Assert.Equal(literals, understood);
        Assert.Contains("GET /v1/pages/{id}/properties/{property_id}", called);
        Assert.All(called, route => Assert.Contains(route, served));
    }

    // The fake names the second route value after what it is; in the client it is just an interpolated value.
    private static string Route(string method, string path)
        => $"{method} /{path.Replace("/properties/{id}", "/properties/{property_id}", StringComparison.Ordinal)}";
}
