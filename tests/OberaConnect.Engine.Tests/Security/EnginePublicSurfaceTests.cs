using System.Reflection;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Tests.Security;

/// <summary>
/// Azure.Core and Azure.Identity collide with Az.Accounts in PowerShell sessions, so the cmdlet assembly must
/// be able to use the engine without referencing them: no public engine signature may mention an Azure or
/// MSAL type.
/// </summary>
public class EnginePublicSurfaceTests
{
    private static bool IsAzure(Type? type)
    {
        if (type is null) return false;
        if (type.HasElementType) return IsAzure(type.GetElementType());
        if (type.IsGenericType && type.GetGenericArguments().Any(IsAzure)) return true;
        var assembly = type.Assembly.GetName().Name ?? "";
        return assembly.StartsWith("Azure.", StringComparison.Ordinal) || assembly.StartsWith("Microsoft.Identity", StringComparison.Ordinal);
    }

    [Fact]
    public void No_public_engine_signature_mentions_an_Azure_type()
    {
        var offenders = new List<string>();
        foreach (var type in typeof(KeyVaultSecretProvider).Assembly.GetExportedTypes())
        {
            if (IsAzure(type.BaseType) || type.GetInterfaces().Any(IsAzure)) offenders.Add(type.FullName!);
            const BindingFlags visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(visible))
            {
                var types = member switch
                {
                    MethodBase m => m.GetParameters().Select(p => p.ParameterType).Append((m as MethodInfo)?.ReturnType),
                    PropertyInfo p => new[] { p.PropertyType },
                    FieldInfo f => new[] { f.FieldType },
                    EventInfo e => new[] { e.EventHandlerType },
                    _ => Array.Empty<Type?>(),
                };
                if (types.Any(IsAzure)) offenders.Add($"{type.FullName}.{member.Name}");
            }
        }
        Assert.Empty(offenders);
        Assert.True(IsAzure(typeof(Azure.Core.TokenCredential)) && IsAzure(typeof(Task<Azure.Response>))); // the detector itself works
        Assert.Contains(typeof(KeyVaultSecretProvider), typeof(KeyVaultSecretProvider).Assembly.GetExportedTypes());
    }
}
