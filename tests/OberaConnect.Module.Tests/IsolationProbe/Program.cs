// Usage: IsolationProbe <module folder (out/OberaConnect)> <scratch folder>
// Writes one JSON report to stdout; the module tests assert on it.
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;

var moduleDirectory = Path.GetFullPath(args[0]);
var scratch = Directory.CreateDirectory(args[1]).FullName;
var report = new JsonObject();

// 1. Other modules got there first: an OLDER Polly.Core and a NEWER Microsoft.Bcl.TimeProvider sit in the
//    default context (as Az.Accounts' Azure.Core or Microsoft.Graph's System.Text.Json would).
var olderPolly = StandIn(scratch, "Polly.Core", new Version(1, 0, 0, 0));
var newerTime = StandIn(scratch, "Microsoft.Bcl.TimeProvider", new Version(99, 0, 0, 0));
report["defaultBefore"] = new JsonArray(Describe(olderPolly), Describe(newerTime));

// 2. Import: PowerShell loads the cmdlet assembly into the default context and runs the module initializer,
//    whose only work is DependencyIsolation.Install (called here the same way, without PowerShell).
var cmdlets = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(moduleDirectory, "OberaConnect.PowerShell.dll"));
var isolation = cmdlets.GetType("OberaConnect.PowerShell.Isolation.DependencyIsolation", throwOnError: true)!;
report["installed"] = (string)isolation.GetMethod("Install")!.Invoke(null, new object[] { moduleDirectory })!;

// 3. A cmdlet touches an engine type: the default context is asked for OberaConnect.Engine.
var engine = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("OberaConnect.Engine"));
var engineAgain = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("OberaConnect.Engine"));
report["engine"] = Describe(engine);
report["engineResolvedOnce"] = ReferenceEquals(engine, engineAgain);

// 4. The engine works: a request through the resilient pipeline (Polly inside, TimeProvider for pacing).
var status = await SendThroughEngine(engine);
report["engineRequestStatus"] = status;

// 5. What each side sees.
var engineContext = AssemblyLoadContext.GetLoadContext(engine)!;
report["engineContextIsDefault"] = engineContext == AssemblyLoadContext.Default;
var seen = new JsonObject();
foreach (var name in new[] { "Polly.Core", "Microsoft.Bcl.TimeProvider", "Microsoft.Bcl.AsyncInterfaces", "System.Text.Json", "System.Memory" })
{
    var inEngineContext = engineContext.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
    var viaEngineReference = engine.GetReferencedAssemblies().FirstOrDefault(r => r.Name == name) is { } reference
        ? engineContext.LoadFromAssemblyName(reference)
        : null;
    var inDefault = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
    seen[name] = new JsonObject
    {
        ["engineSide"] = Describe(viaEngineReference ?? inEngineContext),
        ["defaultSide"] = Describe(inDefault),
        ["same"] = viaEngineReference is not null && ReferenceEquals(viaEngineReference, inDefault),
    };
}
report["assemblies"] = seen;

// 6. No leak: the default context asking for the engine's Polly.Core version is not handed our copy.
try
{
    var asked = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Polly.Core, Version=8.0.0.0"));
    report["defaultAskingForOurPolly"] = Describe(asked);
}
catch (Exception e) when (e is FileNotFoundException or FileLoadException)
{
    report["defaultAskingForOurPolly"] = "refused: " + e.GetType().Name;
}

Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;

static Assembly StandIn(string directory, string name, Version version)
{
    // A stand-in assembly with the same simple name as one of the engine's dependencies and another version.
    var builder = new PersistedAssemblyBuilder(new AssemblyName(name) { Version = version }, typeof(object).Assembly);
    var module = builder.DefineDynamicModule(name);
    module.DefineType("OberaConnect.Probe.StandIn", TypeAttributes.Public | TypeAttributes.Class).CreateType();
    var path = Path.Combine(directory, name + ".dll");
    builder.Save(path);
    return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
}

static JsonNode? Describe(Assembly? assembly) => assembly is null
    ? null
    : new JsonObject
    {
        ["name"] = assembly.GetName().Name,
        ["version"] = assembly.GetName().Version?.ToString(),
        ["context"] = AssemblyLoadContext.GetLoadContext(assembly)?.Name,
        ["location"] = assembly.Location,
    };

static async Task<int> SendThroughEngine(Assembly engine)
{
    var optionsType = engine.GetType("OberaConnect.Engine.Http.HttpResilienceOptions", true)!;
    var pacerType = engine.GetType("OberaConnect.Engine.Http.RequestPacer", true)!;
    var pipelineType = engine.GetType("OberaConnect.Engine.Http.ResilientHttpPipeline", true)!;
    var safetyType = engine.GetType("OberaConnect.Engine.Http.RequestSafety", true)!;
    var options = Activator.CreateInstance(optionsType)!;
    var pacer = pacerType.GetConstructors().Single(c => c.GetParameters().Length == 3).Invoke(new object?[] { 100.0, 10, null });
    var invoker = new HttpMessageInvoker(new AnswerOk());
    var pipeline = pipelineType.GetConstructors().Single().Invoke(new object?[] { "Probe", invoker, options, pacer, null, null, null });
    Func<HttpRequestMessage> create = () => new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/probe");
    var send = pipelineType.GetMethod("SendAsync")!;
    var task = (Task)send.Invoke(pipeline, new object[] { create, Enum.Parse(safetyType, "Idempotent"), CancellationToken.None })!;
    await task;
    var response = task.GetType().GetProperty("Result")!.GetValue(task)!;
    return (int)response.GetType().GetProperty("StatusCode")!.GetValue(response)!;
}

sealed class AnswerOk : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") });
}
