using OberaConnect.ModuleBuild;

// Commands (each fails with a message and exit code 1):
//   manifest --source <psd1> --version <v> --out <psd1>
//   help     --assembly <dll> --help-dir <dir> --out <xml>
//   nuspec   --manifest <psd1> --id <id> --out <nuspec>
//   scripts  --source-dir <module/Scripts> --out <dir>   (the job scripts, each with its shared files written in)
try
{
    if (args.Length == 0) throw new ArgumentException("Usage: ModuleBuild manifest|help|nuspec|scripts --option value ...");
    var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 1; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
    string Option(string name) => options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"Missing --{name}.");

    switch (args[0])
    {
        case "manifest":
        {
            var stamped = ModulePackage.StampVersion(File.ReadAllText(Option("source")), Option("version"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Option("out")))!);
            File.WriteAllText(Option("out"), stamped, new System.Text.UTF8Encoding(false));
            break;
        }
        case "help":
        {
            var cmdlets = CmdletMetadata.Read(Option("assembly"));
            var help = CmdletHelp.LoadFolder(Option("help-dir"));
            MamlWriter.Write(Option("out"), cmdlets, help);
            foreach (var problem in HelpValidator.Check(cmdlets, help)) Console.WriteLine("ModuleBuild: help: " + problem);
            break;
        }
        case "nuspec":
            ModulePackage.WriteNuspec(Option("out"), Option("id"), PowerShellDataFile.Load(Option("manifest")));
            break;
        case "scripts":
            JobScripts.Write(Option("source-dir"), Option("out"));
            break;
        default:
            throw new ArgumentException($"Unknown command '{args[0]}'.");
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or BadImageFormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("ModuleBuild: error: " + e.Message);
    return 1;
}
