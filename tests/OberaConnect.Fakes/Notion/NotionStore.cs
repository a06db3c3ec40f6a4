using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>
/// The fake workspace: every page, database, data source, block and user. All reads and writes of
/// these objects happen under <see cref="Gate"/>, so concurrent requests see consistent state.
/// </summary>
internal sealed class NotionStore
{
    private long _seq;

    public NotionStore(NotionFakeOptions options)
    {
        Options = options;
        Time = options.TimeProvider ?? TimeProvider.System;
        Bot = new FakeUser { Id = NotionFormats.NewId(), Name = options.IntegrationName, IsBot = true };
        Users[Bot.Id] = Bot;
        var person = new FakeUser { Id = NotionFormats.NewId(), Name = "Fake Person", Email = "person@example.com" };
        Users[person.Id] = person;
        WorkspaceId = NotionFormats.NewId();
        lock (Gate)
        {
            RootPageId = CreatePlainPage(ParentRef.Workspace, NotionRichText.FromPlain("OberaConnect (fake root)"), accessible: true, createdBy: person.Id, null).Id;
            UnsharedPageId = CreatePlainPage(ParentRef.Workspace, NotionRichText.FromPlain("Not shared with the integration"), accessible: false, createdBy: person.Id, null).Id;
        }
    }

    public object Gate { get; } = new();
    public NotionFakeOptions Options { get; }
    public TimeProvider Time { get; }
    public FakeUser Bot { get; }
    public string WorkspaceId { get; }
    public string RootPageId { get; } = "";
    public string UnsharedPageId { get; } = "";
    public bool StrictSelectOptions { get; set; }

    /// <summary>Rows created less than this long ago are left out of data source queries (Notion's query index lags a create).</summary>
    public TimeSpan QueryIndexLag { get; set; }

