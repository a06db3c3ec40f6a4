using System.Globalization;
using System.Text;

namespace OberaConnect.ModuleBuild;

/// <summary>
/// Reads a PowerShell data file (.psd1): the restricted language of a module manifest, a hashtable literal of
/// strings, numbers, booleans, $null, arrays and nested hashtables, with comments. Hashtables become
/// case-insensitive dictionaries, arrays lists. Anything outside that language is an error with a line number,
/// as Import-PowerShellDataFile would refuse it too.
/// </summary>
public sealed class PowerShellDataFile
{
    private readonly string _text;
    private int _pos;

    private PowerShellDataFile(string text) => _text = text;

    /// <summary>Parses the text of a .psd1 file; its top level must be one hashtable.</summary>
    public static Dictionary<string, object?> Parse(string text)
    {
        var parser = new PowerShellDataFile(text);
        parser.SkipTrivia();
        var value = parser.ParseValue();
        parser.SkipTrivia();
        if (parser._pos < text.Length) throw parser.Error("Unexpected text after the top-level hashtable");
        return value as Dictionary<string, object?> ?? throw parser.Error("The file must hold one hashtable @{ ... }");
    }

    /// <summary>Reads and parses a .psd1 file.</summary>
    public static Dictionary<string, object?> Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>A value as a list of strings: one string becomes a one-item list, $null or absent an empty one.</summary>
    public static IReadOnlyList<string> Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        List<object?> list => list.Select(v => v?.ToString() ?? "").ToArray(),
        _ => new[] { Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
    };

    private object? ParseValue()
    {
        var first = ParseAtom();
        SkipInlineSpace();
        if (Peek() != ',') return first;
        // A bare comma list ('a', 'b') is an array, as in PowerShell.
        var items = new List<object?> { first };
        while (Peek() == ',')
        {
            _pos++;
            SkipTrivia();
            items.Add(ParseAtom());
            SkipInlineSpace();
        }
        return items;
    }

    private object? ParseAtom()
    {
        var c = Peek();
        if (c == '@' && PeekAt(1) == '{') { _pos += 2; return ParseHashtable(); }
        if (c == '@' && PeekAt(1) == '(') { _pos += 2; return ParseArray(); }
        if (c == '@' && (PeekAt(1) == '\'' || PeekAt(1) == '"')) return ParseHereString();
        if (c == '\'') return ParseSingleQuoted();
        if (c == '"') return ParseDoubleQuoted();
        if (c == '$') return ParseVariable();
        if (c == '-' || c == '+' || char.IsDigit(c) || c == '.') return ParseNumber();
        throw Error($"Unexpected '{(c == '\0' ? "end of file" : c.ToString())}'");
    }

