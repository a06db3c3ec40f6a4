using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.DataSurface.Sync;

/// <summary>Choices of one two-way table sync.</summary>
public sealed class TableSyncOptions
{
    /// <summary>How a record changed on both sides is settled.</summary>
    public ConflictPolicy ConflictPolicy { get; set; } = ConflictPolicy.LastWriteWins;

    /// <summary>Which ways the run may copy.</summary>
    public SyncDirection Direction { get; set; } = SyncDirection.Both;

    /// <summary>
    /// With PreferDatabase or PreferNotion, a record deleted on the preferred side after a sync is deleted on the other
    /// side too (the page trashed, the row deleted) instead of staying in conflict.
    /// </summary>
    public bool AllowDelete { get; set; }

    /// <summary>A mapping file's text (see <see cref="TableSyncMapping.FromJson"/>); null infers the mapping from the table.</summary>
    public string? MappingJson { get; set; }

    /// <summary>
    /// Pages are read from this long before the minute of the last sync's newest edit: Notion cuts last_edited_time
    /// to the minute and its index can lag an edit. Records read again are recognised as unchanged by their hashes.
    /// </summary>
    public TimeSpan PageOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Shared with results and errors.</summary>
    public string CorrelationId { get; set; } = "";

    /// <summary>
    /// Options from the names the cmdlet takes: conflict action LastWriteWins, Flag, PreferDatabase or PreferNotion;
    /// direction Both, Push or Pull. Hosts that must not hold engine enums build options this way.
    /// </summary>
    public static TableSyncOptions FromNames(string conflictAction, string direction, string? mappingJson = null, string correlationId = "", bool allowDelete = false)
    {
        var policy = Enum.GetNames(typeof(ConflictPolicy)).FirstOrDefault(n => string.Equals(n, conflictAction?.Trim(), StringComparison.OrdinalIgnoreCase))
                     ?? throw new OberaConnectException("SyncConflictActionUnknown", FailureKind.InvalidInput,
                         $"'{conflictAction}' is not a conflict action; use {string.Join(", ", Enum.GetNames(typeof(ConflictPolicy)))}.");
        var way = (direction ?? "").Trim().ToLowerInvariant() switch
        {
            "both" => SyncDirection.Both,
            "push" or "pushonly" => SyncDirection.PushOnly,
            "pull" or "pullonly" => SyncDirection.PullOnly,
            _ => throw new OberaConnectException("SyncDirectionUnknown", FailureKind.InvalidInput, $"'{direction}' is not a direction; use Both, Push or Pull."),
        };
        return new TableSyncOptions
        {
            ConflictPolicy = (ConflictPolicy)Enum.Parse(typeof(ConflictPolicy), policy),
            Direction = way,
            MappingJson = mappingJson,
            CorrelationId = correlationId ?? "",
            AllowDelete = allowDelete,
        };
    }
}

/// <summary>What a run would do: the mapping, one item per record read, and the bookkeeping writes.</summary>
public sealed class TableSyncPlan
{
    internal TableSyncPlan(string table, string store, string dataSourceId, TableSyncMapping mapping, DateTimeOffset startedAt)
    {
        Table = table;
        Store = store;
        DataSourceId = dataSourceId;
        Mapping = mapping;
        StartedAt = startedAt;
    }

    public string Table { get; }

    /// <summary>The relational side, for messages (never a secret).</summary>
    public string Store { get; }

    public string DataSourceId { get; }

    /// <summary>The mapping in force (aligned with the Notion schema).</summary>
    public TableSyncMapping Mapping { get; }

    public DateTimeOffset StartedAt { get; }

    public IReadOnlyList<TableSyncItem> Items { get; internal set; } = Array.Empty<TableSyncItem>();

    /// <summary>Adds the properties the Notion database lacks (mapped columns, id, Sync Status, Last Synced); null when none are missing.</summary>
    public TableSyncWrite? SchemaWrite { get; internal set; }

    /// <summary>Saves the sync's own state (record states and watermarks) in the database, creating its tables on a first sync.</summary>
    public TableSyncWrite StateWrite { get; internal set; } = null!;

    internal JsonObject MissingProperties { get; set; } = new();
    internal bool StateExists { get; set; }
    internal SyncTableState? TableState { get; set; }
    internal DateTimeOffset? MaxRowChange { get; set; }
    internal DateTimeOffset? MaxPageEdit { get; set; }
    internal long RequestsBefore { get; set; }
}

