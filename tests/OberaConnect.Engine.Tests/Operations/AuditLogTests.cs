using System.Diagnostics;
using System.Text.Json;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Tests.Configuration;
using OberaConnect.Engine.Tests.Security;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.Operations;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oc-audit-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));
    private readonly SecretRedactor _redactor = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private AuditLog Log(long maxBytes = 10 * 1024 * 1024, int retentionDays = 30)
        => new(new AuditLogOptions { Directory = _dir, MaxFileBytes = maxBytes, RetentionDays = retentionDays }, _redactor, _clock);

    private static AuditEntry Entry(string key, AuditOutcome outcome = AuditOutcome.Updated, string? message = null)
        => new() { Operation = "page.update", Outcome = outcome, Database = "Customer Status", Key = key, Duration = TimeSpan.FromMilliseconds(153.24), Requests = 2, Message = message };

    private IEnumerable<string> AllLines() => Directory.GetFiles(_dir, "audit-*.jsonl").OrderBy(f => f, StringComparer.Ordinal).SelectMany(File.ReadAllLines);

    [Fact]
    public async Task Each_record_is_one_json_line_with_every_field_and_the_invocation_correlation_id()
    {
        var log = Log();
        var first = log.BeginInvocation("Sync-OberaCustomerStatus");
        var second = log.BeginInvocation("Sync-OberaCustomerStatus");
        await first.WriteAsync(Entry("Acme Corp", AuditOutcome.Created), default);
        await first.WriteAsync(AuditEntry.ForFailure("page.create", new OberaConnectException("NotionValidationFailed", FailureKind.InvalidInput, "Property 'Health' does not exist."), "Customer Status", "Café Zürich"), default);
        await second.WriteAsync(Entry("Beta LLC", AuditOutcome.Unchanged), default);

        var path = Path.Combine(_dir, "audit-2026-11-22.jsonl");
        var bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]); // no BOM
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\r', bytes);

        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        var created = lines[0];
        Assert.Equal("2026-11-22T23:59:00.000Z", created.GetProperty("timestamp").GetString());
        Assert.Equal(first.CorrelationId, created.GetProperty("correlationId").GetString());
        Assert.Equal("Sync-OberaCustomerStatus", created.GetProperty("command").GetString());
        Assert.Equal("page.update", created.GetProperty("operation").GetString());
        Assert.Equal("Customer Status", created.GetProperty("database").GetString());
        Assert.Equal("Acme Corp", created.GetProperty("key").GetString());
        Assert.Equal("Created", created.GetProperty("outcome").GetString());
        Assert.Equal(153.2, created.GetProperty("durationMs").GetDouble());
        Assert.Equal(2, created.GetProperty("requests").GetInt64());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("errorId").ValueKind);
        Assert.Equal(Environment.ProcessId, created.GetProperty("pid").GetInt32());

        var failed = lines[1];
        Assert.Equal("Failed", failed.GetProperty("outcome").GetString());
        Assert.Equal("NotionValidationFailed", failed.GetProperty("errorId").GetString());
        Assert.Equal("Property 'Health' does not exist.", failed.GetProperty("message").GetString());
        Assert.Equal("Café Zürich", failed.GetProperty("key").GetString());
        Assert.Contains("Café Zürich", File.ReadAllText(path)); // readable, not \u-escaped

        Assert.Equal(first.CorrelationId, failed.GetProperty("correlationId").GetString());
        Assert.NotEqual(first.CorrelationId, lines[2].GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task Messages_are_redacted_so_no_secret_reaches_the_file()
    {
        const string token = "ntn_8Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef";
        const string apiKey = "unifi-api-key-3f9a8b7c6d5e";
        _redactor.Register(apiKey);
        var log = Log();
        var run = log.BeginInvocation("Sync-OberaDeviceInventory");
        await run.WriteAsync(Entry("site-1", AuditOutcome.Failed, $"401 from UniFi with X-API-Key {apiKey}; Authorization: Bearer {token}"), default);
        await run.WriteAsync(Entry("site-2", AuditOutcome.Failed, $"{{\"client_secret\":\"{token}\"}}"), default);

        var lines = AllLines().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("***", lines[0]);
        new SecretLeakScan(token, apiKey).Lines("audit log", lines).AssertClean();
    }

    [Fact]
    public async Task A_full_file_continues_in_numbered_segments_and_every_line_survives()
    {
        var log = Log(maxBytes: 2048);
        var run = log.BeginInvocation("Sync-OberaHealth");
        for (var i = 0; i < 40; i++) await run.WriteAsync(Entry("site-" + i, message: new string('m', 100)), default);

        var files = Directory.GetFiles(_dir, "audit-*.jsonl").Select(f => Path.GetFileName(f)).OrderBy(f => f).ToList();
        Assert.Contains("audit-2026-11-22.jsonl", files);
        Assert.Contains("audit-2026-11-22.1.jsonl", files);
        Assert.Contains("audit-2026-11-22.2.jsonl", files);
        Assert.All(Directory.GetFiles(_dir, "audit-*.jsonl"), f => Assert.True(new FileInfo(f).Length <= 2048, $"{f} is {new FileInfo(f).Length} bytes"));

        var ordered = new[] { "audit-2026-11-22.jsonl" }.Concat(files.Where(f => f != "audit-2026-11-22.jsonl").OrderBy(f => int.Parse(f.Split('.')[1])))
            .SelectMany(f => File.ReadAllLines(Path.Combine(_dir, f))).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => "site-" + i), ordered);
    }

    [Fact]
    public async Task A_new_day_starts_a_new_file()
    {
        var log = Log();
        var run = log.BeginInvocation("Sync-OberaHealth");
        await run.WriteAsync(Entry("before midnight"), default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await run.WriteAsync(Entry("after midnight"), default);

        Assert.Single(File.ReadAllLines(Path.Combine(_dir, "audit-2026-11-22.jsonl")));
        var next = Assert.Single(File.ReadAllLines(Path.Combine(_dir, "audit-2026-11-23.jsonl")));
        Assert.Contains("after midnight", next);
    }

    [Fact]
    public async Task Retention_deletes_only_audit_files_of_days_older_than_the_setting()
    {
        Directory.CreateDirectory(_dir);
        foreach (var name in new[] { "audit-2026-10-01.jsonl", "audit-2026-10-01.1.jsonl", "audit-2026-10-22.jsonl", "audit-2026-10-23.jsonl", "audit-2026-11-21.jsonl", "notes.txt", "audit-latest.jsonl" })
            File.WriteAllText(Path.Combine(_dir, name), "{}\n");

        var log = Log(retentionDays: 30); // today 2026-11-22: keep 2026-10-23 and later
        await log.BeginInvocation("Sync-OberaHealth").WriteAsync(Entry("x"), default);

        var left = Directory.GetFiles(_dir).Select(Path.GetFileName).OrderBy(f => f).ToList();
        Assert.DoesNotContain("audit-2026-10-01.jsonl", left);
        Assert.DoesNotContain("audit-2026-10-01.1.jsonl", left);
        Assert.DoesNotContain("audit-2026-10-22.jsonl", left);
        Assert.Contains("audit-2026-10-23.jsonl", left);
        Assert.Contains("audit-2026-11-21.jsonl", left);
        Assert.Contains("audit-2026-11-22.jsonl", left);
        Assert.Contains("notes.txt", left);
        Assert.Contains("audit-latest.jsonl", left);
        Assert.DoesNotContain(".audit.lock", left); // the lock file exists only while a write holds it
    }

    [Fact]
    public async Task Retention_zero_keeps_everything()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "audit-2020-01-01.jsonl"), "{}\n");
        await Log(retentionDays: 0).BeginInvocation("x").WriteAsync(Entry("x"), default);
        Assert.True(File.Exists(Path.Combine(_dir, "audit-2020-01-01.jsonl")));
    }

    [Fact]
    public async Task A_line_torn_by_a_killed_writer_does_not_swallow_the_next_record()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "audit-2026-11-22.jsonl");
        File.WriteAllText(path, "{\"timestamp\":\"2026-11-22T01:00:00.000Z\",\"operation\":\"page.upd");
        await Log().BeginInvocation("Sync-OberaHealth").WriteAsync(Entry("after the crash"), default);
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal("after the crash", JsonDocument.Parse(lines[1]).RootElement.GetProperty("key").GetString());
    }

    [Fact]
    public async Task An_unwritable_folder_is_a_typed_error_naming_the_folder_and_the_setting()
    {
        Directory.CreateDirectory(_dir);
        var blocker = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(blocker, "");
        var log = new AuditLog(new AuditLogOptions { Directory = Path.Combine(blocker, "logs") }, _redactor, _clock);
        var ex = await Assert.ThrowsAsync<AuditLogException>(() => log.BeginInvocation("x").WriteAsync(Entry("x"), default));
        Assert.Equal("AuditLogWriteFailed", ex.ErrorId);
        Assert.Contains(Path.Combine(blocker, "logs"), ex.Message);
        Assert.Contains(LogLocation.EnvironmentVariable, ex.Message);
    }

    [Fact]
    public async Task Two_processes_writing_at_once_produce_only_whole_lines_and_lose_none()
    {
        const int perWriter = 250;
        Directory.CreateDirectory(_dir);
        var go = Path.Combine(_dir, "go");
        var writers = new[] { "alpha", "bravo" }
            .Select(name => (Name: name, Process: AuditWriterProcess.Start(_dir, name, perWriter, go, maxBytes: 64 * 1024)))
            .ToList();
        try
        {
            File.WriteAllText(go, ""); // both start writing at the same moment
            foreach (var (name, process) in writers)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEndAsync();
                Assert.True(process.WaitForExit(120_000), $"writer {name} did not finish");
                Assert.True(process.ExitCode == 0, $"writer {name} exited with {process.ExitCode}: {await stderr}{await stdout}");
            }
        }
        finally
        {
            foreach (var (_, process) in writers) { if (!process.HasExited) process.Kill(); process.Dispose(); }
        }

        var keys = new List<string>();
        var pids = new HashSet<int>();
        var files = Directory.GetFiles(_dir, "audit-*.jsonl");
        Assert.True(files.Length > 1, "the test should also rotate under contention");
        foreach (var file in files)
        {
            var content = File.ReadAllText(file);
            Assert.EndsWith("\n", content);
            var number = 0;
            foreach (var line in content.Split('\n').SkipLast(1))
            {
                number++;
                JsonElement record;
                try { record = JsonDocument.Parse(line).RootElement; }
                catch (JsonException ex) { throw new Xunit.Sdk.XunitException($"{Path.GetFileName(file)} line {number} is broken: {ex.Message}"); }
                keys.Add(record.GetProperty("key").GetString()!);
                pids.Add(record.GetProperty("pid").GetInt32());
                Assert.EndsWith(" \"quoted\" ünïcödé " + record.GetProperty("key").GetString()!.Split(':')[1], record.GetProperty("message").GetString());
            }
        }
        Assert.Equal(2, pids.Count);
        Assert.Equal(2 * perWriter, keys.Count);
        var expected = new[] { "alpha", "bravo" }.SelectMany(w => Enumerable.Range(0, perWriter).Select(i => $"{w}:{i}")).OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(expected, keys.OrderBy(k => k, StringComparer.Ordinal));
    }
}

