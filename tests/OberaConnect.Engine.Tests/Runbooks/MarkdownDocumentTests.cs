using OberaConnect.Engine.Runbooks;

namespace OberaConnect.Engine.Tests.Runbooks;

public class MarkdownDocumentTests
{
    [Fact]
    public void Headings_paragraphs_lists_code_quotes_and_rules_become_blocks()
    {
        const string md = """
            # VPN Setup SOP
            Intro line one
            continues here.

            ## Steps
            1. Open the **firewall** console
            2. Add the tunnel
               - check *phase 1*
               - check `phase 2`
            - [ ] verify
            - [x] document

            ```powershell
            Get-NetIPAddress
              | Format-Table
            ```

            > Call the NOC if it fails.

            ---
            ### Done
            """;
        var blocks = MarkdownDocument.Parse(md);
        Assert.Equal(new[]
        {
            RunbookBlockKind.Heading1, RunbookBlockKind.Paragraph, RunbookBlockKind.Heading2,
            RunbookBlockKind.NumberedItem, RunbookBlockKind.NumberedItem, RunbookBlockKind.ToDo, RunbookBlockKind.ToDo,
            RunbookBlockKind.Code, RunbookBlockKind.Quote, RunbookBlockKind.Divider, RunbookBlockKind.Heading3,
        }, blocks.Select(b => b.Kind));
        Assert.Equal("Intro line one continues here.", blocks[1].PlainText);
        Assert.Equal("Open the firewall console", blocks[3].PlainText);
        Assert.Contains(blocks[3].Text, r => r.Bold && r.Text == "firewall");
        Assert.Equal(2, blocks[4].Children.Count);
        Assert.All(blocks[4].Children, c => Assert.Equal(RunbookBlockKind.BulletedItem, c.Kind));
        Assert.Contains(blocks[4].Children[0].Text, r => r.Italic && r.Text == "phase 1");
        Assert.Contains(blocks[4].Children[1].Text, r => r.Code && r.Text == "phase 2");
        Assert.False(blocks[5].Checked);
        Assert.True(blocks[6].Checked);
        Assert.Equal("powershell", blocks[7].Language);
        Assert.Equal("Get-NetIPAddress\n  | Format-Table", blocks[7].PlainText);
        Assert.Equal("Call the NOC if it fails.", blocks[8].PlainText);
    }

    [Theory]
    [InlineData("plain", "plain", "")]
    [InlineData("a **b** c", "a b c", "b:bold")]
    [InlineData("a __b__ c", "a b c", "b:bold")]
    [InlineData("a *i* c", "a i c", "i:italic")]
    [InlineData("snake_case_name stays", "snake_case_name stays", "")]
    [InlineData("~~gone~~ now", "gone now", "gone:strike")]
    [InlineData("see [docs](https://example.com/x) here", "see docs here", "docs:link=https://example.com/x")]
    [InlineData("<https://example.com>", "https://example.com", "https://example.com:link=https://example.com/")]
    [InlineData("escaped \\*not italic\\*", "escaped *not italic*", "")]
    [InlineData("``code with ` tick``", "code with ` tick", "code with ` tick:code")]
    [InlineData("unclosed **bold", "unclosed **bold", "")]
    [InlineData("**[bold link](https://x.org)**", "bold link", "bold link:bold,link=https://x.org/")]
    public void Inline_styles_are_recognised(string input, string plain, string styled)
    {
        var runs = MarkdownDocument.ParseInline(input);
        Assert.Equal(plain, string.Concat(runs.Select(r => r.Text)));
        var described = runs.Where(r => r.Bold || r.Italic || r.Code || r.Strikethrough || r.Link != null)
            .Select(r => r.Text + ":" + string.Join(",", new[]
            {
                r.Bold ? "bold" : null, r.Italic ? "italic" : null, r.Code ? "code" : null, r.Strikethrough ? "strike" : null,
                r.Link != null ? "link=" + new Uri(r.Link).ToString() : null,
            }.Where(x => x != null)));
        Assert.Equal(styled, string.Join(";", described));
    }

    [Fact]
    public void Unknown_constructs_are_kept_as_text_not_dropped()
    {
        var blocks = MarkdownDocument.Parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>html</div>");
        var text = string.Join("\n", blocks.Select(b => b.PlainText));
        Assert.Contains("| a | b |", text);
        Assert.Contains("| 1 | 2 |", text);
        Assert.Contains("html", text);
    }

    [Fact]
    public void Windows_line_endings_and_an_unclosed_fence_keep_all_text()
    {
        var blocks = MarkdownDocument.Parse("# T\r\n```\r\nline1\r\nline2");
        Assert.Equal(RunbookBlockKind.Code, blocks[1].Kind);
        Assert.Equal("line1\nline2", blocks[1].PlainText);
    }
}
