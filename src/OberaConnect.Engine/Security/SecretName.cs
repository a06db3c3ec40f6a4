namespace OberaConnect.Engine.Security;

/// <summary>
/// Rules for secret names as Azure Key Vault accepts them: 1 to 127 characters of letters, digits and
/// hyphens. Checked before any call, so a typo in the configuration gets a clear error instead of a 400.
/// </summary>
public static class SecretName
{
    /// <summary>Longest name Key Vault accepts.</summary>
    public const int MaxLength = 127;

    /// <summary>Null when <paramref name="name"/> is valid; otherwise what is wrong with it.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (name!.Length > MaxLength) return $"it is {name.Length} characters long (at most {MaxLength})";
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) return $"it contains {Describe(c)} at position {i + 1} (only letters a-z, A-Z, digits and '-' are allowed)";
        }
        return null;
    }

    /// <summary>Throws <see cref="InvalidSecretNameException"/> when <paramref name="name"/> breaks the rules.</summary>
    public static string Validate(string? name, string store)
    {
        var problem = Problem(name);
        if (problem != null) throw new InvalidSecretNameException(name ?? "", store, problem);
        return name!;
    }

    internal static string Describe(char c)
        => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}

/// <summary>A secret name that the store would refuse; raised before any request is made.</summary>
public sealed class InvalidSecretNameException : OberaConnectException
{
    public InvalidSecretNameException(string name, string store, string problem)
        : base("InvalidSecretName", FailureKind.Configuration,
            $"The secret name '{Printable(name)}' cannot be used with {store}: {problem}. " +
            "Key Vault secret names are 1-127 characters of letters, digits and '-'; correct the name in the configuration.")
    {
        SecretName = name;
    }

    /// <summary>The rejected name (a name, never a value).</summary>
    public string SecretName { get; }

    private static string Printable(string s)
    {
        var chars = s.Length > 140 ? s.Substring(0, 140) + "…" : s;
        var sb = new System.Text.StringBuilder(chars.Length);
        foreach (var c in chars) sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }
}
