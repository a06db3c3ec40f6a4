using System.Text;

namespace OberaConnect.Engine.Tests.Workspace;

/// <summary>
/// Compares a committed generated document with its render. With the update variable set to 1 it rewrites
/// the file instead (and the test passes), which is how the documents are regenerated.
/// </summary>
internal static class GeneratedDocument
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OberaConnect.PowerShell.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (OberaConnect.PowerShell.sln) not found above " + AppContext.BaseDirectory);
    }

    public static void AssertCommittedFileMatches(string repositoryPath, string rendered, string updateVariable, string testFilter)
    {
        var path = Path.Combine(RepositoryRoot(), repositoryPath.Replace('/', Path.DirectorySeparatorChar));
        if (Environment.GetEnvironmentVariable(updateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, rendered, new UTF8Encoding(false));
            return;
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : null;
        if (committed == rendered) return;

        var how = $"{repositoryPath} is generated and differs from its render. If the change is intended, regenerate it:\n" +
                  $"    {updateVariable}=1 dotnet test tests/OberaConnect.Engine.Tests --filter \"FullyQualifiedName~{testFilter}\"\n" +
                  "then review and commit the file.";
        if (committed is null) Assert.Fail(how + "\n(The file does not exist.)");
        var a = committed!.Split('\n');
        var b = rendered.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        Assert.Fail($"{how}\nFirst difference at line {i + 1}:\n  committed: {(i < a.Length ? a[i] : "<end of file>")}\n  rendered:  {(i < b.Length ? b[i] : "<end of file>")}");
    }

    public static void AssertAboutTopicShape(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.True(lines[i].Length <= 80, $"Line {i + 1} has {lines[i].Length} characters (about topics use at most 80): {lines[i]}");
            foreach (var c in lines[i])
            {
                Assert.True(c >= 0x20 && c < 0x7F, $"Line {i + 1} has a non-ASCII or control character U+{(int)c:X4}: {lines[i]}");
            }
        }
        Assert.StartsWith("TOPIC\n    about_", text);
        Assert.Contains("\nSHORT DESCRIPTION\n", text);
        Assert.Contains("\nLONG DESCRIPTION\n", text);
        Assert.EndsWith("\n", text);
    }
}
