using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Reads, checks and writes the configuration file. Loading reports every problem of the file at once,
/// each with a stable ErrorId and a sentence that says what to do; values that look like secrets are
/// never repeated in messages.
/// </summary>
public static class ConfigurationFile
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };
    // The Key Vault provider's own rules, so a file that loads is one the provider accepts.
    private static readonly Regex AzureGuid = Security.KeyVaultSecretProviderOptions.GuidShape;
    private static readonly Regex AzureTenantDomain = Security.KeyVaultSecretProviderOptions.TenantDomainShape;
    // Used only for its pattern masks (bearer tokens, ntn_/secret_ tokens); nothing is ever registered on it.
    private static readonly SecretRedactor Redactor = new();

    // Python predecessor names people will carry over, mapped to today's keys for a better suggestion.
    private static readonly Dictionary<string, DatabaseKey> LegacyDatabaseNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["customer_status"] = DatabaseKey.CustomerSites,
        ["customer_sites"] = DatabaseKey.CustomerSites,
        ["customers"] = DatabaseKey.CustomerSites,
        ["sites"] = DatabaseKey.CustomerSites,
        ["daily_health"] = DatabaseKey.DailyHealth,
        ["health"] = DatabaseKey.DailyHealth,
        ["config_changes"] = DatabaseKey.ConfigChanges,
        ["changes"] = DatabaseKey.ConfigChanges,
        ["network_devices"] = DatabaseKey.NetworkDevices,
        ["devices"] = DatabaseKey.NetworkDevices,
        ["alert"] = DatabaseKey.Alerts,
        ["azure_pipeline"] = DatabaseKey.AzurePipeline,
        ["runbook_library"] = DatabaseKey.RunbookLibrary,
        ["runbooks"] = DatabaseKey.RunbookLibrary,
    };

    /// <summary>
    /// Finds the file (-ConfigPath, OBERACONNECT_CONFIG, the account's file, the machine-wide file) and loads it.
    /// </summary>
    /// <exception cref="ConfigurationFileNotFoundException">No file where it was looked for.</exception>
    /// <exception cref="ConfigurationException">The file is unreadable or wrong; <see cref="ConfigurationException.Problems"/> lists everything.</exception>
    public static OberaConnectConfiguration Load(string? explicitPath = null, ISystemEnvironment? environment = null)
    {
        var env = environment ?? SystemEnvironment.Instance;
        var location = ConfigurationLocations.Resolve(explicitPath, env);
        if (!location.Exists) throw NotFound(location, env);
        return LoadFrom(location.Path, env);
    }

    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    public static OberaConnectConfiguration LoadFrom(string path, ISystemEnvironment? environment = null)
    {
        var env = environment ?? SystemEnvironment.Instance;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw NotFound(new ConfigurationLocation(full, ConfigurationOrigin.Parameter, false, new[] { full }), env);
        string text;
        try
        {
            // ReadAllText honours a BOM, so the UTF-16 that Windows PowerShell's Out-File writes reads too.
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(ConfigurationErrors.FileUnreadable,
                $"The configuration file {full} could not be read: {ex.Message} Check that this account ({Environment.UserName}) may read it.", full, null, null, ex);
        }
        return Parse(text, full, env);
    }

    /// <summary>Reads configuration text. <paramref name="filePath"/> names it in messages and anchors relative paths.</summary>
    public static OberaConnectConfiguration Parse(string json, string filePath, ISystemEnvironment? environment = null)
    {
        var env = environment ?? SystemEnvironment.Instance;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, ReadOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var pos = (ex.BytePositionInLine ?? 0) + 1;
            var hint = json.IndexOf("//", StringComparison.Ordinal) >= 0 || json.IndexOf("/*", StringComparison.Ordinal) >= 0
                ? " Comments are not allowed in the file; put notes in a \"$comment\" setting instead." : "";
            throw new ConfigurationSyntaxException(
                $"The configuration file {filePath} is not valid JSON: line {line}, byte {pos}: {Redactor.Redact(FirstSentence(ex.Message))}{hint}",
                filePath, line, pos, ex);
        }

        using (doc)
        {
            var config = new OberaConnectConfiguration { FilePath = filePath };
            var reader = new Reader(config, filePath, env);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                reader.Problem(ConfigurationErrors.InvalidValue, "", $"The configuration file must hold one JSON object ({{ ... }}), not {Describe(doc.RootElement)}.");
            else
                reader.ReadSection(doc.RootElement, "");
            reader.Finish();
            return config;
        }
    }

    /// <summary>
    /// Writes database and data source ids into the file (creating it from the sample when it does not exist),
    /// keeping every other setting. The new file is written beside the old one and renamed over it, so a
    /// crash leaves either the old or the new file, never half of one.
    /// </summary>
    public static void SaveDatabaseIds(string path, IEnumerable<KeyValuePair<DatabaseKey, DatabaseIds>> ids)
    {
        if (ids is null) throw new ArgumentNullException(nameof(ids));
        var full = Path.GetFullPath(path);
        JsonObject root;
        if (File.Exists(full))
        {
            string text;
            try { text = File.ReadAllText(full); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException(ConfigurationErrors.FileUnreadable, $"The configuration file {full} could not be read to save database ids: {ex.Message}", full, null, null, ex);
            }
            try
            {
                root = JsonNode.Parse(text, null, ReadOptions) as JsonObject
                       ?? throw new ConfigurationException(ConfigurationErrors.InvalidValue, $"The configuration file {full} does not hold a JSON object; database ids were not saved.", full);
            }
            catch (JsonException ex)
            {
                throw new ConfigurationSyntaxException(
                    $"The configuration file {full} is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}); database ids were not saved. Fix the file and run again.",
                    full, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, ex);
            }
        }
        else
        {
            root = (JsonObject)JsonNode.Parse(Sample())!;
        }

        var databases = FindChild(root, "databases") is { } existing && root[existing] is JsonObject o ? o : null;
        if (databases is null)
        {
            databases = new JsonObject();
            root[FindChild(root, "databases") ?? "databases"] = databases;
        }

        foreach (var pair in ids)
        {
            var databaseId = NormalizeForSave(pair.Value.DatabaseId, pair.Key, "databaseId", full);
            var dataSourceId = NormalizeForSave(pair.Value.DataSourceId, pair.Key, "dataSourceId", full);
            var name = FindChild(databases, pair.Key.ToString()) ?? pair.Key.ToString();
            var entry = databases[name] as JsonObject ?? new JsonObject();
            entry[FindChild(entry, "databaseId") ?? "databaseId"] = databaseId;
            entry[FindChild(entry, "dataSourceId") ?? "dataSourceId"] = dataSourceId;
            databases[name] = entry;
        }

        WriteAtomically(full, ToText(root));
    }

    /// <summary>
    /// A complete configuration file holding every default, no database ids and no secrets: what
    /// New-OberaConnectConfiguration writes and the reference shows. It loads without problems.
    /// </summary>
    public static string Sample()
    {
        var defaults = new OberaConnectConfiguration();
        var root = new JsonObject
        {
            ["$comment"] = "See Get-Help about_OberaConnect_Configuration",
        };
        foreach (var setting in ConfigurationSchema.Settings)
        {
            var parts = setting.Path.Split('.');
            var parent = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (parent[parts[i]] is not JsonObject child) { child = new JsonObject(); parent[parts[i]] = child; }
                parent = child;
            }
            parent[parts[parts.Length - 1]] = setting.Kind switch
            {
                SettingKind.DatabaseMap => DatabaseSample(),
                SettingKind.SiteMap => new JsonObject(),
                SettingKind.ExportDatabaseMap => new JsonObject(),
                _ => JsonNode.Parse(setting.DefaultJson(defaults)),
            };
        }
        return ToText(root);
    }

    private static JsonObject DatabaseSample()
    {
        var o = new JsonObject();
        foreach (var db in WorkspaceDefinition.Standard.Databases)
            o[db.Key.ToString()] = new JsonObject { ["databaseId"] = null, ["dataSourceId"] = null };
        return o;
    }

    private static string? NormalizeForSave(string? id, DatabaseKey key, string field, string path)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        if (!NotionIdText.TryNormalize(id, out var normalized))
            throw new ConfigurationException(ConfigurationErrors.InvalidNotionId,
                $"Cannot save databases.{key}.{field}: {SuspiciousValue.Show(id)} is not a Notion id. The file was not changed.", path, $"databases.{key}.{field}");
        return normalized;
    }

    private static string ToText(JsonObject root)
    {
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return text.Replace("\r\n", "\n") + "\n";
    }

    internal static void WriteAtomically(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            if (File.Exists(path)) File.Replace(temp, path, null);
            else File.Move(temp, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new ConfigurationException(ConfigurationErrors.WriteFailed,
                $"Could not save the configuration file {path}: {ex.Message} The file was left as it was. Check that this account ({Environment.UserName}) may write to {dir}.",
                path, "databases", null, ex);
        }
    }

    private static string? FindChild(JsonObject o, string name)
        => o.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    private static ConfigurationFileNotFoundException NotFound(ConfigurationLocation location, ISystemEnvironment env)
    {
        var create = $"Create one with {CommandNames.NewConfiguration} -Path '{location.Path}', or let {CommandNames.Initialize} create it.";
        // A folder where a file is expected is its own mistake: "does not exist" would send the user looking for the wrong thing.
        var folder = location.Origin is ConfigurationOrigin.Parameter or ConfigurationOrigin.EnvironmentVariable && Directory.Exists(location.Path);
        var inside = Path.Combine(location.Path, "config.json");
        var message = location.Origin switch
        {
            ConfigurationOrigin.Parameter when folder =>
                $"'{location.Path}' is a folder, not a configuration file. Give -ConfigPath the file itself, for example '{inside}'; create one with {CommandNames.NewConfiguration} -Path '{inside}'.",
            ConfigurationOrigin.EnvironmentVariable when folder =>
                $"{ConfigurationLocations.EnvironmentVariable} names '{location.Path}', which is a folder, not a configuration file. Set it to the file itself, for example '{inside}'.",
            ConfigurationOrigin.Parameter => $"The configuration file '{location.Path}' does not exist. Check the -ConfigPath value. {create}",
            ConfigurationOrigin.EnvironmentVariable => $"{ConfigurationLocations.EnvironmentVariable} names the configuration file '{location.Path}', which does not exist. Correct or clear the variable. {create}",
            _ => $"No configuration file was found. Looked for: {string.Join(", ", location.Searched)}. {create} " +
                 $"Or name an existing file with -ConfigPath or the {ConfigurationLocations.EnvironmentVariable} environment variable. " +
                 $"Scheduled tasks and NinjaOne scripts run as SYSTEM, which reads {ConfigurationLocations.MachineConfigPath(env)}.",
        };
        return new ConfigurationFileNotFoundException(message, location.Path, location.Searched);
    }

    // System.Text.Json appends its own zero-based "LineNumber: 3 | BytePositionInLine: 4" and a JSON path;
    // the message already gives both one-based, so keep only the description.
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message.Substring(0, cut);
        }
        return message.Trim();
    }

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Walks the JSON against the schema, filling the model and collecting problems.</summary>
    private sealed class Reader
    {
        private readonly OberaConnectConfiguration _config;
        private readonly string _file;
        private readonly ISystemEnvironment _env;
        private readonly List<ConfigurationProblem> _problems = new();
        private readonly HashSet<string> _badWeights = new(StringComparer.Ordinal);

        public Reader(OberaConnectConfiguration config, string file, ISystemEnvironment env)
        {
            _config = config;
            _file = file;
            _env = env;
        }

        public void Problem(string errorId, string setting, string message) => _problems.Add(new ConfigurationProblem(errorId, setting, Redactor.Redact(message)));

        public void ReadSection(JsonElement obj, string prefix)
        {
            var children = ChildrenOf(prefix);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in obj.EnumerateObject())
            {
                if (p.Name.StartsWith("$", StringComparison.Ordinal)) continue;
                var path = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
                if (!seen.Add(p.Name))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, path, $"{path} appears more than once (names are compared ignoring case). Keep one.");
                    continue;
                }
                var canonical = children.FirstOrDefault(c => string.Equals(c, p.Name, StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                {
                    Unknown(p.Name, path, prefix, children);
                    continue;
                }
                var full = prefix.Length == 0 ? canonical : prefix + "." + canonical;
                var setting = ConfigurationSchema.Settings.FirstOrDefault(s => s.Path == full);
                if (setting is null)
                {
                    if (p.Value.ValueKind == JsonValueKind.Null) continue;
                    if (p.Value.ValueKind != JsonValueKind.Object)
                    {
                        Problem(ConfigurationErrors.InvalidValue, full, $"{full} must be an object ({{ ... }}), not {Describe(p.Value)}.");
                        continue;
                    }
                    ReadSection(p.Value, full);
                }
                else
                {
                    ReadSetting(setting, p.Value);
                }
            }
        }

        public void Finish()
        {
            if (_badWeights.Count == 0 && _config.HealthScoreWeights.Problem() is { } weights)
                Problem(ConfigurationErrors.InvalidHealthWeights, "healthScoreWeights", weights);

            var secrets = _config.Secrets;
            if (secrets.KeyVaultUri is not null && secrets.KeyVaultCredential == SecretSettings.ClientSecretCredential
                && (secrets.KeyVaultTenantId is null || secrets.KeyVaultClientId is null))
                Problem(ConfigurationErrors.InvalidValue, "secrets.keyVaultCredential",
                    "secrets.keyVaultCredential is clientSecret, which signs in as an app registration: set secrets.keyVaultTenantId and secrets.keyVaultClientId too " +
                    "(or use managedIdentity or defaultChain).");

            _config.Paths.ApplyDefaults(_env);

            if (_problems.Count == 0) return;
            var first = _problems[0];
            var message = _problems.Count == 1
                ? $"The configuration file {_file} has a problem: {first.Message}"
                : $"The configuration file {_file} has {_problems.Count} problems:\n  - " + string.Join("\n  - ", _problems.Select(p => p.Message));
            throw new ConfigurationException(first.ErrorId, message, _file, first.Setting, _problems.ToList());
        }

        private static List<string> ChildrenOf(string prefix)
        {
            var depth = prefix.Length == 0 ? 0 : prefix.Split('.').Length;
            return ConfigurationSchema.Settings
                .Where(s => prefix.Length == 0 || s.Path.StartsWith(prefix + ".", StringComparison.Ordinal))
                .Select(s => s.Path.Split('.'))
                .Where(parts => parts.Length > depth)
                .Select(parts => parts[depth])
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        private void Unknown(string name, string path, string prefix, List<string> siblings)
        {
            var normalized = KeySuggestion.Normalize(name);
            var near = KeySuggestion.Nearest(name, siblings);
            // A typo of a known name is a typo; otherwise a name that promises a secret value is refused as such.
            if (near is null && !normalized.EndsWith("secretname", StringComparison.Ordinal)
                && (normalized.Contains("token") || normalized.Contains("apikey") || normalized.Contains("password")
                    || normalized.Contains("secret") || normalized.Contains("clientid")))
            {
                var variables = string.Join(", ", Credentials.CredentialDescriptor.All.Select(d => d.EnvironmentVariable));
                Problem(ConfigurationErrors.SecretValueNotAllowed, path,
                    $"{path} looks like a place for a secret value. The configuration file never holds secrets: remove it now (and rotate the secret if the file was shared). " +
                    $"Keep secrets in Azure Key Vault (the secrets.*SecretName settings name them) or in the environment variables {variables}, or pass them as parameters.");
                return;
            }

            var hint = "";
            if (near is not null)
            {
                hint = $" Did you mean '{(prefix.Length == 0 ? near : prefix + "." + near)}'?";
            }
            else
            {
                var elsewhere = ConfigurationSchema.Settings.Select(s => s.Path)
                    .Concat(ConfigurationSchema.Sections.Select(s => s.Name))
                    .FirstOrDefault(p => KeySuggestion.Distance(KeySuggestion.Normalize(p.Substring(p.LastIndexOf('.') + 1)), normalized) <= 1);
                if (elsewhere is not null) hint = $" Did you mean '{elsewhere}'? It belongs {(elsewhere.IndexOf('.') > 0 ? "in the \"" + elsewhere.Substring(0, elsewhere.LastIndexOf('.')) + "\" section" : "at the top level")}.";
            }
            var known = prefix.Length == 0 ? "Sections: " : $"Settings of {prefix}: ";
            Problem(ConfigurationErrors.UnknownSetting, path, $"Unknown setting '{path}'.{hint} {known}{string.Join(", ", siblings)}.");
        }

        private void ReadSetting(Setting s, JsonElement v)
        {
            switch (s.Kind)
            {
                case SettingKind.DatabaseMap: ReadDatabases(v); return;
                case SettingKind.SiteMap: ReadSiteMap(v); return;
                case SettingKind.ExportDatabaseMap: ReadExportDatabases(v); return;
            }

            if (v.ValueKind == JsonValueKind.Null)
            {
                if (s.Nullable) s.Set(_config, null);
                else Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} must not be null. Remove the line to use the default ({s.DefaultJson(new OberaConnectConfiguration())}).");
                return;
            }

            switch (s.Kind)
            {
                case SettingKind.Integer:
                case SettingKind.Weight:
                    var errorId = s.Kind == SettingKind.Weight ? ConfigurationErrors.InvalidHealthWeights : ConfigurationErrors.InvalidValue;
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var whole))
                    {
                        Fail(s, errorId, $"{s.Path} must be a whole number ({s.TypeText}), not {(v.ValueKind == JsonValueKind.Number ? v.GetRawText() : Describe(v))}.");
                        return;
                    }
                    if (whole < s.Min || whole > s.Max)
                    {
                        Fail(s, errorId, s.Kind == SettingKind.Weight && whole < 0
                            ? $"{s.Path} must be 0 or more (got {whole}); weights are points out of 100."
                            : $"{s.Path} must be between {s.Min} and {s.Max} (got {whole}).");
                        return;
                    }
                    s.Set(_config, (int)whole);
                    return;
                case SettingKind.Number:
                    if (v.ValueKind != JsonValueKind.Number)
                    {
                        Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} must be a number ({s.TypeText}), not {Describe(v)}.");
                        return;
                    }
                    var d = v.GetDouble();
                    if (d < s.Min || d > s.Max)
                    {
                        Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} must be between {s.Min} and {s.Max} (got {v.GetRawText()}).");
                        return;
                    }
                    s.Set(_config, d);
                    return;
                case SettingKind.Boolean:
                    if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} must be true or false (without quotes), not {Describe(v)}.");
                        return;
                    }
                    s.Set(_config, v.GetBoolean());
                    return;
            }

            if (v.ValueKind != JsonValueKind.String)
            {
                Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} must be text in quotes ({s.TypeText}), not {Describe(v)}.");
                return;
            }
            var text = v.GetString()!.Trim();
            if (text.Length == 0)
            {
                if (s.Nullable) s.Set(_config, null);
                else Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is empty. Remove the line to use the default ({s.DefaultJson(new OberaConnectConfiguration())}).");
                return;
            }
            var value = ReadText(s, text);
            if (value is not null) s.Set(_config, value);
        }

        private void Fail(Setting s, string errorId, string message)
        {
            if (s.Kind == SettingKind.Weight) _badWeights.Add(s.Path);
            Problem(errorId, s.Path, message);
        }

        private string? ReadText(Setting s, string text)
        {
            if (s.Kind == SettingKind.SecretName)
            {
                // Before anything that would echo it: a pasted token must not end up in a message or log.
                if (SuspiciousValue.LooksLikeSecret(text))
                {
                    Problem(ConfigurationErrors.SecretInNameSetting, s.Path,
                        $"{s.Path} holds what looks like a secret value, not the NAME of a Key Vault secret. Remove it from the file now " +
                        "(anyone who can read the file has it; rotate it if the file was shared) and put the secret's name there, for example " +
                        $"{s.DefaultJson(new OberaConnectConfiguration())}.");
                    return null;
                }
            }

            var technical = s.Kind is not (SettingKind.Directory or SettingKind.MetricsFile or SettingKind.FilePath);
            if (SuspiciousValue.IsPlaceholder(text, technical))
            {
                Problem(ConfigurationErrors.PlaceholderValue, s.Path,
                    $"{s.Path} is {SuspiciousValue.Show(text)}, which looks like a placeholder (suspicious default value). Replace it with the real value, or remove the line to use the default ({s.DefaultJson(new OberaConnectConfiguration())}).");
                return null;
            }

            switch (s.Kind)
            {
                case SettingKind.Url:
                    return CheckUrl(s.Path, text, keyVault: false);
                case SettingKind.KeyVaultUri:
                    return CheckUrl(s.Path, text, keyVault: true);
                case SettingKind.KeyVaultCredential:
                    var credential = SecretSettings.KeyVaultCredentials.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase));
                    if (credential is not null) return credential;
                    var nearest = KeySuggestion.Nearest(text, SecretSettings.KeyVaultCredentials);
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}: use {string.Join(", ", SecretSettings.KeyVaultCredentials)}.{(nearest is null ? "" : $" Did you mean '{nearest}'?")}");
                    return null;
                case SettingKind.AzureClientId:
                    if (AzureGuid.IsMatch(text)) return text.ToLowerInvariant();
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}, which is not an application (client) id: use the GUID shown in Entra ID (for example 11111111-2222-3333-4444-555555555555), or null for the system-assigned identity.");
                    return null;
                case SettingKind.AzureTenantId:
                    if (AzureGuid.IsMatch(text) || AzureTenantDomain.IsMatch(text)) return text;
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}, which is neither a directory (tenant) id GUID nor a domain such as contoso.onmicrosoft.com.");
                    return null;
                case SettingKind.ApiVersion:
                    if (NotionSettings.SupportedApiVersions.Contains(text)) return text;
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is '{text}', which the module does not speak. Use one of {string.Join(", ", NotionSettings.SupportedApiVersions)}.");
                    return null;
                case SettingKind.NinjaOneRegion:
                    if (NinjaOneSettings.Regions.ContainsKey(text)) return text.ToLowerInvariant();
                    if (text.IndexOf("://", StringComparison.Ordinal) > 0) return CheckUrl(s.Path, text, keyVault: false);
                    var near = KeySuggestion.Nearest(text, NinjaOneSettings.Regions.Keys);
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}: use {string.Join(", ", NinjaOneSettings.Regions.Keys)}, or the instance's https base URL.{(near is null ? "" : $" Did you mean '{near}'?")}");
                    return null;
                case SettingKind.NinjaOneScope:
                    if (Sources.NinjaOne.NinjaOneClientOptions.NormalizeScope(text, out var scopeProblem) is { } scope) return scope;
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}: {scopeProblem} For example \"monitoring\", or \"monitoring management\" when the API app has both.");
                    return null;
                case SettingKind.SecretName:
                    if (Security.SecretName.Problem(text) is null) return text;
                    Problem(ConfigurationErrors.InvalidSecretName, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}, which is not a Key Vault secret name: use 1 to 127 letters, digits and dashes (for example {s.DefaultJson(new OberaConnectConfiguration())}).");
                    return null;
                case SettingKind.Directory:
                case SettingKind.MetricsFile:
                case SettingKind.FilePath:
                    return ReadPath(s, text);
                case SettingKind.Choice:
                    if (s.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)) is { } choice) return choice;
                    Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is {SuspiciousValue.Show(text)}: use one of {string.Join(", ", s.Choices)}.");
                    return null;
                default:
                    return text;
            }
        }

        private string? CheckUrl(string path, string text, bool keyVault)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
            {
                Problem(ConfigurationErrors.InvalidUrl, path, $"{path} is {SuspiciousValue.Show(text)}, which is not an absolute http(s) URL{(keyVault ? " (expected https://<vault-name>.vault.azure.net/)" : "")}.");
                return null;
            }
            if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            {
                Problem(ConfigurationErrors.InvalidUrl, path, $"{path} is {SuspiciousValue.Show(text)}: use https (plain http is allowed only for 127.0.0.1 and localhost, which tests use).");
                return null;
            }
            if (keyVault)
            {
                var host = uri.Host.ToLowerInvariant();
                var suffixes = Security.KeyVaultSecretProviderOptions.KnownVaultSuffixes;
                if (!uri.IsLoopback && !suffixes.Any(x => host.EndsWith(x, StringComparison.Ordinal) && host.Length > x.Length))
                {
                    Problem(ConfigurationErrors.InvalidUrl, path, $"{path} is {SuspiciousValue.Show(text)}, which is not a Key Vault URI. It looks like https://<vault-name>.vault.azure.net/ (the vault's \"Vault URI\" in the Azure portal).");
                    return null;
                }
            }
            return text;
        }

        private string? ReadPath(Setting s, string text)
        {
            var expanded = ConfigurationLocations.Expand(text, _env);
            if (expanded is null)
            {
                Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is '{text}', which uses an environment variable that is not set for this account ({Environment.UserName}).");
                return null;
            }
            if (expanded.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is '{text}', which is not a valid path.");
                return null;
            }
            if (s.Kind == SettingKind.MetricsFile && !expanded.EndsWith(".prom", StringComparison.OrdinalIgnoreCase))
            {
                Problem(ConfigurationErrors.InvalidValue, s.Path, $"{s.Path} is '{text}': the file must end in .prom, the only files the textfile collector reads.");
                return null;
            }
            if (IsRooted(expanded)) return expanded;
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(_file)) ?? "";
            return Path.GetFullPath(Path.Combine(baseDir, expanded));
        }

        private bool IsRooted(string p)
            => _env.IsWindows
                ? (p.Length >= 3 && char.IsLetter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/')) || p.StartsWith(@"\\", StringComparison.Ordinal)
                : p.StartsWith("/", StringComparison.Ordinal);

        private void ReadDatabases(JsonElement v)
        {
            if (v.ValueKind == JsonValueKind.Null) return;
            if (v.ValueKind != JsonValueKind.Object)
            {
                Problem(ConfigurationErrors.InvalidValue, "databases", $"databases must be an object ({{ \"CustomerSites\": ... }}), not {Describe(v)}.");
                return;
            }
            var names = Enum.GetNames(typeof(DatabaseKey));
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in v.EnumerateObject())
            {
                if (p.Name.StartsWith("$", StringComparison.Ordinal)) continue;
                var path = "databases." + p.Name;
                var canonical = names.FirstOrDefault(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                {
                    var suggestion = LegacyDatabaseNames.TryGetValue(p.Name, out var legacy) ? legacy.ToString() : KeySuggestion.Nearest(p.Name, names);
                    Problem(ConfigurationErrors.UnknownDatabase, path,
                        $"Unknown database '{p.Name}' under databases.{(suggestion is null ? "" : $" Did you mean '{suggestion}'?")} The databases are {string.Join(", ", names)}.");
                    continue;
                }
                if (!seen.Add(canonical))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, path, $"databases.{canonical} appears more than once (names are compared ignoring case). Keep one.");
                    continue;
                }
                var key = (DatabaseKey)Enum.Parse(typeof(DatabaseKey), canonical);
                path = "databases." + canonical;
                switch (p.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        break;
                    case JsonValueKind.String:
                        var id = ReadId(path, p.Value.GetString()!, out var ok);
                        if (ok) _config.Databases.Set(key, new DatabaseIds(id, null));
                        break;
                    case JsonValueKind.Object:
                        ReadDatabaseObject(key, path, p.Value);
                        break;
                    default:
                        Problem(ConfigurationErrors.InvalidValue, path, $"{path} must be an object {{ \"databaseId\": ..., \"dataSourceId\": ... }} or the database id as text, not {Describe(p.Value)}.");
                        break;
                }
            }
        }

        private void ReadDatabaseObject(DatabaseKey key, string path, JsonElement o)
        {
            string? databaseId = null, dataSourceId = null;
            var good = true;
            var fields = new[] { "databaseId", "dataSourceId" };
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in o.EnumerateObject())
            {
                if (f.Name.StartsWith("$", StringComparison.Ordinal)) continue;
                var field = fields.FirstOrDefault(x => string.Equals(x, f.Name, StringComparison.OrdinalIgnoreCase));
                var fieldPath = path + "." + (field ?? f.Name);
                if (field is null)
                {
                    var near = KeySuggestion.Nearest(f.Name, fields);
                    Problem(ConfigurationErrors.UnknownSetting, fieldPath, $"Unknown setting '{fieldPath}'.{(near is null ? "" : $" Did you mean '{path}.{near}'?")} Settings of {path}: databaseId, dataSourceId.");
                    good = false;
                    continue;
                }
                if (!seen.Add(field))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, fieldPath, $"{fieldPath} appears more than once. Keep one.");
                    good = false;
                    continue;
                }
                string? value = null;
                if (f.Value.ValueKind == JsonValueKind.String)
                {
                    value = ReadId(fieldPath, f.Value.GetString()!, out var ok);
                    good &= ok;
                }
                else if (f.Value.ValueKind != JsonValueKind.Null)
                {
                    Problem(ConfigurationErrors.InvalidNotionId, fieldPath, $"{fieldPath} must be a Notion id in quotes (or null), not {Describe(f.Value)}.");
                    good = false;
                }
                if (field == "databaseId") databaseId = value; else dataSourceId = value;
            }
            if (good) _config.Databases.Set(key, new DatabaseIds(databaseId, dataSourceId));
        }

        private string? ReadId(string path, string text, out bool ok)
        {
            ok = true;
            var t = text.Trim();
            if (t.Length == 0) return null;
            ok = false;
            if (SuspiciousValue.IsPlaceholder(t, technical: true))
            {
                Problem(ConfigurationErrors.PlaceholderValue, path, $"{path} is {SuspiciousValue.Show(t)}, which looks like a placeholder (suspicious default value). Paste the database's URL or id, or set it to null until {CommandNames.Initialize} fills it in.");
                return null;
            }
            if (!NotionIdText.TryNormalize(t, out var id))
            {
                Problem(ConfigurationErrors.InvalidNotionId, path,
                    $"{path} is {SuspiciousValue.Show(t)}, which is not a Notion id. Use the 32 hexadecimal characters of the id (with or without dashes) or the database's URL, as copied from Notion (Share, Copy link).");
                return null;
            }
            if (NotionIdText.IsPlaceholder(id))
            {
                Problem(ConfigurationErrors.PlaceholderValue, path, $"{path} is '{id}', an example id rather than a real one (suspicious default value). Paste the database's URL or id.");
                return null;
            }
            ok = true;
            return id;
        }

        private static readonly Regex ExportNamePattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

        private void ReadExportDatabases(JsonElement v)
        {
            const string path = "export.databases";
            if (v.ValueKind == JsonValueKind.Null) return;
            if (v.ValueKind != JsonValueKind.Object)
            {
                Problem(ConfigurationErrors.InvalidValue, path, $"{path} must be an object {{ \"<name>\": \"<database id or URL>\" }}, not {Describe(v)}.");
                return;
            }
            var entries = new List<ExportDatabaseEntry>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var workspaceNames = Enum.GetNames(typeof(DatabaseKey));
            foreach (var p in v.EnumerateObject())
            {
                if (p.Name.StartsWith("$", StringComparison.Ordinal)) continue;
                var name = p.Name.Trim();
                var entryPath = $"{path}.{name}";
                if (!ExportNamePattern.IsMatch(name))
                {
                    Problem(ConfigurationErrors.InvalidValue, entryPath, $"{path} has the name {SuspiciousValue.Show(name)}: use 1 to 64 letters, digits, _ and - (the name the bronze rows carry).");
                    continue;
                }
                if (workspaceNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, entryPath, $"{entryPath}: {name} is a workspace database, exported from \"databases\" already. Remove it here or give it another name.");
                    continue;
                }
                if (!seen.Add(name))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, entryPath, $"{path} names '{name}' more than once (names are compared ignoring case). Keep one.");
                    continue;
                }
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    Problem(ConfigurationErrors.InvalidNotionId, entryPath, $"{entryPath} must be the database id or URL in quotes, not {Describe(p.Value)}.");
                    continue;
                }
                var id = ReadId(entryPath, p.Value.GetString()!, out var ok);
                if (ok && id is not null) entries.Add(new ExportDatabaseEntry(name, id));
                else if (ok) Problem(ConfigurationErrors.InvalidNotionId, entryPath, $"{entryPath} is empty; paste the database's URL or id, or remove the entry.");
            }
            _config.Export.Databases = entries;
        }

        private void ReadSiteMap(JsonElement v)
        {
            const string path = "siteMapping.map";
            if (v.ValueKind == JsonValueKind.Null) return;
            if (v.ValueKind != JsonValueKind.Object)
            {
                Problem(ConfigurationErrors.InvalidValue, path, $"{path} must be an object {{ \"<UniFi site id or name>\": <NinjaOne organization id or \"name\"> }}, not {Describe(v)}.");
                return;
            }
            var entries = new List<SiteMapEntry>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in v.EnumerateObject())
            {
                if (p.Name.StartsWith("$", StringComparison.Ordinal)) continue;
                var site = p.Name.Trim();
                var entryPath = $"{path}[\"{site}\"]";
                if (site.Length == 0)
                {
                    Problem(ConfigurationErrors.InvalidValue, path, $"{path} has an entry with an empty site name.");
                    continue;
                }
                if (SuspiciousValue.IsPlaceholder(site, technical: false))
                {
                    Problem(ConfigurationErrors.PlaceholderValue, entryPath, $"{path} has the site {SuspiciousValue.Show(site)}, which looks like a placeholder (suspicious default value). Use the UniFi site id or the site's name.");
                    continue;
                }
                if (!seen.Add(site))
                {
                    Problem(ConfigurationErrors.DuplicateSetting, entryPath, $"{path} maps '{site}' more than once (names are compared ignoring case). Keep one.");
                    continue;
                }
                var org = p.Value;
                if (org.ValueKind == JsonValueKind.Number && org.TryGetInt64(out var orgId) && orgId > 0)
                {
                    entries.Add(new SiteMapEntry(site, new NinjaOneOrganizationRef(orgId, null)));
                }
                else if (org.ValueKind == JsonValueKind.String && org.GetString()!.Trim() is { Length: > 0 } name)
                {
                    if (SuspiciousValue.IsPlaceholder(name, technical: false))
                    {
                        Problem(ConfigurationErrors.PlaceholderValue, entryPath, $"{entryPath} is {SuspiciousValue.Show(name)}, which looks like a placeholder (suspicious default value). Use the NinjaOne organization's id or name.");
                        continue;
                    }
                    entries.Add(long.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var digits) && digits > 0
                        ? new SiteMapEntry(site, new NinjaOneOrganizationRef(digits, null))
                        : new SiteMapEntry(site, new NinjaOneOrganizationRef(null, name)));
                }
                else
                {
                    Problem(ConfigurationErrors.InvalidValue, entryPath, $"{entryPath} must be a NinjaOne organization id (a positive number) or its name in quotes, not {Describe(org)}.");
                }
            }
            _config.SiteMapping.Entries = entries;
        }
    }
}
