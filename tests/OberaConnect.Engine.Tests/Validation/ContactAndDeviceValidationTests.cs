using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Tests.Validation;

public class ContactAndDeviceValidationTests
{
    [Theory]
    [InlineData("AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff")]
    [InlineData("aa-bb-cc-dd-ee-0f", "aa:bb:cc:dd:ee:0f")]
    [InlineData("AABB.CCDD.EEFF", "aa:bb:cc:dd:ee:ff")]
    [InlineData(" 0418d6a1b2c3 ", "04:18:d6:a1:b2:c3")]
    public void Mac_addresses_in_common_forms_normalize_to_the_UniFi_form(string input, string expected)
    {
        Assert.Equal(expected, MacAddress.Normalize(input));
        Assert.Equal(MacAddress.Parse(expected), MacAddress.Parse(input));
    }

    [Theory]
    [InlineData("AA:BB-CC:DD:EE:FF", "mixes separators")]
    [InlineData("GG:BB:CC:DD:EE:FF", "'G', which is not a hexadecimal digit")]
    [InlineData("AA:BB:CC:DD:EE", "expected 12")]
    [InlineData("AA:BB:CC:DD:EE:FF:00:11", "EUI-64")]
    [InlineData("00:00:00:00:00:00", "all zeros")]
    [InlineData("ff:ff:ff:ff:ff:ff", "broadcast")]
    [InlineData("", "is empty")]
    public void Bad_mac_addresses_get_a_clear_error(string input, string problem)
    {
        Assert.False(MacAddress.TryParse(input, out _, out var error, "device 'Lobby AP'"));
        Assert.Equal("InvalidMacAddress", error!.ErrorId);
        Assert.StartsWith("device 'Lobby AP': the MAC address", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("noc@OberaConnect.COM", "noc@oberaconnect.com")]
    [InlineData(" first.last+alerts@mail.example.co.uk ", "first.last+alerts@mail.example.co.uk")]
    [InlineData("josé@exämple.de", "josé@exämple.de")]
    public void Plausible_email_addresses_are_accepted_with_the_domain_lowercased(string input, string expected)
        => Assert.Equal(expected, EmailAddress.Normalize(input));

    [Theory]
    [InlineData("noc.example.com", "has no '@'")]
    [InlineData("a@b@example.com", "more than one '@'")]
    [InlineData("@example.com", "nothing before the '@'")]
    [InlineData("noc@", "no domain")]
    [InlineData("noc@localhost", "has no dot")]
    [InlineData("no c@example.com", "contains U+0020")]
    [InlineData(".noc@example.com", "dot at the start")]
    [InlineData("noc@example.c0m", "not a top-level domain")]
    [InlineData("noc@-bad.com", "starts or ends with '-'")]
    public void Implausible_email_addresses_get_a_clear_error(string input, string problem)
    {
        var ex = Assert.Throws<InputValidationException>(() => EmailAddress.Normalize(input, "site 'Acme' contact"));
        Assert.Equal("InvalidEmailAddress", ex.ErrorId);
        Assert.Contains(problem, ex.Message);
        Assert.Contains("site 'Acme' contact", ex.Message);
    }

    [Fact]
    public void An_email_over_the_Notion_limit_is_refused()
    {
        var ex = Assert.Throws<InputValidationException>(() => EmailAddress.Normalize(new string('a', 60) + "@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 3)) + ".com"));
        Assert.Contains("at most 200", ex.Message);
    }

    [Theory]
    [InlineData("https://unifi.ui.com/consoles/abc/network/default/dashboard")]
    [InlineData("http://10.0.0.5:8443/manage")]
    [InlineData(" https://app.ninjarmm.com/#/deviceDashboard/42/overview ")]
    [InlineData("http://localhost:8080/health")]
    public void Plausible_urls_are_accepted_trimmed(string input)
        => Assert.Equal(input.Trim(), WebUrl.Normalize(input));

    [Theory]
    [InlineData("javascript:alert(1)", "scheme 'javascript:'")]
    [InlineData("data:text/html,hi", "scheme 'data:'")]
    [InlineData("file:///etc/passwd", "scheme 'file:'")]
    [InlineData("/relative/path", "not an absolute URL")]
    [InlineData("https://exa mple.com", "space or control character")]
    [InlineData("https://intranet/", "not a plausible host name")]
    public void Implausible_urls_get_a_clear_error(string input, string problem)
    {
        var ex = Assert.Throws<InputValidationException>(() => WebUrl.Normalize(input));
        Assert.Equal("InvalidUrl", ex.ErrorId);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void A_url_with_credentials_is_refused_without_echoing_them()
    {
        const string password = "Pa55w0rd-Secret-77";
        var ex = Assert.Throws<InputValidationException>(() => WebUrl.Normalize($"https://admin:{password}@unifi.example.com/"));
        Assert.Contains("user name or password", ex.Message);
        Assert.Contains("https://***@unifi.example.com/", ex.Message);
        new Security.SecretLeakScan(password).Exception("url error", ex).Object("target", ex.InvalidValue).AssertClean();
    }

    [Fact]
    public void A_url_over_two_thousand_characters_is_refused()
    {
        var ex = Assert.Throws<InputValidationException>(() => WebUrl.Normalize("https://example.com/" + new string('a', 1990)));
        Assert.Contains("at most 2000", ex.Message);
    }
}
