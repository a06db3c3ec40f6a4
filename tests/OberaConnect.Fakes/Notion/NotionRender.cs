using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>What a response is rendered for: the API version and, for pages, which properties to include.</summary>
internal sealed record RenderContext(NotionStore Store, NotionApiVersion Version, HashSet<string>? PropertyFilter = null);

/// <summary>Writes Notion's JSON for each object, key for key in the order the recorded responses use.</summary>
internal static class NotionRender
{
    public static void WriteUser(Utf8JsonWriter w, FakeUser user, NotionStore store)
    {
        w.WriteStartObject();
        WriteUserMembers(w, user, store);
        w.WriteEndObject();
    }

    public static void WriteUserMembers(Utf8JsonWriter w, FakeUser user, NotionStore store)
    {
        w.WriteString("object", "user");
        w.WriteString("id", user.Id);
        w.WriteString("name", user.Name);
        w.WriteNull("avatar_url");
        if (user.IsBot)
        {
            w.WriteString("type", "bot");
            w.WriteStartObject("bot");
            w.WriteStartObject("owner");
            w.WriteString("type", "workspace");
            w.WriteBoolean("workspace", true);
            w.WriteEndObject();
            w.WriteString("workspace_name", store.Options.WorkspaceName);
            w.WriteString("workspace_id", store.WorkspaceId);
            w.WriteStartObject("workspace_limits");
            w.WriteNumber("max_file_upload_size_in_bytes", 5242880);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("type", "person");
            w.WriteStartObject("person");
            w.WriteString("email", user.Email);
            w.WriteBoolean("email_verified", true);
            w.WriteEndObject();
        }
    }

    private static void WritePartialUser(Utf8JsonWriter w, string name, string id)
    {
        w.WriteStartObject(name);
        w.WriteString("object", "user");
        w.WriteString("id", id);
        w.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter w, string name, JsonNode? node)
    {
        w.WritePropertyName(name);
        if (node is null) w.WriteNullValue();
        else node.WriteTo(w);
    }

    private static void WriteTrash(Utf8JsonWriter w, bool inTrash, RenderContext ctx, bool archivedToo)
    {
        w.WriteBoolean("in_trash", inTrash);
        if (archivedToo && ctx.Version.HasArchived()) w.WriteBoolean("archived", inTrash);
    }

    private static void WriteParent(Utf8JsonWriter w, ParentRef parent, NotionStore store, string name = "parent")
    {
        w.WriteStartObject(name);
        switch (parent.Kind)
        {
            case ParentKind.Workspace:
                w.WriteString("type", "workspace");
                w.WriteBoolean("workspace", true);
                break;
            case ParentKind.Page:
                w.WriteString("type", "page_id");
                w.WriteString("page_id", parent.Id);
                break;
            case ParentKind.Block:
                w.WriteString("type", "block_id");
                w.WriteString("block_id", parent.Id);
                break;
            case ParentKind.Database:
                w.WriteString("type", "database_id");
                w.WriteString("database_id", parent.Id);
                break;
            case ParentKind.DataSource:
                w.WriteString("type", "data_source_id");
                w.WriteString("data_source_id", parent.Id);
                w.WriteString("database_id", store.FindDataSource(parent.Id!)?.Database.Id);
                break;
        }
        w.WriteEndObject();
    }

    // ---- pages -----------------------------------------------------------------------------------

    public static void WritePage(Utf8JsonWriter w, FakePage page, RenderContext ctx)
    {
        w.WriteStartObject();
        WritePageMembers(w, page, ctx);
        w.WriteEndObject();
    }

