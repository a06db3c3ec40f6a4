using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Duplicates;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Workspace;

public class WorkspaceAuditTests
{
    [Fact]
    public async Task Each_written_item_is_one_audit_line_with_its_outcome_key_and_error()
    {
        var directory = Path.Combine(Path.GetTempPath(), "oc-audit-" + Guid.NewGuid().ToString("N"));
        var configuration = OberaConnectConfiguration.CreateDefault();
        configuration.Paths.AuditDirectory = directory;
        using var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { Time = new ManualTimeProvider() });

        var audit = WorkspaceAudit.Open(connection, "Set-AzurePipelineStage", null);
        await audit.RecordAsync(new SyncResult { Database = "AzurePipeline", Key = "Azure VPN", StatusValue = SyncStatus.Updated, Reason = "Idea \u2192 Design", CorrelationId = "c1" }, default);
        await audit.RecordAsync(new SyncResult { Database = "AzurePipeline", Key = "Azure Nothing", StatusValue = SyncStatus.Failed, ErrorId = "ServiceNotFound", Error = "No service named 'Azure Nothing'" }, default);
        await audit.RecordAsync(new DuplicateRemovalResult { Database = "CustomerSites", Key = "Globex", PageId = "p-2", StatusValue = DuplicateRemovalStatus.Trashed }, default);

        var lines = Directory.GetFiles(directory).SelectMany(File.ReadAllLines).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.Contains("Updated") && l.Contains("Azure VPN"));
        Assert.Contains(lines, l => l.Contains("Failed") && l.Contains("ServiceNotFound"));
        Assert.Contains(lines, l => l.Contains("Archived") && l.Contains("Globex p-2"));
        Assert.All(lines, l => Assert.Contains("Set-AzurePipelineStage", l));
    }

    [Fact]
    public async Task An_audit_directory_that_cannot_be_used_is_a_warning_not_a_failure()
    {
        var file = Path.GetTempFileName();
        var configuration = OberaConnectConfiguration.CreateDefault();
        configuration.Paths.AuditDirectory = Path.Combine(file, "audit"); // under a file: never a directory
        using var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions());
        var warnings = new List<string>();

        var audit = WorkspaceAudit.Open(connection, "Add-Runbook", new CallbackEngineOutput(_ => { }, warnings.Add, _ => { }));
        await audit.RecordAsync(new SyncResult { Database = "RunbookLibrary", Key = "x", StatusValue = SyncStatus.Created }, default);
        await audit.RecordAsync(new SyncResult { Database = "RunbookLibrary", Key = "y", StatusValue = SyncStatus.Created }, default);

        Assert.Single(warnings);
        Assert.Contains("audit", warnings[0], StringComparison.OrdinalIgnoreCase);
    }
}
