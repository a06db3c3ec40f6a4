using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// One column of a workspace database, declared once (Workspace/Databases): its definition for the schema, the value a
/// writer sets through it and the value a reader reads through it. The column's type fixes both, so a writer cannot put
/// text into a number column without the compiler noticing, and a rename is one edit.
/// </summary>
public abstract class Column
{
    private protected Column(PropertyDefinition definition)
    {
        Definition = definition;
        Declaration = this;
    }

    /// <summary>
    /// Where this column was declared: itself, or for a column another database takes (<see cref="ColumnMarks.DescribedAs{T}"/>)
    /// the column it was taken from, so a name spelled once serves both.
    /// </summary>
    internal Column Declaration { get; private set; }

    /// <summary>What <see cref="WorkspaceDefinition.Standard"/> creates, compares and documents.</summary>
    public PropertyDefinition Definition { get; private set; }

    /// <summary>The property's name in Notion, exactly.</summary>
    public string Name => Definition.Name;

    /// <summary>
    /// This column with its definition changed, same typed column: a new declaration (ForUsers, AsSourceId), or with
    /// <paramref name="taken"/> the same declaration taken by another database (DescribedAs).
    /// </summary>
    internal T With<T>(Func<PropertyDefinition, PropertyDefinition> change, bool taken = false) where T : Column
    {
        var copy = (T)MemberwiseClone();
        copy.Definition = change(Definition);
        copy.Declaration = taken ? Declaration : copy;
        return copy;
    }

    /// <summary>The page's value of this column, or null when the page has none.</summary>
    private protected static PropertyValue? Raw(IReadOnlyDictionary<string, PropertyValue> values, string name)
        => values.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => Definition.ToString();
}

/// <summary>A column written with values of type <typeparamref name="T"/>.</summary>
public abstract class Column<T> : Column
{
    private protected Column(PropertyDefinition definition) : base(definition) { }

    /// <summary>The property value that writes <paramref name="value"/> to this column.</summary>
    public abstract PropertyValue Value(T value);

    /// <summary>This column set to <paramref name="value"/>, as a page update lists it.</summary>
    public KeyValuePair<string, PropertyValue> Entry(T value) => new(Name, Value(value));
}

/// <summary>The title column.</summary>
public sealed class TitleColumn : Column<string?>
{
    internal TitleColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(string? value) => PropertyValue.Title(value);
    public string? Read(NotionPage page) => Read(page.Properties);
    public string? Read(IReadOnlyDictionary<string, PropertyValue> values) => Raw(values, Name) is TextValue t && t.PlainText.Length > 0 ? t.PlainText : null;
}

/// <summary>A rich_text column.</summary>
public sealed class TextColumn : Column<string?>
{
    internal TextColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(string? value) => PropertyValue.RichText(value);

    /// <summary>This column set to rich text kept in several segments (a history with mentions).</summary>
    public KeyValuePair<string, PropertyValue> Entry(RichTextValue value) => new(Name, value);
    public string? Read(NotionPage page) => Read(page.Properties);
    public string? Read(IReadOnlyDictionary<string, PropertyValue> values) => Raw(values, Name) is TextValue t && t.PlainText.Length > 0 ? t.PlainText : null;
}

/// <summary>A number column.</summary>
public sealed class NumberColumn : Column<double?>
{
    internal NumberColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(double? value) => PropertyValue.Number(value);
    public double? Read(NotionPage page) => Raw(page.Properties, Name) is NumberValue n ? n.Value : null;

    /// <summary>The number as a whole count (rounded), null when missing or out of range.</summary>
    public int? ReadCount(NotionPage page)
        => Read(page) is { } d && !double.IsNaN(d) && d >= int.MinValue && d <= int.MaxValue ? (int)Math.Round(d) : null;
}

/// <summary>A select column.</summary>
public sealed class SelectColumn : Column<string?>
{
    internal SelectColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(string? value) => PropertyValue.Select(value);
    public string? Read(NotionPage page) => Read(page.Properties);
    public string? Read(IReadOnlyDictionary<string, PropertyValue> values) => Raw(values, Name) is OptionValue o ? o.Name : null;

    /// <summary>The option names the schema creates, in order.</summary>
    public IReadOnlyList<string> OptionNames => Definition.Options.Select(o => o.Name).ToList();
}

/// <summary>A multi_select column.</summary>
public sealed class MultiSelectColumn : Column<IEnumerable<string>>
{
    internal MultiSelectColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(IEnumerable<string> value) => PropertyValue.MultiSelect(value);
    public string[] Read(NotionPage page) => Raw(page.Properties, Name) is MultiSelectValue m ? m.Names.ToArray() : Array.Empty<string>();
}

