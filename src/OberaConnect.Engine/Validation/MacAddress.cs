using System.Globalization;

namespace OberaConnect.Engine.Validation;

/// <summary>
/// A 48-bit hardware address. Accepts the forms sources and people use — <c>AA:BB:CC:DD:EE:FF</c>,
/// <c>AA-BB-CC-DD-EE-FF</c>, <c>AABB.CCDD.EEFF</c>, <c>AABBCCDDEEFF</c> — in any case, and writes the form
/// UniFi reports: lowercase, colon-separated (<c>aa:bb:cc:dd:ee:ff</c>), so the same device always gets the
/// same natural key. All-zero and broadcast addresses are refused: no device has them.
/// </summary>
public readonly struct MacAddress : IEquatable<MacAddress>
{
    public const string ErrorId = "InvalidMacAddress";

    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value;

    /// <summary>The canonical string form; throws <see cref="InputValidationException"/> (InvalidMacAddress).</summary>
    public static string Normalize(string? value, string? item = null) => Parse(value, item).ToString();

    public static MacAddress Parse(string? value, string? item = null)
        => TryParse(value, out var mac, out var error, item) ? mac : throw error!;

    public static bool TryParse(string? value, out MacAddress mac, out InputValidationException? error, string? item = null)
    {
        mac = default;
        error = null;
        const string remedy = "Use six pairs of hexadecimal digits, for example aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabb.ccdd.eeff.";
        if (value is null) { error = Fail(item, null, "is missing", remedy); return false; }
        var text = value.Trim();
        if (text.Length == 0) { error = Fail(item, value, "is empty", remedy); return false; }

        string hex;
        if (text.Length == 17 && (text[2] == ':' || text[2] == '-'))
        {
            var separator = text[2];
            for (var i = 2; i < 17; i += 3)
                if (text[i] != separator) { error = Fail(item, value, "mixes separators or misplaces one", remedy); return false; }
            hex = string.Concat(Enumerable.Range(0, 6).Select(i => text.Substring(i * 3, 2)));
        }
        else if (text.Length == 14 && text[4] == '.' && text[9] == '.')
        {
            hex = text.Substring(0, 4) + text.Substring(5, 4) + text.Substring(10, 4);
        }
        else if (text.Length == 12)
        {
            hex = text;
        }
        else
        {
            var digits = text.Count(Uri.IsHexDigit);
            var problem = digits == 16 ? "has 8 bytes (an EUI-64), not the 6 of a MAC address" : $"is not in a MAC address form ({digits} hexadecimal digits, expected 12)";
            error = Fail(item, value, problem, remedy);
            return false;
        }

        for (var i = 0; i < hex.Length; i++)
            if (!Uri.IsHexDigit(hex[i])) { error = Fail(item, value, $"contains '{hex[i]}', which is not a hexadecimal digit", remedy); return false; }

        var parsed = ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (parsed == 0) { error = Fail(item, value, "is all zeros, which no device has", "Check the source: the device probably did not report its address."); return false; }
        if (parsed == 0xFFFFFFFFFFFFUL) { error = Fail(item, value, "is the broadcast address, which no device has", "Check the source: the device probably did not report its address."); return false; }
        mac = new MacAddress(parsed);
        return true;
    }

    /// <summary>lowercase, colon-separated: aa:bb:cc:dd:ee:ff</summary>
    public override string ToString()
    {
        var hex = _value.ToString("x12", CultureInfo.InvariantCulture);
        return string.Join(":", Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }

    public bool Equals(MacAddress other) => _value == other._value;
    public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);
    public override int GetHashCode() => _value.GetHashCode();
    public static bool operator ==(MacAddress a, MacAddress b) => a.Equals(b);
    public static bool operator !=(MacAddress a, MacAddress b) => !a.Equals(b);

    private static InputValidationException Fail(string? item, string? value, string problem, string remedy)
        => new(ErrorId, "MAC address", item, value, problem, remedy);
}
