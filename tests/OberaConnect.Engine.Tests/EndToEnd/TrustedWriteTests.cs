using System.Security.Cryptography;
using System.Text.Json;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Writes a person can trust, through SyncDriver and the Notion fake: a preview (-WhatIf) leaves every local file as it was
/// and says what each record would become; prompts name records as people do; the audit is written ahead of each request
/// and a killed run's intents are reconciled by the next run; folders that cannot be written stop a run before it sends
/// anything. Files are compared byte for byte and pages counted in the fake, never taken from the results alone.
/// </summary>
public sealed class TrustedWriteTests
{
    private const string Operation = "Sync-CustomerStatus";

    private static CustomerStatusInput Site(string name, int online = 10) => SiteSyncTests.Site(name, online: online);

    /// <summary>Every file under a folder, by relative path, with a hash of its bytes.</summary>
    private static Dictionary<string, string> Files(string directory)
    {
        if (!Directory.Exists(directory)) return new();
        using var sha = SHA256.Create();
        return Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(f))), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_preview_writes_no_file_anywhere_and_says_for_every_record_what_writing_it_would_do()
    {
        await using var ws = await SiteWorkspace.StartAsync(tweak: c => c.Paths.MetricsPath = Path.Combine(c.Paths.StateDirectory!, "..", "metrics", "oc.prom"));
        var records = new CustomerStatusRecords();
        // A real run first: the audit, the state cache and the metrics file exist, and one failure is journaled.
        ws.Fake.Faults.Add("POST /v1/pages", NotionFault.Status(400), 1);
        var (first, _) = await SiteWorkspace.RunAsync(await ws.OpenAsync(Operation, DatabaseKey.CustomerSites), new[] { Site("Acme Corp"), Site("Globex"), Site("Hooli") }.Select(records.Build).ToList());
        Assert.Single(first, r => r.StatusValue == SyncStatus.Failed);
        var before = Files(ws.Directory);
        Assert.Contains(before.Keys, k => k.StartsWith("audit", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("journal", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("state", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("metrics", StringComparison.Ordinal));
        var created = first.Where(r => r.StatusValue == SyncStatus.Created).Select(r => r.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var missing = first.Single(r => r.StatusValue == SyncStatus.Failed).Key;
        ws.Fake.Requests.Reset();

        // The preview: one record unchanged, one changed, one failed before, one new, one invalid; the host approves nothing (-WhatIf).
        var preview = await SyncDriver.OpenAsync(ws.Connect(), Operation, DatabaseKey.CustomerSites, null, "preview01", NullEngineOutput.Instance, preview: true, default);
        Assert.True(preview.Preview);
        var update = preview.Session.Plan(records.Build(Site(created[1], online: 7)));
        preview.Track(preview.Session.NotWritten(update, "Not written (-WhatIf)"));
        var inputs = new[] { Site(created[0]), Site(missing), Site("Initech"), Site("Bad\tName") };
        foreach (var record in inputs.Select(records.Build)) preview.Track(preview.Session.NotWritten(preview.Session.Plan(record), "Not written (-WhatIf)"));
        var summary = await preview.FinishAsync(default);

        Assert.Equal(before, Files(ws.Directory)); // byte for byte, and no file added
        Assert.Equal(1, ws.Fake.Requests.Total); // the index read only
        Assert.True(summary.Preview);
        var results = preview.Results;
        Assert.All(results, r => Assert.Equal(SyncStatus.Skipped, r.StatusValue));
        Assert.Equal(new SyncStatus?[] { SyncStatus.Updated, SyncStatus.Unchanged, SyncStatus.Created, SyncStatus.Created, SyncStatus.Failed }, results.Select(r => r.WouldBeValue));
        var wouldFail = results[4];
        Assert.Equal("InvalidSiteName", wouldFail.ErrorId);
        Assert.Null(wouldFail.Exception); // a result to read, not an error to raise
        Assert.StartsWith("Not written (-WhatIf): would fail: ", wouldFail.Reason);
        Assert.Equal("Not written (-WhatIf): would create it.", results[2].Reason);
        Assert.Equal("Not written (-WhatIf): already up to date, nothing to write.", results[1].Reason);
        // An update says what it changes, old and new, in people's words.
        Assert.StartsWith("Not written (-WhatIf): would update Health Score: 100 -> ", results[0].Reason);
        Assert.Contains("Devices Online: 10 -> 7", results[0].Reason);
        Assert.Equal($"site '{created[1]}' in Customer Sites", update.Target);
        Assert.StartsWith("Update Health Score: 100 -> ", update.Action);
        Assert.Contains("Devices Online: 10 -> 7", update.Action);
        Assert.EndsWith("with Last Sync", update.Action);
        var declined = preview.Session.NotWritten(update, "Not written (declined at the -Confirm prompt)");
        Assert.Equal(SyncStatus.Updated, declined.WouldBeValue);
        Assert.Contains("would update Health Score: 100 -> ", declined.Reason);

        // -RetryFailed after a preview retries what the real run journaled, nothing else.
        Assert.Equal(new[] { missing }, FailureJournal.For(ws.Connection.Configuration, Operation).Read().Select(e => e.Key));
    }

    [Fact]
    public async Task Prompts_name_each_record_as_people_do_never_by_an_id_alone()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        var records = new CustomerStatusRecords();
        await SiteWorkspace.RunAsync(await ws.OpenAsync(Operation, DatabaseKey.CustomerSites), new[] { records.Build(Site("Acme Corp")) });
        var sites = await SiteRelationIndex.OpenAsync(ws.Connection, default);

        var change = (await ws.OpenAsync("Write-ConfigChange", DatabaseKey.ConfigChanges)).Session.Plan(new ConfigChangeRecords(sites).Build(new ConfigChangeInput
        {
            Site = "acme corp", Tool = "sonicwall", Action = "Update", Engineer = "jdoe", TargetDevice = "fw01", Timestamp = new DateTimeOffset(2026, 1, 5, 14, 32, 0, TimeSpan.Zero),
        }));
        var device = (await ws.OpenAsync("Sync-NetworkDevice", DatabaseKey.NetworkDevices)).Session.Plan(new NetworkDeviceRecords(sites).Build(new NetworkDeviceInput
        {
            SiteName = "Acme Corp", Mac = "AA-BB-CC-00-00-01", Name = "usw-office", Source = "UniFi",
        }));
        var alert = (await ws.OpenAsync("Sync-Alert", DatabaseKey.Alerts)).Session.Plan(new AlertRecords(sites).Build(new AlertInput
        {
            AlertId = "e3cab42a-5f0e-4d5e-9a43-111111111111", SiteName = "Acme Corp", Subject = "Disk C: below 5%",
        }));

        Assert.Equal("change at 'Acme Corp': sonicwall Update on fw01 by jdoe, 2026-01-05 14:32 UTC in Config Changes", change.Target);
        Assert.Equal("device 'usw-office' (aa:bb:cc:00:00:01) at 'Acme Corp' in Network Devices", device.Target);
        Assert.Equal("alert 'Disk C: below 5%' at 'Acme Corp' in Alerts", alert.Target);
        Assert.All(new[] { change, device, alert }, p => Assert.Equal("Create", p.Action));
    }

    [Fact]
    public async Task Each_write_is_audited_ahead_and_an_intent_a_killed_run_left_is_reconciled_once_by_the_next_run_of_its_database()
    {
        await using var ws = await SiteWorkspace.StartAsync();
        var records = new CustomerStatusRecords();
        var (results, _) = await SiteWorkspace.RunAsync(await ws.OpenAsync(Operation, DatabaseKey.CustomerSites), new[] { "Acme Corp", "Globex" }.Select(n => records.Build(Site(n))).ToList());
        Assert.All(results, r => Assert.Equal(SyncStatus.Created, r.StatusValue));

        // Write-ahead: in the file, each page's intent comes before its outcome.
        var lines = SiteSyncFaultTests.AuditLines(ws);
        foreach (var key in new[] { "Acme Corp", "Globex" })
        {
            var intent = lines.FindIndex(l => l.Key == key && l.Outcome == "Intended");
            var outcome = lines.FindIndex(l => l.Key == key && l.Outcome == "Created");
            Assert.True(intent >= 0 && intent < outcome, $"{key}: intent at {intent}, outcome at {outcome}");
        }

        // What a process killed mid-request leaves: intents without an outcome, from a process that is gone.
        var audit = ws.Connection.Configuration.Paths.AuditDirectory!;
        var gone = GonePid();
        var running = Environment.ProcessId == 1 ? 2 : 1;
        var file = Path.Combine(audit, $"audit-{DateTime.UtcNow:yyyy-MM-dd}.jsonl");
        void Intent(string correlation, string database, string key, string action, int pid)
            => File.AppendAllText(file, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), ["correlationId"] = correlation, ["command"] = Operation, ["operation"] = Operation,
                ["database"] = database, ["key"] = key, ["outcome"] = "Intended", ["message"] = action, ["host"] = Environment.MachineName, ["pid"] = pid,
            }) + "\n");
        Intent("killed000001", "CustomerSites", "Acme Corp", "Create", gone);             // the page exists: the create landed
        Intent("killed000001", "CustomerSites", "Initech", "Create", gone);               // no page: it never landed
        Intent("killed000001", "NetworkDevices", "aa:bb:cc:00:00:09", "Create", gone);    // another database: left to its own sync
        Intent("running00001", "CustomerSites", "Hooli", "Create", running);              // a process still running: left alone

        await ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: ws.Connect());

        var reconciled = SiteSyncFaultTests.AuditLines(ws).Where(l => l.Outcome == "Reconciled").ToList();
        Assert.Equal(new[] { "Acme Corp", "Initech" }, reconciled.Select(l => l.Key).OrderBy(k => k));
        Assert.All(reconciled, l => Assert.Equal("killed000001", l.CorrelationId));
        Assert.Contains("the create landed", reconciled.Single(l => l.Key == "Acme Corp").Message);
        Assert.Contains("never landed", reconciled.Single(l => l.Key == "Initech").Message);
        Assert.Equal("aa:bb:cc:00:00:09", Assert.Single(AuditIntents.Pending(audit, "NetworkDevices", DateTimeOffset.UtcNow)).Key);

        // Once settled, never again.
        await ws.OpenAsync(Operation, DatabaseKey.CustomerSites, connection: ws.Connect());
        Assert.Equal(2, SiteSyncFaultTests.AuditLines(ws).Count(l => l.Outcome == "Reconciled"));
        Assert.DoesNotContain(AuditIntents.Pending(audit, "CustomerSites", DateTimeOffset.UtcNow, _ => false), i => i.CorrelationId == "killed000001");
    }

    [Theory]
    [InlineData("audit", "paths.auditDirectory", "AuditFolderNotWritable")]
    [InlineData("journal", "paths.journalDirectory", "JournalFolderNotWritable")]
    public async Task A_folder_that_cannot_be_written_stops_the_run_and_Connect_before_any_request_naming_the_folder_and_the_setting(string which, string setting, string errorId)
    {
        var blocker = Path.Combine(Path.GetTempPath(), "oc-blocker-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(blocker, "a file where a folder should be");
        try
        {
            var folder = Path.Combine(blocker, "records");
            await using var ws = await SiteWorkspace.StartAsync(tweak: c =>
            {
                if (which == "audit") c.Paths.AuditDirectory = folder; else c.Paths.JournalDirectory = folder;
            });
            ws.Fake.Requests.Reset();

            var run = await Assert.ThrowsAsync<OberaConnectException>(() => ws.OpenAsync(Operation, DatabaseKey.CustomerSites));
            var connect = await Assert.ThrowsAsync<OberaConnectException>(() => ConnectionInfo.ConnectAsync(ws.Connection, null, default));

            foreach (var error in new[] { run, connect })
            {
                Assert.Equal((errorId, FailureKind.Configuration), (error.ErrorId, error.Kind));
                Assert.Contains(folder, error.Message);
                Assert.Contains(setting, error.Message);
            }
            Assert.Equal(0, ws.Fake.Requests.Total);
            // A preview writes nothing, so it needs no folder.
            var preview = await SyncDriver.OpenAsync(ws.Connection, Operation, DatabaseKey.CustomerSites, null, "preview02", NullEngineOutput.Instance, preview: true, default);
            Assert.True(preview.Preview);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    /// <summary>A process id no process has: a child that ran and exited.</summary>
    private static int GonePid()
    {
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        child.WaitForExit();
        return child.Id;
    }
}