    public Dictionary<string, FakeUser> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakePage> Pages { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeDatabase> Databases { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeDataSource> DataSources { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeBlock> Blocks { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now() => Time.GetUtcNow();

    public long NextSeq() => ++_seq;

    // ---- lookups (no access check) -------------------------------------------------------------

    public FakeUser? FindUser(string id) => Users.TryGetValue(id, out var u) ? u : null;
    public FakePage? FindPage(string id) => Pages.TryGetValue(id, out var p) ? p : null;
    public FakeDatabase? FindDatabase(string id) => Databases.TryGetValue(id, out var d) ? d : null;
    public FakeDataSource? FindDataSource(string id) => DataSources.TryGetValue(id, out var d) ? d : null;
    public FakeBlock? FindBlock(string id) => Blocks.TryGetValue(id, out var b) ? b : null;

    // ---- lookups as the integration sees them: missing and not shared look the same ----------

    public NotionApiError NotFound(string kind, string id) => new(404, "object_not_found",
        $"Could not find {kind} with ID: {id}. Make sure the relevant pages and databases are shared with your integration \"{Bot.Name}\".",
        new JsonObject { ["integration_id"] = Bot.Id });

    public FakePage GetPage(string id)
    {
        var p = FindPage(id);
        if (p is { Accessible: true }) return p;
        if (FindDatabase(id) is { Accessible: true })
            throw NotionApiError.Validation($"Provided ID {id} is a database, not a page. Use the retrieve database API instead, or create a page with a database parent.");
        throw NotFound("page", id);
    }

    public FakeDatabase GetDatabase(string id)
    {
        var d = FindDatabase(id);
        if (d is { Accessible: true }) return d;
        if (FindPage(id) is { Accessible: true })
            throw NotionApiError.Validation($"Provided ID {id} is a page, not a database. Use the retrieve page API instead.");
        throw NotFound("database", id);
    }

    public FakeDataSource GetDataSource(string id)
    {
        var d = FindDataSource(id);
        if (d is not null && d.Database.Accessible) return d;
        throw NotFound("data_source", id);
    }

    /// <summary>Anything addressable through /v1/blocks: a content block, a page or a database.</summary>
    public object GetBlockLike(string id)
    {
        if (FindBlock(id) is { Accessible: true } b) return b;
        if (FindPage(id) is { Accessible: true } p) return p;
        if (FindDatabase(id) is { Accessible: true } d) return d;
        throw NotFound("block", id);
    }

    public bool IsAccessibleParent(ParentRef parent) => parent.Kind switch
    {
        ParentKind.Page => FindPage(parent.Id!) is { Accessible: true },
        ParentKind.Block => FindBlock(parent.Id!) is { Accessible: true },
        _ => false,
    };

    public string PageTitle(FakePage page)
    {
        if (page.DataSource is { } ds)
        {
            var t = ds.Properties.FirstOrDefault(p => p.Type == "title");
            return t is not null && page.Values.TryGetValue(t.Id, out var v) ? v.Plain : "";
        }
        return page.Values.TryGetValue("title", out var title) ? title.Plain : "";
    }

    /// <summary>Child ids of a page or block, as a list that can be edited in place.</summary>
    public List<string>? ChildrenOf(string parentId)
        => FindPage(parentId)?.Children ?? FindBlock(parentId)?.Children;

    public bool HasLiveChildren(List<string> children)
    {
        foreach (var id in children)
            if (!IsTrashed(id)) return true;
        return false;
    }

    public bool IsTrashed(string id)
    {
        if (FindBlock(id) is { } b) return b.InTrash;
        if (FindPage(id) is { } p) return p.InTrash;
        if (FindDatabase(id) is { } d) return d.InTrash;
        return true;
    }

    private bool InheritAccess(ParentRef parent) => parent.Kind switch
    {
        ParentKind.Page => FindPage(parent.Id!)?.Accessible ?? false,
        ParentKind.Block => FindBlock(parent.Id!)?.Accessible ?? false,
        ParentKind.DataSource => FindDataSource(parent.Id!)?.Database.Accessible ?? false,
        _ => false,
    };

    // ---- creation --------------------------------------------------------------------------------

    public FakePage CreatePlainPage(ParentRef parent, JsonArray title, bool? accessible, string createdBy, DateTimeOffset? created)
    {
        var now = NotionFormats.ToMinute(created ?? Now());
        var page = new FakePage
        {
            Id = NotionFormats.NewId(),
            Seq = NextSeq(),
            Parent = parent,
            Created = now,
            LastEdited = now,
            CreatedBy = createdBy,
            LastEditedBy = createdBy,
            Accessible = accessible ?? InheritAccess(parent),
        };
        page.Values["title"] = new PropValue { RichText = title, Plain = NotionRichText.Plain(title) };
        Pages[page.Id] = page;
        ChildrenOf(parent.Id ?? "")?.Add(page.Id);
        return page;
    }

    /// <summary>Adds a row to a data source; values are by property id and already validated.</summary>
    public FakePage CreateRow(FakeDataSource ds, Dictionary<string, PropValue> values, string createdBy, DateTimeOffset? created)
    {
        var made = created ?? Now();
        var now = NotionFormats.ToMinute(made);
        var page = new FakePage
        {
            Id = NotionFormats.NewId(),
            Seq = NextSeq(),
            Parent = new ParentRef(ParentKind.DataSource, ds.Id),
            DataSource = ds,
            Created = now,
            MadeAt = made,
            LastEdited = now,
            CreatedBy = createdBy,
            LastEditedBy = createdBy,
            Accessible = ds.Database.Accessible,
        };
        foreach (var prop in ds.Properties)
        {
            if (values.TryGetValue(prop.Id, out var v)) page.Values[prop.Id] = v;
            else if (prop.Type == "status" && DefaultStatus(prop) is { } def) page.Values[prop.Id] = new PropValue { OptionId = def };
            if (prop.Type == "unique_id") page.Values[prop.Id] = new PropValue { UniqueNumber = NextUnique(ds, prop) };
        }
        Pages[page.Id] = page;
        ds.Rows.Add(page);
        return page;
    }

    public static string? DefaultStatus(PropSchema prop)
        => prop.Groups.SelectMany(g => g.OptionIds).FirstOrDefault() ?? prop.Options.FirstOrDefault()?.Id;

    public static int NextUnique(FakeDataSource ds, PropSchema prop)
    {
        ds.NextUniqueNumber.TryGetValue(prop.Id, out var n);
        n++;
        ds.NextUniqueNumber[prop.Id] = n;
        return n;
    }

    public FakeDatabase CreateDatabase(FakePage parent, JsonArray title, JsonArray description, bool isInline, DateTimeOffset? created)
    {
        var now = created ?? Now();
        var db = new FakeDatabase
        {
            Id = NotionFormats.NewId(),
            Seq = NextSeq(),
            Parent = new ParentRef(ParentKind.Page, parent.Id),
            Title = title,
            Description = description,
            IsInline = isInline,
            Accessible = parent.Accessible,
            Created = NotionFormats.ToMillisecond(now),
            LastEdited = NotionFormats.ToMillisecond(now),
        };
        Databases[db.Id] = db;
        parent.Children.Add(db.Id);
        return db;
    }

    public FakeDataSource CreateDataSource(FakeDatabase db, JsonArray title, string createdBy, DateTimeOffset? created)
    {
        var now = NotionFormats.ToMinute(created ?? Now());
        var ds = new FakeDataSource
        {
            Id = NotionFormats.NewId(),
            Seq = NextSeq(),
            Database = db,
            Title = title,
            Created = now,
            LastEdited = now,
            CreatedBy = createdBy,
            LastEditedBy = createdBy,
        };
        DataSources[ds.Id] = ds;
        db.DataSources.Add(ds);
        return ds;
    }

    public FakeBlock CreateBlock(ParentRef parent, string type, JsonObject content, string createdBy, bool accessible)
    {
        var now = NotionFormats.ToMinute(Now());
        var block = new FakeBlock
        {
            Id = NotionFormats.NewId(),
            Seq = NextSeq(),
            Parent = parent,
            Type = type,
            Content = content,
            Created = now,
            LastEdited = now,
            CreatedBy = createdBy,
            LastEditedBy = createdBy,
            Accessible = accessible,
        };
        Blocks[block.Id] = block;
        return block;
    }

    /// <summary>Undoes a database creation that failed validation half-way.</summary>
    public void RemoveDatabase(FakeDatabase db)
    {
        foreach (var ds in db.DataSources.ToList()) RemoveDataSource(ds);
        Databases.Remove(db.Id);
        if (db.Parent.Id is { } parentId) ChildrenOf(parentId)?.Remove(db.Id);
    }

    /// <summary>Undoes a data source creation, including the other side of dual relations it created.</summary>
    public void RemoveDataSource(FakeDataSource ds)
    {
        DataSources.Remove(ds.Id);
        ds.Database.DataSources.Remove(ds);
        foreach (var other in DataSources.Values)
            other.Properties.RemoveAll(p => p.Type == "relation" && p.RelationDataSourceId == ds.Id);
    }

    public void Touch(FakePage page)
    {
        page.LastEdited = NotionFormats.ToMinute(Now());
        page.LastEditedBy = Bot.Id;
    }
}
