namespace OberaConnect.Engine.Workspace;

/// <summary>
/// Short constructors for property definitions, used by <see cref="Columns"/> (the typed columns of Workspace/Databases,
/// where each column is declared once) and for options: <c>Opt("Low", OptionColor.Green)</c>.
/// Properties are owned by the module unless <see cref="PropertyDefinition.ForUsers"/> is called.
/// </summary>
public static class Define
{
    public static PropertyDefinition Title(string name, string description)
        => new(name, NotionPropertyType.Title, description);

    public static PropertyDefinition Text(string name, string description)
        => new(name, NotionPropertyType.RichText, description);

    public static PropertyDefinition Number(string name, string description, NumberFormat format = Workspace.NumberFormat.Number)
        => new(name, NotionPropertyType.Number, description) { NumberFormat = format };

    public static PropertyDefinition Select(string name, string description, params SelectOption[] options)
        => new(name, NotionPropertyType.Select, description) { Options = options };

    public static PropertyDefinition MultiSelect(string name, string description, params SelectOption[] options)
        => new(name, NotionPropertyType.MultiSelect, description) { Options = options };

    public static PropertyDefinition Date(string name, string description)
        => new(name, NotionPropertyType.Date, description);

    public static PropertyDefinition Checkbox(string name, string description)
        => new(name, NotionPropertyType.Checkbox, description);

    public static PropertyDefinition Url(string name, string description)
        => new(name, NotionPropertyType.Url, description);

    public static PropertyDefinition Email(string name, string description)
        => new(name, NotionPropertyType.Email, description);

    public static PropertyDefinition Phone(string name, string description)
        => new(name, NotionPropertyType.PhoneNumber, description);

    public static PropertyDefinition People(string name, string description)
        => new(name, NotionPropertyType.People, description);

    public static PropertyDefinition Relation(string name, DatabaseKey target, string description)
        => new(name, NotionPropertyType.Relation, description) { RelationTarget = target };

    public static PropertyDefinition CreatedTime(string name, string description)
        => new(name, NotionPropertyType.CreatedTime, description);

    public static PropertyDefinition LastEditedTime(string name, string description)
        => new(name, NotionPropertyType.LastEditedTime, description);

    public static PropertyDefinition UniqueId(string name, string prefix, string description)
        => new(name, NotionPropertyType.UniqueId, description) { UniqueIdPrefix = prefix };

    public static SelectOption Opt(string name, OptionColor color) => new(name, color);
}