/// <summary>A date column.</summary>
public sealed class DateColumn : Column<NotionDate?>
{
    internal DateColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(NotionDate? value) => PropertyValue.Date(value);

    /// <summary>The start as an instant (a day reads as its UTC midnight).</summary>
    public DateTimeOffset? Read(NotionPage page) => Raw(page.Properties, Name) is DateValue { Date: { } d } ? d.Start : null;

    /// <summary>The start as a calendar day.</summary>
    public DateTime? ReadDay(NotionPage page) => Read(page)?.Date;
}

/// <summary>A checkbox column.</summary>
public sealed class CheckboxColumn : Column<bool>
{
    internal CheckboxColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(bool value) => PropertyValue.Checkbox(value);
    public bool Read(NotionPage page) => Raw(page.Properties, Name) is CheckboxValue c && c.Value;
}

/// <summary>A url column.</summary>
public sealed class UrlColumn : Column<string?>
{
    internal UrlColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(string? value) => PropertyValue.Url(value);
    public string? Read(NotionPage page) => Raw(page.Properties, Name) is StringPropertyValue s && !string.IsNullOrEmpty(s.Value) ? s.Value : null;
}

/// <summary>A relation (page ids) or people (user ids) column.</summary>
public sealed class IdsColumn : Column<IEnumerable<string>>
{
    internal IdsColumn(PropertyDefinition definition) : base(definition) { }
    public override PropertyValue Value(IEnumerable<string> value)
        => Definition.Type == NotionPropertyType.People ? PropertyValue.People(value) : PropertyValue.Relation(value);
    public string[] Read(NotionPage page) => Read(page.Properties);
    public string[] Read(IReadOnlyDictionary<string, PropertyValue> values) => Raw(values, Name) is IdSetValue ids ? ids.Ids.ToArray() : Array.Empty<string>();
}

/// <summary>A column Notion computes (created time, last edited time, unique id): read, never written.</summary>
public sealed class ComputedColumn : Column
{
    internal ComputedColumn(PropertyDefinition definition) : base(definition) { }

    /// <summary>The value as Notion shows it (CHG-12), null when empty.</summary>
    public string? ReadDisplay(NotionPage page) => Raw(page.Properties, Name) is { } v && v.DisplayText.Length > 0 ? v.DisplayText : null;

    /// <summary>A timestamp column's instant, null when the page does not carry it.</summary>
    public DateTimeOffset? ReadTime(NotionPage page) => Raw(page.Properties, Name) is TimestampValue t ? t.Time : null;
}

/// <summary>Marks for column declarations, keeping the column's type.</summary>
public static class ColumnMarks
{
    /// <summary>The column left to people: created, never written (<see cref="PropertyDefinition.ForUsers"/>).</summary>
    public static T ForUsers<T>(this T column) where T : Column => column.With<T>(d => d.ForUsers());

    /// <summary>The column marked as a source system's id (<see cref="PropertyDefinition.AsSourceId"/>).</summary>
    public static T AsSourceId<T>(this T column) where T : Column => column.With<T>(d => d.AsSourceId());

    /// <summary>
    /// The same column (name, type, options, owner) described for another database: a column that database copies, such
    /// as Daily Health's Health Score from Customer Sites, or one several databases have (Owner, Notes). The name and type
    /// are declared once, so the databases can never drift apart.
    /// </summary>
    public static T DescribedAs<T>(this T column, string description) where T : Column => column.With<T>(d => d with { Description = description }, taken: true);
}

/// <summary>
/// A page's properties as a writer builds them: each set through its column, so the value's type is the column's.
/// A null value leaves the property out (the page keeps what it has) unless set with <see cref="Set{T}"/>.
/// </summary>
public sealed class RecordProperties : Dictionary<string, PropertyValue>
{
    public RecordProperties() : base(StringComparer.Ordinal) { }

    /// <summary>Writes <paramref name="value"/> (null included: a date cleared, a select emptied).</summary>
    public RecordProperties Set<T>(Column<T> column, T value)
    {
        this[column.Name] = column.Value(value);
        return this;
    }

    /// <summary>Writes the text when there is one.</summary>
    public RecordProperties SetKnown(Column<string?> column, string? value)
    {
        if (value is not null) Set(column, value);
        return this;
    }

    /// <summary>Writes the number when there is one.</summary>
    public RecordProperties SetKnown(NumberColumn column, double? value)
    {
        if (value is not null) Set(column, value);
        return this;
    }

    /// <summary>Writes rich text kept in several segments (a text column's history).</summary>
    public RecordProperties Set(TextColumn column, RichTextValue value)
    {
        this[column.Name] = value;
        return this;
    }
}
