using System.Text;
using System.Text.Json.Nodes;
using OberaConnect.Engine.AzureServices;
using OberaConnect.Engine.Duplicates;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Azure Pipeline, Runbook Library and duplicates through the real client and the Notion fake, on the standard
/// workspace's schema: every write is counted and read back from the fake's state.
/// </summary>
public sealed class PipelineRunbookDuplicateTests : IAsyncLifetime
{
    private StandardWorkspaceOnFake _ws = null!;

    public async Task InitializeAsync() => _ws = await StandardWorkspaceOnFake.StartAsync();

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private AzurePipeline Pipeline() => new(_ws.Workspace, "test");

    private RunbookLibrary Library() => new(_ws.Workspace, "test");

    private static async Task<SyncResult> Run(Task<PlannedChange> planning)
    {
        var plan = await planning;
        return plan.Done ?? await plan.ApplyAsync(default);
    }

    private string PipelineSource => _ws.Source(DatabaseKey.AzurePipeline);

    private string RunbookSource => _ws.Source(DatabaseKey.RunbookLibrary);

    // ------------------------------------------------------------------ Azure Pipeline

    [Fact]
    public async Task Adding_a_service_creates_it_at_the_first_stage_and_adding_it_again_never_makes_a_second_page()
    {
        var created = await Run(Pipeline().PlanAddAsync("Azure VPN", "networking", null, null, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        var id = Assert.Single(_ws.State.PageIds(PipelineSource));
        Assert.Equal(id, created.PageId);
        Assert.Equal("Azure VPN", _ws.State.GetPropertyText(id, "Service Name"));
        Assert.Equal("Networking", _ws.State.GetPropertyText(id, "Category"));
        Assert.Equal("Idea", _ws.State.GetPropertyText(id, "Stage"));
        Assert.Equal("2026-11-22 14:05 Added as Idea", _ws.State.GetPropertyText(id, "Stage History"));

        _ws.Requests.Reset();
        var again = await Pipeline().PlanAddAsync("azure vpn ", "Networking", "Build", null, null, default);
        Assert.False(again.NeedsWrite);
        Assert.Equal(SyncStatus.Unchanged, again.Done!.StatusValue);
        var otherCategory = await Run(Pipeline().PlanAddAsync("Azure VPN", "Security", null, null, null, default));
        Assert.Equal(SyncStatus.Skipped, otherCategory.StatusValue);
        Assert.Contains("Set-AzurePipelineStage", otherCategory.Reason);
        Assert.Empty(_ws.Writes());
        Assert.Single(_ws.State.PageIds(PipelineSource));
    }

    [Fact]
    public async Task Owners_are_set_at_creation_by_user_id_or_email()
    {
        var ada = _ws.State.AddUser("Ada Lovelace", "ada@oberaconnect.example");
        var grace = _ws.State.AddUser("Grace Hopper", "grace@oberaconnect.example");

        var created = await Run(Pipeline().PlanAddAsync("Entra ID P2", "Identity", "Design", new[] { ada, "GRACE@oberaconnect.example" }, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        var people = _ws.State.GetPageProperties(created.PageId!)["Owner"]!["people"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        Assert.Equal(new[] { ada, grace }.Select(i => NotionId.Normalize(i)).OrderBy(i => i), people.OrderBy(i => i));
        Assert.Equal("Design", _ws.State.GetPropertyText(created.PageId!, "Stage"));

        var unknown = await Run(Pipeline().PlanAddAsync("Defender", "Security", null, new[] { "nobody@oberaconnect.example" }, null, default));
        Assert.Equal(SyncStatus.Failed, unknown.StatusValue);
        Assert.Equal("OwnerNotFound", unknown.ErrorId);
        Assert.Single(_ws.State.PageIds(PipelineSource));
    }

    [Fact]
    public async Task Moving_a_service_appends_one_history_line_per_move_and_sets_the_stage_and_time()
    {
        await Run(Pipeline().PlanAddAsync("Azure Backup", "Backup", null, null, null, default));
        _ws.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(10));

        var plan = await Pipeline().PlanStageAsync("Azure Backup", "design", "approved by CAB", null, default);
        Assert.Equal("Move stage Idea \u2192 Design", plan.Action);
        var moved = await plan.ApplyAsync(default);
        _ws.Clock.Advance(TimeSpan.FromHours(26));
        var built = await Run(Pipeline().PlanStageAsync("Azure Backup", "Build", null, null, default));

        Assert.Equal(SyncStatus.Updated, moved.StatusValue);
        Assert.Equal(SyncStatus.Updated, built.StatusValue);
        Assert.Equal(new[] { "Stage", "Last Stage Change", "Stage History" }, built.ChangedProperties);
        var id = moved.PageId!;
        Assert.Equal("Build", _ws.State.GetPropertyText(id, "Stage"));
        Assert.Equal(
            "2026-11-22 14:05 Added as Idea\n2026-11-25 14:15 Idea \u2192 Design (approved by CAB)\n2026-11-26 16:15 Design \u2192 Build",
            _ws.State.GetPropertyText(id, "Stage History"));
        var lastChange = (string)_ws.State.GetPageProperties(id)["Last Stage Change"]!["date"]!["start"]!;
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 16, 15, 0, TimeSpan.Zero), DateTimeOffset.Parse(lastChange));

        _ws.Requests.Reset();
        var same = await Pipeline().PlanStageAsync("Azure Backup", "BUILD", null, null, default);
        Assert.Equal(SyncStatus.Unchanged, same.Done!.StatusValue);
        Assert.Empty(_ws.Writes());
    }

    [Fact]
    public async Task A_full_history_drops_its_oldest_lines_and_stays_within_100_runs_of_2000_characters()
    {
        var old = Enumerable.Range(1, 100).Select(i => $"2025-01-01 00:00 line {i:D3} " + new string('x', 1970)).ToList();
        var runs = new JsonArray(old.Select((l, i) => (JsonNode)new JsonObject { ["text"] = new JsonObject { ["content"] = (i == 0 ? "" : "\n") + l } }).ToArray());
        var props = new JsonObject
        {
            ["Service Name"] = new JsonObject { ["title"] = new JsonArray(new JsonObject { ["text"] = new JsonObject { ["content"] = "Azure Monitor" } }) },
            ["Stage"] = new JsonObject { ["select"] = new JsonObject { ["name"] = "Pilot" } },
            ["Stage History"] = new JsonObject { ["rich_text"] = runs },
        };
        var id = _ws.State.InsertPageJson(PipelineSource, props.ToJsonString());

        var moved = await Run(Pipeline().PlanStageAsync("Azure Monitor", "Production", "go-live", null, default));

        Assert.Equal(SyncStatus.Updated, moved.StatusValue);
        var stored = _ws.State.GetPageProperties(id)["Stage History"]!["rich_text"]!.AsArray();
        Assert.True(stored.Count <= NotionLimits.RichTextElements);
        Assert.All(stored, r => Assert.True(((string)r!["text"]!["content"]!).Length <= NotionLimits.TextContent));
        var lines = StageHistory.Lines(_ws.State.GetPropertyText(id, "Stage History"));
        Assert.StartsWith("2025-01-01 00:00 line 002 ", lines[0]);
        Assert.Equal("2026-11-22 14:05 Pilot \u2192 Production (go-live)", lines[^1]);
        Assert.Equal(100, lines.Count);
    }

    [Fact]
    public async Task Bad_stages_and_missing_services_fail_without_writing()
    {
        await Run(Pipeline().PlanAddAsync("Azure VPN", "Networking", null, null, null, default));
        _ws.Requests.Reset();

        var badStage = await Pipeline().PlanStageAsync("Azure VPN", "Shipped", null, null, default);
        var missing = await Pipeline().PlanStageAsync("Azure Nothing", "Design", null, null, default);
        var badCategory = await Pipeline().PlanAddAsync("Azure Files", "Cooking", null, null, null, default);

        Assert.Equal("InvalidEnumValue", badStage.Done!.ErrorId);
        Assert.Contains("Idea, Design, Build, Test, Pilot, Production, Retired", badStage.Done.Error);
        Assert.Equal(FailureKind.NotFound, ((OberaConnectException)missing.Done!.Exception!).Kind);
        Assert.Equal("ServiceNotFound", missing.Done.ErrorId);
        Assert.Equal(SyncStatus.Failed, badCategory.Done!.StatusValue);
        Assert.Empty(_ws.Writes());
        Assert.Equal(1, _ws.Requests.Count("POST /v1/data_sources/{id}/query")); // only the lookup of 'Azure Nothing'
    }

    // ------------------------------------------------------------------ Runbook Library

    private static string Write(string directory, string name, string markdown)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, markdown, new UTF8Encoding(false));
        return path;
    }

