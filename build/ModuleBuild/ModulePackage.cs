using System.Text.RegularExpressions;
using System.Xml;

namespace OberaConnect.ModuleBuild;

/// <summary>The manifest stamping and the .nuspec of the PowerShell Gallery / PSResourceGet package.</summary>
public static class ModulePackage
{
    private static readonly Regex ModuleVersionLine = new(@"(?m)^(\s*ModuleVersion\s*=\s*)(['""])[^'""]*\2", RegexOptions.CultureInvariant);

    /// <summary>The manifest text with ModuleVersion set to <paramref name="version"/> (the one version source).</summary>
    public static string StampVersion(string manifestText, string version)
    {
        if (!ModuleVersionLine.IsMatch(manifestText)) throw new FormatException("The manifest has no ModuleVersion = '...' line to stamp.");
        var stamped = ModuleVersionLine.Replace(manifestText, m => m.Groups[1].Value + "'" + version + "'", 1);
        PowerShellDataFile.Parse(stamped);
        return stamped;
    }

    /// <summary>
    /// The tags PSResourceGet writes for a module: the manifest's PSData.Tags, PSModule, PSIncludes_Cmdlet,
    /// PSCmdlet_X and PSCommand_X per exported cmdlet, PSEdition_X per compatible edition.
    /// </summary>
    public static IReadOnlyList<string> Tags(IReadOnlyDictionary<string, object?> manifest)
    {
        var tags = new List<string>();
        void Add(string tag)
        {
            if (tag.Length > 0 && !tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) tags.Add(tag);
        }
        foreach (var tag in PowerShellDataFile.Strings(PsData(manifest).GetValueOrDefault("Tags"))) Add(tag);
        Add("PSModule");
        var cmdlets = PowerShellDataFile.Strings(manifest.GetValueOrDefault("CmdletsToExport"));
        if (cmdlets.Count > 0) Add("PSIncludes_Cmdlet");
        foreach (var cmdlet in cmdlets)
        {
            Add("PSCmdlet_" + cmdlet);
            Add("PSCommand_" + cmdlet);
        }
        foreach (var edition in PowerShellDataFile.Strings(manifest.GetValueOrDefault("CompatiblePSEditions"))) Add("PSEdition_" + edition);
        return tags;
    }

    /// <summary>Writes the .nuspec: id, version, authors, description, tags and links from the manifest; every file of the laid-out module at the package root.</summary>
    public static void WriteNuspec(string path, string packageId, IReadOnlyDictionary<string, object?> manifest)
    {
        var psData = PsData(manifest);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        const string ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var w = XmlWriter.Create(path, settings);
        w.WriteStartDocument();
        w.WriteStartElement("package", ns);
        w.WriteStartElement("metadata", ns);
        w.WriteElementString("id", ns, packageId);
        w.WriteElementString("version", ns, Required(manifest, "ModuleVersion"));
        w.WriteElementString("authors", ns, Required(manifest, "Author"));
        w.WriteElementString("owners", ns, Text(manifest, "CompanyName") ?? Required(manifest, "Author"));
        w.WriteElementString("requireLicenseAcceptance", ns, "false");
        if (Text(psData, "LicenseUri") is { Length: > 0 } license) w.WriteElementString("licenseUrl", ns, license);
        if (Text(psData, "ProjectUri") is { Length: > 0 } project) w.WriteElementString("projectUrl", ns, project);
        w.WriteElementString("description", ns, Required(manifest, "Description"));
        if (Text(psData, "ReleaseNotes") is { Length: > 0 } notes) w.WriteElementString("releaseNotes", ns, notes);
        if (Text(manifest, "Copyright") is { Length: > 0 } copyright) w.WriteElementString("copyright", ns, copyright);
        w.WriteElementString("tags", ns, string.Join(" ", Tags(manifest)));
        w.WriteEndElement();
        w.WriteStartElement("files", ns);
        w.WriteStartElement("file", ns);
        w.WriteAttributeString("src", "**");
        w.WriteAttributeString("target", "");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static IReadOnlyDictionary<string, object?> PsData(IReadOnlyDictionary<string, object?> manifest) =>
        manifest.GetValueOrDefault("PrivateData") is Dictionary<string, object?> privateData && privateData.GetValueOrDefault("PSData") is Dictionary<string, object?> psData
            ? psData
            : new Dictionary<string, object?>();

    private static string? Text(IReadOnlyDictionary<string, object?> table, string key) => table.GetValueOrDefault(key) as string;

    private static string Required(IReadOnlyDictionary<string, object?> table, string key) =>
        Text(table, key) is { Length: > 0 } value ? value : throw new FormatException($"The manifest has no {key}.");
}
