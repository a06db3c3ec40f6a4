using System.Text.Json.Nodes;
using OberaConnect.Engine.Sync;

namespace OberaConnect.Engine.Tests.Sync;

public sealed class FailureJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oc-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    private static SyncResult R(string key, SyncStatus status, string? error = null) =>
        new() { Database = "CustomerSites", Key = key, StatusValue = status, Error = error, ErrorId = error is null ? null : "X", Input = new { SiteName = key } };

    private static JsonNode? Input(SyncResult r) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(r.Input));

    [Fact]
    public void Failed_records_are_kept_with_their_input_and_removed_once_they_sync()
    {
        var journal = new FailureJournal(_dir, "Sync-CustomerStatus");
        journal.Apply(new[] { R("Acme", SyncStatus.Failed, "boom"), R("Beta", SyncStatus.Created), R("Gamma", SyncStatus.Failed, "bad") }, Input);

        var entries = journal.Read();
        Assert.Equal(new[] { "Acme", "Gamma" }, entries.Select(e => e.Key).OrderBy(k => k));
        Assert.Equal("Acme", entries.Single(e => e.Key == "Acme").Input!["SiteName"]!.GetValue<string>());

        // A retry: Acme succeeds, Gamma fails again; an untouched key would stay.
        journal.Apply(new[] { R("Acme", SyncStatus.Updated), R("Gamma", SyncStatus.Failed, "still bad") }, Input);
        var after = journal.Read();
        Assert.Single(after);
        Assert.Equal("Gamma", after[0].Key);
        Assert.Equal(2, after[0].Attempts);
        Assert.Equal("still bad", after[0].Error);

        journal.Apply(new[] { R("Gamma", SyncStatus.Unchanged) }, Input);
        Assert.Empty(journal.Read());
        Assert.False(File.Exists(journal.FilePath));
    }

    [Fact]
    public void Skipped_records_do_not_clear_a_failure()
    {
        var journal = new FailureJournal(_dir, "Sync-Alert");
        journal.Apply(new[] { R("A1", SyncStatus.Failed, "x") }, Input);
        journal.Apply(new[] { R("A1", SyncStatus.Skipped) }, Input);
        Assert.Single(journal.Read());
    }

    private static SyncResult Failure(string key, Exception error, object input) =>
        new() { Database = "ConfigChanges", Key = key, StatusValue = SyncStatus.Failed, Error = error.Message, ErrorId = (error as OberaConnectException)?.ErrorId, Exception = error, Input = input };

    [Fact]
    public void Only_failures_a_retry_can_fix_are_kept_and_different_inputs_never_overwrite_each_other()
    {
        var journal = new FailureJournal(_dir, "Write-ConfigChange");
        var outage = new OberaConnectException("NotionServiceUnavailable", FailureKind.ServiceUnavailable, "503");
        var invalid = new OberaConnectException("InvalidSiteName", FailureKind.InvalidInput, "the site name is missing");
        var refused = new OberaConnect.Engine.Notion.NotionBadRequestException(400, "validation_error", "Risk Level is not an option", null, null, "Notion refused the page.");
        journal.Apply(new[]
        {
            // Three different inputs without a key: three entries, none overwriting another.
            Failure("", outage, new { Site = "Acme", Tool = "a" }),
            Failure("", outage, new { Site = "Acme", Tool = "b" }),
            Failure("", outage, new { Site = "Globex", Tool = "a" }),
            // Input the module's validation refused fails the same way every time: reported, never journaled.
            Failure("", invalid, new { Site = (string?)null }),
            Failure("C-2", invalid, new { Site = "" }),
            // Notion refused it: the workspace may be repaired, so a retry may succeed.
            Failure("C-3", refused, new { Site = "Initech" }),
        }, r => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(r.Input)));

        var entries = journal.Read();
        Assert.Equal(4, entries.Count);
        Assert.Equal(3, entries.Count(e => e.Key == ""));
        Assert.Equal(new[] { "a", "b", "a" }, entries.Where(e => e.Key == "").Select(e => e.Input!["Tool"]!.GetValue<string>()));
        Assert.Equal("NotionValidationError", entries.Single(e => e.Key == "C-3").ErrorId);
        Assert.False(FailureJournal.IsRetryable(Failure("", invalid, new { })));
        Assert.True(FailureJournal.IsRetryable(Failure("", refused, new { })));

        // The same record in another spelling of its key is the same entry; failing validation now takes it out.
        journal.Apply(new[] { new SyncResult { Database = "ConfigChanges", Key = "c-3 ", StatusValue = SyncStatus.Created } }, Input);
        journal.Apply(new[] { Failure("", invalid, new { Site = "Acme", Tool = "a" }) }, r => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(r.Input)));
        Assert.Equal(new[] { "b", "a" }, journal.Read().Select(e => e.Input!["Tool"]!.GetValue<string>()));
    }

    [Fact]
    public void A_corrupt_journal_is_a_clear_error_that_names_the_file()
    {
        Directory.CreateDirectory(_dir);
        var journal = new FailureJournal(_dir, "Sync-Alert");
        File.WriteAllText(journal.FilePath, "{ not json");
        var ex = Assert.Throws<OberaConnectException>(() => journal.Read());
        Assert.Equal("FailureJournalCorrupt", ex.ErrorId);
        Assert.Contains(journal.FilePath, ex.Message);
    }
}
