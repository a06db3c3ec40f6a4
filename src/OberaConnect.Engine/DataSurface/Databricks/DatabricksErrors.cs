namespace OberaConnect.Engine.DataSurface.Databricks;

/// <summary>The Databricks REST API refused a call (HTTP 4xx/5xx before any statement ran).</summary>
public sealed class DatabricksApiException : OberaConnectException
{
    public DatabricksApiException(string errorId, FailureKind kind, int status, string? errorCode, string message)
        : base(errorId, kind, message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>Databricks <c>error_code</c> (for example <c>PERMISSION_DENIED</c>), when given.</summary>
    public string? ErrorCode { get; }
}

/// <summary>A statement reached FAILED or CANCELED, or did not finish in time and was cancelled.</summary>
public sealed class DatabricksStatementException : OberaConnectException
{
    public DatabricksStatementException(string errorId, FailureKind kind, string statementId, string state, string? errorCode, string? sqlState, string message)
        : base(errorId, kind, message)
    {
        StatementId = statementId;
        State = state;
        ErrorCode = errorCode;
        SqlState = sqlState;
    }

    /// <summary>The warehouse's statement id, to look the statement up in Query History.</summary>
    public string StatementId { get; }

    /// <summary>FAILED, CANCELED, or the state it was in when it timed out.</summary>
    public string State { get; }

    /// <summary>Databricks error code (for example <c>BAD_REQUEST</c>), when given.</summary>
    public string? ErrorCode { get; }

    /// <summary>SQLSTATE of the failure (for example <c>42P01</c>), when given.</summary>
    public string? SqlState { get; }
}
