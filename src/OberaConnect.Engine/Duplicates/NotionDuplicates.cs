using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Duplicates;

/// <summary>One page holding a duplicated key.</summary>
public sealed class DuplicatePage
{
    public string PageId { get; set; } = "";
    public string? Url { get; set; }
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset LastEditedTime { get; set; }

    /// <summary>True for the page that stays (the newest edit); the others are trashed by Remove-NotionDuplicate.</summary>
    public bool Keep { get; set; }

    public override string ToString() => $"{PageId} (edited {LastEditedTime:u}{(Keep ? ", kept" : "")})";
}

/// <summary>A key held by more than one page of a database, and which page is kept.</summary>
public sealed class NotionDuplicate
{
    /// <summary>The database key, for example CustomerSites.</summary>
    public string Database { get; set; } = "";

    /// <summary>The property compared (the database's natural key unless another was asked for).</summary>
    public string Property { get; set; } = "";

    /// <summary>The key as the kept page spells it.</summary>
    public string Key { get; set; } = "";

    public int Count { get; set; }

    /// <summary>The pages, the kept one first, then the others newest edit first.</summary>
    public IReadOnlyList<DuplicatePage> Pages { get; set; } = Array.Empty<DuplicatePage>();

    public string KeepPageId => Pages.FirstOrDefault(p => p.Keep)?.PageId ?? "";

    public string? KeepUrl => Pages.FirstOrDefault(p => p.Keep)?.Url;

    /// <summary>The pages Remove-NotionDuplicate trashes.</summary>
    public IEnumerable<DuplicatePage> Extra => Pages.Where(p => !p.Keep);

    public override string ToString() => $"{Database} {Property} '{Key}': {Count} pages";
}

/// <summary>What happened to one extra page.</summary>
public enum DuplicateRemovalStatus
{
    /// <summary>Moved to the trash (restorable from Notion's trash for 30 days).</summary>
    Trashed,
    /// <summary>Left alone; <see cref="DuplicateRemovalResult.Reason"/> says why (edited since it was found, already trashed, ...).</summary>
    Skipped,
    /// <summary>The trash request failed; <see cref="DuplicateRemovalResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>The outcome for one extra page of a duplicated key.</summary>
public sealed class DuplicateRemovalResult
{
    public string Database { get; set; } = "";
    public string Key { get; set; } = "";
    public string PageId { get; set; } = "";
    public string? Url { get; set; }
    public DuplicateRemovalStatus Status { get; set; }

    /// <summary>The page that stays for this key.</summary>
    public string KeptPageId { get; set; } = "";
    public string? Reason { get; set; }
    public string? Error { get; set; }
    public string? ErrorId { get; set; }
    public Exception? Exception { get; set; }

    /// <summary>The duplicate this page belonged to (the error target).</summary>
    public NotionDuplicate? Input { get; set; }

    public override string ToString() => $"{Database} '{Key}' {PageId}: {Status}" + (Error is null ? "" : $" ({Error})");
}

/// <summary>
/// Finds keys held by more than one page (Get-NotionDuplicate) and trashes the extra pages (Remove-NotionDuplicate).
/// The database is read once, streamed; for each page only its key, id, url and timestamps are kept. The page kept is
/// the one the syncs update: the newest last_edited_time, then the oldest creation (the original, which links and
/// comments point at). Keys compare as the syncs compare them: trimmed, ignoring case, and site names by the site-name
/// rule (runs of spaces and Unicode forms aside too); empty keys are not duplicates.
/// Before trashing, each page and the kept one are read again: a page edited since it was found, or whose kept
/// page is gone, is left alone.
/// </summary>
public sealed class NotionDuplicates
{
    private readonly NotionWorkspace _workspace;
    private readonly Dictionary<string, NotionPage?> _keptChecked = new(StringComparer.Ordinal);

