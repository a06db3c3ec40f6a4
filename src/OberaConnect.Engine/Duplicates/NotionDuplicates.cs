using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Duplicates;

/// <summary>One page holding a duplicated key, with what makes it the module's page: its source ids and the records pointing at it.</summary>
public sealed class DuplicatePage
{
    public string PageId { get; set; } = "";
    public string? Url { get; set; }
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset LastEditedTime { get; set; }

    /// <summary>The ids a source system gave this record ("UniFi Site ID u-1, NinjaOne Org ID 42"); null when it holds none (a bare copy).</summary>
    public string? SourceIds { get; set; }

    /// <summary>How many records of other databases point at this page (their relation to this database), in every database.</summary>
    public int Links { get; set; }

    /// <summary>Those records per database, for example "Daily Health 12, Config Changes 2"; empty when none.</summary>
    public string LinkedFrom { get; set; } = "";

    /// <summary>True for the page that stays; the others are trashed by Remove-NotionDuplicate.</summary>
    public bool Keep { get; set; }

    /// <summary>For prompts: "page 1a2b3c4d (created 2026-01-02 10:00, source ids, 12 records point at it: Daily Health 12)".</summary>
    public string Describe()
        => $"page {Short(PageId)} (created {CreatedTime.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
           + (SourceIds is null ? "" : ", with source ids")
           + $", {Links} record(s) point at it" + (Links > 0 && LinkedFrom.Length > 0 ? ": " + LinkedFrom : "") + ")";

    public override string ToString() => $"{PageId} (created {CreatedTime:u}, edited {LastEditedTime:u}, {Links} link(s){(Keep ? ", kept" : "")})";

    internal static string Short(string id)
    {
        var plain = id.Replace("-", "");
        return plain.Length <= 8 ? plain : plain.Substring(0, 8);
    }

    internal DuplicatePage Copy() => (DuplicatePage)MemberwiseClone();
}

/// <summary>Which page of a duplicated key Remove-NotionDuplicate keeps.</summary>
public enum DuplicateKeepRule
{
    /// <summary>The module's page: the one with source ids, then the one most records point at, then the oldest.</summary>
    Identity,
    /// <summary>The page created first.</summary>
    Oldest,
    /// <summary>The page edited last (what earlier versions kept).</summary>
    Newest,
    /// <summary>The page most records point at, then the oldest.</summary>
    MostLinked,
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

    /// <summary>The pages, the kept one first, then the others in the order of the rule.</summary>
    public IReadOnlyList<DuplicatePage> Pages { get => _pages; set => _pages = ReadableList<DuplicatePage>.From(value); }

    private IReadOnlyList<DuplicatePage> _pages = ReadableList<DuplicatePage>.From(null);

    /// <summary>The rule that chose the kept page: Identity (the default), Oldest, Newest or MostLinked.</summary>
    public string KeepRule { get; set; } = nameof(DuplicateKeepRule.Identity);

    /// <summary>The database as people name it ("Customer Sites"), for prompts.</summary>
    public string DatabaseTitle { get; set; } = "";

    public string KeepPageId => Pages.FirstOrDefault(p => p.Keep)?.PageId ?? "";

    public string? KeepUrl => Pages.FirstOrDefault(p => p.Keep)?.Url;

    /// <summary>The pages Remove-NotionDuplicate trashes.</summary>
    public IReadOnlyList<DuplicatePage> Extra => ReadableList<DuplicatePage>.From(Pages.Where(p => !p.Keep));

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
    public string Status => StatusValue.ToString();

    /// <summary><see cref="Status"/> for code: an enum exports as a number, so the typed value stays off the public surface.</summary>
    internal DuplicateRemovalStatus StatusValue { get; set; }

    /// <summary>The page that stays for this key.</summary>
    public string KeptPageId { get; set; } = "";

    /// <summary>Records whose relation pointed at the trashed page and now point at the kept one.</summary>
    public int RelationsMoved { get; set; }
    public string? Reason { get; set; }
    public string? Error { get; set; }
    public string? ErrorId { get; set; }
    /// <summary>The error itself, kept for the error record the cmdlet writes (an exception does not export).</summary>
    internal Exception? Exception { get; set; }