    private static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "oc-runbooks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private async Task<List<NotionBlock>> Children(string id) => await _ws.Client.ListChildrenAsync(id).ToListAsync();

    [Fact]
    public async Task A_250_block_runbook_is_appended_in_3_calls_and_reads_back_equal()
    {
        var dir = TempDirectory();
        var markdown = "# Big SOP\n\n" + string.Join("\n\n", Enumerable.Range(1, 250).Select(i => $"Step {i}: check **device {i}**."));
        var path = Write(dir, "big.md", markdown);

        var created = await Run(Library().PlanAddAsync(path, null, "Maintenance", new[] { "sop", "network" }, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        Assert.Equal(3, _ws.Requests.Count("PATCH /v1/blocks/{id}/children"));
        Assert.Equal(1, _ws.Requests.Count("POST /v1/pages"));
        var blocks = await Children(created.PageId!);
        Assert.Equal(Enumerable.Range(1, 250).Select(i => $"Step {i}: check device {i}."), blocks.Select(b => b.PlainText));
        Assert.All(blocks, b => Assert.Equal("paragraph", b.Type));
        Assert.Equal("Big SOP", _ws.State.GetPropertyText(created.PageId!, "Title"));
        Assert.Equal(RunbookDocument.HashOf(markdown), _ws.State.GetPropertyText(created.PageId!, "Content Hash"));
        Assert.Equal(Path.GetFullPath(path), _ws.State.GetPropertyText(created.PageId!, "Source File"));
        Assert.Equal("Maintenance", _ws.State.GetPropertyText(created.PageId!, "Category"));
        Assert.Contains("appended in 3 call(s)", created.Reason);
    }

    [Fact]
    public async Task Markdown_maps_to_Notion_blocks_with_styles_languages_and_nesting_deeper_than_one_request()
    {
        var dir = TempDirectory();
        var markdown = string.Join("\n", new[]
        {
            "# VPN Setup SOP",
            "## Before you start",
            "Read **all** of it, *slowly*, with `ipconfig` and ~~no~~ [the wiki](https://wiki.example.com/vpn) and [a relative](../other.md).",
            "### Steps",
            "- level 1",
            "  - level 2",
            "    - level 3",
            "      - level 4",
            "        - level 5",
            "1. first",
            "2. second",
            "- [ ] open the firewall",
            "- [x] tell the customer",
            "> Mind the change window.",
            "---",
            "```ps1",
            "Get-NetIPConfiguration",
            "```",
            "```sh",
            "ip a",
            "```",
            "```yml",
            "a: 1",
            "```",
            "```brainfuck",
            "+++",
            "```",
        });
        var path = Write(dir, "vpn.md", markdown);

        var created = await Run(Library().PlanAddAsync(path, null, null, null, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        Assert.Equal("VPN Setup SOP", _ws.State.GetPropertyText(created.PageId!, "Title"));
        var top = _ws.State.GetChildren(created.PageId!);
        Assert.Equal(new[]
        {
            "heading_2", "paragraph", "heading_3", "bulleted_list_item", "numbered_list_item", "numbered_list_item", "to_do", "to_do",
            "quote", "divider", "code", "code", "code", "code",
        }, top.Select(b => (string)b["type"]!));

        var runs = top[1]["paragraph"]!["rich_text"]!.AsArray();
        JsonNode Segment(string text) => runs.First(r => (string)r!["plain_text"]! == text)!;
        Assert.True((bool)Segment("all")["annotations"]!["bold"]!);
        Assert.True((bool)Segment("slowly")["annotations"]!["italic"]!);
        Assert.True((bool)Segment("ipconfig")["annotations"]!["code"]!);
        Assert.True((bool)Segment("no")["annotations"]!["strikethrough"]!);
        Assert.Equal("https://wiki.example.com/vpn", (string)Segment("the wiki")["text"]!["link"]!["url"]!);
        Assert.Null(Segment("a relative")["text"]!["link"]);

        Assert.False((bool)top[6]["to_do"]!["checked"]!);
        Assert.True((bool)top[7]["to_do"]!["checked"]!);
        Assert.Equal(new[] { "powershell", "shell", "yaml", "plain text" }, top.Skip(10).Select(b => (string)b["code"]!["language"]!));
        Assert.Equal("Get-NetIPConfiguration", (string)top[10]["code"]!["rich_text"]![0]!["plain_text"]!);

        // Five levels: more than one request can nest, so the deeper levels were appended to their parent later.
        var level = top[3];
        var texts = new List<string>();
        while (true)
        {
            texts.Add((string)level["bulleted_list_item"]!["rich_text"]![0]!["plain_text"]!);
            var kids = _ws.State.GetChildren((string)level["id"]!);
            if (kids.Count == 0) break;
            level = Assert.Single(kids);
        }
        Assert.Equal(new[] { "level 1", "level 2", "level 3", "level 4", "level 5" }, texts);
        Assert.True(_ws.Requests.Count("PATCH /v1/blocks/{id}/children") >= 2);
    }

    [Fact]
    public async Task A_list_item_with_more_than_100_children_gets_them_in_later_calls_in_order()
    {
        var dir = TempDirectory();
        var markdown = "# Checklist\n\n- every switch\n" + string.Join("\n", Enumerable.Range(1, 120).Select(i => $"  - switch {i:D3}")) + "\n\nDone.\n";
        var path = Write(dir, "wide.md", markdown);

        var created = await Run(Library().PlanAddAsync(path, null, null, null, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        var top = await Children(created.PageId!);
        Assert.Equal(new[] { "every switch", "Done." }, top.Select(b => b.PlainText));
        var nested = await Children(top[0].Id);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"switch {i:D3}"), nested.Select(b => b.PlainText));
        Assert.Equal(3, _ws.Requests.Count("PATCH /v1/blocks/{id}/children")); // the page's 2 blocks, then 100 + 20 children
    }

    [Fact]
    public async Task Long_text_is_split_at_Notions_limits()
    {
        var dir = TempDirectory();
        var longParagraph = new string('a', 4500);
        var manyRuns = string.Join(" ", Enumerable.Range(1, 150).Select(i => $"**b{i}** p{i}"));
        var longCode = string.Join("\n", Enumerable.Range(1, 500).Select(i => $"Write-Output {i:D5}"));
        var path = Write(dir, "long.md", $"# Long\n\n{longParagraph}\n\n{manyRuns}\n\n```powershell\n{longCode}\n```\n");

        var created = await Run(Library().PlanAddAsync(path, null, null, null, null, default));

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        var top = _ws.State.GetChildren(created.PageId!);
        var first = top[0]["paragraph"]!["rich_text"]!.AsArray();
        Assert.Equal(new[] { 2000, 2000, 500 }, first.Select(r => ((string)r!["plain_text"]!).Length));
        // 150 bold runs and 150 plain runs: 300 runs, so three paragraphs of at most 100.
        var styled = top.Skip(1).TakeWhile(b => (string)b["type"]! == "paragraph").ToList();
        Assert.Equal(3, styled.Count);
        Assert.All(styled, b => Assert.True(b["paragraph"]!["rich_text"]!.AsArray().Count <= 100));
        Assert.Equal(manyRuns.Replace("**", ""), string.Concat(styled.SelectMany(b => b["paragraph"]!["rich_text"]!.AsArray()).Select(r => (string)r!["plain_text"]!)));
        var code = top.Last();
        Assert.Equal("code", (string)code["type"]!);
        Assert.Equal(longCode, string.Concat(code["code"]!["rich_text"]!.AsArray().Select(r => (string)r!["plain_text"]!)));
    }

    [Fact]
    public async Task Set_with_unchanged_content_sends_only_reads_and_Add_never_touches_an_existing_page()
    {
        var dir = TempDirectory();
        var path = Write(dir, "sop.md", "# Backup check\n\n- look at the jobs\n- call if red\n");
        await Run(Library().PlanAddAsync(path, null, "Backup", null, null, default));
        _ws.Requests.Reset();

        var set = await Run(Library().PlanSetAsync(path, null, null, null, force: false, null, default));
        var add = await Run(Library().PlanAddAsync(path, null, null, null, null, default));
        File.AppendAllText(path, "- write it down\n");
        var addChanged = await Run(Library().PlanAddAsync(path, null, null, null, null, default));

        Assert.Equal(SyncStatus.Unchanged, set.StatusValue);
        Assert.Equal(SyncStatus.Unchanged, add.StatusValue);
        Assert.Equal(SyncStatus.Skipped, addChanged.StatusValue);
        Assert.Contains("Set-Runbook", addChanged.Reason);
        Assert.Empty(_ws.Writes());
        Assert.True(_ws.Requests.Total > 0);
        Assert.Single(_ws.State.PageIds(RunbookSource));
    }

    [Fact]
    public async Task Set_for_a_title_not_in_the_library_creates_one_page_with_the_body_and_a_second_Set_creates_nothing()
    {
        var dir = TempDirectory();
        var markdown = "# Printer SOP\n\nPower-cycle the printer.\n\n- check the toner\n- check the tray\n";
        var path = Write(dir, "printer.md", markdown);

        var plan = await Library().PlanSetAsync(path, null, "Maintenance", new[] { "printer" }, force: false, null, default);
        Assert.True(plan.NeedsWrite);
        Assert.StartsWith("Create page with 3 block(s)", plan.Action);
        var created = await plan.ApplyAsync(default);

        Assert.Equal(SyncStatus.Created, created.StatusValue);
        Assert.Equal(RunbookLibrary.SetOperation, created.Operation);
        var id = Assert.Single(_ws.State.PageIds(RunbookSource));
        Assert.Equal(id, created.PageId);
        Assert.Equal(1, _ws.Requests.Count("POST /v1/pages"));
        Assert.Equal(new[] { "Power-cycle the printer.", "check the toner", "check the tray" }, (await Children(id)).Select(b => b.PlainText));
        Assert.Equal("Printer SOP", _ws.State.GetPropertyText(id, "Title"));
        Assert.Equal(RunbookDocument.HashOf(markdown), _ws.State.GetPropertyText(id, "Content Hash"));
        Assert.Equal(Path.GetFullPath(path), _ws.State.GetPropertyText(id, "Source File"));
        Assert.Equal("Maintenance", _ws.State.GetPropertyText(id, "Category"));
        Assert.Equal("printer", _ws.State.GetPropertyText(id, "Tags"));

        _ws.Requests.Reset();
        var again = await Library().PlanSetAsync(path, null, null, null, force: false, null, default);

        Assert.False(again.NeedsWrite);
        Assert.Equal(SyncStatus.Unchanged, again.Done!.StatusValue);
        Assert.Equal(id, again.Done.PageId);
        Assert.Empty(_ws.Writes());
        Assert.Single(_ws.State.PageIds(RunbookSource));
        Assert.Equal(3, (await Children(id)).Count);
    }

    [Fact]
    public async Task Set_with_changed_content_replaces_the_body_of_the_same_page_and_leaves_user_properties_alone()
    {
        var dir = TempDirectory();
        var path = Write(dir, "sop.md", "# Firewall SOP\n\nOld step one.\n\nOld step two.\n");
        var created = await Run(Library().PlanAddAsync(path, null, "Security", new[] { "firewall" }, null, default));
        var id = created.PageId!;
        _ws.State.UpdatePage(id, new Dictionary<string, object?> { ["Last Reviewed"] = new DateTime(2026, 10, 1) });
        File.WriteAllText(path, "# Firewall SOP\n\nNew step one.\n\n1. numbered\n2. again\n", new UTF8Encoding(false));

        var plan = await Library().PlanSetAsync(path, null, "Security", new[] { "firewall", "sonicwall" }, force: false, null, default);
        Assert.True(plan.NeedsWrite);
        Assert.StartsWith("Replace the body with 3 block(s) and update Tags", plan.Action);
        var updated = await plan.ApplyAsync(default);

        Assert.Equal(SyncStatus.Updated, updated.StatusValue);
        Assert.Equal(id, updated.PageId);
        Assert.Single(_ws.State.PageIds(RunbookSource));
        Assert.Equal(new[] { "New step one.", "numbered", "again" }, (await Children(id)).Select(b => b.PlainText));
        Assert.Equal(RunbookDocument.HashOf(File.ReadAllText(path)), _ws.State.GetPropertyText(id, "Content Hash"));
        Assert.Equal("2026-10-01", (string)_ws.State.GetPageProperties(id)["Last Reviewed"]!["date"]!["start"]!);
        Assert.Equal("firewall,sonicwall", _ws.State.GetPropertyText(id, "Tags"));
        Assert.Equal(2, _ws.Requests.Count("DELETE /v1/blocks/{id}"));

        _ws.Requests.Reset();
        var forced = await Run(Library().PlanSetAsync(path, null, null, null, force: true, null, default));
        Assert.Equal(SyncStatus.Updated, forced.StatusValue);
        Assert.Equal(3, _ws.Requests.Count("DELETE /v1/blocks/{id}"));
        Assert.Equal(3, (await Children(id)).Count);
    }

    [Fact]
    public async Task A_body_that_fails_half_way_is_reported_and_the_next_Set_finishes_it()
    {
        var dir = TempDirectory();
        var path = Write(dir, "sop.md", "# Onboarding\n\n" + string.Join("\n\n", Enumerable.Range(1, 150).Select(i => $"Item {i}")));
        _ws.Fake.Faults.Add("PATCH /v1/blocks/{id}/children", NotionFault.Status(409), times: 1);

        var failed = await Run(Library().PlanAddAsync(path, null, "Onboarding", null, null, default));

        Assert.Equal(SyncStatus.Failed, failed.StatusValue);
        Assert.Contains("Set-Runbook", failed.Error);
        var id = Assert.Single(_ws.State.PageIds(RunbookSource));
        Assert.True(string.IsNullOrEmpty(_ws.State.GetPropertyText(id, "Content Hash")));

        var finished = await Run(Library().PlanSetAsync(path, null, null, null, force: false, null, default));

        Assert.Equal(SyncStatus.Updated, finished.StatusValue);
        Assert.Equal(id, finished.PageId);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => $"Item {i}"), (await Children(id)).Select(b => b.PlainText));
        Assert.Equal(RunbookDocument.HashOf(File.ReadAllText(path)), _ws.State.GetPropertyText(id, "Content Hash"));
    }

    [Fact]
    public async Task A_missing_file_is_a_failed_result_naming_the_path()
    {
        var path = Path.Combine(TempDirectory(), "nope.md");
        var result = await Run(Library().PlanSetAsync(path, null, null, null, false, null, default));
        Assert.Equal(SyncStatus.Failed, result.StatusValue);
        Assert.Equal("RunbookFileUnreadable", result.ErrorId);
        Assert.Contains("nope.md", result.Error);
        Assert.Equal(path, result.Input);
        Assert.Equal(0, _ws.Requests.Total);
    }

    // ------------------------------------------------------------------ duplicates

    private string Site(string name, DateTimeOffset created, DateTimeOffset edited)
    {
        var id = _ws.State.InsertPage(_ws.Source(DatabaseKey.CustomerSites), new Dictionary<string, object?> { ["Site Name"] = name }, created);
        _ws.State.SetTimestamps(id, created, edited);
        return id;
    }

    [Fact]
    public async Task Duplicates_are_found_in_one_streamed_read_and_without_ids_or_links_the_oldest_is_kept_and_the_others_trashed()
    {
        var t = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var acmeOld = Site("Acme Corp", t, t.AddDays(1));
        var acmeNewest = Site("Acme Corp", t.AddHours(1), t.AddDays(5));
        var acmeMid = Site("ACME corp ", t.AddHours(2), t.AddDays(3));
        var globexOriginal = Site("Globex", t, t.AddDays(2));
        var globexCopy = Site("Globex", t.AddMinutes(5), t.AddDays(2)); // same edit time: the original (older) stays
        Site("Initech", t, t);
        _ws.State.InsertPages(_ws.Source(DatabaseKey.CustomerSites), 200, i => new Dictionary<string, object?> { ["Site Name"] = $"Filler {i}" });
        _ws.Requests.Reset();

        var found = await new NotionDuplicates(_ws.Workspace).FindAsync("Customer Sites", null, null, default);

        // 206 rows streamed in pages of 100, then one query per database that relates to Customer Sites (the links).
        Assert.Equal(3 + 4, _ws.Requests.Count("POST /v1/data_sources/{id}/query"));
        Assert.Equal(new[] { "Acme Corp", "Globex" }, found.Select(d => d.Key));
        var acme = found[0];
        Assert.Equal(3, acme.Count);
        Assert.Equal("Site Name", acme.Property);
        Assert.Equal(nameof(DuplicateKeepRule.Identity), acme.KeepRule);
        Assert.All(acme.Pages, p => Assert.Equal((0, null), (p.Links, p.SourceIds)));
        Assert.Equal(new[] { acmeOld, acmeNewest, acmeMid }.Select(i => NotionId.Normalize(i)), acme.Pages.Select(p => p.PageId));
        Assert.Equal(NotionId.Normalize(globexOriginal), found[1].KeepPageId);
        // -Keep Newest keeps the newest edit, as earlier versions did; the input is left as it was.
        Assert.Equal(NotionId.Normalize(acmeNewest), NotionDuplicates.Choose(acme, DuplicateKeepRule.Newest).KeepPageId);
        Assert.Equal(NotionId.Normalize(acmeOld), acme.KeepPageId);

        var remover = new NotionDuplicates(_ws.Workspace);
        var results = new List<DuplicateRemovalResult>();
        foreach (var d in found)
            foreach (var page in d.Extra)
                results.Add(await remover.TrashAsync(d, page, default));

        Assert.All(results, r => Assert.Equal(DuplicateRemovalStatus.Trashed, r.StatusValue));
        Assert.True(_ws.State.IsInTrash(acmeNewest));
        Assert.True(_ws.State.IsInTrash(acmeMid));
        Assert.True(_ws.State.IsInTrash(globexCopy));
        Assert.False(_ws.State.IsInTrash(acmeOld));
        Assert.False(_ws.State.IsInTrash(globexOriginal));
        Assert.Empty(await new NotionDuplicates(_ws.Workspace).FindAsync("CustomerSites", null, null, default));
    }

    [Fact]
    public async Task A_page_whose_trash_keeps_failing_is_Failed_naming_it_stays_in_the_data_source_and_the_other_duplicates_are_still_trashed()
    {
        // Two retries, so one page's failures (3 attempts) stay under the breaker's threshold and the next pages are sent.
        using var client = NotionClientsOnFake.Create(_ws.Fake, tweak: o => o.Resilience.MaxRetries = 2);
        var workspace = NotionWorkspace.Of(client, _ws.Sources, _ws.Clock);
        var t = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var acmeKept = Site("Acme Corp", t, t.AddDays(5));
        var acmeStuck = Site("Acme Corp", t.AddHours(1), t.AddDays(3));
        var acmeOther = Site("acme corp", t.AddHours(2), t.AddDays(1));
        var globexKept = Site("Globex", t, t.AddDays(2));
        var globexCopy = Site("Globex", t.AddMinutes(5), t.AddDays(1));
        var sites = _ws.Source(DatabaseKey.CustomerSites);
        var found = await new NotionDuplicates(workspace).FindAsync("CustomerSites", null, null, default);
        Assert.Equal(new[] { "Acme Corp", "Globex" }, found.Select(d => d.Key));

        // Every attempt at the first trash (the stuck page's) answers 500.
        const int attempts = 3;
        _ws.Fake.Faults.Add("PATCH /v1/pages/{id}", NotionFault.InternalServerError(), attempts);
        _ws.Requests.Reset();
        var remover = new NotionDuplicates(workspace);
        var work = found.SelectMany(d => d.Extra.Select(p => (Duplicate: d, Page: p)))
            .OrderBy(w => w.Page.PageId == NotionId.Normalize(acmeStuck) ? 0 : 1).ToList();
        Assert.Equal(3, work.Count);
        var results = new List<DuplicateRemovalResult>();
        foreach (var (duplicate, page) in work)
            results.Add(await remover.TrashAsync(duplicate, page, default));

        Assert.Equal(attempts, _ws.Fake.Faults.Fired);
        Assert.Equal(0, _ws.Fake.Faults.Pending);
        Assert.Equal(attempts + 2, _ws.Requests.Count("PATCH /v1/pages/{id}"));
        var failed = Assert.Single(results, r => r.StatusValue == DuplicateRemovalStatus.Failed);
        Assert.Equal(NotionId.Normalize(acmeStuck), failed.PageId);
        Assert.Contains(NotionId.Normalize(acmeStuck), failed.Error);
        Assert.False(string.IsNullOrEmpty(failed.ErrorId));
        Assert.IsAssignableFrom<OberaConnectException>(failed.Exception);
        Assert.Equal(2, results.Count(r => r.StatusValue == DuplicateRemovalStatus.Trashed));
        Assert.True(_ws.State.IsInTrash(acmeOther));
        Assert.True(_ws.State.IsInTrash(globexCopy));
        Assert.False(_ws.State.IsInTrash(acmeStuck));
        Assert.Contains(acmeStuck, _ws.State.PageIds(sites));
        Assert.Equal(new[] { acmeKept, acmeStuck, globexKept }.OrderBy(i => i), _ws.State.PageIds(sites).OrderBy(i => i));

        // The next Get-NotionDuplicate | Remove-NotionDuplicate finishes the job.
        var again = Assert.Single(await new NotionDuplicates(workspace).FindAsync("CustomerSites", null, null, default));
        Assert.Equal(NotionId.Normalize(acmeKept), again.KeepPageId);
        var retried = await new NotionDuplicates(workspace).TrashAsync(again, again.Extra.Single(), default);
        Assert.Equal(DuplicateRemovalStatus.Trashed, retried.StatusValue);
        Assert.True(_ws.State.IsInTrash(acmeStuck));
    }

    [Fact]
    public async Task A_page_edited_since_it_was_found_or_whose_kept_page_is_gone_is_left_alone()
    {
        var t = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var a1 = Site("Acme Corp", t, t.AddDays(2));
        var a2 = Site("Acme Corp", t, t.AddDays(1));
        var g1 = Site("Globex", t, t.AddDays(2));
        var g2 = Site("Globex", t, t.AddDays(1));
        // Same creation times: -Keep Newest decides (the newest edit of each key stays).
        var found = (await new NotionDuplicates(_ws.Workspace).FindAsync("CustomerSites", "site name", null, default))
            .Select(d => NotionDuplicates.Choose(d, DuplicateKeepRule.Newest)).ToList();
        Assert.Equal(new[] { NotionId.Normalize(a1), NotionId.Normalize(g1) }, found.Select(d => d.KeepPageId));
        _ws.State.SetTimestamps(a2, lastEdited: t.AddDays(4));
        _ws.State.TrashPage(g1);

        var remover = new NotionDuplicates(_ws.Workspace);
        var acme = await remover.TrashAsync(found[0], found[0].Extra.Single(), default);
        var globex = await remover.TrashAsync(found[1], found[1].Extra.Single(), default);

        Assert.Equal(DuplicateRemovalStatus.Skipped, acme.StatusValue);
        Assert.Contains("Edited at", acme.Reason);
        Assert.Equal(DuplicateRemovalStatus.Skipped, globex.StatusValue);
        Assert.Contains("gone or in the trash", globex.Reason);
        Assert.False(_ws.State.IsInTrash(a2));
        Assert.False(_ws.State.IsInTrash(g2));
        Assert.False(_ws.State.IsInTrash(a1));
    }

    [Fact]
    public async Task The_page_its_history_points_at_is_kept_the_copies_records_move_to_it_before_the_trash_and_the_history_reads_back_whole()
    {
        // The synced site: source ids, three snapshots and a change pointing at it. Two bare copies made by hand, one of
        // them older than the synced page, the other already holding a snapshot (a sync related it to the newest edit).
        var t = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var sites = _ws.Source(DatabaseKey.CustomerSites);
        var olderCopy = Site("Bayou Electric", t.AddDays(-30), t.AddDays(-30));
        var synced = _ws.State.InsertPage(sites, new Dictionary<string, object?> { ["Site Name"] = "Bayou Electric", ["UniFi Site ID"] = "u-bayou", ["NinjaOne Org ID"] = "42" }, t);
        _ws.State.SetTimestamps(synced, t, t.AddDays(1));
        var linkedCopy = Site("bayou electric", t.AddDays(2), t.AddDays(9));
        var health = _ws.Source(DatabaseKey.DailyHealth);
        string Snapshot(string site, int day) => _ws.State.InsertPage(health, new Dictionary<string, object?>
        {
            ["Snapshot"] = RecordKeys.DailyHealthTitle("Bayou Electric", t.AddDays(day).Date),
            ["Snapshot Key"] = RecordKeys.DailyHealthKey("Bayou Electric", t.AddDays(day).Date),
            ["Date"] = t.AddDays(day).Date.ToString("yyyy-MM-dd"),
            ["Site"] = new[] { site },
        });
        var history = new[] { Snapshot(synced, 0), Snapshot(synced, 1), Snapshot(synced, 2), Snapshot(linkedCopy, 3) };
        _ws.State.InsertPage(_ws.Source(DatabaseKey.ConfigChanges), new Dictionary<string, object?> { ["Change"] = "Bayou - fw", ["Change ID"] = "C-1", ["Site"] = new[] { synced } });

        var found = Assert.Single(await new NotionDuplicates(_ws.Workspace).FindAsync("CustomerSites", null, null, default));

        var pages = found.Pages.ToDictionary(p => p.PageId);
        Assert.Equal(NotionId.Normalize(synced), found.KeepPageId);
        Assert.Equal("Bayou Electric", found.Key);
        Assert.Equal((4, "Daily Health 3, Config Changes 1"), (pages[NotionId.Normalize(synced)].Links, pages[NotionId.Normalize(synced)].LinkedFrom));
        Assert.Contains("u-bayou", pages[NotionId.Normalize(synced)].SourceIds);
        Assert.Equal((1, (string?)null), (pages[NotionId.Normalize(linkedCopy)].Links, pages[NotionId.Normalize(linkedCopy)].SourceIds));
        Assert.Equal(0, pages[NotionId.Normalize(olderCopy)].Links);
        // The other rules, for -Keep.
        Assert.Equal(NotionId.Normalize(olderCopy), NotionDuplicates.Choose(found, DuplicateKeepRule.Oldest).KeepPageId);
        Assert.Equal(NotionId.Normalize(linkedCopy), NotionDuplicates.Choose(found, DuplicateKeepRule.Newest).KeepPageId);
        Assert.Equal(NotionId.Normalize(synced), NotionDuplicates.Choose(found, DuplicateKeepRule.MostLinked).KeepPageId);

        // The prompt names the page kept, the page trashed and how many records point at each.
        var copy = pages[NotionId.Normalize(linkedCopy)];
        var target = NotionDuplicates.TargetOf(found, copy);
        var action = NotionDuplicates.ActionOf(found, copy);
        Assert.Contains("Customer Sites 'Bayou Electric'", target);
        Assert.Contains("1 record(s) point at it: Daily Health 1", target);
        Assert.Contains("keeping page " + NotionId.Normalize(synced).Replace("-", "").Substring(0, 8), action);
        Assert.Contains("4 record(s) point at it: Daily Health 3, Config Changes 1", action);
        Assert.Contains("first point its 1 record(s) at the kept page", action);

        var remover = new NotionDuplicates(_ws.Workspace);
        var results = new List<DuplicateRemovalResult>();
        foreach (var page in found.Extra) results.Add(await remover.TrashAsync(found, page, default));

        Assert.All(results, r => Assert.Equal(DuplicateRemovalStatus.Trashed, r.StatusValue));
        Assert.Equal(1, results.Single(r => r.PageId == NotionId.Normalize(linkedCopy)).RelationsMoved);
        Assert.True(_ws.State.IsInTrash(linkedCopy));
        Assert.True(_ws.State.IsInTrash(olderCopy));
        Assert.False(_ws.State.IsInTrash(synced));
        Assert.All(history, id => Assert.Equal(NotionId.Normalize(synced), NotionId.Normalize(_ws.State.GetPropertyText(id, "Site")!)));
        // Get-DailyHealth -Site 'Bayou Electric' still returns the whole history.
        var read = await new OberaConnect.Engine.ReadBack.WorkspaceReader(_ws.Workspace)
            .ListAsync<OberaConnect.Engine.ReadBack.DailyHealthRecord>(new OberaConnect.Engine.ReadBack.DailyHealthQuery { Site = "Bayou Electric" });
        Assert.Equal(4, read.Count);
    }

    [Fact]
    public async Task A_copy_whose_records_cannot_all_be_moved_is_not_trashed()
    {
        var t = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var kept = Site("Globex", t, t);
        var copy = Site("Globex", t.AddDays(1), t.AddDays(1));
        var change = _ws.State.InsertPage(_ws.Source(DatabaseKey.ConfigChanges), new Dictionary<string, object?> { ["Change"] = "Globex - fw", ["Change ID"] = "C-9", ["Site"] = new[] { copy } });
        var found = NotionDuplicates.Choose(Assert.Single(await new NotionDuplicates(_ws.Workspace).FindAsync("CustomerSites", null, null, default)), DuplicateKeepRule.Oldest);
        Assert.Equal(NotionId.Normalize(kept), found.KeepPageId);

        // The record's update answers 400 (not retried): the copy keeps its record and stays out of the trash.
        _ws.Fake.Faults.Add("PATCH /v1/pages/{id}", NotionFault.Status(400), 1);
        var result = await new NotionDuplicates(_ws.Workspace).TrashAsync(found, found.Extra.Single(), default);

        Assert.Equal(DuplicateRemovalStatus.Failed, result.StatusValue);
        Assert.Contains("not trashed", result.Error);
        Assert.False(_ws.State.IsInTrash(copy));
        Assert.Equal(NotionId.Normalize(copy), NotionId.Normalize(_ws.State.GetPropertyText(change, "Site")!));
    }

    [Fact]
    public async Task Duplicates_by_another_property_and_unknown_names_are_reported()
    {
        var devices = _ws.Source(DatabaseKey.NetworkDevices);
        _ws.State.InsertPage(devices, new Dictionary<string, object?> { ["Device Name"] = "Switch", ["MAC"] = "aa:bb:cc:00:00:01" });
        _ws.State.InsertPage(devices, new Dictionary<string, object?> { ["Device Name"] = "Switch", ["MAC"] = "aa:bb:cc:00:00:02" });
        _ws.State.InsertPage(devices, new Dictionary<string, object?> { ["Device Name"] = "Router", ["MAC"] = "aa:bb:cc:00:00:03" });

        var byMac = await new NotionDuplicates(_ws.Workspace).FindAsync("NetworkDevices", null, null, default);
        var byName = await new NotionDuplicates(_ws.Workspace).FindAsync("network-devices", "Device Name", null, default);

        Assert.Empty(byMac);
        var dup = Assert.Single(byName);
        Assert.Equal(("Switch", 2), (dup.Key, dup.Count));
        var unknownProperty = await Assert.ThrowsAnyAsync<OberaConnectException>(() => new NotionDuplicates(_ws.Workspace).FindAsync("NetworkDevices", "Colour", null, default));
        Assert.Equal("UnknownProperty", unknownProperty.ErrorId);
        Assert.Contains("Device Name, Firmware", unknownProperty.Message); // the properties there are, so the fix is in the message
        var unknownDatabase = await Assert.ThrowsAsync<OberaConnectException>(() => new NotionDuplicates(_ws.Workspace).FindAsync("customer_status", null, null, default));
        Assert.Equal("UnknownDatabase", unknownDatabase.ErrorId);
        Assert.Contains("RunbookLibrary", unknownDatabase.Message);
    }
}
