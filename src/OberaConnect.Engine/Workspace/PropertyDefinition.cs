namespace OberaConnect.Engine.Workspace;

/// <summary>The Notion property types the workspace uses. <see cref="PropertyTypes.ApiName(NotionPropertyType)"/> gives the wire name.</summary>
public enum NotionPropertyType
{
    Title,
    RichText,
    Number,
    Select,
    MultiSelect,
    Status,
    Date,
    Checkbox,
    Url,
    Email,
    PhoneNumber,
    Relation,
    People,
    CreatedTime,
    LastEditedTime,
    UniqueId,
}

/// <summary>Who writes a property.</summary>
public enum PropertyOwner
{
    /// <summary>The module writes it, and compares it to decide whether a page needs an update.</summary>
    Module,

    /// <summary>Created by Initialize for people to fill in; the module never writes or compares it.</summary>
    User,

    /// <summary>Computed by Notion (created time, last edited time, unique id); nobody writes it.</summary>
    Notion,
}

/// <summary>Colors Notion accepts for select, multi-select and status options.</summary>
public enum OptionColor
{
    Default,
    Gray,
    Brown,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
    Pink,
    Red,
}

/// <summary>Display formats of number properties (the subset the workspace uses and a few common ones).</summary>
public enum NumberFormat
{
    Number,
    NumberWithCommas,
    Percent,
    Dollar,
}

/// <summary>One option of a select, multi-select or status property.</summary>
public sealed record SelectOption(string Name, OptionColor Color);

/// <summary>Wire names of the enums above, as the Notion API spells them.</summary>
public static class PropertyTypes
{
    public static string ApiName(this NotionPropertyType type) => type switch
    {
        NotionPropertyType.Title => "title",
        NotionPropertyType.RichText => "rich_text",
        NotionPropertyType.Number => "number",
        NotionPropertyType.Select => "select",
        NotionPropertyType.MultiSelect => "multi_select",
        NotionPropertyType.Status => "status",
        NotionPropertyType.Date => "date",
        NotionPropertyType.Checkbox => "checkbox",
        NotionPropertyType.Url => "url",
        NotionPropertyType.Email => "email",
        NotionPropertyType.PhoneNumber => "phone_number",
        NotionPropertyType.Relation => "relation",
        NotionPropertyType.People => "people",
        NotionPropertyType.CreatedTime => "created_time",
        NotionPropertyType.LastEditedTime => "last_edited_time",
        NotionPropertyType.UniqueId => "unique_id",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string ApiName(this OptionColor color) => color.ToString().ToLowerInvariant();

    public static string ApiName(this NumberFormat format) => format switch
    {
        NumberFormat.Number => "number",
        NumberFormat.NumberWithCommas => "number_with_commas",
        NumberFormat.Percent => "percent",
        NumberFormat.Dollar => "dollar",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>True for types Notion computes and no request may set.</summary>
    public static bool IsComputed(this NotionPropertyType type)
        => type is NotionPropertyType.CreatedTime or NotionPropertyType.LastEditedTime or NotionPropertyType.UniqueId;

    /// <summary>True for types that carry a list of options.</summary>
    public static bool HasOptions(this NotionPropertyType type)
        => type is NotionPropertyType.Select or NotionPropertyType.MultiSelect or NotionPropertyType.Status;
}

/// <summary>
/// One property (column) of a workspace database: its Notion type, its options, who writes it, and
/// what it means. Built with the factory methods of <see cref="Define"/> so the definition
/// reads like a table.
/// </summary>
public sealed record PropertyDefinition
{
    public PropertyDefinition(string name, NotionPropertyType type, string description)
    {
        Name = name;
        Type = type;
        Description = description;
        Owner = type.IsComputed() ? PropertyOwner.Notion : PropertyOwner.Module;
    }

    /// <summary>The property's name in Notion, exactly.</summary>
    public string Name { get; init; }

    public NotionPropertyType Type { get; init; }

    /// <summary>What the property holds and where its value comes from (one or two sentences).</summary>
    public string Description { get; init; }

    public PropertyOwner Owner { get; init; }

    /// <summary>Options created with the property (select, multi-select). Empty: Notion adds options as values are written.</summary>
    public IReadOnlyList<SelectOption> Options { get; init; } = Array.Empty<SelectOption>();

    /// <summary>Display format of a number property.</summary>
    public NumberFormat? NumberFormat { get; init; }

    /// <summary>The database a relation property points to.</summary>
    public DatabaseKey? RelationTarget { get; init; }

    /// <summary>Prefix of a unique_id property, for example "CHG" gives CHG-1, CHG-2, ...</summary>
    public string? UniqueIdPrefix { get; init; }

    /// <summary>Marks the property as left to people: created, never written.</summary>
    public PropertyDefinition ForUsers() => this with { Owner = PropertyOwner.User };

    /// <summary>
    /// True for an id a source system gave the record (UniFi Site ID, NinjaOne Org ID, ...): a page holding one was written
    /// by a sync, which is how Remove-NotionDuplicate tells the module's page from a bare copy made by hand.
    /// </summary>
    public bool IsSourceId { get; init; }

    /// <summary>This property marked as a source system's id (see <see cref="IsSourceId"/>).</summary>
    public PropertyDefinition AsSourceId() => this with { IsSourceId = true };

    public override string ToString() => $"{Name} ({Type.ApiName()})";
}
