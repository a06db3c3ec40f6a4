using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>
/// The relational side of the two-way sync over ADO.NET, shared by SQLite and PostgreSQL. A subclass says
/// how to connect, how to describe the table and how values convert; the SQL here is the part both
/// databases speak alike (ON CONFLICT upserts, RETURNING, double-quoted identifiers, @name parameters).
/// Bookkeeping lives in two tables of ours beside the synced table:
/// <c>oberaconnect_sync_tables</c> (one row per synced table) and <c>oberaconnect_sync_state</c>
/// (one row per record: page id, status, last synced time, change times and content hashes seen).
/// </summary>
public abstract class DbSyncTable : ISyncTable
{
    public const string TableStateName = "oberaconnect_sync_tables";
    public const string RecordStateName = "oberaconnect_sync_state";

    private RelationalTableSchema? _schema;

    protected DbSyncTable(string table)
    {
        if (string.IsNullOrWhiteSpace(table))
            throw new OberaConnectException("SyncTableMissing", FailureKind.Configuration, "Name the table to sync.");
        Table = table.Trim();
    }

    public string Table { get; }

    public abstract string Description { get; }

    /// <summary>Opens a connection (the caller disposes it).</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Reads the table's columns from the database catalog.</summary>
    protected abstract Task<RelationalTableSchema> ReadSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The synced table, quoted.</summary>
    protected abstract string QuotedTable { get; }

    /// <summary>One of our state tables, quoted (and placed beside the synced table).</summary>
    protected abstract string QuotedStateTable(string name);

    /// <summary>SQL type of our state tables' time columns.</summary>
    protected abstract string StateTimeType { get; }

    /// <summary>A neutral value (see <see cref="RelationalRow"/>) as the provider wants it for <paramref name="column"/>.</summary>
    protected abstract object ToDbValue(RelationalColumn column, object? value);

    /// <summary>A provider value read from <paramref name="column"/> as a neutral value.</summary>
    protected abstract object? FromDbValue(RelationalColumn column, object? value);

    /// <summary>A state time as the provider stores it.</summary>
    protected abstract object StateTimeToDb(DateTimeOffset? value);

    /// <summary>A stored state time back.</summary>
    protected abstract DateTimeOffset? StateTimeFromDb(object? value);

    /// <summary>The SQL that puts parameter <paramref name="parameter"/> into <paramref name="column"/> (a cast where the type needs one).</summary>
    protected virtual string ValueSql(RelationalColumn column, string parameter) => parameter;

    /// <summary>The condition "change column at or after the parameter".</summary>
    protected virtual string ChangedSinceSql(string quotedColumn, string parameter) => quotedColumn + " >= " + parameter;

    /// <summary>The ORDER BY expression of the change column.</summary>
    protected virtual string ChangedOrderSql(string quotedColumn) => quotedColumn;

    /// <summary>Quotes an identifier (double quotes, doubled inside).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public async Task<RelationalTableSchema> DescribeAsync(CancellationToken cancellationToken)
    {
        if (_schema != null) return _schema;
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var schema = await ReadSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
        if (schema.Columns.Count == 0)
            throw new OberaConnectException("SyncTableNotFound", FailureKind.NotFound, $"Table {Table} was not found in {Description}. Check the name (schema.table) and the account's rights.");
        _schema = schema;
        return schema;
    }

