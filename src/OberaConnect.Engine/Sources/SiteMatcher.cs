using System.Globalization;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources;

/// <summary>How a UniFi site and a NinjaOne organization were paired.</summary>
public enum SiteMatchKind
{
    /// <summary>By an entry of the explicit site map.</summary>
    Explicit,
    /// <summary>By equal normalized names.</summary>
    Name,
    /// <summary>Not paired: the site exists in one system only (or the other system was unavailable).</summary>
    None,
}

/// <summary>Kinds of mapping problems reported instead of guessed.</summary>
public enum SiteMismatchKind
{
    /// <summary>A UniFi site has no NinjaOne organization of the same (normalized) name and no map entry.</summary>
    UnmatchedUniFiSite,
    /// <summary>A NinjaOne organization has no UniFi site of the same (normalized) name and no map entry.</summary>
    UnmatchedNinjaOneOrganization,
    /// <summary>Several sites or organizations share a normalized name: none was picked.</summary>
    AmbiguousName,
    /// <summary>A map entry names a site or organization that does not exist.</summary>
    MapEntryNotFound,
    /// <summary>A map entry's name fits several sites or organizations: use the id instead.</summary>
    MapEntryAmbiguous,
    /// <summary>Two map entries claim the same site or organization.</summary>
    MapEntryConflict,
}

/// <summary>One mapping problem, with what to do about it.</summary>
public sealed record SiteMismatch
{
    public string Kind => KindValue.ToString();

    /// <summary><see cref="Kind"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal SiteMismatchKind KindValue { get; init; }
    /// <summary>The system the item belongs to, when it is one item.</summary>
    public string? System => SystemValue?.ToString();

    /// <summary><see cref="System"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal SourceSystem? SystemValue { get; init; }
    /// <summary>UniFi site id or NinjaOne organization id of the item, when it is one item.</summary>
    public string? Id { get; init; }
    /// <summary>Its name.</summary>
    public string? Name { get; init; }
    /// <summary>The normalized name used for matching.</summary>
    public string? NormalizedName { get; init; }
    /// <summary>For ambiguous names: the candidates on each side.</summary>
    public string? Candidates { get; init; }
    /// <summary>What happened and what to do.</summary>
    public string Message { get; init; } = "";

    public override string ToString() => Message;
}

/// <summary>One customer site as the matcher sees it: a UniFi site, a NinjaOne organization, or both.</summary>
public sealed record SiteMatch
{
    public UniFiSite? UniFiSite { get; init; }
    public NinjaOneOrganization? Organization { get; init; }
    public SiteMatchKind Kind { get; init; }
    /// <summary>The map entry that paired them, for explicit matches.</summary>
    public SiteMapEntry? Entry { get; init; }
    /// <summary>The name to show: the map entry's SiteName, else the UniFi name, else the organization's.</summary>
    public string SiteName { get; init; } = "";
    /// <summary>UniFi's state for this site: Present, NotMatched (no counterpart), Unavailable or NotConfigured.</summary>
    public SourceState UniFiState { get; init; }
    /// <summary>NinjaOne's state for this site.</summary>
    public SourceState NinjaOneState { get; init; }
}

/// <summary>The result of matching: the customer sites and the problems found.</summary>
public sealed record SiteMatchResult(IReadOnlyList<SiteMatch> Sites, IReadOnlyList<SiteMismatch> Mismatches);

