using OberaConnect.Engine.AzureServices;
using OberaConnect.Engine.Runbooks;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.EndToEnd;
using OberaConnect.Engine.Tests.Sources;
using OberaConnect.Engine.Workspace;
using Xunit.Abstractions;

namespace OberaConnect.Engine.Tests.Validation;

/// <summary>
/// Every hostile value (<see cref="HostileValues"/>, a fixed list) in every field of every writing cmdlet's input: the
/// five site syncs' inputs built from values as PowerShell hands them over (FromValues, the path the cmdlets take), run
/// through a real sync (plan, submit, drain, journal, audit) against the Notion fake, and the Azure Pipeline and Runbook
/// Library inputs planned against it. Each outcome is compared with the documented rules (<see cref="InputOracle"/>):
/// a refused value must be a clear InvalidInput error naming its field and must send nothing (the fake's request
/// counters); an accepted value must be one the rules accept, stored as given or changed as documented (with the
/// warning the rules promise). Nothing may throw, the journal and the audit log included. The counts are printed.
/// </summary>
public sealed class InputFuzzTests : IAsyncLifetime
{
    private const string FuzzSite = "Fuzz Site";
    private readonly ITestOutputHelper _output;
    private SiteWorkspace _ws = null!;

    public InputFuzzTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _ws = await SiteWorkspace.StartAsync();

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private static readonly string[] BackupSet = { "Success", "Partial", "Failed", "Unknown", "succeeded=Success", "ok=Success", "completed=Success", "failure=Failed", "error=Failed" };
    private static readonly string[] SourceStateSet = { "Present", "Unavailable", "NotMatched", "NotConfigured", "Not Matched=NotMatched", "Not Configured=NotConfigured" };
    private static readonly string[] ResultSet = { "Success", "Failed", "Partial", "Rolled Back", "succeeded=Success", "ok=Success", "failure=Failed", "error=Failed", "rolledback=Rolled Back", "rollback=Rolled Back" };
    private static readonly string[] DeviceStatusSet = { "Online", "Offline", "Updating", "connected=Online", "up=Online", "disconnected=Offline", "down=Offline", "upgrading=Updating", "provisioning=Updating" };
    private static readonly string[] FirmwareSet = { "Up To Date", "Update Available", "Unknown", "uptodate=Up To Date", "up_to_date=Up To Date", "current=Up To Date", "updateavailable=Update Available", "update_available=Update Available", "outdated=Update Available" };

    private static FieldSpec Count(string name, string? stored = null) => new(name, FieldKind.Count, Stored: stored);

    private static readonly FieldSpec[] CustomerStatusFields =
    {
        new("SiteName", FieldKind.SiteName, Stored: "Site Name", Required: true),
        Count("DevicesOnline", "Devices Online"), Count("DevicesOffline", "Devices Offline"), Count("DevicesTotal", "Devices Total"),
        Count("WifiClients", "WiFi Clients"), Count("WeakSignalClients"), Count("ActiveAlerts", "Active Alerts"), Count("CriticalAlerts", "Critical Alerts"),
        Count("WarningAlerts"), Count("OpenTickets", "Open Tickets"), Count("PendingUpdates", "Pending Updates"),
        new("BackupStatus", FieldKind.Choice, Stored: "Backup Status", Set: BackupSet),
        new("ConfigDrift", FieldKind.Flag),
        new("WanUptimePercent", FieldKind.Percent, Stored: "WAN Uptime"),
        new("IspName", FieldKind.Line, 100, "ISP", Option: true),
        new("UniFiSiteId", FieldKind.Identifier, 200, "UniFi Site ID"),
        new("UniFiHostId", FieldKind.Identifier, 200, "UniFi Host ID"),
        new("NinjaOneOrganizationId", FieldKind.Identifier, 200, "NinjaOne Org ID"),
        new("UniFiStatus", FieldKind.Choice, Set: SourceStateSet),
        new("NinjaOneStatus", FieldKind.Choice, Set: SourceStateSet),
        new("MissingSources", FieldKind.SourceList),
    };

