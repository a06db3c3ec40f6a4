using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.ReadBack;

/// <summary>
/// Which sites a read-back is limited to: names, compared as the syncs compare site names (case, spacing and Unicode form
/// aside), each of which must name a site; and wildcard patterns (<c>'Bayou*'</c>), matched by the host's own rules (for
/// PowerShell, <c>WildcardPattern</c>, as Get-Process -Name does), which may match nothing.
/// </summary>
public sealed class SiteSelection
{
    public SiteSelection(IEnumerable<string> names, Func<string, bool>? pattern = null)
    {
        Names = (names ?? Enumerable.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        Pattern = pattern;
    }

    /// <summary>Site names given without wildcards: a name that matches no site is reported (SiteNotFound).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True for a site name any wildcard pattern given matches; null when none was given.</summary>
    public Func<string, bool>? Pattern { get; }

    /// <summary>The selection of one name, or null (every site) for none.</summary>
    public static SiteSelection? Of(string? name) => string.IsNullOrWhiteSpace(name) ? null : new SiteSelection(new[] { name! });
}

/// <summary>
/// What a read-back cmdlet asks for. Each query turns its parameters into a Notion query filter, so Notion does the
/// filtering and only matching pages cross the wire; site names are resolved to their Customer Sites page ids first.
/// </summary>
public abstract class WorkspaceQuery
{
    internal abstract DatabaseKey Database { get; }

    /// <summary>The sites to limit the read to (names and wildcard patterns); null reads every site.</summary>
    public SiteSelection? Sites { get; set; }

    /// <summary>The sites the read is limited to: <see cref="Sites"/>, or the query's single site name.</summary>
    internal virtual SiteSelection? SiteScope => Sites;

    /// <summary>True when the database read is Customer Sites itself: a site selection picks its pages, not a relation.</summary>
    internal virtual bool IsSiteDatabase => false;

    /// <summary>The filter conditions other than the site.</summary>
    internal abstract IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace);

    /// <summary>Sorts, when the result is small enough to sort (Notion refuses to continue a sorted query past 10,000 rows).</summary>
    internal virtual IEnumerable<NotionSort> Sorts => Array.Empty<NotionSort>();

    /// <summary>The record of one page.</summary>
    internal abstract object Map(NotionPage page, SiteDirectory sites);

    /// <summary>False for a page the Notion filter let through only loosely (a "contains" standing in for an exact name).</summary>
    internal virtual bool Accept(NotionPage page) => true;

    /// <summary>True when records show site names (resolved from their Site relation).</summary>
    internal virtual bool ShowsSites => true;

    /// <summary>The relation property that points at Customer Sites.</summary>
    internal virtual string SiteProperty => SharedColumns.Site.Name;
}

/// <summary>Customer Sites, optionally one site (by Site Name) and/or one risk level.</summary>
public sealed class CustomerStatusQuery : WorkspaceQuery
{
    public string? Site { get; set; }

    /// <summary>Low, Medium, High or Critical.</summary>
    public string? RiskLevel { get; set; }

    internal override DatabaseKey Database => DatabaseKey.CustomerSites;
    internal override bool ShowsSites => false;
    internal override bool IsSiteDatabase => true;
    internal override SiteSelection? SiteScope => Sites ?? SiteSelection.Of(Site);

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (NotionWorkspace.OptionOf(Database, CustomerSites.RiskLevel.Name, RiskLevel) is { } risk) yield return NotionFilter.Select(CustomerSites.RiskLevel.Name).EqualTo(risk);
    }

    internal override IEnumerable<NotionSort> Sorts => new[] { NotionSort.ByProperty(CustomerSites.SiteName.Name) };

    internal override object Map(NotionPage page, SiteDirectory sites) => CustomerStatus.FromPage(page);
}

/// <summary>Daily Health snapshots of one site, optionally between two days (inclusive), oldest first.</summary>
public sealed class DailyHealthQuery : WorkspaceQuery
{
    public string Site { get; set; } = "";

    /// <summary>First day to include (its calendar date; the time of day is ignored).</summary>
    public DateTime? Since { get; set; }

    /// <summary>Last day to include (its calendar date).</summary>
    public DateTime? Until { get; set; }

    internal override DatabaseKey Database => DatabaseKey.DailyHealth;
    internal override SiteSelection? SiteScope => Sites ?? SiteSelection.Of(Site)
        ?? throw new OberaConnectException("SiteRequired", FailureKind.InvalidInput, "Get-DailyHealth needs a site: pass -Site with a Site Name from Customer Sites (wildcards such as 'Bayou*' are allowed).");

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (Since is { } since) yield return NotionFilter.Date(DailyHealth.Date.Name).OnOrAfter(since.Date);
        if (Until is { } until) yield return NotionFilter.Date(DailyHealth.Date.Name).OnOrBefore(until.Date);
    }

    // One site has a page a day: far below the 10,000 rows a sorted query can read.
    internal override IEnumerable<NotionSort> Sorts => new[] { NotionSort.ByProperty(DailyHealth.Date.Name) };

    internal override object Map(NotionPage page, SiteDirectory sites) => DailyHealthRecord.FromPage(page, sites);
}

/// <summary>Config Changes, optionally of one site, since an instant, and/or by one engineer (exact name).</summary>
public sealed class ConfigChangeQuery : WorkspaceQuery
{
    public string? Site { get; set; }

    /// <summary>Changes at or after this time (a local time unless its Kind is Utc).</summary>
    public DateTime? Since { get; set; }

