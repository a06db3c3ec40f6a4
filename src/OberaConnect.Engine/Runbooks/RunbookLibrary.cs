using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using Library = OberaConnect.Engine.Workspace.Databases.RunbookLibrary;

namespace OberaConnect.Engine.Runbooks;

/// <summary>
/// Publishes Markdown runbooks to the Runbook Library, one page per Title.
/// <list type="bullet">
/// <item>Add: creates the page (properties first, then the body appended in calls of up to 100 blocks, then Content
/// Hash). A title already present is never created twice: it is Unchanged when its Content Hash matches, else Skipped
/// (use Set-Runbook).</item>
/// <item>Set: the same page is updated. With an unchanged Content Hash only Category and Tags are compared (and
/// written when given and different): no body request at all. With changed content the body is replaced: Content
/// Hash is cleared first (so an interrupted rewrite is redone next time), the old blocks are deleted, the new ones
/// appended, and Content Hash and Source File written last. A missing page is created.</item>
/// </list>
/// Owner and Last Reviewed belong to people and are never written; sub-pages and databases inside a runbook page are
/// kept when its body is replaced. Notion takes three levels of nesting per request: a block whose subtree is deeper
/// (or has more than 100 children, or 1000 blocks) is sent alone and its children are appended to it in later calls,
/// so nothing is flattened.
/// </summary>
public sealed class RunbookLibrary
{
    public const string AddOperation = "Add-Runbook";
    public const string SetOperation = "Set-Runbook";
    private const DatabaseKey Key = DatabaseKey.RunbookLibrary;

    private readonly NotionWorkspace _workspace;
    private readonly string _correlationId;
    private readonly IEngineOutput _output;

    public RunbookLibrary(NotionWorkspace workspace, string correlationId, IEngineOutput? output = null)
    {
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _correlationId = correlationId ?? "";
        _output = output ?? NullEngineOutput.Instance;
    }

    /// <summary>The categories of the workspace definition.</summary>
    public static IReadOnlyList<string> Categories => Library.Category.OptionNames;

    /// <summary>Reads a runbook file; a bad file is a Failed result rather than an exception (see the Plan methods).</summary>
    public static RunbookDocument Read(string path, string? title) => RunbookDocument.FromFile(path, string.IsNullOrWhiteSpace(title) ? null : title);

    /// <summary>Plans Add-Runbook for a file.</summary>
    public Task<PlannedChange> PlanAddAsync(string path, string? title, string? category, IReadOnlyList<string>? tags, object? input, CancellationToken cancellationToken)
        => PlanAsync(AddOperation, () => Read(path, title), category, tags, force: false, replace: false, input ?? path, cancellationToken);

    /// <summary>Plans Set-Runbook for a file; <paramref name="force"/> rewrites the body even when Content Hash matches.</summary>
    public Task<PlannedChange> PlanSetAsync(string path, string? title, string? category, IReadOnlyList<string>? tags, bool force, object? input, CancellationToken cancellationToken)
        => PlanAsync(SetOperation, () => Read(path, title), category, tags, force, replace: true, input ?? path, cancellationToken);

    /// <summary>Plans Add-Runbook (<paramref name="replace"/> false) or Set-Runbook for a document already read.</summary>
    public Task<PlannedChange> PlanAsync(RunbookDocument document, string? category, IReadOnlyList<string>? tags, bool force, bool replace, object? input,
        CancellationToken cancellationToken)
        => PlanAsync(replace ? SetOperation : AddOperation, () => document, category, tags, force, replace, input ?? document.SourceFile, cancellationToken);

