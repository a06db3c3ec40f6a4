namespace OberaConnect.Engine.Sources;

/// <summary>
/// Every configured source failed, so there is no customer-site data at all this run. (One source
/// failing is not an error: its data is reported missing per site and a warning is written.)
/// </summary>
public sealed class SourcesUnavailableException : OberaConnectException
{
    public SourcesUnavailableException(IReadOnlyList<SourceStatus> statuses, Exception? inner = null)
        : base("SourcesUnavailable", KindOf(statuses),
            "No customer-site data could be read: " +
            string.Join(" ", statuses.Where(s => s.State != SourceState.NotConfigured).Select(s => $"{s.System}: {s.Message}")) +
            " Fix the first problem named above; if both are outages, check this machine's network path to api.ui.com and ninjarmm.com.",
            inner)
    {
        Statuses = statuses;
    }

    /// <summary>What happened to each source.</summary>
    public IReadOnlyList<SourceStatus> Statuses { get; }

    public override bool IsTransient => Statuses.Where(s => s.State == SourceState.Unavailable).All(s => s.IsTransient);

    private static FailureKind KindOf(IReadOnlyList<SourceStatus> statuses)
        => statuses.Any(s => s.ErrorId != null && (s.ErrorId.EndsWith("Unauthorized", StringComparison.Ordinal) || s.ErrorId.Contains("Authentication")))
            ? FailureKind.Authentication
            : FailureKind.ServiceUnavailable;
}
