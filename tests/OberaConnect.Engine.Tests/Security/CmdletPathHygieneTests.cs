using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Operations;
using OberaConnect.Engine.Sources.UniFi;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Operations;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Tests.Security;

/// <summary>
/// Secret hygiene over the engine paths the cmdlets run, with known secret values and the HTTP trace on: a
/// connection whose four credentials come from Key Vault (signed in as an app registration with a client
/// secret), workspace plan and schema check, an upsert sync with one failing record (journal, audit lines,
/// metrics), 401s from Notion and UniFi, the health check and the metrics export. Everything produced — every
/// engine output message, every result and report object, every exception, the audit, journal, trace and
/// metrics files — is scanned with <see cref="SecretLeakScan"/> for each value and its first 8 characters.
/// The control proves the same collection finds a planted leak in a file and in an exception.
/// </summary>
public sealed class CmdletPathHygieneTests
{
    private const string NotionToken = "ntn_5tX2v9QpL7mR3wK8jN4bY6hC1dF0gZ5sA7e";
    private const string WrongNotionToken = "ntn_9Wb4c7Kd2Lm8Np3Qr6St1Uv5Xy0Za4Bc7De";
    private const string UniFiApiKey = "uk7Rf3Gh9Jk2Lm5Np8Qr1St4Vw6Xy0Za";
    private const string WrongUniFiApiKey = "uw2Hs8Jd4Kf6Lg1Mh3Nj5Pk7Ql9Rm0Sn";
    private const string NinjaOneClientId = "n1Cid-7Ke3Lw9Mx2Ny5Pz8Qa1Rb4";
    private const string NinjaOneClientSecret = "n1Sec~4Tg7Uh0Vj3Wk6Xl9Ym2Zn5Ao8Bp";
    private const string KeyVaultClientSecret = "kvS8Q~r2Tv5Wx8Yz1Ab4Cd7Ef0Gh3Ij6Kl";

    private static readonly KnownSecrets Known = new(NotionToken, UniFiApiKey, NinjaOneClientId, NinjaOneClientSecret);

    /// <summary>What the cmdlet paths produced: objects, exceptions, output lines and the folder holding every local file.</summary>
    private sealed class Produced
    {
        public List<(string Where, object? Value)> Objects { get; } = new();
        public List<(string Where, Exception Error)> Errors { get; } = new();
        public CapturedOutput Output { get; } = new();
        public string Folder { get; set; } = "";
        public string TraceFile { get; set; } = "";
    }

    private static SecretLeakScan Scan(Produced produced, string vaultAccessToken)
    {
        var scan = new SecretLeakScan(NotionToken, WrongNotionToken, UniFiApiKey, WrongUniFiApiKey, NinjaOneClientId, NinjaOneClientSecret,
            KeyVaultClientSecret, vaultAccessToken);
        scan.Lines("engine output", produced.Output.Lines);
        foreach (var (where, value) in produced.Objects) scan.Object(where, value, depth: 3);
        foreach (var (where, error) in produced.Errors) scan.Exception(where, error);
        // Every file the run left: trace, audit segments, failed-record journal, metrics textfile, configuration.
        foreach (var file in Directory.GetFiles(produced.Folder, "*", SearchOption.AllDirectories))
            scan.File(Path.GetRelativePath(produced.Folder, file), file);
        return scan;
    }

