using System.Security.Cryptography;
using System.Text;

namespace OberaConnect.Engine.Runbooks;

/// <summary>
/// A runbook as read from its Markdown file: the title, the blocks, and the content hash that tells whether the
/// published page is still current. The title is the one given, else the first level-1 heading, else the file
/// name; a first heading equal to the title is not repeated in the body (Notion shows the title already).
/// </summary>
public sealed class RunbookDocument
{
    private RunbookDocument(string sourceFile, string title, string markdown, IReadOnlyList<RunbookBlock> blocks)
    {
        SourceFile = sourceFile;
        Title = title;
        Markdown = markdown;
        Blocks = blocks;
        ContentHash = HashOf(markdown);
    }

    /// <summary>Where the Markdown came from (the full path for files).</summary>
    public string SourceFile { get; }

    public string Title { get; }

    public string Markdown { get; }

    /// <summary>The body's blocks (without a first heading that repeats the title).</summary>
    public IReadOnlyList<RunbookBlock> Blocks { get; }

    /// <summary>SHA-256 of the Markdown text (UTF-8, line endings as \n), lower-case hex.</summary>
    public string ContentHash { get; }

    /// <summary>Reads a Markdown file (UTF-8; a byte order mark is ignored).</summary>
    public static RunbookDocument FromFile(string path, string? title = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OberaConnectException("RunbookFileUnreadable", FailureKind.InvalidInput,
                $"The runbook file '{path}' cannot be read ({ex.Message}). Check the path and that the file is not locked.", ex);
        }
        return FromText(text, Path.GetFullPath(path), title ?? Path.GetFileNameWithoutExtension(path), preferHeading: title is null);
    }

    /// <summary>A runbook from Markdown text. Without a title given, the first level-1 heading is the title, else <paramref name="fallbackTitle"/>.</summary>
    public static RunbookDocument FromText(string markdown, string sourceFile, string fallbackTitle, bool preferHeading = true)
    {
        var text = (markdown ?? "").Replace("\r\n", "\n").Replace('\r', '\n');
        var blocks = MarkdownDocument.Parse(text).ToList();
        var heading = blocks.FirstOrDefault(b => b.Kind == RunbookBlockKind.Heading1);
        var title = (preferHeading && heading != null && heading.PlainText.Trim().Length > 0 ? heading.PlainText : fallbackTitle).Trim();
        if (title.Length == 0)
            throw new OberaConnectException("RunbookTitleMissing", FailureKind.InvalidInput,
                $"The runbook '{sourceFile}' has no title: give it a '# Title' line or pass -Title.");
        if (blocks.Count > 0 && blocks[0].Kind == RunbookBlockKind.Heading1 && string.Equals(blocks[0].PlainText.Trim(), title, StringComparison.Ordinal))
            blocks.RemoveAt(0);
        return new RunbookDocument(sourceFile, title, text, blocks);
    }

    /// <summary>The hash Content Hash holds for <paramref name="markdown"/>.</summary>
    public static string HashOf(string markdown)
    {
        var text = (markdown ?? "").Replace("\r\n", "\n").Replace('\r', '\n');
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder(hash.Length * 2);
        foreach (var b in hash) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    public override string ToString() => $"{Title} ({SourceFile})";
}
