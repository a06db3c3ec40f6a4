using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OberaConnect.Module.Tests.Support;

/// <summary>
/// Which other assemblies the runtime must load to load each type of an assembly: those of its base type, its
/// interfaces (with generic arguments) and the types of its instance and static value-type fields.
/// </summary>
public static class TypeLoadDependencies
{
    public static IReadOnlyList<string> Find(string assemblyPath, IReadOnlyCollection<string> allowed)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var provider = new Provider();
        var offenders = new List<string>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var typeName = md.GetString(type.Namespace) + "." + md.GetString(type.Name);
            var needed = new List<(string What, TypeShape Shape)>();
            if (!type.BaseType.IsNil) needed.Add(("base type", Decode(md, provider, type.BaseType)));
            foreach (var i in type.GetInterfaceImplementations())
                needed.Add(("interface", Decode(md, provider, md.GetInterfaceImplementation(i).Interface)));
            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                if ((field.Attributes & FieldAttributes.Literal) != 0) continue;
                var shape = field.DecodeSignature(provider, null);
                // A reference-type field does not load its type; a value-type field must, for the layout.
                if (shape.IsValueType) needed.Add(("field " + md.GetString(field.Name), shape));
            }
            foreach (var (what, shape) in needed)
            {
                foreach (var assembly in shape.Assemblies.Where(a => !allowed.Contains(a)))
                    offenders.Add($"{typeName}: {what} needs {assembly}");
            }
        }
        return offenders.Distinct().ToArray();
    }

    private static TypeShape Decode(MetadataReader md, Provider provider, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => provider.GetTypeFromReference(md, (TypeReferenceHandle)handle, 0),
        HandleKind.TypeDefinition => provider.GetTypeFromDefinition(md, (TypeDefinitionHandle)handle, 0),
        HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(provider, null),
        _ => TypeShape.Own,
    };

    public sealed record TypeShape(bool IsValueType, ImmutableHashSet<string> Assemblies)
    {
        public static readonly TypeShape Own = new(false, ImmutableHashSet<string>.Empty);
    }

    private sealed class Provider : ISignatureTypeProvider<TypeShape, object?>
    {
        private const byte ValueTypeKind = 0x11;

        public TypeShape GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            var scope = reference.ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference) scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            var assemblies = scope.Kind == HandleKind.AssemblyReference
                ? ImmutableHashSet.Create(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name))
                : ImmutableHashSet<string>.Empty;
            return new TypeShape(rawTypeKind == ValueTypeKind, assemblies);
        }

        public TypeShape GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            new(rawTypeKind == ValueTypeKind, ImmutableHashSet<string>.Empty);

        public TypeShape GetGenericInstantiation(TypeShape genericType, ImmutableArray<TypeShape> typeArguments) =>
            new(genericType.IsValueType, typeArguments.Aggregate(genericType.Assemblies, (set, a) => set.Union(a.Assemblies)));

        public TypeShape GetPrimitiveType(PrimitiveTypeCode typeCode) =>
            new(typeCode is not (PrimitiveTypeCode.String or PrimitiveTypeCode.Object), ImmutableHashSet<string>.Empty);

        // Arrays, pointers and byrefs are not laid out inline: their element types load lazily.
        public TypeShape GetSZArrayType(TypeShape elementType) => TypeShape.Own;
        public TypeShape GetArrayType(TypeShape elementType, ArrayShape shape) => TypeShape.Own;
        public TypeShape GetPointerType(TypeShape elementType) => new(true, ImmutableHashSet<string>.Empty);
        public TypeShape GetByReferenceType(TypeShape elementType) => TypeShape.Own;
        public TypeShape GetFunctionPointerType(MethodSignature<TypeShape> signature) => new(true, ImmutableHashSet<string>.Empty);
        public TypeShape GetGenericMethodParameter(object? genericContext, int index) => TypeShape.Own;
        public TypeShape GetGenericTypeParameter(object? genericContext, int index) => TypeShape.Own;
        public TypeShape GetModifiedType(TypeShape modifier, TypeShape unmodifiedType, bool isRequired) => unmodifiedType;
        public TypeShape GetPinnedType(TypeShape elementType) => elementType;
        public TypeShape GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
