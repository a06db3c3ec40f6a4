using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;
using static OberaConnect.Engine.Tests.Notion.NotionResponder;

namespace OberaConnect.Engine.Tests.Notion;

/// <summary>What differs between Notion-Version 2025-09-03 and 2026-03-11.</summary>
public class NotionVersionTests
{
    private const string PageId = "393abc1e-edcd-8180-96f0-d00b7235b063";
    private const string Anchor = "393abc1e-edcd-81b4-97e4-e74d4867a8a1";
    private const string Parent = NotionShapes.ParentPageId;

    private static NotionResponder Pages(bool modern) => new NotionResponder()
        .On("PATCH", $"/v1/pages/{PageId}", c =>
        {
            var trash = (bool?)c.Json["in_trash"] ?? (bool?)c.Json["archived"] ?? false;
            return Reply.Ok(NotionShapes.Page(PageId, DateTimeOffset.UtcNow, "x", inTrash: trash, modern: modern));
        });

    [Fact]
    public async Task Trash_sends_in_trash_on_2026_03_11()
    {
        var responder = Pages(modern: true);
        using var client = TestClients.Create(responder);
        var trashed = await client.TrashPageAsync(PageId);
        var restored = await client.RestorePageAsync(PageId);
        Assert.Equal("{\"in_trash\":true}", responder.Calls[0].Body);
        Assert.Equal("{\"in_trash\":false}", responder.Calls[1].Body);
        Assert.True(trashed.InTrash);
        Assert.False(restored.InTrash);
    }

    [Fact]
    public async Task Trash_sends_archived_on_2025_09_03_and_reads_archived_back()
    {
        var responder = Pages(modern: false);
        using var client = TestClients.Create(responder, tweak: o => o.NotionVersion = "2025-09-03");
        var trashed = await client.TrashPageAsync(PageId);
        Assert.Equal("{\"archived\":true}", responder.Calls[0].Body);
        Assert.True(trashed.InTrash); // the answer only had "archived"
        Assert.DoesNotContain("in_trash", trashed.RawJson);
    }

    [Fact]
    public void Both_trash_fields_are_read()
    {
        Assert.True(NotionPage.Parse(NotionShapes.Page(PageId, DateTimeOffset.UtcNow, "x", inTrash: true, modern: true).ToJsonString()).InTrash);
        Assert.True(NotionPage.Parse(NotionShapes.Page(PageId, DateTimeOffset.UtcNow, "x", inTrash: true, modern: false).ToJsonString()).InTrash);
        Assert.False(NotionPage.Parse(NotionShapes.Page(PageId, DateTimeOffset.UtcNow, "x", inTrash: false, modern: false).ToJsonString()).InTrash);
    }

    private static NotionResponder Appender() => new NotionResponder().On("PATCH", $"/v1/blocks/{Parent}/children", c =>
    {
        var blocks = c.Json["children"]!.AsArray().Select(_ => (JsonNode)NotionShapes.Block(NotionShapes.NewId(), "paragraph", "p", DateTimeOffset.UtcNow));
        return Reply.Ok(NotionShapes.List(blocks, type: "block"));
    });

    [Fact]
    public async Task Append_after_a_block_uses_position_on_2026_03_11_and_chains_batches()
    {
        var responder = Appender();
        using var client = TestClients.Create(responder);

        var result = await client.AppendChildrenAsync(Parent, Enumerable.Range(0, 150).Select(i => NewBlock.Paragraph("p" + i)), AppendPosition.After(Anchor));

        var first = responder.Calls[0].Json;
        Assert.Equal("{\"type\":\"after_block\",\"after_block\":{\"id\":\"" + Anchor + "\"}}", first["position"]!.ToJsonString());
        Assert.Null(first["after"]);
        // The second call goes after the last block the first one created, keeping the order.
        Assert.Equal(result.Blocks[99].Id, (string)responder.Calls[1].Json["position"]!["after_block"]!["id"]!);
    }

    [Fact]
    public async Task Append_after_a_block_uses_after_on_2025_09_03()
    {
        var responder = Appender();
        using var client = TestClients.Create(responder, tweak: o => o.NotionVersion = "2025-09-03");

        var result = await client.AppendChildrenAsync(Parent, Enumerable.Range(0, 101).Select(i => NewBlock.Paragraph("p" + i)), AppendPosition.After(Anchor));

        Assert.Equal(Anchor, (string)responder.Calls[0].Json["after"]!);
        Assert.Null(responder.Calls[0].Json["position"]);
        Assert.Equal(result.Blocks[99].Id, (string)responder.Calls[1].Json["after"]!);
    }

    [Fact]
    public async Task Append_at_start_needs_2026_03_11()
    {
        var old = Appender();
        using (var client = TestClients.Create(old, tweak: o => o.NotionVersion = "2025-09-03"))
        {
            var ex = await Assert.ThrowsAsync<NotionInputException>(() => client.AppendChildrenAsync(Parent, new[] { NewBlock.Paragraph("x") }, AppendPosition.Start));
            Assert.Contains("2026-03-11", ex.Message);
            Assert.Empty(old.Calls);
        }

        var modern = Appender();
        using (var client = TestClients.Create(modern))
        {
            await client.AppendChildrenAsync(Parent, new[] { NewBlock.Paragraph("x") }, AppendPosition.Start);
            Assert.Equal("{\"type\":\"start\"}", modern.Calls[0].Json["position"]!.ToJsonString());
        }
    }
}