    // The same input as a snapshot: only what Daily Health stores is compared; the site is resolved, so its name is not stored as given.
    private static readonly FieldSpec[] DailyHealthFields = CustomerStatusFields
        .Select(f => f.Name == "SiteName" ? f with { Stored = null }
            : f.Stored is "Devices Online" or "Devices Offline" or "Devices Total" or "WiFi Clients" or "Active Alerts" or "Critical Alerts" or "Backup Status" ? f : f with { Stored = null })
        .ToArray();

    private static readonly FieldSpec[] ConfigChangeFields =
    {
        new("Site", FieldKind.SiteName, Required: true),
        new("Tool", FieldKind.Line, 100, "Tool", Required: true, Option: true),
        new("Action", FieldKind.Line, 100, "Action", Required: true, Option: true),
        new("Engineer", FieldKind.Line, 200, "Engineer", Required: true),
        new("Timestamp", FieldKind.Timestamp),
        new("Details", FieldKind.Paragraph, 2000, "Details"),
        new("ChangeId", FieldKind.Identifier, 200, "Change ID", HasDefault: true),
        new("TargetDevice", FieldKind.Line, 200, "Target Device"),
        new("Ticket", FieldKind.Line, 200, "Ticket"),
        new("Result", FieldKind.Choice, Stored: "Result", Set: ResultSet),
    };

    private static readonly FieldSpec[] NetworkDeviceFields =
    {
        new("SiteName", FieldKind.SiteName, Required: true),
        new("Mac", FieldKind.Mac, Stored: "MAC", Required: true),
        new("Name", FieldKind.Line, 200, "Device Name", HasDefault: true),
        new("Model", FieldKind.Line, 200, "Model"),
        new("Vendor", FieldKind.Line, 100, Option: true),
        new("ProductLine", FieldKind.Choice, Stored: "Product Line", Set: new[] { "Network", "Protect", "Access", "Talk", "Connect", "Other" }),
        new("IpAddress", FieldKind.Ip, Stored: "IP Address"),
        new("Status", FieldKind.Choice, Stored: "Status", Set: DeviceStatusSet, HasDefault: true),
        new("FirmwareVersion", FieldKind.Line, 100, "Firmware"),
        new("FirmwareStatus", FieldKind.Choice, Set: FirmwareSet),
        new("UpdateAvailable", FieldKind.Flag),
        new("LastSeen", FieldKind.Timestamp),
        new("DeviceId", FieldKind.Identifier, 200, "UniFi Device ID"),
        new("Source", FieldKind.Choice, Set: new[] { "UniFi", "NinjaOne" }),
    };

    private static readonly FieldSpec[] AlertFields =
    {
        new("AlertId", FieldKind.Identifier, 200, "Alert UID", Required: true),
        new("SiteName", FieldKind.SiteName, Required: true),
        new("DeviceName", FieldKind.Line, 200, "Device"),
        new("Severity", FieldKind.Choice, Stored: "Severity", Set: new[] { "NONE", "MINOR", "MODERATE", "MAJOR", "CRITICAL" }),
        new("Subject", FieldKind.Paragraph, 200, "Alert", HasDefault: true),
        new("Message", FieldKind.Paragraph, 2000, "Message"),
        new("SourceType", FieldKind.Line, 100, "Source Type", Option: true),
        new("CreatedAt", FieldKind.Timestamp),
    };

