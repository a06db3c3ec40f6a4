using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using Pipeline = OberaConnect.Engine.Workspace.Databases.AzurePipeline;

namespace OberaConnect.Engine.AzureServices;

/// <summary>
/// The Azure Pipeline database: services the MSP offers, moved through the stages of the workspace definition
/// (Idea, Design, Build, Test, Pilot, Production, Retired). Services are found by Service Name with one filtered
/// query. Adding never makes a second page for a name; moving a stage appends a line to Stage History and sets
/// Last Stage Change. Owner, Description and Documentation belong to people: only an add sets Owner, and only when asked.
/// </summary>
public sealed class AzurePipeline
{
    public const string AddOperation = "Add-AzurePipelineService";
    public const string MoveOperation = "Set-AzurePipelineStage";
    private const DatabaseKey Key = DatabaseKey.AzurePipeline;

    private readonly NotionWorkspace _workspace;
    private readonly string _correlationId;
    private readonly IEngineOutput _output;
    private Dictionary<string, string>? _usersByEmail;

    public AzurePipeline(NotionWorkspace workspace, string correlationId, IEngineOutput? output = null)
    {
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _correlationId = correlationId ?? "";
        _output = output ?? NullEngineOutput.Instance;
    }

    /// <summary>The stages, in order, as the workspace definition names them.</summary>
    public static IReadOnlyList<string> Stages => Pipeline.Stage.OptionNames;

    /// <summary>The categories of the workspace definition.</summary>
    public static IReadOnlyList<string> Categories => Pipeline.Category.OptionNames;

    /// <summary>The stage a new service starts in when none is given.</summary>
    public static string FirstStage => Stages[0];

    /// <summary>
    /// Plans adding a service. A name already present is Unchanged when its category matches and Skipped otherwise
    /// (use Set-AzurePipelineStage to move it); never a second page. Owners are Notion user ids or emails.
    /// <paramref name="input"/> is what the host got (kept as the results' Input, an error's target); null means the name.
    /// </summary>
    public async Task<PlannedChange> PlanAddAsync(string name, string category, string? stage, IReadOnlyList<string>? owners,
        object? input, CancellationToken cancellationToken)
    {
        var results = new ChangeResults(AddOperation, Key, _correlationId, _workspace.Time);
        var key = (name ?? "").Trim();
        var target = $"{Key} '{key}'";
        input ??= key;
        try
        {
            if (key.Length == 0)
                throw new OberaConnectException("MissingServiceName", FailureKind.InvalidInput, "A service needs a name: pass -Name, for example 'Azure VPN'.");
            CheckName(key);
            var categoryName = NotionWorkspace.OptionOf(Key, Pipeline.Category.Name, category)
                               ?? throw new OberaConnectException("MissingCategory", FailureKind.InvalidInput,
                                   $"'{key}' needs a category: one of {string.Join(", ", Categories)}.");
            var stageName = NotionWorkspace.OptionOf(Key, Pipeline.Stage.Name, stage) ?? FirstStage;

            var existing = await KeyedPages.FindAsync(_workspace, Key, key, cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0)
            {
                var page = existing[0];
                if (existing.Count > 1) _output.Warning($"{Key}: '{key}' is held by {existing.Count} pages; the newest is used. Run 'Get-NotionDuplicate -Database {Key}' to clean up.");
                var current = PageCategory(page);
                return string.Equals(current, categoryName, StringComparison.Ordinal)
                    ? Finished(target, results.Result(key, SyncStatus.Unchanged, page, reason: $"Already in the pipeline at stage {PageStage(page) ?? "(none)"}.", input: input))
                    : Finished(target, results.Result(key, SyncStatus.Skipped, page,
                        reason: $"Already in the pipeline (category {current ?? "(none)"}, stage {PageStage(page) ?? "(none)"}); it was not changed. Use Set-AzurePipelineStage to move it.",
                        input: input));
            }

            var ownerIds = await ResolveOwnersAsync(owners, cancellationToken).ConfigureAwait(false);
            var now = _workspace.Time.GetUtcNow();
            var properties = new RecordProperties()
                .Set(Pipeline.ServiceName, key)
                .Set(Pipeline.Category, categoryName)
                .Set(Pipeline.Stage, stageName)
                .Set(Pipeline.LastStageChange, NotionDate.At(now))
                .Set(Pipeline.StageHistory, new RichTextValue(StageHistory.ToRichText(new[] { StageHistory.Line(now, null, stageName, null) }, out _)));
            if (ownerIds.Count > 0) properties.Set(Pipeline.Owner, ownerIds);
            var changed = properties.Keys.ToList();
            return new PlannedChange(target, $"Create page (stage {stageName}, category {categoryName})", null,
                ct => results.Guard(key, input, null, changed, async () =>
                {
                    var page = NewPage.InDataSource(await _workspace.DataSourceIdAsync(Key, ct).ConfigureAwait(false));
                    foreach (var kv in properties) page.Properties[kv.Key] = kv.Value;
                    // Not cancelled mid-request: a create abandoned after sending would leave its outcome unknown.
                    var created = await _workspace.Notion.CreatePageAsync(page, DuplicateCheck.ByTitle(Pipeline.ServiceName.Name, key), CancellationToken.None).ConfigureAwait(false);
                    var reason = created.Outcome == CreateOutcome.Recovered ? "Notion's answer was lost; the page was found by its name, so nothing was created twice." : null;
                    return results.Result(key, SyncStatus.Created, created.Value, changed, reason, input);
                }),
                results.Result(key, SyncStatus.Skipped, null, changed, "Not written (-WhatIf or -Confirm).", input));
        }
        catch (OberaConnectException ex)
        {
            return Finished(target, results.Failure(key, ex, input: input));
        }
    }

