using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Notion;

public sealed partial class NotionClient
{
    /// <summary>
    /// Every page of a data source matching <paramref name="query"/>, streamed 100 at a time (never the whole
    /// data source in memory). Accepts a data source id or a database id (resolved to its data source).
    /// <para>Notion returns at most 10,000 rows per query. Without sorts of your own the client sorts by
    /// created_time ascending (oldest first) and, at the cap, continues with a new query for rows created on or
    /// after the last row's created_time, skipping ids already returned in that boundary minute (Notion's
    /// timestamps are minute-granular). So a 30,000-row data source is read completely, oldest first. If more
    /// than 10,000 matching rows were created in one minute, windows cannot get past them and the query fails
    /// with <see cref="NotionQueryCapException"/>; so does a query with its own sorts that reaches the cap.</para>
    /// </summary>
    public async IAsyncEnumerable<NotionPage> QueryAsync(string dataSourceOrDatabaseId, NotionQuery? query = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new NotionQuery();
        var dataSourceId = await ResolveDataSourceIdAsync(dataSourceOrDatabaseId, cancellationToken).ConfigureAwait(false);
        var ownOrder = query.Sorts.Count == 0;
        var sorts = ownOrder ? new List<NotionSort> { NotionSort.ByCreatedTime() } : query.Sorts.ToList();

        DateTimeOffset? windowStart = null;   // created_time lower bound of the current window
        DateTimeOffset? minute = null;        // created_time of the last row returned
        var minuteIds = new HashSet<string>(StringComparer.Ordinal); // ids returned with that created_time
        string? cursor = null;
        DateTimeOffset? windowFirst = null;

        while (true)
        {
            var filter = windowStart is { } from ? WindowFilter(query.Filter, from, dataSourceId) : query.Filter;
            var list = await QueryPageCoreAsync(dataSourceId, filter, sorts, query.PageSize, query.InTrash, cursor, cancellationToken).ConfigureAwait(false);
            foreach (var page in list.Results.OfType<NotionPage>())
            {
                if (ownOrder)
                {
                    windowFirst ??= page.CreatedTime;
                    if (minute == page.CreatedTime)
                    {
                        if (!minuteIds.Add(page.Id)) continue; // already returned by the previous window
                    }
                    else
                    {
                        minute = page.CreatedTime;
                        minuteIds.Clear();
                        minuteIds.Add(page.Id);
                    }
                }
                yield return page;
            }

            if (list.HasMore && list.NextCursor != null)
            {
                cursor = list.NextCursor;
                continue;
            }
            if (!list.IsIncomplete) yield break;
            if (!list.HitResultCap)
                throw new NotionQueryCapException(
                    $"Notion stopped the query of data source {dataSourceId} early ({list.IncompleteReason ?? "no reason given"}), so its result is incomplete. " +
                    "Run it again; if it keeps happening, narrow the filter.");

            if (!ownOrder)
                throw new NotionQueryCapException(
                    $"The query of data source {dataSourceId} reached Notion's limit of {NotionLimits.QueryResultCap:N0} rows. With sorts of its own it cannot be " +
                    "continued in order: remove the sorts (rows then come oldest first and every row is read) or narrow the filter.");
            if (minute is null || windowFirst == minute)
                throw new NotionQueryCapException(
                    $"The query of data source {dataSourceId} reached Notion's limit of {NotionLimits.QueryResultCap:N0} rows within a single created_time minute " +
                    $"({(minute is { } m ? Json.FormatTime(m) : "unknown")}), so reading in created_time windows cannot get past it. " +
                    "Narrow the filter (for example by another property) so fewer rows match per query.");
            windowStart = minute;
            windowFirst = null;
            cursor = null;
        }
    }

    /// <summary>
    /// One page of query results (<c>POST /v1/data_sources/{id}/query</c>), exactly as asked: no default sort, no
    /// windowing. <see cref="NotionList.IsIncomplete"/> tells when Notion stopped at its cap. Prefer <see cref="QueryAsync"/>.
    /// </summary>
    public async Task<NotionList> QueryPageAsync(string dataSourceOrDatabaseId, NotionQuery query, string? startCursor = null,
        CancellationToken cancellationToken = default)
    {
        var dataSourceId = await ResolveDataSourceIdAsync(dataSourceOrDatabaseId, cancellationToken).ConfigureAwait(false);
        return await QueryPageCoreAsync(dataSourceId, query.Filter, query.Sorts.ToList(), query.PageSize, query.InTrash, startCursor, cancellationToken).ConfigureAwait(false);
    }

    private Task<NotionList> QueryPageCoreAsync(string dataSourceId, NotionFilter? filter, IReadOnlyList<NotionSort> sorts, int pageSize,
        bool? inTrash, string? cursor, CancellationToken cancellationToken)
    {
        if (pageSize < 1 || pageSize > NotionLimits.PageSize)
            throw new NotionInputException("NotionInvalidPageSize", $"A query's page size must be between 1 and {NotionLimits.PageSize} (got {pageSize}).");
        var body = new JsonObject { ["page_size"] = pageSize };
        if (filter != null) body["filter"] = filter.ToJsonNode();
        if (sorts.Count > 0) body["sorts"] = new JsonArray(sorts.Select(s => (JsonNode)s.ToJson()).ToArray());
        if (inTrash is { } trash) body["in_trash"] = trash;
        if (cursor != null) body["start_cursor"] = cursor;
        // A query is a read: safe to repeat, so 5xx and timeouts are retried.
        return SendAsync(HttpMethod.Post, $"v1/data_sources/{dataSourceId}/query", body, RequestSafety.Idempotent, "query of data source " + dataSourceId,
            e => As<NotionList>(e, "a list"), cancellationToken);
    }

    private static NotionFilter WindowFilter(NotionFilter? filter, DateTimeOffset from, string dataSourceId)
    {
        var window = NotionFilter.CreatedTime.OnOrAfter(from);
        if (filter is null) return window;
        try
        {
            // Extend a top-level "and" rather than nesting it, to stay within Notion's two levels.
            return filter.IsAnd ? NotionFilter.And(filter.AndParts().Append(window).ToArray()) : NotionFilter.And(filter, window);
        }
        catch (NotionInputException)
        {
            throw new NotionQueryCapException(
                $"The query of data source {dataSourceId} reached Notion's limit of {NotionLimits.QueryResultCap:N0} rows. To read on, the client adds a " +
                "created_time condition to the filter, but the filter already nests and/or two levels deep. Simplify the filter by one level.");
        }
    }
}
