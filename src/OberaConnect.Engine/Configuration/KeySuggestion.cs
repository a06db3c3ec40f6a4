namespace OberaConnect.Engine.Configuration;

/// <summary>Finds the known name nearest to a mistyped one (optimal string alignment distance, ignoring case).</summary>
internal static class KeySuggestion
{
    /// <summary>The nearest candidate within a distance that still reads as a typo, or null.</summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(Normalize(typed), Normalize(c));
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        if (best is null) return null;
        var limit = Math.Max(2, Normalize(best).Length / 4);
        return bestDistance <= limit ? best : null;
    }

    // Case, spaces, dashes and underscores do not make a different name: "base_url" is "baseUrl".
    internal static string Normalize(string s)
        => new string(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) to turn a into b.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
