namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>
/// Where the export keeps Notion pages (the bronze layer) and, beside them, the watermark of each database:
/// the highest <c>last_edited_time</c> exported, from which the next incremental run continues.
/// Implementations: <see cref="SqliteExportStore"/> (embedded, the default) and
/// <see cref="DatabricksExportStore"/> (Delta tables through the SQL Statement Execution API).
/// </summary>
public interface INotionExportStore
{
    /// <summary>What and where, for messages (never a secret), for example "SQLite C:\data\notion.db".</summary>
    string Description { get; }

    /// <summary>Creates the schema and tables when missing. Safe to call on every run.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts new pages and updates changed ones, keyed by (page_id, database_id). A page whose raw JSON
    /// and trash flag equal the stored row is left alone and counted as unchanged, so re-running the
    /// same batch changes nothing. Duplicate keys in one batch: the last one wins.
    /// </summary>
    Task<ExportBatchResult> UpsertPagesAsync(IReadOnlyList<NotionPageRecord> pages, CancellationToken cancellationToken);

    /// <summary>The watermark of a database, or null when it was never exported.</summary>
    Task<DateTimeOffset?> GetWatermarkAsync(string databaseId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the watermark of a database forward to <paramref name="lastEditedTime"/>. It never moves
    /// back: an older value leaves it as it is.
    /// </summary>
    Task AdvanceWatermarkAsync(string databaseId, string databaseName, DateTimeOffset lastEditedTime, CancellationToken cancellationToken);
}

/// <summary>What one upsert did.</summary>
public readonly record struct ExportBatchResult(int Inserted, int Updated, int Unchanged)
{
    public int Total => Inserted + Updated + Unchanged;

    public static ExportBatchResult operator +(ExportBatchResult a, ExportBatchResult b)
        => new(a.Inserted + b.Inserted, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}

/// <summary>Timestamps as the stores write them: UTC, fixed width, so text order is time order.</summary>
internal static class StoreTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value)
        => value.ToUniversalTime().ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text)
        => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    /// <summary>Keeps the last record of each (page_id, database_id), in first-seen order.</summary>
    public static List<NotionPageRecord> LastPerKey(IReadOnlyList<NotionPageRecord> pages)
    {
        var index = new Dictionary<(string, string), int>();
        var result = new List<NotionPageRecord>(pages.Count);
        foreach (var page in pages)
        {
            if (page is null) throw new ArgumentException("The batch contains a null page.", nameof(pages));
            var key = (page.PageId, page.DatabaseId);
            if (index.TryGetValue(key, out var at)) result[at] = page;
            else
            {
                index[key] = result.Count;
                result.Add(page);
            }
        }
        return result;
    }
}

/// <summary>Where an export store is: what Initialize-NotionExportStore reports.</summary>
public sealed class ExportStoreInfo
{
    /// <summary>Sqlite or Databricks.</summary>
    public string Store { get; set; } = "";

    /// <summary>The file, or the Databricks workspace and table (never a secret).</summary>
    public string Location { get; set; } = "";

    /// <summary>The tables the export writes.</summary>
    public IReadOnlyList<string> Tables { get => _tables; set => _tables = NameList.From(value); }

    private IReadOnlyList<string> _tables = NameList.Empty;

    public static ExportStoreInfo Of(INotionExportStore store) => store switch
    {
        SqliteExportStore sqlite => new ExportStoreInfo { Store = "Sqlite", Location = sqlite.Path, Tables = new[] { "notion_raw_pages", "notion_sync_watermarks" } },
        DatabricksExportStore databricks => new ExportStoreInfo
        {
            Store = "Databricks",
            Location = databricks.Client.Settings.Host!.GetLeftPart(UriPartial.Authority) + " warehouse " + databricks.Client.Settings.WarehouseId,
            Tables = new[] { databricks.PagesTable, databricks.WatermarksTable },
        },
        _ => new ExportStoreInfo { Store = store.GetType().Name, Location = store.Description },
    };

    public override string ToString() => $"{Store} {Location}";
}
