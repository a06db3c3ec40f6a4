namespace OberaConnect.Engine.Workspace;

/// <summary>
/// Typed columns from the <see cref="Define"/> property constructors, so a database of Workspace/Databases reads like its
/// property table and each column carries the type its writers and readers use.
/// </summary>
public static class Columns
{
    public static TitleColumn Title(string name, string description) => new(Define.Title(name, description));

    public static TextColumn Text(string name, string description) => new(Define.Text(name, description));

    public static NumberColumn Number(string name, string description, NumberFormat format = NumberFormat.Number)
        => new(Define.Number(name, description, format));

    public static SelectColumn Select(string name, string description, params SelectOption[] options) => new(Define.Select(name, description, options));

    public static MultiSelectColumn MultiSelect(string name, string description, params SelectOption[] options)
        => new(Define.MultiSelect(name, description, options));

    public static DateColumn Date(string name, string description) => new(Define.Date(name, description));

    public static CheckboxColumn Checkbox(string name, string description) => new(Define.Checkbox(name, description));

    public static UrlColumn Url(string name, string description) => new(Define.Url(name, description));

    public static IdsColumn People(string name, string description) => new(Define.People(name, description));

    public static IdsColumn Relation(string name, DatabaseKey target, string description) => new(Define.Relation(name, target, description));

    public static ComputedColumn CreatedTime(string name, string description) => new(Define.CreatedTime(name, description));

    public static ComputedColumn LastEditedTime(string name, string description) => new(Define.LastEditedTime(name, description));

    public static ComputedColumn UniqueId(string name, string prefix, string description) => new(Define.UniqueId(name, prefix, description));
}
