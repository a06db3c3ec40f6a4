using System.Globalization;
using System.Text.Json;

namespace OberaConnect.Engine.DataSurface;

/// <summary>
/// One Notion page as the export stores it (the bronze layer): identity, timestamps, the trash flag,
/// the page exactly as the API returned it, and its properties flattened to plain JSON values.
/// Rows are keyed by (<see cref="PageId"/>, <see cref="DatabaseId"/>).
/// </summary>
/// <remarks>
/// Properties are kept as one JSON object (<see cref="PropertiesJson"/>) rather than one column per
/// property: every database has its own schema and users rename properties, and a bronze table must
/// accept that drift without migrations. SQL reads it directly (SQLite <c>json_extract(properties_json,
/// '$."Site Name"')</c>, Databricks <c>properties_json:['Site Name']</c>, PostgreSQL
/// <c>properties_json::jsonb -&gt;&gt; 'Site Name'</c>); typed columns belong to a silver layer built on top.
/// </remarks>
public sealed class NotionPageRecord
{
    public NotionPageRecord(
        string pageId, string databaseId, string? dataSourceId, string databaseName,
        DateTimeOffset createdTime, DateTimeOffset lastEditedTime, bool inTrash,
        string rawJson, string propertiesJson)
    {
        PageId = NotionIds.Normalize(pageId, nameof(pageId));
        DatabaseId = NotionIds.Normalize(databaseId, nameof(databaseId));
        DataSourceId = string.IsNullOrEmpty(dataSourceId) ? null : NotionIds.Normalize(dataSourceId!, nameof(dataSourceId));
        DatabaseName = databaseName ?? throw new ArgumentNullException(nameof(databaseName));
        CreatedTime = createdTime.ToUniversalTime();
        LastEditedTime = lastEditedTime.ToUniversalTime();
        InTrash = inTrash;
        RawJson = rawJson ?? throw new ArgumentNullException(nameof(rawJson));
        PropertiesJson = propertiesJson ?? throw new ArgumentNullException(nameof(propertiesJson));
    }

    /// <summary>Page id, dashed lower-case form.</summary>
    public string PageId { get; }

    /// <summary>The database (container) the page belongs to, dashed lower-case form.</summary>
    public string DatabaseId { get; }

    /// <summary>The data source inside the database (Notion-Version 2025-09-03 and later); null on older versions.</summary>
    public string? DataSourceId { get; }

    /// <summary>The name the export configuration gives the database (for example <c>customer_sites</c>).</summary>
    public string DatabaseName { get; }

    public DateTimeOffset CreatedTime { get; }

    /// <summary>Notion's last_edited_time: truncated to the minute by Notion.</summary>
    public DateTimeOffset LastEditedTime { get; }

    /// <summary>In the trash (<c>in_trash</c>, formerly <c>archived</c>). Trashed pages are still stored, for audit.</summary>
    public bool InTrash { get; }

    /// <summary>The page object as received.</summary>
    public string RawJson { get; }

    /// <summary>The properties as one JSON object of plain values (see <see cref="NotionPropertyFlattener"/>).</summary>
    public string PropertiesJson { get; }

    /// <summary>
    /// Builds the record from a page object as the API returns it. The database id comes from the page's
    /// parent (<c>parent.database_id</c>, present for data-source parents too) or else from
    /// <paramref name="databaseId"/>; the data source id from <c>parent.data_source_id</c>.
    /// </summary>
    public static NotionPageRecord FromPageJson(string rawJson, string databaseName, string? databaseId = null)
    {
        if (rawJson is null) throw new ArgumentNullException(nameof(rawJson));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rawJson);
        }
        catch (JsonException ex)
        {
            throw new OberaConnectException("NotionPageJsonInvalid", FailureKind.InvalidInput,
                $"A page of '{databaseName}' is not valid JSON ({ex.Message}); it was not exported.", ex);
        }
        using (doc)
        {
            var page = doc.RootElement;
            if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
                throw new OberaConnectException("NotionPageJsonInvalid", FailureKind.InvalidInput,
                    $"A page of '{databaseName}' has no id; it was not exported.");
            var pageId = idElement.GetString()!;

            string? parentDatabase = null, parentDataSource = null;
            if (page.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object)
            {
                parentDatabase = StringOrNull(parent, "database_id");
                parentDataSource = StringOrNull(parent, "data_source_id");
            }
            var database = parentDatabase ?? databaseId ?? throw new OberaConnectException("NotionPageParentMissing", FailureKind.InvalidInput,
                $"Page {pageId} of '{databaseName}' names no parent database and none was given; pass the database id.");

            var inTrash = Bool(page, "in_trash") ?? Bool(page, "archived") ?? false;
            var properties = page.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                ? NotionPropertyFlattener.Flatten(p)
                : "{}";
            return new NotionPageRecord(pageId, database, parentDataSource, databaseName,
                Time(page, "created_time", pageId), Time(page, "last_edited_time", pageId), inTrash, rawJson, properties);
        }
    }

    private static string? StringOrNull(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && (v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.False) ? v.GetBoolean() : null;

    private static DateTimeOffset Time(JsonElement obj, string name, string pageId)
    {
        var text = StringOrNull(obj, name);
        if (text != null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            return value.ToUniversalTime();
        throw new OberaConnectException("NotionPageJsonInvalid", FailureKind.InvalidInput,
            $"Page {pageId} has no valid '{name}'; it was not exported.");
    }
}

/// <summary>Notion ids in one canonical form (dashed, lower case), so keys match whatever form they arrived in.</summary>
public static class NotionIds
{
    /// <summary>Returns the dashed lower-case form of a 32-hex-digit id (dashed or not); throws for anything else.</summary>
    public static string Normalize(string id, string what = "id")
    {
        if (id is null) throw new ArgumentNullException(what);
        var hex = new char[32];
        var n = 0;
        foreach (var c in id.Trim())
        {
            if (c == '-') continue;
            var isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!isHex || n == 32)
                throw new OberaConnectException("NotionIdInvalid", FailureKind.InvalidInput,
                    $"'{id}' is not a Notion {what} (32 hexadecimal digits, with or without dashes).");
            hex[n++] = char.ToLowerInvariant(c);
        }
        if (n != 32)
            throw new OberaConnectException("NotionIdInvalid", FailureKind.InvalidInput,
                $"'{id}' is not a Notion {what} (32 hexadecimal digits, with or without dashes).");
        var s = new string(hex);
        return s.Substring(0, 8) + "-" + s.Substring(8, 4) + "-" + s.Substring(12, 4) + "-" + s.Substring(16, 4) + "-" + s.Substring(20);
    }
}
