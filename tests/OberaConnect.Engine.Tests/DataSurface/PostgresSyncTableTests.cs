using Npgsql;
using OberaConnect.Engine.DataSurface.Postgres;
using OberaConnect.Engine.DataSurface.Sync;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Tests.DataSurface;

/// <summary>
/// Against a REAL PostgreSQL server: .ci/services installs and starts it (127.0.0.1:5432, role and database
/// oberaconnect_test). OBERACONNECT_TEST_POSTGRES overrides the connection string. When no server answers the
/// tests fail, on purpose: CI always provides one.
/// </summary>
public sealed class PostgresSyncTableTests : RelationalSyncContract
{
    public const string EnvironmentVariable = "OBERACONNECT_TEST_POSTGRES";
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=oberaconnect_test;Password=oberaconnect_test;Database=oberaconnect_test;Timeout=5";

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N").Substring(0, 12);
    private readonly SecretRedactor _redactor = new();
    private PostgresSyncTable? _table;

    public static string ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } s ? s : DefaultConnectionString;

    internal static async Task<NpgsqlConnection> OpenTestConnectionAsync(string? searchPath = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (searchPath != null) builder.SearchPath = searchPath;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"No PostgreSQL test server at {builder.Host}:{builder.Port}/{builder.Database} ({ex.GetType().Name}: {ex.Message}). " +
                $"Start it with .ci/services (installs PostgreSQL 15 and the test role) or set {EnvironmentVariable}.", ex);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var c = await OpenTestConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<ISyncTable> CreateTeamTableAsync()
    {
        var s = _schema;
        await ExecuteAsync($@"
CREATE SCHEMA {s};
CREATE TYPE {s}.team_status AS ENUM ('active', 'completed', 'on_hold');
CREATE TABLE {s}.team (id text PRIMARY KEY, name text NOT NULL, status {s}.team_status, notes text, email varchar(200),
    energy_loss numeric(10,2), terms_remaining integer, is_cross_university boolean, founded date,
    created_at timestamptz, updated_at timestamptz, metadata jsonb, tags text[]);
INSERT INTO {s}.team
SELECT 't' || lpad(i::text, 2, '0'), 'Team ' || i, (ARRAY['active','completed','on_hold'])[((i - 1) % 3) + 1]::{s}.team_status,
       'Note number ' || i, 't' || lpad(i::text, 2, '0') || '@example.edu', i * 4 + 0.5, i, i % 2 = 1,
       make_date(2020, 1, i), timestamptz '2026-07-03 09:00:00+00', timestamptz '2026-07-04 09:00:00+00' + make_interval(mins => i),
       '{{""k"": 3}}'::jsonb, ARRAY['a', 'b,c']
FROM generate_series(1, 12) AS i;");
        _table = new PostgresSyncTable(ConnectionString, s + ".team", _redactor);
        return _table;
    }

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var c = await OpenTestConnectionAsync(_schema);
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_table != null) await _table.DisposeAsync();
        try
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }
        catch (InvalidOperationException)
        {
            // No server: the test itself already failed with the clear message.
        }
    }

    [Fact]
    public async Task Enum_labels_become_select_options_and_enum_values_are_written_with_a_cast()
    {
        var schema = await Table.DescribeAsync(CancellationToken.None);
        var status = schema.Require("status", "test");
        Assert.Equal(new[] { "active", "completed", "on_hold" }, status.EnumValues);
        Assert.Equal(ColumnKind.Text, status.Kind);
        Assert.Equal(ColumnKind.Json, schema.Require("metadata", "test").Kind);
        Assert.Equal(ColumnKind.TextArray, schema.Require("tags", "test").Kind);
        Assert.True(schema.Require("id", "test").IsPrimaryKey);

        var mapping = await InferAsync();
        var bad = await Assert.ThrowsAsync<OberaConnectException>(() =>
            Table.WriteRowAsync(mapping, "t01", new Dictionary<string, object?> { ["status"] = "not-a-label" }, Base, CancellationToken.None));
        Assert.Equal("SyncRowWriteFailed", bad.ErrorId);
        Assert.Contains("team_status", bad.Message);
    }

    [Fact]
    public async Task Identity_and_uuid_keys_are_generated_by_the_server()
    {
        await ExecuteAsync($"CREATE TABLE {_schema}.ticket (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, updated_at timestamp);" +
                           $"CREATE TABLE {_schema}.site (id uuid PRIMARY KEY, name text NOT NULL);");
        await using var tickets = new PostgresSyncTable(ConnectionString, _schema + ".ticket");
        var mapping = TableSyncMapping.Infer(await tickets.DescribeAsync(CancellationToken.None), new MappingInferenceOptions { TitleColumn = "title" });
        var when = new DateTimeOffset(2026, 7, 4, 10, 0, 0, 500, TimeSpan.Zero);
        var first = await tickets.WriteRowAsync(mapping, null, new Dictionary<string, object?> { ["title"] = "a" }, when, CancellationToken.None);
        Assert.True(long.Parse(first.Id) > 0);
        Assert.Equal(when, first.ChangedAt);

        await using var sites = new PostgresSyncTable(ConnectionString, _schema + ".site");
        var siteMapping = TableSyncMapping.Infer(await sites.DescribeAsync(CancellationToken.None));
        var site = await sites.WriteRowAsync(siteMapping, null, new Dictionary<string, object?> { ["name"] = "HQ" }, when, CancellationToken.None);
        Assert.True(Guid.TryParse(site.Id, out _));
        Assert.Single(await sites.ReadByIdsAsync(siteMapping, new[] { site.Id, "not-a-uuid" }, CancellationToken.None));
    }

    [Fact]
    public async Task The_password_never_appears_in_descriptions_or_errors()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "Wr0ng-S3cret-Passw0rd" };
        await using var table = new PostgresSyncTable(builder.ConnectionString, _schema + ".team");
        Assert.DoesNotContain("Wr0ng-S3cret-Passw0rd", table.Description);
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => table.DescribeAsync(CancellationToken.None));
        Assert.Equal("PostgresLoginFailed", ex.ErrorId);
        Assert.Equal(FailureKind.Authentication, ex.Kind);
        Assert.DoesNotContain("Wr0ng-S3cret-Passw0rd", ex.ToString());
    }
}
