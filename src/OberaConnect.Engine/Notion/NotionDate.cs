using System.Globalization;
using System.Text.Json.Nodes;

namespace OberaConnect.Engine.Notion;

/// <summary>
/// The value of a date property: a day (<c>2025-10-01</c>) or an instant, optionally a range, optionally
/// with an IANA time zone. Equality follows what Notion stores: days compare as calendar days, instants
/// as instants (to the millisecond); with a time zone, the zone and the wall-clock time compare.
/// </summary>
public sealed class NotionDate : IEquatable<NotionDate>
{
    private NotionDate(DateTimeOffset start, DateTimeOffset? end, bool hasTime, string? timeZone)
    {
        Start = start;
        End = end;
        HasTime = hasTime;
        TimeZone = string.IsNullOrEmpty(timeZone) ? null : timeZone;
    }

    /// <summary>Start: the day at midnight (offset zero) when <see cref="HasTime"/> is false.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>End of a range, or null.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>False for a date-only value.</summary>
    public bool HasTime { get; }

    /// <summary>IANA time zone (for example <c>Europe/Paris</c>); then Start/End carry the wall-clock time.</summary>
    public string? TimeZone { get; }

    /// <summary>A calendar day (the time of <paramref name="day"/> is ignored).</summary>
    public static NotionDate Day(DateTime day, DateTime? endDay = null)
        => new(new DateTimeOffset(day.Date, TimeSpan.Zero), endDay is { } e ? new DateTimeOffset(e.Date, TimeSpan.Zero) : null, false, null);

    /// <summary>An instant (and optionally the end of a range).</summary>
    public static NotionDate At(DateTimeOffset start, DateTimeOffset? end = null) => new(start, end, true, null);

    /// <summary>A wall-clock time in an IANA time zone, as Notion's date picker stores it.</summary>
    public static NotionDate InZone(DateTime wallClockStart, string timeZone, DateTime? wallClockEnd = null)
        => new(new DateTimeOffset(DateTime.SpecifyKind(wallClockStart, DateTimeKind.Unspecified), TimeSpan.Zero),
            wallClockEnd is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Unspecified), TimeSpan.Zero) : null, true, timeZone);

    /// <summary>Parses Notion's <c>{start, end, time_zone}</c> strings; null when start is missing or unreadable.</summary>
    public static NotionDate? Parse(string? start, string? end, string? timeZone)
    {
        if (!TryParsePoint(start, out var s, out var sHasTime)) return null;
        DateTimeOffset? e = null;
        if (TryParsePoint(end, out var ev, out _)) e = ev;
        return new NotionDate(s, e, sHasTime, timeZone);
    }

    private static bool TryParsePoint(string? text, out DateTimeOffset value, out bool hasTime)
    {
        value = default;
        hasTime = false;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text!.Trim();
        if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new DateTimeOffset(day, TimeSpan.Zero);
            return true;
        }
        hasTime = true;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The form Notion takes: <c>2025-10-01</c>, <c>2025-10-01T12:00:00.000+02:00</c>, or wall-clock time without offset when a zone is set.</summary>
    public string FormatStart() => Format(Start);

    public string? FormatEnd() => End is { } e ? Format(e) : null;

    private string Format(DateTimeOffset t)
    {
        if (!HasTime) return t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (TimeZone != null) return t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    internal JsonObject ToJson() => new()
    {
        ["start"] = FormatStart(),
        ["end"] = FormatEnd(),
        ["time_zone"] = TimeZone,
    };

    public bool Equals(NotionDate? other)
    {
        if (other is null) return false;
        if (HasTime != other.HasTime || !string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal)) return false;
        return Same(Start, other.Start) && (End is null ? other.End is null : other.End is { } oe && Same(End.Value, oe));
    }

    private bool Same(DateTimeOffset a, DateTimeOffset b)
    {
        if (!HasTime) return a.Date == b.Date;
        if (TimeZone != null) return Millis(a.DateTime.Ticks) == Millis(b.DateTime.Ticks);
        return Millis(a.UtcTicks) == Millis(b.UtcTicks);
    }

    private static long Millis(long ticks) => ticks / TimeSpan.TicksPerMillisecond;

    public override bool Equals(object? obj) => obj is NotionDate d && Equals(d);

    public override int GetHashCode()
    {
        var key = !HasTime ? Start.Date.Ticks : TimeZone != null ? Millis(Start.DateTime.Ticks) : Millis(Start.UtcTicks);
        return key.GetHashCode() ^ HasTime.GetHashCode();
    }

    public override string ToString() => End is null ? FormatStart() : FormatStart() + " → " + FormatEnd() + (TimeZone is null ? "" : " " + TimeZone);
}
