using OberaConnect.Engine.AzureServices;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Runbooks;

/// <summary>The pure parts of publishing: languages, block drafts and their limits, titles and hashes, stage history lines.</summary>
public class RunbookBlocksTests
{
    [Theory]
    [InlineData("ps1", "powershell")]
    [InlineData("PWSH", "powershell")]
    [InlineData("powershell", "powershell")]
    [InlineData("sh", "shell")]
    [InlineData("bash", "bash")]
    [InlineData("cmd", "shell")]
    [InlineData("yml", "yaml")]
    [InlineData("cs", "c#")]
    [InlineData("tf", "hcl")]
    [InlineData("JSON", "json")]
    [InlineData("", "plain text")]
    [InlineData(null, "plain text")]
    [InlineData("cobol85", "plain text")]
    public void Fence_languages_map_to_Notions_names(string? fence, string notion)
    {
        Assert.Equal(notion, CodeLanguages.ToNotion(fence));
        Assert.Contains(notion, CodeLanguages.Notion);
    }

    [Fact]
    public void Every_alias_maps_to_a_language_Notion_lists()
    {
        foreach (var alias in new[] { "ps", "psm1", "zsh", "console", "bat", "js", "ts", "py", "cpp", "rb", "rs", "golang", "kt", "md", "dockerfile", "vb", "xaml", "txt" })
            Assert.Contains(CodeLanguages.ToNotion(alias), CodeLanguages.Notion);
    }

    [Fact]
    public void Styles_and_links_become_rich_text_and_unusable_links_plain_text()
    {
        var runs = MarkdownDocument.ParseInline("**b** *i* `c` ~~s~~ [ok](https://x.example/a) [rel](./b.md) [mail](mailto:a@b.example)");
        var text = RunbookBlocks.RichTextOf(runs);

        Assert.True(text.Single(t => t.PlainText == "b").Annotations!.Bold);
        Assert.True(text.Single(t => t.PlainText == "i").Annotations!.Italic);
        Assert.True(text.Single(t => t.PlainText == "c").Annotations!.Code);
        Assert.True(text.Single(t => t.PlainText == "s").Annotations!.Strikethrough);
        Assert.Equal("https://x.example/a", text.Single(t => t.PlainText == "ok").Link);
        Assert.Null(text.Single(t => t.PlainText == "rel").Link);
        Assert.Equal("mailto:a@b.example", text.Single(t => t.PlainText == "mail").Link);
        Assert.All(text.Where(t => t.PlainText.Trim().Length == 0), t => Assert.Null(t.Annotations));
    }

    [Fact]
    public void A_styled_run_longer_than_2000_characters_is_split_and_keeps_its_style()
    {
        var text = RunbookBlocks.RichTextOf(new[] { new TextRun(new string('x', 4100), Bold: true, Link: "https://x.example") });
        Assert.Equal(new[] { 2000, 2000, 100 }, text.Select(t => t.PlainText.Length));
        Assert.All(text, t => Assert.True(t.Annotations!.Bold));
        Assert.All(text, t => Assert.Equal("https://x.example", t.Link));
    }

    [Fact]
    public void Drafts_know_when_a_subtree_does_not_fit_one_request()
    {
        var deep = MarkdownDocument.Parse("- 1\n  - 2\n    - 3\n      - 4");
        var wide = new RunbookBlock { Kind = RunbookBlockKind.BulletedItem, Text = new[] { new TextRun("parent") } };
        wide.Children.AddRange(Enumerable.Range(1, 101).Select(i => new RunbookBlock { Kind = RunbookBlockKind.BulletedItem, Text = new[] { new TextRun($"child {i}") } }));
        var three = MarkdownDocument.Parse("- 1\n  - 2\n    - 3");

        var deepDraft = Assert.Single(RunbookBlocks.Drafts(deep));
        var wideDraft = Assert.Single(RunbookBlocks.Drafts(new[] { wide }));
        var threeDraft = Assert.Single(RunbookBlocks.Drafts(three));

        Assert.Equal(4, deepDraft.Depth);
        Assert.False(deepDraft.FitsInOneRequest);
        Assert.True(deepDraft.Children[0].FitsInOneRequest);
        Assert.False(wideDraft.FitsInOneRequest);
        Assert.Equal(102, wideDraft.ElementCount);
        Assert.True(threeDraft.FitsInOneRequest);
        Assert.Equal(3, RunbookBlocks.ToNotion(three)[0].Depth);
        Assert.Empty(deepDraft.Build(withChildren: false).Children);
    }

