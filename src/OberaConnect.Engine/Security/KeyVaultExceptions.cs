namespace OberaConnect.Engine.Security;

/// <summary>
/// Key Vault was reached but refused the identity: 401 (token rejected, or no token could be obtained for
/// the configured identity) or 403 (the identity may not read secrets). Not a reason to fall back to
/// environment variables: the configuration is wrong and should be fixed, so this is raised, not hidden.
/// </summary>
public sealed class KeyVaultAccessDeniedException : OberaConnectException
{
    public KeyVaultAccessDeniedException(string errorId, FailureKind kind, string message, string identity, int? statusCode, Exception? inner = null)
        : base(errorId, kind, message, inner)
    {
        Identity = identity;
        StatusCode = statusCode;
    }

    /// <summary>The identity in words ("the system-assigned managed identity of this machine").</summary>
    public string Identity { get; }

    /// <summary>HTTP status from the vault (401, 403), or null when the token request itself failed.</summary>
    public int? StatusCode { get; }
}

/// <summary>The secret exists but is disabled in the vault: Key Vault refuses to return its value.</summary>
public sealed class KeyVaultSecretDisabledException : OberaConnectException
{
    public KeyVaultSecretDisabledException(string vault, string secretName, Exception? inner = null)
        : base("KeyVaultSecretDisabled", FailureKind.InvalidState,
            $"The secret '{secretName}' in Azure Key Vault {vault} is disabled, so its value cannot be read. " +
            $"Enable it (portal: Secrets > {secretName} > current version > Enabled; or az keyvault secret set-attributes --enabled true), " +
            "or point the configuration at an enabled secret.", inner)
    {
        SecretName = secretName;
    }

    public string SecretName { get; }
}

/// <summary>Key Vault answered with an error this module does not expect (for example 400 BadParameter).</summary>
public sealed class KeyVaultRequestException : OberaConnectException
{
    public KeyVaultRequestException(string message, int statusCode, string? serviceCode, Exception? inner = null)
        : base("KeyVaultRequestFailed", FailureKind.Unknown, message, inner)
    {
        StatusCode = statusCode;
        ServiceCode = serviceCode;
    }

    public int StatusCode { get; }
    public string? ServiceCode { get; }
}