    private Dictionary<string, object?> ParseHashtable()
    {
        var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(separators: true);
            if (Peek() == '}') { _pos++; return table; }
            if (Peek() == '\0') throw Error("Missing '}'");
            var key = ParseKey();
            SkipInlineSpace();
            if (Peek() != '=') throw Error($"Expected '=' after key '{key}'");
            _pos++;
            SkipTrivia();
            if (table.ContainsKey(key)) throw Error($"Duplicate key '{key}'");
            table[key] = ParseValue();
        }
    }

    private List<object?> ParseArray()
    {
        var items = new List<object?>();
        while (true)
        {
            SkipTrivia(separators: true, commas: true);
            if (Peek() == ')') { _pos++; return items; }
            if (Peek() == '\0') throw Error("Missing ')'");
            var value = ParseValue();
            // @( ) flattens what it holds, as PowerShell's array subexpression does.
            if (value is List<object?> inner) items.AddRange(inner);
            else items.Add(value);
        }
    }

    private string ParseKey()
    {
        var c = Peek();
        if (c == '\'') return ParseSingleQuoted();
        if (c == '"') return ParseDoubleQuoted();
        var start = _pos;
        while (char.IsLetterOrDigit(Peek()) || Peek() == '_' || Peek() == '-' || Peek() == '.') _pos++;
        if (_pos == start) throw Error("Expected a key");
        return _text.Substring(start, _pos - start);
    }

    private string ParseSingleQuoted()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            var c = Peek();
            if (c == '\0') throw Error("Unterminated string");
            _pos++;
            if (c == '\'')
            {
                if (Peek() == '\'') { sb.Append('\''); _pos++; continue; }
                return sb.ToString();
            }
            sb.Append(c);
        }
    }

    private string ParseDoubleQuoted()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            var c = Peek();
            if (c == '\0') throw Error("Unterminated string");
            _pos++;
            if (c == '"')
            {
                if (Peek() == '"') { sb.Append('"'); _pos++; continue; }
                return sb.ToString();
            }
            if (c == '$' && (char.IsLetter(Peek()) || Peek() == '{' || Peek() == '('))
                throw Error("Variables and subexpressions are not allowed in a data file string");
            if (c == '`')
            {
                var e = Peek();
                _pos++;
                sb.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => e });
                continue;
            }
            sb.Append(c);
        }
    }

    private string ParseHereString()
    {
        var quote = PeekAt(1);
        _pos += 2;
        var lineEnd = _text.IndexOf('\n', _pos);
        if (lineEnd < 0 || _text.Substring(_pos, lineEnd - _pos).Trim().Length != 0) throw Error("A here-string must start its text on the next line");
        var bodyStart = lineEnd + 1;
        var terminator = "\n" + quote + "@";
        var end = _text.IndexOf(terminator, bodyStart - 1, StringComparison.Ordinal);
        if (end < 0) throw Error("Unterminated here-string");
        var body = end < bodyStart ? "" : _text.Substring(bodyStart, end - bodyStart).TrimEnd('\r');
        _pos = end + terminator.Length;
        return body.Replace("\r\n", "\n");
    }

    private object? ParseVariable()
    {
        var start = _pos;
        _pos++;
        while (char.IsLetterOrDigit(Peek())) _pos++;
        var name = _text.Substring(start, _pos - start);
        return name.ToLowerInvariant() switch
        {
            "$true" => true,
            "$false" => false,
            "$null" => null,
            _ => throw Error($"Variable {name} is not allowed in a data file"),
        };
    }

    private object ParseNumber()
    {
        var start = _pos;
        _pos++;
        while (char.IsLetterOrDigit(Peek()) || Peek() == '.') _pos++;
        var token = _text.Substring(start, _pos - start);
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return whole is >= int.MinValue and <= int.MaxValue ? (object)(int)whole : whole;
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return real;
        throw Error($"'{token}' is not a number");
    }

    private void SkipInlineSpace()
    {
        while (true)
        {
            var c = Peek();
            if (c == ' ' || c == '\t') { _pos++; continue; }
            if (c == '#') { SkipLineComment(); continue; }
            if (c == '<' && PeekAt(1) == '#') { SkipBlockComment(); continue; }
            if (c == '`' && (PeekAt(1) == '\n' || PeekAt(1) == '\r')) { _pos++; SkipNewline(); continue; }
            return;
        }
    }

    private void SkipTrivia(bool separators = false, bool commas = false)
    {
        while (true)
        {
            SkipInlineSpace();
            var c = Peek();
            if (c == '\r' || c == '\n' || (separators && c == ';') || (commas && c == ',')) { _pos++; continue; }
            return;
        }
    }

    private void SkipNewline()
    {
        if (Peek() == '\r') _pos++;
        if (Peek() == '\n') _pos++;
    }

    private void SkipLineComment()
    {
        while (Peek() != '\n' && Peek() != '\0') _pos++;
    }

    private void SkipBlockComment()
    {
        var end = _text.IndexOf("#>", _pos + 2, StringComparison.Ordinal);
        if (end < 0) throw Error("Unterminated <# comment");
        _pos = end + 2;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private char PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private FormatException Error(string message)
    {
        var line = 1;
        for (var i = 0; i < Math.Min(_pos, _text.Length); i++) if (_text[i] == '\n') line++;
        return new FormatException($"{message} (line {line}).");
    }
}