    private static async Task<Produced> RunCmdletPathsAsync(OperationsWorkspace workspace)
    {
        var produced = new Produced { Folder = workspace.Folder, TraceFile = Path.Combine(workspace.Folder, "trace", "http.jsonl") };
        var output = produced.Output;
        var vault = workspace.Vault!;
        vault.SetSecret("notion-token", NotionToken);
        vault.SetSecret("unifi-api-key", UniFiApiKey);
        vault.SetSecret("ninjaone-client-id", NinjaOneClientId);
        vault.SetSecret("ninjaone-client-secret", NinjaOneClientSecret);
        foreach (var variable in new[] { "NOTION_TOKEN", "UNIFI_API_KEY", "NINJAONE_CLIENT_ID", "NINJAONE_CLIENT_SECRET" })
            workspace.Environment.Set(variable, null);
        workspace.Environment.Set("OBERACONNECT_AZURE_CLIENT_SECRET", KeyVaultClientSecret);
        var config = workspace.WriteConfiguration(tweak: root =>
        {
            root["secrets"]!["keyVaultCredential"] = "clientSecret";
            root["secrets"]!["keyVaultClientId"] = "11111111-2222-3333-4444-555555555555";
            root["secrets"]!["keyVaultTenantId"] = vault.TenantId;
        });
        var health = OperationsWorkspace.HealthOptions();

        using (var connection = workspace.Open(config, output, produced.TraceFile))
        {
            // Connect-OberaConnect: users/me and where each credential came from.
            var bot = await connection.VerifyNotionAsync(default);
            produced.Objects.Add(("bot user", bot));
            foreach (var kind in new[] { CredentialKind.UniFiApiKey, CredentialKind.NinjaOneClientId, CredentialKind.NinjaOneClientSecret })
                await connection.ResolveAsync(kind, null, default);
            produced.Objects.Add(("resolved credentials", connection.ResolvedCredentials));
            Assert.All(connection.ResolvedCredentials, c => Assert.Equal(CredentialSource.KeyVault, c.Source));

            // Initialize-OberaNotionWorkspace (plan) and Test-NotionSchema.
            var notion = await connection.GetNotionAsync(default);
            var plan = await WorkspaceSetup.PlanAsync(notion, WorkspaceDefinition.Standard, workspace.Notion.RootPageId, connection.Configuration.Databases, output, default);
            produced.Objects.Add(("workspace plan", plan));
            var reports = await WorkspaceSetup.CheckAsync(notion, WorkspaceDefinition.Standard, connection.Configuration.Databases, WorkspaceDefinition.Standard.CreationOrder, default);
            produced.Objects.Add(("schema reports", reports.SelectMany(r => r.Differences).ToList()));

            // Sync-CustomerStatus with one record Notion refuses (an unknown select option on a strict workspace).
            workspace.Notion.StrictSelectOptions = true;
            var driver = await SyncDriver.OpenAsync(connection, "Sync-CustomerStatus", nameof(DatabaseKey.CustomerSites), null, "hygiene0001", output, default);
            foreach (var (name, risk) in new[] { ("Acme Corp", "Low"), ("Globex Dental", "Bogus"), ("Initech", "High") })
            {
                var record = new DesiredRecord(name, new Dictionary<string, PropertyValue>
                {
                    ["Site Name"] = PropertyValue.Title(name),
                    ["Health Score"] = PropertyValue.Number(87),
                    ["Risk Level"] = PropertyValue.Select(risk),
                }, new { Site = name, Risk = risk });
                driver.Session.Submit(driver.Session.Plan(record), default);
            }
            await driver.DrainAsync(_ => { }, default);
            var summary = await driver.FinishAsync(default);
            produced.Objects.Add(("sync results", driver.Results));
            produced.Objects.Add(("sync summary", summary));
            Assert.True(driver.Results.Count(r => r.StatusValue == SyncStatus.Failed) == 1, string.Join("\n", driver.Results.Select(r => r.ToString())));
            var failed = Assert.Single(driver.Results, r => r.StatusValue == SyncStatus.Failed);
            Assert.Equal("Globex Dental", failed.Key);
            produced.Errors.Add(("failed record", failed.Exception!));
            Assert.Equal(2, driver.Results.Count(r => r.StatusValue == SyncStatus.Created));

            // Test-OberaConnectHealth and Export-OberaConnectMetric.
            var export = await HealthMetrics.ExportAsync(connection, null, health, output, default);
            produced.Objects.Add(("metrics export", export));
            produced.Objects.Add(("health components", export.Report.Components));
            Assert.Equal(nameof(HealthStatus.Healthy), export.Overall);
            Assert.Contains(export.Report.Components, c => c.Component == HealthComponents.KeyVault && c.StatusValue == HealthStatus.Healthy);
        }

        // Refused credentials: 401 from Notion and from UniFi, and the health check that reports them.
        var refused = workspace.Options(config, produced.TraceFile);
        refused.NotionToken = WrongNotionToken;
        refused.UniFiApiKey = WrongUniFiApiKey;
        using (var connection = OberaConnectConnection.Open(refused, output))
        {
            var notion401 = await Assert.ThrowsAsync<NotionUnauthorizedException>(() => connection.VerifyNotionAsync(default));
            produced.Errors.Add(("Notion 401", notion401));
            var uniFi = await connection.GetUniFiAsync(default);
            var uniFi401 = await Assert.ThrowsAsync<UniFiApiException>(async () =>
            {
                await foreach (var _ in uniFi.GetSitesAsync(default)) { }
            });
            Assert.Equal(401, uniFi401.StatusCode);
            produced.Errors.Add(("UniFi 401", uniFi401));
            var report = await WorkspaceHealth.CheckAsync(connection, health, output, default);
            produced.Objects.Add(("health report with refused credentials", report));
            produced.Objects.Add(("health components with refused credentials", report.Components));
            Assert.Equal(HealthStatus.Unhealthy, report.Components.Single(c => c.Component == HealthComponents.NotionToken).StatusValue);
            Assert.Equal(HealthStatus.Unhealthy, report.Components.Single(c => c.Component == HealthComponents.UniFi).StatusValue);
        }
        return produced;
    }

