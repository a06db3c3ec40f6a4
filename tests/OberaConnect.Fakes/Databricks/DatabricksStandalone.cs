using System.Globalization;
using OberaConnect.Fakes.Sources;

namespace OberaConnect.Fakes.Databricks;

/// <summary>
/// Runs the Databricks SQL Statement Execution fake as a process until Ctrl+C:
/// <c>dotnet run --project tests/OberaConnect.Fakes -- --service databricks --port 7780 [--token T] [--warehouse W]</c>.
/// It prints the host, token and warehouse to put in a configuration (databricks.host, databricks.warehouseId) and
/// DATABRICKS_TOKEN, so Initialize-NotionExportStore and Export-NotionDatabase -Store Databricks can be tried by hand.
/// </summary>
public static class DatabricksStandalone
{
    public const string Usage = """
        Databricks fake options:
          --port <n>         port on 127.0.0.1 (default 7780; 0 picks a free one)
          --token <t>        bearer token to accept (default dapi-fake-token-0123456789)
          --warehouse <id>   SQL warehouse id to accept (default abc123def456)
          --pending-polls <n>
                             polls a statement stays PENDING/RUNNING before it finishes (default 0: finishes at once)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var port = 7780;
        var token = "dapi-fake-token-0123456789";
        var warehouse = "abc123def456";
        var pendingPolls = 0;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--token": token = Next(); break;
                case "--warehouse": warehouse = Next(); break;
                case "--pending-polls": pendingPolls = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--help" or "-h": output.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        if (pendingPolls < 0) throw new ArgumentException($"--pending-polls must be 0 or more (got {pendingPolls}).");

        await using var fake = await DatabricksFake.StartAsync(token, warehouse, port);
        fake.PendingPolls = pendingPolls;
        var host = fake.BaseAddress.ToString().TrimEnd('/');
        output.WriteLine("Databricks fake (SQL Statement Execution API 2.0: submit, poll, cancel; the two bronze tables of the export) is running.");
        output.WriteLine($"  base URL         {fake.BaseAddress}");
        output.WriteLine($"  host             {host}");
        output.WriteLine($"  token            {fake.Token}");
        output.WriteLine($"  warehouse        {fake.WarehouseId}");
        output.WriteLine($"  configuration    \"databricks\": {{ \"host\": \"{host}\", \"warehouseId\": \"{fake.WarehouseId}\" }}, \"export\": {{ \"store\": \"databricks\" }}, and the environment variable DATABRICKS_TOKEN={fake.Token}");
        return await SourceStandalone.RunUntilStoppedAsync(output,
            () => $"statements: {fake.Statements.Count}, polls: {fake.Polls}, refused for a bad token: {fake.Unauthorized}", cancellationToken);
    }
}
