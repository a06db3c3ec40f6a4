using System.Reflection;
using System.Runtime.InteropServices;

namespace OberaConnect.Engine.DataSurface;

/// <summary>
/// Finds SQLite's native library (e_sqlite3) for the module. An application finds it through its deps.json; a
/// PowerShell module has none, so the layout puts it in Dependencies/runtimes/&lt;rid&gt;/native/ and this class
/// points the SQLite provider there: on .NET 8+ (PowerShell 7) with a DllImport resolver for the provider assembly,
/// on .NET Framework (Windows PowerShell 5.1) by loading the DLL by full path first, after which Windows hands the
/// provider's DllImport("e_sqlite3") the module already loaded. Where no such folder exists (tests, applications)
/// nothing is done and the runtime finds the library as usual.
/// </summary>
public static class SqliteNativeLibrary
{
    private const string LibraryName = "e_sqlite3";

    // Process-wide by nature: a native library and a DllImport resolver exist once per process.
    private static readonly object Gate = new();
    private static bool _done;
    private static string? _path;
    private static IntPtr _handle;

    /// <summary>The file the library was (or will be) loaded from by this class; null when the runtime's own probing is used.</summary>
    public static string? LoadedFrom
    {
        get { lock (Gate) return _path; }
    }

    /// <summary>The runtime identifier whose native folder fits this process, for example win-x64 or linux-arm64; null when unknown.</summary>
    public static string? RuntimeIdentifier()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            _ => null,
        };
        if (arch is null) return null;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "win-" + arch;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "osx-" + arch;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            // Alpine and other musl systems cannot load the glibc build.
            var musl = Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*").Length > 0;
            return (musl ? "linux-musl-" : "linux-") + arch;
        }
        return null;
    }

    /// <summary>The library's file name on this operating system.</summary>
    public static string FileName()
        => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? LibraryName + ".dll"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "lib" + LibraryName + ".dylib"
            : "lib" + LibraryName + ".so";

    /// <summary>Points the SQLite provider at the module's copy of the library. Safe to call often; acts once.</summary>
    public static void EnsureResolvable()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            var folder = Path.GetDirectoryName(typeof(SqliteNativeLibrary).Assembly.Location);
            var rid = RuntimeIdentifier();
            if (string.IsNullOrEmpty(folder) || rid is null) return;
            var path = Path.Combine(folder, "runtimes", rid, "native", FileName());
            if (!File.Exists(path)) return;
            _path = path;

            var nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
            if (nativeLibrary is null)
            {
                // .NET Framework, which runs on Windows only: load it by path now; DllImport then finds it by name.
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) _handle = LoadLibraryW(path);
                return;
            }
            var resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: false);
            var setResolver = nativeLibrary.GetMethod("SetDllImportResolver", BindingFlags.Public | BindingFlags.Static);
            if (resolverType is null || setResolver is null) return;
            var resolver = Delegate.CreateDelegate(resolverType, typeof(SqliteNativeLibrary).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!);
            try
            {
                setResolver.Invoke(null, new object[] { typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, resolver });
            }
            catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
            {
                // The provider already has a resolver (set by its host): leave it in charge.
                _path = null;
            }
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, LibraryName, StringComparison.Ordinal)) return IntPtr.Zero;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero || _path is null) return _handle;
            var nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: true)!;
            var load = nativeLibrary.GetMethod("Load", new[] { typeof(string) })!;
            _handle = (IntPtr)load.Invoke(null, new object[] { _path })!;
            return _handle;
        }
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string path);
}
