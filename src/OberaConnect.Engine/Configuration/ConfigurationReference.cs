using System.Text;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Renders about_OberaConnect_Configuration (module/en-US/about_OberaConnect_Configuration.help.txt) from the
/// settings table the loader reads with, the credential descriptors and the error list, so the reference
/// cannot drift from the code. A test fails when the committed file differs from <see cref="Render"/>.
/// </summary>
public static class ConfigurationReference
{
    public const string RepositoryPath = "module/en-US/about_OberaConnect_Configuration.help.txt";

    /// <summary>Environment variable that makes the document test rewrite the file instead of failing.</summary>
    public const string UpdateVariable = "OBERACONNECT_UPDATE_CONFIG_DOC";

    /// <summary>The whole topic: plain ASCII, "\n" line ends, no line longer than 80 characters.</summary>
    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("TOPIC\n    about_OberaConnect_Configuration\n\n");
        sb.Append("SHORT DESCRIPTION\n");
        P(sb, "The OberaConnect configuration file: where it is, every setting with its default and meaning, and where credentials come from.");
        sb.Append('\n');

        sb.Append("LONG DESCRIPTION\n");
        P(sb, "One JSON file holds everything the module needs besides secrets: the ids of the Notion databases, how fast and how patiently to call each service, which NinjaOne organization belongs to which UniFi site, the health score weights, where local files go, and the names of the secrets in Azure Key Vault. It never holds a secret value.");
        sb.Append('\n');
        P(sb, "This topic is generated from the code that reads the file. Do not edit it by hand: a test compares it with the code. To regenerate it, run the engine tests with " + UpdateVariable + "=1.");
        sb.Append('\n');

        sb.Append("  WHERE THE FILE IS\n");
        P(sb, "The module uses the first of these:");
        sb.Append('\n');
        TextLayout.AppendDefinitions(sb, 6, new[]
        {
            ("1.", "The -ConfigPath parameter."),
            ("2.", "The " + ConfigurationLocations.EnvironmentVariable + " environment variable."),
            ("3.", "Your own file (not used by SYSTEM): on Windows %APPDATA%\\OberaConnect\\config.json; on Linux and macOS ~/.config/oberaconnect/config.json ($XDG_CONFIG_HOME/oberaconnect/config.json when XDG_CONFIG_HOME is set)."),
            ("4.", "The machine-wide file: on Windows %ProgramData%\\OberaConnect\\config.json; on Linux and macOS /etc/oberaconnect/config.json."),
        });
        P(sb, "A path given by 1 or 2 must exist. Otherwise 3 and 4 are tried in turn, and the error lists both when neither exists.");
        sb.Append('\n');
        P(sb, "Scheduled tasks and NinjaOne scripts run as SYSTEM and read the machine-wide file. SYSTEM's own %APPDATA% lies under C:\\Windows\\System32\\config\\systemprofile, which 32-bit processes see redirected to SysWOW64 and which nobody looks at; %ProgramData% is the same for every process and is where administrators expect it.");
        sb.Append('\n');
        P(sb, CommandNames.NewConfiguration + " writes a complete file with every default (see EXAMPLE); " + CommandNames.Initialize + " fills in the database ids, rewriting the file through a temporary file and a rename so an interrupted run never leaves half a file. Other settings are kept, but the file is rewritten with two-space indentation.");
        sb.Append('\n');

        sb.Append("  FILE RULES\n");
        TextLayout.AppendDefinitions(sb, 4, new[]
        {
            ("-", "JSON in UTF-8 (a BOM, or the UTF-16 that Windows PowerShell's Out-File writes, is read too). Comments are not allowed; a name starting with $ is ignored anywhere, so \"$comment\" can hold notes."),
            ("-", "Names are matched ignoring case. An unknown name is an error that suggests the nearest known one."),
            ("-", "Leave a setting out to use its default; where null is allowed it also means the default."),
            ("-", "Placeholders left from a sample (your-key, xxx, changeme, <...>, TODO, REPLACE_ME, example, and the like) are refused as a suspicious default value."),
            ("-", "Secret values are refused: a token in a *SecretName setting, or a setting such as notionToken or apiKey."),
            ("-", "In paths, %VARIABLE% and a leading ~ are expanded, and a relative path is relative to the folder of the configuration file."),
            ("-", "Every problem of the file is reported at once, each with its ErrorId (see ERRORS)."),
        });

