using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Operations;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Sync;

/// <summary>SyncDriver.DrainAsync must hand over the writes that finished after its last poll (they used to be dropped).</summary>
public sealed class SyncDriverDrainTests
{
    [Fact]
    public async Task Writes_that_finished_before_the_drain_are_emitted_tracked_audited_and_counted()
    {
        await using var workspace = await OperationsWorkspace.StartAsync();
        using var connection = workspace.Open(workspace.WriteConfiguration());
        var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", nameof(DatabaseKey.CustomerSites), null, "drain000001", NullEngineOutput.Instance, default);
        var names = new[] { "Acme Corp", "Globex Dental", "Initech", "Umbrella Clinic", "Hooli" };
        foreach (var name in names)
        {
            var record = new DesiredRecord(name, new Dictionary<string, PropertyValue> { ["Site Name"] = PropertyValue.Title(name), ["Health Score"] = PropertyValue.Number(90) });
            driver.Session.Submit(driver.Session.Plan(record), default);
        }
        // Every write done before the drain starts: nothing is left for its polling loop, all of it for the final wait.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (driver.Session.Busy && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.False(driver.Session.Busy);

        var emitted = new List<SyncResult>();
        await driver.DrainAsync(emitted.Add, default);
        var summary = await driver.FinishAsync(default);

        Assert.Equal(names.OrderBy(n => n), emitted.Select(r => r.Key).OrderBy(k => k));
        Assert.Equal(5, driver.Results.Count);
        Assert.Equal(5, summary.Created);
        var audit = Directory.GetFiles(workspace.AuditDirectory, "*", SearchOption.AllDirectories).SelectMany(File.ReadAllLines).ToList();
        Assert.All(names, n => Assert.Contains(audit, l => l.Contains(n, StringComparison.Ordinal)));
    }
}
