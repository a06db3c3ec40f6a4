using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// One explicit write (add a service, move a stage, publish a runbook), decided before anything is written so the host
/// can ask ShouldProcess with <see cref="Target"/> and <see cref="Action"/>. When nothing needs writing (the record is
/// already as asked, or the input is wrong) <see cref="Done"/> holds the final result and no request is sent.
/// </summary>
public sealed class PlannedChange
{
    private readonly Func<CancellationToken, Task<SyncResult>>? _apply;

    internal PlannedChange(string target, string action, SyncResult? done, Func<CancellationToken, Task<SyncResult>>? apply, SyncResult? declined = null)
    {
        Target = target;
        Action = action;
        Done = done;
        _apply = apply;
        Declined = declined;
    }

    /// <summary>What ShouldProcess names as the target, for example "AzurePipeline 'Azure VPN'".</summary>
    public string Target { get; }

    /// <summary>What ShouldProcess names as the action, for example "Move stage Idea → Design".</summary>
    public string Action { get; }

    /// <summary>The final result when no write is needed; null when the change must be approved and applied.</summary>
    public SyncResult? Done { get; }

    /// <summary>True when <see cref="ApplyAsync"/> would write.</summary>
    public bool NeedsWrite => Done is null;

    /// <summary>The result to record when the host declines (-WhatIf, -Confirm answered no).</summary>
    public SyncResult? Declined { get; }

    /// <summary>Writes the change. Failures come back as a Failed result (with the exception), never thrown.</summary>
    public Task<SyncResult> ApplyAsync(CancellationToken cancellationToken)
        => _apply is null ? Task.FromResult(Done!) : _apply(cancellationToken);

    public override string ToString() => $"{Target}: {Action}";
}

/// <summary>Builds the <see cref="SyncResult"/>s of one explicit command, stamped with its operation, database and correlation id.</summary>
internal sealed class ChangeResults
{
    private readonly string _operation;
    private readonly string _database;
    private readonly string _correlationId;
    private readonly TimeProvider _time;

    public ChangeResults(string operation, DatabaseKey database, string correlationId, TimeProvider time)
    {
        _operation = operation;
        _database = database.ToString();
        _correlationId = correlationId;
        _time = time;
    }

    public SyncResult Result(string key, SyncStatus status, NotionPage? page = null, IReadOnlyList<string>? changed = null, string? reason = null, object? input = null)
        => new()
        {
            Operation = _operation,
            Database = _database,
            Key = key,
            StatusValue = status,
            PageId = page?.Id,
            Url = page?.Url,
            ChangedProperties = status == SyncStatus.Unchanged ? Array.Empty<string>() : changed ?? Array.Empty<string>(),
            Reason = reason,
            Input = input,
            Timestamp = _time.GetUtcNow(),
            CorrelationId = _correlationId,
        };

    public SyncResult Failure(string key, Exception error, NotionPage? page = null, object? input = null, IReadOnlyList<string>? changed = null)
    {
        var ex = error as OberaConnectException
                 ?? new OberaConnectException("Unexpected" + _operation.Replace("-", ""), FailureKind.Unknown,
                     $"{_database} '{key}': unexpected error {error.GetType().Name}: {error.Message}", error);
        var result = Result(key, SyncStatus.Failed, page, changed, input: input);
        result.Error = ex.Message;
        result.ErrorId = ex.ErrorId;
        result.Exception = ex;
        return result;
    }

    /// <summary>Runs a write and turns any engine error into a Failed result.</summary>
    public async Task<SyncResult> Guard(string key, object? input, NotionPage? page, IReadOnlyList<string>? changed, Func<Task<SyncResult>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is OberaConnectException or HttpRequestException or IOException)
        {
            return Failure(key, ex, page, input, changed);
        }
    }
}

/// <summary>Finds the pages of a database holding a key (one filtered query), newest edit first.</summary>
internal static class KeyedPages
{
    public static async Task<List<NotionPage>> FindAsync(NotionWorkspace workspace, DatabaseKey database, string key, CancellationToken cancellationToken)
    {
        var definition = workspace.Definition[database];
        var property = definition.KeyProperty;
        // "contains" ignores case in Notion, "equals" may not: find loosely, then keep exact matches as the syncs compare keys.
        var filter = property.Type == NotionPropertyType.Title
            ? NotionFilter.Title(property.Name).Contains(key.Trim())
            : NotionFilter.RichText(property.Name).Contains(key.Trim());
        var dataSource = await workspace.DataSourceIdAsync(database, cancellationToken).ConfigureAwait(false);
        var pages = new List<NotionPage>();
        await foreach (var page in workspace.Notion.QueryAsync(dataSource, new NotionQuery { Filter = filter, PageSize = 25 }, cancellationToken).ConfigureAwait(false))
        {
            if (page.InTrash) continue;
            if (page.Properties.TryGetValue(property.Name, out var v) && v is TextValue t && SyncTable.NormalizeKey(t.PlainText) == SyncTable.NormalizeKey(key))
                pages.Add(page);
        }
        // The one the syncs keep when a key has duplicates: newest edit, then oldest creation.
        return pages.OrderByDescending(p => p.LastEditedTime).ThenBy(p => p.CreatedTime).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
    }
}
