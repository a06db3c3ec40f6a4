namespace OberaConnect.Engine.Sources.Sample;

/// <summary>
/// A small deterministic generator (SplitMix64). System.Random's seeded sequence is not promised to be
/// the same across runtimes, and the Sample must give the same data on Windows PowerShell 5.1 and on .NET 10.
/// Each value is derived from (seed, purpose, indices), so one site's data does not depend on how many
/// values other sites drew.
/// </summary>
internal struct SampleRandom
{
    private ulong _state;

    private SampleRandom(ulong state) => _state = state;

    public static SampleRandom For(int seed, string purpose, params long[] indices)
    {
        var h = Mix(0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed);
        foreach (var c in purpose) h = Mix(h ^ c);
        foreach (var i in indices) h = Mix(h ^ (ulong)i);
        return new SampleRandom(h);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ value &lt; 1.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>0 ≤ value &lt; max.</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary>min ≤ value ≤ max.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public string Hex(int length)
    {
        const string digits = "0123456789ABCDEF";
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = digits[Next(16)];
        return new string(chars);
    }
}
