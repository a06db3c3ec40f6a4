using System.Text.RegularExpressions;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.NotionFakeTests;

/// <summary>The standalone runner behind <c>dotnet run --project tests/OberaConnect.Fakes -- --service notion</c>.</summary>
public sealed class StandaloneTests
{
    [Fact]
    public async Task Standalone_prints_where_it_listens_serves_until_cancelled_and_limits_the_rate()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = NotionStandalone.RunAsync(new[] { "--port", "0", "--token", "ntn_standalone", "--seed-demo", "--rate", "0.01", "--burst", "2" },
            TextWriter.Synchronized(output), stop.Token);
        var text = await StartedAsync(run, output);
        var baseUrl = new Uri(Regex.Match(text, @"base URL\s+(\S+)").Groups[1].Value);
        var rootPageId = Regex.Match(text, @"root page id\s+(\S+)").Groups[1].Value;
        Assert.Contains("token            ntn_standalone", text, StringComparison.Ordinal);
        Assert.Contains("0.01 requests/s, burst 2", text, StringComparison.Ordinal);
        Assert.Contains("demo database", text, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer ntn_standalone");
        http.DefaultRequestHeaders.Add("Notion-Version", "2026-03-11");
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((int)(await http.GetAsync($"v1/blocks/{rootPageId}/children")).StatusCode);
        Assert.Equal(new[] { 200, 200, 429 }, statuses);

        stop.Cancel();
        Assert.Equal(0, await run);
        Assert.Contains("requests:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_is_Notions_3_per_second_by_default_and_can_be_turned_off()
    {
        foreach (var (args, expected) in new[] { (Array.Empty<string>(), "3 requests/s, burst 10"), (new[] { "--no-rate-limit" }, "rate limit       off") })
        {
            var output = new StringWriter();
            using var stop = new CancellationTokenSource();
            var run = NotionStandalone.RunAsync(args.Concat(new[] { "--port", "0" }).ToArray(), TextWriter.Synchronized(output), stop.Token);
            Assert.Contains(expected, await StartedAsync(run, output), StringComparison.Ordinal);
            stop.Cancel();
            Assert.Equal(0, await run);
        }
    }

    private static async Task<string> StartedAsync(Task<int> run, StringWriter output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, output.ToString());
            Assert.True(DateTime.UtcNow < deadline, "The standalone fake did not start: " + output);
            await Task.Delay(20);
        }
        return output.ToString();
    }

    [Fact]
    public async Task Unknown_option_is_refused()
        => await Assert.ThrowsAsync<ArgumentException>(() => NotionStandalone.RunAsync(new[] { "--bogus" }, TextWriter.Null, CancellationToken.None));
}
