using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Tests.Notion;

public class NotionIdTests
{
    private const string Dashed = "393abc1e-edcd-8169-85ce-c64d3d3f20fd";
    private const string Compact = "393abc1eedcd816985cec64d3d3f20fd";

    [Theory]
    [InlineData(Dashed)]
    [InlineData(Compact)]
    [InlineData("393ABC1EEDCD816985CEC64D3D3F20FD")]
    [InlineData("  393abc1e-EDCD-8169-85ce-c64d3d3f20fd  ")]
    public void Ids_dashed_or_not_normalize_to_dashed_lowercase(string input)
    {
        var id = NotionId.Parse(input);
        Assert.Equal(Dashed, id.Value);
        Assert.Equal(Compact, id.Compact);
    }

    [Theory]
    [InlineData("https://www.notion.so/oberaconnect/Customer-Status-" + Compact + "?v=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("https://www.notion.so/" + Compact)]
    [InlineData("https://notion.so/oberaconnect/" + Compact + "#bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    [InlineData("https://oberaconnect.notion.site/Runbooks-" + Compact)]
    [InlineData("https://app.notion.com/p/Test-2026-07-04-11-09-44-922854-" + Compact)]
    [InlineData("www.notion.so/oberaconnect/Daily-Health-" + Compact)]
    [InlineData("https://www.notion.so/oberaconnect/" + Dashed)]
    public void Notion_links_give_the_page_or_database_id(string url)
        => Assert.Equal(Dashed, NotionId.Parse(url).Value);

    [Fact]
    public void A_peeked_page_link_gives_the_peeked_page_not_the_database()
    {
        var url = "https://www.notion.so/oberaconnect/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?v=cccccccccccccccccccccccccccccccc&p=" + Compact + "&pm=s";
        Assert.Equal(Dashed, NotionId.Parse(url).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("customer-status")]
    [InlineData("393abc1eedcd816985cec64d3d3f20f")]     // 31 hex
    [InlineData("393abc1eedcd816985cec64d3d3f20fd0")]   // 33 hex
    [InlineData("393abc1eedcd816985cec64d3d3f20fg")]    // not hex
    [InlineData("393abc1e-edcd-8169-85cec64d-3d3f20fd")] // dashes in the wrong places
    [InlineData("https://example.com/Title-" + Compact)] // not a Notion host
    [InlineData("https://www.notion.so/oberaconnect/")]
    [InlineData("ftp://www.notion.so/" + Compact)]
    public void Anything_else_is_a_clear_invalid_input_error(string input)
    {
        Assert.False(NotionId.TryParse(input, out _));
        var ex = Assert.Throws<NotionInvalidIdException>(() => NotionId.Parse(input, "database id"));
        Assert.Equal("NotionInvalidId", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidInput, ex.Kind);
        Assert.Contains("database id", ex.Message);
        Assert.Contains("Copy link", ex.Message);
    }

    [Fact]
    public void A_token_pasted_as_an_id_is_not_echoed()
    {
        var token = "ntn_" + new string('A', 30) + "b1c2d3";
        var ex = Assert.Throws<NotionInvalidIdException>(() => NotionId.Parse(token, "page id"));
        Assert.DoesNotContain(token, ex.Message);
        Assert.DoesNotContain("AAAAAAAAAAAAAAAAAAAA", ex.Message);
    }

    [Fact]
    public void Ids_compare_by_normalized_value()
    {
        Assert.Equal(NotionId.Parse(Compact), NotionId.Parse(Dashed.ToUpperInvariant()));
        Assert.NotEqual(NotionId.Parse(Compact), NotionId.Parse("11111111111111111111111111111111"));
    }

    [Fact]
    public async Task The_client_rejects_a_bad_id_before_sending_anything()
    {
        var responder = new NotionResponder();
        using var client = TestClients.Create(responder);
        await Assert.ThrowsAsync<NotionInvalidIdException>(() => client.GetPageAsync("not-an-id"));
        await Assert.ThrowsAsync<NotionInvalidIdException>(() => client.GetDatabaseAsync("https://example.com/x-" + Compact));
        await Assert.ThrowsAsync<NotionInvalidIdException>(async () => { await foreach (var _ in client.QueryAsync("nope")) { } });
        Assert.Empty(responder.Calls);
    }
}