    public async Task<IReadOnlyDictionary<string, TextColumnProfile>> ProfileTextColumnsAsync(IReadOnlyCollection<string> columns, int maxDistinct, CancellationToken cancellationToken)
    {
        var schema = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, TextColumnProfile>(StringComparer.Ordinal);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in columns)
        {
            var column = schema.Require(name, "profiled column");
            var q = Quote(column.Name);
            long count;
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT COUNT({q}) FROM {QuotedTable}";
                count = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
            var values = new List<string>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT DISTINCT {q} FROM {QuotedTable} WHERE {q} IS NOT NULL LIMIT {maxDistinct + 1}";
                using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
            }
            result[column.Name] = new TextColumnProfile(column.Name, count, values.Count > maxDistinct ? null : values);
        }
        return result;
    }

    public async Task<IReadOnlyList<RelationalRow>> ReadChangedSinceAsync(TableSyncMapping mapping, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder(SelectList(mapping));
        if (mapping.ChangedAtColumn is { } changed)
        {
            var q = Quote(changed.Name);
            if (since is { } s)
            {
                sql.Append(" WHERE ").Append(ChangedSinceSql(q, "@since"));
                AddParameter(cmd, "@since", ToDbValue(changed, changed.Kind == ColumnKind.Date ? s.UtcDateTime.Date : s));
            }
            sql.Append(" ORDER BY ").Append(ChangedOrderSql(q)).Append(", ").Append(Quote(mapping.IdColumn.Name));
        }
        cmd.CommandText = sql.ToString();
        return await ReadRowsAsync(cmd, mapping, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RelationalRow>> ReadByIdsAsync(TableSyncMapping mapping, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var rows = new List<RelationalRow>();
        if (ids.Count == 0) return rows;
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Select((id, i) => (id, i)).GroupBy(x => x.i / 500, x => x.id))
        {
            using var cmd = connection.CreateCommand();
            var names = new List<string>();
            var n = 0;
            foreach (var id in chunk)
            {
                var p = "@id" + n++.ToString(CultureInfo.InvariantCulture);
                if (!TryParseId(mapping.IdColumn, id, out var typed)) continue;
                names.Add(ValueSql(mapping.IdColumn, p));
                AddParameter(cmd, p, ToDbValue(mapping.IdColumn, typed));
            }
            if (names.Count == 0) continue;
            cmd.CommandText = SelectList(mapping) + " WHERE " + Quote(mapping.IdColumn.Name) + " IN (" + string.Join(", ", names) + ")";
            rows.AddRange(await ReadRowsAsync(cmd, mapping, cancellationToken).ConfigureAwait(false));
        }
        return rows;
    }

    public async Task<RowWriteResult> WriteRowAsync(TableSyncMapping mapping, string? id, IReadOnlyDictionary<string, object?> values, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        var columns = new List<RelationalColumn>();
        foreach (var name in values.Keys)
        {
            var map = mapping.Columns.FirstOrDefault(c => c.ColumnName == name)
                ?? throw new OberaConnectException("SyncColumnNotMapped", FailureKind.InvalidInput, $"Column {name} is not mapped for {Table}; it cannot be written.");
            columns.Add(map.Column);
        }
        object? typedId = null;
        if (id != null && !TryParseId(mapping.IdColumn, id, out typedId))
            throw new OberaConnectException("SyncRecordIdInvalid", FailureKind.InvalidInput,
                $"'{id}' is not a valid {mapping.IdColumn.Name} for {Table} ({mapping.IdColumn.StoreType}); correct the {mapping.IdProperty} property in Notion.");

        var idName = Quote(mapping.IdColumn.Name);
        var returning = " RETURNING " + idName + (mapping.ChangedAtColumn is { } ch ? ", " + Quote(ch.Name) : "");
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var tx = connection.BeginTransaction();
        try
        {
            RowWriteResult? result = null;
            if (typedId != null)
            {
                using var update = connection.CreateCommand();
                update.Transaction = tx;
                var sets = new List<string>();
                for (var i = 0; i < columns.Count; i++)
                {
                    var p = "@v" + i.ToString(CultureInfo.InvariantCulture);
                    sets.Add(Quote(columns[i].Name) + " = " + ValueSql(columns[i], p));
                    AddParameter(update, p, ToDbValue(columns[i], values[columns[i].Name]));
                }
                if (mapping.ChangedAtColumn is { } changed)
                {
                    sets.Add(Quote(changed.Name) + " = " + ValueSql(changed, "@changed"));
                    AddParameter(update, "@changed", ToDbValue(changed, changed.Kind == ColumnKind.Date ? changedAt.UtcDateTime.Date : changedAt));
                }
                if (sets.Count > 0)
                {
                    update.CommandText = "UPDATE " + QuotedTable + " SET " + string.Join(", ", sets) + " WHERE " + idName + " = " + ValueSql(mapping.IdColumn, "@id") + returning;
                    AddParameter(update, "@id", ToDbValue(mapping.IdColumn, typedId));
                    result = await ReadWriteResultAsync(update, mapping, inserted: false, cancellationToken).ConfigureAwait(false);
                }
            }

            if (result is null)
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                var names = new List<string>();
                var exprs = new List<string>();
                if (typedId is null && !mapping.IdColumn.HasDefault && mapping.IdColumn.Kind != ColumnKind.Integer)
                    typedId = mapping.IdColumn.Kind == ColumnKind.Uuid ? Guid.NewGuid() : (object)Guid.NewGuid().ToString();
                if (typedId != null)
                {
                    names.Add(idName);
                    exprs.Add(ValueSql(mapping.IdColumn, "@id"));
                    AddParameter(insert, "@id", ToDbValue(mapping.IdColumn, typedId));
                }
                for (var i = 0; i < columns.Count; i++)
                {
                    var p = "@v" + i.ToString(CultureInfo.InvariantCulture);
                    names.Add(Quote(columns[i].Name));
                    exprs.Add(ValueSql(columns[i], p));
                    AddParameter(insert, p, ToDbValue(columns[i], values[columns[i].Name]));
                }
                if (mapping.ChangedAtColumn is { } changed)
                {
                    names.Add(Quote(changed.Name));
                    exprs.Add(ValueSql(changed, "@changed"));
                    AddParameter(insert, "@changed", ToDbValue(changed, changed.Kind == ColumnKind.Date ? changedAt.UtcDateTime.Date : changedAt));
                }
                insert.CommandText = names.Count == 0
                    ? "INSERT INTO " + QuotedTable + " DEFAULT VALUES" + returning
                    : "INSERT INTO " + QuotedTable + " (" + string.Join(", ", names) + ") VALUES (" + string.Join(", ", exprs) + ")" + returning;
                result = await ReadWriteResultAsync(insert, mapping, inserted: true, cancellationToken).ConfigureAwait(false);
            }
            tx.Commit();
            return result ?? throw new InvalidOperationException("The write returned no row.");
        }
        catch (DbException ex)
        {
            throw new OberaConnectException("SyncRowWriteFailed", FailureKind.InvalidState,
                $"Could not write record {id ?? "(new)"} to {Table} in {Description}: {ex.Message}", ex);
        }
    }

    public async Task<bool> DeleteRowAsync(TableSyncMapping mapping, string id, CancellationToken cancellationToken)
    {
        if (!TryParseId(mapping.IdColumn, id, out var typed))
            throw new OberaConnectException("SyncRecordIdInvalid", FailureKind.InvalidInput, $"'{id}' is not a value of the id column {mapping.IdColumn.Name} of {Table}.");
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = connection.CreateCommand();
            AddParameter(cmd, "@id", ToDbValue(mapping.IdColumn, typed));
            cmd.CommandText = "DELETE FROM " + QuotedTable + " WHERE " + Quote(mapping.IdColumn.Name) + " = " + ValueSql(mapping.IdColumn, "@id");
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
        catch (DbException ex)
        {
            throw new OberaConnectException("SyncRowDeleteFailed", FailureKind.InvalidState, $"Could not delete record {id} from {Table} in {Description}: {ex.Message}", ex);
        }
    }

    private async Task<RowWriteResult?> ReadWriteResultAsync(DbCommand command, TableSyncMapping mapping, bool inserted, CancellationToken cancellationToken)
    {
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var id = IdText(FromDbValue(mapping.IdColumn, reader.GetValue(0)));
        DateTimeOffset? changed = mapping.ChangedAtColumn is { } c ? ChangeTime(FromDbValue(c, reader.GetValue(1))) : null;
        return new RowWriteResult(id, inserted, changed);
    }

    public async Task InitializeStateAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        var t = StateTimeType;
        cmd.CommandText =
            $"CREATE TABLE IF NOT EXISTS {QuotedStateTable(TableStateName)} (" +
            $"table_key TEXT NOT NULL PRIMARY KEY, last_synced_at {t}, row_watermark {t}, page_watermark {t});\n" +
            $"CREATE TABLE IF NOT EXISTS {QuotedStateTable(RecordStateName)} (" +
            $"table_key TEXT NOT NULL, record_id TEXT NOT NULL, page_id TEXT, status TEXT NOT NULL, " +
            $"last_synced_at {t}, row_changed_at {t}, page_edited_at {t}, row_hash TEXT, page_hash TEXT, message TEXT, " +
            "PRIMARY KEY (table_key, record_id));";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> StateExistsAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in new[] { TableStateName, RecordStateName })
        {
            using var cmd = connection.CreateCommand();
            // Both databases answer a query of a missing table with an error; asking this way needs no catalog dialect.
            cmd.CommandText = $"SELECT COUNT(*) FROM {QuotedStateTable(name)} WHERE 1 = 0";
            try
            {
                await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException)
            {
                return false;
            }
        }
        return true;
    }

    public async Task<SyncTableState?> GetTableStateAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT last_synced_at, row_watermark, page_watermark FROM {QuotedStateTable(TableStateName)} WHERE table_key = @key";
        AddParameter(cmd, "@key", Table);
        using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new SyncTableState(Table, StateTimeFromDb(reader.GetValue(0)), StateTimeFromDb(reader.GetValue(1)), StateTimeFromDb(reader.GetValue(2)));
    }

    public async Task SaveTableStateAsync(SyncTableState state, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO {QuotedStateTable(TableStateName)} (table_key, last_synced_at, row_watermark, page_watermark) VALUES (@key, @synced, @row, @page) " +
                          "ON CONFLICT (table_key) DO UPDATE SET last_synced_at = excluded.last_synced_at, row_watermark = excluded.row_watermark, page_watermark = excluded.page_watermark";
        AddParameter(cmd, "@key", Table);
        AddParameter(cmd, "@synced", StateTimeToDb(state.LastSyncedAt));
        AddParameter(cmd, "@row", StateTimeToDb(state.RowWatermark));
        AddParameter(cmd, "@page", StateTimeToDb(state.PageWatermark));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, SyncRecordState>> GetRecordStatesAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, SyncRecordState>(StringComparer.Ordinal);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT record_id, page_id, status, last_synced_at, row_changed_at, page_edited_at, row_hash, page_hash, message FROM {QuotedStateTable(RecordStateName)} WHERE table_key = @key";
        AddParameter(cmd, "@key", Table);
        using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            states[id] = new SyncRecordState(id, NullableString(reader, 1), ParseStatus(reader.GetString(2)),
                StateTimeFromDb(reader.GetValue(3)), StateTimeFromDb(reader.GetValue(4)), StateTimeFromDb(reader.GetValue(5)),
                NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8));
        }
        return states;
    }

    public async Task SaveRecordStatesAsync(IReadOnlyCollection<SyncRecordState> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0) return;
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {QuotedStateTable(RecordStateName)} (table_key, record_id, page_id, status, last_synced_at, row_changed_at, page_edited_at, row_hash, page_hash, message) " +
                          "VALUES (@key, @id, @page, @status, @synced, @rowat, @pageat, @rowhash, @pagehash, @message) " +
                          "ON CONFLICT (table_key, record_id) DO UPDATE SET page_id = excluded.page_id, status = excluded.status, last_synced_at = excluded.last_synced_at, " +
                          "row_changed_at = excluded.row_changed_at, page_edited_at = excluded.page_edited_at, row_hash = excluded.row_hash, page_hash = excluded.page_hash, message = excluded.message";
        foreach (var s in states)
        {
            cmd.Parameters.Clear();
            AddParameter(cmd, "@key", Table);
            AddParameter(cmd, "@id", s.RecordId);
            AddParameter(cmd, "@page", (object?)s.PageId ?? DBNull.Value);
            AddParameter(cmd, "@status", s.Status.ToNotionName());
            AddParameter(cmd, "@synced", StateTimeToDb(s.LastSyncedAt));
            AddParameter(cmd, "@rowat", StateTimeToDb(s.RowChangedAt));
            AddParameter(cmd, "@pageat", StateTimeToDb(s.PageEditedAt));
            AddParameter(cmd, "@rowhash", (object?)s.RowHash ?? DBNull.Value);
            AddParameter(cmd, "@pagehash", (object?)s.PageHash ?? DBNull.Value);
            AddParameter(cmd, "@message", (object?)s.Message ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        tx.Commit();
    }

    private string SelectList(TableSyncMapping mapping)
    {
        var cols = new List<string> { Quote(mapping.IdColumn.Name) };
        cols.Add(mapping.ChangedAtColumn is { } c ? Quote(c.Name) : "NULL");
        cols.AddRange(mapping.Columns.Select(m => Quote(m.ColumnName)));
        return "SELECT " + string.Join(", ", cols) + " FROM " + QuotedTable;
    }

    private async Task<IReadOnlyList<RelationalRow>> ReadRowsAsync(DbCommand cmd, TableSyncMapping mapping, CancellationToken cancellationToken)
    {
        var rows = new List<RelationalRow>();
        using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = IdText(FromDbValue(mapping.IdColumn, reader.GetValue(0)));
            DateTimeOffset? changed = mapping.ChangedAtColumn is { } c ? ChangeTime(FromDbValue(c, reader.GetValue(1))) : null;
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < mapping.Columns.Count; i++)
                values[mapping.Columns[i].ColumnName] = FromDbValue(mapping.Columns[i].Column, reader.GetValue(i + 2));
            rows.Add(new RelationalRow(id, changed, values));
        }
        return rows;
    }

    /// <summary>Parses a record id as the id column's type.</summary>
    protected static bool TryParseId(RelationalColumn idColumn, string id, out object? typed)
    {
        typed = null;
        var text = id.Trim();
        switch (idColumn.Kind)
        {
            case ColumnKind.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return false;
                typed = n;
                return true;
            case ColumnKind.Uuid:
                if (!Guid.TryParse(text, out var g)) return false;
                typed = g;
                return true;
            default:
                typed = text;
                return text.Length > 0;
        }
    }

    private static string IdText(object? value) => value switch
    {
        null => "",
        Guid g => g.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static DateTimeOffset? ChangeTime(object? value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => null,
    };

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SyncStatus ParseStatus(string text) => text switch
    {
        "synced" => SyncStatus.Synced,
        "pending" => SyncStatus.Pending,
        _ => SyncStatus.Conflict,
    };

    protected static void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}
