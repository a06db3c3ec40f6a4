namespace OberaConnect.Engine.Runbooks;

/// <summary>
/// Notion's code-block languages, and the names runbook authors put after a Markdown fence mapped onto them
/// (<c>ps1</c>, <c>pwsh</c> → powershell; <c>sh</c>, <c>zsh</c> → shell; <c>yml</c> → yaml; ...). Notion refuses a
/// language it does not list, so anything unknown becomes "plain text" rather than failing the page.
/// </summary>
public static class CodeLanguages
{
    /// <summary>Notion's language names (the API's enum), lower case.</summary>
    public static IReadOnlyCollection<string> Notion { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "abap", "abc", "agda", "arduino", "ascii art", "assembly", "bash", "basic", "bnf", "c", "c#", "c++", "clojure",
        "coffeescript", "coq", "css", "dart", "dhall", "diff", "docker", "ebnf", "elixir", "elm", "erlang", "f#", "flow",
        "fortran", "gherkin", "glsl", "go", "graphql", "groovy", "haskell", "hcl", "html", "idris", "java", "javascript",
        "json", "julia", "kotlin", "latex", "less", "lisp", "livescript", "llvm ir", "lua", "makefile", "markdown", "markup",
        "matlab", "mathematica", "mermaid", "nix", "notion formula", "objective-c", "ocaml", "pascal", "perl", "php",
        "plain text", "powershell", "prolog", "protobuf", "purescript", "python", "r", "racket", "reason", "ruby", "rust",
        "sass", "scala", "scheme", "scss", "shell", "smalltalk", "solidity", "sql", "swift", "toml", "typescript", "vb.net",
        "verilog", "vhdl", "visual basic", "webassembly", "xml", "yaml", "java/c/c++/c#",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ps"] = "powershell", ["ps1"] = "powershell", ["psm1"] = "powershell", ["psd1"] = "powershell", ["pwsh"] = "powershell",
        ["posh"] = "powershell", ["powershell"] = "powershell",
        ["sh"] = "shell", ["zsh"] = "shell", ["ksh"] = "shell", ["console"] = "shell", ["shell-session"] = "shell", ["shellsession"] = "shell",
        ["bat"] = "shell", ["batch"] = "shell", ["cmd"] = "shell",
        ["bash"] = "bash",
        ["yml"] = "yaml", ["yaml"] = "yaml",
        ["js"] = "javascript", ["mjs"] = "javascript", ["cjs"] = "javascript", ["node"] = "javascript", ["jsx"] = "javascript",
        ["ts"] = "typescript", ["tsx"] = "typescript",
        ["py"] = "python", ["python3"] = "python", ["py3"] = "python",
        ["cs"] = "c#", ["csharp"] = "c#", ["c-sharp"] = "c#",
        ["fs"] = "f#", ["fsharp"] = "f#",
        ["cpp"] = "c++", ["cxx"] = "c++", ["cc"] = "c++", ["hpp"] = "c++", ["h"] = "c",
        ["json5"] = "json", ["jsonc"] = "json",
        ["rb"] = "ruby", ["rs"] = "rust", ["golang"] = "go", ["kt"] = "kotlin", ["kts"] = "kotlin",
        ["md"] = "markdown", ["tex"] = "latex", ["make"] = "makefile", ["mk"] = "makefile",
        ["dockerfile"] = "docker", ["tf"] = "hcl", ["terraform"] = "hcl", ["tfvars"] = "hcl",
        ["vb"] = "visual basic", ["vbs"] = "visual basic", ["vbscript"] = "visual basic", ["vbnet"] = "vb.net",
        ["htm"] = "html", ["xhtml"] = "html", ["svg"] = "xml", ["xaml"] = "xml", ["csproj"] = "xml", ["ps1xml"] = "xml",
        ["patch"] = "diff", ["proto"] = "protobuf", ["gql"] = "graphql", ["objc"] = "objective-c", ["asm"] = "assembly",
        ["wasm"] = "webassembly", ["pl"] = "perl", ["ex"] = "elixir", ["exs"] = "elixir", ["erl"] = "erlang", ["hs"] = "haskell",
        ["clj"] = "clojure", ["coffee"] = "coffeescript", ["mermaidjs"] = "mermaid",
        ["text"] = "plain text", ["txt"] = "plain text", ["plaintext"] = "plain text", ["plain"] = "plain text",
    };

    /// <summary>The Notion language for a fence's info string: a known alias, a Notion name as such, else "plain text".</summary>
    public static string ToNotion(string? fenceLanguage)
    {
        var name = (fenceLanguage ?? "").Trim();
        if (name.Length == 0) return "plain text";
        if (Aliases.TryGetValue(name, out var mapped)) return mapped;
        var lower = name.ToLowerInvariant();
        return Notion.Contains(lower) ? lower : "plain text";
    }
}
