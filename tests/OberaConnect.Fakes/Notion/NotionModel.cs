using System.Text.Json;
using System.Text.Json.Nodes;

namespace OberaConnect.Fakes.Notion;

/// <summary>The two Notion-Version values the fake speaks.</summary>
public enum NotionApiVersion
{
    /// <summary>"2025-09-03": data sources; <c>archived</c> still answered next to <c>in_trash</c>; append takes <c>after</c>.</summary>
    V2025_09_03,

    /// <summary>"2026-03-11": <c>archived</c> is gone (requests and responses); append takes <c>position</c>.</summary>
    V2026_03_11,
}

internal static class NotionVersions
{
    public const string V2025 = "2025-09-03";
    public const string V2026 = "2026-03-11";

    public static bool TryParse(string? header, out NotionApiVersion version)
    {
        switch (header?.Trim())
        {
            case V2025: version = NotionApiVersion.V2025_09_03; return true;
            case V2026: version = NotionApiVersion.V2026_03_11; return true;
            default: version = default; return false;
        }
    }

    /// <summary>Whether the deprecated <c>archived</c> alias of <c>in_trash</c> is still part of this version.</summary>
    public static bool HasArchived(this NotionApiVersion version) => version == NotionApiVersion.V2025_09_03;
}

internal enum ParentKind { Workspace, Page, DataSource, Database, Block }

/// <summary>Where an object hangs: its kind and the id of the parent object.</summary>
internal readonly record struct ParentRef(ParentKind Kind, string? Id)
{
    public static readonly ParentRef Workspace = new(ParentKind.Workspace, null);
}

internal sealed class FakeUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool IsBot { get; init; }
    public string? Email { get; init; }
}

/// <summary>A page: either a plain page under a page/workspace, or a row of a data source.</summary>
internal sealed class FakePage
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public ParentRef Parent { get; set; }
    public FakeDataSource? DataSource { get; set; }
    public DateTimeOffset Created { get; set; }

    /// <summary>When the page was really made (Created shows the minute), for the query index's lag.</summary>
    public DateTimeOffset MadeAt { get; init; }

    public DateTimeOffset LastEdited { get; set; }
    public required string CreatedBy { get; init; }
    public string LastEditedBy { get; set; } = "";
    public bool InTrash { get; set; }
    public bool Accessible { get; init; }
    public bool IsLocked { get; set; }
    public JsonNode? Icon { get; set; }
    public JsonNode? Cover { get; set; }

    /// <summary>Values by property id. A page under a page keeps its title under the id "title".</summary>
    public Dictionary<string, PropValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Ordered ids of child blocks, child pages and child databases.</summary>
    public List<string> Children { get; } = new();
}

internal sealed class FakeDatabase
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public ParentRef Parent { get; set; }
    public JsonArray Title { get; set; } = new();
    public JsonArray Description { get; set; } = new();
    public bool IsInline { get; set; }
    public bool InTrash { get; set; }
    public bool IsLocked { get; set; }
    public bool Accessible { get; init; }
    public JsonNode? Icon { get; set; }
    public JsonNode? Cover { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset LastEdited { get; set; }
    public List<FakeDataSource> DataSources { get; } = new();
}

internal sealed class FakeDataSource
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public required FakeDatabase Database { get; init; }
    public JsonArray Title { get; set; } = new();
    public JsonArray Description { get; set; } = new();
    public List<PropSchema> Properties { get; } = new();
    public List<FakePage> Rows { get; } = new();
    public bool InTrash { get; set; }
    public JsonNode? Icon { get; set; }
    public JsonNode? Cover { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset LastEdited { get; set; }
    public required string CreatedBy { get; init; }
    public string LastEditedBy { get; set; } = "";

    /// <summary>Next unique_id number per unique_id property id.</summary>
    public Dictionary<string, int> NextUniqueNumber { get; } = new(StringComparer.Ordinal);

    public PropSchema? FindProperty(string nameOrId)
    {
        foreach (var p in Properties) if (p.Name == nameOrId) return p;
        foreach (var p in Properties) if (p.Id == nameOrId) return p;
        var unescaped = Uri.UnescapeDataString(nameOrId);
        foreach (var p in Properties) if (Uri.UnescapeDataString(p.Id) == unescaped) return p;
        return null;
    }

    public PropSchema TitleProperty => Properties.First(p => p.Type == "title");
}

/// <summary>A content block (paragraph, heading, ...). Pages and databases are rendered as blocks separately.</summary>
internal sealed class FakeBlock
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public ParentRef Parent { get; set; }
    public required string Type { get; set; }

    /// <summary>The object under the type key, without "children".</summary>
    public JsonObject Content { get; set; } = new();
    public List<string> Children { get; } = new();
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset LastEdited { get; set; }
    public required string CreatedBy { get; init; }
    public string LastEditedBy { get; set; } = "";
    public bool InTrash { get; set; }
    public bool Accessible { get; init; }
}

