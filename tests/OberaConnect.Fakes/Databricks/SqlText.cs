using System.Text;

namespace OberaConnect.Fakes.Databricks;

/// <summary>Kinds of token in Databricks SQL text.</summary>
public enum SqlTokenKind { Word, QuotedIdentifier, StringLiteral, Parameter, Number, Symbol }

/// <summary>One token; for quoted identifiers and literals <see cref="Value"/> is the unescaped content.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Text, string Value)
{
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    public override string ToString() => Text;
}

/// <summary>
/// A small tokenizer of Databricks (Spark) SQL, enough to check statement shapes: string literals in single
/// or double quotes with backslash escapes, backtick identifiers with doubled backticks, comments, named
/// parameter markers (<c>:name</c>, not the <c>::</c> cast) and positional <c>?</c> markers.
/// </summary>
public static class SqlText
{
    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw new FormatException("Unterminated comment.");
                i = end + 2;
                continue;
            }
            if (c == '\'' || c == '"')
            {
                var start = i++;
                var value = new StringBuilder();
                var closed = false;
                while (i < sql.Length)
                {
                    var ch = sql[i];
                    if (ch == '\\' && i + 1 < sql.Length) { value.Append(sql[i + 1]); i += 2; continue; }
                    if (ch == c) { i++; closed = true; break; }
                    value.Append(ch);
                    i++;
                }
                if (!closed) throw new FormatException($"Unterminated string literal starting at {start}.");
                tokens.Add(new SqlToken(SqlTokenKind.StringLiteral, sql.Substring(start, i - start), value.ToString()));
                continue;
            }
            if (c == '`')
            {
                var start = i++;
                var value = new StringBuilder();
                var closed = false;
                while (i < sql.Length)
                {
                    if (sql[i] == '`')
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == '`') { value.Append('`'); i += 2; continue; }
                        i++;
                        closed = true;
                        break;
                    }
                    value.Append(sql[i++]);
                }
                if (!closed) throw new FormatException($"Unterminated quoted identifier starting at {start}.");
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, sql.Substring(start, i - start), value.ToString()));
                continue;
            }
            if (c == ':' && i + 1 < sql.Length && sql[i + 1] == ':')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, "::", "::"));
                i += 2;
                continue;
            }
            if (c == ':' && i + 1 < sql.Length && (char.IsLetter(sql[i + 1]) || sql[i + 1] == '_'))
            {
                var start = i++;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql.Substring(start, i - start), sql.Substring(start + 1, i - start - 1)));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                var word = sql.Substring(start, i - start);
                tokens.Add(new SqlToken(SqlTokenKind.Word, word, word));
                continue;
            }
            if (char.IsDigit(c))
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '.')) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Number, sql.Substring(start, i - start), sql.Substring(start, i - start)));
                continue;
            }
            var two = i + 1 < sql.Length ? sql.Substring(i, 2) : "";
            if (two is "<=" or ">=" or "<>" or "!=" or "==")
            {
                if (two == "<=" && i + 2 < sql.Length && sql[i + 2] == '>') { tokens.Add(new SqlToken(SqlTokenKind.Symbol, "<=>", "<=>")); i += 3; continue; }
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, two, two));
                i += 2;
                continue;
            }
            tokens.Add(new SqlToken(SqlTokenKind.Symbol, c.ToString(), c.ToString()));
            i++;
        }
        return tokens;
    }

    /// <summary>Names of the named parameter markers, in order of appearance (repeats kept).</summary>
    public static IReadOnlyList<string> ParameterMarkers(string sql)
        => Tokenize(sql).Where(t => t.Kind == SqlTokenKind.Parameter).Select(t => t.Value).ToList();

    /// <summary>True when the text has a positional <c>?</c> marker (which the Statement Execution API does not support).</summary>
    public static bool HasPositionalMarker(string sql) => Tokenize(sql).Any(t => t.Kind == SqlTokenKind.Symbol && t.Text == "?");

    /// <summary>The dotted name starting at <paramref name="index"/> (identifiers unquoted), and the index after it.</summary>
    public static (string Name, int Next) QualifiedNameAt(IReadOnlyList<SqlToken> tokens, int index)
    {
        var parts = new List<string>();
        var i = index;
        while (i < tokens.Count && (tokens[i].Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.Word))
        {
            parts.Add(tokens[i].Value);
            i++;
            if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.Symbol && tokens[i].Text == ".") i++;
            else break;
        }
        return (string.Join(".", parts), i);
    }

    /// <summary>Index of the first top-level (parenthesis depth 0) word at or after <paramref name="from"/>, or -1.</summary>
    public static int IndexOfTopLevelWord(IReadOnlyList<SqlToken> tokens, string word, int from = 0)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == SqlTokenKind.Symbol && t.Text == "(") depth++;
            else if (t.Kind == SqlTokenKind.Symbol && t.Text == ")") depth--;
            else if (i >= from && depth == 0 && t.IsWord(word)) return i;
        }
        return -1;
    }

    /// <summary>True when parentheses balance.</summary>
    public static bool ParenthesesBalance(IReadOnlyList<SqlToken> tokens)
    {
        var depth = 0;
        foreach (var t in tokens)
        {
            if (t.Kind != SqlTokenKind.Symbol) continue;
            if (t.Text == "(") depth++;
            else if (t.Text == ")" && --depth < 0) return false;
        }
        return depth == 0;
    }
}
