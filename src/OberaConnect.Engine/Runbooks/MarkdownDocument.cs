using System.Text;
using System.Text.RegularExpressions;

namespace OberaConnect.Engine.Runbooks;

/// <summary>A styled run of text inside a block.</summary>
public sealed record TextRun(string Text, bool Bold = false, bool Italic = false, bool Code = false, bool Strikethrough = false, string? Link = null);

/// <summary>Kinds of block a runbook can hold; each maps to one Notion block type.</summary>
public enum RunbookBlockKind { Heading1, Heading2, Heading3, Paragraph, BulletedItem, NumberedItem, ToDo, Quote, Code, Divider }

/// <summary>One block of a runbook, with nested children for list items.</summary>
public sealed class RunbookBlock
{
    public RunbookBlockKind Kind { get; init; }
    public IReadOnlyList<TextRun> Text { get; init; } = Array.Empty<TextRun>();
    /// <summary>For code blocks: the language as written after the fence (may be empty).</summary>
    public string? Language { get; init; }
    /// <summary>For to-do items.</summary>
    public bool Checked { get; init; }
    public List<RunbookBlock> Children { get; } = new();

    /// <summary>The text without styling.</summary>
    public string PlainText => string.Concat(Text.Select(t => t.Text));
}

/// <summary>
/// A small CommonMark-like reader for runbooks: ATX headings, paragraphs, bulleted, numbered and
/// to-do lists (nested by indentation), fenced code blocks with a language, block quotes, thematic
/// breaks, and inline bold, italic, code, strikethrough and links. What it does not know (tables,
/// HTML) is kept as plain paragraphs, so no text is ever dropped.
/// </summary>
public static class MarkdownDocument
{
    private static readonly Regex Heading = new(@"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", RegexOptions.CultureInvariant);
    private static readonly Regex Fence = new(@"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)", RegexOptions.CultureInvariant);
    private static readonly Regex ListItem = new(@"^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex TaskBox = new(@"^\[([ xX])\][ \t]+(.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex Rule = new(@"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", RegexOptions.CultureInvariant);

    /// <summary>Reads Markdown text into blocks.</summary>
    public static IReadOnlyList<RunbookBlock> Parse(string markdown)
    {
        var lines = (markdown ?? "").Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var blocks = new List<RunbookBlock>();
        // Open list items by indentation, innermost last.
        var listStack = new List<(int Indent, RunbookBlock Block)>();
        var paragraph = new List<string>();

        void FlushParagraph()
        {
            if (paragraph.Count == 0) return;
            blocks.Add(new RunbookBlock { Kind = RunbookBlockKind.Paragraph, Text = ParseInline(string.Join(" ", paragraph.Select(p => p.Trim()))) });
            paragraph.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var fence = Fence.Match(line);
            if (fence.Success)
            {
                FlushParagraph();
                var marker = fence.Groups[1].Value;
                var code = new List<string>();
                var j = i + 1;
                for (; j < lines.Length; j++)
                {
                    if (lines[j].TrimStart().StartsWith(marker, StringComparison.Ordinal) && lines[j].Trim().Trim(marker[0]).Length == 0) break;
                    code.Add(lines[j]);
                }
                var block = new RunbookBlock { Kind = RunbookBlockKind.Code, Language = fence.Groups[2].Value, Text = new[] { new TextRun(string.Join("\n", code)) } };
                // A code block indented under a list item belongs to it.
                var indent = line.Length - line.TrimStart().Length;
                var parent = listStack.LastOrDefault(l => l.Indent < indent && indent > 0).Block;
                if (parent != null) parent.Children.Add(block); else { listStack.Clear(); blocks.Add(block); }
                i = j;
                continue;
            }

            if (line.Trim().Length == 0) { FlushParagraph(); continue; }

            if (Rule.IsMatch(line) && paragraph.Count == 0)
            {
                listStack.Clear();
                blocks.Add(new RunbookBlock { Kind = RunbookBlockKind.Divider });
                continue;
            }

            var heading = Heading.Match(line);
            if (heading.Success)
            {
                FlushParagraph();
                listStack.Clear();
                var level = heading.Groups[1].Value.Length;
                var kind = level == 1 ? RunbookBlockKind.Heading1 : level == 2 ? RunbookBlockKind.Heading2 : RunbookBlockKind.Heading3;
                blocks.Add(new RunbookBlock { Kind = kind, Text = ParseInline(heading.Groups[2].Value) });
                continue;
            }

            if (line.TrimStart().StartsWith(">", StringComparison.Ordinal))
            {
                FlushParagraph();
                listStack.Clear();
                var quote = new List<string>();
                for (; i < lines.Length && lines[i].TrimStart().StartsWith(">", StringComparison.Ordinal); i++)
                    quote.Add(lines[i].TrimStart().Substring(1).TrimStart());
                i--;
                blocks.Add(new RunbookBlock { Kind = RunbookBlockKind.Quote, Text = ParseInline(string.Join(" ", quote)) });
                continue;
            }

            var item = ListItem.Match(line);
            if (item.Success)
            {
                FlushParagraph();
                var indent = item.Groups[1].Value.Replace("\t", "    ").Length;
                var bullet = item.Groups[2].Value;
                var content = item.Groups[3].Value;
                var kind = char.IsDigit(bullet[0]) ? RunbookBlockKind.NumberedItem : RunbookBlockKind.BulletedItem;
                var isChecked = false;
                var task = TaskBox.Match(content);
                if (kind == RunbookBlockKind.BulletedItem && task.Success)
                {
                    kind = RunbookBlockKind.ToDo;
                    isChecked = task.Groups[1].Value != " ";
                    content = task.Groups[2].Value;
                }
                var block = new RunbookBlock { Kind = kind, Checked = isChecked, Text = ParseInline(content.Trim()) };
                while (listStack.Count > 0 && listStack[listStack.Count - 1].Indent >= indent) listStack.RemoveAt(listStack.Count - 1);
                if (listStack.Count > 0) listStack[listStack.Count - 1].Block.Children.Add(block); else blocks.Add(block);
                listStack.Add((indent, block));
                continue;
            }

            // A lazy continuation line of the current list item.
            if (paragraph.Count == 0 && listStack.Count > 0 && line.StartsWith(" ", StringComparison.Ordinal))
            {
                var last = listStack[listStack.Count - 1].Block;
                var merged = last.PlainText.Length == 0 ? line.Trim() : null;
                var runs = last.Text.ToList();
                runs.Add(new TextRun(" "));
                runs.AddRange(ParseInline(merged ?? line.Trim()));
                var replacement = new RunbookBlock { Kind = last.Kind, Checked = last.Checked, Text = runs };
                replacement.Children.AddRange(last.Children);
                ReplaceListBlock(blocks, listStack, last, replacement);
                continue;
            }

            listStack.Clear();
            paragraph.Add(line);
        }
        FlushParagraph();
        return blocks;
    }

    private static void ReplaceListBlock(List<RunbookBlock> blocks, List<(int Indent, RunbookBlock Block)> stack, RunbookBlock old, RunbookBlock replacement)
    {
        var index = stack.Count - 1;
        var parentChildren = index > 0 ? stack[index - 1].Block.Children : blocks;
        var pos = parentChildren.LastIndexOf(old);
        if (pos >= 0) parentChildren[pos] = replacement;
        stack[index] = (stack[index].Indent, replacement);
    }

    /// <summary>Reads inline Markdown: **bold**, *italic*, `code`, ~~strike~~, [text](url), &lt;url&gt; and backslash escapes.</summary>
    public static IReadOnlyList<TextRun> ParseInline(string text)
    {
        var runs = new List<TextRun>();
        ParseInto(text, runs, bold: false, italic: false, strike: false, link: null);
        return Merge(runs);
    }

    private static void ParseInto(string s, List<TextRun> runs, bool bold, bool italic, bool strike, string? link)
    {
        var buffer = new StringBuilder();
        void Flush()
        {
            if (buffer.Length == 0) return;
            runs.Add(new TextRun(buffer.ToString(), bold, italic, false, strike, link));
            buffer.Clear();
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\' && i + 1 < s.Length && IsEscapable(s[i + 1])) { buffer.Append(s[++i]); continue; }
            if (c == '`')
            {
                var ticks = CountRun(s, i, '`');
                var close = s.IndexOf(new string('`', ticks), i + ticks, StringComparison.Ordinal);
                if (close > 0)
                {
                    Flush();
                    var code = s.Substring(i + ticks, close - i - ticks);
                    if (code.Length > 1 && code[0] == ' ' && code[code.Length - 1] == ' ') code = code.Substring(1, code.Length - 2);
                    runs.Add(new TextRun(code, bold, italic, true, strike, link));
                    i = close + ticks - 1;
                    continue;
                }
            }
            if ((c == '*' || c == '_') && i + 1 < s.Length && s[i + 1] == c && TryDelimited(s, i, new string(c, 2), out var inner2, out var end2))
            {
                Flush();
                ParseInto(inner2, runs, true, italic, strike, link);
                i = end2;
                continue;
            }
            if ((c == '*' || c == '_') && TryDelimited(s, i, c.ToString(), out var inner1, out var end1) && (c == '*' || IsWordBoundary(s, i, end1)))
            {
                Flush();
                ParseInto(inner1, runs, bold, true, strike, link);
                i = end1;
                continue;
            }
            if (c == '~' && i + 1 < s.Length && s[i + 1] == '~' && TryDelimited(s, i, "~~", out var innerS, out var endS))
            {
                Flush();
                ParseInto(innerS, runs, bold, italic, true, link);
                i = endS;
                continue;
            }
            if (c == '[' && link is null && TryLink(s, i, out var label, out var url, out var endL))
            {
                Flush();
                ParseInto(label, runs, bold, italic, strike, url);
                i = endL;
                continue;
            }
            if (c == '<' && link is null)
            {
                var close = s.IndexOf('>', i + 1);
                if (close > i && Uri.TryCreate(s.Substring(i + 1, close - i - 1), UriKind.Absolute, out var auto) && (auto.Scheme == "http" || auto.Scheme == "https" || auto.Scheme == "mailto"))
                {
                    Flush();
                    runs.Add(new TextRun(s.Substring(i + 1, close - i - 1), bold, italic, false, strike, auto.ToString()));
                    i = close;
                    continue;
                }
            }
            buffer.Append(c);
        }
        Flush();
    }

    private static bool IsEscapable(char c) => "\\`*_{}[]()#+-.!~<>|".IndexOf(c) >= 0;

    private static int CountRun(string s, int i, char c) { var n = 0; while (i + n < s.Length && s[i + n] == c) n++; return n; }

    private static bool IsWordBoundary(string s, int start, int end)
        => (start == 0 || !char.IsLetterOrDigit(s[start - 1])) && (end + 1 >= s.Length || !char.IsLetterOrDigit(s[end + 1]));

    private static bool TryDelimited(string s, int i, string delimiter, out string inner, out int end)
    {
        inner = "";
        end = -1;
        var from = i + delimiter.Length;
        if (from >= s.Length || char.IsWhiteSpace(s[from])) return false;
        var close = s.IndexOf(delimiter, from + 1 > s.Length ? s.Length : from, StringComparison.Ordinal);
        while (close > from && char.IsWhiteSpace(s[close - 1])) close = s.IndexOf(delimiter, close + 1, StringComparison.Ordinal);
        if (close <= from - 1 || close < 0) return false;
        if (close == from) return false;
        inner = s.Substring(from, close - from);
        end = close + delimiter.Length - 1;
        return true;
    }

    private static bool TryLink(string s, int i, out string label, out string url, out int end)
    {
        label = url = "";
        end = -1;
        var depth = 0;
        var j = i;
        for (; j < s.Length; j++)
        {
            if (s[j] == '[') depth++;
            else if (s[j] == ']' && --depth == 0) break;
        }
        if (j >= s.Length - 1 || s[j + 1] != '(') return false;
        var close = s.IndexOf(')', j + 2);
        if (close < 0) return false;
        label = s.Substring(i + 1, j - i - 1);
        var target = s.Substring(j + 2, close - j - 2).Trim();
        // Drop an optional "title" after the URL.
        var space = target.IndexOf(' ');
        if (space > 0) target = target.Substring(0, space);
        url = target.Trim('<', '>');
        end = close;
        return url.Length > 0;
    }

    private static List<TextRun> Merge(List<TextRun> runs)
    {
        var merged = new List<TextRun>();
        foreach (var r in runs)
        {
            if (r.Text.Length == 0) continue;
            if (merged.Count > 0)
            {
                var last = merged[merged.Count - 1];
                if (last with { Text = "" } == r with { Text = "" }) { merged[merged.Count - 1] = last with { Text = last.Text + r.Text }; continue; }
            }
            merged.Add(r);
        }
        return merged;
    }
}
