using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

public class CompletionTests
{
    [Fact]
    public void Database_keys_are_the_seven_databases()
    {
        Assert.Equal(new[] { "CustomerSites", "DailyHealth", "ConfigChanges", "NetworkDevices", "Alerts", "AzurePipeline", "RunbookLibrary" }, DatabaseKeys.All);
    }

    [Theory]
    [InlineData("", 7)]
    [InlineData("c", 2)]
    [InlineData("'Daily", 1)]
    [InlineData("*Health", 1)]
    [InlineData("*i*", 6)]
    [InlineData("x", 0)]
    public void Completes_by_prefix_or_wildcard_ignoring_case_and_typed_quotes(string typed, int expected)
    {
        Assert.Equal(expected, NameCompletion.Complete(DatabaseKeys.All, typed).Count());
    }

    [Fact]
    public void Names_that_need_quoting_are_quoted_and_duplicates_dropped()
    {
        var names = new[] { "Acme HQ", "O'Neil Dental", "Clinic-2", "acme hq" };
        Assert.Equal(new[] { "'Acme HQ'", "'O''Neil Dental'", "Clinic-2" }, NameCompletion.Complete(names, ""));
        Assert.Equal(new[] { "'O''Neil Dental'" }, NameCompletion.Complete(names, "o'"));
    }
}
