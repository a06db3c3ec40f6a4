namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>One Notion database the export copies, under the name the bronze rows carry.</summary>
/// <param name="DatabaseId">The database id (any form <see cref="NotionIds.Normalize"/> accepts).</param>
/// <param name="DatabaseName">Short stable name, for example <c>customer_sites</c>.</param>
/// <param name="DataSourceId">The data source to query when known (saves resolving it); null resolves the database's one data source.</param>
public sealed record ExportSource(string DatabaseId, string DatabaseName, string? DataSourceId = null);

/// <summary>
/// Reads pages from Notion for the export: <see cref="NotionClientPageFeed"/> over the Notion client, or a
/// stand-in in tests. Order does not matter: the export takes the highest last_edited_time it read as the
/// new watermark, and only after the whole database was read.
/// </summary>
public interface INotionPageFeed
{
    /// <summary>
    /// Pages of one database edited on or after <paramref name="editedOnOrAfter"/> (every page when null),
    /// as the API's page objects. "On or after", not "after": last_edited_time is cut to the minute, so
    /// pages edited later in the watermark's own minute must be read again.
    /// </summary>
    IAsyncEnumerable<string> ReadPagesAsync(ExportSource source, DateTimeOffset? editedOnOrAfter, CancellationToken cancellationToken);
}

/// <summary>What the export did for one database.</summary>
public sealed class DatabaseExportResult
{
    public string DatabaseName { get; set; } = "";
    public string DatabaseId { get; set; } = "";
    /// <summary>True when every page was read (first run or -FullRefresh), false when incremental from the watermark.</summary>
    public bool FullRefresh { get; set; }
    public DateTimeOffset? WatermarkBefore { get; set; }
    public DateTimeOffset? WatermarkAfter { get; set; }
    public int PagesRead { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    /// <summary>Pages read that are in the Notion trash (stored with in_trash = true, for audit).</summary>
    public int Trashed { get; set; }
    internal TimeSpan Elapsed { get; set; }

    /// <summary>How long the export of this database took, in milliseconds.</summary>
    public long ElapsedMs => (long)Math.Round(Elapsed.TotalMilliseconds);
    /// <summary>HTTP requests sent to Notion for this database (retries included), when the feed counts them.</summary>
    public long Requests { get; set; }
    /// <summary>Where it went: the store's description.</summary>
    public string Store { get; set; } = "";
    /// <summary>The error that stopped this database, or null when it completed.</summary>
    internal OberaConnectException? Exception { get; set; }

    /// <summary>Why the export of this database failed (the exception stays on the error record); null when it succeeded.</summary>
    public string? Error => Exception?.Message;

    /// <summary>The stable id of that error.</summary>
    public string? ErrorId => Exception?.ErrorId;

    public bool Succeeded => Exception is null;

    /// <summary>The database, in words (log lines, error targets).</summary>
    public override string ToString()
        => string.IsNullOrEmpty(DatabaseName) || DatabaseName == DatabaseId ? $"database {DatabaseId}" : $"database {DatabaseName} ({DatabaseId})";
}

/// <summary>
/// Copies Notion databases into an <see cref="INotionExportStore"/>, incrementally from each database's
/// watermark. The watermark moves only after a database was read to the end, so a run that fails half way
/// is simply run again (upserts are idempotent).
/// </summary>
public sealed class NotionExport
{
    /// <summary>Progress activity id of the export.</summary>
    public const int ProgressActivityId = 4108;

    private readonly INotionPageFeed _feed;
    private readonly INotionExportStore _store;
    private readonly IEngineOutput _output;
    private readonly TimeProvider _time;

