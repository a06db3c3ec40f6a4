using OberaConnect.Engine.State;

namespace OberaConnect.Module.Tests.Unattended;

public class SiteNameCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oberaconnect-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Nothing_cached_yet_is_an_empty_list()
    {
        Assert.Empty(new SiteNameCache(_directory).Load());
    }

    [Fact]
    public void Saved_names_load_back_distinct_sorted_and_clean()
    {
        var cache = new SiteNameCache(_directory);
        cache.Save(new[] { "Zeta Clinic", "acme HQ", "Acme HQ", "  ", "bad\nname", " Beta Dental " });
        Assert.Equal(new[] { "acme HQ", "Beta Dental", "Zeta Clinic" }, cache.Load());
        cache.Save(new[] { "Only One" });
        Assert.Equal(new[] { "Only One" }, cache.Load());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }
}
