using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OberaConnect.ModuleBuild;

/// <summary>One [Parameter] attribute of a parameter (a parameter has one per parameter set it belongs to).</summary>
public sealed record ParameterSetUse(string SetName, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName);

/// <summary>A cmdlet parameter as its metadata declares it.</summary>
public sealed record CmdletParameter(string Name, string TypeName, IReadOnlyList<ParameterSetUse> Sets, IReadOnlyList<string> Aliases)
{
    public const string AllSets = "__AllParameterSets";

    public bool IsSwitch => TypeName == "SwitchParameter";
}

/// <summary>A cmdlet as its metadata declares it.</summary>
public sealed record CmdletDefinition(
    string Verb, string Noun, string ClassName, bool SupportsShouldProcess, string? DefaultParameterSet,
    IReadOnlyList<string> OutputTypes, IReadOnlyList<CmdletParameter> Parameters)
{
    public string Name => Verb + "-" + Noun;

    /// <summary>The named parameter sets (none when every parameter is in all sets).</summary>
    public IReadOnlyList<string> ParameterSets =>
        Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != CmdletParameter.AllSets)
            .Distinct(StringComparer.Ordinal).OrderBy(s => s == DefaultParameterSet ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal).ToArray();
}

/// <summary>
/// Reads cmdlets from a compiled cmdlet assembly without loading it: [Cmdlet], [OutputType], [Parameter] and
/// [Alias] attributes, through System.Reflection.Metadata. (The assembly is compiled against PowerShell's
/// reference assembly, which cannot be loaded to run, and no PowerShell exists on the build machine.)
/// Parameters declared on base classes in the same assembly are included.
/// </summary>
public static class CmdletMetadata
{
    private const string Sma = "System.Management.Automation";

