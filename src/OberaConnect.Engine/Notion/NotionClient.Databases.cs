using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Notion;

public sealed partial class NotionClient
{
    /// <summary>A database and the list of its data sources (<c>GET /v1/databases/{id}</c>). Accepts an id or a Notion link.</summary>
    public async Task<NotionDatabase> GetDatabaseAsync(string databaseId, CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(databaseId, "database id");
        var db = await SendAsync(HttpMethod.Get, "v1/databases/" + id, null, RequestSafety.Idempotent, "database " + id,
            e => As<NotionDatabase>(e, "a database"), cancellationToken).ConfigureAwait(false);
        if (db.DataSources.Count == 1) _dataSourceIds[id] = db.DataSources[0].Id;
        // Its data sources are known now too: querying one by its own id then costs no lookup.
        foreach (var source in db.DataSources) _dataSourceIds[source.Id] = source.Id;
        return db;
    }

    /// <summary>
    /// The data source to query or write for <paramref name="databaseOrDataSourceId"/>: a database id (or link)
    /// resolves to its only data source; a data source id is returned as it is. Cached per client. A database
    /// with several data sources is an error that lists them, since picking one silently could write to the wrong table.
    /// </summary>
    public async Task<string> ResolveDataSourceIdAsync(string databaseOrDataSourceId, CancellationToken cancellationToken = default)
    {
        var id = NotionId.Normalize(databaseOrDataSourceId, "database or data source id");
        if (_dataSourceIds.TryGetValue(id, out var cached)) return cached;

        NotionDatabase db;
        try
        {
            db = await GetDatabaseAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (NotionApiException notDatabase) when (notDatabase is NotionObjectNotFoundException || notDatabase.Code == "validation_error")
        {
            // Not a database the integration can see: perhaps a data source id.
            var ds = await GetDataSourceByIdAsync(id, "database or data source " + id, cancellationToken).ConfigureAwait(false);
            _dataSourceIds[id] = ds.Id;
            return ds.Id;
        }

        if (db.DataSources.Count == 1) return _dataSourceIds[id] = db.DataSources[0].Id;
        if (db.DataSources.Count == 0)
            throw new OberaConnectException("NotionDatabaseWithoutDataSource", FailureKind.InvalidState,
                $"Notion database \"{db.Title}\" ({db.Id}) has no data source the integration can see. Share the database with the integration, or give a data source id.");
        throw new OberaConnectException("NotionMultipleDataSources", FailureKind.InvalidState,
            $"Notion database \"{db.Title}\" ({db.Id}) has {db.DataSources.Count} data sources: " +
            Describe.Join(db.DataSources.Select(s => $"\"{s.Name}\" ({s.Id})")) + ". Give the id of the data source to use instead of the database id.");
    }

    /// <summary>
    /// Records that <paramref name="dataSourceId"/> is a data source (of <paramref name="databaseId"/> when given),
    /// as a configuration file knows it, so later calls with either id send no request to find out.
    /// </summary>
    public void RememberDataSource(string dataSourceId, string? databaseId = null)
    {
        var ds = NotionId.Normalize(dataSourceId, "data source id");
        _dataSourceIds[ds] = ds;
        if (!string.IsNullOrWhiteSpace(databaseId)) _dataSourceIds[NotionId.Normalize(databaseId, "database id")] = ds;
    }

    /// <summary>A data source with its schema (<c>GET /v1/data_sources/{id}</c>). Accepts a data source id or a database id (resolved).</summary>
    public async Task<NotionDataSource> GetDataSourceAsync(string dataSourceOrDatabaseId, CancellationToken cancellationToken = default)
    {
        var id = await ResolveDataSourceIdAsync(dataSourceOrDatabaseId, cancellationToken).ConfigureAwait(false);
        return await GetDataSourceByIdAsync(id, "data source " + id, cancellationToken).ConfigureAwait(false);
    }

    private Task<NotionDataSource> GetDataSourceByIdAsync(string id, string target, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, "v1/data_sources/" + id, null, RequestSafety.Idempotent, target,
            e => As<NotionDataSource>(e, "a data source"), cancellationToken);

    /// <summary>
    /// Changes a data source's schema (<c>PATCH /v1/data_sources/{id}</c>): adds or changes the given properties,
    /// renames (<see cref="PropertyDefinition.Rename"/>) or removes (<see cref="PropertyDefinition.Remove"/>) them,
    /// and optionally sets the title. Accepts a data source id or a database id (resolved). Safe to repeat.
    /// </summary>
    public async Task<NotionDataSource> UpdateDataSourceAsync(string dataSourceOrDatabaseId,
        IEnumerable<KeyValuePair<string, PropertyDefinition>> properties, string? title = null, CancellationToken cancellationToken = default)
    {
        var propertiesJson = PropertyDefinition.ToRequestJson(properties);
        var body = new JsonObject();
        if (propertiesJson.Count > 0) body["properties"] = propertiesJson;
        if (title != null)
        {
            var segments = RichText.From(title);
            RichText.CheckLimits("data source title", segments);
            body["title"] = RichText.ToJson(segments, full: false);
        }
        var id = await ResolveDataSourceIdAsync(dataSourceOrDatabaseId, cancellationToken).ConfigureAwait(false);
        return await SendAsync(Patch, "v1/data_sources/" + id, body, RequestSafety.Idempotent, "schema update of data source " + id,
            e => As<NotionDataSource>(e, "a data source"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a database under a page with one data source of the given schema (<c>POST /v1/databases</c>
    /// with <c>initial_data_source</c>). If the answer is lost, the parent's child databases are searched for
    /// one with this title created just now; it is returned as <see cref="CreateOutcome.Recovered"/> instead of
    /// creating a second database.
    /// </summary>
    public async Task<NotionCreateResult<NotionDatabase>> CreateDatabaseAsync(string parentPageId, string title,
        IEnumerable<KeyValuePair<string, PropertyDefinition>> properties, bool isInline = false, CancellationToken cancellationToken = default)
    {
        var parent = NotionId.Normalize(parentPageId, "parent page id");
        if (string.IsNullOrWhiteSpace(title))
            throw new NotionInputException("NotionInvalidTitle", "A new database needs a title; it is also how a lost create is recognised.");
        var list = properties.ToList();
        var titles = list.Where(p => p.Value.Type == "title").Select(p => p.Key).ToList();
        if (titles.Count > 1)
            throw new NotionInputException("NotionInvalidSchema",
                $"Database \"{title}\": a data source has exactly one title property, but {Describe.Join(titles.Select(t => "\"" + t + "\""))} are titles. Make the others rich_text.");
        var titleSegments = RichText.From(title);
        RichText.CheckLimits($"database \"{title}\" title", titleSegments);

        var body = new JsonObject
        {
            ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = parent },
            ["title"] = RichText.ToJson(titleSegments, full: false),
            ["is_inline"] = isInline,
            ["initial_data_source"] = new JsonObject { ["properties"] = PropertyDefinition.ToRequestJson(list) },
        };
        var operation = $"create database \"{title}\" under page {parent}";
        var (db, outcome, sends) = await WriteOnceAsync(operation,
            ct => SendAsync(HttpMethod.Post, "v1/databases", body, RequestSafety.NotIdempotent, $"database \"{title}\" (create)",
                e => As<NotionDatabase>(e, "a database"), ct),
            async (sentAt, ct) =>
            {
                await foreach (var block in ListChildrenAsync(parent, ct).ConfigureAwait(false))
                    if (block.Type == "child_database" && string.Equals(block.ChildTitle, title, StringComparison.Ordinal) && IsRecent(block.CreatedTime, sentAt))
                        return await GetDatabaseAsync(block.Id, ct).ConfigureAwait(false);
                return null;
            },
            $"a child database titled \"{title}\" under page {parent}", cancellationToken).ConfigureAwait(false);
        return new NotionCreateResult<NotionDatabase>(db, outcome, sends);
    }
}
