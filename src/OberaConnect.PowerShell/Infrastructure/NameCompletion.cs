namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The matching behind the argument completers: which known names fit what the user typed, and how each is
    /// written on the command line. Returns plain strings, so it is tested without PowerShell.
    /// </summary>
    public static class NameCompletion
    {
        /// <summary>
        /// Names that start with (or, with * or ?, match) the typed word, case-insensitively, in their given order,
        /// each quoted when it needs quoting. Quotes the user already typed are ignored.
        /// </summary>
        public static IEnumerable<string> Complete(IEnumerable<string> knownNames, string? wordToComplete)
        {
            var typed = (wordToComplete ?? "").Trim().Trim('\'', '"');
            var isPattern = typed.IndexOfAny(new[] { '*', '?' }) >= 0;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in knownNames)
            {
                if (string.IsNullOrEmpty(name) || !seen.Add(name)) continue;
                var fits = isPattern
                    ? WildcardMatches(typed + "*", name)
                    : name.StartsWith(typed, StringComparison.OrdinalIgnoreCase);
                if (fits) yield return Quote(name);
            }
        }

        /// <summary>The name as it must be written as an argument: single-quoted when it holds anything but letters, digits, '-', '_' and '.'.</summary>
        public static string Quote(string name)
        {
            foreach (var c in name)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))
                    return "'" + name.Replace("'", "''") + "'";
            }
            return name;
        }

        // PowerShell's WildcardPattern would tie this to a PowerShell runtime; * and ? are all completion needs.
        private static bool WildcardMatches(string pattern, string text)
        {
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))) { p++; t++; }
                else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
                else if (star >= 0) { p = star + 1; t = ++mark; }
                else return false;
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }
    }
}