    [Fact]
    public async Task Every_hostile_value_in_every_field_is_a_clear_error_sending_nothing_or_is_taken_as_documented()
    {
        Assert.True(HostileValues.All.Count >= 100 && HostileValues.Strings.Count >= 100, $"{HostileValues.All.Count} values, {HostileValues.Strings.Count} of them text");
        var tally = new Tally();
        var customerSites = new CustomerStatusRecords();

        // Customer Sites first: the site names it accepts are the sites the other records relate to.
        var seed = await _ws.OpenAsync("Seed", DatabaseKey.CustomerSites);
        await SiteWorkspace.RunAsync(seed, new[] { customerSites.Build(new CustomerStatusInput { SiteName = FuzzSite }) });

        await FuzzAsync("Sync-CustomerStatus", DatabaseKey.CustomerSites, CustomerStatusFields,
            (field, i) => new Dictionary<string, object?> { ["SiteName"] = $"Fuzz {field} {i}" },
            v => customerSites.Build(CustomerStatusInput.FromValues(v)), tally);

        var sites = await SiteRelationIndex.OpenAsync(_ws.Connection, CancellationToken.None);
        var today = DateTime.Today;
        var snapshots = new DailyHealthRecords(sites, today);
        await FuzzAsync("Add-DailyHealthSnapshot", DatabaseKey.DailyHealth, DailyHealthFields,
            (field, i) => new Dictionary<string, object?> { ["SiteName"] = FuzzSite },
            v => snapshots.Build(CustomerStatusInput.FromValues(v)), tally, DailyHealthRecords.ScopeFor(today));

        var changes = new ConfigChangeRecords(null).WithSites(sites);
        await FuzzAsync("Write-ConfigChange", DatabaseKey.ConfigChanges, ConfigChangeFields,
            (field, i) => new Dictionary<string, object?> { ["Site"] = FuzzSite, ["Tool"] = "fuzz", ["Action"] = "Update", ["Engineer"] = "tester", ["ChangeId"] = $"fuzz-{field}-{i}" },
            v => changes.Build(ConfigChangeInput.FromValues(v)), tally);

        var devices = new NetworkDeviceRecords(sites);
        var mac = 0;
        await FuzzAsync("Sync-NetworkDevice", DatabaseKey.NetworkDevices, NetworkDeviceFields,
            (field, i) => new Dictionary<string, object?> { ["SiteName"] = FuzzSite, ["Mac"] = $"02:00:00:00:{++mac / 256:x2}:{mac % 256:x2}" },
            v => devices.Build(NetworkDeviceInput.FromValues(v)), tally);

        var alerts = new AlertRecords(sites);
        await FuzzAsync("Sync-Alert", DatabaseKey.Alerts, AlertFields,
            (field, i) => new Dictionary<string, object?> { ["AlertId"] = $"fuzz-{field}-{i}", ["SiteName"] = FuzzSite },
            v => alerts.Build(AlertInput.FromValues(v)), tally);

        await FuzzPipelineAndRunbooksAsync(tally);

        _output.WriteLine(tally.ToString());
        Assert.True(tally.Problems.Count == 0, $"{tally}{Environment.NewLine}{string.Join(Environment.NewLine, tally.Problems.Take(60))}");
        Assert.Equal(0, tally.Crashes);
        Assert.Equal(0, tally.SilentlyAccepted);
        Assert.Equal(0, tally.RequestsForRefused);
        Assert.True(tally.ClearErrors > 1000 && tally.Valid > 1000 && tally.NormalizedWithWarning > 100, tally.ToString());
    }

