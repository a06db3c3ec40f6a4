using System.Xml.Linq;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Layout;

public class FormatTests
{
    private static readonly string[] Controls = { "TableControl", "ListControl", "WideControl", "CustomControl" };

    private static XDocument Load() => XDocument.Load(Path.Combine(Repository.ModuleDirectory, "OberaConnect.format.ps1xml"));

    [Fact]
    public void Every_output_type_has_a_view()
    {
        var viewed = Load().Descendants("ViewSelectedBy").Elements("TypeName").Select(t => t.Value.Trim()).ToHashSet();
        // Framework types (a -Quiet boolean) keep PowerShell's own formatting: a view here would change it session-wide.
        var outputTypes = Repository.Cmdlets().SelectMany(c => c.OutputTypes.Select(t => (c.Name, Type: t)))
            .Where(o => !o.Type.StartsWith("System.", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, o => Assert.True(viewed.Contains(o.Type), $"{o.Name} outputs {o.Type}, which has no view in OberaConnect.format.ps1xml."));
    }

    [Fact]
    public void The_format_file_has_the_ps1xml_shape()
    {
        var doc = Load();
        Assert.Equal("Configuration", doc.Root!.Name.LocalName);
        Assert.Equal(XNamespace.None, doc.Root.Name.Namespace);
        var views = doc.Root.Element("ViewDefinitions")!.Elements().ToArray();
        Assert.NotEmpty(views);
        Assert.All(views, v => Assert.Equal("View", v.Name.LocalName));
        var names = views.Select(v => v.Element("Name")?.Value).ToArray();
        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
        Assert.Equal(names.Length, names.Distinct().Count());
        foreach (var view in views)
        {
            var name = view.Element("Name")!.Value;
            Assert.Contains(view.Element("ViewSelectedBy")!.Elements(), e => e.Name.LocalName is "TypeName" or "SelectionSetName");
            var controls = view.Elements().Where(e => Controls.Contains(e.Name.LocalName)).ToArray();
            Assert.True(controls.Length == 1, $"View {name} must have exactly one of {string.Join(", ", Controls)}.");
            if (controls[0].Name.LocalName != "TableControl") continue;
            var headers = controls[0].Element("TableHeaders")!.Elements("TableColumnHeader").Count();
            foreach (var row in controls[0].Element("TableRowEntries")!.Elements("TableRowEntry"))
            {
                var items = row.Element("TableColumnItems")!.Elements("TableColumnItem").ToArray();
                Assert.True(items.Length == headers, $"View {name}: {headers} headers but {items.Length} column items.");
                Assert.All(items, i => Assert.True(i.Element("PropertyName") is not null ^ i.Element("ScriptBlock") is not null,
                    $"View {name}: a column item needs exactly one of PropertyName and ScriptBlock."));
            }
        }
    }

    [Fact]
    public void Table_columns_name_properties_the_type_has()
    {
        // Compiled types are checked by name against the engine's metadata so a renamed property fails here, not on a user's screen.
        using var stream = File.OpenRead(Repository.EngineAssembly);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var properties = md.TypeDefinitions.Select(md.GetTypeDefinition).Where(t => t.GetDeclaringType().IsNil).ToDictionary(
            t => md.GetString(t.Namespace) + "." + md.GetString(t.Name),
            t => t.GetProperties().Select(p => md.GetString(md.GetPropertyDefinition(p).Name)).ToHashSet());
        var checkedViews = 0;
        foreach (var view in Load().Descendants("View"))
        {
            var type = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            if (!properties.TryGetValue(type, out var known)) continue;
            checkedViews++;
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                Assert.True(known.Contains(property), $"{type} has no property {property} (view {view.Element("Name")!.Value}).");
        }
        Assert.True(checkedViews > 0, "No view selects an engine type; the check did not run.");
    }
}
