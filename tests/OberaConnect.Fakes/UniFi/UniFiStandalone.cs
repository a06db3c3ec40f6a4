using System.Globalization;
using OberaConnect.Fakes.Sources;

namespace OberaConnect.Fakes.UniFi;

/// <summary>
/// Runs the UniFi Site Manager fake as a process until Ctrl+C:
/// <c>dotnet run --project tests/OberaConnect.Fakes -- --service unifi --port 7778 [--api-key K] [--max-page-size N] [--sites 98] [--day 0]</c>.
/// It prints the base URL and API key to put in a configuration (unifi.baseUrl) and UNIFI_API_KEY.
/// </summary>
public static class UniFiStandalone
{
    public const string Usage = """
        UniFi Site Manager fake options:
          --port <n>         port on 127.0.0.1 (default 7778; 0 picks a free one)
          --api-key <k>      API key to accept in X-API-Key (default unifi-fake-key-7f3a9c21d4)
          --max-page-size <n>
                             largest page served whatever is asked, as a server that caps pages (default 100)
        """ + "\n" + SourceStandalone.SampleUsage;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var port = 7778;
        var options = new UniFiFakeOptions();
        var sample = new SourceStandalone();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            if (sample.TryRead(args, ref i)) continue;
            switch (args[i])
            {
                case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--api-key": options.ApiKey = Next(); break;
                case "--max-page-size": options.MaxPageSize = SourceStandalone.PositiveInt(Next(), "--max-page-size"); break;
                case "--help" or "-h": output.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        options.Port = port;
        options.Data = sample.Generate();

        await using var fake = await UniFiFake.StartAsync(options, cancellationToken);
        output.WriteLine("UniFi Site Manager fake (API v1, and early access without paging: hosts, sites, devices) is running.");
        output.WriteLine($"  base URL         {fake.BaseUrl}");
        output.WriteLine($"  API key          {fake.ApiKey}");
        output.WriteLine($"  max page size    {options.MaxPageSize}");
        output.WriteLine($"  data             {sample.Describe(fake.Data)}: {fake.Data.UniFiSites.Count} sites, {fake.Data.UniFiDevices.Count} devices");
        output.WriteLine($"  configuration    \"unifi\": {{ \"baseUrl\": \"{fake.BaseUrl}\" }}, and the environment variable UNIFI_API_KEY={fake.ApiKey}");
        return await SourceStandalone.RunUntilStoppedAsync(output,
            () => $"requests: {fake.Requests.Count} ({fake.Requests.Count(r => r.Status >= 400)} answered with an error)", cancellationToken);
    }
}
