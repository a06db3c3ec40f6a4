using OberaConnect.Engine.Unattended;

namespace OberaConnect.Module.Tests.Unattended;

public sealed class JobRunLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oc-runlog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class FixedTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 3, 1, 2, 30, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void One_file_per_run_named_by_time_and_process_with_one_line_per_event_also_echoed()
    {
        var echoed = new List<string>();
        using (var log = JobRunLog.Open(Path.Combine(_dir, "logs"), 30, echoed.Add, new FixedTime(), 4242))
        {
            Assert.Equal(Path.Combine(_dir, "logs", "OberaConnectJob-20260301-023000-4242.log"), log.FilePath);
            Assert.Null(log.Problem);
            log.Write("START", "Sync-CustomerStatus");
            log.Write("RECORD FAILED", "Sync-CustomerStatus Acme Corp: [NotionValidationError] line one\r\nline two\n\tline three");
            log.WriteLines("UNEXPECTED", "   at A()\n   at B()\n");
        }
        var lines = File.ReadAllLines(Path.Combine(_dir, "logs", "OberaConnectJob-20260301-023000-4242.log"));
        Assert.Equal(new[]
        {
            "2026-03-01 02:30:00Z START Sync-CustomerStatus",
            "2026-03-01 02:30:00Z RECORD FAILED Sync-CustomerStatus Acme Corp: [NotionValidationError] line one line two line three",
            "2026-03-01 02:30:00Z UNEXPECTED at A()",
            "2026-03-01 02:30:00Z UNEXPECTED at B()",
        }, lines);
        Assert.Equal(lines, echoed);
    }

    [Fact]
    public void Run_logs_past_the_retention_are_deleted_and_other_files_are_not()
    {
        Directory.CreateDirectory(_dir);
        var old = Path.Combine(_dir, "OberaConnectJob-20250101-000000-1.log");
        var recent = Path.Combine(_dir, "OberaConnectJob-20260228-000000-2.log");
        var other = Path.Combine(_dir, "audit-2025-01-01.jsonl");
        foreach (var f in new[] { old, recent, other }) File.WriteAllText(f, "x");
        var time = new FixedTime();
        File.SetLastWriteTimeUtc(old, time.Now.UtcDateTime.AddDays(-31));
        File.SetLastWriteTimeUtc(recent, time.Now.UtcDateTime.AddDays(-1));
        File.SetLastWriteTimeUtc(other, time.Now.UtcDateTime.AddDays(-400));

        using (JobRunLog.Open(_dir, 30, null, time, 7)) { }

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_folder_that_cannot_be_written_costs_the_file_not_the_run_and_says_what_to_set()
    {
        Directory.CreateDirectory(_dir);
        var plainFile = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(plainFile, "x");
        var echoed = new List<string>();

        using var log = JobRunLog.Open(Path.Combine(plainFile, "logs"), 30, echoed.Add, new FixedTime(), 1);
        log.Write("DONE", "exit 0 (Success)");

        Assert.Null(log.FilePath);
        Assert.Contains("paths.logDirectory", log.Problem);
        Assert.Contains("OBERACONNECT_LOG_DIR", log.Problem);
        Assert.Equal(new[] { "2026-03-01 02:30:00Z DONE exit 0 (Success)" }, echoed);
    }

    [Fact]
    public void Without_a_configuration_the_log_goes_to_the_default_log_folder()
    {
        var saved = Environment.GetEnvironmentVariable("OBERACONNECT_LOG_DIR");
        try
        {
            Environment.SetEnvironmentVariable("OBERACONNECT_LOG_DIR", _dir);
            Assert.Equal(_dir, JobRunLog.DefaultDirectory(Path.Combine(_dir, "no-such-config.json")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OBERACONNECT_LOG_DIR", saved);
        }
    }
}
