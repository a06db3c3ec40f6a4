using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Validation;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Sync;

/// <summary>
/// Config Changes records: the immutable audit log. Each change is keyed by its Change ID: the tool's
/// own id when given, else one derived from the content (site, timestamp, tool, action, engineer, target
/// and details), so importing the same CSV row twice finds the first page instead of adding a second.
/// An existing Change ID is never modified. Without -Timestamp the change is stamped with the time the
/// command started, which makes every run a new change: give a timestamp (or an id) for reruns to be safe.
/// A record that fails is journaled with the id and time it was built with, so -RetryFailed never makes a new one.
/// </summary>
public sealed class ConfigChangeRecords
{
    public const string Database = nameof(DatabaseKey.ConfigChanges);

    /// <summary>Prefix of generated ids, so they are told apart from ids a tool assigned.</summary>
    public const string GeneratedPrefix = "auto-";

    /// <summary>Longest Change ID accepted.</summary>
    public const int MaxChangeIdLength = InputRules.IdLength;

    private readonly SiteRelationIndex? _sites;
    private readonly TimeProvider _time;

    /// <param name="sites">The Customer Sites pages; null only to compute keys before they are read.</param>
    /// <param name="time">Gives the default timestamp (read once: every change of one run without a timestamp gets the same one).</param>
    public ConfigChangeRecords(SiteRelationIndex? sites, TimeProvider? time = null)
    {
        _sites = sites;
        _time = time ?? TimeProvider.System;
        DefaultTimestamp = Truncate(_time.GetUtcNow());
    }

    private ConfigChangeRecords(SiteRelationIndex sites, ConfigChangeRecords from)
    {
        _sites = sites;
        _time = from._time;
        DefaultTimestamp = from.DefaultTimestamp;
        AllowAnyTimestamp = from.AllowAnyTimestamp;
    }

    /// <summary>Records stamped by the connection's clock, before Customer Sites is read (to compute ids).</summary>
    public static ConfigChangeRecords For(Connection.OberaConnectConnection connection, bool allowAnyTimestamp = false)
        => new(null, connection.Options.Time) { AllowAnyTimestamp = allowAnyTimestamp };

    /// <summary>-AllowAnyTimestamp: timestamps before 2000 or more than a day ahead are taken.</summary>
    public bool AllowAnyTimestamp { get; init; }

    /// <summary>The timestamp of changes that do not carry one: when this run started, to the millisecond.</summary>
    public DateTimeOffset DefaultTimestamp { get; }

    /// <summary>The same records (same default timestamp, so the same generated ids) with the Customer Sites pages to relate to.</summary>
    public ConfigChangeRecords WithSites(SiteRelationIndex sites) => new(sites ?? throw new ArgumentNullException(nameof(sites)), this);

    /// <summary>The Change ID of <paramref name="input"/> (given or generated), or null when the input is unusable.</summary>
    public string? KeyOf(ConfigChangeInput input)
        => Validate(input, out var fields, out _) ? fields.ChangeId : null;

    /// <summary>The index scope that reads only the page of one Change ID (a single change written from the command line).</summary>
    public static NotionFilter ScopeFor(string changeId) => NotionFilter.RichText(ConfigChanges.ChangeId.Name).EqualTo(changeId);

    /// <summary>
    /// The index scope of a -RetryFailed run: the journaled Change IDs only, or null (the whole log) when
    /// there are more than 50 of them or one has no id.
    /// </summary>
    public static NotionFilter? RetryScope(IReadOnlyList<JournalEntry> entries)
    {
        var ids = entries.Select(e => e.Key).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return ScopeFor(GeneratedPrefix);
        if (ids.Count > 50 || ids.Any(string.IsNullOrWhiteSpace)) return null;
        return ids.Count == 1 ? ScopeFor(ids[0]) : NotionFilter.Or(ids.Select(ScopeFor).ToArray());
    }

