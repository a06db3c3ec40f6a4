using Microsoft.Data.Sqlite;

namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>
/// The embedded export store: one SQLite file holding <c>notion_raw_pages</c> and
/// <c>notion_sync_watermarks</c>, created with its schema on first use. Upserts run in one transaction
/// per batch with prepared commands, so tens of thousands of pages take seconds.
/// </summary>
public sealed class SqliteExportStore : INotionExportStore
{
    /// <summary>Schema version kept in <c>PRAGMA user_version</c>, for later migrations.</summary>
    public const int SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private bool _initialized;

    /// <param name="path">The database file; its folder is created when missing.</param>
    /// <param name="time">Clock for the first/last exported timestamps.</param>
    public SqliteExportStore(string path, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OberaConnectException("ExportStorePathMissing", FailureKind.Configuration, "The SQLite export store needs a file path.");
        Path = FullPath(path);
        _time = time ?? TimeProvider.System;
        SqliteNativeLibrary.EnsureResolvable();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pooling: the file is released when a run ends (a scheduled task may move or back it up).
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>The full path of a store file, or ExportStoreFailed naming it when it is not a usable path.</summary>
    public static string FullPath(string path)
    {
        try
        {
            return System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw new OberaConnectException("ExportStoreFailed", FailureKind.Configuration,
                $"'{path}' is not a usable path for the SQLite export store ({ex.Message.TrimEnd('.')}). {PathFix}", ex);
        }
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    public string Description => "SQLite " + Path;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized) return;
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var tx = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = @"
CREATE TABLE IF NOT EXISTS notion_raw_pages (
    page_id           TEXT    NOT NULL,
    database_id       TEXT    NOT NULL,
    data_source_id    TEXT,
    database_name     TEXT    NOT NULL,
    created_time      TEXT    NOT NULL,
    last_edited_time  TEXT    NOT NULL,
    in_trash          INTEGER NOT NULL,
    raw_json          TEXT    NOT NULL,
    properties_json   TEXT    NOT NULL,
    first_exported_at TEXT    NOT NULL,
    last_exported_at  TEXT    NOT NULL,
    PRIMARY KEY (page_id, database_id)
);
CREATE INDEX IF NOT EXISTS ix_notion_raw_pages_database_edited ON notion_raw_pages (database_id, last_edited_time);
CREATE TABLE IF NOT EXISTS notion_sync_watermarks (
    database_id      TEXT NOT NULL PRIMARY KEY,
    database_name    TEXT NOT NULL,
    last_edited_time TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
PRAGMA user_version = " + SchemaVersion + ";";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            tx.Commit();
            _initialized = true;
        }
        catch (SqliteException ex)
        {
            throw StoreError("create the export tables", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file where the folder should be, a folder that cannot be reached or created, no permission.
            throw FileSystemError(ex);
        }
        finally
        {
            _initGate.Release();
        }
    }

    public async Task<ExportBatchResult> UpsertPagesAsync(IReadOnlyList<NotionPageRecord> pages, CancellationToken cancellationToken)
    {
        if (pages is null) throw new ArgumentNullException(nameof(pages));
        if (pages.Count == 0) return default;
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var batch = StoreTime.LastPerKey(pages);
        var now = StoreTime.ToText(_time.GetUtcNow());
        int inserted = 0, updated = 0, unchanged = 0;
        try
        {
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var tx = connection.BeginTransaction();

            using var select = connection.CreateCommand();
            select.Transaction = tx;
            select.CommandText = "SELECT raw_json, in_trash FROM notion_raw_pages WHERE page_id = $page_id AND database_id = $database_id";
            var selPage = select.Parameters.Add("$page_id", SqliteType.Text);
            var selDb = select.Parameters.Add("$database_id", SqliteType.Text);

            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = @"INSERT INTO notion_raw_pages
 (page_id, database_id, data_source_id, database_name, created_time, last_edited_time, in_trash, raw_json, properties_json, first_exported_at, last_exported_at)
 VALUES ($page_id, $database_id, $data_source_id, $database_name, $created_time, $last_edited_time, $in_trash, $raw_json, $properties_json, $now, $now)";
            var ins = AddRowParameters(insert);

            using var update = connection.CreateCommand();
            update.Transaction = tx;
            update.CommandText = @"UPDATE notion_raw_pages SET
 data_source_id = $data_source_id, database_name = $database_name, created_time = $created_time,
 last_edited_time = $last_edited_time, in_trash = $in_trash, raw_json = $raw_json,
 properties_json = $properties_json, last_exported_at = $now
 WHERE page_id = $page_id AND database_id = $database_id";
            var upd = AddRowParameters(update);

            ins.Now.Value = now;
            upd.Now.Value = now;
            select.Prepare();
            insert.Prepare();
            update.Prepare();

            foreach (var page in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                selPage.Value = page.PageId;
                selDb.Value = page.DatabaseId;
                string? storedJson = null;
                var storedTrash = false;
                var exists = false;
                using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        exists = true;
                        storedJson = reader.GetString(0);
                        storedTrash = reader.GetInt64(1) != 0;
                    }
                }

                if (!exists)
                {
                    ins.Set(page);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    inserted++;
                }
                else if (storedJson != page.RawJson || storedTrash != page.InTrash)
                {
                    upd.Set(page);
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    updated++;
                }
                else
                {
                    unchanged++;
                }
            }
            tx.Commit();
        }
        catch (SqliteException ex)
        {
            throw StoreError($"store {batch.Count} page(s)", ex);
        }
        return new ExportBatchResult(inserted, updated, unchanged);
    }

    public async Task<DateTimeOffset?> GetWatermarkAsync(string databaseId, CancellationToken cancellationToken)
    {
        var id = NotionIds.Normalize(databaseId, "database id");
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT last_edited_time FROM notion_sync_watermarks WHERE database_id = $database_id";
            command.Parameters.AddWithValue("$database_id", id);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is string text ? StoreTime.Parse(text) : null;
        }
        catch (SqliteException ex)
        {
            throw StoreError("read the watermark of " + id, ex);
        }
    }

    public async Task AdvanceWatermarkAsync(string databaseId, string databaseName, DateTimeOffset lastEditedTime, CancellationToken cancellationToken)
    {
        var id = NotionIds.Normalize(databaseId, "database id");
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            // Fixed-width UTC text compares in time order, so the WHERE keeps the watermark from going back.
            command.CommandText = @"INSERT INTO notion_sync_watermarks (database_id, database_name, last_edited_time, updated_at)
 VALUES ($database_id, $database_name, $last_edited_time, $now)
 ON CONFLICT (database_id) DO UPDATE SET
   database_name = excluded.database_name, last_edited_time = excluded.last_edited_time, updated_at = excluded.updated_at
 WHERE excluded.last_edited_time > notion_sync_watermarks.last_edited_time";
            command.Parameters.AddWithValue("$database_id", id);
            command.Parameters.AddWithValue("$database_name", databaseName ?? "");
            command.Parameters.AddWithValue("$last_edited_time", StoreTime.ToText(lastEditedTime));
            command.Parameters.AddWithValue("$now", StoreTime.ToText(_time.GetUtcNow()));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw StoreError("save the watermark of " + id, ex);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>What to do about a store path that cannot be used.</summary>
    private const string PathFix = "Give -Path (or export.sqlitePath in the configuration) a file in a folder this account can create and write to.";

    private OberaConnectException StoreError(string what, SqliteException ex)
    {
        var busy = ex.SqliteErrorCode == 5 || ex.SqliteErrorCode == 6; // SQLITE_BUSY, SQLITE_LOCKED
        if (busy)
            return new OberaConnectException("ExportStoreBusy", FailureKind.ServiceUnavailable,
                $"Could not {what} in the SQLite export store {Path}: {ex.Message} Another process holds the file; try again when it is done.", ex);
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH, SQLITE_NOTADB: the path names something this account cannot use as the store.
        var wrongPath = ex.SqliteErrorCode is 8 or 14 or 23 or 26;
        return new OberaConnectException("ExportStoreFailed", wrongPath ? FailureKind.Configuration : FailureKind.InvalidState,
            $"Could not {what} in the SQLite export store {Path}: {ex.Message} " +
            (wrongPath ? "The path must name a SQLite file made by this module (or none yet) that this account can write. " + PathFix
                : "Check that the file is a writable SQLite database made by this module."), ex);
    }

    private OberaConnectException FileSystemError(Exception ex)
        => new("ExportStoreFailed", FailureKind.Configuration,
            $"The SQLite export store {Path} cannot be created or opened: {ex.Message.TrimEnd('.')}. {PathFix}", ex);

    private static RowParameters AddRowParameters(SqliteCommand command) => new(
        command.Parameters.Add("$page_id", SqliteType.Text),
        command.Parameters.Add("$database_id", SqliteType.Text),
        command.Parameters.Add("$data_source_id", SqliteType.Text),
        command.Parameters.Add("$database_name", SqliteType.Text),
        command.Parameters.Add("$created_time", SqliteType.Text),
        command.Parameters.Add("$last_edited_time", SqliteType.Text),
        command.Parameters.Add("$in_trash", SqliteType.Integer),
        command.Parameters.Add("$raw_json", SqliteType.Text),
        command.Parameters.Add("$properties_json", SqliteType.Text),
        command.Parameters.Add("$now", SqliteType.Text));

    private sealed class RowParameters
    {
        private readonly SqliteParameter _pageId, _databaseId, _dataSourceId, _databaseName, _created, _edited, _trash, _raw, _properties;

        public RowParameters(SqliteParameter pageId, SqliteParameter databaseId, SqliteParameter dataSourceId, SqliteParameter databaseName,
            SqliteParameter created, SqliteParameter edited, SqliteParameter trash, SqliteParameter raw, SqliteParameter properties, SqliteParameter now)
        {
            _pageId = pageId; _databaseId = databaseId; _dataSourceId = dataSourceId; _databaseName = databaseName;
            _created = created; _edited = edited; _trash = trash; _raw = raw; _properties = properties; Now = now;
        }

        public SqliteParameter Now { get; }

        public void Set(NotionPageRecord page)
        {
            _pageId.Value = page.PageId;
            _databaseId.Value = page.DatabaseId;
            _dataSourceId.Value = (object?)page.DataSourceId ?? DBNull.Value;
            _databaseName.Value = page.DatabaseName;
            _created.Value = StoreTime.ToText(page.CreatedTime);
            _edited.Value = StoreTime.ToText(page.LastEditedTime);
            _trash.Value = page.InTrash ? 1 : 0;
            _raw.Value = page.RawJson;
            _properties.Value = page.PropertiesJson;
        }
    }
}
