using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// The Customer Sites pages by site name, read once per run so that Daily Health, Config Changes,
/// Network Devices and Alerts records can point their Site relation at the right page without a
/// request per record. A name matches its page by the site-name rule (<see cref="SiteName.IdentityKey"/>: case,
/// runs of spaces and Unicode forms aside); failing
/// that, by the matching key the sources use ("Acme Corp - Main Office" finds "Acme Corp") when exactly
/// one page has that key. A site without a page is an error that names the fix: run Sync-CustomerStatus.
/// </summary>
public sealed class SiteRelationIndex
{
    /// <summary>ErrorId of a record whose site has no Customer Sites page.</summary>
    public const string SiteNotInCustomerSites = "SiteNotInCustomerSites";

    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _byMatchKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPageId = new(StringComparer.Ordinal);

    private SiteRelationIndex() { }

    /// <summary>Site pages read.</summary>
    public int Count => _byName.Count;

    /// <summary>Reads Customer Sites of the connection's workspace (ceil(pages/100) requests).</summary>
    public static async Task<SiteRelationIndex> OpenAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var notion = await connection.GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var table = await WorkspaceTables.ForAsync(notion, connection.Configuration, DatabaseKey.CustomerSites, null, cancellationToken).ConfigureAwait(false);
        return await OpenAsync(notion, table.DataSourceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the Customer Sites data source <paramref name="dataSourceId"/>.</summary>
    public static async Task<SiteRelationIndex> OpenAsync(NotionClient notion, string dataSourceId, CancellationToken cancellationToken)
    {
        var index = new SiteRelationIndex();
        var title = WorkspaceDefinition.Standard[DatabaseKey.CustomerSites].TitleProperty.Name;
        await foreach (var page in notion.QueryAsync(dataSourceId, new NotionQuery(), cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash) continue;
            if (!page.Properties.TryGetValue(title, out var value) || value is not TextValue text || string.IsNullOrWhiteSpace(text.PlainText)) continue;
            index.Add(text.PlainText, page.Id, page.LastEditedTime);
        }
        return index;
    }

    /// <summary>An index over known pages (tests, tools).</summary>
    public static SiteRelationIndex From(IEnumerable<KeyValuePair<string, string>> siteNameToPageId)
    {
        var index = new SiteRelationIndex();
        foreach (var kv in siteNameToPageId) index.Add(kv.Key, kv.Value, DateTimeOffset.MinValue);
        return index;
    }

    /// <summary>The Customer Sites page of <paramref name="siteName"/>, or null.</summary>
    public SitePage? Find(string? siteName)
    {
        if (string.IsNullOrWhiteSpace(siteName)) return null;
        if (_byName.TryGetValue(NameKey(siteName!), out var exact)) return exact.Page;
        var key = SiteMatcher.Key(siteName);
        return key.Length > 0 && _byMatchKey.TryGetValue(key, out var candidates) && candidates.Count == 1 ? candidates[0].Page : null;
    }

    /// <summary>The site name of a Customer Sites page id (as the page spells it), or null when the page was not read.</summary>
    public string? NameOf(string? pageId)
        => pageId != null && NotionId.TryParse(pageId, out var id) && _byPageId.TryGetValue(id.Value, out var name) ? name : null;

    /// <summary>
    /// The page of <paramref name="siteName"/>, or the error to report for <paramref name="item"/>:
    /// InvalidSiteName when the name is missing or malformed, SiteNotInCustomerSites when no page has it.
    /// </summary>
    public bool TryResolve(string? siteName, string database, string item, out SitePage site, out OberaConnectException? error)
    {
        site = null!;
        error = null;
        if (!SiteName.TryNormalize(siteName, out var name, out var invalid, item))
        {
            error = invalid;
            return false;
        }
        var found = Find(name);
        if (found is null)
        {
            error = NotFound(name, database, item);
            return false;
        }
        site = found;
        return true;
    }

    /// <summary>The error of a site without a Customer Sites page.</summary>
    public static OberaConnectException NotFound(string siteName, string database, string item)
        => new(SiteNotInCustomerSites, FailureKind.InvalidState,
            $"{item}: the site '{InputValidationException.Printable(siteName)}' has no page in Customer Sites, so the {database} record cannot be related to it. " +
            $"Run Sync-CustomerStatus first (it creates one page per site; check the site's spelling), then run this command again or with -RetryFailed.");

    private void Add(string siteName, string pageId, DateTimeOffset lastEdited)
    {
        var entry = new Entry(new SitePage(siteName.Trim(), NotionId.Normalize(pageId, "Customer Sites page id")), lastEdited);
        var nameKey = NameKey(siteName);
        // Two pages for one site (a duplicate): relate to the most recently edited, as the upsert does.
        if (_byName.TryGetValue(nameKey, out var other) && other.LastEdited >= lastEdited) return;
        if (other != null && _byMatchKey.TryGetValue(SiteMatcher.Key(other.Page.Name), out var stale)) stale.Remove(other);
        _byName[nameKey] = entry;
        _byPageId[entry.Page.PageId] = entry.Page.Name;
        var matchKey = SiteMatcher.Key(siteName);
        if (matchKey.Length == 0) return;
        if (!_byMatchKey.TryGetValue(matchKey, out var list)) _byMatchKey[matchKey] = list = new List<Entry>();
        list.Add(entry);
    }

    /// <summary>The key two site names are compared by: the site-name rule, <see cref="SiteName.IdentityKey"/>.</summary>
    internal static string NameKey(string siteName) => SiteName.IdentityKey(siteName);

    private sealed record Entry(SitePage Page, DateTimeOffset LastEdited);
}

/// <summary>A site's page in Customer Sites: the name as the page spells it, and the page id a relation points at.</summary>
public sealed record SitePage(string Name, string PageId);