    public NotionExport(INotionPageFeed feed, INotionExportStore store, IEngineOutput? output = null, TimeProvider? time = null)
    {
        _feed = feed ?? throw new ArgumentNullException(nameof(feed));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _output = output ?? NullEngineOutput.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Pages per upsert call (the Databricks store splits further to its own limits).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Called with each database's result as soon as it is known (a host streams them to its output).</summary>
    public Action<DatabaseExportResult>? Completed { get; set; }

    /// <summary>Reads the Notion client's request counter (<c>Statistics.Requests</c>), so each result says what its database cost; null leaves Requests at 0.</summary>
    public Func<long>? RequestCounter { get; set; }

    /// <summary>
    /// Exports each database in turn. A database that fails with an engine error is reported in its result
    /// and the next one goes on; cancellation and unexpected errors stop the run.
    /// </summary>
    public async Task<IReadOnlyList<DatabaseExportResult>> RunAsync(IReadOnlyList<ExportSource> sources, bool fullRefresh, CancellationToken cancellationToken)
    {
        if (sources is null) throw new ArgumentNullException(nameof(sources));
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<DatabaseExportResult>();
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            _output.Progress(new ProgressUpdate(ProgressActivityId, "Exporting Notion to " + _store.Description,
                $"{source.DatabaseName} ({i + 1} of {sources.Count})", sources.Count == 0 ? -1 : i * 100 / sources.Count));
            DatabaseExportResult result;
            try
            {
                result = await ExportDatabaseAsync(source, fullRefresh, cancellationToken).ConfigureAwait(false);
            }
            catch (OberaConnectException ex)
            {
                _output.Warning($"Export of '{source.DatabaseName}' stopped: {ex.Message}");
                result = new DatabaseExportResult { DatabaseName = source.DatabaseName, DatabaseId = source.DatabaseId, Store = _store.Description, Exception = ex };
            }
            results.Add(result);
            Completed?.Invoke(result);
        }
        _output.Progress(new ProgressUpdate(ProgressActivityId, "Exporting Notion to " + _store.Description, "Done", 100, Completed: true));
        return results;
    }

    /// <summary>Exports one database; throws on failure, leaving its watermark where it was.</summary>
    public async Task<DatabaseExportResult> ExportDatabaseAsync(ExportSource source, bool fullRefresh, CancellationToken cancellationToken)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        if (BatchSize < 1) throw new OberaConnectException("ExportBatchSizeInvalid", FailureKind.Configuration, "BatchSize must be at least 1.");
        var databaseId = NotionIds.Normalize(source.DatabaseId, "database id");
        var started = _time.GetTimestamp();
        var requestsBefore = RequestCounter?.Invoke() ?? 0;
        var before = await _store.GetWatermarkAsync(databaseId, cancellationToken).ConfigureAwait(false);
        var since = fullRefresh ? null : before;
        var result = new DatabaseExportResult
        {
            DatabaseName = source.DatabaseName, DatabaseId = databaseId, FullRefresh = since is null,
            WatermarkBefore = before, WatermarkAfter = before, Store = _store.Description,
        };
        _output.Verbose(since is null
            ? $"Exporting every page of '{source.DatabaseName}' to {_store.Description}."
            : $"Exporting pages of '{source.DatabaseName}' edited on or after {since:u} to {_store.Description}.");

        DateTimeOffset? highest = null;
        var batch = new List<NotionPageRecord>(BatchSize);
        var totals = default(ExportBatchResult);
        await foreach (var raw in _feed.ReadPagesAsync(source, since, cancellationToken).ConfigureAwait(false))
        {
            var record = NotionPageRecord.FromPageJson(raw, source.DatabaseName, databaseId);
            batch.Add(record);
            result.PagesRead++;
            if (record.InTrash) result.Trashed++;
            if (highest is null || record.LastEditedTime > highest) highest = record.LastEditedTime;
            if (batch.Count >= BatchSize)
            {
                totals += await _store.UpsertPagesAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                _output.Verbose($"'{source.DatabaseName}': {result.PagesRead} page(s) stored so far.");
                _output.Progress(new ProgressUpdate(ProgressActivityId + 1, "Exporting " + source.DatabaseName,
                    $"{result.PagesRead:N0} page(s) stored ({totals.Inserted:N0} new, {totals.Updated:N0} updated)", -1));
            }
        }
        if (batch.Count > 0) totals += await _store.UpsertPagesAsync(batch, cancellationToken).ConfigureAwait(false);

        if (highest is { } h && (before is null || h > before))
        {
            await _store.AdvanceWatermarkAsync(databaseId, source.DatabaseName, h, cancellationToken).ConfigureAwait(false);
            result.WatermarkAfter = h;
        }
        result.Inserted = totals.Inserted;
        result.Updated = totals.Updated;
        result.Unchanged = totals.Unchanged;
        result.Elapsed = _time.GetElapsedTime(started);
        result.Requests = (RequestCounter?.Invoke() ?? 0) - requestsBefore;
        _output.Progress(new ProgressUpdate(ProgressActivityId + 1, "Exporting " + source.DatabaseName, "Done", 100, Completed: true));
        _output.Verbose($"'{source.DatabaseName}': {result.PagesRead} read, {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged.");
        return result;
    }
}