/// <summary>
/// Two-way sync of one relational table (<see cref="ISyncTable"/>: SQLite, PostgreSQL) with one Notion database,
/// the predecessor's "push / pull / last write wins" done record by record:
/// <list type="number">
/// <item><see cref="PlanAsync"/> reads rows changed since the last sync's row watermark, pages edited since its
/// page watermark (minus <see cref="TableSyncOptions.PageOverlap"/>), the trash, and records left in conflict; pairs
/// them by the id property (postgres_id); and decides each with <see cref="SyncDecider"/>, using content hashes
/// recorded at the last sync as evidence. Nothing is written.</item>
/// <item>The host approves each <see cref="TableSyncWrite"/> (ShouldProcess).</item>
/// <item><see cref="ApplySetupAsync"/>, <see cref="ApplyAsync"/> per item and <see cref="FinishAsync"/> make the
/// approved writes: pages are created or updated with Sync Status and Last Synced, rows written, record states saved as
/// they go, and the watermarks moved last, never past a record that failed or was skipped.</item>
/// </list>
/// Re-running right after a run changes nothing: our own writes come back as changes, and their hashes match.
/// </summary>
public sealed class NotionTableSync
{
    private readonly ISyncTable _table;
    private readonly NotionClient _notion;
    private readonly string _databaseId;
    private readonly TableSyncOptions _options;
    private readonly TimeProvider _time;
    private readonly List<SyncRecordState> _pendingStates = new();
    private IEngineOutput _output;

    public NotionTableSync(ISyncTable table, NotionClient notion, string databaseId, TableSyncOptions? options = null,
        IEngineOutput? output = null, TimeProvider? time = null)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _notion = notion ?? throw new ArgumentNullException(nameof(notion));
        _databaseId = databaseId ?? throw new ArgumentNullException(nameof(databaseId));
        _options = options ?? new TableSyncOptions();
        _output = output ?? NullEngineOutput.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Progress activity id of the sync.</summary>
    public const int ProgressActivityId = 4109;

    private string? _metricsPath;
    private Operations.RequestTally? _requests;

    /// <summary>Records each run in the metrics file (paths.metricsPath) with the requests it sent; the connection sets it.</summary>
    internal void RecordRunsIn(string? metricsPath, Operations.RequestTally requests)
    {
        _metricsPath = metricsPath;
        _requests = requests;
    }

    /// <summary>A run that stopped before its end (a side could not be read): counted as a failed run in the metrics.</summary>
    public Task RecordFailedRunAsync(CancellationToken cancellationToken) => RecordRunAsync(false, cancellationToken);

    private Task RecordRunAsync(bool succeeded, CancellationToken cancellationToken)
        => _requests is null ? Task.CompletedTask
            : Operations.RunMetrics.RecordAsync(_metricsPath, Configuration.CommandNames.SyncTable, succeeded, _requests, _time, _output, cancellationToken);

    /// <summary>Where Verbose, Warning and Progress go; a host that pumps output per call sets it before each call.</summary>
    public IEngineOutput Output
    {
        get => _output;
        set => _output = value ?? NullEngineOutput.Instance;
    }

    // ------------------------------------------------------------------ plan

    /// <summary>Reads both sides and decides every record that changed. Writes nothing.</summary>
    public async Task<TableSyncPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var requestsBefore = _notion.Statistics.Requests;
        Progress("Reading the table and the Notion schema");
        var schema = await _table.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var profiles = await _table.ProfileTextColumnsAsync(TableSyncMapping.ProfileCandidates(schema), new MappingInferenceOptions().MaxSelectOptions, cancellationToken).ConfigureAwait(false);
        var inferred = _options.MappingJson is { } json
            ? TableSyncMapping.FromJson(json, schema, profiles)
            : TableSyncMapping.Infer(schema, new MappingInferenceOptions(), profiles);

        var dataSourceId = await _notion.ResolveDataSourceIdAsync(_databaseId, cancellationToken).ConfigureAwait(false);
        var dataSource = await _notion.GetDataSourceAsync(dataSourceId, cancellationToken).ConfigureAwait(false);
        var mapping = inferred.AlignWith(dataSource.Properties.ToDictionary(p => p.Key, p => p.Value.Type, StringComparer.Ordinal), out var missing);
        _output.Verbose("Mapping: " + mapping);

        var plan = new TableSyncPlan(_table.Table, _table.Description, dataSourceId, mapping, startedAt) { MissingProperties = missing, RequestsBefore = requestsBefore };
        var notionTarget = $"Notion data source {dataSourceId} ({(string.IsNullOrEmpty(dataSource.Title) ? "untitled" : dataSource.Title)})";
        if (missing.Count > 0)
            plan.SchemaWrite = new TableSyncWrite(TableSyncSide.Notion, notionTarget, "Add properties: " + string.Join(", ", missing.Select(p => p.Key)));

        plan.StateExists = await _table.StateExistsAsync(cancellationToken).ConfigureAwait(false);
        plan.TableState = plan.StateExists ? await _table.GetTableStateAsync(cancellationToken).ConfigureAwait(false) : null;
        var states = plan.StateExists
            ? await _table.GetRecordStatesAsync(cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, SyncRecordState>();
        var recordByPage = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in states.Values)
            if (s.PageId != null) recordByPage[s.PageId] = s.RecordId;

        Progress("Reading changed rows");
        var rows = await _table.ReadChangedSinceAsync(mapping, plan.TableState?.RowWatermark, cancellationToken).ConfigureAwait(false);
        var rowsById = new Dictionary<string, RelationalRow>(StringComparer.Ordinal);
        foreach (var r in rows) rowsById[r.Id] = r;
        plan.MaxRowChange = rows.Select(r => r.ChangedAt).Where(t => t != null).DefaultIfEmpty(null).Max();

