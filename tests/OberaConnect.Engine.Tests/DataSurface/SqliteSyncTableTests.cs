using System.Globalization;
using Microsoft.Data.Sqlite;
using OberaConnect.Engine.DataSurface.Sync;

namespace OberaConnect.Engine.Tests.DataSurface;

public sealed class SqliteSyncTableTests : RelationalSyncContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "oc-sync-" + Guid.NewGuid().ToString("N") + ".db");

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        c.Open();
        return c;
    }

    protected override Task<ISyncTable> CreateTeamTableAsync()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = @"CREATE TABLE team (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT, notes TEXT, email TEXT,
            energy_loss NUMERIC, terms_remaining INTEGER, is_cross_university BOOLEAN, founded DATE,
            created_at TIMESTAMP, updated_at TIMESTAMP, metadata JSON, tags TEXT_ARRAY)";
        cmd.ExecuteNonQuery();
        for (var i = 1; i <= 12; i++)
        {
            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT INTO team VALUES ($id, $name, $status, $notes, $email, $loss, $terms, $cross, $founded, $created, $updated, $meta, $tags)";
            insert.Parameters.AddWithValue("$id", $"t{i:00}");
            insert.Parameters.AddWithValue("$name", $"Team {i}");
            insert.Parameters.AddWithValue("$status", Statuses[(i - 1) % 3]);
            insert.Parameters.AddWithValue("$notes", $"Note number {i}");
            insert.Parameters.AddWithValue("$email", $"t{i:00}@example.edu");
            insert.Parameters.AddWithValue("$loss", i * 4 + 0.5);
            insert.Parameters.AddWithValue("$terms", i);
            insert.Parameters.AddWithValue("$cross", i % 2);
            insert.Parameters.AddWithValue("$founded", $"2020-01-{i:00}");
            insert.Parameters.AddWithValue("$created", "2026-07-03T09:00:00.000Z");
            // Half the rows carry the application's own timestamp format: reads must compare times, not text.
            var updated = Base.AddMinutes(i);
            insert.Parameters.AddWithValue("$updated", i <= 6
                ? updated.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$meta", "{\"k\": 3}");
            insert.Parameters.AddWithValue("$tags", "[\"a\",\"b,c\"]");
            insert.ExecuteNonQuery();
        }
        return Task.FromResult<ISyncTable>(new SqliteSyncTable(_path, "team"));
    }

    protected override Task<object?> ScalarAsync(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Task.FromResult(cmd.ExecuteScalar());
    }

    public override Task DisposeAsync()
    {
        if (File.Exists(_path)) File.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_integer_rowid_key_is_assigned_by_sqlite_for_new_pages()
    {
        using (var c = Open())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "CREATE TABLE ticket (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at DATETIME)";
            cmd.ExecuteNonQuery();
        }
        var table = new SqliteSyncTable(_path, "ticket");
        var mapping = TableSyncMapping.Infer(await table.DescribeAsync(CancellationToken.None), new MappingInferenceOptions { TitleColumn = "title" });
        var first = await table.WriteRowAsync(mapping, null, new Dictionary<string, object?> { ["title"] = "a" }, Base, CancellationToken.None);
        var second = await table.WriteRowAsync(mapping, null, new Dictionary<string, object?> { ["title"] = "b" }, Base, CancellationToken.None);
        Assert.Equal("1", first.Id);
        Assert.Equal("2", second.Id);
        var bad = await Assert.ThrowsAsync<OberaConnectException>(() => table.WriteRowAsync(mapping, "x1", new Dictionary<string, object?> { ["title"] = "c" }, Base, CancellationToken.None));
        Assert.Equal("SyncRecordIdInvalid", bad.ErrorId);
    }

    [Fact]
    public async Task A_missing_database_or_table_is_reported_by_name()
    {
        var missingFile = new SqliteSyncTable(_path + ".nope", "team");
        Assert.Equal("SyncDatabaseNotFound", (await Assert.ThrowsAsync<OberaConnectException>(() => missingFile.DescribeAsync(CancellationToken.None))).ErrorId);
        var missingTable = new SqliteSyncTable(_path, "nope");
        var ex = await Assert.ThrowsAsync<OberaConnectException>(() => missingTable.DescribeAsync(CancellationToken.None));
        Assert.Equal("SyncTableNotFound", ex.ErrorId);
        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public async Task A_folder_or_a_bad_path_as_the_database_is_a_setup_error_naming_it()
    {
        var folder = _path + ".folder";
        Directory.CreateDirectory(folder);
        try
        {
            // File.Exists says no for a folder: reported as not found, by its path.
            var asFolder = await Assert.ThrowsAsync<OberaConnectException>(() => new SqliteSyncTable(folder, "team").DescribeAsync(CancellationToken.None));
            Assert.Equal("SyncDatabaseNotFound", asFolder.ErrorId);
            Assert.Contains(folder, asFolder.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
        var text = _path + ".txt";
        File.WriteAllText(text, "these are notes, not a SQLite database, and long enough to have a header of sorts............................");
        var notSqlite = await Assert.ThrowsAsync<OberaConnectException>(() => new SqliteSyncTable(text, "team").DescribeAsync(CancellationToken.None));
        Assert.Equal("SyncDatabaseUnusable", notSqlite.ErrorId);
        Assert.Contains(text, notSqlite.Message);
        File.Delete(text);
        var bad = Assert.Throws<OberaConnectException>(() => new SqliteSyncTable("bad\0path", "team"));
        Assert.Equal("SyncDatabaseUnusable", bad.ErrorId);
        Assert.Equal(FailureKind.Configuration, bad.Kind);
        Assert.Contains("-ConnectionString must name a SQLite database file", bad.Message);
    }
}
