using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Alerts records: one page per NinjaOne alert, keyed by its uid, created Open when raised. An alert that
/// is Open in Notion but no longer listed by the source is marked Resolved with Resolved At
/// (<see cref="PlanResolved"/>), at covered sites only; pages are never deleted. The sync reads open
/// alerts and those resolved in the last <see cref="ReopenWindow"/> (<see cref="ScopeFor(DateTimeOffset)"/>), so an alert
/// that comes back soon after clearing reopens its page instead of getting a second one.
/// </summary>
public sealed class AlertRecords
{
    public const string Database = nameof(DatabaseKey.Alerts);
    public const string OpenStatus = "Open";
    public const string ResolvedStatus = "Resolved";

    /// <summary>How long a resolved alert stays in the index, so it can reopen.</summary>
    public static readonly TimeSpan ReopenWindow = TimeSpan.FromDays(30);

    private readonly SiteRelationIndex _sites;
    private readonly TimeProvider _time;
    private readonly SiteCoverage _covered;

    public AlertRecords(SiteRelationIndex sites, TimeProvider? time = null)
    {
        _sites = sites ?? throw new ArgumentNullException(nameof(sites));
        _covered = new SiteCoverage(sites);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Customer Sites page ids of the sites whose open alerts this run knows completely.</summary>
    public IReadOnlyCollection<string> CoveredSitePageIds => _covered.PageIds;

    /// <summary>Marks a site as covered by name; false when it has no page.</summary>
    public bool Cover(string? siteName) => _covered.Cover(siteName);

    /// <summary>The index scope at the connection's clock.</summary>
    public static NotionFilter ScopeFor(Connection.OberaConnectConnection connection) => ScopeFor((connection.Options.Time ?? TimeProvider.System).GetUtcNow());

    /// <summary>The index scope: open alerts and those resolved within <see cref="ReopenWindow"/>.</summary>
    public static NotionFilter ScopeFor(DateTimeOffset now)
        => NotionFilter.Or(
            NotionFilter.Select(Alerts.Status.Name).EqualTo(OpenStatus),
            NotionFilter.Date(Alerts.ResolvedAt.Name).OnOrAfter(now - ReopenWindow));

    /// <summary>Records resolving (and checking timestamps) at the connection's clock.</summary>
    public static AlertRecords For(Connection.OberaConnectConnection connection, SiteRelationIndex sites, bool allowAnyTimestamp = false)
        => new(sites, connection.Options.Time) { AllowAnyTimestamp = allowAnyTimestamp };

    /// <summary>-AllowAnyTimestamp: a Created before 2000 or more than a day ahead is taken.</summary>
    public bool AllowAnyTimestamp { get; init; }

    /// <summary>The desired page of one open alert. Its site counts as covered when it resolves.</summary>
    public DesiredRecord Build(AlertInput given)
    {
        if (given is null) throw new ArgumentNullException(nameof(given));
        var check = InputRules.Alert(given, _time, AllowAnyTimestamp, out var input);
        if (!check.Ok) return DesiredRecord.Failed(input.AlertId ?? given.AlertId, check, given);
        var uid = input.AlertId!;
        if (!_sites.TryResolve(input.SiteName, "Alerts", check.Item, out var site, out var error))
            return DesiredRecord.Failed(uid, error!, given);
        _covered.Add(site);

        var title = input.Subject ?? FirstLine(input.Message) ?? "Alert " + uid;
        var alertTitle = NotionText.Truncate(title, InputRules.SubjectLength);
        var p = new RecordProperties()
            .Set(Alerts.Alert, alertTitle)
            .Set(Alerts.AlertUid, uid)
            .Set(Alerts.Site, new[] { site.PageId })
            .Set(Alerts.Status, OpenStatus)
            .Set(Alerts.ResolvedAt, null)
            .SetKnown(Alerts.Device, RecordValues.Short(input.DeviceName))
            .SetKnown(Alerts.Severity, input.Severity)
            .SetKnown(Alerts.Message, RecordValues.Short(input.Message))
            .SetKnown(Alerts.SourceType, RecordValues.OptionName(input.SourceType));
        if (input.CreatedAt is { } created) p.Set(Alerts.Created, NotionDate.At(created));
        var record = new DesiredRecord(uid, p, given) { Description = Describe(p[Alerts.Alert.Name].DisplayText, site.Name) };
        foreach (var n in check.Notices) record.Notices.Add(n);
        return record;
    }

    /// <summary>
    /// Plans Resolved (with Resolved At = now) for alerts Open in Notion that no record of this run named,
    /// at covered sites only.
    /// </summary>
    public IReadOnlyList<PlannedWrite> PlanResolved(UpsertSession session)
    {
        if (session is null) throw new ArgumentNullException(nameof(session));
        var now = _time.GetUtcNow();
        var plans = new List<PlannedWrite>();
        foreach (var page in _covered.UnplannedPagesAt(session))
        {
            if (Alerts.Status.Read(page.Values) != OpenStatus) continue;
            var title = Alerts.Alert.Read(page.Values) ?? "Alert " + page.Key;
            plans.Add(session.PlanUpdate(page, new RecordProperties()
                .Set(Alerts.Status, ResolvedStatus)
                .Set(Alerts.ResolvedAt, NotionDate.At(now)), description: Describe(title, _covered.SiteOf(page))));
        }
        return plans;
    }

    // The alert as people name it in prompts: its title and its site (never the uid alone).
    private static string Describe(string title, string? site)
        => $"alert '{(title.Length <= 80 ? title : title.Substring(0, 77) + "...")}'" + (site is null ? "" : $" at '{site}'");

    private static string? FirstLine(string? text)
    {
        if (text is null) return null;
        var end = text.IndexOf('\n');
        var line = (end < 0 ? text : text.Substring(0, end)).Trim();
        return line.Length == 0 ? null : line.Length <= 120 ? line : line.Substring(0, 117) + "...";
    }
}
