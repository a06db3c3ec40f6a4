using System.Reflection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// How a read-back record is filled from a page, derived from the columns themselves: each property of the record reads
/// the column of the same name in its database's class (CustomerStatus.HealthScore ← CustomerSites.HealthScore), as the
/// property's type asks (a number as double? or as a whole count int?, a date as an instant or a day). SiteId and SiteName
/// come from the Site relation. A property with no column is a programming error, raised when the map is built.
/// </summary>
internal sealed class RecordMap<T> where T : WorkspaceRecord, new()
{
    private delegate object? Reader(NotionPage page, SiteDirectory? sites);

    private readonly (PropertyInfo Property, Reader Read)[] _steps;

    /// <param name="database">The class of the database's columns, for example <see cref="CustomerSites"/>.</param>
    public RecordMap(Type database)
    {
        var columns = database.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(Column).IsAssignableFrom(f.FieldType))
            .ToDictionary(f => f.Name, f => (Column)f.GetValue(null)!, StringComparer.Ordinal);
        _steps = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.CanWrite)
            .Select(p => (p, ReaderOf(p, columns, database)))
            .ToArray();
    }

    /// <summary>The record of <paramref name="page"/>; <paramref name="sites"/> names the related site (null for Customer Sites).</summary>
    public T Read(NotionPage page, SiteDirectory? sites = null)
    {
        var record = new T();
        foreach (var (property, read) in _steps) property.SetValue(record, read(page, sites));
        record.SetIdentity(page);
        return record;
    }

    private static Reader ReaderOf(PropertyInfo property, IReadOnlyDictionary<string, Column> columns, Type database)
    {
        var type = property.PropertyType;
        if (!columns.TryGetValue(property.Name, out var column))
        {
            // The relation to Customer Sites reads as the site's page id and its name.
            if (property.Name == "SiteId") return (p, _) => SiteIdOf(p);
            if (property.Name == "SiteName") return (p, sites) => sites?.NameOf(SiteIdOf(p));
            throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} has no column of that name in {database.Name}.");
        }
        return column switch
        {
            TitleColumn c => (p, _) => c.Read(p) ?? "",
            TextColumn c => (p, _) => c.Read(p),
            SelectColumn c => (p, _) => c.Read(p),
            UrlColumn c => (p, _) => c.Read(p),
            NumberColumn c when type == typeof(int?) => (p, _) => c.ReadCount(p),
            NumberColumn c => (p, _) => c.Read(p),
            CheckboxColumn c => (p, _) => c.Read(p),
            DateColumn c when type == typeof(DateTime?) => (p, _) => c.ReadDay(p),
            DateColumn c => (p, _) => c.Read(p),
            MultiSelectColumn c => (p, _) => c.Read(p),
            IdsColumn c => (p, _) => c.Read(p),
            // A created time column is the page's own creation time when the page does not carry it.
            ComputedColumn c when type == typeof(DateTimeOffset?) => (p, _) => c.ReadTime(p) ?? p.CreatedTime,
            ComputedColumn c => (p, _) => c.ReadDisplay(p),
            _ => throw new InvalidOperationException($"{typeof(T).Name}.{property.Name}: no reader for {column.GetType().Name}."),
        };
    }

    private static string? SiteIdOf(NotionPage page) => SharedColumns.Site.Read(page).FirstOrDefault();
}
