using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Tests.Configuration;

/// <summary>
/// A machine and account described by the test: variables, OS, SYSTEM or not, folders under a temp root
/// (or set one by one). The in-memory <see cref="ISystemEnvironment"/> of every test.
/// </summary>
internal sealed class FakeSystemEnvironment : ISystemEnvironment
{
    private readonly Dictionary<string, string> _variables;
    private readonly Dictionary<Environment.SpecialFolder, string> _folders = new();
    private string? _home;

    public FakeSystemEnvironment(string root, bool windows = false, bool serviceAccount = false)
    {
        Root = root;
        IsWindows = windows;
        IsServiceAccount = serviceAccount;
        // Windows compares variable names without case; Unix does not.
        _variables = new Dictionary<string, string>(windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    }

    public string Root { get; }

    public bool IsWindows { get; }

    public bool IsServiceAccount { get; }

    // Joined the way the OS described joins, so expected paths read the same on any build machine.
    public string HomeDirectory => _home ?? (IsWindows ? Path.Combine(Root, "home") : Root.TrimEnd('/', '\\') + "/home");

    /// <summary>Describes the account's home directory exactly (for example "/home/tech").</summary>
    public FakeSystemEnvironment SetHome(string home)
    {
        _home = home;
        return this;
    }

    /// <summary>Describes one special folder exactly (for example LocalApplicationData = C:\Users\tech\AppData\Local).</summary>
    public FakeSystemEnvironment SetFolder(Environment.SpecialFolder folder, string path)
    {
        _folders[folder] = path;
        return this;
    }

    public FakeSystemEnvironment Set(string name, string? value)
    {
        if (value is null) _variables.Remove(name); else _variables[name] = value;
        return this;
    }

    // Like the real environment: an empty variable is not set.
    public string? GetVariable(string name) => _variables.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    // Folder paths use the real separator under the temp root so files can be created; a Windows
    // fake still gets Windows-style joins from the code under test for the parts it appends.
    public string GetFolder(Environment.SpecialFolder folder)
        => _folders.TryGetValue(folder, out var path) ? path : Path.Combine(Root, folder.ToString());
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oc-cfg-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