    private async Task<PlannedChange> PlanAsync(string operation, Func<RunbookDocument> read, string? category, IReadOnlyList<string>? tags,
        bool force, bool replace, object input, CancellationToken cancellationToken)
    {
        var results = new ChangeResults(operation, Key, _correlationId, _workspace.Time);
        var key = input as string ?? "";
        var target = $"{Key} '{key}'";
        try
        {
            var document = read();
            key = document.Title;
            target = $"{Key} '{key}'";
            var categoryName = NotionWorkspace.OptionOf(Key, Library.Category.Name, category);
            var tagNames = CheckedTags(key, tags);
            var drafts = RunbookBlocks.Drafts(document.Blocks);

            var existing = await KeyedPages.FindAsync(_workspace, Key, key, cancellationToken).ConfigureAwait(false);
            if (existing.Count > 1)
                _output.Warning($"{Key}: '{key}' is held by {existing.Count} pages; the newest is used. Run 'Get-NotionDuplicate -Database {Key}' to clean up.");
            var page = existing.FirstOrDefault();

            if (page is null)
            {
                var properties = new RecordProperties()
                    .Set(Library.Title, key)
                    .Set(Library.SourceFile, document.SourceFile)
                    .SetKnown(Library.Category, categoryName);
                if (tagNames is { Count: > 0 }) properties.Set(Library.Tags, tagNames);
                var changed = properties.Keys.Append(Library.ContentHash.Name).ToList();
                return new PlannedChange(target, $"Create page with {drafts.Count} block(s)", null,
                    ct => results.Guard(key, input, null, changed, () => CreateAsync(results, key, document, properties, drafts, changed, input, ct)),
                    results.Result(key, SyncStatus.Skipped, null, changed, "Not written (-WhatIf or -Confirm).", input));
            }

            var sameContent = string.Equals(page.Get<TextValue>(Library.ContentHash.Name)?.PlainText, document.ContentHash, StringComparison.Ordinal);
            if (!replace)
            {
                return Finished(target, sameContent
                    ? results.Result(key, SyncStatus.Unchanged, page, reason: "Already published with this content.", input: input)
                    : results.Result(key, SyncStatus.Skipped, page, reason: "A runbook with this title exists with other content; it was not changed. Use Set-Runbook to update it.", input: input));
            }

            var updates = new List<KeyValuePair<string, PropertyValue>>();
            if (categoryName != null && page.Get<SelectValue>(Library.Category.Name)?.Name != categoryName)
                updates.Add(Library.Category.Entry(categoryName));
            if (tagNames != null && !PropertyValue.MultiSelect(tagNames).Equals(page.Get<MultiSelectValue>(Library.Tags.Name) ?? PropertyValue.MultiSelect()))
                updates.Add(Library.Tags.Entry(tagNames));

            if (sameContent && !force)
            {
                if (updates.Count == 0)
                    return Finished(target, results.Result(key, SyncStatus.Unchanged, page, reason: "Content Hash matches: the page is current.", input: input));
                var names = updates.Select(u => u.Key).ToList();
                return new PlannedChange(target, "Update " + string.Join(", ", names), null,
                    ct => results.Guard(key, input, page, names, async () =>
                    {
                        var updated = await _workspace.Notion.UpdatePageAsync(page.Id, updates, ct).ConfigureAwait(false);
                        return results.Result(key, SyncStatus.Updated, updated, names, null, input);
                    }),
                    results.Result(key, SyncStatus.Skipped, page, names, "Not written (-WhatIf or -Confirm).", input));
            }

            var rewritten = updates.Select(u => u.Key).Concat(new[] { Library.SourceFile.Name, Library.ContentHash.Name }).ToList();
            return new PlannedChange(target, $"Replace the body with {drafts.Count} block(s)" + (updates.Count > 0 ? " and update " + string.Join(", ", updates.Select(u => u.Key)) : ""), null,
                ct => results.Guard(key, input, page, rewritten, () => ReplaceAsync(results, key, document, page, updates, drafts, rewritten, input, ct)),
                results.Result(key, SyncStatus.Skipped, page, rewritten, "Not written (-WhatIf or -Confirm).", input));
        }
        catch (OberaConnectException ex)
        {
            return Finished(target, results.Failure(key, ex, input: input));
        }
    }

    /// <summary>
    /// The title and tags checked before any request: a title (the page's key) of at most 200 characters without control
    /// characters; tags of at most 100 characters without commas (Notion refuses them in an option), duplicates dropped.
    /// </summary>
    private static List<string>? CheckedTags(string title, IReadOnlyList<string>? tags)
    {
        var check = new Validation.RecordCheck($"{Key} '{Validation.InputValidationException.Printable(title)}'");
        check.Identifier("Title", title, InputRules.NameLength);
        var names = new List<string>();
        foreach (var tag in tags ?? Array.Empty<string>())
        {
            if (check.Identifier("Tags", tag, InputRules.OptionLength) is not { } name) continue;
            if (name.IndexOf(',') >= 0)
                check.Fail(Validation.InputErrorIds.InvalidText, "Tags", name, "contains a comma, which Notion does not allow in a tag", "Give each tag as a separate value (-Tags a, b).");
            else if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
        }
        if (!check.Ok) throw check.Error!;
        return tags is null ? null : names;
    }

