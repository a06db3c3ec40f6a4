using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// The sites whose complete list (every device, every open alert) a run holds. Only pages at these sites are marked
/// gone or resolved when the run does not name them: a site the run did not read keeps its pages as they are.
/// Shared by <see cref="NetworkDeviceRecords"/> and <see cref="AlertRecords"/>.
/// </summary>
internal sealed class SiteCoverage
{
    private readonly SiteRelationIndex _sites;
    private readonly HashSet<string> _pageIds = new(StringComparer.OrdinalIgnoreCase);

    public SiteCoverage(SiteRelationIndex sites) => _sites = sites ?? throw new ArgumentNullException(nameof(sites));

    /// <summary>Customer Sites page ids of the covered sites.</summary>
    public IReadOnlyCollection<string> PageIds => _pageIds;

    /// <summary>Covers a site by name; false when it has no page in Customer Sites.</summary>
    public bool Cover(string? siteName)
    {
        var page = _sites.Find(siteName);
        if (page is null) return false;
        _pageIds.Add(page.PageId);
        return true;
    }

    /// <summary>Covers the site of a record that resolved to its page.</summary>
    public void Add(SitePage site) => _pageIds.Add(site.PageId);

    /// <summary>The name of the site an indexed page relates to (its Site relation), or null.</summary>
    public string? SiteOf(IndexedPage page)
        => page.Values.TryGetValue(Workspace.Databases.SharedColumns.Site.Name, out var site) && site is RelationValue relation ? relation.Ids.Select(_sites.NameOf).FirstOrDefault(n => n != null) : null;

    /// <summary>The indexed pages no record of this run named whose Site is a covered site, in key order.</summary>
    public IReadOnlyList<IndexedPage> UnplannedPagesAt(UpsertSession session)
    {
        if (session is null) throw new ArgumentNullException(nameof(session));
        return session.Unplanned()
            .Where(page => page.Values.TryGetValue(Workspace.Databases.SharedColumns.Site.Name, out var site) && site is RelationValue relation
                           && relation.Ids.Any(id => _pageIds.Contains(NotionId.TryParse(id, out var parsed) ? parsed.Value : id)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
    }
}