    /// <summary>
    /// Plans moving a service to <paramref name="stage"/>. Unchanged when it is already there; NotFound (Failed)
    /// when no page has the name. The move appends "yyyy-MM-dd HH:mm Old → New (note)" (UTC) to Stage History.
    /// </summary>
    public async Task<PlannedChange> PlanStageAsync(string name, string stage, string? note, object? input, CancellationToken cancellationToken)
    {
        var results = new ChangeResults(MoveOperation, Key, _correlationId, _workspace.Time);
        var key = (name ?? "").Trim();
        var target = $"{Key} '{key}'";
        input ??= key;
        try
        {
            CheckName(key);
            var stageName = NotionWorkspace.OptionOf(Key, Pipeline.Stage.Name, stage)
                            ?? throw new OberaConnectException("MissingStage", FailureKind.InvalidInput, $"Name the stage to move '{key}' to: one of {string.Join(", ", Stages)}.");
            var noteCheck = new RecordCheck($"{Key} '{InputValidationException.Printable(key)}'");
            note = noteCheck.Line("Note", note, MaxNoteLength);
            if (!noteCheck.Ok) throw noteCheck.Error!;
            foreach (var n in noteCheck.Notices) _output.Warning(n);
            var existing = await KeyedPages.FindAsync(_workspace, Key, key, cancellationToken).ConfigureAwait(false);
            if (existing.Count == 0)
                throw new OberaConnectException("ServiceNotFound", FailureKind.NotFound,
                    $"No service named '{key}' is in the Azure Pipeline. Check the name, or add it with Add-AzurePipelineService.");
            if (existing.Count > 1) _output.Warning($"{Key}: '{key}' is held by {existing.Count} pages; the newest is moved. Run 'Get-NotionDuplicate -Database {Key}' to clean up.");
            var page = existing[0];
            var from = PageStage(page);
            if (string.Equals(from, stageName, StringComparison.Ordinal))
                return Finished(target, results.Result(key, SyncStatus.Unchanged, page, reason: $"Already at stage {stageName}.", input: input));

            var changed = new[] { Pipeline.Stage.Name, Pipeline.LastStageChange.Name, Pipeline.StageHistory.Name };
            var move = (from ?? "(none)") + StageHistory.Arrow + stageName;
            return new PlannedChange(target, "Move stage " + move, null,
                ct => results.Guard(key, input, page, changed, async () =>
                {
                    var now = _workspace.Time.GetUtcNow();
                    var history = await CurrentHistoryAsync(page, ct).ConfigureAwait(false);
                    var lines = StageHistory.Lines(history).ToList();
                    lines.Add(StageHistory.Line(now, from ?? "(none)", stageName, note));
                    var text = StageHistory.ToRichText(lines, out var dropped);
                    if (dropped > 0) _output.Warning($"{Key} '{key}': Stage History is full; its {dropped} oldest line(s) were dropped.");
                    var values = new List<KeyValuePair<string, PropertyValue>>
                    {
                        Pipeline.Stage.Entry(stageName),
                        Pipeline.LastStageChange.Entry(NotionDate.At(now)),
                        Pipeline.StageHistory.Entry(new RichTextValue(text)),
                    };
                    var updated = await _workspace.Notion.UpdatePageAsync(page.Id, values, ct).ConfigureAwait(false);
                    return results.Result(key, SyncStatus.Updated, updated, changed, move, input);
                }),
                results.Result(key, SyncStatus.Skipped, page, changed, "Not written (-WhatIf or -Confirm).", input));
        }
        catch (OberaConnectException ex)
        {
            return Finished(target, results.Failure(key, ex, input: input));
        }
    }

