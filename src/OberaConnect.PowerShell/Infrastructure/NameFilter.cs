using System.Management.Automation;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The -Name / -SiteName filter of the source cmdlets: PowerShell wildcards, ignoring case. Like Get-Process,
    /// a name without wildcards that matches nothing is reported (<see cref="UnmatchedLiterals"/>); a wildcard that
    /// matches nothing is not. The engine calls <see cref="Matches"/> from worker threads, hence the lock.
    /// </summary>
    internal sealed class NameFilter
    {
        private readonly List<Pattern> _patterns;
        private readonly HashSet<string> _hit = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly object _gate = new object();

        private NameFilter(List<Pattern> patterns) => _patterns = patterns;

        /// <summary>The filter of the given patterns, or null when there are none (everything matches).</summary>
        public static NameFilter? From(IEnumerable<string>? patterns)
        {
            var list = (patterns ?? Enumerable.Empty<string>())
                .Where(p => !string.IsNullOrWhiteSpace(p))
                .Select(p => new Pattern(p.Trim()))
                .ToList();
            return list.Count == 0 ? null : new NameFilter(list);
        }

        /// <summary>The filter as the engine takes it: null when there is no filter.</summary>
        public static Func<string, bool>? PredicateOf(NameFilter? filter) => filter is null ? null : new Func<string, bool>(filter.Matches);

        /// <summary>True when <paramref name="value"/> matches any pattern.</summary>
        public bool Matches(string value)
        {
            if (value is null) return false;
            var any = false;
            foreach (var p in _patterns)
            {
                if (!p.Wildcard.IsMatch(value)) continue;
                any = true;
                if (p.IsLiteral) lock (_gate) _hit.Add(p.Text);
            }
            return any;
        }

        /// <summary>The names given without wildcards.</summary>
        public IReadOnlyList<string> Literals => _patterns.Where(p => p.IsLiteral).Select(p => p.Text).ToList();

        /// <summary>True for a value any of the wildcard patterns matches; null when every name was given without wildcards.</summary>
        public Func<string, bool>? WildcardMatch
        {
            get
            {
                var wildcards = _patterns.Where(p => !p.IsLiteral).ToList();
                if (wildcards.Count == 0) return null;
                return value => value != null && wildcards.Any(p => p.Wildcard.IsMatch(value));
            }
        }

        /// <summary>Names given without wildcards that matched nothing.</summary>
        public IReadOnlyList<string> UnmatchedLiterals
        {
            get
            {
                lock (_gate) return _patterns.Where(p => p.IsLiteral && !_hit.Contains(p.Text)).Select(p => p.Text).ToList();
            }
        }

        /// <summary>For messages: 'Acme*', 'Globex'.</summary>
        public override string ToString() => string.Join(", ", _patterns.Select(p => "'" + p.Text + "'"));

        private sealed class Pattern
        {
            public Pattern(string text)
            {
                Text = text;
                IsLiteral = !WildcardPattern.ContainsWildcardCharacters(text);
                Wildcard = new WildcardPattern(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            }

            public string Text { get; }
            public bool IsLiteral { get; }
            public WildcardPattern Wildcard { get; }
        }
    }
}
