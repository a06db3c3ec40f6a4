using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Notion;

public sealed partial class NotionClient
{
    /// <summary>The children of a page or block (<c>GET /v1/blocks/{id}/children</c>), streamed 100 at a time.</summary>
    public async IAsyncEnumerable<NotionBlock> ListChildrenAsync(string blockId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(blockId, "page or block id");
        await foreach (var item in PaginateGetAsync($"v1/blocks/{id}/children", "children of block " + id, cancellationToken).ConfigureAwait(false))
            if (item is NotionBlock block) yield return block;
    }

    /// <summary>Moves a block (or a page, as its block) to the trash (<c>DELETE /v1/blocks/{id}</c>). Safe to repeat.</summary>
    public Task<NotionBlock> DeleteBlockAsync(string blockId, CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(blockId, "block id");
        return SendAsync(HttpMethod.Delete, "v1/blocks/" + id, null, RequestSafety.Idempotent, "block " + id, e => As<NotionBlock>(e, "a block"), cancellationToken);
    }

    /// <summary>
    /// Appends blocks to a page or block (<c>PATCH /v1/blocks/{id}/children</c>), split into as many calls as
    /// Notion's limits need (100 blocks, 1000 block elements, 500 KB each); later calls continue after the
    /// blocks of the previous one, so the order is kept. Position <see cref="AppendPosition.Start"/> needs
    /// Notion-Version 2026-03-11; <see cref="AppendPosition.After"/> is sent as <c>position</c> (2026-03-11) or
    /// <c>after</c> (2025-09-03).
    /// <para>An append is not idempotent. When a call's answer is lost, the children are read back and the
    /// call counts as applied when its blocks (same types and text, created just now) are found where they
    /// should be; only when they are absent is it sent again.</para>
    /// </summary>
    public async Task<AppendResult> AppendChildrenAsync(string blockId, IEnumerable<NewBlock> blocks, AppendPosition? position = null,
        CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(blockId, "page or block id");
        position ??= AppendPosition.End;
        if (position.Kind == "start" && !_options.IsAtLeast2026)
            throw new NotionInputException("NotionUnsupportedPosition",
                $"Appending at the start of the children needs Notion-Version {NotionClientOptions.LatestVersion}; this client uses {_options.NotionVersion}.");
        var items = blocks.Select((b, i) => (Block: b, Json: b.ToRequestJson($"block {i + 1} ({b.Type}) appended to {id}"))).ToList();
        var batches = Batch(items, reservedBytes: 512, what: "blocks appended to " + id);

        var created = new List<NotionBlock>();
        var calls = 0;
        var recovered = 0;
        string? after = position.Kind == "after_block" ? position.AfterBlockId : null;
        var atStart = position.Kind == "start";
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            var body = new JsonObject { ["children"] = new JsonArray(batch.Select(c => (JsonNode)c.Json.DeepClone()).ToArray()) };
            if (after != null)
            {
                if (_options.IsAtLeast2026) body["position"] = new JsonObject { ["type"] = "after_block", ["after_block"] = new JsonObject { ["id"] = after } };
                else body["after"] = after;
            }
            else if (atStart)
            {
                body["position"] = new JsonObject { ["type"] = "start" };
            }

            var anchor = after;
            var start = atStart;
            var newBlocks = batch.Select(c => c.Block).ToList();
            var (result, outcome, sends) = await WriteOnceAsync($"append {newBlocks.Count} block(s) to {id}",
                ct => SendAsync(Patch, $"v1/blocks/{id}/children", body, RequestSafety.NotIdempotent, $"children of block {id} (append)",
                    e => As<NotionList>(e, "a list").Results.OfType<NotionBlock>().ToList(), ct),
                (sentAt, ct) => FindAppendedAsync(id, newBlocks, anchor, start, sentAt, ct),
                $"the {newBlocks.Count} appended block(s) in the children of {id}", cancellationToken).ConfigureAwait(false);

            calls += sends;
            if (outcome == CreateOutcome.Recovered) recovered++;
            created.AddRange(result);
            // The next call continues right after what this one added (at the end, that is where it lands anyway).
            if (position.Kind != "end" && result.Count > 0)
            {
                after = result[result.Count - 1].Id;
                atStart = false;
            }
        }
        return new AppendResult(created, calls, recovered);
    }

    /// <summary>
    /// After a lost append: the run of blocks matching <paramref name="sent"/> (type and text, created recently)
    /// right after <paramref name="anchor"/>, at the start, or at the end of the children; null when absent.
    /// </summary>
    private async Task<List<NotionBlock>?> FindAppendedAsync(string parentId, IReadOnlyList<NewBlock> sent, string? anchor, bool atStart,
        DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var children = new List<NotionBlock>();
        await foreach (var block in ListChildrenAsync(parentId, cancellationToken).ConfigureAwait(false)) children.Add(block);

        int from;
        if (anchor != null)
        {
            from = children.FindIndex(c => c.Id == anchor) + 1;
            if (from == 0) return null;
        }
        else if (atStart) from = 0;
        else from = children.Count - sent.Count;
        if (from < 0 || from + sent.Count > children.Count) return null;

        for (var k = 0; k < sent.Count; k++)
        {
            var have = children[from + k];
            if (have.Type != sent[k].Type || !string.Equals(have.PlainText, sent[k].PlainText, StringComparison.Ordinal) || !IsRecent(have.CreatedTime, sentAt))
                return null;
        }
        return children.GetRange(from, sent.Count);
    }

    /// <summary>
    /// Splits blocks into request-sized batches: at most 100 top-level blocks, 1000 block elements and the byte
    /// limit (less <paramref name="reservedBytes"/> for the rest of the body) each. A single block over a limit is an error.
    /// </summary>
    private static List<List<(NewBlock Block, JsonObject Json)>> Batch(List<(NewBlock Block, JsonObject Json)> items, int reservedBytes, string what)
    {
        var batches = new List<List<(NewBlock, JsonObject)>>();
        var current = new List<(NewBlock, JsonObject)>();
        int elements = 0, bytes = reservedBytes;
        for (var i = 0; i < items.Count; i++)
        {
            var (block, json) = items[i];
            var count = block.ElementCount;
            var size = Json.Utf8Length(Json.Serialize(json)) + 1;
            if (count > NotionLimits.BlockElementsPerRequest)
                throw new NotionLimitException($"block {i + 1} ({block.Type}) of {what}", "block elements (the block and everything nested in it) in one request",
                    NotionLimits.BlockElementsPerRequest, count, "Append its children in separate calls to the block once it exists.");
            if (size + reservedBytes > NotionLimits.RequestBytes)
                throw new NotionLimitException($"block {i + 1} ({block.Type}) of {what}", "the size of one request in bytes", NotionLimits.RequestBytes, size + reservedBytes,
                    "Split its text or its children over several blocks.");
            if (current.Count > 0 && (current.Count + 1 > NotionLimits.BlocksPerAppend || elements + count > NotionLimits.BlockElementsPerRequest
                                      || bytes + size > NotionLimits.RequestBytes))
            {
                batches.Add(current);
                current = new List<(NewBlock, JsonObject)>();
                elements = 0;
                bytes = reservedBytes;
            }
            current.Add((block, json));
            elements += count;
            bytes += size;
        }
        if (current.Count > 0) batches.Add(current);
        return batches;
    }
}
