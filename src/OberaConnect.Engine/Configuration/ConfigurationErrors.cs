namespace OberaConnect.Engine.Configuration;

/// <summary>Stable ErrorIds of configuration failures (scripts match on them), each with what it means.</summary>
public static class ConfigurationErrors
{
    public const string FileNotFound = "ConfigFileNotFound";
    public const string FileUnreadable = "ConfigFileUnreadable";
    public const string InvalidJson = "ConfigInvalidJson";
    public const string UnknownSetting = "ConfigUnknownSetting";
    public const string DuplicateSetting = "ConfigDuplicateSetting";
    public const string UnknownDatabase = "ConfigUnknownDatabase";
    public const string InvalidNotionId = "ConfigInvalidNotionId";
    public const string PlaceholderValue = "ConfigPlaceholderValue";
    public const string SecretInNameSetting = "ConfigSecretInNameSetting";
    public const string SecretValueNotAllowed = "ConfigSecretValueNotAllowed";
    public const string InvalidSecretName = "ConfigInvalidSecretName";
    public const string InvalidHealthWeights = "ConfigInvalidHealthWeights";
    public const string InvalidUrl = "ConfigInvalidUrl";
    public const string InvalidValue = "ConfigInvalidValue";
    public const string WriteFailed = "ConfigWriteFailed";
    public const string DatabaseNotConfigured = "DatabaseNotConfigured";

    /// <summary>Every ErrorId with a sentence, for the configuration reference.</summary>
    public static readonly IReadOnlyList<(string ErrorId, string Meaning)> All = new[]
    {
        (FileNotFound, "No configuration file at the path chosen (the message lists where it looked and how to create one)."),
        (FileUnreadable, "The file exists but could not be read (permissions, locked)."),
        (InvalidJson, "The file is not valid JSON; the message gives the line and byte position."),
        (UnknownSetting, "A name the module does not know; the nearest known name is suggested."),
        (DuplicateSetting, "The same name twice in one object (names are compared ignoring case)."),
        (UnknownDatabase, "A name under \"databases\" that is not a database key."),
        (InvalidNotionId, "A database or data source id that is neither a Notion id nor a Notion URL."),
        (PlaceholderValue, "A placeholder left from a sample (your-key, xxx, changeme, <...>, TODO, REPLACE_ME, example): suspicious default value."),
        (SecretInNameSetting, "A secret value (a token, a key) where the NAME of a Key Vault secret belongs."),
        (SecretValueNotAllowed, "A setting meant to hold a secret value (notionToken, apiKey, ...); secrets never go in the file."),
        (InvalidSecretName, "A Key Vault secret name with characters other than letters, digits and dashes, or longer than 127."),
        (InvalidHealthWeights, "Health score weights below 0 or not adding up to 100 (the message shows the sum)."),
        (InvalidUrl, "A URL that is not absolute https (http is allowed for 127.0.0.1 and localhost only)."),
        (InvalidValue, "A value of the wrong type or out of range."),
        (WriteFailed, "Saving database ids to the file failed; the file was left as it was."),
        (DatabaseNotConfigured, "A database is used before it has ids: run " + CommandNames.Initialize + " or paste its URL."),
    };
}

/// <summary>One problem found in a configuration file.</summary>
public sealed record ConfigurationProblem(string ErrorId, string Setting, string Message)
{
    public override string ToString() => Message;
}

/// <summary>
/// The configuration file is missing, unreadable or wrong. <see cref="OberaConnectException.ErrorId"/> is the
/// first problem's id; <see cref="Problems"/> lists every problem found, so one run shows them all.
/// </summary>
public class ConfigurationException : OberaConnectException
{
    public ConfigurationException(string errorId, string message, string? filePath = null, string? setting = null,
        IReadOnlyList<ConfigurationProblem>? problems = null, Exception? innerException = null)
        : base(errorId, FailureKind.Configuration, message, innerException)
    {
        FilePath = filePath;
        Setting = setting;
        Problems = problems ?? new[] { new ConfigurationProblem(errorId, setting ?? "", message) };
    }

    /// <summary>The configuration file concerned, when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>The setting (JSON path, for example "notion.baseUrl") of the first problem.</summary>
    public string? Setting { get; }

    public IReadOnlyList<ConfigurationProblem> Problems { get; }
}

/// <summary>No configuration file where one was looked for.</summary>
public sealed class ConfigurationFileNotFoundException : ConfigurationException
{
    public ConfigurationFileNotFoundException(string message, string path, IReadOnlyList<string> searched)
        : base(ConfigurationErrors.FileNotFound, message, path)
    {
        SearchedPaths = searched;
    }

    public IReadOnlyList<string> SearchedPaths { get; }
}

/// <summary>The file is not valid JSON.</summary>
public sealed class ConfigurationSyntaxException : ConfigurationException
{
    public ConfigurationSyntaxException(string message, string filePath, long line, long bytePositionInLine, Exception inner)
        : base(ConfigurationErrors.InvalidJson, message, filePath, null, null, inner)
    {
        Line = line;
        BytePositionInLine = bytePositionInLine;
    }

    /// <summary>1-based line of the error.</summary>
    public long Line { get; }

    /// <summary>1-based byte position within the line.</summary>
    public long BytePositionInLine { get; }
}
