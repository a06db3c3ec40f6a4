using System.Data.Common;
using System.Globalization;
using Npgsql;
using OberaConnect.Engine.DataSurface.Sync;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.DataSurface.Postgres;

/// <summary>
/// A PostgreSQL table as the relational side of the two-way sync (the predecessor's "source of truth").
/// Kinds come from the catalog: text types, integers, numeric/float, boolean, date, timestamp(tz), json(b),
/// uuid, text arrays, and enum types (whose labels become select options). The sync's state tables are
/// created in the synced table's schema. The connection string's password is registered with the
/// <see cref="SecretRedactor"/> and never appears in messages.
/// </summary>
public sealed class PostgresSyncTable : DbSyncTable, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SecretRedactor _redactor;
    private readonly string _schemaName;
    private readonly string _tableName;
    private readonly string _where;

    /// <param name="connectionString">Npgsql connection string (Host, Port, Database, Username, Password, SSL Mode...).</param>
    /// <param name="table">The table, optionally schema-qualified (<c>public.team</c>); unqualified means <c>public</c>.</param>
    /// <param name="redactor">Masks the password in messages.</param>
    public PostgresSyncTable(string connectionString, string table, SecretRedactor? redactor = null) : base(table)
    {
        _redactor = redactor ?? new SecretRedactor();
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message of a bad connection string can quote it: never pass it on.
            throw new OberaConnectException("PostgresConnectionStringInvalid", FailureKind.Configuration,
                "The PostgreSQL connection string is not valid (" + ex.GetType().Name + "). Use Host=...;Port=5432;Database=...;Username=...;Password=...");
        }
        _redactor.Register(builder.Password);
        _where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var parts = Table.Split('.');
        if (parts.Length > 2 || parts.Any(p => p.Trim().Length == 0))
            throw new OberaConnectException("SyncTableInvalid", FailureKind.Configuration, $"'{Table}' is not a table name; use table or schema.table.");
        _schemaName = parts.Length == 2 ? parts[0].Trim() : "public";
        _tableName = parts[parts.Length - 1].Trim();
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Description => $"PostgreSQL {_where} {_schemaName}.{_tableName}";

    protected override string QuotedTable => Quote(_schemaName) + "." + Quote(_tableName);

    protected override string QuotedStateTable(string name) => Quote(_schemaName) + "." + Quote(name);

    protected override string StateTimeType => "timestamptz";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            var auth = ex is PostgresException pg && (pg.SqlState == "28P01" || pg.SqlState == "28000");
            throw new OberaConnectException(auth ? "PostgresLoginFailed" : "PostgresUnavailable",
                auth ? FailureKind.Authentication : FailureKind.ServiceUnavailable,
                $"Could not connect to PostgreSQL {_where}: {_redactor.Redact(ex.Message)} " +
                (auth ? "Check the user name and password." : "Check that the server runs and accepts connections from this machine."), ex);
        }
    }

    protected override async Task<RelationalTableSchema> ReadSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var columns = new List<RelationalColumn>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = @"
