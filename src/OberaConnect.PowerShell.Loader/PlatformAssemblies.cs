using System.Reflection;

namespace OberaConnect.PowerShell.Loader;

/// <summary>
/// The assemblies the host process was started with (the .NET runtime and PowerShell's own files in $PSHOME):
/// the runtime's "trusted platform assemblies". Other modules' assemblies are never in this list, which is what
/// makes it the right thing to compare against: we share the platform's copy, never another module's.
/// </summary>
internal sealed class PlatformAssemblies
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="trustedPlatformAssemblies">The TRUSTED_PLATFORM_ASSEMBLIES list: file paths joined by the path separator.</param>
    public PlatformAssemblies(string? trustedPlatformAssemblies)
    {
        if (string.IsNullOrEmpty(trustedPlatformAssemblies)) return;
        foreach (var path in trustedPlatformAssemblies.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                _paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }
    }

    /// <summary>The platform list of the running process.</summary>
    public static PlatformAssemblies OfThisProcess() => new(AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string);

    /// <summary>The version of the platform's assembly of that name, or null when the platform has none.</summary>
    public Version? VersionOf(string simpleName)
    {
        if (!_paths.TryGetValue(simpleName, out var path)) return null;
        try { return AssemblyName.GetAssemblyName(path).Version; }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException) { return null; }
    }
}