    public static IReadOnlyList<CmdletDefinition> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var result = new List<CmdletDefinition>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility != TypeAttributes.Public || (type.Attributes & TypeAttributes.Abstract) != 0) continue;
            var cmdlet = FindAttribute(md, type.GetCustomAttributes(), "CmdletAttribute");
            if (cmdlet is null) continue;

            var decoded = cmdlet.Value.DecodeValue(TypeNames.Instance);
            var verb = (string)decoded.FixedArguments[0].Value!;
            var noun = (string)decoded.FixedArguments[1].Value!;
            var supportsShouldProcess = decoded.NamedArguments.Any(a => a.Name == "SupportsShouldProcess" && a.Value is true);
            var defaultSet = decoded.NamedArguments.Where(a => a.Name == "DefaultParameterSetName").Select(a => a.Value as string).FirstOrDefault();

            var outputs = new List<string>();
            foreach (var attribute in Attributes(md, type.GetCustomAttributes(), "OutputTypeAttribute"))
            {
                foreach (var argument in attribute.DecodeValue(TypeNames.Instance).FixedArguments)
                {
                    if (argument.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items)
                        outputs.AddRange(items.Select(i => i.Value?.ToString() ?? ""));
                }
            }

            var parameters = new List<CmdletParameter>();
            foreach (var declaring in TypeAndBasesInAssembly(md, handle))
                parameters.AddRange(ReadParameters(md, md.GetTypeDefinition(declaring)));

            var className = md.GetString(type.Namespace) + "." + md.GetString(type.Name);
            result.Add(new CmdletDefinition(verb, noun, className, supportsShouldProcess, defaultSet, outputs, parameters));
        }
        return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Names of the assemblies the given assembly references (for the dependency checks).</summary>
    public static IReadOnlyList<AssemblyName> References(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToArray();
    }

    private static IEnumerable<CmdletParameter> ReadParameters(MetadataReader md, TypeDefinition type)
    {
        foreach (var propertyHandle in type.GetProperties())
        {
            var property = md.GetPropertyDefinition(propertyHandle);
            var uses = new List<ParameterSetUse>();
            foreach (var attribute in Attributes(md, property.GetCustomAttributes(), "ParameterAttribute"))
            {
                var value = attribute.DecodeValue(TypeNames.Instance);
                var named = value.NamedArguments.ToDictionary(a => a.Name!, a => a.Value, StringComparer.Ordinal);
                int? position = named.TryGetValue("Position", out var p) && p is int i && i >= 0 ? i : null;
                uses.Add(new ParameterSetUse(
                    named.TryGetValue("ParameterSetName", out var set) && set is string s ? s : CmdletParameter.AllSets,
                    named.TryGetValue("Mandatory", out var m) && m is true,
                    position,
                    named.TryGetValue("ValueFromPipeline", out var vp) && vp is true,
                    named.TryGetValue("ValueFromPipelineByPropertyName", out var vpn) && vpn is true));
            }
            if (uses.Count == 0) continue;

            var aliases = new List<string>();
            foreach (var attribute in Attributes(md, property.GetCustomAttributes(), "AliasAttribute"))
            {
                foreach (var argument in attribute.DecodeValue(TypeNames.Instance).FixedArguments)
                    if (argument.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items)
                        aliases.AddRange(items.Select(a => a.Value?.ToString() ?? ""));
            }
            var signature = property.DecodeSignature(TypeNames.Instance, null);
            yield return new CmdletParameter(md.GetString(property.Name), signature.ReturnType, uses, aliases);
        }
    }

    private static IEnumerable<TypeDefinitionHandle> TypeAndBasesInAssembly(MetadataReader md, TypeDefinitionHandle handle)
    {
        var current = handle;
        while (true)
        {
            yield return current;
            var baseType = md.GetTypeDefinition(current).BaseType;
            if (baseType.Kind != HandleKind.TypeDefinition) yield break;
            current = (TypeDefinitionHandle)baseType;
        }
    }

    private static CustomAttribute? FindAttribute(MetadataReader md, CustomAttributeHandleCollection handles, string name) =>
        Attributes(md, handles, name).Select(a => (CustomAttribute?)a).FirstOrDefault();

    private static IEnumerable<CustomAttribute> Attributes(MetadataReader md, CustomAttributeHandleCollection handles, string name)
    {
        foreach (var handle in handles)
        {
            var attribute = md.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var ctor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (ctor.Parent.Kind != HandleKind.TypeReference) continue;
            var typeRef = md.GetTypeReference((TypeReferenceHandle)ctor.Parent);
            if (md.GetString(typeRef.Name) == name && md.GetString(typeRef.Namespace) == Sma) yield return attribute;
        }
    }

    /// <summary>
    /// Type names as PowerShell help shows them: short names, [] for arrays, and a Nullable as its value type (an optional
    /// -Day takes an Int32; "Int32?" in the syntax only puzzles people who do not write C#).
    /// </summary>
    private sealed class TypeNames : ICustomAttributeTypeProvider<string>, ISignatureTypeProvider<string, object?>
    {
        public static readonly TypeNames Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Boolean => "Boolean",
            PrimitiveTypeCode.Byte => "Byte",
            PrimitiveTypeCode.Char => "Char",
            PrimitiveTypeCode.Double => "Double",
            PrimitiveTypeCode.Int16 => "Int16",
            PrimitiveTypeCode.Int32 => "Int32",
            PrimitiveTypeCode.Int64 => "Int64",
            PrimitiveTypeCode.Object => "Object",
            PrimitiveTypeCode.Single => "Single",
            PrimitiveTypeCode.String => "String",
            PrimitiveTypeCode.UInt32 => "UInt32",
            PrimitiveTypeCode.UInt64 => "UInt64",
            _ => typeCode.ToString(),
        };

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        // typeof(X) in an attribute is stored as an assembly-qualified name; help wants the full type name.
        public string GetTypeFromSerializedName(string name)
        {
            var comma = name.IndexOf(',');
            return comma < 0 ? name : name.Substring(0, comma).Trim();
        }

        // Every enum used in PowerShell's attributes (ConfirmImpact and friends) is an Int32.
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type" || type == "Type";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            var name = genericType.Contains('`') ? genericType.Substring(0, genericType.IndexOf('`')) : genericType;
            return name == "Nullable" && typeArguments.Length == 1 ? typeArguments[0] : $"{name}[{string.Join(",", typeArguments)}]";
        }

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "IntPtr";
        public string GetGenericMethodParameter(object? genericContext, int index) => "T" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "T" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
