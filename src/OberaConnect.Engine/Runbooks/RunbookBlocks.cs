using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Runbooks;

/// <summary>
/// Maps a runbook's blocks (<see cref="MarkdownDocument"/>) to Notion blocks: headings 1–3, paragraphs, bulleted,
/// numbered and to-do items with their nested items, quotes, code (with Notion's language names, see
/// <see cref="CodeLanguages"/>) and dividers, with bold, italic, strikethrough, inline code and links kept.
/// Notion's limits are met here: runs longer than 2000 characters are split (keeping their style), a block with
/// more than 100 runs continues in further blocks, and links Notion would refuse (relative paths, over 2000
/// characters) are kept as plain text.
/// </summary>
public static class RunbookBlocks
{
    /// <summary>The Notion blocks of <paramref name="blocks"/>, every level nested (see <see cref="RunbookLibrary"/> for how deep trees are sent).</summary>
    public static IReadOnlyList<NewBlock> ToNotion(IReadOnlyList<RunbookBlock> blocks)
        => Drafts(blocks).Select(d => d.Build(withChildren: true)).ToList();

    /// <summary>Styled runs as Notion rich text, each at most 2000 characters.</summary>
    public static IReadOnlyList<RichTextSegment> RichTextOf(IEnumerable<TextRun> runs)
    {
        var segments = new List<RichTextSegment>();
        foreach (var run in runs)
        {
            if (run.Text.Length == 0) continue;
            var annotations = new RichTextAnnotations(Bold: run.Bold, Italic: run.Italic, Strikethrough: run.Strikethrough, Code: run.Code);
            segments.AddRange(RichText.From(run.Text, UsableLink(run.Link), annotations));
        }
        return segments;
    }

    /// <summary>The link Notion accepts: an absolute http, https or mailto URL within 2000 characters; otherwise none.</summary>
    internal static string? UsableLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link) || link!.Length > NotionLimits.Url) return null;
        return Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == "mailto")
            ? link
            : null;
    }

    internal static List<BlockDraft> Drafts(IReadOnlyList<RunbookBlock> blocks)
    {
        var drafts = new List<BlockDraft>();
        foreach (var block in blocks) drafts.AddRange(Draft(block));
        return drafts;
    }

    private static IEnumerable<BlockDraft> Draft(RunbookBlock block)
    {
        var children = Drafts(block.Children);
        switch (block.Kind)
        {
            case RunbookBlockKind.Divider:
                yield return new BlockDraft(_ => NewBlock.Divider(), children);
                yield break;
            case RunbookBlockKind.Code:
            {
                var language = CodeLanguages.ToNotion(block.Language);
                var code = string.Concat(block.Text.Select(t => t.Text));
                var chunks = Chunks(RichText.From(code)).ToList();
                if (chunks.Count == 0) chunks.Add(Array.Empty<RichTextSegment>());
                foreach (var chunk in chunks) yield return new BlockDraft(_ => NewBlock.Code(chunk, language), Array.Empty<BlockDraft>());
                yield break;
            }
        }

        var type = block.Kind switch
        {
            RunbookBlockKind.Heading1 => "heading_1",
            RunbookBlockKind.Heading2 => "heading_2",
            RunbookBlockKind.Heading3 => "heading_3",
            RunbookBlockKind.BulletedItem => "bulleted_list_item",
            RunbookBlockKind.NumberedItem => "numbered_list_item",
            RunbookBlockKind.ToDo => "to_do",
            RunbookBlockKind.Quote => "quote",
            _ => "paragraph",
        };
        var parts = Chunks(RichTextOf(block.Text)).ToList();
        if (parts.Count == 0) parts.Add(Array.Empty<RichTextSegment>());
        var canNest = block.Kind is RunbookBlockKind.BulletedItem or RunbookBlockKind.NumberedItem or RunbookBlockKind.ToDo;

        if (canNest)
        {
            // Text beyond one block's 100 runs continues in paragraphs under the item, before its own children.
            var nested = parts.Skip(1).Select(p => new BlockDraft(c => NewBlock.FromRichText("paragraph", p, c), Array.Empty<BlockDraft>())).Concat(children).ToList();
            var first = parts[0];
            var isChecked = block.Checked;
            yield return block.Kind == RunbookBlockKind.ToDo
                ? new BlockDraft(c => NewBlock.ToDo(first, isChecked, c), nested)
                : new BlockDraft(c => NewBlock.FromRichText(type, first, c), nested);
            yield break;
        }

        // Headings, paragraphs, quotes: each part its own block; anything nested under them (never from Markdown) follows as siblings.
        foreach (var part in parts) yield return new BlockDraft(_ => NewBlock.FromRichText(type, part), Array.Empty<BlockDraft>());
        foreach (var child in children) yield return child;
    }

    private static IEnumerable<IReadOnlyList<RichTextSegment>> Chunks(IReadOnlyList<RichTextSegment> segments)
    {
        for (var i = 0; i < segments.Count; i += NotionLimits.RichTextElements)
            yield return segments.Skip(i).Take(NotionLimits.RichTextElements).ToList();
    }
}

/// <summary>
/// A Notion block not built yet, with its children, so the sender can decide per block whether its subtree goes in
/// the same request (within Notion's three levels, 100 children per block and 1000 elements) or in later calls.
/// </summary>
internal sealed class BlockDraft
{
    private readonly Func<NewBlock[], NewBlock> _make;

    public BlockDraft(Func<NewBlock[], NewBlock> make, IReadOnlyList<BlockDraft> children)
    {
        _make = make;
        Children = children;
        Depth = 1 + (children.Count == 0 ? 0 : children.Max(c => c.Depth));
        ElementCount = 1 + children.Sum(c => c.ElementCount);
        WidestChildren = Math.Max(children.Count, children.Count == 0 ? 0 : children.Max(c => c.WidestChildren));
    }

    public IReadOnlyList<BlockDraft> Children { get; }

    /// <summary>Levels including this block.</summary>
    public int Depth { get; }

    /// <summary>This block and everything under it.</summary>
    public int ElementCount { get; }

    /// <summary>The most children any block of this subtree has.</summary>
    public int WidestChildren { get; }

    /// <summary>True when the whole subtree can be sent in one request with this block.</summary>
    public bool FitsInOneRequest => Depth <= NotionLimits.BlockDepthPerRequest
                                    && ElementCount <= NotionLimits.BlockElementsPerRequest
                                    && WidestChildren <= NotionLimits.BlocksPerAppend;

    public NewBlock Build(bool withChildren)
        => _make(withChildren ? Children.Select(c => c.Build(true)).ToArray() : Array.Empty<NewBlock>());
}
