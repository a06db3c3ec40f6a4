using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>
/// A SQLite table as the relational side of the two-way sync (works in Windows PowerShell 5.1 too).
/// SQLite has no real column types, so kinds come from the declared type names: INTEGER, REAL/NUMERIC/DECIMAL,
/// BOOLEAN, DATE, DATETIME/TIMESTAMP, JSON, a name containing ARRAY or ending in [] (stored as a JSON array),
/// UUID, and text for the rest. Timestamps are stored as ISO 8601 text in UTC.
/// </summary>
public sealed class SqliteSyncTable : DbSyncTable
{
    private readonly string _connectionString;
    private readonly string _path;

    /// <param name="path">The SQLite database file (must exist: the synced table is the application's).</param>
    /// <param name="table">The table to sync.</param>
    public SqliteSyncTable(string path, string table) : base(table)
    {
        try
        {
            _path = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw new OberaConnectException("SyncDatabaseUnusable", FailureKind.Configuration, $"'{path}' is not a usable path for a SQLite database ({ex.Message.TrimEnd('.')}). {PathFix}", ex);
        }
        SqliteNativeLibrary.EnsureResolvable();
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString();
    }

    public override string Description => $"SQLite {_path} {Table}";

    protected override string QuotedTable => Quote(Table);

    protected override string QuotedStateTable(string name) => Quote(name);

    protected override string StateTimeType => "TEXT";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
            throw new OberaConnectException("SyncDatabaseNotFound", FailureKind.NotFound, $"The SQLite database {_path} does not exist.");
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Opening reads nothing: a file that is not SQLite would fail later, in the middle of a sync, as something else.
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA schema_version";
                await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            return connection;
        }
        catch (SqliteException ex)
        {
            // A folder at the path, a file this account may not write, or one that is not SQLite.
            connection.Dispose();
            throw new OberaConnectException("SyncDatabaseUnusable", FailureKind.Configuration, $"The SQLite database {_path} cannot be opened: {ex.Message} {PathFix}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private const string PathFix = "-ConnectionString must name a SQLite database file (or \"Data Source=<path>\") that this account can read and write.";

    protected override async Task<RelationalTableSchema> ReadSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var columns = new List<RelationalColumn>();
        var pkCount = 0;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@table)";
            AddParameter(cmd, "@table", Table);
            using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var type = reader.IsDBNull(1) ? "" : reader.GetString(1);
                var pk = reader.GetInt64(4) > 0;
                if (pk) pkCount++;
                columns.Add(new RelationalColumn(reader.GetString(0), KindOf(type), type, reader.GetInt64(2) == 0, pk, null, !reader.IsDBNull(3)));
            }
        }
        // A lone INTEGER PRIMARY KEY is the rowid: SQLite assigns it on insert.
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            if (c.IsPrimaryKey && pkCount == 1 && string.Equals(c.StoreType, "INTEGER", StringComparison.OrdinalIgnoreCase))
                columns[i] = c with { HasDefault = true };
        }
        return new RelationalTableSchema(Table, columns);
    }

    internal static ColumnKind KindOf(string declared)
    {
        var t = declared.Trim().ToUpperInvariant();
        if (t.Contains("ARRAY") || t.EndsWith("[]", StringComparison.Ordinal)) return ColumnKind.TextArray;
        if (t.StartsWith("BOOL", StringComparison.Ordinal)) return ColumnKind.Boolean;
        if (t.Contains("INT")) return ColumnKind.Integer;
        if (t.Contains("REAL") || t.Contains("FLOA") || t.Contains("DOUB") || t.Contains("NUMERIC") || t.Contains("DECIMAL")) return ColumnKind.Decimal;
        if (t.Contains("TIMESTAMP") || t.Contains("DATETIME")) return ColumnKind.Timestamp;
        if (t == "DATE") return ColumnKind.Date;
        if (t.StartsWith("JSON", StringComparison.Ordinal)) return ColumnKind.Json;
        if (t == "UUID" || t == "GUID") return ColumnKind.Uuid;
        if (t.Contains("BLOB")) return ColumnKind.Other;
        return ColumnKind.Text;
    }

    // Timestamps may be written by the application as "2025-01-31 10:00:00" or with a T and zone: compare as times, not text.
    protected override string ChangedSinceSql(string quotedColumn, string parameter) => $"julianday({quotedColumn}) >= julianday({parameter})";

    protected override string ChangedOrderSql(string quotedColumn) => $"julianday({quotedColumn})";

    protected override object ToDbValue(RelationalColumn column, object? value)
    {
        if (value is null) return DBNull.Value;
        switch (column.Kind)
        {
            case ColumnKind.Boolean:
                return value is bool b ? (b ? 1L : 0L) : value;
            case ColumnKind.Timestamp:
                return value switch
                {
                    DateTimeOffset dto => dto.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    _ => value.ToString()!,
                };
            case ColumnKind.Date:
                return value switch
                {
                    DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateTimeOffset dto => dto.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => value.ToString()!,
                };
            case ColumnKind.TextArray:
                return value is IEnumerable<string> items ? JsonSerializer.Serialize(items.ToArray()) : value.ToString()!;
            case ColumnKind.Uuid:
                return value is Guid g ? g.ToString() : value.ToString()!;
            default:
                return value;
        }
    }

    protected override object? FromDbValue(RelationalColumn column, object? value)
    {
        if (value is null || value is DBNull) return column.Kind == ColumnKind.TextArray ? Array.Empty<string>() : null;
        switch (column.Kind)
        {
            case ColumnKind.Boolean:
                return value is long l ? l != 0 : value is string s ? s == "1" || string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) : Convert.ToBoolean(value, CultureInfo.InvariantCulture);
            case ColumnKind.Integer:
                return value is long ? value : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ColumnKind.Decimal:
                return value is double d ? (decimal)d : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            case ColumnKind.Timestamp:
                return value is string ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;
            case ColumnKind.Date:
                return value is string ds && DateTime.TryParse(ds, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.Date : null;
            case ColumnKind.TextArray:
                if (value is string json && json.TrimStart().StartsWith("[", StringComparison.Ordinal))
                {
                    try
                    {
                        return JsonSerializer.Deserialize<string[]>(json) ?? Array.Empty<string>();
                    }
                    catch (JsonException)
                    {
                        return new[] { json };
                    }
                }
                return new[] { Convert.ToString(value, CultureInfo.InvariantCulture)! };
            default:
                return value is string ? value : Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    protected override object StateTimeToDb(DateTimeOffset? value)
        => value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) : DBNull.Value;

    protected override DateTimeOffset? StateTimeFromDb(object? value)
        => value is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