    /// <summary>
    /// One input type, field by field: every hostile value in the field (the others valid), built as a cmdlet builds it.
    /// The refused records of a field are planned and reported first, with the request counter watched; then the accepted
    /// ones are written. The run ends like a cmdlet's: drain, journal, audit; every record must have its audit line.
    /// </summary>
    private async Task FuzzAsync(string operation, DatabaseKey database, IReadOnlyList<FieldSpec> fields,
        Func<string, int, Dictionary<string, object?>> baseline, Func<IReadOnlyDictionary<string, object?>, DesiredRecord> build, Tally tally,
        OberaConnect.Engine.Notion.NotionFilter? scope = null)
    {
        var driver = await _ws.OpenAsync(operation, database, scope);
        // Written records are audited as they finish (write-ahead), the others at the end: count from before the first.
        var auditDirectory = _ws.Connection.Configuration.Paths.AuditDirectory!;
        var linesBefore = AuditLines(auditDirectory);
        foreach (var field in fields)
        {
            var accepted = new List<DesiredRecord>();
            var requestsBefore = _ws.Fake.Requests.Total;
            for (var i = 0; i < HostileValues.All.Count; i++)
            {
                var value = HostileValues.All[i];
                var context = $"{operation} -{field.Name} <{value.Label}>";
                var values = baseline(field.Name, i);
                values[field.Name] = value.Raw;
                tally.Tried++;
                DesiredRecord record;
                try
                {
                    record = build(values);
                }
                catch (Exception ex)
                {
                    tally.Crash(context, ex);
                    continue;
                }
                tally.Judge(field, value, record.Problem, record.Notices, name => record.Properties.TryGetValue(name, out var p) ? p.DisplayText : null, context);
                if (record.Problem is null)
                {
                    accepted.Add(record);
                    continue;
                }
                try
                {
                    var plan = driver.Session.Plan(record);
                    if (plan.Kind != PlanKind.Done) tally.Problem($"{context}: a refused record was planned as {plan.Kind}");
                    SiteWorkspace.Process(driver, plan);
                }
                catch (Exception ex)
                {
                    tally.Crash(context + " (plan)", ex);
                }
            }
            var sent = _ws.Fake.Requests.Total - requestsBefore;
            if (sent != 0)
            {
                tally.RequestsForRefused += sent;
                tally.Problem($"{operation} -{field.Name}: {sent} request(s) sent while only refused records were planned");
            }
            try
            {
                foreach (var record in accepted) SiteWorkspace.Process(driver, driver.Session.Plan(record));
                await driver.DrainAsync(_ => { }, CancellationToken.None);
            }
            catch (Exception ex)
            {
                tally.Crash($"{operation} -{field.Name} (write)", ex);
            }
        }
        try
        {
            var summary = await driver.FinishAsync(CancellationToken.None);
            Assert.Equal(driver.Results.Count, summary.Total);
            // One line per record and one for the run: a hostile input never costs an earlier record its audit line.
            Assert.Equal(linesBefore + summary.Total + 1, AuditLines(auditDirectory));
            var failed = driver.Results.Where(r => r.StatusValue == SyncStatus.Failed).ToList();
            Assert.All(failed, r => Assert.True(r.Key.Length <= 200, $"{operation}: a failed key of {r.Key.Length} characters"));
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            tally.Crash(operation + " (finish: journal and audit)", ex);
        }
    }

    // Outcome lines and run lines; the write-ahead intents before each request are not counted.
    private static int AuditLines(string directory)
        => Directory.Exists(directory)
            ? Directory.GetFiles(directory, "audit-*.jsonl").SelectMany(File.ReadAllLines).Count(l => l.Length > 0 && !l.Contains("\"outcome\":\"Intended\"", StringComparison.Ordinal))
            : 0;

    // Stands for "the plan's target and action show the value" (the service's name, its category and stage, the runbook's title).
    private const string Plan = "(plan)";