    private async Task<SyncResult> CreateAsync(ChangeResults results, string key, RunbookDocument document, Dictionary<string, PropertyValue> properties,
        IReadOnlyList<BlockDraft> drafts, IReadOnlyList<string> changed, object input, CancellationToken cancellationToken)
    {
        var request = NewPage.InDataSource(await _workspace.DataSourceIdAsync(Key, cancellationToken).ConfigureAwait(false));
        foreach (var kv in properties) request.Properties[kv.Key] = kv.Value;
        // Not cancelled mid-request: a create abandoned after sending would leave its outcome unknown.
        var created = await _workspace.Notion.CreatePageAsync(request, DuplicateCheck.ByTitle(Library.Title.Name, key), CancellationToken.None).ConfigureAwait(false);
        var page = created.Value;
        try
        {
            var calls = await AppendAsync(page.Id, drafts, CancellationToken.None).ConfigureAwait(false);
            var done = await _workspace.Notion.UpdatePageAsync(page.Id,
                new[] { Library.ContentHash.Entry(document.ContentHash) }, CancellationToken.None).ConfigureAwait(false);
            var reason = $"{drafts.Count} block(s) appended in {calls} call(s)."
                         + (created.Outcome == CreateOutcome.Recovered ? " Notion's answer to the create was lost; the page was found by its title." : "");
            return results.Result(key, SyncStatus.Created, done, changed, reason, input);
        }
        catch (OberaConnectException ex)
        {
            // The page exists without Content Hash: Set-Runbook will write its body.
            throw new OberaConnectException(ex.ErrorId, ex.Kind,
                $"The runbook page '{key}' was created but its body could not be written completely ({ex.Message}). Run Set-Runbook for the same file to finish it.", ex);
        }
    }

    private async Task<SyncResult> ReplaceAsync(ChangeResults results, string key, RunbookDocument document, NotionPage page,
        IReadOnlyList<KeyValuePair<string, PropertyValue>> updates, IReadOnlyList<BlockDraft> drafts, IReadOnlyList<string> changed, object input,
        CancellationToken cancellationToken)
    {
        // Clear the hash first: if the rewrite stops half way, the next Set-Runbook sees a mismatch and redoes it.
        var first = updates.Concat(new[]
        {
            Library.ContentHash.Entry(""),
            Library.SourceFile.Entry(document.SourceFile),
        }).ToList();
        await _workspace.Notion.UpdatePageAsync(page.Id, first, cancellationToken).ConfigureAwait(false);

        var old = new List<NotionBlock>();
        await foreach (var block in _workspace.Notion.ListChildrenAsync(page.Id, cancellationToken).ConfigureAwait(false)) old.Add(block);
        var removed = 0;
        foreach (var block in old)
        {
            if (block.InTrash || block.Type is "child_page" or "child_database") continue;
            await _workspace.Notion.DeleteBlockAsync(block.Id, cancellationToken).ConfigureAwait(false);
            removed++;
        }
        var calls = await AppendAsync(page.Id, drafts, CancellationToken.None).ConfigureAwait(false);
        var done = await _workspace.Notion.UpdatePageAsync(page.Id,
            new[] { Library.ContentHash.Entry(document.ContentHash) }, CancellationToken.None).ConfigureAwait(false);
        return results.Result(key, SyncStatus.Updated, done, changed, $"Body replaced: {removed} block(s) removed, {drafts.Count} appended in {calls} call(s).", input);
    }

    /// <summary>
    /// Appends <paramref name="drafts"/> to <paramref name="parentId"/>. A block whose subtree does not fit one request
    /// goes alone and its children follow in calls to it. Returns the number of append calls sent.
    /// </summary>
    internal async Task<int> AppendAsync(string parentId, IReadOnlyList<BlockDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0) return 0;
        var blocks = drafts.Select(d => d.Build(withChildren: d.FitsInOneRequest)).ToList();
        var result = await _workspace.Notion.AppendChildrenAsync(parentId, blocks, AppendPosition.End, cancellationToken).ConfigureAwait(false);
        var calls = result.Calls;
        for (var i = 0; i < drafts.Count; i++)
        {
            if (drafts[i].FitsInOneRequest || drafts[i].Children.Count == 0) continue;
            if (i >= result.Blocks.Count)
                throw new OberaConnectException("RunbookAppendIncomplete", FailureKind.InvalidState,
                    $"Notion answered with {result.Blocks.Count} new block(s) for {drafts.Count} sent, so the nested blocks cannot be placed. Run Set-Runbook again.");
            calls += await AppendAsync(result.Blocks[i].Id, drafts[i].Children, cancellationToken).ConfigureAwait(false);
        }
        return calls;
    }

    private static PlannedChange Finished(string target, SyncResult result) => new(target, "None", result, null);
}
