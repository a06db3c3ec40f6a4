using System.Text;

namespace OberaConnect.Engine.DataSurface.Databricks;

/// <summary>One named parameter of a statement (<c>:name</c> in the SQL text).</summary>
/// <param name="Name">Marker name without the colon.</param>
/// <param name="Value">The value as text; null binds SQL NULL.</param>
/// <param name="Type">Databricks SQL type the value is checked and converted to (STRING when null).</param>
public sealed record DatabricksParameter(string Name, string? Value, string? Type = null);

/// <summary>
/// SQL text pieces that are not values. Values never go into the text: they travel as named parameters.
/// Names (catalog, schema, table) come from configuration and are quoted as identifiers.
/// </summary>
public static class DatabricksSql
{
    /// <summary>
    /// Quotes an identifier with backticks, doubling any backtick inside, which is how Databricks SQL
    /// escapes delimited identifiers. Empty names and control characters are refused.
    /// </summary>
    public static string QuoteIdentifier(string name, string what = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new OberaConnectException("DatabricksIdentifierInvalid", FailureKind.Configuration, $"The Databricks {what} is empty.");
        if (name.Length > 255)
            throw new OberaConnectException("DatabricksIdentifierInvalid", FailureKind.Configuration, $"The Databricks {what} is longer than 255 characters.");
        foreach (var c in name)
        {
            if (char.IsControl(c))
                throw new OberaConnectException("DatabricksIdentifierInvalid", FailureKind.Configuration,
                    $"The Databricks {what} contains a control character; use letters, digits and underscores.");
        }
        return "`" + name.Replace("`", "``") + "`";
    }

    /// <summary><c>`catalog`.`schema`.`table`</c>, or two parts without a catalog.</summary>
    public static string QualifiedName(string? catalog, string schema, string table)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(catalog)) sb.Append(QuoteIdentifier(catalog!, "catalog")).Append('.');
        sb.Append(QuoteIdentifier(schema, "schema")).Append('.').Append(QuoteIdentifier(table, "table"));
        return sb.ToString();
    }

    /// <summary><c>`catalog`.`schema`</c>, or the schema alone.</summary>
    public static string QualifiedSchema(string? catalog, string schema)
        => string.IsNullOrEmpty(catalog) ? QuoteIdentifier(schema, "schema") : QuoteIdentifier(catalog!, "catalog") + "." + QuoteIdentifier(schema, "schema");
}
