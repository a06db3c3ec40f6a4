using System.Runtime.CompilerServices;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Reads the workspace back as typed records (Get-CustomerStatus, Get-DailyHealth, Get-ConfigChange,
/// Get-NetworkDevice, Get-Alert, Get-NotionPage). Filters go to Notion as query filters, so only matching pages
/// are fetched; records stream out as each page of results arrives, never the whole database in memory.
/// </summary>
public sealed class WorkspaceReader
{
    private readonly NotionWorkspace _workspace;
    private readonly SiteDirectory _sites;

    public WorkspaceReader(NotionWorkspace workspace)
    {
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _sites = new SiteDirectory(workspace);
    }

    /// <summary>
    /// Hands each record of <paramref name="query"/> to <paramref name="emit"/> as it arrives and returns how many there were.
    /// A site name that is not in Customer Sites is a <see cref="FailureKind.NotFound"/> error (SiteNotFound), thrown.
    /// </summary>
    public Task<int> ReadAsync(WorkspaceQuery query, Action<object> emit, IEngineOutput? output, CancellationToken cancellationToken)
        => ReadAsync(query, emit, null, output, cancellationToken);

    /// <summary>
    /// Hands each record of <paramref name="query"/> to <paramref name="emit"/> as it arrives and returns how many there were.
    /// Each site name that is not in Customer Sites is handed to <paramref name="siteNotFound"/> with its SiteNotFound error
    /// (<see cref="FailureKind.NotFound"/>) and the read goes on with the other sites; without a handler the first is thrown.
    /// </summary>
    public async Task<int> ReadAsync(WorkspaceQuery query, Action<object> emit, Action<string, OberaConnectException>? siteNotFound, IEngineOutput? output, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var record in RecordsAsync(query, output, siteNotFound, cancellationToken).ConfigureAwait(false))
        {
            emit(record);
            count++;
        }
        return count;
    }

    /// <summary>The records of <paramref name="query"/>, streamed (a site name not in Customer Sites is thrown as SiteNotFound).</summary>
    public IAsyncEnumerable<object> RecordsAsync(WorkspaceQuery query, IEngineOutput? output = null, CancellationToken cancellationToken = default)
        => RecordsAsync(query, output, null, cancellationToken);

    private async IAsyncEnumerable<object> RecordsAsync(WorkspaceQuery query, IEngineOutput? output, Action<string, OberaConnectException>? siteNotFound,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        output ??= NullEngineOutput.Instance;
        if (query is NotionPageQuery generic) await generic.PrepareAsync(_workspace, cancellationToken).ConfigureAwait(false);

        var conditions = query.Conditions(_workspace).ToList();
        var selection = query.SiteScope;
        HashSet<string>? siteIds = null;
        // Customer Sites by names alone: the read itself finds the sites' pages (one filtered query), with no query to resolve them first.
        Dictionary<string, bool>? byName = null;
        if (selection != null && query.IsSiteDatabase && selection.Pattern is null && selection.Names.Count <= MaxSitesInFilter)
        {
            byName = selection.Names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => false, StringComparer.Ordinal);
            var names = byName.Keys.Select(SiteDirectory.NameFilter).ToArray();
            conditions.Insert(0, names.Length == 1 ? names[0] : NotionFilter.Or(names));
        }
        else if (selection != null)
        {
            siteIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in selection.Names)
            {
                try
                {
                    foreach (var id in await _sites.ResolveAsync(name, cancellationToken).ConfigureAwait(false)) siteIds.Add(NotionId.Normalize(id));
                }
                catch (OberaConnectException ex) when (siteNotFound != null && ex.Kind == FailureKind.NotFound)
                {
                    siteNotFound(name, ex);
                }
            }
            if (selection.Pattern is { } pattern)
                foreach (var id in await _sites.MatchAsync(pattern, cancellationToken).ConfigureAwait(false)) siteIds.Add(NotionId.Normalize(id));
            // Nothing matched: nothing to read (names that matched nothing were reported; a pattern may match nothing).
            if (siteIds.Count == 0) yield break;
            // A few sites go to Notion as a filter; many are matched here, as each page arrives.
            if (!query.IsSiteDatabase && siteIds.Count <= MaxSitesInFilter)
            {
                var bySite = siteIds.Select(id => NotionFilter.Relation(query.SiteProperty).Contains(id)).ToArray();
                conditions.Insert(0, bySite.Length == 1 ? bySite[0] : NotionFilter.Or(bySite));
            }
            if (query.ShowsSites && siteIds.Count > MaxSitesInFilter) await _sites.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (query.ShowsSites)
        {
            await _sites.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        }

        var notionQuery = new NotionQuery
        {
            Filter = conditions.Count switch { 0 => null, 1 => conditions[0], _ => NotionFilter.And(conditions.ToArray()) },
            Sorts = query.Sorts.ToList(),
        };
        var dataSource = await _workspace.DataSourceIdAsync(query.Database, cancellationToken).ConfigureAwait(false);
        output.Verbose($"Reading {query.Database}" + (notionQuery.Filter is null ? "" : " where " + notionQuery.Filter.ToJson()));

        var read = 0;
        await foreach (var page in _workspace.Notion.QueryAsync(dataSource, notionQuery, cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash || !query.Accept(page) || (siteIds != null && !InSites(query, page, siteIds))) continue;
            if (byName != null && !Named(byName, page)) continue;
            read++;
            if (read % 100 == 0) output.Progress(new ProgressUpdate(3, "Reading " + query.Database, $"{read} page(s) read"));
            yield return query.Map(page, _sites);
        }
        if (read >= 100) output.Progress(new ProgressUpdate(3, "Reading " + query.Database, $"{read} page(s) read", 100, Completed: true));
        // Each name no page held is reported as it would have been by resolving it first; without a handler the first is thrown.
        if (byName != null)
            foreach (var missing in byName.Where(kv => !kv.Value).Select(kv => kv.Key))
            {
                if (siteNotFound is null) throw SiteDirectory.NotFound(missing);
                siteNotFound(missing, SiteDirectory.NotFound(missing));
            }
    }

    /// <summary>True when <paramref name="page"/> is the site of one of the names (as the syncs compare them), marking those names found.</summary>
    private static bool Named(Dictionary<string, bool> names, NotionPage page)
    {
        var hit = false;
        foreach (var name in names.Keys.ToList())
        {
            if (!SiteDirectory.SameKey(page.Title, name)) continue;
            names[name] = true;
            hit = true;
        }
        return hit;
    }

    /// <summary>Sites per read sent to Notion as an "or" of relation conditions; more are matched as pages arrive.</summary>
    private const int MaxSitesInFilter = 50;

    private static bool InSites(WorkspaceQuery query, NotionPage page, HashSet<string> siteIds)
        => query.IsSiteDatabase
            ? siteIds.Contains(NotionId.Normalize(page.Id))
            : page.Get<RelationValue>(query.SiteProperty) is { } relation && relation.Ids.Any(id => siteIds.Contains(NotionId.Normalize(id)));

    /// <summary>The records of <paramref name="query"/> as a list (for callers without a pipeline).</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(WorkspaceQuery query, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var record in RecordsAsync(query, null, cancellationToken).ConfigureAwait(false)) list.Add((T)record);
        return list;
    }
}