    /// <summary>Longest note of a stage move (one line of Stage History).</summary>
    public const int MaxNoteLength = 500;

    private static PlannedChange Finished(string target, SyncResult result) => new(target, "None", result, null);

    // A service name is the page's key: at most 200 characters, no control characters (checked before any request).
    private static void CheckName(string name)
    {
        var check = new RecordCheck("Azure Pipeline service");
        check.Identifier("Name", name, InputRules.NameLength);
        if (!check.Ok) throw check.Error!;
    }

    private static string? PageStage(NotionPage page) => page.Get<SelectValue>(Pipeline.Stage.Name)?.Name;

    private static string? PageCategory(NotionPage page) => page.Get<SelectValue>(Pipeline.Category.Name)?.Name;

    /// <summary>
    /// The whole Stage History. Notion's page objects are complete for plain text but carry at most 25 references
    /// (mentions); when someone put that many into the history, the full value is read from the property endpoint.
    /// </summary>
    private async Task<string> CurrentHistoryAsync(NotionPage page, CancellationToken cancellationToken)
    {
        var value = page.Get<RichTextValue>(Pipeline.StageHistory.Name);
        if (value is null) return "";
        if (value.Segments.Count(s => s.Type == "mention") < 25 || value.PropertyId is null) return value.PlainText;
        var full = await _workspace.Notion.GetPropertyAsync(page.Id, value.PropertyId, cancellationToken).ConfigureAwait(false);
        return full is TextValue t ? t.PlainText : value.PlainText;
    }

    /// <summary>Owner ids: Notion user ids (or links) as given; emails looked up in the workspace's users (one paged read).</summary>
    private async Task<IReadOnlyList<string>> ResolveOwnersAsync(IReadOnlyList<string>? owners, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var raw in owners ?? Array.Empty<string>())
        {
            var owner = (raw ?? "").Trim();
            if (owner.Length == 0) continue;
            if (owner.IndexOf('@') < 0)
            {
                ids.Add(NotionId.Normalize(owner, "owner's Notion user id"));
                continue;
            }
            if (_usersByEmail is null)
            {
                var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                await foreach (var user in _workspace.Notion.ListUsersAsync(cancellationToken).ConfigureAwait(false))
                    if (!string.IsNullOrEmpty(user.Email)) map[user.Email!] = user.Id;
                _usersByEmail = map;
            }
            if (!_usersByEmail.TryGetValue(owner, out var id))
                throw new OberaConnectException("OwnerNotFound", FailureKind.NotFound,
                    $"No Notion user has the email '{owner}' (or the integration may not read emails). Pass the user's Notion id instead.");
            ids.Add(id);
        }
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }
}