    /// <summary>The desired page of one change.</summary>
    public DesiredRecord Build(ConfigChangeInput input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        if (_sites is null) throw new InvalidOperationException("Open the Customer Sites index before building Config Changes records.");
        if (!Validate(input, out var f, out var check))
            return DesiredRecord.Failed(input.ChangeId, check, input);
        var item = $"Config change {f.ChangeId}";
        input = input.Stamped(f.ChangeId, f.Timestamp);
        if (!_sites.TryResolve(f.Site, "Config Changes", item, out var site, out var error))
            return DesiredRecord.Failed(f.ChangeId, error!, input);

        var summary = $"{site.Name} - {f.Tool}: {f.Action}" + (f.Target is null ? "" : " " + f.Target);
        var p = new RecordProperties()
            .Set(ConfigChanges.Change, NotionText.Truncate(summary, 200))
            .Set(ConfigChanges.ChangeId, f.ChangeId)
            .Set(ConfigChanges.Site, new[] { site.PageId })
            .Set(ConfigChanges.Timestamp, NotionDate.At(f.Timestamp))
            .Set(ConfigChanges.Tool, RecordValues.OptionName(f.Tool))
            .Set(ConfigChanges.Action, RecordValues.OptionName(f.Action))
            .Set(ConfigChanges.Engineer, RecordValues.Short(f.Engineer))
            .SetKnown(ConfigChanges.TargetDevice, RecordValues.Short(f.Target))
            .SetKnown(ConfigChanges.Ticket, RecordValues.Short(f.Ticket))
            .SetKnown(ConfigChanges.Result, f.Result)
            .SetKnown(ConfigChanges.Details, RecordValues.Short(f.Details));
        // The change as people name it: where, with what, what was done (the Change ID is for machines).
        var description = $"change at '{site.Name}': {f.Tool} {f.Action}" + (f.Target is null ? "" : " on " + f.Target)
                          + $" by {f.Engineer}, {f.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        var record = new DesiredRecord(f.ChangeId, p, input) { Description = NotionText.Truncate(description, 200) };
        foreach (var n in check.Notices) record.Notices.Add(n);
        return record;
    }

    /// <summary>
    /// The id derived from a change's content: "auto-" and 16 hex digits of a SHA-256 over the normalized
    /// fields (site case-insensitively, timestamp in UTC to the millisecond, tool, action, engineer and target
    /// case-insensitively, details as written).
    /// </summary>
    public static string GenerateChangeId(string site, DateTimeOffset timestamp, string tool, string action, string engineer, string? target, string? details)
    {
        var canonical = string.Join("\u001f",
            "v1",
            SyncTable.NormalizeKey(site),
            Truncate(timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            tool.Trim().ToLowerInvariant(),
            action.Trim().ToLowerInvariant(),
            engineer.Trim().ToLowerInvariant(),
            (target ?? "").Trim().ToLowerInvariant(),
            details ?? "");
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(canonical));
        var sb = new StringBuilder(GeneratedPrefix, GeneratedPrefix.Length + 16);
        for (var i = 0; i < 8; i++) sb.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    // The validation step (InputRules.ConfigChange), then the id: the given one, or one generated from the whole content
    // (Details before it is cut, so two changes that differ past 2,000 characters keep two ids).
    private bool Validate(ConfigChangeInput input, out Fields fields, out RecordCheck check)
    {
        fields = default;
        check = InputRules.ConfigChange(input, _time, AllowAnyTimestamp, out var v, out var fullDetails);
        if (!check.Ok) return false;
        var timestamp = Truncate(v.Timestamp ?? DefaultTimestamp);
        var id = v.ChangeId ?? GenerateChangeId(v.Site!, timestamp, v.Tool!, v.Action!, v.Engineer!, v.TargetDevice, fullDetails);
        fields = new Fields(id, v.Site!, v.Tool!, v.Action!, v.Engineer!, timestamp, v.TargetDevice, v.Details, v.Ticket, v.Result);
        return true;
    }

    // Notion keeps dates to the millisecond: ids and comparisons use the same precision.
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private readonly record struct Fields(string ChangeId, string Site, string Tool, string Action, string Engineer, DateTimeOffset Timestamp, string? Target, string? Details,
        string? Ticket, string? Result);
}
