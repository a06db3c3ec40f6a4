using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Tests.Validation;

public class SiteNameTests
{
    [Theory]
    [InlineData("Acme Corp", "Acme Corp")]
    [InlineData("  Smith & Sons - Main Office #2  ", "Smith & Sons - Main Office #2")]
    [InlineData("O'Brien's (HQ) / Tampa, FL", "O'Brien's (HQ) / Tampa, FL")]
    [InlineData("Café Zürich", "Café Zürich")]
    [InlineData("Cafe\u0301 Lyon", "Café Lyon")] // decomposed accent becomes NFC
    [InlineData("North\u00A0Branch", "North Branch")] // no-break space from a copy and paste
    [InlineData("Site_01.backup: A+B @ C!", "Site_01.backup: A+B @ C!")]
    [InlineData("東京オフィス", "東京オフィス")]
    public void Valid_names_are_trimmed_and_normalized(string input, string expected)
        => Assert.Equal(expected, SiteName.Normalize(input));

    [Fact]
    public void Two_hundred_characters_pass_and_two_hundred_and_one_fail()
    {
        Assert.Equal(200, SiteName.Normalize(new string('a', 200)).Length);
        var ex = Assert.Throws<InputValidationException>(() => SiteName.Normalize(new string('a', 201)));
        Assert.Contains("201 characters long (at most 200)", ex.Message);
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("Acme\tCorp", "control character (U+0009) at position 5")]
    [InlineData("Acme\u0007", "control character (U+0007)")]
    [InlineData("Acme <script>", "contains '<' at position 6")]
    [InlineData("Acme; DROP", "contains ';'")]
    [InlineData("Acme \"Corp\"", "contains '\"'")]
    [InlineData("Rocket 🚀 Labs", "contains '🚀' at position 8")]
    [InlineData("Evil\u202Etxt", "contains U+202E")]
    public void Invalid_names_are_refused_with_a_stable_error_id_naming_the_item_and_the_fix(string? input, string problem)
    {
        var ok = SiteName.TryNormalize(input, out _, out var error, item: "UniFi site 61f0c3");
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal("InvalidSiteName", error!.ErrorId);
        Assert.Equal(FailureKind.InvalidInput, error.Kind);
        Assert.StartsWith("UniFi site 61f0c3: the site name", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal(input, error.InvalidValue);
        Assert.DoesNotContain("\t", error.Message, StringComparison.Ordinal); // control characters are shown escaped
        Assert.DoesNotContain("\u0007", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_bad_values_are_shortened_in_the_message()
    {
        var ex = Assert.Throws<InputValidationException>(() => SiteName.Normalize(new string('x', 150) + "<"));
        Assert.Contains("… (151 characters)", ex.Message);
        Assert.True(ex.Message.Length < 500);
    }
}
