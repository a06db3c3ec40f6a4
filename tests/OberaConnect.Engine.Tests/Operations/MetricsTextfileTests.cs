using System.Text;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Tests.Security;

namespace OberaConnect.Engine.Tests.Operations;

public sealed class MetricsTextfileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oc-metrics-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset Finished = new(2026, 11, 22, 8, 15, 30, 250, TimeSpan.Zero);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static HealthReport Report(params (string Name, HealthStatus Status, double Ms, ComponentImportance Importance)[] parts)
        => new(parts.Select(p => new ComponentHealth(p.Name, p.Status, TimeSpan.FromMilliseconds(p.Ms), "r", p.Importance, Finished)).ToList(), Finished, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task The_file_follows_the_text_format_rules_and_reads_back_with_the_values_written()
    {
        var file = new MetricsTextfile(_dir);
        var update = new MetricsUpdate()
            .RecordSyncRun("customer_status", succeeded: true, Finished)
            .RecordRequests("Notion", requests: 120, rateLimited: 3)
            .RecordRequests("UniFi", new HttpStatisticsSnapshot(7, 0, 0, 0))
            .RecordHealth(Report(("NotionToken", HealthStatus.Healthy, 231.46, ComponentImportance.Required), ("UniFi", HealthStatus.Unhealthy, 10000, ComponentImportance.Optional)));
        await file.WriteAsync(update, default);

        var bytes = File.ReadAllBytes(file.Path);
        Assert.Empty(PrometheusTextFormatRules.Check(bytes));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("# TYPE oberaconnect_sync_total counter\noberaconnect_sync_total{operation=\"customer_status\"} 1\n", text);
        Assert.Contains("oberaconnect_sync_errors_total{operation=\"customer_status\"} 0\n", text);
        Assert.Contains("oberaconnect_last_success_timestamp_seconds{operation=\"customer_status\"} 1795335330.25\n", text);
        Assert.Contains("oberaconnect_requests_total{service=\"Notion\"} 120\n", text);
        Assert.Contains("oberaconnect_rate_limited_total{service=\"Notion\"} 3\n", text);
        Assert.Contains("oberaconnect_component_healthy{component=\"UniFi\"} 0\n", text);
        Assert.Contains("oberaconnect_component_latency_ms{component=\"NotionToken\"} 231.5\n", text);
        Assert.Contains("# TYPE oberaconnect_healthy gauge\noberaconnect_healthy 1\n", text); // optional component down: still operational
        Assert.Contains("# HELP oberaconnect_requests_total ", text);

        var read = file.Read();
        Assert.Equal(120, read[("oberaconnect_requests_total", "Notion")]);
        Assert.Equal(7, read[("oberaconnect_requests_total", "UniFi")]);
        Assert.Equal(10000, read[("oberaconnect_component_latency_ms", "UniFi")]);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        new SecretLeakScan("ntn_5Qh2Zr8Wm1Xc7Vb3Nk9Lp4Tg6Yd0Sa2Fj").Text("metrics file", text).AssertClean();
    }

    [Fact]
    public async Task Later_runs_add_to_counters_replace_gauges_and_keep_other_operations()
    {
        var file = new MetricsTextfile(_dir);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("customer_status", true, Finished).RecordRequests("Notion", 100, 1)
            .RecordComponent("NinjaOne", HealthStatus.Healthy, TimeSpan.FromMilliseconds(300)), default);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("daily_health", false, Finished.AddMinutes(5)).RecordRequests("Notion", 50, 2), default);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("customer_status", false, Finished.AddMinutes(15))
            .RecordComponent("NinjaOne", HealthStatus.Unhealthy, TimeSpan.FromMilliseconds(10000)), default);

        var values = file.Read();
        Assert.Equal(2, values[("oberaconnect_sync_total", "customer_status")]);
        Assert.Equal(1, values[("oberaconnect_sync_errors_total", "customer_status")]);
        Assert.Equal(1, values[("oberaconnect_sync_total", "daily_health")]);
        Assert.Equal(1, values[("oberaconnect_sync_errors_total", "daily_health")]);
        Assert.Equal(Finished.ToUnixTimeMilliseconds() / 1000.0, values[("oberaconnect_last_success_timestamp_seconds", "customer_status")]); // failed run: unchanged
        Assert.False(values.ContainsKey(("oberaconnect_last_success_timestamp_seconds", "daily_health")));
        Assert.Equal(150, values[("oberaconnect_requests_total", "Notion")]);
        Assert.Equal(3, values[("oberaconnect_rate_limited_total", "Notion")]);
        Assert.Equal(0, values[("oberaconnect_component_healthy", "NinjaOne")]);
        Assert.Equal(10000, values[("oberaconnect_component_latency_ms", "NinjaOne")]);
        Assert.Empty(PrometheusTextFormatRules.Check(File.ReadAllBytes(file.Path)));
    }

    [Fact]
    public async Task Label_values_are_escaped_and_read_back_unchanged()
    {
        var file = new MetricsTextfile(_dir, "jobs.prom");
        var odd = "Database:Sales \"EU\" \\ Region\nTwo";
        await file.WriteAsync(new MetricsUpdate().RecordComponent(odd, HealthStatus.Degraded, TimeSpan.FromMilliseconds(5)), default);

        var text = File.ReadAllText(file.Path);
        Assert.Contains("{component=\"Database:Sales \\\"EU\\\" \\\\ Region\\nTwo\"} 1\n", text);
        Assert.Empty(PrometheusTextFormatRules.Check(File.ReadAllBytes(file.Path)));
        Assert.Equal(1, file.Read()[("oberaconnect_component_healthy", odd)]);
    }

    [Fact]
    public async Task Foreign_and_broken_lines_in_an_existing_file_are_dropped_and_ours_kept()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, MetricsTextfile.DefaultFileName);
        File.WriteAllText(path, "\uFEFF# TYPE other_metric gauge\r\nother_metric 5\r\noberaconnect_sync_total{operation=\"alerts\"} 4\r\noberaconnect_sync_total{operation=\"broken} 9\ngarbage line\n");
        var file = new MetricsTextfile(_dir);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("alerts", true, Finished), default);

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("other_metric", text);
        Assert.DoesNotContain("garbage", text);
        Assert.Equal(5, file.Read()[("oberaconnect_sync_total", "alerts")]);
        Assert.Empty(PrometheusTextFormatRules.Check(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task A_reader_never_sees_a_partial_file_while_runs_replace_it()
    {
        var file = new MetricsTextfile(_dir);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("customer_status", true, Finished), default);
        using var stop = new CancellationTokenSource();
        var problems = new List<string>();
        var reads = 0;
        var readerRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                byte[] bytes;
                try { bytes = File.ReadAllBytes(file.Path); }
                catch (IOException) { continue; } // Windows may refuse while the rename happens; never a partial file
                reads++;
                readerRunning.TrySetResult();
                var found = PrometheusTextFormatRules.Check(bytes);
                if (found.Count > 0 || !Encoding.UTF8.GetString(bytes).Contains("oberaconnect_sync_total")) lock (problems) problems.Add(string.Join("; ", found));
            }
        });
        await readerRunning.Task;
        for (var i = 0; i < 60; i++)
            await file.WriteAsync(new MetricsUpdate().RecordSyncRun("op" + (i % 7), i % 3 != 0, Finished.AddMinutes(i)).RecordRequests("Notion", i, 0), default);
        stop.Cancel();
        await reader;

        Assert.True(reads > 1, $"the reader read {reads} time(s)");
        Assert.Empty(problems);
        Assert.Equal(Enumerable.Range(0, 60).Sum(), file.Read()[("oberaconnect_requests_total", "Notion")]);
    }

    [Fact]
    public async Task Concurrent_jobs_sharing_the_file_lose_no_counts()
    {
        var tasks = Enumerable.Range(0, 8).Select(job => Task.Run(async () =>
        {
            var file = new MetricsTextfile(_dir);
            for (var i = 0; i < 10; i++) await file.WriteAsync(new MetricsUpdate().RecordSyncRun("job" + job % 2, true, Finished).RecordRequests("Notion", 1, 0), default);
        }));
        await Task.WhenAll(tasks);
        var values = new MetricsTextfile(_dir).Read();
        Assert.Equal(80, values[("oberaconnect_requests_total", "Notion")]);
        Assert.Equal(40, values[("oberaconnect_sync_total", "job0")]);
        Assert.Equal(40, values[("oberaconnect_sync_total", "job1")]);
        Assert.Empty(Directory.GetFiles(_dir, "*.lock"));
    }

    [Fact]
    public void Every_counter_is_named_with_total_as_Prometheus_names_counters()
    {
        var counters = MetricFamilies.All.Where(f => f.IsCounter).Select(f => f.Name).ToList();
        Assert.Contains("oberaconnect_sync_errors_total", counters);
        Assert.All(counters, name => Assert.EndsWith("_total", name));
        Assert.All(MetricFamilies.All.Where(f => !f.IsCounter), f => Assert.DoesNotContain("_total", f.Name));
    }

    [Fact]
    public async Task A_file_written_under_the_former_counter_name_keeps_counting_under_the_new_one()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, MetricsTextfile.DefaultFileName);
        File.WriteAllText(path, "# TYPE oberaconnect_sync_errors counter\noberaconnect_sync_errors{operation=\"Sync-Alert\"} 3\n");

        var file = new MetricsTextfile(_dir);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("Sync-Alert", succeeded: false, Finished), default);

        var text = File.ReadAllText(path);
        Assert.Contains("oberaconnect_sync_errors_total{operation=\"Sync-Alert\"} 4\n", text);
        Assert.DoesNotContain("oberaconnect_sync_errors{", text);
        Assert.DoesNotContain("TYPE oberaconnect_sync_errors counter", text);
    }

    [Fact]
    public async Task No_lock_file_is_left_beside_the_metrics_file()
    {
        var file = new MetricsTextfile(_dir);
        await file.WriteAsync(new MetricsUpdate().RecordSyncRun("Sync-Alert", true, Finished), default);
        await file.WriteAsync(new MetricsUpdate().RecordRequests("notion", 3, 0), default);
        Assert.Equal(new[] { MetricsTextfile.DefaultFileName }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Writers_locking_through_different_paths_to_one_file_still_take_turns()
    {
        // Two paths to one folder (a symbolic link) get two in-process gates, so only the lock file itself keeps these
        // writers apart: the same contention as two scheduled jobs in two processes.
        Directory.CreateDirectory(_dir);
        var alias = _dir + "-link";
        Directory.CreateSymbolicLink(alias, _dir);
        try
        {
            // Threads of their own, released together: pool tasks this short would mostly run one after another.
            using var start = new Barrier(8);
            var threads = Enumerable.Range(0, 8).Select(job => new Thread(() =>
            {
                var file = new MetricsTextfile(job % 2 == 0 ? _dir : alias);
                start.SignalAndWait();
                for (var i = 0; i < 40; i++) file.WriteAsync(new MetricsUpdate().RecordRequests("notion", 1, 0), default).GetAwaiter().GetResult();
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }
        finally
        {
            Directory.Delete(alias);
        }
        Assert.Equal(320, new MetricsTextfile(_dir).Read()[("oberaconnect_requests_total", "notion")]);
        Assert.Equal(new[] { MetricsTextfile.DefaultFileName }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("metrics.txt")]
    [InlineData("sub/dir.prom")]
    public void The_file_name_must_be_a_plain_prom_name(string name)
        => Assert.Throws<ArgumentException>(() => new MetricsTextfile(_dir, name));

    [Theory]
    [InlineData("\uFEFFup 1\n", "BOM")]
    [InlineData("up 1\r\n", "carriage return")]
    [InlineData("up 1", "does not end with a line feed")]
    [InlineData("up{job=\"a} 1\n", "unterminated label value")]
    [InlineData("up{job=\"a\\t\"} 1\n", "bad escape")]
    [InlineData("up one\n", "not a number")]
    [InlineData("1up 1\n", "bad metric name")]
    [InlineData("up 1\n# TYPE up gauge\n", "after its samples")]
    [InlineData("# TYPE up gauge\n# TYPE up gauge\nup 1\n", "second TYPE")]
    [InlineData("a 1\nb 1\na 2\n", "not in one group")]
    [InlineData("a{x=\"1\"} 1\na{x=\"1\"} 2\n", "duplicate series")]
    public void The_format_checker_itself_catches_each_kind_of_violation(string content, string expected)
    {
        var problems = PrometheusTextFormatRules.Check(Encoding.UTF8.GetBytes(content));
        Assert.Contains(problems, p => p.Contains(expected));
    }
}
