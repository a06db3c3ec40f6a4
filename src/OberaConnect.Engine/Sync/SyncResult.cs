namespace OberaConnect.Engine.Sync;

/// <summary>Where a record ended. Every record a sync touches ends in exactly one of these.</summary>
public enum SyncStatus
{
    /// <summary>A new page was created.</summary>
    Created,
    /// <summary>An existing page had properties the module owns changed.</summary>
    Updated,
    /// <summary>The page already held the desired values: nothing was sent.</summary>
    Unchanged,
    /// <summary>
    /// Deliberately not written (-WhatIf, declined -Confirm, insert-only record already present, ...). <see cref="SyncResult.Reason"/> says why;
    /// for a preview or a declined prompt, <see cref="SyncResult.WouldBe"/> says what would have happened.
    /// </summary>
    Skipped,
    /// <summary>
    /// The record could not be written; <see cref="SyncResult.Error"/> says why. When a retry can fix the cause (an outage, a site
    /// not yet in Customer Sites) it was journaled for -RetryFailed; input that failed validation is reported, never journaled.
    /// </summary>
    Failed,
}

/// <summary>
/// The outcome of one record of one sync, emitted on the pipeline. Every public member exports as it reads
/// (Export-Csv, ConvertTo-Json at the default depth): statuses as names, changed properties as one text in CSV
/// and an array in JSON, the error as its message and id. The exception and the input object stay with the
/// error record the cmdlet writes (internal here), never in the exported result.
/// </summary>
public sealed class SyncResult
{
    private IReadOnlyList<string> _changed = NameList.Empty;

    /// <summary>Which sync produced it, for example "Sync-CustomerStatus".</summary>
    public string Operation { get; set; } = "";

    /// <summary>The workspace database key, for example "CustomerSites".</summary>
    public string Database { get; set; } = "";

    /// <summary>The record's natural key (site name, MAC, change id, ...).</summary>
    public string Key { get; set; } = "";

    /// <summary>Where the record ended, as a name: Created, Updated, Unchanged, Skipped or Failed.</summary>
    public string Status => StatusValue.ToString();

    /// <summary><see cref="Status"/> for code: an enum is exported as a number, so it is kept off the public surface.</summary>
    internal SyncStatus StatusValue { get; set; }

    /// <summary>The Notion page written or found, when there is one.</summary>
    public string? PageId { get; set; }

    public string? Url { get; set; }

    /// <summary>Names of the properties that were (or would be) changed.</summary>
    public IReadOnlyList<string> ChangedProperties { get => _changed; set => _changed = NameList.From(value); }

    /// <summary>Why a record was skipped, or extra detail (for example "recovered after a lost response").</summary>
    public string? Reason { get; set; }

    /// <summary>
    /// For a record that was previewed (-WhatIf) or declined at the -Confirm prompt: what writing it would have done (Created,
    /// Updated, Unchanged, Skipped or Failed, with <see cref="Reason"/> saying how). Null for a record that was really processed.
    /// </summary>
    public string? WouldBe => WouldBeValue?.ToString();

    /// <summary><see cref="WouldBe"/> for code.</summary>
    internal SyncStatus? WouldBeValue { get; set; }

    /// <summary>The error message for Failed records (never contains secrets).</summary>
    public string? Error { get; set; }

    /// <summary>The stable id of the error for Failed records.</summary>
    public string? ErrorId { get; set; }

    /// <summary>The error itself, for hosts that turn it into an error record (kept there, not in the exported result).</summary>
    internal Exception? Exception { get; set; }

    /// <summary>The input record, for hosts that need it as an error's target object.</summary>
    internal object? Input { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    /// <summary>One id per cmdlet invocation, shared with the audit log and error records.</summary>
    public string CorrelationId { get; set; } = "";

    public override string ToString() => $"{Database} {Key}: {Status}" + (Error is null ? "" : $" ({Error})");
}

/// <summary>Counts of one sync run, for the Information stream, -Summary, the audit log and metrics.</summary>
public sealed class SyncSummary
{
    public string Operation { get; set; } = "";
    public string Database { get; set; } = "";
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public int Total => Created + Updated + Unchanged + Skipped + Failed;

    /// <summary>HTTP requests sent to Notion (retries included).</summary>
    public long Requests { get; set; }

    /// <summary>429 answers received.</summary>
    public long RateLimited { get; set; }

    /// <summary>How long the run took, in milliseconds (a TimeSpan would export as fifteen fields).</summary>
    public long DurationMs => (long)Math.Round(Duration.TotalMilliseconds);

    internal TimeSpan Duration { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public string CorrelationId { get; set; } = "";

    /// <summary>True for a -WhatIf run: every record is Skipped (with what it would be) and nothing was written anywhere.</summary>
    public bool Preview { get; set; }

    /// <summary>True when the run was stopped (Ctrl+C, a terminating error) before its end: records never reached are not counted.</summary>
    public bool Stopped { get; set; }

    /// <summary>Adds one record's outcome.</summary>
    public void Count(SyncStatus status)
    {
        switch (status)
        {
            case SyncStatus.Created: Created++; break;
            case SyncStatus.Updated: Updated++; break;
            case SyncStatus.Unchanged: Unchanged++; break;
            case SyncStatus.Skipped: Skipped++; break;
            default: Failed++; break;
        }
    }

    public override string ToString() =>
        $"{Operation}{(Preview ? " (-WhatIf: nothing written)" : "")}{(Stopped ? " (stopped)" : "")}: {Total} record(s): {Created} created, {Updated} updated, {Unchanged} unchanged, {Skipped} skipped, {Failed} failed; " +
        $"{Requests} request(s), {RateLimited} rate-limited, {Duration.TotalSeconds:0.0} s";
}
