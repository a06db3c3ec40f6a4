// Standalone entry point of the loopback fakes:
//   dotnet run --project tests/OberaConnect.Fakes -- [--service notion|unifi|ninjaone|databricks] [service options]
// Each fake registers one line in Services; "notion" is the default service. --help after the service lists its options.
using System.Runtime.InteropServices;
using OberaConnect.Fakes.Databricks;
using OberaConnect.Fakes.NinjaOne;
using OberaConnect.Fakes.Notion;
using OberaConnect.Fakes.UniFi;

var services = new Dictionary<string, Func<string[], TextWriter, CancellationToken, Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["notion"] = NotionStandalone.RunAsync,
    ["unifi"] = UniFiStandalone.RunAsync,
    ["ninjaone"] = NinjaOneStandalone.RunAsync,
    ["databricks"] = DatabricksStandalone.RunAsync,
    ["demo"] = OberaConnect.Fakes.Demo.DemoJob.RunAsync,
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

using var stop = new CancellationTokenSource();
// Ctrl+C and SIGTERM (docker stop, kill) stop the fake cleanly, so it can print its request counts.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

try
{
    return await run(rest.ToArray(), Console.Out, stop.Token);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
