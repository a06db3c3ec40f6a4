using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using OberaConnect.Engine.Workspace;
using OberaConnect.Module.Tests.Support;

namespace OberaConnect.Module.Tests.Infrastructure;

/// <summary>
/// [ValidateSet] values must be compile-time constants, so the read-back cmdlets repeat the select options of the
/// workspace definition. This reads the attributes from the built cmdlet assembly (no PowerShell needed) and fails
/// as soon as the definition and a ValidateSet disagree.
/// </summary>
public class WorkspaceOptionTests
{
    public static TheoryData<string, string, DatabaseKey, string> Sets => new()
    {
        { "OberaConnect.PowerShell.Commands.GetCustomerStatusCommand", "RiskLevel", DatabaseKey.CustomerSites, "Risk Level" },
        { "OberaConnect.PowerShell.Commands.GetNetworkDeviceCommand", "Status", DatabaseKey.NetworkDevices, "Status" },
        { "OberaConnect.PowerShell.Commands.GetAlertCommand", "Status", DatabaseKey.Alerts, "Status" },
        { "OberaConnect.PowerShell.Commands.GetAlertCommand", "Severity", DatabaseKey.Alerts, "Severity" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void ValidateSet_values_are_the_definitions_options(string type, string parameter, DatabaseKey database, string property)
    {
        var values = ValidateSetOf(type, parameter);
        Assert.Equal(NotionWorkspace.OptionsOf(database, property), values);
    }

    [Fact]
    public void The_completed_option_lists_come_from_the_definition()
    {
        Assert.Equal(new[] { "Idea", "Design", "Build", "Test", "Pilot", "Production", "Retired" }, NotionWorkspace.OptionsOf("AzurePipeline", "Stage"));
        Assert.Contains("Incident Response", NotionWorkspace.OptionsOf("Runbook Library", "Category"));
        Assert.Contains("Networking", NotionWorkspace.OptionsOf("azure-pipeline", "Category"));
    }

    [Fact]
    public void The_reader_finds_a_ValidateSet_and_reports_a_missing_one()
    {
        Assert.NotEmpty(ValidateSetOf("OberaConnect.PowerShell.Commands.GetAlertCommand", "Severity"));
        Assert.Empty(ValidateSetOf("OberaConnect.PowerShell.Commands.GetAlertCommand", "Site"));
    }

    private static IReadOnlyList<string> ValidateSetOf(string typeName, string propertyName)
    {
        using var stream = File.OpenRead(Repository.CmdletAssembly);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var type = md.TypeDefinitions.Select(md.GetTypeDefinition)
            .Single(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name) == typeName);
        var property = type.GetProperties().Select(md.GetPropertyDefinition).Single(p => md.GetString(p.Name) == propertyName);
        foreach (var handle in property.GetCustomAttributes())
        {
            var attribute = md.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var ctor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (ctor.Parent.Kind != HandleKind.TypeReference || md.GetString(md.GetTypeReference((TypeReferenceHandle)ctor.Parent).Name) != "ValidateSetAttribute") continue;
            var value = attribute.DecodeValue(new StringsOnly());
            var items = (ImmutableArray<CustomAttributeTypedArgument<string>>)value.FixedArguments[0].Value!;
            return items.Select(i => (string)i.Value!).ToList();
        }
        return Array.Empty<string>();
    }

    /// <summary>Enough of a type provider to decode ValidateSet(params string[]).</summary>
    private sealed class StringsOnly : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
