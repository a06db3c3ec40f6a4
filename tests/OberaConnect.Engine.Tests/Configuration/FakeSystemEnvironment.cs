using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Tests.Configuration;

/// <summary>A machine and account described by the test: variables, OS, SYSTEM or not, folders under a temp root.</summary>
internal sealed class FakeSystemEnvironment : ISystemEnvironment
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

    public FakeSystemEnvironment(string root, bool windows = false, bool serviceAccount = false)
    {
        Root = root;
        IsWindows = windows;
        IsServiceAccount = serviceAccount;
    }

    public string Root { get; }

    public bool IsWindows { get; }

    public bool IsServiceAccount { get; }

    // Joined the way the OS described joins, so expected paths read the same on any build machine.
    public string HomeDirectory => IsWindows ? Path.Combine(Root, "home") : Root.TrimEnd('/', '\\') + "/home";

    public FakeSystemEnvironment Set(string name, string? value)
    {
        if (value is null) _variables.Remove(name); else _variables[name] = value;
        return this;
    }

    public string? GetVariable(string name) => _variables.TryGetValue(name, out var v) ? v : null;

    // Folder paths use the real separator under the temp root so files can be created; a Windows
    // fake still gets Windows-style joins from the code under test for the parts it appends.
    public string GetFolder(Environment.SpecialFolder folder) => Path.Combine(Root, folder.ToString());
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