    /// <summary>Add-AzurePipelineService, Set-AzurePipelineStage and Add-Runbook: their [string] parameters get the text values.</summary>
    private async Task FuzzPipelineAndRunbooksAsync(Tally tally)
    {
        await using var ws = await StandardWorkspaceOnFake.StartAsync();
        var output = new RecordingOutput();
        var pipeline = new AzurePipeline(ws.Workspace, "fuzz", output);
        var library = new RunbookLibrary(ws.Workspace, "fuzz", output);
        var existing = await pipeline.PlanAddAsync("Fuzz Service", "Networking", null, null, null, CancellationToken.None);
        await existing.ApplyAsync(CancellationToken.None);
        var file = Path.Combine(Path.GetTempPath(), "oc-fuzz-" + Guid.NewGuid().ToString("N") + ".md");
        File.WriteAllText(file, "# Fuzz runbook\n\nSteps.\n");
        var stages = NotionWorkspace.OptionsOf(DatabaseKey.AzurePipeline, "Stage").ToArray();
        var categories = NotionWorkspace.OptionsOf(DatabaseKey.AzurePipeline, "Category").ToArray();
        var runbookCategories = NotionWorkspace.OptionsOf(DatabaseKey.RunbookLibrary, "Category").ToArray();
        try
        {
            var cases = new (string Cmdlet, FieldSpec Field, Func<string, int, Task<PlannedChange>> Plan)[]
            {
                ("Add-AzurePipelineService", new FieldSpec("Name", FieldKind.Identifier, 200, Plan, Required: true), (v, i) => pipeline.PlanAddAsync(v, "Networking", null, null, null, CancellationToken.None)),
                ("Add-AzurePipelineService", new FieldSpec("Category", FieldKind.Choice, Stored: Plan, Required: true, Set: categories), (v, i) => pipeline.PlanAddAsync($"Fuzz Category {i}", v, null, null, null, CancellationToken.None)),
                ("Add-AzurePipelineService", new FieldSpec("Stage", FieldKind.Choice, Stored: Plan, Set: stages), (v, i) => pipeline.PlanAddAsync($"Fuzz Stage {i}", "Networking", v, null, null, CancellationToken.None)),
                ("Set-AzurePipelineStage", new FieldSpec("Note", FieldKind.Line, 500), (v, i) => pipeline.PlanStageAsync("Fuzz Service", "Design", v, null, CancellationToken.None)),
                ("Add-Runbook", new FieldSpec("Title", FieldKind.Identifier, 200, Plan, HasDefault: true), (v, i) => library.PlanAddAsync(file, v, null, null, null, CancellationToken.None)),
                ("Add-Runbook", new FieldSpec("Category", FieldKind.Choice, Set: runbookCategories), (v, i) => library.PlanAddAsync(file, null, v, null, null, CancellationToken.None)),
                ("Add-Runbook", new FieldSpec("Tags", FieldKind.Identifier, 100, NoCommas: true), (v, i) => library.PlanAddAsync(file, $"Fuzz Tags {i}", null, new[] { v }, null, CancellationToken.None)),
            };
            foreach (var (cmdlet, field, plan) in cases)
            {
                var strings = HostileValues.Strings;
                for (var i = 0; i < strings.Count; i++)
                {
                    var value = strings[i];
                    var context = $"{cmdlet} -{field.Name} <{value.Label}>";
                    tally.Tried++;
                    var requestsBefore = ws.Requests.Total;
                    var warningsBefore = output.Warnings.Count;
                    PlannedChange planned;
                    try
                    {
                        planned = await plan((string)value.Raw!, i);
                    }
                    catch (Exception ex)
                    {
                        tally.Crash(context, ex);
                        continue;
                    }
                    var error = planned.Done is { StatusValue: SyncStatus.Failed } failed ? failed.Exception as OberaConnectException : null;
                    if (error != null && ws.Requests.Total != requestsBefore)
                    {
                        tally.RequestsForRefused += ws.Requests.Total - requestsBefore;
                        tally.Problem($"{context}: refused, yet {ws.Requests.Total - requestsBefore} request(s) were sent");
                    }
                    var notices = output.Warnings.Skip(warningsBefore).ToList();
                    tally.Judge(field, value, error, notices, _ => planned.Target + " " + planned.Action, context, textProperty: true);
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class Tally
    {
        public int Tried;
        public int ClearErrors;
        public int Valid;
        public int NormalizedWithWarning;
        public int NormalizedDocumented;
        public int NotGiven;
        public int UnknownSite;
        public int Crashes;
        public int SilentlyAccepted;
        public int WronglyRefused;
        public int Unclear;
        public int RequestsForRefused;
        public List<string> Problems { get; } = new();

        public void Problem(string text) => Problems.Add(text);

        public void Crash(string context, Exception ex)
        {
            Crashes++;
            Problems.Add($"{context}: CRASH {ex.GetType().Name}: {ex.Message}");
        }

        /// <summary>Compares one outcome with the documented rules and counts it.</summary>
        /// <param name="stored">The text written to a property (by name), or for <paramref name="textProperty"/> the plan's own words.</param>
        public void Judge(FieldSpec field, HostileValues.Value value, OberaConnectException? error, IEnumerable<string> notices, Func<string, string?> stored,
            string context, bool textProperty = false)
        {
            var (expected, expectedStored) = InputOracle.Judge(field, value.Raw);
            if (error != null)
            {
                if (error.ErrorId == SiteRelationIndex.SiteNotInCustomerSites && expected != Expected.Invalid) { UnknownSite++; return; }
                if (expected != Expected.Invalid)
                {
                    WronglyRefused++;
                    Problems.Add($"{context}: refused ({error.ErrorId}: {Short(error.Message)}) though the rules take it ({expected})");
                    return;
                }
                var named = error.Message.IndexOf(field.Name, StringComparison.OrdinalIgnoreCase) >= 0
                            || (field.Kind == FieldKind.SiteName && error.Message.Contains("site name"))
                            || (field.Kind == FieldKind.Mac && error.Message.Contains("MAC address"))
                            || (field.Name == "AlertId" && error.Message.Contains("alert uid"));
                if (error.Kind != FailureKind.InvalidInput || !named || error.Message.Length > 1500)
                {
                    Unclear++;
                    Problems.Add($"{context}: unclear error ({error.Kind} {error.ErrorId}, {error.Message.Length} characters): {Short(error.Message)}");
                    return;
                }
                ClearErrors++;
                return;
            }
            switch (expected)
            {
                case Expected.Invalid:
                    SilentlyAccepted++;
                    Problems.Add($"{context}: accepted, though the rules refuse it");
                    return;
                case Expected.NotGiven:
                    if (!textProperty && field.Stored != null && !field.HasDefault && stored(field.Stored) is { } written)
                    {
                        SilentlyAccepted++;
                        Problems.Add($"{context}: an empty value wrote {field.Stored} = '{Short(written)}'");
                        return;
                    }
                    NotGiven++;
                    return;
                case Expected.NormalizedWithWarning:
                    if (!notices.Any(n => n.IndexOf(field.Name, StringComparison.OrdinalIgnoreCase) >= 0))
                    {
                        SilentlyAccepted++;
                        Problems.Add($"{context}: changed without the documented warning");
                        return;
                    }
                    NormalizedWithWarning++;
                    return;
            }
            if (expectedStored != null && field.Stored != null)
            {
                var actual = stored(field.Stored);
                var same = textProperty ? actual != null && actual.Contains(expectedStored) : actual == expectedStored;
                if (!same)
                {
                    SilentlyAccepted++;
                    Problems.Add($"{context}: stored '{Short(actual)}', the rules say '{Short(expectedStored)}'");
                    return;
                }
            }
            if (expected == Expected.Valid) Valid++;
            else NormalizedDocumented++;
        }

        private static string Short(string? text) => text is null ? "(nothing)" : text.Length <= 160 ? text : text.Substring(0, 160) + "…";

        public override string ToString()
            => $"Input fuzz: {Tried} values tried; {ClearErrors} clear errors; {Valid} stored as given; {NormalizedDocumented} normalized as documented; " +
               $"{NormalizedWithWarning} normalized with a warning; {NotGiven} empty (not given); {UnknownSite} valid site names with no Customer Sites page; " +
               $"crashes = {Crashes}; silently accepted = {SilentlyAccepted}; wrongly refused = {WronglyRefused}; unclear errors = {Unclear}; " +
               $"requests sent for refused records = {RequestsForRefused}.";
    }
}