public class LogLocationTests
{
    [Fact]
    public void Windows_SYSTEM_logs_under_ProgramData()
    {
        var env = new FakeSystemEnvironment(@"C:\", windows: true, serviceAccount: true)
            .SetFolder(Environment.SpecialFolder.CommonApplicationData, @"C:\ProgramData")
            .SetFolder(Environment.SpecialFolder.LocalApplicationData, @"C:\Windows\system32\config\systemprofile\AppData\Local");
        Assert.Equal(@"C:\ProgramData\OberaConnect\logs", LogLocation.Default(env));
    }

    [Fact]
    public void A_Windows_user_logs_under_LocalAppData()
    {
        var env = new FakeSystemEnvironment(@"C:\", windows: true)
            .SetFolder(Environment.SpecialFolder.LocalApplicationData, @"C:\Users\tech\AppData\Local")
            .SetFolder(Environment.SpecialFolder.CommonApplicationData, @"C:\ProgramData");
        Assert.Equal(@"C:\Users\tech\AppData\Local\OberaConnect\logs", LogLocation.Default(env));
    }

    [Theory]
    [InlineData("tech", null, "/home/tech/.local/state/oberaconnect/logs")]
    [InlineData("tech", "/home/tech/state", "/home/tech/state/oberaconnect/logs")]
    [InlineData("root", null, "/home/root/.local/state/oberaconnect/logs")]
    public void Unix_users_log_under_the_XDG_state_folder(string user, string? xdg, string expected)
    {
        var env = new FakeSystemEnvironment("/").SetHome("/home/" + user);
        if (xdg != null) env.Set("XDG_STATE_HOME", xdg);
        Assert.Equal(expected, LogLocation.Default(env));
    }

    [Fact]
    public void The_environment_variable_overrides_the_default()
    {
        var env = new FakeSystemEnvironment(@"C:\", windows: true, serviceAccount: true).Set(LogLocation.EnvironmentVariable, @" D:\Logs\Obera ");
        Assert.Equal(@"D:\Logs\Obera", LogLocation.Default(env));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void The_default_is_the_configuration_s_default_log_directory(bool windows, bool serviceAccount)
    {
        var env = new FakeSystemEnvironment("/machine", windows, serviceAccount);
        Assert.Equal(OberaConnectConfiguration.CreateDefault(env).Paths.LogDirectory, LogLocation.Default(env));
        env.Set(LogLocation.EnvironmentVariable, "/var/log/oberaconnect");
        Assert.Equal(OberaConnectConfiguration.CreateDefault(env).Paths.LogDirectory, LogLocation.Default(env));
    }

    [Fact]
    public void An_audit_log_without_a_directory_writes_to_the_default()
    {
        var env = new FakeSystemEnvironment("/machine").Set(LogLocation.EnvironmentVariable, Path.Combine(Path.GetTempPath(), "oc-logs-default"));
        var log = new AuditLog(null, new SecretRedactor(), environment: env);
        Assert.Equal(Path.GetFullPath(LogLocation.Default(env)), log.Directory);
    }
}
