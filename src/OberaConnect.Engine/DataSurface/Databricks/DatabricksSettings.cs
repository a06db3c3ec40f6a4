using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.DataSurface.Databricks;

/// <summary>
/// Where and how to reach a Databricks SQL warehouse. The token is a secret: it is registered with the
/// <see cref="Security.SecretRedactor"/> by <see cref="DatabricksSqlClient"/> and never printed.
/// </summary>
public sealed class DatabricksSettings
{
    /// <summary>Largest SQL text the Statement Execution API accepts (16 MiB).</summary>
    public const int MaxStatementBytes = 16 * 1024 * 1024;

    /// <summary>Most named parameters one statement may bind (the API answers 400 above 256).</summary>
    public const int MaxParameters = 256;

    /// <summary>Workspace URL, for example https://adb-1234567890123456.7.azuredatabricks.net.</summary>
    public Uri? Host { get; set; }

    /// <summary>
    /// The SQL warehouse id. A warehouse "HTTP path" (<c>/sql/1.0/warehouses/abc123</c>, the predecessor's
    /// DATABRICKS_HTTP_PATH) is accepted too: <see cref="Validate"/> keeps the id.
    /// </summary>
    public string? WarehouseId { get; set; }

    /// <summary>Personal access token or service principal token (secret).</summary>
    public string? Token { get; set; }

    /// <summary>Unity Catalog catalog holding the schema; null uses the warehouse's default catalog.</summary>
    public string? Catalog { get; set; }

    /// <summary>Schema of the bronze tables.</summary>
    public string Schema { get; set; } = "bronze";

    /// <summary>Table of raw pages.</summary>
    public string PagesTable { get; set; } = "notion_raw_pages";

    /// <summary>Table of watermarks, one row per database.</summary>
    public string WatermarksTable { get; set; } = "notion_sync_watermarks";

    /// <summary>How long the warehouse holds a statement call open (0, or 5 to 50 seconds); longer work is polled.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay between polls of a statement still PENDING or RUNNING; grows to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between polls.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one statement may take in all (a cold warehouse can need minutes to start) before it is cancelled.</summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Most pages in one MERGE statement.</summary>
    public int MaxRowsPerStatement { get; set; } = 500;

    /// <summary>Most bytes of page JSON in one MERGE statement (the batch travels as one parameter).</summary>
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Pacing and retries of the REST calls.</summary>
    public HttpResilienceOptions Resilience { get; set; } = new() { RequestsPerSecond = 10, Burst = 10, RequestTimeout = TimeSpan.FromSeconds(90) };

    /// <summary>
    /// Reads the predecessor's variables: DATABRICKS_HOST, DATABRICKS_TOKEN and DATABRICKS_WAREHOUSE_ID or
    /// DATABRICKS_HTTP_PATH (plus optional DATABRICKS_CATALOG, DATABRICKS_SCHEMA).
    /// </summary>
    public static DatabricksSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var get = getVariable ?? Environment.GetEnvironmentVariable;
        var host = get("DATABRICKS_HOST");
        var settings = new DatabricksSettings
        {
            Token = get("DATABRICKS_TOKEN"),
            WarehouseId = get("DATABRICKS_WAREHOUSE_ID") ?? get("DATABRICKS_HTTP_PATH"),
            Catalog = get("DATABRICKS_CATALOG"),
        };
        var schema = get("DATABRICKS_SCHEMA");
        if (!string.IsNullOrWhiteSpace(schema)) settings.Schema = schema!;
        if (!string.IsNullOrWhiteSpace(host))
        {
            var text = host!.Trim();
            if (!text.StartsWith("http", StringComparison.OrdinalIgnoreCase)) text = "https://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
                throw Invalid($"DATABRICKS_HOST '{host}' is not a URL; use the workspace URL, for example https://adb-123.4.azuredatabricks.net.");
            settings.Host = uri;
        }
        return settings;
    }

    /// <summary>Checks every value and normalizes the warehouse id; throws naming the first bad one.</summary>
    public DatabricksSettings Validate()
    {
        if (Host is null || !Host.IsAbsoluteUri)
            throw Invalid("The Databricks workspace URL (Host) is missing; set it in the configuration or DATABRICKS_HOST.");
        if (Host.Scheme != Uri.UriSchemeHttps && !Host.IsLoopback)
            throw Invalid($"The Databricks workspace URL must use https (got {Host.Scheme}://{Host.Host}).");
        if (string.IsNullOrWhiteSpace(Token))
            throw new OberaConnectException("DatabricksTokenMissing", FailureKind.Authentication,
                "No Databricks token was found. Store a personal access token or service principal token in the vault (or DATABRICKS_TOKEN).");
        WarehouseId = NormalizeWarehouseId(WarehouseId);
        if (WaitTimeout != TimeSpan.Zero && (WaitTimeout < TimeSpan.FromSeconds(5) || WaitTimeout > TimeSpan.FromSeconds(50)))
            throw Invalid($"WaitTimeout must be 0 or between 5 and 50 seconds (got {WaitTimeout.TotalSeconds:0.#} s).");
        if (PollInterval <= TimeSpan.Zero || MaxPollInterval < PollInterval)
            throw Invalid("PollInterval must be positive and MaxPollInterval at least PollInterval.");
        if (StatementTimeout < TimeSpan.FromSeconds(10))
            throw Invalid("StatementTimeout must be at least 10 seconds.");
        if (MaxRowsPerStatement < 1 || MaxRowsPerStatement > 10000)
            throw Invalid($"MaxRowsPerStatement must be between 1 and 10000 (got {MaxRowsPerStatement}).");
        if (MaxBatchBytes < 64 * 1024 || MaxBatchBytes > MaxStatementBytes - 64 * 1024)
            throw Invalid($"MaxBatchBytes must be between 64 KiB and {(MaxStatementBytes - 64 * 1024) / 1024} KiB (got {MaxBatchBytes / 1024} KiB).");
        DatabricksSql.QuoteIdentifier(Schema, "Schema");
        DatabricksSql.QuoteIdentifier(PagesTable, "PagesTable");
        DatabricksSql.QuoteIdentifier(WatermarksTable, "WatermarksTable");
        if (Catalog != null) DatabricksSql.QuoteIdentifier(Catalog, "Catalog");
        Resilience.Validate("Databricks");
        return this;
    }

    internal static string NormalizeWarehouseId(string? value)
    {
        var text = value?.Trim().TrimEnd('/') ?? "";
        var slash = text.LastIndexOf('/');
        if (slash >= 0) text = text.Substring(slash + 1);
        if (text.Length == 0 || text.Length > 64)
            throw Invalid("The SQL warehouse id is missing; copy it from the warehouse's Connection details (HTTP path /sql/1.0/warehouses/<id>).");
        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_'))
                throw Invalid($"'{value}' is not a SQL warehouse id or HTTP path.");
        }
        return text;
    }

    private static OberaConnectException Invalid(string message) => new("DatabricksSettingInvalid", FailureKind.Configuration, message);
}
