using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OberaConnect.Engine.DataSurface.Databricks;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>
/// The bronze layer in Databricks: Delta tables <c>bronze.notion_raw_pages</c> (keyed by page_id and
/// database_id) and <c>bronze.notion_sync_watermarks</c>, written with <c>MERGE INTO</c> through the SQL
/// Statement Execution API.
/// </summary>
/// <remarks>
/// No value is ever spliced into SQL text. A batch of pages travels as ONE string parameter holding a JSON
/// array, which the statement expands with <c>explode(from_json(:pages, '&lt;schema&gt;'))</c>: one bound
/// parameter per batch stays far below the API's 256-parameter limit, lets a batch carry hundreds of
/// pages, and makes injection impossible whatever the page text holds. Table names come from
/// configuration and are quoted as identifiers.
/// </remarks>
public sealed class DatabricksExportStore : INotionExportStore, IDisposable
{
    internal const string PagesSchema =
        "ARRAY<STRUCT<page_id: STRING, database_id: STRING, data_source_id: STRING, database_name: STRING, " +
        "created_time: STRING, last_edited_time: STRING, in_trash: BOOLEAN, raw_json: STRING, properties_json: STRING>>";

    // Relaxed escaping keeps non-ASCII text as UTF-8 instead of \uXXXX; the output is JSON inside JSON over HTTP, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly DatabricksSqlClient _client;
    private readonly bool _ownsClient;
    private readonly TimeProvider _time;
    private readonly string _pages;
    private readonly string _watermarks;
    private readonly string _schema;

    public DatabricksExportStore(DatabricksSettings settings, HttpMessageHandler? handler = null, TimeProvider? time = null, SecretRedactor? redactor = null)
        : this(new DatabricksSqlClient(settings, handler, time, redactor), time, ownsClient: true)
    {
    }

    public DatabricksExportStore(DatabricksSqlClient client, TimeProvider? time = null)
        : this(client, time, ownsClient: false)
    {
    }