    /// <summary>One engineer's changes, by exact name (Notion compares it); ignored when <see cref="EngineerPattern"/> is set.</summary>
    public string? Engineer { get; set; }

    /// <summary>Engineers matching wildcard patterns (the host's rules): the changes are read and matched here, not by Notion.</summary>
    public Func<string, bool>? EngineerPattern { get; set; }

    internal override DatabaseKey Database => DatabaseKey.ConfigChanges;
    internal override SiteSelection? SiteScope => Sites ?? SiteSelection.Of(Site);

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (Since is { } since) yield return NotionFilter.Date(ConfigChanges.Timestamp.Name).OnOrAfter(new DateTimeOffset(since));
        if (EngineerPattern is null && !string.IsNullOrWhiteSpace(Engineer)) yield return NotionFilter.RichText(ConfigChanges.Engineer.Name).EqualTo(Engineer!.Trim());
    }

    internal override bool Accept(NotionPage page)
        => EngineerPattern is null || EngineerPattern(page.Get<TextValue>(ConfigChanges.Engineer.Name)?.PlainText ?? "");

    internal override object Map(NotionPage page, SiteDirectory sites) => ConfigChangeRecord.FromPage(page, sites);
}

/// <summary>Network Devices, optionally of one site and/or one status.</summary>
public sealed class NetworkDeviceQuery : WorkspaceQuery
{
    public string? Site { get; set; }

    /// <summary>Online, Offline, Updating or Gone From Source.</summary>
    public string? Status { get; set; }

    internal override DatabaseKey Database => DatabaseKey.NetworkDevices;
    internal override SiteSelection? SiteScope => Sites ?? SiteSelection.Of(Site);

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (NotionWorkspace.OptionOf(Database, NetworkDevices.Status.Name, Status) is { } status) yield return NotionFilter.Select(NetworkDevices.Status.Name).EqualTo(status);
    }

    internal override object Map(NotionPage page, SiteDirectory sites) => NetworkDeviceRecord.FromPage(page, sites);
}

/// <summary>Alerts, optionally of one site, one status and/or one severity.</summary>
public sealed class AlertQuery : WorkspaceQuery
{
    public string? Site { get; set; }

    /// <summary>Open or Resolved.</summary>
    public string? Status { get; set; }

    /// <summary>NONE, MINOR, MODERATE, MAJOR or CRITICAL (any case).</summary>
    public string? Severity { get; set; }

    internal override DatabaseKey Database => DatabaseKey.Alerts;
    internal override SiteSelection? SiteScope => Sites ?? SiteSelection.Of(Site);

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (NotionWorkspace.OptionOf(Database, Alerts.Status.Name, Status) is { } status) yield return NotionFilter.Select(Alerts.Status.Name).EqualTo(status);
        if (NotionWorkspace.OptionOf(Database, Alerts.Severity.Name, Severity) is { } severity) yield return NotionFilter.Select(Alerts.Severity.Name).EqualTo(severity);
    }

    internal override object Map(NotionPage page, SiteDirectory sites) => AlertRecord.FromPage(page, sites);
}

/// <summary>
/// Any workspace database (Get-NotionPage): every page, or those a filter selects. <see cref="Filter"/> is a
/// <see cref="NotionFilter"/>, Notion filter JSON text, or a dictionary of property name → value (see <see cref="PageFilters"/>).
/// </summary>
public sealed class NotionPageQuery : WorkspaceQuery
{
    private DatabaseKey? _database;
    private NotionFilter? _filter;

    /// <summary>The database key or title, for example CustomerSites or 'Customer Sites'.</summary>
    public string DatabaseName { get; set; } = "";

    /// <summary>A NotionFilter, JSON text, or an IDictionary of property → value; null reads every page.</summary>
    public object? Filter { get; set; }

    /// <summary>Property names to return (others are left out); null or empty returns all.</summary>
    public IReadOnlyList<string>? Properties { get; set; }

    internal override DatabaseKey Database => _database ??= NotionWorkspace.DatabaseNamed(DatabaseName);
    internal override bool ShowsSites => false;

    /// <summary>
    /// Checks <see cref="Properties"/> (an unknown name is an UnknownProperty error listing the database's properties; names
    /// are taken in any case) and turns <see cref="Filter"/> into a NotionFilter (may read the data source's schema once).
    /// </summary>
    internal async Task PrepareAsync(NotionWorkspace workspace, CancellationToken cancellationToken)
    {
        if (Properties is { Count: > 0 } asked)
            Properties = await new PropertyNames(workspace, Database).ResolveAsync(asked, cancellationToken).ConfigureAwait(false);
        _filter = Filter switch
        {
            null => null,
            NotionFilter f => f,
            string json when string.IsNullOrWhiteSpace(json) => null,
            string json => PageFilters.FromJson(json),
            System.Collections.IDictionary conditions => await PageFilters.FromConditionsAsync(workspace, Database, conditions, cancellationToken).ConfigureAwait(false),
            _ => throw new OberaConnectException("InvalidFilter", FailureKind.InvalidInput,
                $"A filter is a hashtable of property = value, or Notion filter JSON text; got a {Filter.GetType().Name}."),
        };
    }

    internal override IEnumerable<NotionFilter> Conditions(NotionWorkspace workspace)
    {
        if (_filter != null) yield return _filter;
    }

    internal override object Map(NotionPage page, SiteDirectory sites)
        => WorkspacePageRecord.FromPage(page, Database.ToString(), Properties is { Count: > 0 } p ? p : null);
}
