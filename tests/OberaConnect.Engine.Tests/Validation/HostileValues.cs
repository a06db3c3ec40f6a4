using System.Collections;
using System.Globalization;

namespace OberaConnect.Engine.Tests.Validation;

/// <summary>
/// The fixed list of hostile values the input fuzz tests drive through every field of every writing cmdlet's input:
/// empty and blank text, very long text, NUL and other control characters, right-to-left text and emoji, broken
/// surrogates, quotes and JSON/SQL/PowerShell-looking text, numbers as text in every shape, NaN and infinities,
/// negatives, huge numbers, dates out of range, and values of the wrong type (lists, tables, objects). Each value has a
/// label so a failure names it. The list is fixed: a run is reproducible.
/// </summary>
internal static class HostileValues
{
    public sealed record Value(string Label, object? Raw)
    {
        public override string ToString() => Label;
    }

    public static IReadOnlyList<Value> All { get; } = Build();

    /// <summary>The values that are text: what a [string] parameter can receive.</summary>
    public static IReadOnlyList<Value> Strings => All.Where(v => v.Raw is string).ToList();

    private static IReadOnlyList<Value> Build()
    {
        var now = DateTimeOffset.UtcNow;
        var list = new List<Value>();
        void S(string label, string text) => list.Add(new Value(label, text));
        void O(string label, object? raw) => list.Add(new Value(label, raw));

        // Empty, blank, long.
        O("null", null);
        S("empty", "");
        S("space", " ");
        S("spaces", "     ");
        S("tab", "\t");
        S("newline", "\n");
        S("CRLF", "\r\n");
        S("no-break space", "\u00A0");
        S("ideographic space", "\u3000");
        S("padded word", "  padded  ");
        S("100 x", new string('x', 100));
        S("101 x", new string('x', 101));
        S("200 x", new string('x', 200));
        S("201 x", new string('x', 201));
        S("500 x", new string('x', 500));
        S("2000 x", new string('x', 2000));
        S("2001 x", new string('x', 2001));
        S("5000 x", new string('x', 5000));
        S("5000 accented", new string('é', 5000));
        S("5000 emoji", string.Concat(Enumerable.Repeat("🔥", 2500)));
        // Control characters.
        S("NUL", "\0");
        S("NUL inside", "a\0b");
        S("SOH STX", "\u0001\u0002");
        S("tab inside", "a\tb");
        S("two lines", "line one\nline two");
        S("CRLF inside", "line one\r\nline two");
        S("ANSI escape", "\u001b[31mred\u001b[0m");
        S("DEL", "a\u007fb");
        S("NEL", "a\u0085b");
        S("line separator", "a\u2028b");
        S("bell", "\a");
        S("only controls", "\u0001\u0002\u0003");
        // Right to left, emoji, broken characters.
        S("RTL override", "\u202Egnp.exe");
        S("RTL isolate", "a\u2067b\u2069");
        S("Hebrew", "שלום עולם");
        S("Arabic", "مرحبا بالعالم");
        S("RTL mark", "abc\u200F");
        S("zero width space", "a\u200Bb");
        S("BOM", "\uFEFFword");
        S("emoji", "🔥");
        S("emoji in text", "Site 🔥 One");
        S("ZWJ emoji", "👩‍💻");
        S("flag emoji", "🇺🇸");
        S("lone high surrogate", "\uD800");
        S("lone low surrogate inside", "a\uDC00b");
        S("combining accent", "Cafe\u0301");
        S("full-width letters", "ＡＢＣ");
        S("ligature", "ﬁne");
        S("CJK", "東京支店");
        // Quotes and code-looking text.
        S("single quote", "'");
        S("double quote", "\"");
        S("O'Brien", "O'Brien & Sons");
        S("typographic quote", "Acme’s");
        S("quoted", "\"quoted\"");
        S("backtick", "`whoami`");
        S("JSON object", "{\"a\":1}");
        S("JSON array", "[1,2,3]");
        S("JSON null", "null");
        S("JSON true", "true");
        S("JSON false", "false");
        S("empty object", "{}");
        S("SQL injection", "'; DROP TABLE sites; --");
        S("SQL tautology", "1 OR 1=1");
        S("Bobby Tables", "Robert'); DROP TABLE Students;--");
        S("PowerShell subexpression", "$(Get-Date)");
        S("PowerShell variable", "${env:PATH}");
        S("hashtable text", "@{a=1}");
        S("HTML script", "<script>alert(1)</script>");
        S("HTML entity", "&amp;");
        S("path traversal", "../../etc/passwd");
        S("Windows path", "C:\\Windows\\System32");
        S("format string", "{0}{1}%s%n");
        S("URL", "https://example.com/a?b=c");
        S("comma list", "a, b,c");
        S("double space", "Bayou  Electric");
        S("upper case", "BAYOU ELECTRIC");
        S("plain word", "Fuzz");
        // Numbers as text.
        S("zero text", "0");
        S("one text", "1");
        S("five text", "5");
        S("minus one text", "-1");
        S("plus three text", "+3");
        S("five point zero text", "5.0");
        S("fraction text", "2.5");
        S("exponent text", "1e3");
        S("huge text", "1e12");
        S("NaN text", "NaN");
        S("Infinity text", "Infinity");
        S("minus Infinity text", "-Infinity");
        S("hex text", "0x10");
        S("thousands text", "1,000");
        S("decimal comma text", "99,9");
        S("padded number text", " 7 ");
        S("Arabic digit", "٣");
        S("full-width digits", "１２");
        S("percent text", "99.9");
        S("hundred point one text", "100.1");
        S("negative zero text", "-0");
        S("long overflow text", "99999999999999999999");
        // Enumerated words, right and wrong.
        S("Success", "Success");
        S("success lower", "success");
        S("Exploded", "Exploded");
        S("Banana", "Banana");
        S("Present", "Present");
        S("Rolled Back", "rolled back");
        S("online", "online");
        S("CRITICAL", "CRITICAL");
        S("Network", "network");
        S("Up To Date", "Up To Date");
        S("Production", "Production");
        S("Networking", "Networking");
        S("yes", "yes");
        S("UniFi, NinjaOne", "UniFi, NinjaOne");
        // Addresses.
        S("MAC colon", "AA:BB:CC:DD:EE:FF");
        S("MAC cisco", "aabb.ccdd.ee01");
        S("MAC zero", "00:00:00:00:00:00");
        S("IPv4", "192.168.1.20");
        S("IPv6", "fe80::1");
        S("bad IPv4", "999.1.1.1");
        S("short IPv4", "10.1");
        // Dates as text.
        S("ISO date", now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        S("local date", now.AddDays(-2).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        S("year 1 text", "0001-01-01");
        S("1999 text", "1999-12-31T23:59:59Z");
        S("future text", now.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        S("yesterday word", "yesterday");
        S("impossible date", "2026-13-45");
        // Numbers of every type.
        O("int 0", 0);
        O("int 5", 5);
        O("int -1", -1);
        O("int 10", 10);
        O("int max", int.MaxValue);
        O("int min", int.MinValue);
        O("long max", long.MaxValue);
        O("long 1e6", 1_000_000L);
        O("long 1e6+1", 1_000_001L);
        O("byte 7", (byte)7);
        O("short -2", (short)-2);
        O("uint 7", 7u);
        O("double 3.0", 3.0);
        O("double 2.5", 2.5);
        O("double 99.9", 99.9);
        O("double 100", 100.0);
        O("double 100.0001", 100.0001);
        O("double 150", 150.0);
        O("double 1e12", 1e12);
        O("double -0", -0.0);
        O("double epsilon", double.Epsilon);
        O("NaN", double.NaN);
        O("+Infinity", double.PositiveInfinity);
        O("-Infinity", double.NegativeInfinity);
        O("float NaN", float.NaN);
        O("decimal 5", 5m);
        O("decimal almost 2", 2.0000000000000000001m);
        O("decimal -3.5", -3.5m);
        // Wrong types.
        O("true", true);
        O("false", false);
        O("char", 'x');
        O("object array", new object[] { 1, 2 });
        O("string array", new[] { "a", "b" });
        O("empty array", Array.Empty<object>());
        O("hashtable", new Hashtable { ["a"] = 1 });
        O("list", new List<int> { 1 });
        O("object", new object());
        O("guid", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        O("timespan", TimeSpan.FromMinutes(5));
        O("uri", new Uri("https://example.com"));
        O("enum", DayOfWeek.Monday);
        // Dates of every type.
        O("DateTime.MinValue", DateTime.MinValue);
        O("DateTime.MaxValue", DateTime.MaxValue);
        O("DateTimeOffset.MinValue", DateTimeOffset.MinValue);
        O("DateTimeOffset.MaxValue", DateTimeOffset.MaxValue);
        O("now", now.AddMinutes(-5));
        O("two days ahead", now.AddDays(2));
        O("1999", new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc));
        O("2000", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return list;
    }
}