/// <summary>
/// Pairs UniFi sites with NinjaOne organizations: explicit map entries first, then equal normalized
/// names. Nothing is guessed: a name shared by several candidates is reported as ambiguous and those
/// sites stay unpaired; sites without a counterpart are reported. When a system is unavailable (its
/// list is null) the other system's sites are returned unpaired with that system marked Unavailable,
/// and nothing is reported as unmatched, because nothing could be compared.
/// </summary>
public static class SiteMatcher
{
    public static SiteMatchResult Match(
        IReadOnlyList<UniFiSite>? uniFiSites,
        IReadOnlyList<NinjaOneOrganization>? organizations,
        SiteMap? map = null,
        SourceState uniFiMissingState = SourceState.Unavailable,
        SourceState ninjaOneMissingState = SourceState.Unavailable)
    {
        map ??= SiteMap.Empty;
        var sites = new List<SiteMatch>();
        var problems = new List<SiteMismatch>();
        var usedU = new HashSet<UniFiSite>(ReferenceEqualityComparer<UniFiSite>.Instance);
        var usedN = new HashSet<NinjaOneOrganization>(ReferenceEqualityComparer<NinjaOneOrganization>.Instance);
        var uState = uniFiSites is null ? uniFiMissingState : SourceState.NotMatched;
        var nState = organizations is null ? ninjaOneMissingState : SourceState.NotMatched;

        foreach (var entry in map.Entries)
        {
            UniFiSite? u = null;
            NinjaOneOrganization? n = null;
            var ok = true;
            if (!string.IsNullOrWhiteSpace(entry.UniFi) && uniFiSites != null)
            {
                var found = FindUniFi(uniFiSites, entry.UniFi!);
                ok &= Single(found, entry, SourceSystem.UniFi, entry.UniFi!, problems, out u);
            }
            if (!string.IsNullOrWhiteSpace(entry.NinjaOne) && organizations != null)
            {
                var found = FindOrganization(organizations, entry.NinjaOne!);
                ok &= Single(found, entry, SourceSystem.NinjaOne, entry.NinjaOne!, problems, out n);
            }
            if (!ok) continue;
            if ((u != null && usedU.Contains(u)) || (n != null && usedN.Contains(n)))
            {
                problems.Add(new SiteMismatch
                {
                    KindValue = SiteMismatchKind.MapEntryConflict,
                    Name = entry.SiteName ?? u?.Name ?? n?.Name,
                    Message = $"Site map entry {entry} claims a {(u != null && usedU.Contains(u) ? $"UniFi site ('{u.Name}')" : $"NinjaOne organization ('{n!.Name}')")} that an earlier entry already paired. " +
                              "Each site pairs with one organization: remove or correct one of the entries.",
                });
                continue;
            }
            if (u is null && n is null) continue; // Both named sides belong to systems that are unavailable.
            if (u != null) usedU.Add(u);
            if (n != null) usedN.Add(n);
            sites.Add(new SiteMatch
            {
                UniFiSite = u,
                Organization = n,
                Kind = SiteMatchKind.Explicit,
                Entry = entry,
                SiteName = Clean(entry.SiteName) ?? u?.Name ?? n!.Name,
                UniFiState = u != null ? SourceState.Present : string.IsNullOrWhiteSpace(entry.UniFi) ? SourceState.NotMatched : uState,
                NinjaOneState = n != null ? SourceState.Present : string.IsNullOrWhiteSpace(entry.NinjaOne) ? SourceState.NotMatched : nState,
            });
        }

        var restU = (uniFiSites ?? Array.Empty<UniFiSite>()).Where(s => !usedU.Contains(s)).ToList();
        var restN = (organizations ?? Array.Empty<NinjaOneOrganization>()).Where(o => !usedN.Contains(o)).ToList();

        if (uniFiSites is null || organizations is null)
        {
            // One side is missing: nothing can be compared, so nothing is reported as unmatched.
            sites.AddRange(restU.Select(u => Single(u, nState)));
            sites.AddRange(restN.Select(n => Single(n, uState)));
            return new SiteMatchResult(Order(sites), problems);
        }

        var byKeyU = restU.GroupBy(u => Key(u.Name)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byKeyN = restN.GroupBy(n => Key(n.Name)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var key in byKeyU.Keys.Union(byKeyN.Keys, StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
        {
            byKeyU.TryGetValue(key, out var us);
            byKeyN.TryGetValue(key, out var ns);
            us ??= new List<UniFiSite>();
            ns ??= new List<NinjaOneOrganization>();
            if (us.Count == 1 && ns.Count == 1)
            {
                sites.Add(new SiteMatch
                {
                    UniFiSite = us[0], Organization = ns[0], Kind = SiteMatchKind.Name, SiteName = us[0].Name,
                    UniFiState = SourceState.Present, NinjaOneState = SourceState.Present,
                });
                continue;
            }
            if (us.Count > 0 && ns.Count > 0)
            {
                var candidates = $"UniFi: {string.Join(", ", us.Select(u => $"'{u.Name}' ({u.SiteId})"))}; NinjaOne: {string.Join(", ", ns.Select(n => $"'{n.Name}' ({n.Id})"))}";
                problems.Add(new SiteMismatch
                {
                    KindValue = SiteMismatchKind.AmbiguousName,
                    Name = us[0].Name,
                    NormalizedName = key,
                    Candidates = candidates,
                    Message = $"The name '{key}' fits {us.Count} UniFi site(s) and {ns.Count} NinjaOne organization(s) ({candidates}), so none was paired. " +
                              "Add site map entries that pair them by id.",
                });
            }
            foreach (var u in us)
            {
                if (ns.Count == 0)
                    problems.Add(new SiteMismatch
                    {
                        KindValue = SiteMismatchKind.UnmatchedUniFiSite, SystemValue = SourceSystem.UniFi, Id = u.SiteId, Name = u.Name, NormalizedName = key,
                        Message = $"UniFi site '{u.Name}' ({u.SiteId}) has no NinjaOne organization named like it. " +
                                  "Add a site map entry pairing it with its organization (or with none, if it has no NinjaOne organization).",
                    });
                sites.Add(Single(u, SourceState.NotMatched));
            }
            foreach (var n in ns)
            {
                if (us.Count == 0)
                    problems.Add(new SiteMismatch
                    {
                        KindValue = SiteMismatchKind.UnmatchedNinjaOneOrganization, SystemValue = SourceSystem.NinjaOne, Id = n.Id.ToString(CultureInfo.InvariantCulture), Name = n.Name, NormalizedName = key,
                        Message = $"NinjaOne organization '{n.Name}' ({n.Id}) has no UniFi site named like it. " +
                                  "Add a site map entry pairing it with its UniFi site (or with none, if it has no UniFi site).",
                    });
                sites.Add(Single(n, SourceState.NotMatched));
            }
        }
        return new SiteMatchResult(Order(sites), problems);
    }

    /// <summary>The matching key of a name (normalized, or lower-cased when normalization leaves nothing).</summary>
    public static string Key(string? name)
    {
        var key = SiteNameNormalizer.Normalize(name);
        return key.Length > 0 ? key : (name ?? "").Trim().ToLowerInvariant();
    }

    private static SiteMatch Single(UniFiSite u, SourceState ninjaOneState) => new()
    {
        UniFiSite = u, Kind = SiteMatchKind.None, SiteName = u.Name, UniFiState = SourceState.Present, NinjaOneState = ninjaOneState,
    };

    private static SiteMatch Single(NinjaOneOrganization n, SourceState uniFiState) => new()
    {
        Organization = n, Kind = SiteMatchKind.None, SiteName = n.Name, UniFiState = uniFiState, NinjaOneState = SourceState.Present,
    };

    private static List<SiteMatch> Order(List<SiteMatch> sites)
        => sites.OrderBy(s => s.SiteName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.UniFiSite?.SiteId, StringComparer.Ordinal)
            .ThenBy(s => s.Organization?.Id).ToList();

    private static List<UniFiSite> FindUniFi(IReadOnlyList<UniFiSite> sites, string wanted)
    {
        var w = wanted.Trim();
        var byId = sites.Where(s => string.Equals(s.SiteId, w, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId.Count > 0) return byId;
        var byName = sites.Where(s => string.Equals(s.Name, w, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count > 0 ? byName : sites.Where(s => string.Equals(s.InternalName, w, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static List<NinjaOneOrganization> FindOrganization(IReadOnlyList<NinjaOneOrganization> orgs, string wanted)
    {
        var w = wanted.Trim();
        if (long.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            var byId = orgs.Where(o => o.Id == id).ToList();
            if (byId.Count > 0) return byId;
        }
        return orgs.Where(o => string.Equals(o.Name, w, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static bool Single<T>(List<T> found, SiteMapEntry entry, SourceSystem system, string wanted, List<SiteMismatch> problems, out T? item)
        where T : class
    {
        item = null;
        var what = system == SourceSystem.UniFi ? "UniFi site" : "NinjaOne organization";
        if (found.Count == 1)
        {
            item = found[0];
            return true;
        }
        problems.Add(found.Count == 0
            ? new SiteMismatch
            {
                KindValue = SiteMismatchKind.MapEntryNotFound, SystemValue = system, Name = wanted,
                Message = $"Site map entry {entry}: no {what} has the id or name '{wanted}'. Correct the entry (ids never change; names can).",
            }
            : new SiteMismatch
            {
                KindValue = SiteMismatchKind.MapEntryAmbiguous, SystemValue = system, Name = wanted,
                Message = $"Site map entry {entry}: {found.Count} {what}s are named '{wanted}'. Use the id instead of the name.",
            });
        return false;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

    private sealed class ReferenceEqualityComparer<T> : IEqualityComparer<T> where T : class
    {
        public static readonly ReferenceEqualityComparer<T> Instance = new();
        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);
        public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
