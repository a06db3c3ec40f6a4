namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>What a column holds, whatever the database calls its type.</summary>
public enum ColumnKind
{
    Text,
    Integer,
    Decimal,
    Boolean,
    Date,
    Timestamp,
    Json,
    TextArray,
    Uuid,
    /// <summary>A type the sync does not know (binary, geometry, ...): copied to Notion as text at most.</summary>
    Other,
}

/// <summary>One column as the database describes it.</summary>
/// <param name="Name">Column name as stored.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="StoreType">The database's own type name (timestamptz, jsonb, team_status, TEXT, ...).</param>
/// <param name="IsNullable">Whether NULL is allowed.</param>
/// <param name="IsPrimaryKey">Part of the primary key.</param>
/// <param name="EnumValues">Labels of a PostgreSQL enum type, which become select options.</param>
/// <param name="HasDefault">The database fills it when an insert leaves it out (serial ids, defaults).</param>
public sealed record RelationalColumn(
    string Name,
    ColumnKind Kind,
    string StoreType,
    bool IsNullable = true,
    bool IsPrimaryKey = false,
    IReadOnlyList<string>? EnumValues = null,
    bool HasDefault = false);

/// <summary>A table's columns, in table order.</summary>
public sealed class RelationalTableSchema
{
    public RelationalTableSchema(string table, IReadOnlyList<RelationalColumn> columns)
    {
        Table = table;
        Columns = columns;
    }

    /// <summary>The table name as configured (may be schema-qualified, for example <c>public.team</c>).</summary>
    public string Table { get; }

    public IReadOnlyList<RelationalColumn> Columns { get; }

    public RelationalColumn? Find(string name)
    {
        foreach (var c in Columns)
            if (string.Equals(c.Name, name, StringComparison.Ordinal)) return c;
        foreach (var c in Columns)
            if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) return c;
        return null;
    }

    public RelationalColumn Require(string name, string role)
        => Find(name) ?? throw new OberaConnectException("SyncColumnNotFound", FailureKind.Configuration,
            $"Table {Table} has no column '{name}' (the {role}). Columns: {string.Join(", ", Columns.Select(c => c.Name))}.");
}

/// <summary>How varied a text column's values are, to decide between select and rich_text.</summary>
/// <param name="Column">Column name.</param>
/// <param name="NonNullCount">Rows where it is not NULL.</param>
/// <param name="DistinctValues">Its distinct values when there are at most the asked maximum, else null.</param>
public sealed record TextColumnProfile(string Column, long NonNullCount, IReadOnlyList<string>? DistinctValues);

/// <summary>One row: its id as text, its change time, and the values of the mapped columns (neutral CLR values).</summary>
/// <remarks>
/// Values are: string, long, decimal, double, bool, DateTime (date columns, Kind Unspecified),
/// DateTimeOffset (timestamps), string[] (arrays), string (JSON as text, UUID as text), or null.
/// </remarks>
public sealed class RelationalRow
{
    public RelationalRow(string id, DateTimeOffset? changedAt, IReadOnlyDictionary<string, object?> values)
    {
        Id = id;
        ChangedAt = changedAt;
        Values = values;
    }

    public string Id { get; }
    public DateTimeOffset? ChangedAt { get; }
    public IReadOnlyDictionary<string, object?> Values { get; }

    public object? this[string column] => Values.TryGetValue(column, out var v) ? v : null;
}

/// <summary>What a row write did.</summary>
/// <param name="Id">The row id (new when the database generated it).</param>
/// <param name="Inserted">True for a new row, false for an update.</param>
/// <param name="ChangedAt">The row's change column after the write, as stored (so the next run sees its own write as seen).</param>
public readonly record struct RowWriteResult(string Id, bool Inserted, DateTimeOffset? ChangedAt);

/// <summary>Sync bookkeeping of one record, kept in our own state table beside the synced table.</summary>
public sealed record SyncRecordState(
    string RecordId,
    string? PageId,
    SyncStatus Status,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? RowChangedAt,
    DateTimeOffset? PageEditedAt,
    string? RowHash,
    string? PageHash,
    string? Message = null);

/// <summary>Table-level bookkeeping: when the last run finished and the highest row change time it read.</summary>
public sealed record SyncTableState(string TableKey, DateTimeOffset? LastSyncedAt, DateTimeOffset? RowWatermark, DateTimeOffset? PageWatermark);

/// <summary>
/// The relational side of a two-way sync: one table keyed by an id column, read by change time, written
/// with values pulled from Notion, plus the sync's own state tables in the same database.
/// Implementations: <see cref="SqliteSyncTable"/> (engine) and PostgresSyncTable
/// (OberaConnect.Engine.PostgreSql, PowerShell 7.4+ only).
/// </summary>
public interface ISyncTable
{
    /// <summary>For messages (never a secret), for example "PostgreSQL db.example.com/frames public.team".</summary>
    string Description { get; }

    /// <summary>The configured table name (the key of its state rows).</summary>
    string Table { get; }

    /// <summary>Columns, types, primary key and enum labels.</summary>
    Task<RelationalTableSchema> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Distinct values of text columns, up to <paramref name="maxDistinct"/> each (null past it).</summary>
    Task<IReadOnlyDictionary<string, TextColumnProfile>> ProfileTextColumnsAsync(IReadOnlyCollection<string> columns, int maxDistinct, CancellationToken cancellationToken);

    /// <summary>
    /// Rows whose change column is at or after <paramref name="since"/> (every row when null), oldest change
    /// first. "At or after": a row changed in the same instant as the last read must be read again.
    /// </summary>
    Task<IReadOnlyList<RelationalRow>> ReadChangedSinceAsync(TableSyncMapping mapping, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>The rows with these ids (missing ids are simply absent).</summary>
    Task<IReadOnlyList<RelationalRow>> ReadByIdsAsync(TableSyncMapping mapping, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Writes values pulled from Notion: updates row <paramref name="id"/>, or inserts it when missing; a null
    /// id inserts a new row and lets the database (or a new GUID for text keys) choose the id. Only columns
    /// in <paramref name="values"/> are written; the change column is set to <paramref name="changedAt"/>.
    /// </summary>
    Task<RowWriteResult> WriteRowAsync(TableSyncMapping mapping, string? id, IReadOnlyDictionary<string, object?> values, DateTimeOffset changedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes row <paramref name="id"/> (a record whose page was trashed, settled with -ConflictAction PreferNotion
    /// -AllowDelete). Returns false when there was no such row.
    /// </summary>
    Task<bool> DeleteRowAsync(TableSyncMapping mapping, string id, CancellationToken cancellationToken);

    /// <summary>Creates the state tables when missing.</summary>
    Task InitializeStateAsync(CancellationToken cancellationToken);

    /// <summary>True when the state tables exist (a first sync, or -WhatIf before one, finds none and writes nothing).</summary>
    Task<bool> StateExistsAsync(CancellationToken cancellationToken);

    Task<SyncTableState?> GetTableStateAsync(CancellationToken cancellationToken);

    Task SaveTableStateAsync(SyncTableState state, CancellationToken cancellationToken);

    /// <summary>Every record state of this table, by record id.</summary>
    Task<IReadOnlyDictionary<string, SyncRecordState>> GetRecordStatesAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces record states, in one transaction.</summary>
    Task SaveRecordStatesAsync(IReadOnlyCollection<SyncRecordState> states, CancellationToken cancellationToken);
}