    [Fact]
    public async Task No_secret_or_its_prefix_appears_in_anything_the_cmdlet_paths_produce()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(sources: true, vault: true, secrets: Known);

        var produced = await RunCmdletPathsAsync(workspace);

        // The scan only means something if every channel really carried traffic.
        var trace = File.ReadAllText(produced.TraceFile);
        foreach (var expected in new[] { "/v1/users/me", "/v1/pages", "/secrets/notion-token", "/secrets/ninjaone-client-secret", "/ws/oauth/token", "sites", "\"Status\":401" })
            Assert.Contains(expected, trace, StringComparison.OrdinalIgnoreCase);
        var auditFiles = Directory.GetFiles(workspace.AuditDirectory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(auditFiles);
        Assert.Contains(auditFiles.SelectMany(File.ReadAllLines), l => l.Contains("Globex Dental", StringComparison.Ordinal));
        Assert.Contains("oberaconnect_sync_total", File.ReadAllText(workspace.MetricsPath));
        Assert.Contains(produced.Output.Lines, l => l.Contains("service principal", StringComparison.Ordinal));

        var scan = Scan(produced, workspace.VaultCredential.Token);

        Assert.Contains(scan.Scanned, s => s.StartsWith("trace", StringComparison.Ordinal));
        Assert.Contains(scan.Scanned, s => s.StartsWith("audit", StringComparison.Ordinal));
        Assert.Contains(scan.Scanned, s => s.StartsWith("journal", StringComparison.Ordinal));
        Assert.Contains(scan.Scanned, s => s.StartsWith("textfile", StringComparison.Ordinal));
        scan.AssertClean();
    }

    [Fact]
    public async Task Control_the_same_collection_finds_a_leak_planted_in_a_file_and_in_an_exception()
    {
        await using var workspace = await OperationsWorkspace.StartAsync(sources: true, vault: true, secrets: Known);
        var produced = await RunCmdletPathsAsync(workspace);
        Assert.Empty(Scan(produced, workspace.VaultCredential.Token).Findings);

        // An audit writer whose redactor was never told the UniFi key writes it as given.
        var careless = new AuditLog(new AuditLogOptions { Directory = Path.Combine(workspace.AuditDirectory, "careless") }, new Engine.Security.SecretRedactor());
        await careless.WriteAsync(new AuditEntry { Operation = "Get-UniFiSite", Outcome = AuditOutcome.Failed, Message = "UniFi refused key " + UniFiApiKey }, default);
        // An error quoting only the start of the NinjaOne client secret.
        produced.Errors.Add(("planted error", new InvalidOperationException("token request failed for secret " + NinjaOneClientSecret.Substring(0, 8) + "...")));

        var scan = Scan(produced, workspace.VaultCredential.Token);

        Assert.Contains(scan.Findings, f => f.StartsWith("audit", StringComparison.Ordinal) && f.Contains("careless", StringComparison.Ordinal) && f.Contains("secret #3", StringComparison.Ordinal));
        Assert.Contains(scan.Findings, f => f.StartsWith("planted error", StringComparison.Ordinal) && f.Contains("first 8 characters of secret #6", StringComparison.Ordinal));
        Assert.Equal(2, scan.Findings.Select(f => f.Split(':')[0].Split(' ')[0]).Distinct().Count());
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => scan.AssertClean());
        Assert.DoesNotContain(UniFiApiKey, string.Join("\n", scan.Findings)); // the failure text masks what it found
    }
}