internal sealed class SelectOption
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string Color { get; set; } = "default";
    public string? Description { get; set; }
}

internal sealed class StatusGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Color { get; init; } = "gray";
    public List<string> OptionIds { get; } = new();
}

/// <summary>One property of a data source schema.</summary>
internal sealed class PropSchema
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public string? Description { get; set; }
    public List<SelectOption> Options { get; private set; } = new();
    public List<StatusGroup> Groups { get; private set; } = new();
    public string NumberFormat { get; set; } = "number";
    public string? RelationDataSourceId { get; set; }
    public string? RelationDatabaseId { get; set; }
    public bool RelationDual { get; set; }
    public string? SyncedPropertyId { get; set; }
    public string? SyncedPropertyName { get; set; }
    public string? UniquePrefix { get; set; }
    public string FormulaExpression { get; set; } = "";
    public string RollupFunction { get; set; } = "count";
    public string? RollupRelationPropertyId { get; set; }
    public string? RollupRelationPropertyName { get; set; }
    public string? RollupPropertyId { get; set; }
    public string? RollupPropertyName { get; set; }

    /// <summary>A deep copy, so a failed schema update can be undone.</summary>
    public PropSchema Clone()
    {
        var copy = (PropSchema)MemberwiseClone();
        copy.Options = Options.Select(o => new SelectOption { Id = o.Id, Name = o.Name, Color = o.Color, Description = o.Description }).ToList();
        copy.Groups = Groups.Select(g =>
        {
            var group = new StatusGroup { Id = g.Id, Name = g.Name, Color = g.Color };
            group.OptionIds.AddRange(g.OptionIds);
            return group;
        }).ToList();
        return copy;
    }

    public SelectOption? FindOptionByName(string name)
    {
        foreach (var o in Options) if (string.Equals(o.Name, name, StringComparison.Ordinal)) return o;
        return null;
    }

    public SelectOption? FindOptionById(string id)
    {
        foreach (var o in Options) if (o.Id == id) return o;
        return null;
    }

    public int OptionIndex(string? optionId)
    {
        if (optionId is null) return -1;
        for (var i = 0; i < Options.Count; i++) if (Options[i].Id == optionId) return i;
        return -1;
    }
}

/// <summary>A date property value or date mention.</summary>
internal sealed record DateValue(string Start, string? End, string? TimeZone, DateTimeOffset StartInstant, bool StartHasTime);

/// <summary>A stored page property value; which fields matter depends on the property type.</summary>
internal sealed class PropValue
{
    /// <summary>Rich text in response form; null with a non-empty <see cref="Plain"/> means one plain text item (cheap for bulk seeding).</summary>
    public JsonArray? RichText { get; set; }
    public string Plain { get; set; } = "";

    public void WriteRichText(Utf8JsonWriter w)
    {
        if (RichText is not null)
        {
            RichText.WriteTo(w);
            return;
        }
        w.WriteStartArray();
        if (Plain.Length > 0) NotionRichText.WritePlainItem(w, Plain);
        w.WriteEndArray();
    }
    public double? Number { get; set; }
    public string? OptionId { get; set; }
    public List<string>? OptionIds { get; set; }
    public DateValue? Date { get; set; }
    public bool Checkbox { get; set; }
    public string? Text { get; set; }
    public List<string>? Ids { get; set; }
    public int UniqueNumber { get; set; }
}

/// <summary>An error answered with Notion's error body.</summary>
internal sealed class NotionApiError : Exception
{
    public NotionApiError(int status, string code, string message, JsonObject? additionalData = null) : base(message)
    {
        Status = status;
        Code = code;
        AdditionalData = additionalData;
    }

    public int Status { get; }
    public string Code { get; }
    public JsonObject? AdditionalData { get; }

    public static NotionApiError Validation(string message) => new(400, "validation_error", message);

    /// <summary>Notion's wording for a body field that failed its schema check.</summary>
    public static NotionApiError Body(string path, string expectation, JsonNode? actual)
        => Validation($"body failed validation: {path} {expectation}, instead was `{Describe(actual)}`.");

    public static NotionApiError TooLong(string path, int max, int actual)
        => Validation($"body failed validation: {path} should be ≤ `{max}`, instead was `{actual}`.");

    public static NotionApiError NotPresent(string path, JsonNode? actual)
        => Validation($"body failed validation: {path} should be not present, instead was `{Describe(actual)}`.");

    public static string Describe(JsonNode? node) => node is null ? "undefined" : node.ToJsonString();
}
