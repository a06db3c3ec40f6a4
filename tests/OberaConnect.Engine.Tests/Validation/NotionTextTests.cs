using OberaConnect.Engine.Validation;

namespace OberaConnect.Engine.Tests.Validation;

public class NotionTextTests
{
    [Theory]
    [InlineData("line1\r\nline2\rline3\nline4", "line1\nline2\nline3\nline4")]
    [InlineData("a\u0000b\u0007c\u001Bd\u007Fe\u0085f", "abcde\nf")]
    [InlineData("keep\ttabs\nand newlines", "keep\ttabs\nand newlines")]
    [InlineData("user\u202Egnp.exe", "usergnp.exe")]
    [InlineData("<script>alert(1)</script>", "<script>alert(1)</script>")] // plain text in Notion: not escaped
    [InlineData(null, "")]
    public void Sanitize_strips_control_characters_except_newline_and_tab_and_normalizes_newlines(string? input, string expected)
        => Assert.Equal(expected, NotionText.Sanitize(input));

    [Fact]
    public void Unpaired_surrogates_become_replacement_characters_and_pairs_survive()
        => Assert.Equal("a\uFFFDb\uFFFD😀", NotionText.Sanitize("a\uD800b\uDC00😀"));

    [Fact]
    public void Text_up_to_two_thousand_characters_is_one_segment()
    {
        var result = NotionText.Split(new string('a', 2000));
        Assert.Single(result.Segments);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void Longer_text_is_split_losslessly_into_segments_of_at_most_two_thousand()
    {
        var text = string.Concat(Enumerable.Range(0, 4500).Select(i => (char)('a' + i % 26)));
        var result = NotionText.Split(text);
        Assert.Equal(new[] { 2000, 2000, 500 }, result.Segments.Select(s => s.Length));
        Assert.Equal(text, result.ToString());
        Assert.False(result.Truncated);
    }

    [Fact]
    public void A_split_never_cuts_a_surrogate_pair()
    {
        var text = new string('a', 1999) + "😀" + "tail";
        var result = NotionText.Split(text);
        Assert.Equal(1999, result.Segments[0].Length);
        Assert.StartsWith("😀", result.Segments[1]);
        Assert.Equal(text, result.ToString());
    }

    [Fact]
    public void Beyond_one_hundred_segments_the_text_is_truncated_with_a_marker()
    {
        var text = new string('z', 2000 * 100 + 1);
        var result = NotionText.Split(text);
        Assert.Equal(100, result.Segments.Count);
        Assert.True(result.Truncated);
        Assert.All(result.Segments, s => Assert.True(s.Length <= 2000));
        Assert.EndsWith(NotionText.TruncationMarker, result.Segments[^1]);
        Assert.Equal(200_001, result.OriginalLength);
    }

    [Fact]
    public void Exactly_one_hundred_full_segments_are_not_truncated()
    {
        var result = NotionText.Split(new string('z', 2000 * 100));
        Assert.Equal(100, result.Segments.Count);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void Truncate_keeps_short_text_and_marks_shortened_text_within_the_limit()
    {
        Assert.Equal("short", NotionText.Truncate("short", 100));
        var cut = NotionText.Truncate(new string('b', 150), 100);
        Assert.Equal(100, cut.Length);
        Assert.EndsWith(NotionText.TruncationMarker, cut);
    }
}
