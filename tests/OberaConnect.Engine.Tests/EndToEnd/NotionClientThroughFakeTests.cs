using System.Text.Json;
using System.Text.Json.Nodes;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// Issue 2 ("Foundation"), end to end: a real <see cref="NotionClient"/> talks real HTTP to the
/// <see cref="NotionFake"/> on 127.0.0.1. Request counts are the fake's own counters, so "nothing was
/// sent" and "exactly three requests" are what crossed the wire, not what the client believes it did.
/// </summary>
public sealed class NotionClientThroughFakeTests
{
    private const string Query = "POST /v1/data_sources/{id}/query";
    private const string CreatePage = "POST /v1/pages";
    private const string GetPage = "GET /v1/pages/{id}";
    private const string GetMe = "GET /v1/users/me";

    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();
    private static readonly DateTimeOffset SeedStart = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    // ------------------------------------------------------------------ 1. property round trip

    [Theory]
    [InlineData(NotionClientOptions.LatestVersion)]
    [InlineData(NotionClientOptions.DataSourcesVersion)]
    public async Task Every_property_type_round_trips_through_create_get_and_query(string version)
    {
        // The fake's clock stands still (timestamps become exact); the client runs on real time.
        var fakeClock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = fakeClock });
        using var client = NotionClientsOnFake.Create(fake, version: version);
        var ownerId = fake.State.AddUser("Ada Lovelace", "ada@example.com");

        var customers = await client.CreateDatabaseAsync(fake.RootPageId, "Customers",
            new Dictionary<string, PropertyDefinition> { ["Name"] = PropertyDefinition.Title() });
        var customersSource = Assert.Single(customers.Value.DataSources).Id;
        var customer = (await client.CreatePageAsync(NewPage.InDataSource(customersSource).With("Name", PropertyValue.Title("Contoso")))).Value;

        var sites = await client.CreateDatabaseAsync(fake.RootPageId, "Customer Sites", new Dictionary<string, PropertyDefinition>
        {
            ["Site"] = PropertyDefinition.Title(),
            ["Notes"] = PropertyDefinition.RichText(),
            ["Health"] = PropertyDefinition.Number(),
            ["Tier"] = PropertyDefinition.Select(new SelectOption("Gold", NotionColor.Yellow), new SelectOption("Silver")),
            ["Tags"] = PropertyDefinition.MultiSelect(new SelectOption("wifi"), new SelectOption("vpn")),
            ["Stage"] = PropertyDefinition.Status(),
            ["Installed"] = PropertyDefinition.Date(),
            ["Maintenance"] = PropertyDefinition.Date(),
            ["Local window"] = PropertyDefinition.Date(),
            ["Active"] = PropertyDefinition.Checkbox(),
            ["Portal"] = PropertyDefinition.Url(),
            ["Contact"] = PropertyDefinition.Email(),
            ["Phone"] = PropertyDefinition.PhoneNumber(),
            ["Customer"] = PropertyDefinition.Relation(customersSource),
            ["Owner"] = PropertyDefinition.People(),
            ["Created"] = PropertyDefinition.CreatedTime(),
            ["Edited"] = PropertyDefinition.LastEditedTime(),
            ["Ref"] = PropertyDefinition.UniqueId("SITE"),
        });
        var sitesSource = Assert.Single(sites.Value.DataSources).Id;

        var written = new Dictionary<string, PropertyValue>
        {
            ["Site"] = PropertyValue.Title("Main office — Zürich 🚀"),
            ["Notes"] = PropertyValue.RichText("Rack 3, \"core\" switch\nsecond line\ttabbed"),
            ["Health"] = PropertyValue.Number(87.25),
            ["Tier"] = PropertyValue.Select("Gold"),
            ["Tags"] = PropertyValue.MultiSelect("wifi", "vpn", "option created on write"),
            ["Stage"] = PropertyValue.Status("In progress"),
            ["Installed"] = PropertyValue.Date(NotionDate.Day(new DateTime(2025, 10, 1))),
            ["Maintenance"] = PropertyValue.Date(NotionDate.At(
                new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 3, 1, 11, 15, 0, TimeSpan.FromHours(2)))),
            ["Local window"] = PropertyValue.Date(NotionDate.InZone(new DateTime(2026, 3, 1, 22, 0, 0), "Europe/Zurich", new DateTime(2026, 3, 2, 2, 0, 0))),
            ["Active"] = PropertyValue.Checkbox(true),
            ["Portal"] = PropertyValue.Url("https://unifi.example.com/site/main?tab=devices&x=1"),
            ["Contact"] = PropertyValue.Email("noc@example.com"),
            ["Phone"] = PropertyValue.PhoneNumber("+41 44 123 45 67"),
            ["Customer"] = PropertyValue.Relation(customer.Id),
            ["Owner"] = PropertyValue.People(ownerId),
        };
        var page = NewPage.InDataSource(sitesSource);
        foreach (var w in written) page.With(w.Key, w.Value);
        var created = await client.CreatePageAsync(page);
        Assert.Equal(CreateOutcome.Created, created.Outcome);
        AssertHolds(written, created.Value, "create answer");

        // A second row a few minutes later: its own created_time and the next unique id.
        fakeClock.Advance(TimeSpan.FromMinutes(3));
        var second = (await client.CreatePageAsync(NewPage.InDataSource(sitesSource).With("Site", PropertyValue.Title("Branch")))).Value;

        var read = await client.GetPageAsync(created.Value.Id);
        AssertHolds(written, read, "GET page");
        Assert.Equal(sitesSource, read.ParentDataSourceId);
        Assert.False(read.InTrash);

        var rows = await client.QueryAsync(sitesSource).ToListAsync();
        Assert.Equal(new[] { created.Value.Id, second.Id }, rows.Select(r => r.Id));
        AssertHolds(written, rows[0], "query");

        // Values Notion computes.
        var start = fakeClock.GetUtcNow() - TimeSpan.FromMinutes(3);
        Assert.Equal(start, read.CreatedTime);
        Assert.Equal(start, Assert.IsType<CreatedTimeValue>(read.Properties["Created"]).Time);
        Assert.Equal(read.LastEditedTime, Assert.IsType<LastEditedTimeValue>(read.Properties["Edited"]).Time);
        Assert.Equal(start + TimeSpan.FromMinutes(3), Assert.IsType<CreatedTimeValue>(rows[1].Properties["Created"]).Time);
        var firstRef = Assert.IsType<UniqueIdValue>(read.Properties["Ref"]);
        Assert.Equal(("SITE", 1L), (firstRef.Prefix, firstRef.Number));
        Assert.Equal(2L, Assert.IsType<UniqueIdValue>(rows[1].Properties["Ref"]).Number);
        Assert.Equal("SITE-2", rows[1].Properties["Ref"].DisplayText);

        // The fake stored what the client meant, and every request carried the chosen version.
        Assert.Equal("Gold", fake.State.GetPropertyText(read.Id, "Tier"));
        Assert.Equal(customer.Id, fake.State.GetPropertyText(read.Id, "Customer"));
        Assert.All(fake.Requests.Log, r => Assert.Equal(version, r.NotionVersion));
    }

    private static void AssertHolds(IReadOnlyDictionary<string, PropertyValue> written, NotionPage page, string source)
    {
        foreach (var (name, expected) in written)
        {
            Assert.True(page.Properties.TryGetValue(name, out var actual), $"{source}: property \"{name}\" is missing.");
            Assert.True(expected.Equals(actual),
                $"{source}: property \"{name}\" wrote {expected.ToJsonString()} but read {actual!.ToJsonString()}.");
        }
    }

    // ------------------------------------------------------------------ 2. limits

    [Fact]
    public async Task Text_longer_than_2000_characters_is_split_and_read_back_whole()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Runbooks", """{"Name":{"title":{}},"Body":{"rich_text":{}}}""");
        using var client = NotionClientsOnFake.Create(fake);

        // An emoji straddles the 2000-character boundary: the split must not cut its surrogate pair.
        var title = new string('T', 1999) + "🚀" + new string('t', 600);
        var body = string.Concat(Enumerable.Range(0, 460).Select(i => $"line {i:000} ✓\n"));
        Assert.True(body.Length > 4000);

        var created = await client.CreatePageAsync(NewPage.InDataSource(db.DataSourceId)
            .With("Name", PropertyValue.Title(title)).With("Body", PropertyValue.RichText(body)));

        var stored = fake.State.GetPageProperties(created.Value.Id);
        Assert.Equal(2, stored["Name"]!["title"]!.AsArray().Count);
        Assert.Equal((int)Math.Ceiling(body.Length / 2000.0), stored["Body"]!["rich_text"]!.AsArray().Count);
        Assert.Equal(title, fake.State.GetPropertyText(created.Value.Id, "Name"));
        Assert.Equal(body, fake.State.GetPropertyText(created.Value.Id, "Body"));

        var read = await client.GetPageAsync(created.Value.Id);
        Assert.Equal(title, read.Title);
        Assert.Equal(body, read.Get<RichTextValue>("Body")!.PlainText);
        Assert.Equal(PropertyValue.RichText(body), read.Properties["Body"]);
    }

    [Fact]
    public async Task Over_limit_values_fail_with_the_limit_error_and_nothing_is_sent()
    {
        await using var fake = await NotionFake.StartAsync();
        var sites = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var db = fake.State.CreateDatabase(fake.RootPageId, "Devices", new JsonObject
        {
            ["Name"] = new JsonObject { ["title"] = new JsonObject() },
            ["Tags"] = new JsonObject { ["multi_select"] = new JsonObject() },
            ["Links"] = new JsonObject { ["relation"] = new JsonObject { ["data_source_id"] = sites.DataSourceId, ["single_property"] = new JsonObject() } },
        });
        var existing = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "switch-1" });
        using var client = NotionClientsOnFake.Create(fake);

        var tooMany = Enumerable.Range(1, 101).Select(i => "tag " + i).ToArray();
        var create = await Assert.ThrowsAsync<NotionLimitException>(() => client.CreatePageAsync(NewPage.InDataSource(db.DataSourceId)
            .With("Name", PropertyValue.Title("switch-2")).With("Tags", PropertyValue.MultiSelect(tooMany))));
        Assert.Equal((100, 101L), (create.Limit, create.Actual));
        Assert.Contains("\"Tags\"", create.Message);
        Assert.Contains("Nothing was sent", create.Message);

        var pageIds = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var update = await Assert.ThrowsAsync<NotionLimitException>(() => client.UpdatePageAsync(existing,
            new Dictionary<string, PropertyValue> { ["Links"] = PropertyValue.Relation(pageIds) }));
        Assert.Equal(101L, update.Actual);

        var email = await Assert.ThrowsAsync<NotionLimitException>(() => client.UpdatePageAsync(existing,
            new Dictionary<string, PropertyValue> { ["Name"] = PropertyValue.Title("x"), ["Mail"] = PropertyValue.Email(new string('a', 195) + "@example.com") }));
        Assert.Equal(200, email.Limit);

        Assert.Equal(0, fake.Requests.Total);
        Assert.Equal(0, client.Statistics.Requests);
        Assert.Equal(1, fake.State.CountPages(db.DataSourceId));
    }

    // ------------------------------------------------------------------ 3. pagination and the 10,000-row cap

    [Fact]
    public async Task Two_hundred_fifty_rows_come_back_complete_in_three_query_requests()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Alerts", """{"Name":{"title":{}},"Severity":{"number":{}}}""");
        var ids = fake.State.InsertPages(db.DataSourceId, 250, i => new Dictionary<string, object?> { ["Name"] = $"Alert {i}", ["Severity"] = i % 5 });
        using var client = NotionClientsOnFake.Create(fake);

        var rows = await client.QueryAsync(db.DataSourceId).ToListAsync();

        Assert.Equal(ids, rows.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"Alert {i}"), rows.Select(r => r.Title));
        Assert.Equal(3, fake.Requests.Count(Query));
        // One query followed through its cursors: the first request has none, the other two carry one each.
        var bodies = fake.Requests.Log.Where(r => r.Endpoint == Query).Select(r => JsonNode.Parse(r.Body!)!).ToList();
        Assert.Equal(new[] { false, true, true }, bodies.Select(b => b["start_cursor"] is not null));
        Assert.All(bodies, b => Assert.Equal(100, b["page_size"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Twenty_five_thousand_rows_are_read_past_the_10000_row_cap_each_exactly_once()
    {
        const int rowCount = 25_000, perMinute = 100;
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Health History", """{"Name":{"title":{}}}""");
        // 100 rows per created_time minute (Notion's timestamps are minute-granular), oldest first. Untitled:
        // values only cost seeding and rendering time, and ids are what is checked.
        var ids = fake.State.InsertPages(db.DataSourceId, rowCount, _ => NoValues,
            i => SeedStart.AddMinutes(i / perMinute));
        using var client = NotionClientsOnFake.Create(fake);

        var seen = new List<string>(rowCount);
        await foreach (var page in client.QueryAsync(db.DataSourceId)) seen.Add(page.Id);

        Assert.Equal(rowCount, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids, seen); // every id exactly once, oldest first

        // Each window reads at most 10,000 rows and starts again at the last row's minute, re-reading that
        // minute's (at most 100) rows: windows = 1 + ceil((25,000 - 10,000) / (10,000 - 100)) = 3. Requests are at
        // least 25,000 / 100 = 250, plus per later window at most one page of re-read rows and per window at most
        // one partly filled page: 250 + 2 + 3 = 255.
        var queries = fake.Requests.Log.Where(r => r.Endpoint == Query).ToList();
        Assert.InRange(queries.Count, 250, 255);
        Assert.Equal(queries.Count, fake.Requests.Count(Query));
        var windowStarts = queries.Where(q => JsonNode.Parse(q.Body!)!["start_cursor"] is null).ToList();
        Assert.Equal(3, windowStarts.Count);
        Assert.Null(JsonNode.Parse(windowStarts[0].Body!)!["filter"]);
        Assert.All(windowStarts.Skip(1), w => Assert.Contains("\"on_or_after\"", w.Body!));
    }

    // ------------------------------------------------------------------ 4. 429 and Retry-After

    [Fact]
    public async Task A_429_is_retried_no_earlier_than_its_Retry_After_on_the_shared_clock()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        fake.Faults.Add(GetMe, NotionFault.RateLimited(retryAfterSeconds: 7));
        using var client = NotionClientsOnFake.Create(fake, clock);

        var me = await clock.Drive(client.GetMeAsync());

        Assert.Equal(fake.BotUserId, me.Id);
        var attempts = fake.Requests.Log.Where(r => r.Endpoint == GetMe).ToList();
        Assert.Equal(new[] { 429, 200 }, attempts.Select(a => a.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(7),
            $"The retry reached the fake {(attempts[1].At - attempts[0].At).TotalSeconds} s after the 429 that asked for 7 s.");
        Assert.Equal(2, fake.Requests.Total);
        Assert.Equal((1L, 1L), (client.Statistics.RateLimited, client.Statistics.Retries));
    }

    [Fact]
    public async Task A_client_sending_faster_than_the_rate_limit_is_held_back_by_429s_and_gets_every_answer()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock, RateLimitPerSecond = 0.5, Burst = 2 });
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var ids = fake.State.InsertPages(db.DataSourceId, 6, i => new Dictionary<string, object?> { ["Name"] = "Site " + i });
        using var client = NotionClientsOnFake.Create(fake, clock); // paced at 1000/s: far too fast for the fake

        var titles = await clock.Drive(Task.Run(async () =>
        {
            var list = new List<string>();
            foreach (var id in ids) list.Add((await client.GetPageAsync(id)).Title);
            return list;
        }));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => "Site " + i), titles);
        Assert.True(fake.Requests.RateLimited >= 3, $"{fake.Requests.RateLimited} requests were rate limited.");
        // The fake's Retry-After is the whole seconds until its bucket holds a request again (at least 1 s), so a
        // client that waits it out is answered at once: a 429 is never followed by another.
        var log = fake.Requests.Log;
        for (var i = 1; i < log.Count; i++)
        {
            if (log[i - 1].Status != 429) continue;
            Assert.Equal(200, log[i].Status);
            Assert.True(log[i].At - log[i - 1].At >= TimeSpan.FromSeconds(1), $"Request {i} came {(log[i].At - log[i - 1].At).TotalSeconds} s after a 429.");
        }
        Assert.Equal(6, log.Count(r => r.Status == 200));
        Assert.Equal(fake.Requests.RateLimited, client.Statistics.RateLimited);
    }

    // ------------------------------------------------------------------ 5. 5xx

    [Fact]
    public async Task Two_503s_then_success_return_normally_after_three_requests()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var id = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Main office" });
        fake.Faults.Add(GetPage, NotionFault.ServiceUnavailable(), times: 2);
        using var client = NotionClientsOnFake.Create(fake, clock);

        var page = await clock.Drive(client.GetPageAsync(id));

        Assert.Equal("Main office", page.Title);
        Assert.Equal(3, fake.Requests.Count(GetPage));
        Assert.Equal(new[] { 503, 503, 200 }, fake.Requests.Log.Select(r => r.Status));
        Assert.Equal(2L, client.Statistics.Retries);
    }

    [Fact]
    public async Task More_500s_than_the_retries_allow_surface_as_NotionServiceException_with_status_and_request_id()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var id = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Main office" });
        fake.Faults.Add(GetPage, NotionFault.InternalServerError(), times: 5);
        using var client = NotionClientsOnFake.Create(fake, clock, tweak: o => o.Resilience.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<NotionServiceException>(() => clock.Drive(client.GetPageAsync(id)));

        Assert.Equal(3, fake.Requests.Count(GetPage)); // the first attempt and 2 retries
        Assert.Equal(2, fake.Faults.Pending);
        Assert.Equal(500, error.Status);
        Assert.Equal("internal_server_error", error.Code);
        Assert.Equal(FailureKind.ServiceUnavailable, error.Kind);
        Assert.True(NotionId.TryParse(error.RequestId, out _), $"request id \"{error.RequestId}\"");
        Assert.Contains(error.RequestId!, error.Message);
        Assert.Contains(NotionId.Normalize(id), error.Message);
    }

    // ------------------------------------------------------------------ 6. lost creates

    [Fact]
    public async Task Lost_create_answer_with_a_duplicate_check_is_recovered_and_the_page_exists_once()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Site Name":{"title":{}},"Health":{"number":{}}}""");
        fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Site Name"] = "Other site" });
        fake.Faults.Add(CreatePage, NotionFault.LoseResponse());
        using var client = NotionClientsOnFake.Create(fake);

        var result = await client.CreatePageAsync(
            NewPage.InDataSource(db.DataSourceId).With("Site Name", PropertyValue.Title("Main office")).With("Health", PropertyValue.Number(91)),
            DuplicateCheck.ByTitle("Site Name", "Main office"));

        Assert.Equal(CreateOutcome.Recovered, result.Outcome);
        Assert.True(result.Recovered);
        Assert.Equal(1, result.Sends);
        Assert.Equal(1, fake.Requests.Count(CreatePage));
        Assert.Equal(2, fake.State.CountPages(db.DataSourceId));
        var created = Assert.Single(fake.State.PageIds(db.DataSourceId), p => fake.State.GetPropertyText(p, "Site Name") == "Main office");
        Assert.Equal(created, result.Value.Id);
        Assert.Equal(PropertyValue.Number(91), result.Value.Properties["Health"]);
    }

    [Fact]
    public async Task Lost_create_answer_without_a_duplicate_check_is_outcome_unknown_and_nothing_is_sent_again()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Site Name":{"title":{}}}""");
        fake.Faults.Add(CreatePage, NotionFault.LoseResponse());
        using var client = NotionClientsOnFake.Create(fake);

        var error = await Assert.ThrowsAsync<NotionOutcomeUnknownException>(() =>
            client.CreatePageAsync(NewPage.InDataSource(db.DataSourceId).With("Site Name", PropertyValue.Title("Main office"))));

        Assert.Equal(FailureKind.OutcomeUnknown, error.Kind);
        Assert.Contains("Main office", error.Operation);
        Assert.Contains("look for it", error.Message);
        Assert.Equal(1, fake.Requests.Count(CreatePage));
        Assert.Equal(0, fake.Requests.Count(Query));
        Assert.Equal(1, fake.State.CountPages(db.DataSourceId));
    }

    [Fact]
    public async Task Dropped_create_connection_with_a_duplicate_check_creates_the_page_exactly_once()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Site Name":{"title":{}}}""");
        fake.Faults.Add(CreatePage, NotionFault.DropConnection());
        using var client = NotionClientsOnFake.Create(fake);

        var result = await client.CreatePageAsync(NewPage.InDataSource(db.DataSourceId).With("Site Name", PropertyValue.Title("Main office")),
            DuplicateCheck.ByTitle("Site Name", "Main office"));

        // The dropped request was never applied: looked for (three looks), not found, sent once more.
        Assert.Equal(CreateOutcome.CreatedAfterRetry, result.Outcome);
        Assert.Equal(2, result.Sends);
        Assert.Equal(2, fake.Requests.Count(CreatePage));
        Assert.Equal(3, fake.Requests.Count(Query));
        Assert.Equal(result.Value.Id, Assert.Single(fake.State.PageIds(db.DataSourceId)));
        Assert.Equal("Main office", fake.State.GetPropertyText(result.Value.Id, "Site Name"));
    }

    // ------------------------------------------------------------------ 7. breaker

    [Fact]
    public async Task Breaker_opens_on_consecutive_500s_keeps_requests_away_and_lets_a_trial_through_after_the_break()
    {
        var clock = new ManualTimeProvider();
        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock });
        fake.Faults.Add("*", NotionFault.InternalServerError(), times: 1000);
        using var client = NotionClientsOnFake.Create(fake, clock, tweak: o =>
        {
            o.Resilience.MaxRetries = 1;
            o.Resilience.BreakerFailureThreshold = 3;
            o.Resilience.BreakerBreakDuration = TimeSpan.FromSeconds(30);
        });

        CircuitOpenException? open = null;
        ServiceUnavailableException? opening = null;
        for (var call = 0; call < 5 && open is null; call++)
        {
            try
            {
                await clock.Drive(client.GetMeAsync());
                Assert.Fail("The fake answers 500 to everything.");
            }
            catch (NotionServiceException) { }
            // The call whose retry met the breaker it had just opened reports what it met, and the pause.
            catch (ServiceUnavailableException e) { opening = e; }
            catch (CircuitOpenException e) { open = e; }
        }
        Assert.NotNull(opening);
        Assert.Equal("ServiceUnavailable", opening!.ErrorId);
        Assert.Contains($"{fake.BaseUrl.Host}:{fake.BaseUrl.Port} answered HTTP 500", opening.Message);
        Assert.Contains("circuit breaker open", opening.Message);
        Assert.NotNull(open);
        Assert.Equal(3, fake.Requests.Total); // it opened on the third failure in a row
        Assert.Contains("answered HTTP 500", open!.Message); // the later call names the failure behind the open breaker
        Assert.Equal(FailureKind.CircuitOpen, open.Kind);
        Assert.True(open.RetryAt > clock.GetUtcNow());

        // While open, calls fail at once and nothing reaches the fake.
        for (var i = 0; i < 3; i++)
            await Assert.ThrowsAsync<CircuitOpenException>(() => clock.Drive(client.GetMeAsync()));
        clock.Advance(open.RetryAt - clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<CircuitOpenException>(() => clock.Drive(client.GetMeAsync()));
        Assert.Equal(3, fake.Requests.Total);

        // After the break a trial request goes through; Notion has recovered, so it succeeds.
        fake.Faults.Clear();
        clock.Advance(TimeSpan.FromSeconds(1));
        var me = await clock.Drive(client.GetMeAsync());
        Assert.Equal(fake.BotUserId, me.Id);
        Assert.Equal(4, fake.Requests.Total);
    }

    // ------------------------------------------------------------------ 8, 9. 401 and 404

    [Fact]
    public async Task Wrong_token_fails_fast_with_NotionUnauthorizedException_after_one_request()
    {
        await using var fake = await NotionFake.StartAsync();
        var wrongToken = "ntn_" + Guid.NewGuid().ToString("N") + "WrongTokenAbc";
        using var client = NotionClientsOnFake.Create(fake, token: wrongToken);

        var error = await Assert.ThrowsAsync<NotionUnauthorizedException>(() => client.GetMeAsync());

        Assert.Equal(1, fake.Requests.Total);
        Assert.Equal(401, error.Status);
        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.Contains("Check the token", error.Message);
        Assert.Contains("Internal Integration Secret", error.Message);
        Assert.Contains("NOTION_TOKEN", error.Message);
        Assert.DoesNotContain(wrongToken, error.ToString());
    }

    [Fact]
    public async Task Unshared_page_is_NotionObjectNotFoundException_saying_to_share_it_with_the_integration()
    {
        await using var fake = await NotionFake.StartAsync();
        using var client = NotionClientsOnFake.Create(fake);

        var error = await Assert.ThrowsAsync<NotionObjectNotFoundException>(() => client.GetPageAsync(fake.UnsharedPageId));

        Assert.Equal(1, fake.Requests.Count(GetPage)); // a 404 is an answer, not retried
        Assert.Equal((404, "object_not_found"), (error.Status, error.Code));
        Assert.Contains("not shared with the integration", error.Message);
        Assert.Contains(NotionId.Normalize(fake.UnsharedPageId), error.Message);
        Assert.Contains("Connections", error.Message);
    }

    // ------------------------------------------------------------------ 10. secrets

    [Fact]
    public async Task The_token_appears_in_no_trace_line_and_no_exception()
    {
        var token = "oc-e2e-" + Guid.NewGuid().ToString("N");
        var otherToken = "oc-e2e-" + Guid.NewGuid().ToString("N");
        var trace = Path.Combine(Path.GetTempPath(), $"oberaconnect-e2e-trace-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var fake = await NotionFake.StartAsync(new NotionFakeOptions { Token = token });
            var db = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}},"Notes":{"rich_text":{}},"Installed":{"date":{}}}""");
            using var client = NotionClientsOnFake.Create(fake, tweak: o => { o.TraceFile = trace; o.Resilience.MaxRetries = 1; });
            using var wrongClient = NotionClientsOnFake.Create(fake, token: otherToken, tweak: o => o.TraceFile = trace);
            var errors = new List<Exception>();

            // A create whose value happens to hold the token (pasted by mistake), and a query that reads it back.
            var created = await client.CreatePageAsync(NewPage.InDataSource(db.DataSourceId)
                .With("Name", PropertyValue.Title("Main office")).With("Notes", PropertyValue.RichText("pasted by mistake: " + token)));
            Assert.Single(await client.QueryAsync(db.DataSourceId).ToListAsync());
            // A 400 whose message quotes the rejected value (the token), a 401 (injected, and a genuinely wrong token), a 500.
            errors.Add(await Assert.ThrowsAsync<NotionBadRequestException>(() => client.UpdatePageAsync(created.Value.Id,
                new Dictionary<string, PropertyValue> { ["Installed"] = PropertyValue.Raw("date", new JsonObject { ["start"] = token }) })));
            fake.Faults.Add(GetMe, NotionFault.Status(401));
            errors.Add(await Assert.ThrowsAsync<NotionUnauthorizedException>(() => client.GetMeAsync()));
            errors.Add(await Assert.ThrowsAsync<NotionUnauthorizedException>(() => wrongClient.GetMeAsync()));
            fake.Faults.Add(GetPage, NotionFault.InternalServerError(), times: 2);
            errors.Add(await Assert.ThrowsAsync<NotionServiceException>(() => client.GetPageAsync(created.Value.Id)));

            Assert.Contains(token, fake.State.GetPropertyText(created.Value.Id, "Notes")); // the fake really holds and echoes it

            var lines = File.ReadAllLines(trace);
            Assert.Equal(fake.Requests.Total, lines.Length); // one line per attempt
            foreach (var secret in new[] { token, otherToken })
            {
                var prefix = secret[..8];
                Assert.All(lines, l => Assert.DoesNotContain(prefix, l));
                Assert.All(errors, e => Assert.DoesNotContain(prefix, e.ToString()));
                Assert.All(errors, e => Assert.DoesNotContain(prefix, e.Message));
            }
            Assert.Contains(lines, l => l.Contains("pasted by mistake: ***", StringComparison.Ordinal));
            Assert.Contains("***", ((NotionApiException)errors[0]).NotionMessage);

            var statuses = new List<int?>();
            foreach (var line in lines)
            {
                using var doc = JsonDocument.Parse(line);
                var e = doc.RootElement;
                Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), out _), line);
                Assert.False(string.IsNullOrEmpty(e.GetProperty("method").GetString()), line);
                Assert.StartsWith(fake.BaseUrl.AbsoluteUri, e.GetProperty("url").GetString(), StringComparison.Ordinal);
                var status = e.GetProperty("status");
                statuses.Add(status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null);
                Assert.True(e.GetProperty("durationMs").GetDouble() >= 0, line);
                Assert.Contains(e.GetProperty("requestBody").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
                Assert.Contains(e.GetProperty("responseBody").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
                Assert.DoesNotContain("Bearer", line, StringComparison.OrdinalIgnoreCase);
            }
            Assert.Contains(200, statuses);
            Assert.Contains(400, statuses);
            Assert.Equal(2, statuses.Count(s => s == 401));
            Assert.Equal(2, statuses.Count(s => s == 500));
        }
        finally
        {
            File.Delete(trace);
            File.Delete(trace + ".lock");
        }
    }

    // ------------------------------------------------------------------ 11. databases, data sources, links

    [Fact]
    public async Task A_database_id_resolves_to_its_data_source_and_can_be_queried_directly()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Network Devices", """{"Name":{"title":{}}}""");
        var ids = fake.State.InsertPages(db.DataSourceId, 3, i => new Dictionary<string, object?> { ["Name"] = "ap-" + i });
        using var client = NotionClientsOnFake.Create(fake);

        var database = await client.GetDatabaseAsync(db.DatabaseId);
        Assert.Equal(db.DatabaseId, database.Id);
        Assert.Equal("Network Devices", database.Title);
        Assert.Equal(db.DataSourceId, Assert.Single(database.DataSources).Id);

        Assert.Equal(db.DataSourceId, await client.ResolveDataSourceIdAsync(db.DatabaseId));
        Assert.Equal(db.DataSourceId, await client.ResolveDataSourceIdAsync(db.DataSourceId));

        var rows = await client.QueryAsync(db.DatabaseId).ToListAsync();
        Assert.Equal(ids, rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.Equal(db.DataSourceId, r.ParentDataSourceId));
        Assert.All(fake.Requests.Log.Where(r => r.Endpoint == Query), q => Assert.Contains(db.DataSourceId, q.Path));

        var schema = await client.GetDataSourceAsync(db.DatabaseId);
        Assert.Equal(db.DataSourceId, schema.Id);
        Assert.Equal("Name", schema.TitlePropertyName);
    }

    [Fact]
    public async Task Notion_links_are_accepted_wherever_ids_are()
    {
        await using var fake = await NotionFake.StartAsync();
        var db = fake.State.CreateDatabase(fake.RootPageId, "Runbooks", """{"Name":{"title":{}}}""");
        var pageId = fake.State.InsertPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Reboot a switch" });
        using var client = NotionClientsOnFake.Create(fake);
        static string Compact(string id) => id.Replace("-", "", StringComparison.Ordinal);

        var databaseLink = $"https://www.notion.so/oberaconnect/{Compact(db.DatabaseId)}?v={Guid.NewGuid():N}";
        var pageLink = $"https://www.notion.so/oberaconnect/Reboot-a-switch-{Compact(pageId)}";

        Assert.Equal(db.DatabaseId, (await client.GetDatabaseAsync(databaseLink)).Id);
        Assert.Equal(db.DataSourceId, await client.ResolveDataSourceIdAsync(databaseLink));
        Assert.Equal(pageId, Assert.Single(await client.QueryAsync(databaseLink).ToListAsync()).Id);
        Assert.Equal("Reboot a switch", (await client.GetPageAsync(pageLink)).Title);
        Assert.Equal("Reboot a switch", (await client.GetPageAsync(Compact(pageId).ToUpperInvariant())).Title);
        var created = await client.CreatePageAsync(NewPage.InDataSource(databaseLink).With("Name", PropertyValue.Title("Replace a PSU")));
        Assert.Equal(db.DataSourceId, created.Value.ParentDataSourceId);
        Assert.Equal(2, fake.State.CountPages(db.DataSourceId));
    }

    [Fact]
    public async Task A_relation_of_more_than_25_pages_is_cut_in_the_page_object_and_read_whole_from_the_property_endpoint()
    {
        await using var fake = await NotionFake.StartAsync();
        var sites = fake.State.CreateDatabase(fake.RootPageId, "Sites", """{"Name":{"title":{}}}""");
        var siteIds = fake.State.InsertPages(sites.DataSourceId, 60, i => new Dictionary<string, object?> { ["Name"] = $"site {i}" });
        var owners = Enumerable.Range(0, 30).Select(i => fake.State.AddUser($"Engineer {i}", $"e{i}@example.com")).ToList();
        var groups = fake.State.CreateDatabase(fake.RootPageId, "Groups",
            """{"Name":{"title":{}},"Sites":{"relation":{"data_source_id":""" + "\"" + sites.DataSourceId + "\"" +
            ""","single_property":{}}},"Owners":{"people":{}},"Code":{"number":{}}}""");
        var groupId = fake.State.InsertPage(groups.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "All sites", ["Sites"] = siteIds.ToList(), ["Owners"] = owners, ["Code"] = 7,
        });
        using var client = NotionClientsOnFake.Create(fake);

        var page = await client.GetPageAsync(groupId);
        var cut = page.Get<RelationValue>("Sites")!;
        Assert.Equal(25, cut.Ids.Count);
        Assert.True(cut.HasMore);

        fake.Requests.Reset();
        var whole = Assert.IsType<RelationValue>(await client.GetPropertyAsync(groupId, cut.PropertyId!));
        Assert.Equal(siteIds, whole.Ids);
        // 25 items a page whatever page_size asks: 60 related pages are three requests.
        Assert.Equal(3, fake.Requests.Count("GET /v1/pages/{id}/properties/{property_id}"));
        Assert.Equal(3, fake.Requests.Total);

        var people = Assert.IsType<PeopleValue>(await client.GetPropertyAsync(groupId, page.Get<PeopleValue>("Owners")!.PropertyId!));
        Assert.Equal(owners, people.Ids);
        Assert.Equal("All sites", Assert.IsAssignableFrom<TextValue>(await client.GetPropertyAsync(groupId, "title")).PlainText);
        Assert.Equal(PropertyValue.Number(7), await client.GetPropertyAsync(groupId, page.Get<NumberValue>("Code")!.PropertyId!));
        var missing = await Assert.ThrowsAsync<NotionObjectNotFoundException>(() => client.GetPropertyAsync(groupId, "no-such-property"));
        Assert.Contains("no-such-property", missing.Message);
    }
}
