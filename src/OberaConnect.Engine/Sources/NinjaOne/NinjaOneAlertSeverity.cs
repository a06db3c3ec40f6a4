namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// Gives alerts their severity. NinjaOne alerts carry none; the activities of the same series
/// (activity.seriesUid = alert.uid) do. The activity log is read newest first, from now back to the
/// oldest open alert, and the newest severity of each series wins. Alerts whose series is not found
/// within the bound keep <see cref="NinjaOneSeverity.Unknown"/>.
/// </summary>
public static class NinjaOneAlertSeverity
{
    /// <summary>The alerts with <see cref="NinjaOneAlert.Severity"/> filled in where the activity log knows it.</summary>
    public static async Task<IReadOnlyList<NinjaOneAlert>> ResolveAsync(this INinjaOneSource source, IReadOnlyList<NinjaOneAlert> alerts,
        int maxActivities = 5000, CancellationToken cancellationToken = default)
    {
        var pending = new HashSet<string>(alerts.Where(a => a.SeverityValue == NinjaOneSeverity.Unknown && a.Uid.Length > 0).Select(a => a.Uid),
            StringComparer.OrdinalIgnoreCase);
        if (pending.Count == 0) return alerts;
        var oldest = alerts.Where(a => a.CreatedAt != null).Select(a => a.CreatedAt!.Value).DefaultIfEmpty().Min();
        // An hour of slack: an alert's first activity can be stamped a little before the alert's createTime.
        var query = new NinjaOneActivityQuery
        {
            NotBefore = oldest == default ? null : oldest - TimeSpan.FromHours(1),
            MaxActivities = maxActivities,
        };
        var found = new Dictionary<string, NinjaOneSeverity>(StringComparer.OrdinalIgnoreCase);
        await foreach (var activity in source.GetActivitiesAsync(query, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (activity.SeriesUid is null || activity.Severity == NinjaOneSeverity.Unknown) continue;
            if (pending.Remove(activity.SeriesUid)) found[activity.SeriesUid] = activity.Severity;
            if (pending.Count == 0) break;
        }
        return alerts.Select(a => a.SeverityValue == NinjaOneSeverity.Unknown && found.TryGetValue(a.Uid, out var s) ? a with { SeverityValue = s } : a).ToList();
    }
}
