using System.Diagnostics;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Credentials;

/// <summary>
/// A secret (token, API key, client secret) that never prints itself: <see cref="ToString"/> gives the
/// mask, it has no public properties for a serializer or formatter to show, and the debugger shows the
/// mask too. Code that must send it calls <see cref="Reveal"/>, which is easy to find in a review.
/// </summary>
[DebuggerDisplay("***")]
public sealed class SecretValue
{
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly string _value;

    public SecretValue(string value)
    {
        if (string.IsNullOrEmpty(value)) throw new ArgumentException("A secret value cannot be empty.", nameof(value));
        _value = value;
    }

    /// <summary>The secret itself, for the one place that sends it (an Authorization header, a token request).</summary>
    public string Reveal() => _value;

    /// <summary>Always the mask, whatever the value.</summary>
    public override string ToString() => SecretRedactor.Mask;
}