    public static void WritePageMembers(Utf8JsonWriter w, FakePage page, RenderContext ctx)
    {
        var store = ctx.Store;
        w.WriteString("object", "page");
        w.WriteString("id", page.Id);
        w.WriteString("created_time", NotionFormats.MinuteStamp(page.Created));
        w.WriteString("last_edited_time", NotionFormats.MinuteStamp(page.LastEdited));
        WritePartialUser(w, "created_by", page.CreatedBy);
        WritePartialUser(w, "last_edited_by", page.LastEditedBy);
        WriteNode(w, "cover", page.Cover);
        WriteNode(w, "icon", page.Icon);
        WriteParent(w, page.Parent, store);
        w.WriteBoolean("in_trash", page.InTrash);
        w.WriteBoolean("is_archived", false);
        w.WriteBoolean("is_locked", page.IsLocked);
        w.WriteStartObject("properties");
        if (page.DataSource is { } ds)
        {
            foreach (var prop in ds.Properties)
            {
                if (ctx.PropertyFilter is { } filter && !filter.Contains(prop.Id) && !filter.Contains(Uri.UnescapeDataString(prop.Id))) continue;
                page.Values.TryGetValue(prop.Id, out var value);
                w.WritePropertyName(prop.Name);
                WritePropertyValue(w, prop, value, page, ctx);
            }
        }
        else
        {
            w.WriteStartObject("title");
            w.WriteString("id", "title");
            w.WriteString("type", "title");
            w.WritePropertyName("title");
            if (page.Values.TryGetValue("title", out var title)) title.WriteRichText(w);
            else { w.WriteStartArray(); w.WriteEndArray(); }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("url", NotionFormats.PageUrl(page.Id, store.PageTitle(page)));
        w.WriteNull("public_url");
        if (ctx.Version.HasArchived()) w.WriteBoolean("archived", page.InTrash);
    }

    private static void WriteOption(Utf8JsonWriter w, SelectOption? o)
    {
        if (o is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteString("id", o.Id);
        w.WriteString("name", o.Name);
        w.WriteString("color", o.Color);
        w.WriteEndObject();
    }

    public static void WritePropertyValue(Utf8JsonWriter w, PropSchema prop, PropValue? v, FakePage page, RenderContext ctx)
    {
        w.WriteStartObject();
        WritePropertyValueMembers(w, prop, v, page, ctx);
        w.WriteEndObject();
    }

    /// <summary>
    /// The items of a paginated property value (title, rich_text, relation, people) as the property endpoint lists
    /// them: one rich text item, <c>{"id"}</c> of a related page, or one user each.
    /// </summary>
    public static List<Action<Utf8JsonWriter>> PropertyItems(PropSchema prop, PropValue? v, RenderContext ctx)
    {
        var items = new List<Action<Utf8JsonWriter>>();
        switch (prop.Type)
        {
            case "title":
            case "rich_text":
                if (v?.RichText is { } rich)
                    foreach (var node in rich)
                        if (node is not null) items.Add(w => node.WriteTo(w));
                if (v is { RichText: null, Plain.Length: > 0 }) items.Add(w => NotionRichText.WritePlainItem(w, v.Plain));
                break;
            case "relation":
                foreach (var id in v?.Ids ?? new List<string>())
                    items.Add(w => { w.WriteStartObject(); w.WriteString("id", id); w.WriteEndObject(); });
                break;
            case "people":
                foreach (var id in v?.Ids ?? new List<string>())
                    items.Add(w =>
                    {
                        if (ctx.Store.FindUser(id) is { } user) WriteUser(w, user, ctx.Store);
                        else NotionFormats.PartialUser(id).WriteTo(w);
                    });
                break;
        }
        return items;
    }

    /// <summary>The members of a property value object: <c>id</c>, <c>type</c> and the value under its type.</summary>
    public static void WritePropertyValueMembers(Utf8JsonWriter w, PropSchema prop, PropValue? v, FakePage page, RenderContext ctx)
    {
        w.WriteString("id", prop.Id);
        w.WriteString("type", prop.Type);
        w.WritePropertyName(prop.Type);
        switch (prop.Type)
        {
            case "title":
            case "rich_text":
                if (v is null) { w.WriteStartArray(); w.WriteEndArray(); }
                else v.WriteRichText(w);
                break;
            case "files":
                (v?.RichText ?? new JsonArray()).WriteTo(w);
                break;
            case "number":
                if (v?.Number is { } n) w.WriteNumberValue(n); else w.WriteNullValue();
                break;
            case "select":
            case "status":
                WriteOption(w, v?.OptionId is { } oid ? prop.FindOptionById(oid) : null);
                break;
            case "multi_select":
                w.WriteStartArray();
                foreach (var id in v?.OptionIds ?? new List<string>())
                    if (prop.FindOptionById(id) is { } o) WriteOption(w, o);
                w.WriteEndArray();
                break;
            case "date":
                if (v?.Date is { } d) NotionValueRules.DateJson(d).WriteTo(w); else w.WriteNullValue();
                break;
            case "checkbox":
                w.WriteBooleanValue(v?.Checkbox ?? false);
                break;
            case "url":
            case "email":
            case "phone_number":
                if (v?.Text is { } s) w.WriteStringValue(s); else w.WriteNullValue();
                break;
            case "relation":
                // A page object carries at most 25 related pages; the property endpoint lists them all.
                var related = v?.Ids ?? new List<string>();
                w.WriteStartArray();
                foreach (var id in related.Take(NotionFakeOptions.PageObjectReferenceLimit))
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteBoolean("has_more", related.Count > NotionFakeOptions.PageObjectReferenceLimit);
                break;
            case "people":
                w.WriteStartArray();
                foreach (var id in v?.Ids ?? new List<string>())
                {
                    if (ctx.Store.FindUser(id) is { } user) WriteUser(w, user, ctx.Store);
                    else NotionFormats.PartialUser(id).WriteTo(w);
                }
                w.WriteEndArray();
                break;
            case "created_time":
                w.WriteStringValue(NotionFormats.MinuteStamp(page.Created));
                break;
            case "last_edited_time":
                w.WriteStringValue(NotionFormats.MinuteStamp(page.LastEdited));
                break;
            case "created_by":
                NotionFormats.PartialUser(page.CreatedBy).WriteTo(w);
                break;
            case "last_edited_by":
                NotionFormats.PartialUser(page.LastEditedBy).WriteTo(w);
                break;
            case "unique_id":
                w.WriteStartObject();
                if (prop.UniquePrefix is null) w.WriteNull("prefix"); else w.WriteString("prefix", prop.UniquePrefix);
                w.WriteNumber("number", v?.UniqueNumber ?? 0);
                w.WriteEndObject();
                break;
            case "formula":
                // Formulas are not evaluated by the fake: a string result of null.
                w.WriteStartObject();
                w.WriteString("type", "string");
                w.WriteNull("string");
                w.WriteEndObject();
                break;
            case "rollup":
                w.WriteStartObject();
                w.WriteString("type", "number");
                if (prop.RollupFunction == "count" && prop.RollupRelationPropertyId is { } rel && page.Values.TryGetValue(rel, out var relValue))
                    w.WriteNumber("number", relValue.Ids?.Count ?? 0);
                else
                    w.WriteNull("number");
                w.WriteString("function", prop.RollupFunction);
                w.WriteEndObject();
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    // ---- databases and data sources -------------------------------------------------------------

    public static void WriteDatabaseMembers(Utf8JsonWriter w, FakeDatabase db, RenderContext ctx)
    {
        w.WriteString("object", "database");
        w.WriteString("id", db.Id);
        WriteNode(w, "title", db.Title);
        WriteNode(w, "description", db.Description);
        WriteParent(w, db.Parent, ctx.Store);
        w.WriteBoolean("is_inline", db.IsInline);
        w.WriteBoolean("in_trash", db.InTrash);
        w.WriteBoolean("is_locked", db.IsLocked);
        w.WriteString("created_time", NotionFormats.DatabaseStamp(db.Created));
        w.WriteString("last_edited_time", NotionFormats.DatabaseStamp(db.LastEdited));
        w.WriteStartArray("data_sources");
        foreach (var ds in db.DataSources)
        {
            w.WriteStartObject();
            w.WriteString("id", ds.Id);
            w.WriteString("name", NotionRichText.Plain(ds.Title));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteNode(w, "icon", db.Icon);
        WriteNode(w, "cover", db.Cover);
        w.WriteString("url", NotionFormats.DatabaseUrl(db.Id));
        w.WriteNull("public_url");
        if (ctx.Version.HasArchived()) w.WriteBoolean("archived", db.InTrash);
    }

    public static void WriteDataSource(Utf8JsonWriter w, FakeDataSource ds, RenderContext ctx)
    {
        w.WriteStartObject();
        WriteDataSourceMembers(w, ds, ctx);
        w.WriteEndObject();
    }

    public static void WriteDataSourceMembers(Utf8JsonWriter w, FakeDataSource ds, RenderContext ctx)
    {
        w.WriteString("object", "data_source");
        w.WriteString("id", ds.Id);
        WriteNode(w, "cover", ds.Cover);
        WriteNode(w, "icon", ds.Icon);
        w.WriteString("created_time", NotionFormats.MinuteStamp(ds.Created));
        WritePartialUser(w, "created_by", ds.CreatedBy);
        WritePartialUser(w, "last_edited_by", ds.LastEditedBy);
        w.WriteString("last_edited_time", NotionFormats.MinuteStamp(ds.LastEdited));
        WriteNode(w, "title", ds.Title);
        WriteNode(w, "description", ds.Description);
        w.WriteBoolean("is_inline", ds.Database.IsInline);
        w.WriteStartObject("properties");
        foreach (var prop in ds.Properties)
        {
            w.WritePropertyName(prop.Name);
            WriteSchemaProperty(w, prop);
        }
        w.WriteEndObject();
        WriteParent(w, new ParentRef(ParentKind.Database, ds.Database.Id), ctx.Store);
        WriteParent(w, ds.Database.Parent, ctx.Store, "database_parent");
        w.WriteString("url", NotionFormats.DatabaseUrl(ds.Database.Id));
        w.WriteNull("public_url");
        WriteTrash(w, ds.InTrash, ctx, archivedToo: true);
    }

    public static void WriteSchemaProperty(Utf8JsonWriter w, PropSchema prop)
    {
        w.WriteStartObject();
        w.WriteString("id", prop.Id);
        w.WriteString("name", prop.Name);
        if (prop.Description is null) w.WriteNull("description"); else w.WriteString("description", prop.Description);
        w.WriteString("type", prop.Type);
        w.WriteStartObject(prop.Type);
        switch (prop.Type)
        {
            case "number":
                w.WriteString("format", prop.NumberFormat);
                break;
            case "select":
            case "multi_select":
            case "status":
                w.WriteStartArray("options");
                foreach (var o in prop.Options)
                {
                    w.WriteStartObject();
                    w.WriteString("id", o.Id);
                    w.WriteString("name", o.Name);
                    w.WriteString("color", o.Color);
                    if (o.Description is null) w.WriteNull("description"); else w.WriteString("description", o.Description);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (prop.Type == "status")
                {
                    w.WriteStartArray("groups");
                    foreach (var g in prop.Groups)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", g.Id);
                        w.WriteString("name", g.Name);
                        w.WriteString("color", g.Color);
                        w.WriteStartArray("option_ids");
                        foreach (var id in g.OptionIds) w.WriteStringValue(id);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                break;
            case "relation":
                w.WriteString("database_id", prop.RelationDatabaseId);
                w.WriteString("data_source_id", prop.RelationDataSourceId);
                if (prop.RelationDual)
                {
                    w.WriteString("type", "dual_property");
                    w.WriteStartObject("dual_property");
                    w.WriteString("synced_property_id", prop.SyncedPropertyId);
                    w.WriteString("synced_property_name", prop.SyncedPropertyName);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("type", "single_property");
                    w.WriteStartObject("single_property");
                    w.WriteEndObject();
                }
                break;
            case "unique_id":
                if (prop.UniquePrefix is null) w.WriteNull("prefix"); else w.WriteString("prefix", prop.UniquePrefix);
                break;
            case "formula":
                w.WriteString("expression", prop.FormulaExpression);
                break;
            case "rollup":
                w.WriteString("function", prop.RollupFunction);
                w.WriteString("rollup_property_name", prop.RollupPropertyName);
                w.WriteString("relation_property_name", prop.RollupRelationPropertyName);
                w.WriteString("rollup_property_id", prop.RollupPropertyId);
                w.WriteString("relation_property_id", prop.RollupRelationPropertyId);
                break;
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // ---- blocks ------------------------------------------------------------------------------------

    /// <summary>Writes a content block, page or database as the block object /v1/blocks answers with.</summary>
    public static void WriteBlockLike(Utf8JsonWriter w, object item, RenderContext ctx)
    {
        w.WriteStartObject();
        WriteBlockLikeMembers(w, item, ctx);
        w.WriteEndObject();
    }

    public static void WriteBlockLikeMembers(Utf8JsonWriter w, object item, RenderContext ctx)
    {
        var store = ctx.Store;
        w.WriteString("object", "block");
        switch (item)
        {
            case FakeBlock b:
                w.WriteString("id", b.Id);
                WriteParent(w, b.Parent, store);
                w.WriteString("created_time", NotionFormats.MinuteStamp(b.Created));
                w.WriteString("last_edited_time", NotionFormats.MinuteStamp(b.LastEdited));
                WritePartialUser(w, "created_by", b.CreatedBy);
                WritePartialUser(w, "last_edited_by", b.LastEditedBy);
                w.WriteBoolean("has_children", store.HasLiveChildren(b.Children));
                w.WriteBoolean("in_trash", b.InTrash);
                w.WriteString("type", b.Type);
                WriteNode(w, b.Type, b.Content);
                if (ctx.Version.HasArchived()) w.WriteBoolean("archived", b.InTrash);
                break;
            case FakePage p:
                w.WriteString("id", p.Id);
                WriteParent(w, p.Parent, store);
                w.WriteString("created_time", NotionFormats.MinuteStamp(p.Created));
                w.WriteString("last_edited_time", NotionFormats.MinuteStamp(p.LastEdited));
                WritePartialUser(w, "created_by", p.CreatedBy);
                WritePartialUser(w, "last_edited_by", p.LastEditedBy);
                w.WriteBoolean("has_children", store.HasLiveChildren(p.Children));
                w.WriteBoolean("in_trash", p.InTrash);
                w.WriteString("type", "child_page");
                w.WriteStartObject("child_page");
                w.WriteString("title", store.PageTitle(p));
                w.WriteEndObject();
                if (ctx.Version.HasArchived()) w.WriteBoolean("archived", p.InTrash);
                break;
            case FakeDatabase d:
                w.WriteString("id", d.Id);
                WriteParent(w, d.Parent, store);
                w.WriteString("created_time", NotionFormats.MinuteStamp(d.Created));
                w.WriteString("last_edited_time", NotionFormats.MinuteStamp(d.LastEdited));
                WritePartialUser(w, "created_by", store.Bot.Id);
                WritePartialUser(w, "last_edited_by", store.Bot.Id);
                w.WriteBoolean("has_children", false);
                w.WriteBoolean("in_trash", d.InTrash);
                w.WriteString("type", "child_database");
                w.WriteStartObject("child_database");
                w.WriteString("title", NotionRichText.Plain(d.Title));
                w.WriteEndObject();
                if (ctx.Version.HasArchived()) w.WriteBoolean("archived", d.InTrash);
                break;
        }
    }
}
