using System.Collections.ObjectModel;

namespace OberaConnect.Engine;

/// <summary>
/// A read-only list that reads as one text. Export-Csv writes each property with ToString(), which for an array or a
/// list is its type name ("System.String[]"); this list joins its items' own texts instead. ConvertTo-Json still
/// writes it as an array, and PowerShell still enumerates it.
/// </summary>
public class ReadableList<T> : ReadOnlyCollection<T>
{
    private readonly string _separator;

    protected ReadableList(IList<T> items, string separator) : base(items) => _separator = separator;

    /// <summary>The items as a list whose text joins theirs with "; " (empty for null).</summary>
    public static ReadableList<T> From(IEnumerable<T>? items) => new(items?.ToArray() ?? Array.Empty<T>(), "; ");

    /// <summary>The items' texts joined with the list's separator.</summary>
    public override string ToString() => string.Join(_separator, this);
}

/// <summary>
/// A read-only list of names (changed properties, data sources, tables) that reads as one text, joined with ", ", in
/// Export-Csv (see <see cref="ReadableList{T}"/>).
/// </summary>
public sealed class NameList : ReadableList<string>
{
    /// <summary>The empty list.</summary>
    public static NameList Empty { get; } = new NameList(Array.Empty<string>());

    private NameList(IList<string> names) : base(names, ", ") { }

    /// <summary>The names as a list (the same instance when it already is one; empty for null).</summary>
    public static new NameList From(IEnumerable<string>? names)
    {
        if (names is null) return Empty;
        if (names is NameList list) return list;
        var copy = names.ToArray();
        return copy.Length == 0 ? Empty : new NameList(copy);
    }
}
