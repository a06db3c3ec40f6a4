using System.Globalization;
using OberaConnect.Fakes.Sources;

namespace OberaConnect.Fakes.NinjaOne;

/// <summary>
/// Runs the NinjaOne fake as a process until Ctrl+C:
/// <c>dotnet run --project tests/OberaConnect.Fakes -- --service ninjaone --port 7779 [--client-id I] [--client-secret S]
/// [--granted-scopes "monitoring management"] [--max-page-size N] [--sites 98] [--day 0]</c>.
/// It prints the base URL (the configuration's ninjaOne.region) and the client credentials (NINJAONE_CLIENT_ID, NINJAONE_CLIENT_SECRET).
/// </summary>
public static class NinjaOneStandalone
{
    public const string Usage = """
        NinjaOne fake options:
          --port <n>             port on 127.0.0.1 (default 7779; 0 picks a free one)
          --client-id <id>       client id to accept (default ninja-fake-client)
          --client-secret <s>    client secret to accept (default ninja-fake-secret-5b8e1f0c3a)
          --granted-scopes <s>   scopes the API app was granted, space- or comma-separated (default monitoring;
                                 "" for none); a token request for any other scope gets 400 invalid_scope
          --max-page-size <n>    largest page served whatever is asked, as a server that caps pages (default 1000)
        """ + "\n" + SourceStandalone.SampleUsage;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var port = 7779;
        var options = new NinjaOneFakeOptions();
        var sample = new SourceStandalone();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            if (sample.TryRead(args, ref i)) continue;
            switch (args[i])
            {
                case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--client-id": options.ClientId = Next(); break;
                case "--client-secret": options.ClientSecret = Next(); break;
                case "--granted-scopes": options.GrantedScopes = Next().Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries); break;
                case "--max-page-size": options.MaxPageSize = SourceStandalone.PositiveInt(Next(), "--max-page-size"); break;
                case "--help" or "-h": output.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        options.Port = port;
        options.Data = sample.Generate();

        await using var fake = await NinjaOneFake.StartAsync(options, cancellationToken);
        output.WriteLine("NinjaOne fake (API v2 with OAuth2 client credentials) is running.");
        output.WriteLine($"  base URL         {fake.BaseUrl}");
        output.WriteLine($"  client id        {fake.ClientId}");
        output.WriteLine($"  client secret    {fake.ClientSecret}");
        output.WriteLine($"  granted scopes   {(options.GrantedScopes.Count == 0 ? "(none)" : string.Join(" ", options.GrantedScopes))}");
        output.WriteLine($"  max page size    {options.MaxPageSize}");
        output.WriteLine($"  data             {sample.Describe(fake.Data)}: {fake.Data.NinjaOneOrganizations.Count} organizations, {fake.Data.NinjaOneDevices.Count} devices, {fake.Data.NinjaOneAlerts.Count} open alerts");
        output.WriteLine($"  configuration    \"ninjaOne\": {{ \"region\": \"{fake.BaseUrl}\" }}, and the environment variables NINJAONE_CLIENT_ID={fake.ClientId} NINJAONE_CLIENT_SECRET={fake.ClientSecret}");
        return await SourceStandalone.RunUntilStoppedAsync(output,
            () => $"requests: {fake.Requests.Count} ({fake.Requests.Count(r => r.Status >= 400)} answered with an error), tokens issued: {fake.TokensIssued}", cancellationToken);
    }
}