    private DatabricksExportStore(DatabricksSqlClient client, TimeProvider? time, bool ownsClient)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _ownsClient = ownsClient;
        _time = time ?? TimeProvider.System;
        var s = client.Settings;
        _schema = DatabricksSql.QualifiedSchema(s.Catalog, s.Schema);
        _pages = DatabricksSql.QualifiedName(s.Catalog, s.Schema, s.PagesTable);
        _watermarks = DatabricksSql.QualifiedName(s.Catalog, s.Schema, s.WatermarksTable);
    }

    public string Description => $"Databricks {_client.Settings.Host!.Host} {_pages}";

    /// <summary>The pages table, qualified and quoted.</summary>
    public string PagesTable => _pages;

    /// <summary>The watermarks table, qualified and quoted.</summary>
    public string WatermarksTable => _watermarks;

    /// <summary>The REST client (its request counters).</summary>
    public DatabricksSqlClient Client => _client;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _client.ExecuteAsync("CREATE SCHEMA " + _schema, "CREATE SCHEMA IF NOT EXISTS " + _schema, null, cancellationToken).ConfigureAwait(false);
        await _client.ExecuteAsync("CREATE TABLE " + _pages,
            "CREATE TABLE IF NOT EXISTS " + _pages + " (\n" +
            "  page_id STRING NOT NULL,\n" +
            "  database_id STRING NOT NULL,\n" +
            "  data_source_id STRING,\n" +
            "  database_name STRING NOT NULL,\n" +
            "  created_time TIMESTAMP NOT NULL,\n" +
            "  last_edited_time TIMESTAMP NOT NULL,\n" +
            "  in_trash BOOLEAN NOT NULL,\n" +
            "  raw_json STRING NOT NULL,\n" +
            "  properties_json STRING NOT NULL,\n" +
            "  first_exported_at TIMESTAMP NOT NULL,\n" +
            "  last_exported_at TIMESTAMP NOT NULL\n" +
            ") USING DELTA", null, cancellationToken).ConfigureAwait(false);
        await _client.ExecuteAsync("CREATE TABLE " + _watermarks,
            "CREATE TABLE IF NOT EXISTS " + _watermarks + " (\n" +
            "  database_id STRING NOT NULL,\n" +
            "  database_name STRING NOT NULL,\n" +
            "  last_edited_time TIMESTAMP NOT NULL,\n" +
            "  updated_at TIMESTAMP NOT NULL\n" +
            ") USING DELTA", null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExportBatchResult> UpsertPagesAsync(IReadOnlyList<NotionPageRecord> pages, CancellationToken cancellationToken)
    {
        if (pages is null) throw new ArgumentNullException(nameof(pages));
        var total = default(ExportBatchResult);
        foreach (var chunk in Chunk(StoreTime.LastPerKey(pages)))
        {
            var result = await _client.ExecuteAsync($"MERGE INTO {_pages} ({chunk.Count} page(s))", MergePagesStatement(_pages), new[]
            {
                new DatabricksParameter("pages", chunk.Json),
                new DatabricksParameter("exported_at", StoreTime.ToText(_time.GetUtcNow()), "TIMESTAMP"),
            }, cancellationToken).ConfigureAwait(false);
            total += Counts(result, chunk.Count);
        }
        return total;
    }

    public async Task<DateTimeOffset?> GetWatermarkAsync(string databaseId, CancellationToken cancellationToken)
    {
        var id = NotionIds.Normalize(databaseId, "database id");
        var result = await _client.ExecuteAsync("SELECT watermark from " + _watermarks,
            "SELECT CAST(unix_millis(last_edited_time) AS STRING) AS last_edited_ms FROM " + _watermarks + " WHERE database_id = :database_id",
            new[] { new DatabricksParameter("database_id", id) }, cancellationToken).ConfigureAwait(false);
        var ms = result.FirstRowValue("last_edited_ms");
        if (ms is null) return null;
        if (!long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis))
            throw new OberaConnectException("DatabricksWatermarkInvalid", FailureKind.InvalidState,
                $"The watermark of database {id} in {_watermarks} is not a time; fix or delete that row.");
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }

    public async Task AdvanceWatermarkAsync(string databaseId, string databaseName, DateTimeOffset lastEditedTime, CancellationToken cancellationToken)
    {
        var id = NotionIds.Normalize(databaseId, "database id");
        await _client.ExecuteAsync("MERGE INTO " + _watermarks, MergeWatermarkStatement(_watermarks), new[]
        {
            new DatabricksParameter("database_id", id),
            new DatabricksParameter("database_name", databaseName ?? ""),
            new DatabricksParameter("last_edited_time", StoreTime.ToText(lastEditedTime), "TIMESTAMP"),
            new DatabricksParameter("updated_at", StoreTime.ToText(_time.GetUtcNow()), "TIMESTAMP"),
        }, cancellationToken).ConfigureAwait(false);
    }

    internal static string MergePagesStatement(string pagesTable) =>
        "MERGE INTO " + pagesTable + " AS t\n" +
        "USING (\n" +
        "  SELECT p.page_id, p.database_id, p.data_source_id, p.database_name,\n" +
        "         CAST(p.created_time AS TIMESTAMP) AS created_time,\n" +
        "         CAST(p.last_edited_time AS TIMESTAMP) AS last_edited_time,\n" +
        "         p.in_trash, p.raw_json, p.properties_json\n" +
        "  FROM (SELECT explode(from_json(:pages, '" + PagesSchema + "')) AS p)\n" +
        ") AS s\n" +
        "ON t.page_id = s.page_id AND t.database_id = s.database_id\n" +
        // Only real changes are written: a re-run of the same pages reports them unchanged.
        "WHEN MATCHED AND NOT (t.raw_json <=> s.raw_json AND t.in_trash <=> s.in_trash) THEN UPDATE SET\n" +
        "  t.data_source_id = s.data_source_id, t.database_name = s.database_name,\n" +
        "  t.created_time = s.created_time, t.last_edited_time = s.last_edited_time,\n" +
        "  t.in_trash = s.in_trash, t.raw_json = s.raw_json, t.properties_json = s.properties_json,\n" +
        "  t.last_exported_at = :exported_at\n" +
        "WHEN NOT MATCHED THEN INSERT\n" +
        "  (page_id, database_id, data_source_id, database_name, created_time, last_edited_time, in_trash, raw_json, properties_json, first_exported_at, last_exported_at)\n" +
        "  VALUES (s.page_id, s.database_id, s.data_source_id, s.database_name, s.created_time, s.last_edited_time, s.in_trash, s.raw_json, s.properties_json, :exported_at, :exported_at)";

    internal static string MergeWatermarkStatement(string watermarksTable) =>
        "MERGE INTO " + watermarksTable + " AS t\n" +
        "USING (SELECT :database_id AS database_id, :database_name AS database_name, :last_edited_time AS last_edited_time, :updated_at AS updated_at) AS s\n" +
        "ON t.database_id = s.database_id\n" +
        // Forward only: the watermark is the highest last_edited_time ever exported.
        "WHEN MATCHED AND s.last_edited_time > t.last_edited_time THEN UPDATE SET\n" +
        "  t.database_name = s.database_name, t.last_edited_time = s.last_edited_time, t.updated_at = s.updated_at\n" +
        "WHEN NOT MATCHED THEN INSERT (database_id, database_name, last_edited_time, updated_at)\n" +
        "  VALUES (s.database_id, s.database_name, s.last_edited_time, s.updated_at)";

    private static ExportBatchResult Counts(DatabricksStatementResult result, int sent)
    {
        static int? Read(DatabricksStatementResult r, string column)
            => int.TryParse(r.FirstRowValue(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        var inserted = Read(result, "num_inserted_rows");
        var updated = Read(result, "num_updated_rows");
        if (inserted is null || updated is null)
            // A warehouse that reports no MERGE metrics: every page was written, we cannot tell how.
            return new ExportBatchResult(0, sent, 0);
        return new ExportBatchResult(inserted.Value, updated.Value, Math.Max(0, sent - inserted.Value - updated.Value));
    }

    internal sealed class PageChunk
    {
        public PageChunk(string json, int count)
        {
            Json = json;
            Count = count;
        }

        public string Json { get; }
        public int Count { get; }
    }

    /// <summary>Groups pages into JSON arrays within the row and byte limits (bytes as they travel, escaped once more in the request).</summary>
    internal IEnumerable<PageChunk> Chunk(IReadOnlyList<NotionPageRecord> pages)
    {
        var settings = _client.Settings;
        var hardLimit = DatabricksSettings.MaxStatementBytes - 64 * 1024;
        var current = new List<byte[]>();
        long currentBytes = 2;
        foreach (var page in pages)
        {
            var row = SerializeRow(page);
            var size = EscapedSize(row) + 1;
            if (size > hardLimit)
                throw new OberaConnectException("NotionPageTooLarge", FailureKind.InvalidInput,
                    $"Page {page.PageId} of '{page.DatabaseName}' is {size / 1024} KiB as JSON, more than one Databricks statement can carry; it was not exported.");
            if (current.Count > 0 && (current.Count >= settings.MaxRowsPerStatement || currentBytes + size > settings.MaxBatchBytes))
            {
                yield return Join(current);
                current.Clear();
                currentBytes = 2;
            }
            current.Add(row);
            currentBytes += size;
        }
        if (current.Count > 0) yield return Join(current);
    }

    private static PageChunk Join(List<byte[]> rows)
    {
        var total = 2 + rows.Count;
        foreach (var r in rows) total += r.Length;
        var bytes = new byte[total];
        var at = 0;
        bytes[at++] = (byte)'[';
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0) bytes[at++] = (byte)',';
            Buffer.BlockCopy(rows[i], 0, bytes, at, rows[i].Length);
            at += rows[i].Length;
        }
        bytes[at++] = (byte)']';
        return new PageChunk(Encoding.UTF8.GetString(bytes, 0, at), rows.Count);
    }

    private static byte[] SerializeRow(NotionPageRecord page)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("page_id", page.PageId);
            json.WriteString("database_id", page.DatabaseId);
            if (page.DataSourceId is null) json.WriteNull("data_source_id"); else json.WriteString("data_source_id", page.DataSourceId);
            json.WriteString("database_name", page.DatabaseName);
            json.WriteString("created_time", StoreTime.ToText(page.CreatedTime));
            json.WriteString("last_edited_time", StoreTime.ToText(page.LastEditedTime));
            json.WriteBoolean("in_trash", page.InTrash);
            json.WriteString("raw_json", page.RawJson);
            json.WriteString("properties_json", page.PropertiesJson);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static long EscapedSize(byte[] utf8)
    {
        long size = utf8.Length;
        foreach (var b in utf8)
        {
            if (b == (byte)'"' || b == (byte)'\\') size += 1;
            else if (b < 0x20) size += 5;
        }
        return size;
    }

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}
