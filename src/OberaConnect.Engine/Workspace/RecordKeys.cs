using System.Globalization;

namespace OberaConnect.Engine.Workspace;

/// <summary>
/// How titles and natural keys the schema describes are spelled, in one place, so the sync that writes
/// them and the lookups that find them cannot disagree.
/// </summary>
public static class RecordKeys
{
    /// <summary>Joins site and date in a Daily Health title: an em dash between spaces.</summary>
    public const string TitleSeparator = " \u2014 ";

    /// <summary>Daily Health title, for example "Acme Corp — 2026-11-22".</summary>
    public static string DailyHealthTitle(string siteName, DateTime date)
        => siteName.Trim() + TitleSeparator + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Daily Health natural key (Snapshot Key), for example "Acme Corp|2026-11-22".</summary>
    public static string DailyHealthKey(string siteName, DateTime date)
        => siteName.Trim() + "|" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
