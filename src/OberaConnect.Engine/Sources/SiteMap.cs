using System.Text.Json;

namespace OberaConnect.Engine.Sources;

/// <summary>
/// One explicit pairing of a UniFi site with a NinjaOne organization. Each side is an id or a name
/// (UniFi: site id, or its name meta.desc / meta.name; NinjaOne: organization id, or its name),
/// compared ignoring case. Leave one side empty to say "this site has no counterpart" (it is then
/// not reported as unmatched). <see cref="SiteName"/> fixes the name the site is shown under, which
/// keeps it stable when the two systems name the customer differently and one of them is down.
/// </summary>
public sealed record SiteMapEntry
{
    /// <summary>UniFi site id or name.</summary>
    public string? UniFi { get; init; }

    /// <summary>NinjaOne organization id or name.</summary>
    public string? NinjaOne { get; init; }

    /// <summary>Name to show the site under (optional).</summary>
    public string? SiteName { get; init; }

    public override string ToString() => $"UniFi '{UniFi ?? "(none)"}' = NinjaOne '{NinjaOne ?? "(none)"}'";
}

/// <summary>
/// The explicit site mapping. Explicit entries are applied first; the remaining sites are matched by
/// normalized name (<see cref="SiteNameNormalizer"/>). Mapping is one to one: an organization or
/// site used by two entries is reported as a conflict.
/// </summary>
public sealed class SiteMap
{
    public SiteMap(IEnumerable<SiteMapEntry>? entries = null)
    {
        Entries = (entries ?? Enumerable.Empty<SiteMapEntry>())
            .Where(e => !string.IsNullOrWhiteSpace(e.UniFi) || !string.IsNullOrWhiteSpace(e.NinjaOne)).ToList();
    }

    /// <summary>No explicit entries: everything is matched by name.</summary>
    public static SiteMap Empty { get; } = new();

    public IReadOnlyList<SiteMapEntry> Entries { get; }

    /// <summary>
    /// Reads a mapping from JSON: an array of <c>{"uniFi": "...", "ninjaOne": "...", "siteName": "..."}</c>
    /// (property names in any case, ids as strings or numbers), or an object whose properties map a
    /// UniFi site id or name to a NinjaOne organization id or name.
    /// </summary>
    public static SiteMap FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new OberaConnectException("InvalidSiteMap", FailureKind.Configuration,
                $"The site mapping is not valid JSON ({ex.Message}). Expected an array of {{\"uniFi\": \"site id or name\", \"ninjaOne\": \"organization id or name\", \"siteName\": \"optional\"}}.", ex);
        }
    }

    /// <summary>Reads a mapping from a parsed JSON element (see <see cref="FromJson(string)"/>).</summary>
    public static SiteMap FromJson(JsonElement root)
    {
        var entries = new List<SiteMapEntry>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in root.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                entries.Add(new SiteMapEntry
                {
                    UniFi = e.Str("uniFi") ?? e.Str("unifiSite") ?? e.Str("uniFiSiteId"),
                    NinjaOne = e.Str("ninjaOne") ?? e.Str("ninjaOneOrganization") ?? e.Str("ninjaOneOrganizationId"),
                    SiteName = e.Str("siteName"),
                });
            }
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in root.EnumerateObject())
                entries.Add(new SiteMapEntry { UniFi = p.Name, NinjaOne = ((JsonElement?)p.Value).Str() });
        }
        else
        {
            throw new OberaConnectException("InvalidSiteMap", FailureKind.Configuration,
                "The site mapping must be a JSON array of {\"uniFi\", \"ninjaOne\", \"siteName\"} objects or an object of \"UniFi site\": \"NinjaOne organization\" pairs.");
        }
        return new SiteMap(entries);
    }
}

/// <summary>
/// What the operator knows about a site that neither API does: customer id, state, contract,
/// contact, technologies in use and configuration drift (from the config-change log). Matched to a
/// site by <see cref="Site"/>: the site name, its normalized name, the UniFi site id, or the NinjaOne
/// organization id or name.
/// </summary>
public sealed record CustomerSiteDetails
{
    /// <summary>Which site these details belong to.</summary>
    public string Site { get; init; } = "";
    public string? CustomerId { get; init; }
    /// <summary>State or region (for example "Alabama").</summary>
    public string? State { get; init; }
    public bool? HasMikroTik { get; init; }
    public bool? HasSonicWall { get; init; }
    public bool? HasAzure { get; init; }
    public DateTime? ContractRenewal { get; init; }
    public string? PrimaryContact { get; init; }
    /// <summary>True when the site's configuration drifted from its baseline; null when not known.</summary>
    public bool? ConfigDrift { get; init; }
}