        Progress("Reading changed pages");
        var pageWatermark = plan.TableState?.PageWatermark;
        var firstRead = pageWatermark is null;
        var filter = pageWatermark is { } pw ? NotionFilter.LastEditedTime.OnOrAfter(SyncDecider.FloorToMinute(pw) - _options.PageOverlap) : null;
        var pagesByRecord = new Dictionary<string, (NotionRecordSnapshot Snapshot, NotionPage Page)>(StringComparer.Ordinal);
        var newPages = new List<(NotionRecordSnapshot Snapshot, NotionPage Page)>();
        var items = new List<TableSyncItem>();
        await foreach (var page in _notion.QueryAsync(dataSourceId, new NotionQuery { Filter = filter }, cancellationToken).ConfigureAwait(false))
        {
            if (plan.MaxPageEdit is null || page.LastEditedTime > plan.MaxPageEdit) plan.MaxPageEdit = page.LastEditedTime;
            NotionRecordSnapshot snapshot;
            try
            {
                snapshot = ReadSnapshot(mapping, page);
            }
            catch (OberaConnectException ex)
            {
                items.Add(new TableSyncItem(page.Id) { PageId = page.Id, Url = page.Url, PlanError = ex });
                continue;
            }
            // The id property wins; a page whose id was cleared keeps the record the state linked it to.
            var recordId = snapshot.RecordId ?? (recordByPage.TryGetValue(page.Id, out var linked) ? linked : null);
            if (recordId is null)
            {
                newPages.Add((snapshot, page));
                continue;
            }
            if (pagesByRecord.TryGetValue(recordId, out var other))
            {
                _output.Warning($"Pages {other.Page.Id} and {page.Id} both hold {mapping.IdProperty} {recordId}; the one edited last is synced. Remove the other from the Notion database.");
                if (other.Page.LastEditedTime >= page.LastEditedTime) continue;
            }
            pagesByRecord[recordId] = (snapshot, page);
        }

        // The trash: pages of known records that were trashed count as gone (a conflict, never a silent delete).
        var trashedPages = new HashSet<string>(StringComparer.Ordinal);
        if (states.Count > 0)
        {
            await foreach (var page in _notion.QueryAsync(dataSourceId, new NotionQuery { Filter = filter, InTrash = true }, cancellationToken).ConfigureAwait(false))
                trashedPages.Add(page.Id);
        }