    /// <summary>The duplicate this page belonged to (the error target).</summary>
    internal NotionDuplicate? Input { get; set; }

    public override string ToString() => $"{Database} '{Key}' {PageId}: {Status}" + (Error is null ? "" : $" ({Error})");
}

/// <summary>
/// Finds keys held by more than one page (Get-NotionDuplicate) and trashes the extra pages (Remove-NotionDuplicate).
/// The database is read once, streamed; for each page only its key, id, url, timestamps and source ids are kept, and the
/// records of other databases that point at each duplicated page are counted (one filtered query per relating database
/// and 50 pages). The page kept is the module's page by default (<see cref="DuplicateKeepRule.Identity"/>): the one holding
/// source ids, then the one most records point at (its history), then the oldest. Keys compare as the syncs compare them:
/// trimmed, ignoring case, and site names by the site-name rule (runs of spaces and Unicode forms aside too); empty keys
/// are not duplicates.
/// Before trashing, each page and the kept one are read again (a page edited since it was found, or whose kept page is
/// gone, is left alone), and every record pointing at the page is pointed at the kept page instead, so no history is
/// orphaned; a page whose records could not all be moved is not trashed.
/// </summary>
public sealed class NotionDuplicates
{
    /// <summary>Pages per relation query (an "or" of one condition per page).</summary>
    private const int PagesPerLinkQuery = 50;

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
            list.Add((text!.Trim(), new DuplicatePage
            {
                PageId = page.Id, Url = page.Url, CreatedTime = page.CreatedTime, LastEditedTime = page.LastEditedTime, SourceIds = SourceIdsOf(definition, page),
            }));
        }
        if (read >= 100) output.Progress(new ProgressUpdate(4, "Reading " + key, $"{read} page(s) read", 100, Completed: true));
        output.Verbose($"{key}: {read} page(s) read, {groups.Count(g => g.Value.Count > 1)} duplicated key(s) by {propertyName}.");

        var groupsFound = groups.Values.Where(g => g.Count > 1).ToList();
        await CountLinksAsync(key, groupsFound.SelectMany(g => g.Select(p => p.Page)).ToList(), output, cancellationToken).ConfigureAwait(false);
        var duplicates = new List<NotionDuplicate>();
        foreach (var group in groupsFound)
        {
            var duplicate = new NotionDuplicate
            {
                Database = key.ToString(),
                DatabaseTitle = definition.Title,
                Property = propertyName,
                Count = group.Count,
                Pages = group.Select(p => p.Page).ToList(),
            };
            var texts = group.ToDictionary(p => p.Page.PageId, p => p.Text, StringComparer.Ordinal);
            var chosen = Choose(duplicate, DuplicateKeepRule.Identity);
            chosen.Key = texts[chosen.KeepPageId];
            duplicates.Add(chosen);
        }
        return duplicates.OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// <paramref name="duplicate"/> with the page <paramref name="rule"/> keeps marked and first (a copy: the input is left as it is).
    /// Ties go to the oldest page, then the lowest page id, so the choice never depends on the order Notion returned pages in.
    /// </summary>
    public static NotionDuplicate Choose(NotionDuplicate duplicate, DuplicateKeepRule rule)
    {
        if (duplicate is null) throw new ArgumentNullException(nameof(duplicate));
        var pages = duplicate.Pages.Select(p => p.Copy()).ToList();
        IOrderedEnumerable<DuplicatePage> ordered = rule switch
        {
            DuplicateKeepRule.Oldest => pages.OrderBy(p => p.CreatedTime),
            DuplicateKeepRule.Newest => pages.OrderByDescending(p => p.LastEditedTime).ThenBy(p => p.CreatedTime),
            DuplicateKeepRule.MostLinked => pages.OrderByDescending(p => p.Links).ThenBy(p => p.CreatedTime),
            _ => pages.OrderByDescending(p => p.SourceIds != null).ThenByDescending(p => p.Links).ThenBy(p => p.CreatedTime),
        };
        var list = ordered.ThenBy(p => p.PageId, StringComparer.Ordinal).ToList();
        for (var i = 0; i < list.Count; i++) list[i].Keep = i == 0;
        return new NotionDuplicate
        {
            Database = duplicate.Database,
            DatabaseTitle = duplicate.DatabaseTitle,
            Property = duplicate.Property,
            Key = duplicate.Key,
            Count = duplicate.Count,
            Pages = list,
            KeepRule = rule.ToString(),
        };
    }

    /// <summary><see cref="Choose(NotionDuplicate, DuplicateKeepRule)"/> by the rule's name (for hosts that must not hold engine enums).</summary>
    public static NotionDuplicate Choose(NotionDuplicate duplicate, string rule)
        => Choose(duplicate, (DuplicateKeepRule)Enum.Parse(typeof(DuplicateKeepRule), rule, ignoreCase: true));

    /// <summary>Hands each duplicated key to <paramref name="emit"/>; returns how many there were.</summary>
    public async Task<int> FindAsync(string database, string? property, Action<object> emit, IEngineOutput? output, CancellationToken cancellationToken)
    {
        var found = await FindAsync(database, property, output, cancellationToken).ConfigureAwait(false);
        foreach (var d in found) emit(d);
        return found.Count;
    }

    /// <summary>What ShouldProcess names for trashing <paramref name="page"/>: the key, the page, and how many records point at it.</summary>
    public static string TargetOf(NotionDuplicate duplicate, DuplicatePage page)
        => $"{(duplicate.DatabaseTitle.Length > 0 ? duplicate.DatabaseTitle : duplicate.Database)} '{duplicate.Key}': {page.Describe()}";

    /// <summary>The ShouldProcess action for an extra page: the page kept (and how many records point at it), and the records moved first.</summary>
    public static string ActionOf(NotionDuplicate duplicate, DuplicatePage page)
    {
        var kept = duplicate.Pages.FirstOrDefault(p => p.Keep);
        var keeping = kept is null ? "" : ", keeping " + kept.Describe();
        var move = page.Links == 0 ? "" : $"; first point its {page.Links} record(s) at the kept page";
        return "Move to trash" + keeping + move;
    }

    /// <summary>
    /// Moves one extra page to the trash, after checking that it was not edited since it was found and that the kept
    /// page is still there, and after pointing every record that relates to it at the kept page. Never throws for Notion
    /// errors: they come back as a Failed result (the page then stays, with whatever records were not moved yet).
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

            // History first: a trashed page that records still point at would drop them from every read by site.
            result.RelationsMoved = await MoveLinksAsync(NotionWorkspace.DatabaseNamed(duplicate.Database), page.PageId, kept.Id, cancellationToken).ConfigureAwait(false);
            var trashed = await _workspace.Notion.TrashPageAsync(page.PageId, cancellationToken).ConfigureAwait(false);
            result.Url = trashed.Url ?? page.Url;
            result.StatusValue = DuplicateRemovalStatus.Trashed;
            result.Reason = $"Duplicate of {duplicate.KeepPageId}" + (result.RelationsMoved == 0 ? "" : $"; its {result.RelationsMoved} record(s) now point at the kept page")
                            + "; restorable from Notion's trash.";
            return result;
        }
        catch (OberaConnectException ex)
        {
            result.StatusValue = DuplicateRemovalStatus.Failed;
            result.Error = (result.RelationsMoved > 0 ? $"{result.RelationsMoved} record(s) were pointed at the kept page, then: " : "") + ex.Message
                           + " The page was not trashed; run Get-NotionDuplicate | Remove-NotionDuplicate again.";
            result.ErrorId = ex.ErrorId;
            result.Exception = ex;
            return result;
        }
    }

    /// <summary>The databases with a relation to <paramref name="target"/>, with that property and their data source (unconfigured ones left out).</summary>
    private async Task<IReadOnlyList<(DatabaseDefinition Database, string Property, string DataSource)>> RelatingAsync(DatabaseKey target, IEngineOutput? output, CancellationToken cancellationToken)
    {
        var list = new List<(DatabaseDefinition, string, string)>();
        foreach (var database in _workspace.Definition.RelatedFrom(target))
        {
            string dataSource;
            try
            {
                dataSource = await _workspace.DataSourceIdAsync(database.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (OberaConnectException ex) when (ex.Kind is FailureKind.Configuration or FailureKind.NotFound)
            {
                output?.Verbose($"{database.Title} is not configured: records there pointing at {target} are not counted or moved ({ex.Message}).");
                continue;
            }
            foreach (var relation in database.Relations.Where(r => r.RelationTarget == target)) list.Add((database, relation.Name, dataSource));
        }
        return list;
    }

    /// <summary>Counts, for each page, the records of other databases that point at it.</summary>
    private async Task CountLinksAsync(DatabaseKey target, IReadOnlyList<DuplicatePage> pages, IEngineOutput? output, CancellationToken cancellationToken)
    {
        if (pages.Count == 0) return;
        var byId = pages.ToDictionary(p => NotionId.Normalize(p.PageId), StringComparer.Ordinal);
        var perDatabase = pages.ToDictionary(p => p, _ => new List<string>());
        foreach (var (database, property, dataSource) in await RelatingAsync(target, output, cancellationToken).ConfigureAwait(false))
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var chunk in byId.Keys.Select((id, i) => (id, i)).GroupBy(x => x.i / PagesPerLinkQuery, x => x.id))
            {
                var conditions = chunk.Select(id => NotionFilter.Relation(property).Contains(id)).ToArray();
                var query = NotionQuery.Where(conditions.Length == 1 ? conditions[0] : NotionFilter.Or(conditions));
                await foreach (var record in _workspace.Notion.QueryAsync(dataSource, query, cancellationToken).ConfigureAwait(false))
                {
                    if (record.InTrash || record.Get<RelationValue>(property) is not { } relation) continue;
                    foreach (var id in relation.Ids.Select(i => NotionId.Normalize(i)).Distinct(StringComparer.Ordinal))
                        if (byId.ContainsKey(id)) counts[id] = counts.TryGetValue(id, out var n) ? n + 1 : 1;
                }
            }
            foreach (var kv in counts)
            {
                var page = byId[kv.Key];
                page.Links += kv.Value;
                perDatabase[page].Add($"{database.Title} {kv.Value}");
            }
        }
        foreach (var kv in perDatabase) kv.Key.LinkedFrom = string.Join(", ", kv.Value);
    }

    /// <summary>Points every record that relates to <paramref name="fromPageId"/> at <paramref name="toPageId"/> instead; returns how many.</summary>
    private async Task<int> MoveLinksAsync(DatabaseKey target, string fromPageId, string toPageId, CancellationToken cancellationToken)
    {
        var from = NotionId.Normalize(fromPageId);
        var to = NotionId.Normalize(toPageId);
        var moved = 0;
        foreach (var (_, property, dataSource) in await RelatingAsync(target, null, cancellationToken).ConfigureAwait(false))
        {
            // Read first, then write: updating while paging a filter on the same relation could skip records.
            var records = new List<NotionPage>();
            await foreach (var record in _workspace.Notion.QueryAsync(dataSource, NotionQuery.Where(NotionFilter.Relation(property).Contains(from)), cancellationToken).ConfigureAwait(false))
                if (!record.InTrash) records.Add(record);
            foreach (var record in records)
            {
                var ids = record.Get<RelationValue>(property)?.Ids.Select(i => NotionId.Normalize(i)).ToList() ?? new List<string>();
                if (!ids.Contains(from, StringComparer.Ordinal)) continue;
                var now = ids.Where(i => i != from).Append(to).Distinct(StringComparer.Ordinal).ToList();
                await _workspace.Notion.UpdatePageAsync(record.Id, new[] { new KeyValuePair<string, PropertyValue>(property, PropertyValue.Relation(now)) }, cancellationToken).ConfigureAwait(false);
                moved++;
            }
        }
        return moved;
    }

    private static string? SourceIdsOf(DatabaseDefinition definition, NotionPage page)
    {
        var parts = definition.Properties.Where(p => p.IsSourceId)
            .Select(p => page.Properties.TryGetValue(p.Name, out var v) && !string.IsNullOrWhiteSpace(v.DisplayText) ? $"{p.Name} {v.DisplayText.Trim()}" : null)
            .Where(t => t != null)
            .ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
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
        result.StatusValue = DuplicateRemovalStatus.Skipped;
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
