using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.State;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.State;

/// <summary>
/// The names tab completion offers: the cache file per workspace and kind, and when the workspace is read to refresh it
/// (never for fresh names, in the background for old ones, waited for briefly when there are none, not again soon after
/// a failure). Reads are stand-ins that count their calls; no clock but the test's decides what is old.
/// </summary>
public sealed class CompletionNamesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oberaconnect-state-" + Guid.NewGuid().ToString("N"));
    private int _reads;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private WorkspaceNameCache Cache(string key = "abc") => new(_directory, "site-names", key);

    private Func<CancellationToken, Task<IReadOnlyList<string>>> Read(params string[] names) => _ =>
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult<IReadOnlyList<string>>(names);
    };

    private static ManualTimeProvider Now() => new(DateTimeOffset.UtcNow);

    [Fact]
    public void Nothing_cached_yet_is_an_empty_list()
    {
        Assert.Empty(Cache().Load());
        Assert.Null(Cache().SavedAt);
    }

    [Fact]
    public void Saved_names_load_back_distinct_sorted_and_clean()
    {
        var cache = Cache();
        cache.Save(new[] { "Zeta Clinic", "acme HQ", "Acme HQ", "  ", "bad\nname", " Beta Dental " });
        Assert.Equal(new[] { "acme HQ", "Beta Dental", "Zeta Clinic" }, cache.Load());
        cache.Save(new[] { "Only One" });
        Assert.Equal(new[] { "Only One" }, cache.Load());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Each_workspace_has_its_own_file_in_its_state_directory()
    {
        OberaConnectConfiguration Config(string dataSource) => ConfigurationFile.Parse(
            "{\"databases\":{\"CustomerSites\":{\"dataSourceId\":\"" + dataSource + "\"}},\"paths\":{\"stateDirectory\":\"" + _directory.Replace("\\", "\\\\") + "\"}}",
            Path.Combine(_directory, "config.json"));
        var one = WorkspaceNameCache.SiteNames(Config("3f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b"));
        var two = WorkspaceNameCache.SiteNames(Config("7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"));
        Assert.Equal(Path.Combine(_directory, "site-names.3f8e2a4c5b6d4e7f8a9b0c1d2e3f4a5b.txt"), one.FilePath);
        Assert.NotEqual(one.FilePath, two.FilePath);
        one.Save(new[] { "Acme" });
        Assert.Empty(two.Load());
        Assert.NotEqual(one.FilePath, WorkspaceNameCache.Tools(Config("3f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b")).FilePath);
    }

    [Fact]
    public void Fresh_names_are_offered_without_reading_the_workspace()
    {
        var cache = Cache();
        cache.Save(new[] { "Acme", "Globex" });
        Assert.Equal(new[] { "Acme", "Globex" }, CompletionNames.Get(cache, Read("Other"), null, Now()));
        Assert.Equal(0, _reads);
    }

    [Fact]
    public async Task Old_names_are_offered_at_once_and_refreshed_for_the_next_Tab()
    {
        var cache = Cache();
        cache.Save(new[] { "Acme" });
        File.SetLastWriteTimeUtc(cache.FilePath, DateTime.UtcNow - CompletionNames.TimeToLive - TimeSpan.FromMinutes(1));
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<IReadOnlyList<string>>> slow = async _ =>
        {
            Interlocked.Increment(ref _reads);
            await release.Task;
            return new[] { "Acme", "Initech" };
        };

        Assert.Equal(new[] { "Acme" }, CompletionNames.Get(cache, slow, null, Now()));
        release.SetResult(true);
        for (var i = 0; i < 100 && cache.Load().Count < 2; i++) await Task.Delay(20);
        Assert.Equal(new[] { "Acme", "Initech" }, CompletionNames.Get(cache, slow, null, Now()));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public void With_nothing_cached_the_first_read_is_waited_for()
    {
        var cache = Cache();
        Assert.Equal(new[] { "Acme", "Globex" }, CompletionNames.Get(cache, Read("Globex", "Acme"), null, Now()));
        Assert.Equal(new[] { "Acme", "Globex" }, cache.Load());
    }

    [Fact]
    public async Task A_read_slower_than_the_wait_offers_nothing_now_and_its_names_on_the_next_Tab()
    {
        var cache = Cache();
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<IReadOnlyList<string>>> slow = async _ =>
        {
            Interlocked.Increment(ref _reads);
            await release.Task;
            return new[] { "Acme" };
        };
        Assert.Empty(CompletionNames.Get(cache, slow, TimeSpan.FromMilliseconds(50), Now()));
        // A second Tab while the read is still going does not start another one.
        Assert.Empty(CompletionNames.Get(cache, slow, TimeSpan.FromMilliseconds(50), Now()));
        release.SetResult(true);
        for (var i = 0; i < 100 && cache.Load().Count == 0; i++) await Task.Delay(20);
        Assert.Equal(new[] { "Acme" }, CompletionNames.Get(cache, slow, TimeSpan.FromMilliseconds(50), Now()));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public void A_failed_read_offers_nothing_without_an_error_and_is_not_repeated_for_a_minute()
    {
        var cache = Cache();
        var clock = Now();
        Func<CancellationToken, Task<IReadOnlyList<string>>> refused = _ =>
        {
            Interlocked.Increment(ref _reads);
            throw new OberaConnectException("NotionUnauthorized", FailureKind.Authentication, "The token was refused.");
        };
        Assert.Empty(CompletionNames.Get(cache, refused, null, clock));
        Assert.Empty(CompletionNames.Get(cache, refused, null, clock));
        Assert.Equal(1, _reads);
        Assert.False(File.Exists(cache.FilePath));

        clock.Advance(CompletionNames.RetryAfterFailure + TimeSpan.FromSeconds(1));
        Assert.Equal(new[] { "Acme" }, CompletionNames.Get(cache, Read("Acme"), null, clock));
        Assert.Equal(2, _reads);
    }
}
