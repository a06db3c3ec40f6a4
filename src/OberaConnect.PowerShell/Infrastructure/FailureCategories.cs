using System.Management.Automation;
using OberaConnect.Engine;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Which PowerShell ErrorCategory an error gets, and which stable ErrorId. Categories are returned as names
    /// (checked against ErrorCategory at compile time by nameof) so this map runs without PowerShell in tests.
    /// The map, documented in about_OberaConnect:
    /// <code>
    /// FailureKind          ErrorCategory
    /// Unknown              NotSpecified
    /// InvalidInput         InvalidArgument
    /// Configuration        InvalidData
    /// Authentication       AuthenticationError
    /// PermissionDenied     PermissionDenied
    /// NotFound             ObjectNotFound
    /// Conflict             ResourceExists
    /// RateLimited          LimitsExceeded
    /// ServiceUnavailable   ResourceUnavailable
    /// Timeout              OperationTimeout
    /// CircuitOpen          ResourceUnavailable
    /// OutcomeUnknown       WriteError
    /// InvalidState         InvalidOperation
    /// </code>
    /// </summary>
    public static class FailureCategories
    {
        /// <summary>The ErrorCategory name for an engine failure kind.</summary>
        public static string CategoryName(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.InvalidInput: return nameof(ErrorCategory.InvalidArgument);
                case FailureKind.Configuration: return nameof(ErrorCategory.InvalidData);
                case FailureKind.Authentication: return nameof(ErrorCategory.AuthenticationError);
                case FailureKind.PermissionDenied: return nameof(ErrorCategory.PermissionDenied);
                case FailureKind.NotFound: return nameof(ErrorCategory.ObjectNotFound);
                case FailureKind.Conflict: return nameof(ErrorCategory.ResourceExists);
                case FailureKind.RateLimited: return nameof(ErrorCategory.LimitsExceeded);
                case FailureKind.ServiceUnavailable: return nameof(ErrorCategory.ResourceUnavailable);
                case FailureKind.Timeout: return nameof(ErrorCategory.OperationTimeout);
                case FailureKind.CircuitOpen: return nameof(ErrorCategory.ResourceUnavailable);
                case FailureKind.OutcomeUnknown: return nameof(ErrorCategory.WriteError);
                case FailureKind.InvalidState: return nameof(ErrorCategory.InvalidOperation);
                default: return nameof(ErrorCategory.NotSpecified);
            }
        }

        /// <summary>The ErrorCategory name for any exception: engine errors by their kind, a few framework ones by type.</summary>
        public static string CategoryName(Exception error)
        {
            switch (error)
            {
                case OberaConnectException known: return CategoryName(known.Kind);
                case ArgumentException _: return nameof(ErrorCategory.InvalidArgument);
                case OperationCanceledException _: return nameof(ErrorCategory.OperationStopped);
                case TimeoutException _: return nameof(ErrorCategory.OperationTimeout);
                case UnauthorizedAccessException _: return nameof(ErrorCategory.PermissionDenied);
                case PlatformNotSupportedException _: return nameof(ErrorCategory.NotImplemented);
                case FileNotFoundException _: return nameof(ErrorCategory.ObjectNotFound);
                case DirectoryNotFoundException _: return nameof(ErrorCategory.ObjectNotFound);
                default: return nameof(ErrorCategory.NotSpecified);
            }
        }

        /// <summary>
        /// The stable ErrorId: the engine's own for engine errors; "Unexpected.&lt;ExceptionType&gt;" for anything
        /// else, so a script can still tell an unforeseen failure from a known one.
        /// </summary>
        public static string ErrorId(Exception error) =>
            error is OberaConnectException known ? known.ErrorId : "Unexpected." + error.GetType().Name;
    }
}
