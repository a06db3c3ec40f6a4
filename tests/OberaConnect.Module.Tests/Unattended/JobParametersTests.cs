using System.Collections;
using OberaConnect.Engine;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Module.Tests.Unattended;

public class JobParametersTests
{
    private static readonly string[] Jobs = { "Test-OberaConnectHealth", "Export-NotionDatabase" };

    private static Func<string, bool> Has(params string[] names) => n => names.Contains(n, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Flat_keys_go_to_each_job_that_has_them_and_a_job_key_holds_that_job_own_parameters()
    {
        var parameters = JobParameters.FromJson("""{"ConfigPath": "C:\\OberaConnect\\config.json", "export-notiondatabase": {"All": true, "ConfigPath": "D:\\other.json"}}""", "OBERACONNECT_PARAMETERS", Jobs);

        var health = parameters.For("Test-OberaConnectHealth", Has("ConfigPath", "Component", "Quiet"));
        Assert.Equal(new[] { "ConfigPath" }, health.Keys);
        Assert.Equal(@"C:\OberaConnect\config.json", health["ConfigPath"]);
        var export = parameters.For("Export-NotionDatabase", Has("ConfigPath", "All", "Path"));
        Assert.Equal(true, export["All"]);
        Assert.Equal(@"D:\other.json", export["ConfigPath"]); // the job's own value wins
        Assert.Empty(parameters.Unused(new[] { Has("ConfigPath"), Has("ConfigPath", "All") }));
    }

    [Fact]
    public void Json_values_become_what_PowerShell_binds_and_a_key_no_job_has_is_reported()
    {
        var parameters = JobParameters.FromJson("""{"Database": ["CustomerSites", "Alerts"], "Day": 3, "Ratio": 0.5, "Summary": false, "Note": null, "Typo": 1}""", "x", Jobs);
        var values = parameters.For("Export-NotionDatabase", _ => true);
        Assert.Equal(new object[] { "CustomerSites", "Alerts" }, (object[])values["Database"]!);
        Assert.Equal(3L, values["Day"]);
        Assert.Equal(0.5, values["Ratio"]);
        Assert.Equal(false, values["Summary"]);
        Assert.Null(values["Note"]);
        Assert.Equal(new[] { "Typo" }, parameters.Unused(new[] { Has("Database", "Day", "Ratio", "Summary", "Note") }));
    }

    [Fact]
    public void A_psd1_hashtable_is_read_the_same_and_extra_values_fill_only_what_is_not_given()
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase)
        {
            ["Export-NotionDatabase"] = new Hashtable { ["All"] = true },
            ["Summary"] = true,
        };
        var parameters = JobParameters.FromDictionary(table, Jobs);
        var extra = new Dictionary<string, object?> { ["ConfigPath"] = "from -ConfigPath" };
        var export = parameters.For("Export-NotionDatabase", Has("All", "ConfigPath"), extra);
        Assert.Equal(true, export["All"]);
        Assert.Equal("from -ConfigPath", export["ConfigPath"]);
        Assert.False(export.ContainsKey("Summary"));
        Assert.Equal(new[] { "Summary" }, parameters.Unused(new[] { Has("All", "ConfigPath") }));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("\"C:\\\\x.psd1\"", "must be a JSON object")]
    public void Text_that_is_not_a_JSON_object_is_a_configuration_error_saying_what_to_give(string text, string expected)
    {
        var ex = Assert.Throws<OberaConnectException>(() => JobParameters.FromJson(text, "OBERACONNECT_PARAMETERS", Jobs));
        Assert.Equal("JobParametersInvalid", ex.ErrorId);
        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains(expected, ex.Message);
        Assert.Contains("OBERACONNECT_PARAMETERS", ex.Message);
    }
}