        sb.Append("SETTINGS\n");
        var defaults = new OberaConnectConfiguration();
        foreach (var (section, description) in ConfigurationSchema.Sections)
        {
            sb.Append("  ").Append(section).Append('\n');
            P(sb, description);
            sb.Append('\n');
            foreach (var s in ConfigurationSchema.Settings.Where(x => x.Path == section || x.Path.StartsWith(section + ".", StringComparison.Ordinal)))
            {
                sb.Append("    ").Append(s.Path).Append('\n');
                var def = s.Kind is SettingKind.DatabaseMap or SettingKind.SiteMap or SettingKind.ExportDatabaseMap ? "{} (empty)" : s.DefaultText ?? s.DefaultJson(defaults);
                TextLayout.AppendParagraph(sb, $"Type: {s.TypeText}. Default: {def}.", 8);
                TextLayout.AppendParagraph(sb, s.Description, 8);
                sb.Append('\n');
            }
            if (section == "paths")
            {
                P(sb, "<data> is %LOCALAPPDATA%\\OberaConnect for a person on Windows, %ProgramData%\\OberaConnect for SYSTEM, and $XDG_STATE_HOME/oberaconnect (~/.local/state/oberaconnect) on Linux and macOS.");
                sb.Append('\n');
            }
            if (section == "databases")
            {
                P(sb, "Database keys, in the order " + CommandNames.Initialize + " creates them: " + string.Join(", ", WorkspaceDefinition.Standard.CreationOrder) + ". See about_OberaConnect_Schema for their properties.");
                sb.Append('\n');
            }
        }

        sb.Append("CREDENTIALS\n");
        P(sb, "Each credential is taken from the first of three places that has it:");
        sb.Append('\n');
        TextLayout.AppendDefinitions(sb, 6, new[]
        {
            ("1.", "The cmdlet parameter (a SecureString, or a PSCredential for the NinjaOne client id and secret), for example from Get-Secret of Microsoft.PowerShell.SecretManagement."),
            ("2.", "Azure Key Vault, when secrets.keyVaultUri is set, under the secret name the configuration gives."),
            ("3.", "An environment variable: the one with the " + EnvironmentSecretProvider.Prefix + " prefix first (so a variable meant for this module wins over one another tool also reads), then the plain name."),
        });
        P(sb, "When none has it, the error (CredentialNotFound) names all three. When the vault cannot be reached, the module warns \"Key Vault down: fallback to env vars\" and goes on with environment variables. Each run says where every credential came from, never its value, and every value found is masked in all output, logs and traces. A value that looks like a placeholder is refused (CredentialPlaceholderValue).");
        sb.Append('\n');
        P(sb, "The module signs in to the vault as secrets.keyVaultCredential says: defaultChain, managedIdentity or clientSecret. For clientSecret the app registration's client secret is read from the environment variable " +
              string.Join(" or ", EnvironmentSecretProvider.VariableNames(ConfigurationSchema.KeyVaultClientSecretVariable)) +
              " (set it for the account that runs the module), never from the file. A vault that refuses the identity (KeyVaultAccessDenied, KeyVaultAuthenticationFailed) or a disabled secret (KeyVaultSecretDisabled) is an error to fix, not a reason to fall back. Test-OberaConnectHealth checks the vault as the component KeyVault.");
        sb.Append('\n');
        var settingsDefaults = new SecretSettings();
        foreach (var d in CredentialDescriptor.All)
        {
            sb.Append("    ").Append(d.DisplayName).Append('\n');
            TextLayout.AppendDefinitions(sb, 8, new[]
            {
                ("Parameter", d.Parameter),
                ("Key Vault secret", $"{d.SecretName(settingsDefaults)} by default (setting {d.SecretNameSetting})"),
                ("Environment variable", d.EnvironmentVariablesText),
            });
        }

        sb.Append("ERRORS\n");
        P(sb, "Configuration errors carry these ErrorIds (the FullyQualifiedErrorId of the error record), so scripts can match on them:");
        sb.Append('\n');
        foreach (var (id, meaning) in ConfigurationErrors.All)
        {
            sb.Append("    ").Append(id).Append('\n');
            TextLayout.AppendParagraph(sb, meaning, 8);
        }
        sb.Append('\n');

        sb.Append("EXAMPLE\n");
        P(sb, "The file " + CommandNames.NewConfiguration + " writes. Paths left null use the defaults above; the database ids are filled in by " + CommandNames.Initialize + ".");
        sb.Append('\n');
        foreach (var line in ConfigurationFile.Sample().TrimEnd('\n').Split('\n')) sb.Append("    ").Append(line).Append('\n');
        sb.Append('\n');
        P(sb, "A UniFi site mapped to a NinjaOne organization by id, another by name:");
        sb.Append('\n');
        foreach (var line in new[]
                 {
                     "\"siteMapping\": {",
                     "  \"matchByName\": true,",
                     "  \"map\": {",
                     "    \"Acme Corp - Main Office\": 42,",
                     "    \"61a2b3c4d5e6f7a8b9c0d1e2\": \"Globex Dental\"",
                     "  }",
                     "}",
                 })
        {
            sb.Append("    ").Append(line).Append('\n');
        }
        sb.Append('\n');

        sb.Append("SEE ALSO\n");
        sb.Append("    about_OberaConnect_Schema\n");
        sb.Append("    ").Append(CommandNames.NewConfiguration).Append('\n');
        sb.Append("    ").Append(CommandNames.Initialize).Append('\n');
        sb.Append('\n');
        sb.Append("KEYWORDS\n    configuration, config.json, Key Vault, credentials, OBERACONNECT_CONFIG\n");
        return sb.ToString();
    }

    private static void P(StringBuilder sb, string text) => TextLayout.AppendParagraph(sb, text, 4);
}
