using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>
/// Opens the relational side of a two-way sync by provider name. SQLite lives in the engine; PostgreSQL lives in
/// OberaConnect.Engine.PostgreSql (net8.0, Npgsql), which this netstandard2.0 engine cannot reference: it is loaded
/// by name, from the module's Dependencies folder, and only on .NET 8 or later (PowerShell 7.4+).
/// </summary>
public static class SyncTables
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    /// <summary>The providers, as -Provider takes them.</summary>
    public static readonly IReadOnlyList<string> Providers = new[] { Sqlite, PostgreSql };

    internal const string PostgreSqlAssembly = "OberaConnect.Engine.PostgreSql";
    internal const string PostgreSqlType = "OberaConnect.Engine.DataSurface.Postgres.PostgresSyncTable";

    /// <summary>
    /// The SQLite file a connection string names: "Data Source=C:\data\app.db" (any Microsoft.Data.Sqlite form)
    /// or just the path. The caller resolves a relative path against its own current directory.
    /// </summary>
    public static string SqlitePath(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new OberaConnectException("SyncConnectionStringMissing", FailureKind.Configuration, "Give the SQLite database as a path or as \"Data Source=<path>\".");
        var text = connectionString.Trim();
        if (text.IndexOf('=') < 0) return text;
        try
        {
            var source = new SqliteConnectionStringBuilder(text).DataSource;
            if (!string.IsNullOrWhiteSpace(source)) return source;
        }
        catch (ArgumentException)
        {
            // Not a connection string after all (a path with '=' in it): fall through.
        }
        if (File.Exists(text)) return text;
        throw new OberaConnectException("SyncConnectionStringInvalid", FailureKind.Configuration,
            "The SQLite connection string names no file; use \"Data Source=<path>\" or just the path.");
    }

    /// <summary>
    /// The sync table for <paramref name="provider"/> (Sqlite or PostgreSql). For SQLite
    /// <paramref name="connectionString"/> is resolved to a full path by the caller; for PostgreSQL it is an Npgsql
    /// connection string whose password is registered with <paramref name="redactor"/>. Dispose the result when it is
    /// <see cref="IDisposable"/>.
    /// </summary>
    public static ISyncTable Open(string provider, string connectionString, string table, SecretRedactor? redactor = null)
    {
        var name = Providers.FirstOrDefault(p => string.Equals(p, provider?.Trim(), StringComparison.OrdinalIgnoreCase))
                   ?? throw new OberaConnectException("SyncProviderUnknown", FailureKind.InvalidInput, $"'{provider}' is not a sync provider; use {string.Join(" or ", Providers)}.");
        if (name == Sqlite) return new SqliteSyncTable(SqlitePath(connectionString), table);
        return OpenPostgreSql(connectionString, table, redactor ?? new SecretRedactor());
    }

    private static ISyncTable OpenPostgreSql(string connectionString, string table, SecretRedactor redactor)
    {
        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
            throw new OberaConnectException("PostgreSqlNeedsPowerShell7", FailureKind.Configuration,
                "Syncing a PostgreSQL table needs PowerShell 7.4 or later: its driver (Npgsql) runs on .NET 8 and later only. " +
                "Run the command from pwsh, or sync a SQLite table (-Provider Sqlite), which Windows PowerShell 5.1 can do.");
        Assembly assembly;
        try
        {
            // Loaded into the engine's own load context, from the module's Dependencies folder.
            assembly = Assembly.Load(new AssemblyName(PostgreSqlAssembly));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new OberaConnectException("PostgreSqlProviderMissing", FailureKind.Configuration,
                $"The PostgreSQL provider ({PostgreSqlAssembly}.dll) could not be loaded: {ex.Message} Reinstall the module; it ships in its Dependencies folder.", ex);
        }
        var type = assembly.GetType(PostgreSqlType, throwOnError: true)!;
        try
        {
            return (ISyncTable)Activator.CreateInstance(type, connectionString, table, redactor)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is OberaConnectException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw; // not reached
        }
    }
}