SELECT a.attname,
       format_type(a.atttypid, a.atttypmod),
       t.typname, t.typtype, t.typcategory,
       et.typname,
       NOT a.attnotnull,
       a.atthasdef OR a.attidentity <> '',
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)),
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
       tn.nspname
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum";
        AddParameter(cmd, "@table", QuotedTable);
        using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var typname = reader.GetString(2);
            var typtype = reader.GetChar(3);
            var category = reader.GetChar(4);
            var element = reader.IsDBNull(5) ? null : reader.GetString(5);
            var labels = reader.IsDBNull(9) ? null : (string[])reader.GetValue(9);
            var kind = typtype == 'e' ? ColumnKind.Text : KindOf(typname, category, element);
            // Enum columns need a cast on write; keep the qualified type name as the store type.
            var storeType = typtype == 'e' ? Quote(reader.GetString(10)) + "." + Quote(typname) : reader.GetString(1);
            columns.Add(new RelationalColumn(reader.GetString(0), kind, storeType, reader.GetBoolean(6), reader.GetBoolean(8), labels, reader.GetBoolean(7)));
        }
        return new RelationalTableSchema(Table, columns);
    }

    internal static ColumnKind KindOf(string typname, char category, string? element)
    {
        if (category == 'A')
            return element is "text" or "varchar" or "bpchar" or "citext" ? ColumnKind.TextArray : ColumnKind.Other;
        return typname switch
        {
            "text" or "varchar" or "bpchar" or "citext" or "name" => ColumnKind.Text,
            "int2" or "int4" or "int8" => ColumnKind.Integer,
            "numeric" or "float4" or "float8" => ColumnKind.Decimal,
            "bool" => ColumnKind.Boolean,
            "date" => ColumnKind.Date,
            "timestamp" or "timestamptz" => ColumnKind.Timestamp,
            "json" or "jsonb" => ColumnKind.Json,
            "uuid" => ColumnKind.Uuid,
            _ => ColumnKind.Other,
        };
    }

    private static bool IsEnum(RelationalColumn column) => column.EnumValues != null;

    private static bool WithTimeZone(RelationalColumn column) => column.StoreType.StartsWith("timestamp with time zone", StringComparison.Ordinal);

    protected override string ValueSql(RelationalColumn column, string parameter)
    {
        if (IsEnum(column)) return parameter + "::" + column.StoreType;
        if (column.Kind == ColumnKind.Json) return parameter + "::" + (column.StoreType == "jsonb" ? "jsonb" : "json");
        return parameter;
    }

    protected override object ToDbValue(RelationalColumn column, object? value)
    {
        if (value is null) return DBNull.Value;
        switch (column.Kind)
        {
            case ColumnKind.Timestamp:
                var utc = value switch
                {
                    DateTimeOffset dto => dto.UtcDateTime,
                    DateTime dt => dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc),
                    _ => DateTimeOffset.Parse(value.ToString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime,
                };
                // Npgsql sends UTC DateTimes as timestamptz and Unspecified ones as timestamp; plain timestamps hold UTC wall time.
                return WithTimeZone(column) ? utc : DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
            case ColumnKind.Date:
                return value switch
                {
                    DateTime dt => DateOnly.FromDateTime(dt),
                    DateTimeOffset dto => DateOnly.FromDateTime(dto.UtcDateTime),
                    _ => DateOnly.Parse(value.ToString()!, CultureInfo.InvariantCulture),
                };
            case ColumnKind.Integer:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ColumnKind.Decimal:
                return Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            case ColumnKind.Boolean:
                return Convert.ToBoolean(value, CultureInfo.InvariantCulture);
            case ColumnKind.Uuid:
                return value is Guid g ? g : Guid.Parse(value.ToString()!);
            case ColumnKind.TextArray:
                return value is IEnumerable<string> items ? items.ToArray() : new[] { value.ToString()! };
            default:
                return value is string ? value : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }
    }

    protected override object? FromDbValue(RelationalColumn column, object? value)
    {
        if (value is null || value is DBNull) return column.Kind == ColumnKind.TextArray ? Array.Empty<string>() : null;
        switch (column.Kind)
        {
            case ColumnKind.Timestamp:
                return value is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : value;
            case ColumnKind.Date:
                return value switch
                {
                    DateTime d => d.Date,
                    DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                    _ => value,
                };
            case ColumnKind.Integer:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ColumnKind.Decimal:
                return Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            case ColumnKind.TextArray:
                return value as string[] ?? Array.Empty<string>();
            case ColumnKind.Uuid:
                return value is Guid g ? g.ToString() : value.ToString();
            case ColumnKind.Boolean:
                return value;
            default:
                return value is string ? value : Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    protected override object StateTimeToDb(DateTimeOffset? value) => value is { } v ? v.UtcDateTime : DBNull.Value;

    protected override DateTimeOffset? StateTimeFromDb(object? value)
        => value is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : null;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
