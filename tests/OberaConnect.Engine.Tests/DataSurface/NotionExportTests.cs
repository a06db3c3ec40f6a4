using System.Runtime.CompilerServices;
using OberaConnect.Engine.DataSurface;
using OberaConnect.Engine.DataSurface.Export;

namespace OberaConnect.Engine.Tests.DataSurface;

public sealed class NotionExportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "oc-exportrun-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }

    /// <summary>A Notion stand-in: pages by database, filtered on last_edited_time like the real query.</summary>
    private sealed class FakeFeed : INotionPageFeed
    {
        public Dictionary<string, List<(int N, DateTimeOffset Edited, string Name)>> Pages { get; } = new();
        public List<(string Database, DateTimeOffset? Since)> Queries { get; } = new();
        public int FailAfter { get; set; } = int.MaxValue;

        public async IAsyncEnumerable<string> ReadPagesAsync(ExportSource source, DateTimeOffset? editedOnOrAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Queries.Add((source.DatabaseName, editedOnOrAfter));
            var served = 0;
            foreach (var p in Pages[source.DatabaseName].OrderBy(p => p.Edited))
            {
                if (editedOnOrAfter is { } since && p.Edited < since) continue;
                if (served++ == FailAfter) throw new OberaConnectException("NotionServiceUnavailable", FailureKind.ServiceUnavailable, "Notion went away.");
                await Task.Yield();
                yield return PageJson.Page(p.N, p.Edited, p.Name);
            }
        }
    }

    [Fact]
    public async Task First_run_reads_everything_later_runs_continue_from_the_watermark()
    {
        var feed = new FakeFeed();
        feed.Pages["sites"] = Enumerable.Range(1, 7).Select(i => (i, T0.AddMinutes(i), "Site " + i)).ToList();
        var export = new NotionExport(feed, new SqliteExportStore(_path)) { BatchSize = 3 };
        var source = new ExportSource(PageJson.DatabaseId, "sites");

        var first = (await export.RunAsync(new[] { source }, fullRefresh: false, CancellationToken.None)).Single();
        Assert.True(first.Succeeded);
        Assert.True(first.FullRefresh);
        Assert.Equal((7, 7, 0, 0), (first.PagesRead, first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal(T0.AddMinutes(7), first.WatermarkAfter);

        feed.Pages["sites"][1] = (2, T0.AddMinutes(9), "Site 2 renamed");
        var second = (await export.RunAsync(new[] { source }, false, CancellationToken.None)).Single();
        Assert.Equal(T0.AddMinutes(7), feed.Queries[1].Since);
        Assert.False(second.FullRefresh);
        Assert.Equal((2, 0, 1, 1), (second.PagesRead, second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(T0.AddMinutes(9), second.WatermarkAfter);

        var full = (await export.RunAsync(new[] { source }, fullRefresh: true, CancellationToken.None)).Single();
        Assert.Null(feed.Queries[2].Since);
        Assert.Equal((7, 0, 0, 7), (full.PagesRead, full.Inserted, full.Updated, full.Unchanged));
        Assert.Equal(T0.AddMinutes(9), full.WatermarkAfter);
    }

    [Fact]
    public async Task A_failing_database_keeps_its_watermark_and_the_next_database_still_runs()
    {
        var feed = new FakeFeed { FailAfter = 4 };
        feed.Pages["sites"] = Enumerable.Range(1, 7).Select(i => (i, T0.AddMinutes(i), "Site " + i)).ToList();
        feed.Pages["alerts"] = new() { (50, T0, "Alert") };
        var store = new SqliteExportStore(_path);
        var output = new RecordingOutput();
        var export = new NotionExport(feed, store, output) { BatchSize = 2 };
        var other = "11111111-2222-3333-4444-555555555555";

        var results = await export.RunAsync(new[] { new ExportSource(PageJson.DatabaseId, "sites"), new ExportSource(other, "alerts") }, false, CancellationToken.None);

        Assert.False(results[0].Succeeded);
        Assert.Equal("NotionServiceUnavailable", results[0].ErrorId);
        Assert.Null(await store.GetWatermarkAsync(PageJson.DatabaseId, CancellationToken.None));
        Assert.True(results[1].Succeeded);
        Assert.Equal(T0, await store.GetWatermarkAsync(other, CancellationToken.None));
        Assert.Contains(output.Warnings, w => w.Contains("sites") && w.Contains("Notion went away."));
        Assert.Contains(output.Progress, p => p.Completed);

        feed.FailAfter = int.MaxValue;
        var retry = (await export.RunAsync(new[] { new ExportSource(PageJson.DatabaseId, "sites") }, false, CancellationToken.None)).Single();
        Assert.Equal((7, 3, 0, 4), (retry.PagesRead, retry.Inserted, retry.Updated, retry.Unchanged));
    }

    private sealed class RecordingOutput : IEngineOutput
    {
        public List<string> Warnings { get; } = new();
        public List<ProgressUpdate> Progress { get; } = new();
        public void Verbose(string message) { }
        public void Warning(string message) { lock (Warnings) Warnings.Add(message); }
        void IEngineOutput.Progress(ProgressUpdate update) { lock (Progress) Progress.Add(update); }
    }
}
