namespace OberaConnect.Engine;

/// <summary>
/// What kind of failure an engine error is. Cmdlets map it to a PowerShell ErrorCategory; the engine
/// itself knows nothing of PowerShell.
/// </summary>
public enum FailureKind
{
    /// <summary>Anything not better described below.</summary>
    Unknown,
    /// <summary>Input is malformed or breaks a limit (bad id, text too long, invalid weights).</summary>
    InvalidInput,
    /// <summary>The configuration file or settings are wrong.</summary>
    Configuration,
    /// <summary>A token, key or client secret was refused.</summary>
    Authentication,
    /// <summary>The caller is authenticated but may not touch the object.</summary>
    PermissionDenied,
    /// <summary>The object does not exist or is not visible to the integration.</summary>
    NotFound,
    /// <summary>The request conflicts with the current state (Notion 409, a duplicate key).</summary>
    Conflict,
    /// <summary>The service asked us to slow down and we gave up waiting.</summary>
    RateLimited,
    /// <summary>The service failed (5xx) or could not be reached.</summary>
    ServiceUnavailable,
    /// <summary>The request took longer than the configured timeout.</summary>
    Timeout,
    /// <summary>The circuit breaker is open: the service failed repeatedly; try again later.</summary>
    CircuitOpen,
    /// <summary>A write was sent but its outcome is unknown (timeout, 5xx or reset after sending).</summary>
    OutcomeUnknown,
    /// <summary>The target (database schema, relation) is not in the state the operation needs.</summary>
    InvalidState,
}

/// <summary>
/// Base of every error the engine raises on purpose. <see cref="ErrorId"/> is stable across releases so
/// scripts can match on it (it becomes the ErrorRecord's FullyQualifiedErrorId).
/// Messages never contain secrets: they are built from our own text and from service error messages,
/// and pass through <see cref="Security.SecretRedactor"/> where they quote anything received.
/// </summary>
public class OberaConnectException : Exception
{
    public OberaConnectException(string errorId, FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    /// <summary>Stable identifier, for example <c>NotionObjectNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The family of failure, mapped to an ErrorCategory by the cmdlets.</summary>
    public FailureKind Kind { get; }

    /// <summary>True when repeating the same call later may succeed (rate limits, outages, open circuit).</summary>
    public virtual bool IsTransient => Kind is FailureKind.RateLimited or FailureKind.ServiceUnavailable
        or FailureKind.Timeout or FailureKind.CircuitOpen;
}
