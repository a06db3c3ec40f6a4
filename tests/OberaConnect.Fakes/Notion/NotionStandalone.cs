using System.Globalization;

namespace OberaConnect.Fakes.Notion;

/// <summary>
/// Runs the Notion fake as a process until Ctrl+C:
/// <c>dotnet run --project tests/OberaConnect.Fakes -- --service notion --port 7777 [--token T] [--no-rate-limit] [--strict-select] [--seed-demo]</c>.
/// </summary>
public static class NotionStandalone
{
    public const string Usage = """
        Notion fake options:
          --port <n>         port on 127.0.0.1 (default 7777; 0 picks a free one)
          --token <t>        integration token to accept (default: a random ntn_fake_... token)
          --no-rate-limit    do not answer 429 past 3 requests/s (default: limit on, burst 10)
          --rate <n>         average requests per second before 429 (default 3)
          --burst <n>        burst above the average (default 10)
          --strict-select    reject unknown select options instead of creating them
          --seed-demo        create a demo "Customer Sites" database with a few rows
          --seed-workspace   create the seven OberaConnect databases (the module's schema) under the root page
          --write-config <p> with --seed-workspace: write an OberaConnect configuration file for them to <p>
                             (journal, audit and logs beside it); give the token as NOTION_TOKEN
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var port = 7777;
        string? token = null;
        double? rate = NotionFakeOptions.NotionRateLimitPerSecond;
        var burst = NotionFakeOptions.DefaultBurst;
        var strict = false;
        var seedDemo = false;
        var seedWorkspace = false;
        string? configPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--token": token = Next(); break;
                case "--no-rate-limit": rate = null; break;
                case "--rate": rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--burst": burst = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--strict-select": strict = true; break;
                case "--seed-demo": seedDemo = true; break;
                case "--seed-workspace": seedWorkspace = true; break;
                case "--write-config": configPath = Next(); break;
                case "--help" or "-h": output.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }

        await using var fake = await NotionFake.StartAsync(new NotionFakeOptions
        {
            Port = port,
            Token = token,
            RateLimitPerSecond = rate,
            Burst = burst,
            StrictSelectOptions = strict,
        }, cancellationToken);

        output.WriteLine("Notion fake (Notion-Version 2025-09-03 and 2026-03-11) is running.");
        output.WriteLine($"  base URL         {fake.BaseUrl}");
        output.WriteLine($"  token            {fake.Token}");
        output.WriteLine($"  root page id     {fake.RootPageId}   (shared with the integration: create databases here)");
        output.WriteLine($"  unshared page id {fake.UnsharedPageId}   (answers 404 object_not_found)");
        output.WriteLine($"  rate limit       {(rate is { } r ? $"{r.ToString(CultureInfo.InvariantCulture)} requests/s, burst {burst}" : "off")}");
        if (seedDemo)
        {
            var demo = SeedDemo(fake.State);
            output.WriteLine($"  demo database    {demo.DatabaseId} (data source {demo.DataSourceId})");
        }
        if (seedWorkspace)
        {
            var databases = NotionWorkspaceSeed.CreateStandardWorkspace(fake.State);
            output.WriteLine($"  workspace        {databases.Count} OberaConnect databases created");
            if (configPath != null)
            {
                var full = Path.GetFullPath(configPath);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, NotionWorkspaceSeed.ConfigurationJson(fake.BaseUrl, databases, Path.GetDirectoryName(full)));
                output.WriteLine($"  configuration    {full}");
            }
        }
        output.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        output.WriteLine(fake.Requests.ToString());
        return 0;
    }

    private static SeededDatabase SeedDemo(NotionFakeState state)
    {
        var db = state.CreateDatabase(state.RootPageId, "Customer Sites", """
            {
              "Site Name": { "title": {} },
              "Health Score": { "number": { "format": "number" } },
              "Tier": { "select": { "options": [ { "name": "Gold", "color": "yellow" }, { "name": "Silver", "color": "gray" } ] } },
              "Status": { "status": {} },
              "Last Sync": { "date": {} },
              "Site ID": { "unique_id": { "prefix": "SITE" } }
            }
            """);
        var names = new[] { "Acme HQ", "Acme Warehouse", "Globex Plant", "Initech Office", "Umbrella Lab" };
        state.InsertPages(db.DataSourceId, names.Length, i => new Dictionary<string, object?>
        {
            ["Site Name"] = names[i],
            ["Health Score"] = 70 + i * 5,
            ["Tier"] = i % 2 == 0 ? "Gold" : "Silver",
            ["Last Sync"] = DateTimeOffset.UtcNow.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        return db;
    }
}