    public NotionDuplicates(NotionWorkspace workspace) => _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));

    /// <summary>Every duplicated key of <paramref name="database"/> (key or title), by <paramref name="property"/> or the natural key.</summary>
    public async Task<IReadOnlyList<NotionDuplicate>> FindAsync(string database, string? property, IEngineOutput? output, CancellationToken cancellationToken)
    {
        output ??= NullEngineOutput.Instance;
        var key = NotionWorkspace.DatabaseNamed(database);
        var definition = _workspace.Definition[key];
        // A property asked for is checked before the read: an unknown name is an error listing the database's properties.
        var propertyName = string.IsNullOrWhiteSpace(property)
            ? definition.NaturalKey
            : (await new ReadBack.PropertyNames(_workspace, key).FindAsync(property!, cancellationToken).ConfigureAwait(false)).Name;
        var dataSource = await _workspace.DataSourceIdAsync(key, cancellationToken).ConfigureAwait(false);

        var groups = new Dictionary<string, List<(string Text, DuplicatePage Page)>>(StringComparer.Ordinal);
        var read = 0;
        await foreach (var page in _workspace.Notion.QueryAsync(dataSource, new NotionQuery(), cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash) continue;
            read++;
            if (read % 100 == 0) output.Progress(new ProgressUpdate(4, "Reading " + key, $"{read} page(s) read"));
            var match = page.Properties.Keys.FirstOrDefault(n => string.Equals(n, propertyName, StringComparison.Ordinal))
                        ?? page.Properties.Keys.FirstOrDefault(n => string.Equals(n, propertyName, StringComparison.OrdinalIgnoreCase));
            if (match is null) continue;
            propertyName = match;
            var text = KeyText(page.Properties[match]);
            if (string.IsNullOrWhiteSpace(text)) continue;
            var normalized = SyncTable.IdentityOf(key.ToString(), match, text!);
            if (!groups.TryGetValue(normalized, out var list)) groups[normalized] = list = new List<(string, DuplicatePage)>();
            list.Add((text!.Trim(), new DuplicatePage { PageId = page.Id, Url = page.Url, CreatedTime = page.CreatedTime, LastEditedTime = page.LastEditedTime }));
        }
        if (read >= 100) output.Progress(new ProgressUpdate(4, "Reading " + key, $"{read} page(s) read", 100, Completed: true));
        output.Verbose($"{key}: {read} page(s) read, {groups.Count(g => g.Value.Count > 1)} duplicated key(s) by {propertyName}.");

        var duplicates = new List<NotionDuplicate>();
        foreach (var group in groups.Values.Where(g => g.Count > 1))
        {
            var ordered = group
                .OrderByDescending(p => p.Page.LastEditedTime)
                .ThenBy(p => p.Page.CreatedTime)
                .ThenBy(p => p.Page.PageId, StringComparer.Ordinal)
                .ToList();
            ordered[0].Page.Keep = true;
            duplicates.Add(new NotionDuplicate
            {
                Database = key.ToString(),
                Property = propertyName,
                Key = ordered[0].Text,
                Count = ordered.Count,
                Pages = ordered.Select(p => p.Page).ToList(),
            });
        }
        return duplicates.OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Hands each duplicated key to <paramref name="emit"/>; returns how many there were.</summary>
    public async Task<int> FindAsync(string database, string? property, Action<object> emit, IEngineOutput? output, CancellationToken cancellationToken)
    {
        var found = await FindAsync(database, property, output, cancellationToken).ConfigureAwait(false);
        foreach (var d in found) emit(d);
        return found.Count;
    }

    /// <summary>What ShouldProcess names for trashing <paramref name="page"/>.</summary>
    public static string TargetOf(NotionDuplicate duplicate, DuplicatePage page)
        => $"{duplicate.Database} '{duplicate.Key}' page {page.PageId} (created {page.CreatedTime:u}, edited {page.LastEditedTime:u})";

    /// <summary>The ShouldProcess action for an extra page.</summary>
    public static string ActionOf(NotionDuplicate duplicate) => $"Move to trash (duplicate of {duplicate.KeepPageId}, which is kept)";

    /// <summary>
    /// Moves one extra page to the trash, after checking that it was not edited since it was found and that the kept
    /// page is still there. Never throws for Notion errors: they come back as a Failed result.
    /// </summary>
    public async Task<DuplicateRemovalResult> TrashAsync(NotionDuplicate duplicate, DuplicatePage page, CancellationToken cancellationToken)
    {
        var result = new DuplicateRemovalResult
        {
            Database = duplicate.Database, Key = duplicate.Key, PageId = page.PageId, Url = page.Url, KeptPageId = duplicate.KeepPageId, Input = duplicate,
        };
        try
        {
            if (page.Keep || string.Equals(page.PageId, duplicate.KeepPageId, StringComparison.Ordinal))
                return Skip(result, "This is the page that is kept.");
            var kept = await KeptPageAsync(duplicate, cancellationToken).ConfigureAwait(false);
            if (kept is null)
                return Skip(result, $"The page to keep ({duplicate.KeepPageId}) is gone or in the trash; nothing was trashed for this key. Run Get-NotionDuplicate again.");

            var current = await _workspace.Notion.GetPageAsync(page.PageId, cancellationToken).ConfigureAwait(false);
            if (current.InTrash) return Skip(result, "Already in the trash.");
            if (current.LastEditedTime > page.LastEditedTime)
                return Skip(result, $"Edited at {current.LastEditedTime:u}, after Get-NotionDuplicate read it; left alone. Run Get-NotionDuplicate again.");

            var trashed = await _workspace.Notion.TrashPageAsync(page.PageId, cancellationToken).ConfigureAwait(false);
            result.Url = trashed.Url ?? page.Url;
            result.Status = DuplicateRemovalStatus.Trashed;
            result.Reason = $"Duplicate of {duplicate.KeepPageId}; restorable from Notion's trash.";
            return result;
        }
        catch (OberaConnectException ex)
        {
            result.Status = DuplicateRemovalStatus.Failed;
            result.Error = ex.Message;
            result.ErrorId = ex.ErrorId;
            result.Exception = ex;
            return result;
        }
    }

    private async Task<NotionPage?> KeptPageAsync(NotionDuplicate duplicate, CancellationToken cancellationToken)
    {
        var id = duplicate.KeepPageId;
        if (_keptChecked.TryGetValue(id, out var known)) return known;
        NotionPage? page;
        try
        {
            page = await _workspace.Notion.GetPageAsync(id, cancellationToken).ConfigureAwait(false);
            if (page.InTrash) page = null;
        }
        catch (NotionObjectNotFoundException)
        {
            page = null;
        }
        _keptChecked[id] = page;
        return page;
    }

    private static DuplicateRemovalResult Skip(DuplicateRemovalResult result, string reason)
    {
        result.Status = DuplicateRemovalStatus.Skipped;
        result.Reason = reason;
        return result;
    }

    /// <summary>The text a key compares by: text as written, numbers, options, dates, ids.</summary>
    private static string? KeyText(PropertyValue value) => value switch
    {
        TextValue t => t.PlainText,
        NumberValue { Value: { } d } => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.DisplayText,
    };
}
