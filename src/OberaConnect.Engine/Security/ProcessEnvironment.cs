using System.Runtime.InteropServices;

namespace OberaConnect.Engine.Security;

/// <summary>
/// What the engine reads from the process environment: variables, the OS and the account. An interface so
/// tests (and a cmdlet that wants to pass NinjaOne script variables explicitly) can supply their own.
/// </summary>
public interface IProcessEnvironment
{
    /// <summary>The variable's value, or null when it is not set.</summary>
    string? GetVariable(string name);

    /// <summary>True on Windows (variable names are case-insensitive there).</summary>
    bool IsWindows { get; }

    /// <summary>The account the process runs as ("SYSTEM" for NinjaOne scripts and many scheduled tasks).</summary>
    string UserName { get; }
}

/// <summary>The real process environment.</summary>
public sealed class ProcessEnvironment : IProcessEnvironment
{
    /// <summary>The one instance; it holds no state of its own.</summary>
    public static readonly ProcessEnvironment Instance = new();

    private ProcessEnvironment() { }

    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    public bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public string UserName => Environment.UserName;
}

/// <summary>An environment made of a dictionary, for tests and for callers that pass variables explicitly.</summary>
public sealed class DictionaryEnvironment : IProcessEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public DictionaryEnvironment(IDictionary<string, string>? variables = null, bool isWindows = false, string userName = "user")
    {
        IsWindows = isWindows;
        UserName = userName;
        // Windows compares variable names without case; Unix does not.
        _variables = new Dictionary<string, string>(isWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (variables != null)
            foreach (var pair in variables) _variables[pair.Key] = pair.Value;
    }

    public string? GetVariable(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    public bool IsWindows { get; }

    public string UserName { get; }

    /// <summary>Sets or removes (null) a variable.</summary>
    public DictionaryEnvironment Set(string name, string? value)
    {
        if (value is null) _variables.Remove(name); else _variables[name] = value;
        return this;
    }
}
