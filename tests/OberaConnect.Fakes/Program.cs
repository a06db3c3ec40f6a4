// Standalone entry point of the loopback fakes:
//   dotnet run --project tests/OberaConnect.Fakes -- [--service notion] [service options]
// Each fake registers one line in Services; "notion" is the default service.
using OberaConnect.Fakes.Notion;

var services = new Dictionary<string, Func<string[], TextWriter, CancellationToken, Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["notion"] = NotionStandalone.RunAsync,
};

var service = "notion";
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--service" && i + 1 < args.Length) service = args[++i];
    else rest.Add(args[i]);
}

if (!services.TryGetValue(service, out var run))
{
    Console.Error.WriteLine($"Unknown service '{service}'. Known: {string.Join(", ", services.Keys)}.");
    return 2;
}

// Not disposed: ProcessExit may still cancel it after Main returns.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

try
{
    return await run(rest.ToArray(), Console.Out, stop.Token);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
