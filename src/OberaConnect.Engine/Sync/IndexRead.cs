namespace OberaConnect.Engine.Sync;

/// <summary>
/// How a run reads the pages of its database before planning (<see cref="UpsertSession.OpenAsync(SyncRun, SyncTable, IndexRead, CancellationToken)"/>):
/// every page (one query per 100 pages), or only the pages of the input's keys (an "or" of key conditions, up to
/// <see cref="Notion.NotionLimits.CompoundFilterItems"/> per query: <see cref="SyncTable.KeyFilters"/>). Both give the same
/// plans for the input's records, duplicates of a key included (the key's filter returns every page holding it; a site
/// name its filter misses, as one in Unicode compatibility forms, is looked for in every page before it is created); only a
/// whole read knows the pages no record names (devices gone from the source, cleared alerts: <see cref="UpsertSession.Unplanned"/>).
/// </summary>
public sealed class IndexRead
{
    /// <summary>Records a run buffers before it decides: an input this small is read by its keys, a larger one reads every page.</summary>
    public const int DefaultKeyLimit = 100;

    private IndexRead(IReadOnlyList<string>? keys, string reason)
    {
        Keys = keys;
        Reason = reason;
    }

    /// <summary>The keys to read, or null for every page.</summary>
    public IReadOnlyList<string>? Keys { get; }

    /// <summary>True when every page is read.</summary>
    public bool Whole => Keys is null;

    /// <summary>Why this read was chosen, for -Verbose ("the input has 1 record(s), at most 100 are read by their keys").</summary>
    public string Reason { get; }

    /// <summary>Every page, for <paramref name="reason"/>.</summary>
    public static IndexRead Every(string reason) => new(null, reason);

    /// <summary>Only the pages of <paramref name="keys"/>.</summary>
    public static IndexRead ByKeys(IEnumerable<string> keys, string reason) => new(keys.ToList(), reason);

    /// <summary>
    /// The read for an input that ended with <paramref name="records"/> (all of it): by their keys when there are at most
    /// <paramref name="keyLimit"/>, else every page. <paramref name="mustSeeEveryPage"/> (a reason) forces a whole read.
    /// Records that cannot be written (refused input, no key) need no page.
    /// </summary>
    public static IndexRead For(IReadOnlyCollection<DesiredRecord> records, string? mustSeeEveryPage, int keyLimit = DefaultKeyLimit)
    {
        if (mustSeeEveryPage != null) return Every(mustSeeEveryPage);
        if (keyLimit <= 0) return Every("notion.keyReadLimit is 0: no input is read by its keys");
        if (records.Count > keyLimit)
            return Every($"the input has more than {keyLimit} record(s); smaller inputs are read by their keys");
        var keys = records.Where(r => r.Problem is null && !string.IsNullOrWhiteSpace(r.Key)).Select(r => r.Key).ToList();
        return ByKeys(keys, $"the input has {records.Count} record(s), at most {keyLimit} are read by their keys");
    }

    /// <summary>
    /// Reads up to <paramref name="keyLimit"/> + 1 records of <paramref name="input"/> to choose the read as a cmdlet does
    /// (<see cref="For"/>), and gives back the whole input, the records read ahead first (for hosts without a pipeline).
    /// </summary>
    public static IndexRead ForInput(IEnumerable<DesiredRecord> input, string? mustSeeEveryPage, out IEnumerable<DesiredRecord> all, int keyLimit = DefaultKeyLimit)
    {
        var enumerator = input.GetEnumerator();
        var ahead = new List<DesiredRecord>();
        var more = true;
        while (ahead.Count <= keyLimit && (more = enumerator.MoveNext())) ahead.Add(enumerator.Current);
        all = ahead.Concat(Rest(enumerator, more));
        return For(ahead, mustSeeEveryPage, keyLimit);
    }

    private static IEnumerable<DesiredRecord> Rest(IEnumerator<DesiredRecord> enumerator, bool more)
    {
        using (enumerator)
            while (more && enumerator.MoveNext()) yield return enumerator.Current;
    }

    /// <summary>
    /// This read, or a whole read when that is cheaper or the only one possible: when <paramref name="knownPages"/> (the pages of
    /// the last whole read, <see cref="State.IndexSizes"/>) take fewer queries than the input's keys (<see cref="SyncTable.KeyFilters"/>),
    /// or when the keys cannot be combined with the table's scope within Notion's two levels of nesting.
    /// </summary>
    public IndexRead Cheaper(SyncTable table, int? knownPages)
    {
        if (Whole) return this;
        int keyQueries;
        try
        {
            keyQueries = table.KeyFilters(Keys!, scope: table.Scope).Count;
        }
        catch (Notion.NotionInputException)
        {
            return Every($"the input's keys cannot be combined with the part of {table.Title} this run reads in one filter");
        }
        if (knownPages is not { } pages || table.Scope != null) return this;
        var wholeQueries = Math.Max(1, (pages + 99) / 100);
        return wholeQueries < keyQueries
            ? Every($"{table.Title} held {pages} page(s) at its last whole read: reading them all takes {wholeQueries} quer{(wholeQueries == 1 ? "y" : "ies")}, fewer than the {keyQueries} the input's {Keys!.Count} key(s) take")
            : this;
    }

    public override string ToString() => Whole ? "every page" : $"the {Keys!.Count} key(s) of the input";
}
