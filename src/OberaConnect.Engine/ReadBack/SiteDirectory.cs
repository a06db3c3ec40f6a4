using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Site names and their Customer Sites page ids, for one read-back invocation. A name given with -Site is
/// resolved with one filtered query; names of the sites that records relate to are read once, only when a
/// read was not limited to one site.
/// </summary>
internal sealed class SiteDirectory
{
    private readonly NotionWorkspace _workspace;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _trashed = new(StringComparer.Ordinal);
    private bool _loadedAll;

    public SiteDirectory(NotionWorkspace workspace) => _workspace = workspace;

    /// <summary>The page ids holding <paramref name="siteName"/> in Customer Sites (one query; more than one id when the site has duplicates).</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(string siteName, CancellationToken cancellationToken)
    {
        var name = Normalize(siteName);
        var dataSource = await _workspace.DataSourceIdAsync(DatabaseKey.CustomerSites, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        // "contains" ignores case; only pages whose name matches as the syncs compare keys count.
        var query = new NotionQuery { Filter = NameFilter(name), PageSize = 25 };
        await foreach (var page in _workspace.Notion.QueryAsync(dataSource, query, cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash || !SameKey(page.Title, name)) continue;
            ids.Add(page.Id);
            _names[page.Id] = page.Title;
        }
        if (ids.Count == 0) throw NotFound(name);
        return ids;
    }

    /// <summary>The error of a site name that matches no page, the same from every read cmdlet (ErrorId SiteNotFound, NotFound).</summary>
    public static OberaConnectException NotFound(string siteName)
        => new("SiteNotFound", FailureKind.NotFound,
            $"No page of Customer Sites has the Site Name '{Validation.InputValidationException.Printable(siteName)}'. Check the spelling (Get-CustomerStatus lists the sites; " +
            "a wildcard such as 'Bayou*' matches several), or run Sync-CustomerStatus first.");

    /// <summary>The page ids of every site whose name <paramref name="matches"/> (reads every site's name once).</summary>
    public async Task<IReadOnlyList<string>> MatchAsync(Func<string, bool> matches, CancellationToken cancellationToken)
    {
        await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        return _names.Where(kv => !_trashed.Contains(kv.Key) && matches(kv.Value)).Select(kv => kv.Key).ToList();
    }

    /// <summary>Reads every site's name once (one paginated query of Customer Sites).</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        if (_loadedAll) return;
        var dataSource = await _workspace.DataSourceIdAsync(DatabaseKey.CustomerSites, cancellationToken).ConfigureAwait(false);
        await foreach (var page in _workspace.Notion.QueryAsync(dataSource, new NotionQuery(), cancellationToken).ConfigureAwait(false))
        {
            _names[page.Id] = page.Title;
            if (page.InTrash) _trashed.Add(page.Id);
        }
        _loadedAll = true;
    }

    /// <summary>
    /// The Customer Sites filter for a site name as a user typed or pasted it: "contains" its longest word in plain
    /// Unicode form, which Notion compares ignoring case, so every spelling of the same site (another case, double
    /// spaces, a no-break space) is among the pages found. Callers keep only the pages that are the <see cref="SameKey"/>.
    /// </summary>
    public static NotionFilter NameFilter(string siteName)
    {
        var longest = SiteName.PlainForm(siteName).Split(' ').OrderByDescending(w => w.Length).First();
        return NotionFilter.Title(Workspace.Databases.CustomerSites.SiteName.Name).Contains(longest.Length == 0 ? Normalize(siteName) : longest);
    }

    private static string Normalize(string siteName)
        => SiteName.TryNormalize(siteName, out var normalized, out _) ? normalized : siteName.Trim();

    /// <summary>True when two site names are the same key, as the syncs relate records to sites (<see cref="Sync.SiteRelationIndex"/>).</summary>
    public static bool SameKey(string? a, string? b) => Sync.SiteRelationIndex.NameKey(a ?? "") == Sync.SiteRelationIndex.NameKey(b ?? "");

    /// <summary>The site name of a Customer Sites page id, or null when unknown.</summary>
    public string? NameOf(string? pageId) => pageId != null && _names.TryGetValue(pageId, out var name) ? name : null;
}