        // Records left in conflict are looked at again every run, so a person's resolution is noticed.
        var conflicted = states.Values.Where(s => s.Status == SyncStatus.Conflict).ToList();
        foreach (var s in conflicted)
        {
            if (pagesByRecord.ContainsKey(s.RecordId) || s.PageId is null || trashedPages.Contains(s.PageId)) continue;
            try
            {
                var page = await _notion.GetPageAsync(s.PageId, cancellationToken).ConfigureAwait(false);
                if (page.InTrash) trashedPages.Add(page.Id);
                else pagesByRecord[s.RecordId] = (ReadSnapshot(mapping, page), page);
            }
            catch (NotionApiException ex) when (ex.Status == 404)
            {
                trashedPages.Add(s.PageId);
            }
        }

        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in rows.Select(r => r.Id).Concat(pagesByRecord.Keys).Concat(conflicted.Select(s => s.RecordId)))
            if (seen.Add(id)) keys.Add(id);
        foreach (var s in states.Values)
            if (s.PageId != null && trashedPages.Contains(s.PageId) && seen.Add(s.RecordId)) keys.Add(s.RecordId);

        var missingRows = keys.Where(k => !rowsById.ContainsKey(k)).ToList();
        if (missingRows.Count > 0)
            foreach (var r in await _table.ReadByIdsAsync(mapping, missingRows, cancellationToken).ConfigureAwait(false))
                rowsById[r.Id] = r;

        Progress("Deciding");
        foreach (var key in keys)
        {
            states.TryGetValue(key, out var state);
            rowsById.TryGetValue(key, out var row);
            var hasPage = pagesByRecord.TryGetValue(key, out var page);
            var item = new TableSyncItem(key) { RecordId = key, Row = row, State = state };
            if (hasPage)
            {
                item.Page = page.Snapshot;
                item.PageId = page.Page.Id;
                item.Url = page.Page.Url;
                item.PageExists = true;
                item.PageStatus = page.Page.Get<SelectValue>(mapping.SyncStatusProperty)?.Name;
            }
            else if (state?.PageId is { } linkedPage)
            {
                item.PageId = linkedPage;
                // Not edited since the last sync, unless it went to the trash (or was deleted).
                item.PageExists = !trashedPages.Contains(linkedPage) && !firstRead;
                item.PageStatus = state.Status.ToNotionName();
            }
            Decide(plan, item);
            items.Add(item);
        }
        foreach (var (snapshot, page) in newPages)
        {
            var item = new TableSyncItem(page.Id)
            {
                PageId = page.Id, Url = page.Url, Page = snapshot, PageExists = true,
                PageStatus = page.Get<SelectValue>(mapping.SyncStatusProperty)?.Name,
            };
            Decide(plan, item);
            items.Add(item);
        }
        plan.Items = items;

        var stateTarget = $"{DbSyncTable.RecordStateName} and {DbSyncTable.TableStateName} in {_table.Description}";
        plan.StateWrite = new TableSyncWrite(TableSyncSide.Database, stateTarget,
            (plan.StateExists ? "" : "Create the sync state tables; ") + $"Save the sync state of {items.Count} record(s) and the watermarks");
        _output.Verbose($"{_table.Table}: {rows.Count} row(s) and {pagesByRecord.Count + newPages.Count} page(s) read; " +
                        $"{items.Count(i => i.Decision.Action == SyncAction.Push)} to push, {items.Count(i => i.Decision.Action == SyncAction.Pull)} to pull, " +
                        $"{items.Count(i => i.Decision.Action == SyncAction.Conflict)} in conflict.");
        return plan;
    }

    private NotionRecordSnapshot ReadSnapshot(TableSyncMapping mapping, NotionPage page)
    {
        using var doc = JsonDocument.Parse(page.RawJson);
        return NotionPropertyValues.ReadPage(mapping, doc.RootElement);
    }

    /// <summary>Decides one record and lists the writes its decision takes.</summary>
    private void Decide(TableSyncPlan plan, TableSyncItem item)
    {
        var mapping = plan.Mapping;
        var state = item.State;
        var row = item.Row;
        var page = item.Page;
        var input = new SyncDecisionInput(
            LastSyncedAt: state?.LastSyncedAt,
            RowChangedAt: row?.ChangedAt,
            PageLastEditedAt: page?.LastEditedTime ?? state?.PageEditedAt,
            RowExists: row != null,
            PageExists: item.PageExists,
            RowContentChanged: row != null && state?.RowHash != null ? RowHash(mapping, row) != state.RowHash : null,
            PageContentChanged: page != null && state?.PageHash != null ? PageHash(mapping, page.Values) != state.PageHash
                : page is null && item.PageExists && state != null ? false : null,
            SidesEqual: row != null && page != null ? NotionPropertyValues.SameContent(mapping.Columns, row.Values, page.Values) : null);
        var decision = SyncDecider.Decide(input, _options.ConflictPolicy, _options.Direction, _options.AllowDelete);
        if (decision.Action == SyncAction.Pull && page is null)
        {
            // Never expected (a record is decided only once its page was read): refuse rather than write a row from nothing.
            item.PlanError = new OberaConnectException("SyncPageNotRead", FailureKind.InvalidState, $"Record {item.Key}: its Notion page {item.PageId} was not read, so it is not copied this run.");
            decision = new SyncDecision(SyncAction.Nothing, decision.Reason, null);
        }
        item.Decision = decision;

        var pageTarget = item.PageId is null ? null
            : $"Notion page {item.PageId}" + (item.RecordId is null ? "" : $" ({mapping.IdProperty} {item.RecordId})");
        var statusAfter = decision.StatusAfter;
        switch (decision.Action)
        {
            case SyncAction.Push:
                item.ChangedColumns = Differences(mapping.Columns, row!.Values, page?.Values);
                var columns = item.ChangedColumns.Count == 0 ? "no value changes" : string.Join(", ", item.ChangedColumns);
                item.DataWrite = item.PageExists && item.PageId != null
                    ? new TableSyncWrite(TableSyncSide.Notion, pageTarget!, $"Update page: {columns}; {mapping.SyncStatusProperty} synced, {mapping.LastSyncedProperty}")
                    : new TableSyncWrite(TableSyncSide.Notion, $"Notion data source {plan.DataSourceId}", $"Create page for {mapping.IdColumn.Name} {row.Id}: {columns}");
                break;
            case SyncAction.Pull:
                item.ChangedColumns = Differences(mapping.TwoWayColumns, page!.Values, row?.Values, onlyPresent: page.Values);
                var pulled = item.ChangedColumns.Count == 0 ? "no value changes" : string.Join(", ", item.ChangedColumns);
                item.DataWrite = row != null
                    ? new TableSyncWrite(TableSyncSide.Database, $"{_table.Description} row {row.Id}", "Update row: " + pulled)
                    : new TableSyncWrite(TableSyncSide.Database, _table.Description,
                        (item.RecordId is null ? "Insert a new row" : $"Insert row {item.RecordId}") + " from Notion page " + item.PageId + ": " + pulled);
                item.StatusWrite = new TableSyncWrite(TableSyncSide.Notion, pageTarget!,
                    $"Set {mapping.SyncStatusProperty} synced, {mapping.LastSyncedProperty}" + (page.RecordId is null ? $", {mapping.IdProperty}" : ""));
                break;
            case SyncAction.DeletePage:
                item.DataWrite = new TableSyncWrite(TableSyncSide.Notion, pageTarget!, "Move the page to the Notion trash (its row was deleted from the table)");
                break;
            case SyncAction.DeleteRow:
                item.DataWrite = new TableSyncWrite(TableSyncSide.Database, $"{_table.Description} row {item.RecordId}", "Delete the row (its page was trashed or deleted in Notion)");
                break;
            default:
                if (decision.Action == SyncAction.Conflict) item.ChangedColumns = InConflict(mapping, row, page);
                if (statusAfter is { } s && item.PageExists && item.PageId != null && item.PageStatus != s.ToNotionName())
                    item.StatusWrite = new TableSyncWrite(TableSyncSide.Notion, pageTarget!, $"Set {mapping.SyncStatusProperty} {s.ToNotionName()}");
                break;
        }
        var writes = new List<TableSyncWrite>();
        if (item.DataWrite != null) writes.Add(item.DataWrite);
        if (item.StatusWrite != null) writes.Add(item.StatusWrite);
        item.Writes = writes;
    }

    private static IReadOnlyList<string> Differences(IEnumerable<ColumnMap> columns, IReadOnlyDictionary<string, object?> from,
        IReadOnlyDictionary<string, object?>? to, IReadOnlyDictionary<string, object?>? onlyPresent = null)
    {
        var list = new List<string>();
        foreach (var c in columns)
        {
            if (onlyPresent != null && !onlyPresent.ContainsKey(c.ColumnName)) continue;
            from.TryGetValue(c.ColumnName, out var a);
            object? b = null;
            if (to != null && !to.TryGetValue(c.ColumnName, out b)) b = null;
            if (to is null || NotionPropertyValues.Canonical(c, a) != NotionPropertyValues.Canonical(c, b)) list.Add(c.ColumnName);
        }
        return list;
    }

    /// <summary>
    /// The columns a person must look at to settle a conflict: those whose values differ when both sides exist; the
    /// columns holding a value on the side that is left when the other vanished.
    /// </summary>
    private static IReadOnlyList<string> InConflict(TableSyncMapping mapping, RelationalRow? row, NotionRecordSnapshot? page)
    {
        if (row != null && page != null) return Differences(mapping.TwoWayColumns, row.Values, page.Values, onlyPresent: page.Values);
        if (row != null) return mapping.Columns.Where(c => row.Values.TryGetValue(c.ColumnName, out var v) && v != null).Select(c => c.ColumnName).ToList();
        if (page != null) return mapping.TwoWayColumns.Where(c => page.Values.TryGetValue(c.ColumnName, out var v) && v != null).Select(c => c.ColumnName).ToList();
        return Array.Empty<string>();
    }

    private static string RowHash(TableSyncMapping mapping, RelationalRow row) => NotionPropertyValues.ContentHash(mapping.Columns, row.Values);

    private static string PageHash(TableSyncMapping mapping, IReadOnlyDictionary<string, object?> values) => NotionPropertyValues.ContentHash(mapping.TwoWayColumns, values);

    // ------------------------------------------------------------------ apply

    /// <summary>Adds the missing Notion properties when approved. Call before <see cref="ApplyAsync"/>.</summary>
    public async Task ApplySetupAsync(TableSyncPlan plan, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (plan.SchemaWrite is { Approved: true })
        {
            var definitions = plan.MissingProperties.Select(p => new KeyValuePair<string, PropertyDefinition>(p.Key, PropertyDefinition.FromJson((JsonObject)p.Value!))).ToList();
            await _notion.UpdateDataSourceAsync(plan.DataSourceId, definitions, null, cancellationToken).ConfigureAwait(false);
            _output.Verbose($"Added {definitions.Count} propert(ies) to the Notion database: {string.Join(", ", definitions.Select(d => d.Key))}.");
        }
        if (plan.StateWrite.Approved && !plan.StateExists)
        {
            await _table.InitializeStateAsync(cancellationToken).ConfigureAwait(false);
            plan.StateExists = true;
        }
    }

    /// <summary>
    /// Makes the approved writes of one item and returns its result. Engine errors become a Failed result (the
    /// record stays as it was and is tried again next run); cancellation propagates.
    /// </summary>
    public async Task<TableSyncResult> ApplyAsync(TableSyncPlan plan, TableSyncItem item, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (item is null) throw new ArgumentNullException(nameof(item));
        var mapping = plan.Mapping;
        var result = new TableSyncResult
        {
            Table = plan.Table, Key = item.Key, RecordId = item.RecordId, PageId = item.PageId, Url = item.Url,
            Action = item.Decision.Action.ToString(), Reason = Describe(item.Decision.Reason), ChangedColumns = item.ChangedColumns,
            CorrelationId = _options.CorrelationId,
        };
        if (item.PlanError is { } planError)
        {
            result.Action = "None";
            return Fail(result, planError);
        }
        if (item.Writes.Any(w => !w.Approved))
        {
            result.StatusValue = TableSyncStatus.Skipped;
            result.Reason = "Not written (-WhatIf or -Confirm): " + result.Reason;
            result.Timestamp = _time.GetUtcNow();
            return result;
        }

        var now = _time.GetUtcNow();
        var saveState = plan.StateWrite.Approved;
        try
        {
            switch (item.Decision.Action)
            {
                case SyncAction.Push:
                    await PushAsync(plan, item, result, now, cancellationToken).ConfigureAwait(false);
                    break;
                case SyncAction.Pull:
                    await PullAsync(plan, item, result, now, cancellationToken).ConfigureAwait(false);
                    break;
                case SyncAction.DeletePage:
                    await _notion.TrashPageAsync(item.PageId!, cancellationToken).ConfigureAwait(false);
                    Deleted(plan, item, result, TableSyncSide.Notion, now);
                    break;
                case SyncAction.DeleteRow:
                    if (!await _table.DeleteRowAsync(mapping, item.RecordId!, cancellationToken).ConfigureAwait(false))
                        _output.Verbose($"{_table.Table} {item.RecordId}: the row was already gone.");
                    Deleted(plan, item, result, TableSyncSide.Database, now);
                    break;
                case SyncAction.Conflict:
                    result.StatusValue = TableSyncStatus.Conflict;
                    result.SideValue = TableSyncSide.None;
                    if (item.StatusWrite != null)
                        await _notion.UpdatePageAsync(item.PageId!, ToValues(NotionPropertyValues.SyncStatusOnly(mapping, SyncStatus.Conflict)), cancellationToken).ConfigureAwait(false);
                    result.SyncStatus = SyncStatus.Conflict.ToNotionName();
                    // The old hashes stay, so the record stays in conflict until a person settles it.
                    Remember(saveState, (item.State ?? new SyncRecordState(item.RecordId ?? item.Key, item.PageId, SyncStatus.Conflict, null, null, null, null, null))
                        with { PageId = item.PageId ?? item.State?.PageId, Status = SyncStatus.Conflict, Message = result.Reason });
                    break;
                default:
                    await NothingAsync(plan, item, result, now, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (OberaConnectException ex)
        {
            return Fail(result, ex);
        }
        if (saveState) await FlushStatesAsync(force: false, cancellationToken).ConfigureAwait(false);
        result.Timestamp = _time.GetUtcNow();
        return result;
    }

    /// <summary>A record deleted on both sides now: the state says synced, so neither side comes back as a conflict.</summary>
    private void Deleted(TableSyncPlan plan, TableSyncItem item, TableSyncResult result, TableSyncSide side, DateTimeOffset now)
    {
        result.StatusValue = TableSyncStatus.Deleted;
        result.SideValue = side;
        result.SyncStatus = null;
        Remember(plan.StateWrite.Approved, new SyncRecordState(item.RecordId ?? item.Key, item.PageId ?? item.State?.PageId, SyncStatus.Synced, now, null, null, null, null)
            { Message = result.Reason });
    }

    private async Task PushAsync(TableSyncPlan plan, TableSyncItem item, TableSyncResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mapping = plan.Mapping;
        var row = item.Row!;
        var warnings = new List<string>();
        var values = ToValues(NotionPropertyValues.BuildPageProperties(mapping, row, SyncStatus.Synced, now, warnings));
        NotionPage page;
        if (item.PageExists && item.PageId != null)
        {
            page = await _notion.UpdatePageAsync(item.PageId, values, cancellationToken).ConfigureAwait(false);
            result.StatusValue = TableSyncStatus.Updated;
        }
        else
        {
            var request = NewPage.InDataSource(plan.DataSourceId);
            foreach (var v in values) request.Properties[v.Key] = v.Value;
            // A create whose answer is lost is settled by looking the row's id up, never by creating it twice.
            var created = await _notion.CreatePageAsync(request, DuplicateCheck.ByRichText(mapping.IdProperty, row.Id), cancellationToken).ConfigureAwait(false);
            page = created.Value;
            result.StatusValue = TableSyncStatus.Created;
            if (created.Recovered) warnings.Add("The create's answer was lost; the page was found by its id and not created twice.");
        }
        result.SideValue = TableSyncSide.Notion;
        result.PageId = page.Id;
        result.Url = page.Url;
        result.SyncStatus = SyncStatus.Synced.ToNotionName();
        result.Warnings = warnings;
        foreach (var w in warnings) _output.Warning(w);
        var snapshot = ReadSnapshot(mapping, page);
        Remember(plan.StateWrite.Approved, new SyncRecordState(row.Id, page.Id, SyncStatus.Synced, now, row.ChangedAt, page.LastEditedTime,
            RowHash(mapping, row), PageHash(mapping, snapshot.Values)));
    }

    private async Task PullAsync(TableSyncPlan plan, TableSyncItem item, TableSyncResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mapping = plan.Mapping;
        var page = item.Page!;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var c in mapping.TwoWayColumns)
            if (page.Values.TryGetValue(c.ColumnName, out var v)) values[c.ColumnName] = v;
        var written = await _table.WriteRowAsync(mapping, item.RecordId, values, now, cancellationToken).ConfigureAwait(false);
        result.StatusValue = written.Inserted ? TableSyncStatus.Created : TableSyncStatus.Updated;
        result.SideValue = TableSyncSide.Database;
        result.RecordId = written.Id;
        result.Key = written.Id;

        // The row as stored (defaults, generated id, the database's own rounding) is what the next run compares with.
        var stored = (await _table.ReadByIdsAsync(mapping, new[] { written.Id }, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
                     ?? new RelationalRow(written.Id, written.ChangedAt, values);
        var status = NotionPropertyValues.SyncStatusOnly(mapping, SyncStatus.Synced);
        status[mapping.LastSyncedProperty] = new JsonObject { ["date"] = new JsonObject { ["start"] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) } };
        if (page.RecordId != written.Id)
            status[mapping.IdProperty] = new JsonObject { ["rich_text"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = written.Id } }) };
        var updated = await _notion.UpdatePageAsync(page.PageId, ToValues(status), cancellationToken).ConfigureAwait(false);
        result.SyncStatus = SyncStatus.Synced.ToNotionName();
        Remember(plan.StateWrite.Approved, new SyncRecordState(written.Id, page.PageId, SyncStatus.Synced, now, stored.ChangedAt ?? written.ChangedAt,
            updated.LastEditedTime, RowHash(mapping, stored), PageHash(mapping, page.Values)));
    }

    private async Task NothingAsync(TableSyncPlan plan, TableSyncItem item, TableSyncResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mapping = plan.Mapping;
        var decision = item.Decision;
        result.SideValue = TableSyncSide.None;
        result.StatusValue = decision.Reason == SyncReason.NotInThisDirection ? TableSyncStatus.Skipped : TableSyncStatus.Unchanged;
        if (decision.Reason == SyncReason.NotInThisDirection)
            result.Reason = _options.Direction == SyncDirection.PushOnly
                ? "Changed in Notion; left pending because -Direction is Push"
                : "Changed in the table; not pushed because -Direction is Pull";
        if (item.StatusWrite != null && decision.StatusAfter is { } s)
            await _notion.UpdatePageAsync(item.PageId!, ToValues(NotionPropertyValues.SyncStatusOnly(mapping, s)), cancellationToken).ConfigureAwait(false);
        result.SyncStatus = decision.StatusAfter?.ToNotionName() ?? item.PageStatus;

        if (decision.StatusAfter == SyncStatus.Synced && item.Row != null && item.Page != null)
        {
            // Both sides agree (or were just linked): record them as the new common ground.
            Remember(plan.StateWrite.Approved, new SyncRecordState(item.Row.Id, item.Page.PageId, SyncStatus.Synced, now, item.Row.ChangedAt, item.Page.LastEditedTime,
                RowHash(mapping, item.Row), PageHash(mapping, item.Page.Values)));
        }
        else if (decision.StatusAfter == SyncStatus.Pending && item.State != null)
        {
            // The old hashes stay, so the change is pulled when the direction allows it.
            Remember(plan.StateWrite.Approved, item.State with { Status = SyncStatus.Pending });
        }
    }

    private TableSyncResult Fail(TableSyncResult result, OberaConnectException error)
    {
        result.StatusValue = TableSyncStatus.Failed;
        result.SideValue = TableSyncSide.None;
        result.Error = error.Message;
        result.ErrorId = error.ErrorId;
        result.Exception = error;
        result.Timestamp = _time.GetUtcNow();
        _output.Verbose($"{result.Table} {result.Key}: {error.Message}");
        return result;
    }

    private void Remember(bool save, SyncRecordState state)
    {
        if (save) _pendingStates.Add(state);
    }

    private async Task FlushStatesAsync(bool force, CancellationToken cancellationToken)
    {
        // A few records per transaction: a run stopped half way keeps what it did.
        if (_pendingStates.Count == 0 || (!force && _pendingStates.Count < 20)) return;
        await _table.SaveRecordStatesAsync(_pendingStates.ToList(), cancellationToken).ConfigureAwait(false);
        _pendingStates.Clear();
    }

    /// <summary>
    /// Saves what is left of the record states and moves the watermarks, each to the newest change read but never
    /// past a record that failed or was skipped (those are read again next run). Does nothing when the state write
    /// was declined (-WhatIf).
    /// </summary>
    public async Task<TableSyncSummary> FinishAsync(TableSyncPlan plan, IReadOnlyCollection<TableSyncResult> results, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        var summary = new TableSyncSummary { Table = plan.Table };
        foreach (var r in results) summary.Count(r);
        if (plan.StateWrite.Approved && plan.StateExists)
        {
            await FlushStatesAsync(force: true, cancellationToken).ConfigureAwait(false);
            var unfinished = new HashSet<string>(results.Where(r => r.StatusValue is TableSyncStatus.Failed or TableSyncStatus.Skipped).Select(r => r.Key), StringComparer.Ordinal);
            var open = plan.Items.Where(i => unfinished.Contains(i.Key)).ToList();
            var rowWatermark = Hold(open.Select(i => i.Row?.ChangedAt), plan.MaxRowChange, plan.TableState?.RowWatermark);
            var pageWatermark = Hold(open.Select(i => i.Page?.LastEditedTime), plan.MaxPageEdit, plan.TableState?.PageWatermark);
            await _table.SaveTableStateAsync(new SyncTableState(plan.Table, plan.StartedAt, rowWatermark, pageWatermark), cancellationToken).ConfigureAwait(false);
        }
        summary.NotionRequests = _notion.Statistics.Requests - plan.RequestsBefore;
        summary.Duration = _time.GetUtcNow() - plan.StartedAt;
        // A preview (-WhatIf: the state write declined) leaves no trace, in the metrics neither.
        if (plan.StateWrite.Approved) await RecordRunAsync(summary.Failed == 0, cancellationToken).ConfigureAwait(false);
        Progress("Done", completed: true);
        return summary;
    }

    private static DateTimeOffset? Hold(IEnumerable<DateTimeOffset?> open, DateTimeOffset? newest, DateTimeOffset? previous)
    {
        var earliestOpen = open.Where(t => t != null).DefaultIfEmpty(null).Min();
        var next = earliestOpen ?? newest ?? previous;
        return previous is { } p && next is { } n && n < p ? p : next;
    }

    /// <summary>
    /// Applies a plan whose writes the host has approved: setup, every item in order (each result handed to
    /// <paramref name="onResult"/> as it is known), then the watermarks. Returns the run's counts.
    /// </summary>
    public async Task<TableSyncSummary> ApplyAllAsync(TableSyncPlan plan, Action<TableSyncResult>? onResult, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        await ApplySetupAsync(plan, cancellationToken).ConfigureAwait(false);
        var results = new List<TableSyncResult>(plan.Items.Count);
        for (var i = 0; i < plan.Items.Count; i++)
        {
            var result = await ApplyAsync(plan, plan.Items[i], cancellationToken).ConfigureAwait(false);
            results.Add(result);
            onResult?.Invoke(result);
            if (i % 10 == 9)
                _output.Progress(new ProgressUpdate(ProgressActivityId, "Syncing " + _table.Table + " with Notion", $"{i + 1} of {plan.Items.Count} record(s)", (i + 1) * 100 / plan.Items.Count));
        }
        return await FinishAsync(plan, results, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans and applies everything (no approvals): for unattended callers and tests.</summary>
    public async Task<IReadOnlyList<TableSyncResult>> RunAsync(CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<TableSyncResult>();
        await ApplyAllAsync(plan, results.Add, cancellationToken).ConfigureAwait(false);
        return results;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The request form of properties (<c>{"Name": {"title": [...]}}</c>) as typed values for the client.</summary>
    private static IReadOnlyList<KeyValuePair<string, PropertyValue>> ToValues(JsonObject properties)
    {
        var list = new List<KeyValuePair<string, PropertyValue>>();
        foreach (var p in properties)
        {
            var value = (JsonObject)p.Value!;
            var type = value.First().Key;
            list.Add(new KeyValuePair<string, PropertyValue>(p.Key, PropertyValue.Raw(type, value[type]?.DeepClone())));
        }
        return list;
    }

    private void Progress(string status, bool completed = false)
        => _output.Progress(new ProgressUpdate(ProgressActivityId, "Syncing " + _table.Table + " with Notion", status, completed ? 100 : -1, completed));

    /// <summary>The reason in words, for results and -Verbose.</summary>
    public static string Describe(SyncReason reason) => reason switch
    {
        SyncReason.NeitherSideExists => "Neither side exists",
        SyncReason.SidesEqual => "Both sides hold the same values",
        SyncReason.Unchanged => "Neither side changed since the last sync",
        SyncReason.NewRow => "New row: not in Notion yet",
        SyncReason.NewPage => "New page: not in the table yet",
        SyncReason.RowChanged => "Changed in the table since the last sync",
        SyncReason.PageChanged => "Changed in Notion since the last sync",
        SyncReason.RowChangedLater => "Both changed; the table's change is later (last write wins)",
        SyncReason.PageChangedLater => "Both changed; the Notion change is later (last write wins)",
        SyncReason.TieWithinMinute => "Both changed within the same minute; the table wins (source of truth)",
        SyncReason.BothChangedFlagged => "Both sides changed since the last sync; flagged for a person to decide",
        SyncReason.BothChangedPreferDatabase => "Both changed; the table wins (-ConflictAction PreferDatabase)",
        SyncReason.BothChangedPreferNotion => "Both changed; Notion wins (-ConflictAction PreferNotion)",
        SyncReason.RowMissingAfterSync => "The row was deleted after the last sync; the page was kept. Settle it with -ConflictAction PreferNotion " +
                                          "(insert the row again from the page) or PreferDatabase -AllowDelete (move the page to the trash)",
        SyncReason.PageMissingAfterSync => "The page was trashed or deleted after the last sync; the row was kept. Settle it with -ConflictAction PreferDatabase " +
                                           "(create the page again from the row) or PreferNotion -AllowDelete (delete the row)",
        SyncReason.RowMissingRecreated => "The row was deleted after the last sync; inserted again from the page (-ConflictAction PreferNotion)",
        SyncReason.PageMissingRecreated => "The page was trashed or deleted after the last sync; created again from the row (-ConflictAction PreferDatabase)",
        SyncReason.RowMissingPageTrashed => "The row was deleted after the last sync; the page was moved to the Notion trash (-ConflictAction PreferDatabase -AllowDelete)",
        SyncReason.PageMissingRowDeleted => "The page was trashed or deleted after the last sync; the row was deleted (-ConflictAction PreferNotion -AllowDelete)",
        SyncReason.NotInThisDirection => "Not in this direction",
        _ => reason.ToString(),
    };
}
