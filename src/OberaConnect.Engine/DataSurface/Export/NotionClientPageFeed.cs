using System.Runtime.CompilerServices;
using OberaConnect.Engine.DataSurface.Sync;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.DataSurface.Export;

/// <summary>
/// The export's pages, read with <see cref="NotionClient.QueryAsync"/> (streamed, windowed past the
/// 10,000-row cap, paced and retried by the client).
/// <list type="bullet">
/// <item>Incremental: pages edited on or after the watermark's minute minus <see cref="Overlap"/>. Notion cuts
/// last_edited_time to the minute, so pages edited later in the watermark's own minute must be read again, and
/// its query index can lag an edit by a little; the margin covers both. Pages read again are stored unchanged.</item>
/// <item>Full refresh (no watermark): every page.</item>
/// <item>Then the trash (<see cref="NotionQuery.InTrash"/>), whole: trashed pages are kept and marked
/// (in_trash) for audit. Notion does not say whether trashing a page moves its last_edited_time, so the trash is
/// not filtered by it; Notion empties it after 30 days, which keeps it small.</item>
/// </list>
/// No sorts are sent: the client's own created_time order is what lets it read past the cap, and the export
/// does not need any order (it advances the watermark only after the whole database was read).
/// </summary>
public sealed class NotionClientPageFeed : INotionPageFeed
{
    /// <summary>The margin when none is configured (export.overlapMinutes).</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(2);

    private readonly NotionClient _client;

    public NotionClientPageFeed(NotionClient client, TimeSpan? overlap = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        Overlap = overlap ?? DefaultOverlap;
        if (Overlap < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(overlap), "The overlap cannot be negative.");
    }

    /// <summary>How far before the watermark's minute an incremental read starts.</summary>
    public TimeSpan Overlap { get; }

    /// <summary>Also read the trash (default true).</summary>
    public bool IncludeTrashed { get; set; } = true;

    /// <summary>Where an incremental read of <paramref name="watermark"/> starts: its minute, minus the overlap.</summary>
    public DateTimeOffset ReadFrom(DateTimeOffset watermark) => SyncDecider.FloorToMinute(watermark) - Overlap;

    public async IAsyncEnumerable<string> ReadPagesAsync(ExportSource source, DateTimeOffset? editedOnOrAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        var dataSourceId = source.DataSourceId
                           ?? await _client.ResolveDataSourceIdAsync(source.DatabaseId, cancellationToken).ConfigureAwait(false);

        var live = new NotionQuery();
        if (editedOnOrAfter is { } since) live.Filter = NotionFilter.LastEditedTime.OnOrAfter(ReadFrom(since));
        await foreach (var page in _client.QueryAsync(dataSourceId, live, cancellationToken).ConfigureAwait(false))
            yield return page.RawJson;

        if (!IncludeTrashed) yield break;
        await foreach (var page in _client.QueryAsync(dataSourceId, new NotionQuery { InTrash = true }, cancellationToken).ConfigureAwait(false))
            yield return page.RawJson;
    }
}
