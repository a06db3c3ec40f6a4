using System.Diagnostics;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Security;

/// <summary>
/// Lets a test run this test assembly as a separate audit-log writer process, without a helper project:
/// the test starts <c>dotnet OberaConnect.Engine.Tests.dll</c> with DOTNET_STARTUP_HOOKS pointing at this
/// assembly, and the .NET host calls <see cref="Initialize"/> before Main. Without the variable below the
/// hook does nothing (and the test host never sets DOTNET_STARTUP_HOOKS).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var spec = Environment.GetEnvironmentVariable(OberaConnect.Engine.Tests.Operations.AuditWriterProcess.SpecVariable);
        if (string.IsNullOrEmpty(spec)) return;
        Environment.Exit(OberaConnect.Engine.Tests.Operations.AuditWriterProcess.Run(spec));
    }
}

namespace OberaConnect.Engine.Tests.Operations
{
    /// <summary>Starts and runs writer processes for the concurrent-writers test.</summary>
    internal static class AuditWriterProcess
    {
        public const string SpecVariable = "OBERACONNECT_TEST_AUDIT_WRITER";

        /// <summary>Body of the child process: waits for the go file, then writes <c>count</c> records.</summary>
        public static int Run(string spec)
        {
            // spec: directory|writer name|count|go-file|max file bytes
            var parts = spec.Split('|');
            var directory = parts[0];
            var writer = parts[1];
            var count = int.Parse(parts[2]);
            var go = parts[3];
            var maxBytes = long.Parse(parts[4]);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(go))
            {
                if (DateTime.UtcNow > deadline) return 3;
                Thread.Sleep(5);
            }
            var log = new AuditLog(new AuditLogOptions { Directory = directory, MaxFileBytes = maxBytes, LockTimeout = TimeSpan.FromSeconds(30) }, new SecretRedactor());
            var invocation = log.BeginInvocation("Sync-Test-" + writer);
            // Long, varied lines: a torn or interleaved write would show as a line that is not JSON.
            var padding = new string((char)('a' + writer.Length % 26), 1500);
            for (var i = 0; i < count; i++)
            {
                invocation.WriteAsync(new AuditEntry
                {
                    Operation = "page.update", Outcome = AuditOutcome.Updated, Database = "Customer Status",
                    Key = $"{writer}:{i}", Requests = 1, Duration = TimeSpan.FromMilliseconds(i),
                    Message = padding + " \"quoted\" ünïcödé " + i,
                }, CancellationToken.None).GetAwaiter().GetResult();
            }
            return 0;
        }

        /// <summary>Starts this test assembly as a writer process.</summary>
        public static Process Start(string directory, string writer, int count, string goFile, long maxBytes)
        {
            var assembly = typeof(AuditWriterProcess).Assembly.Location;
            var start = new ProcessStartInfo(DotnetHost(), $"exec \"{assembly}\"")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(assembly)!,
            };
            start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
            start.Environment[SpecVariable] = string.Join("|", directory, writer, count, goFile, maxBytes);
            return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        }

        // The SDK tells test runs which dotnet started them; fall back to the current process or PATH.
        private static string DotnetHost()
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
            var current = Environment.ProcessPath;
            if (current != null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return current;
            return "dotnet";
        }
    }
}