    [Fact]
    public void Code_over_100_runs_continues_in_a_second_code_block()
    {
        var code = new string('x', 2000 * 100 + 10);
        var blocks = RunbookBlocks.ToNotion(new[] { new RunbookBlock { Kind = RunbookBlockKind.Code, Language = "ps1", Text = new[] { new TextRun(code) } } });
        Assert.Equal(new[] { "code", "code" }, blocks.Select(b => b.Type));
        Assert.Equal(code, string.Concat(blocks.Select(b => b.PlainText)));
        Assert.Equal(100, blocks[0].Text.Count);
    }

    [Fact]
    public void The_title_comes_from_the_parameter_the_first_heading_or_the_file_name()
    {
        var fromHeading = RunbookDocument.FromText("# VPN Setup\n\ntext", "/r/vpn.md", "vpn");
        var given = RunbookDocument.FromText("# VPN Setup\n\ntext", "/r/vpn.md", "Remote access", preferHeading: false);
        var noHeading = RunbookDocument.FromText("## Steps\n\ntext", "/r/vpn.md", "vpn");

        Assert.Equal(("VPN Setup", 1), (fromHeading.Title, fromHeading.Blocks.Count));
        Assert.Equal(("Remote access", 2), (given.Title, given.Blocks.Count));
        Assert.Equal(("vpn", 2), (noHeading.Title, noHeading.Blocks.Count));
        Assert.Throws<OberaConnectException>(() => RunbookDocument.FromText("", "/r/x.md", " "));
    }

    [Fact]
    public void The_content_hash_ignores_line_endings_and_changes_with_the_text()
    {
        Assert.Equal(RunbookDocument.HashOf("a\nb\n"), RunbookDocument.HashOf("a\r\nb\r\n"));
        Assert.NotEqual(RunbookDocument.HashOf("a\nb\n"), RunbookDocument.HashOf("a\nb\nc\n"));
        Assert.Matches("^[0-9a-f]{64}$", RunbookDocument.HashOf("a"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", RunbookDocument.HashOf(""));
    }

    [Fact]
    public void Stage_history_lines_are_UTC_minutes_with_an_arrow_and_the_note()
    {
        var at = new DateTimeOffset(2026, 11, 22, 9, 5, 59, TimeSpan.FromHours(-5));
        Assert.Equal("2026-11-22 14:05 Idea \u2192 Design (CAB ok)", StageHistory.Line(at, "Idea", "Design", "CAB\nok"));
        Assert.Equal("2026-11-22 14:05 Added as Idea", StageHistory.Line(at, null, "Idea", " "));
        var runs = StageHistory.ToRichText(new[] { "a", "b", "c" }, out var dropped);
        Assert.Equal(("a\nb\nc", 0), (RichText.PlainText(runs), dropped));
        var huge = StageHistory.ToRichText(new[] { new string('y', 250_000) }, out _);
        Assert.Equal(NotionLimits.RichTextElements, huge.Count);
    }

    [Theory]
    [InlineData("CustomerSites", DatabaseKey.CustomerSites)]
    [InlineData("customer sites", DatabaseKey.CustomerSites)]
    [InlineData("Runbook-Library", DatabaseKey.RunbookLibrary)]
    [InlineData("AZURE_PIPELINE", DatabaseKey.AzurePipeline)]
    public void Databases_are_named_by_key_or_title(string name, DatabaseKey key) => Assert.Equal(key, NotionWorkspace.DatabaseNamed(name));

    [Fact]
    public void Options_are_matched_ignoring_case_and_spelled_as_the_definition_does()
    {
        Assert.Equal("Gone From Source", NotionWorkspace.OptionOf(DatabaseKey.NetworkDevices, "Status", "gone from source"));
        Assert.Null(NotionWorkspace.OptionOf(DatabaseKey.NetworkDevices, "Status", " "));
        var error = Assert.ThrowsAny<OberaConnectException>(() => NotionWorkspace.OptionOf(DatabaseKey.Alerts, "Severity", "urgent"));
        Assert.Equal((FailureKind.InvalidInput, "InvalidEnumValue"), (error.Kind, error.ErrorId));
        Assert.Contains("NONE, MINOR, MODERATE, MAJOR, CRITICAL", error.Message);
    }
}
