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
    /// A site name that is not in Customer Sites is a <see cref="FailureKind.NotFound"/> error (SiteNotFound).
    /// </summary>
    public async Task<int> ReadAsync(WorkspaceQuery query, Action<object> emit, IEngineOutput? output, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var record in RecordsAsync(query, output, cancellationToken).ConfigureAwait(false))
        {
            emit(record);
            count++;
        }
        return count;
    }

    /// <summary>The records of <paramref name="query"/>, streamed.</summary>
    public async IAsyncEnumerable<object> RecordsAsync(WorkspaceQuery query, IEngineOutput? output = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        output ??= NullEngineOutput.Instance;
        if (query is NotionPageQuery generic) await generic.PrepareAsync(_workspace, cancellationToken).ConfigureAwait(false);

        var conditions = query.Conditions(_workspace).ToList();
        var site = query.SiteName;
        if (!string.IsNullOrWhiteSpace(site))
        {
            var ids = await _sites.ResolveAsync(site!, cancellationToken).ConfigureAwait(false);
            var bySite = ids.Select(id => NotionFilter.Relation(query.SiteProperty).Contains(id)).ToArray();
            conditions.Insert(0, bySite.Length == 1 ? bySite[0] : NotionFilter.Or(bySite));
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
            if (page.InTrash || !query.Accept(page)) continue;
            read++;
            if (read % 100 == 0) output.Progress(new ProgressUpdate(3, "Reading " + query.Database, $"{read} page(s) read"));
            yield return query.Map(page, _sites);
        }
        if (read >= 100) output.Progress(new ProgressUpdate(3, "Reading " + query.Database, $"{read} page(s) read", 100, Completed: true));
    }

    /// <summary>The records of <paramref name="query"/> as a list (for callers without a pipeline).</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(WorkspaceQuery query, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var record in RecordsAsync(query, null, cancellationToken).ConfigureAwait(false)) list.Add((T)record);
        return list;
    }
}
