using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Credentials;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.Operations;

/// <summary>What a workspace health check looks at and how patiently.</summary>
public sealed class WorkspaceHealthOptions
{
    /// <summary>
    /// Components to check, by name ("NotionToken", "Database:Customer Sites") or wildcard pattern ("Database:*");
    /// null or empty checks everything the configuration sets up. A name given exactly is checked even when it is
    /// not set up (and then reports why); a pattern matches only what is set up. Dependencies run too but are not reported.
    /// </summary>
    public IReadOnlyList<string>? Components { get; set; }

    /// <summary>
    /// Timeouts, slow threshold and parallelism of the probes. Two at a time by default: the database probes share
    /// Notion's pacer (3 requests/s), and a probe's latency includes its wait there, so more at once would only make
    /// each look slower (and cross the 5 s slow threshold) without finishing sooner.
    /// </summary>
    public HealthCheckOptions Runner { get; set; } = new() { MaxParallelism = 2 };
}

/// <summary>
/// The module's health check (Test-OberaConnectHealth, Export-OberaConnectMetric, the job scripts): probes built
/// from a connection and run by <see cref="HealthCheckRunner"/>.
/// <list type="bullet">
/// <item>Configuration: the file loads (a file that does not load is this component Unhealthy, not an exception).</item>
/// <item>KeyVault (optional, when secrets.keyVaultUri is set): the Notion token's secret is readable.</item>
/// <item>NotionToken: users/me accepts the token.</item>
/// <item>Database:&lt;title&gt; and Schema:&lt;title&gt; per configured database: it exists and is shared, and its schema has no
/// difference that makes syncs fail (<see cref="WorkspaceSetup.CheckAsync"/>).</item>
/// <item>UniFi and NinjaOne (optional, when their credentials are found): one small read each.</item>
/// </list>
/// Optional components down make the whole Degraded, not Unhealthy (seed failure domains: UniFi down, NinjaOne goes on).
/// </summary>
public static class WorkspaceHealth
{
    /// <summary>Every component name the check can report, in report order (for tab completion and documentation).</summary>
    public static IReadOnlyList<string> KnownComponents { get; } = BuildKnownComponents();

    /// <summary>Checks with an existing connection (the session's, after Connect-OberaConnect). The connection stays open.</summary>
    public static async Task<HealthReport> CheckAsync(OberaConnectConnection connection, WorkspaceHealthOptions? options, IEngineOutput? output,
        CancellationToken cancellationToken)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        options ??= new WorkspaceHealthOptions();
        output ??= NullEngineOutput.Instance;
        var plan = await PlanAsync(connection, options.Components, output, cancellationToken).ConfigureAwait(false);
        return await RunAsync(plan, options, connection.Options.Time, connection.Redactor, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a connection with <paramref name="open"/>, checks and disposes it. A configuration that does not load
    /// (or names a vault it cannot sign in to) is reported as the Configuration component Unhealthy, with the
    /// components that need it "not checked", so a monitoring script gets a report rather than an error.
    /// </summary>
    public static async Task<HealthReport> CheckAsync(Func<OberaConnectConnection> open, WorkspaceHealthOptions? options, IEngineOutput? output,
        CancellationToken cancellationToken)
    {
        if (open is null) throw new ArgumentNullException(nameof(open));
        options ??= new WorkspaceHealthOptions();
        output ??= NullEngineOutput.Instance;
        OberaConnectConnection connection;
        try
        {
            connection = open();
        }
        catch (OberaConnectException ex)
        {
            output.Verbose("The configuration could not be used: " + ex.Message);
            return await RunAsync(ConfigurationFailed(ex, options.Components), options, null, null, output, cancellationToken).ConfigureAwait(false);
        }
        using (connection)
        {
            return await CheckAsync(connection, options, output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The probes of a check of <paramref name="connection"/>, in report order, with the ones to report.</summary>
    public static async Task<HealthCheckPlan> PlanAsync(OberaConnectConnection connection, IReadOnlyList<string>? components, IEngineOutput? output,
        CancellationToken cancellationToken)
    {
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        output ??= NullEngineOutput.Instance;
        var configuration = connection.Configuration;
        var definition = WorkspaceDefinition.Standard;
        var candidates = new List<Candidate>
        {
            new(Probe(HealthComponents.Configuration, ComponentImportance.Required, _ => Task.FromResult(ConfigurationResult(configuration))), true),
        };

        var vaultConfigured = configuration.Secrets.KeyVaultUri is not null;
        candidates.Add(new Candidate(Probe(HealthComponents.KeyVault, ComponentImportance.Optional,
            ct => KeyVaultAsync(connection, ct), HealthComponents.Configuration).WithLastFailure(() => Failure(connection, MetricServices.KeyVault)), vaultConfigured));

        Func<HttpFailure?> notionFailure = () => Failure(connection, MetricServices.Notion);
        candidates.Add(new Candidate(Probe(HealthComponents.NotionToken, ComponentImportance.Required,
            ct => NotionTokenAsync(connection, ct), HealthComponents.Configuration).WithLastFailure(notionFailure), true));

        // The database probe reads the data source once; its schema probe judges the same answer.
        var reports = new ConcurrentDictionary<DatabaseKey, SchemaReport>();
        foreach (var key in definition.CreationOrder)
        {
            var title = definition[key].Title;
            var configured = configuration.Databases.IsConfigured(key);
            var database = HealthComponents.Database(title);
            candidates.Add(new Candidate(Probe(database, ComponentImportance.Required,
                ct => DatabaseAsync(connection, key, reports, ct), HealthComponents.NotionToken).WithLastFailure(notionFailure), configured));
            candidates.Add(new Candidate(Probe(HealthComponents.Schema(title), ComponentImportance.Required,
                _ => Task.FromResult(SchemaResult(key, reports)), database), configured));
        }

        var uniFi = await IsConfiguredAsync(connection, output, cancellationToken, CredentialKind.UniFiApiKey).ConfigureAwait(false);
        candidates.Add(new Candidate(Probe(HealthComponents.UniFi, ComponentImportance.Optional,
            ct => UniFiAsync(connection, ct), HealthComponents.Configuration).WithLastFailure(() => Failure(connection, MetricServices.UniFi)), uniFi));
        var ninjaOne = await IsConfiguredAsync(connection, output, cancellationToken, CredentialKind.NinjaOneClientId, CredentialKind.NinjaOneClientSecret).ConfigureAwait(false);
        candidates.Add(new Candidate(Probe(HealthComponents.NinjaOne, ComponentImportance.Optional,
            ct => NinjaOneAsync(connection, ct), HealthComponents.Configuration).WithLastFailure(() => Failure(connection, MetricServices.NinjaOne)), ninjaOne));

        return Select(candidates, components);
    }

    /// <summary>Runs a plan and reports the selected components; the overall verdict is theirs.</summary>
    private static async Task<HealthReport> RunAsync(HealthCheckPlan plan, WorkspaceHealthOptions options, TimeProvider? time, SecretRedactor? redactor,
        IEngineOutput output, CancellationToken cancellationToken)
    {
        output.Verbose("Checking " + string.Join(", ", plan.Reported) + ".");
        var runner = new HealthCheckRunner(options.Runner, time, redactor);
        var full = await runner.RunAsync(plan.Probes, cancellationToken).ConfigureAwait(false);
        var reported = new HashSet<string>(plan.Reported, StringComparer.OrdinalIgnoreCase);
        var report = new HealthReport(full.Components.Where(c => reported.Contains(c.Component)).ToList(), full.CheckedAt, full.Duration);
        output.Verbose(report.Summary);
        return report;
    }

    private static HealthCheckPlan ConfigurationFailed(OberaConnectException error, IReadOnlyList<string>? components)
    {
        var candidates = new List<Candidate>
        {
            new(Probe(HealthComponents.Configuration, ComponentImportance.Required, _ => Task.FromException<ProbeResult>(error)), true),
        };
        // Everything else needs the configuration: listed so a selection still shows each one "not checked".
        foreach (var name in KnownComponents.Skip(1))
            candidates.Add(new Candidate(Probe(name, Importance(name), _ => Task.FromResult(ProbeResult.Unhealthy("not checked")), HealthComponents.Configuration),
                IsSetUp: true, IsDefault: name == HealthComponents.NotionToken));
        return Select(candidates, components);
    }

    private static HealthCheckPlan Select(List<Candidate> candidates, IReadOnlyList<string>? components)
    {
        var patterns = (components ?? Array.Empty<string>()).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        List<Candidate> selected;
        if (patterns.Count == 0)
        {
            selected = candidates.Where(c => c.IsDefault).ToList();
        }
        else
        {
            selected = new List<Candidate>();
            foreach (var pattern in patterns)
            {
                var wildcard = pattern.IndexOfAny(new[] { '*', '?' }) >= 0;
                var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                var matches = candidates.Where(c => regex.IsMatch(c.Probe.Component) && (c.IsSetUp || !wildcard)).ToList();
                if (matches.Count == 0)
                {
                    var known = wildcard ? candidates.Where(c => c.IsSetUp).Select(c => c.Probe.Component) : candidates.Select(c => c.Probe.Component);
                    throw new OberaConnectException("HealthComponentUnknown", FailureKind.InvalidInput,
                        $"No component {(wildcard ? "that is set up " : "")}matches '{pattern}'. Components: {string.Join(", ", known)}.");
                }
                selected.AddRange(matches.Where(m => !selected.Contains(m)));
            }
        }

        // Run what was selected and everything it depends on, in candidate (report) order.
        var byName = candidates.ToDictionary(c => c.Probe.Component, StringComparer.OrdinalIgnoreCase);
        var run = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Need(string name)
        {
            if (!run.Add(name)) return;
            foreach (var d in byName[name].Probe.DependsOn) Need(d);
        }
        foreach (var c in selected) Need(c.Probe.Component);
        var probes = candidates.Where(c => run.Contains(c.Probe.Component)).Select(c => c.Probe).ToList();
        var reported = candidates.Where(c => selected.Contains(c)).Select(c => c.Probe.Component).ToList();
        return new HealthCheckPlan(probes, reported);
    }

    private static ProbeResult ConfigurationResult(OberaConnectConfiguration configuration)
    {
        var definition = WorkspaceDefinition.Standard;
        var where = configuration.FilePath is null ? "The default configuration" : configuration.FilePath;
        var configured = definition.CreationOrder.Where(configuration.Databases.IsConfigured).ToList();
        if (configured.Count == 0)
            return ProbeResult.Degraded($"{where} loaded, but no workspace database is configured, so nothing can sync. Run {CommandNames.Initialize}, or paste the databases' URLs under \"databases\".",
                "HealthNoDatabaseConfigured");
        var missing = definition.CreationOrder.Where(k => !configuration.Databases.IsConfigured(k)).Select(k => definition[k].Title).ToList();
        return ProbeResult.Healthy($"{where} loaded; {configured.Count} of {definition.CreationOrder.Count} databases configured" +
            (missing.Count == 0 ? "." : $" (not configured: {string.Join(", ", missing)})."));
    }

    private static async Task<ProbeResult> KeyVaultAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var secrets = connection.Configuration.Secrets;
        if (secrets.KeyVaultUri is null)
            return ProbeResult.Unhealthy("No Key Vault is configured (secrets.keyVaultUri is not set); credentials come from parameters and environment variables.",
                "HealthComponentNotConfigured", FailureKind.Configuration);
        var vault = connection.KeyVault;
        if (vault is null)
            return ProbeResult.Unhealthy($"secrets.keyVaultUri names {secrets.KeyVaultUri}, but this connection was opened without Key Vault support.",
                "KeyVaultNotAvailable", FailureKind.Configuration);
        var name = secrets.NotionTokenSecretName;
        if (vault is KeyVaultSecretProvider keyVault) return await keyVault.ProbeAsync(name, cancellationToken).ConfigureAwait(false);
        var value = await vault.GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
        return value is null
            ? ProbeResult.Degraded($"{vault.Name} is reachable, but has no secret '{name}' (environment variables are used instead).")
            : ProbeResult.Healthy($"{vault.Name}: secret '{name}' is readable.");
    }

    private static async Task<ProbeResult> NotionTokenAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var bot = await connection.VerifyNotionAsync(cancellationToken).ConfigureAwait(false);
        var origin = connection.ResolvedCredentials.FirstOrDefault(r => r.Kind == CredentialKind.NotionToken)?.Origin ?? "an unknown source";
        var workspace = bot.WorkspaceName is null ? "" : $" in workspace '{bot.WorkspaceName}'";
        return ProbeResult.Healthy($"Notion accepts the token of integration '{bot.Name ?? bot.Id}'{workspace}; token from {origin}.");
    }

    private static async Task<ProbeResult> DatabaseAsync(OberaConnectConnection connection, DatabaseKey key, ConcurrentDictionary<DatabaseKey, SchemaReport> reports,
        CancellationToken cancellationToken)
    {
        var notion = await connection.GetNotionAsync(cancellationToken).ConfigureAwait(false);
        var configuration = connection.Configuration;
        var checkedReports = await WorkspaceSetup.CheckAsync(notion, WorkspaceDefinition.Standard, configuration.Databases, new[] { key }, cancellationToken).ConfigureAwait(false);
        var report = checkedReports[0];
        reports[key] = report;
        var missing = report.Differences.FirstOrDefault(d => d.KindValue == SchemaDifferenceKind.MissingDatabase);
        if (missing != null) return ProbeResult.Unhealthy(missing.Message, "HealthDatabaseMissing", FailureKind.NotFound);
        var ids = configuration.Databases[key]!;
        return ProbeResult.Healthy($"{report.Database.Title} is shared with the integration (data source {ids.DataSourceId ?? ids.DatabaseId}).");
    }

    private static ProbeResult SchemaResult(DatabaseKey key, ConcurrentDictionary<DatabaseKey, SchemaReport> reports)
    {
        if (!reports.TryGetValue(key, out var report))
            return ProbeResult.Unhealthy("not checked: the database was not read", HealthCheckRunner.DependencyUnhealthy);
        var errors = report.Differences.Where(d => d.SeverityValue == SchemaSeverity.Error).ToList();
        var warnings = report.Differences.Where(d => d.SeverityValue == SchemaSeverity.Warning).ToList();
        var title = report.Database.Title;
        if (errors.Count > 0)
            return ProbeResult.Unhealthy($"{errors.Count} difference(s) make syncs of {title} fail: {Join(errors)}. Run {CommandNames.TestSchema} -Repair to add what is missing.",
                "HealthSchemaMismatch", FailureKind.InvalidState);
        if (warnings.Count > 0)
            return ProbeResult.Degraded($"{warnings.Count} difference(s) to look at: {Join(warnings)}. {CommandNames.TestSchema} lists them.", "HealthSchemaDiffers");
        var extra = report.Differences.Count(d => d.KindValue == SchemaDifferenceKind.Extra);
        return ProbeResult.Healthy($"{title} has every property the sync writes{(extra == 0 ? "" : $" (and {extra} of its own)")}.");
    }

    private static async Task<ProbeResult> UniFiAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var client = await connection.GetUniFiAsync(cancellationToken).ConfigureAwait(false);
        var any = false;
        await foreach (var _ in client.GetSitesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            any = true;
            break; // one page is enough to know the key works
        }
        return ProbeResult.Healthy($"UniFi Site Manager answered ({(any ? "sites readable" : "no sites yet")}); API key from {Origin(connection, CredentialKind.UniFiApiKey)}.");
    }

    private static async Task<ProbeResult> NinjaOneAsync(OberaConnectConnection connection, CancellationToken cancellationToken)
    {
        var client = await connection.GetNinjaOneAsync(cancellationToken).ConfigureAwait(false);
        var any = false;
        await foreach (var _ in client.GetOrganizationsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            any = true;
            break;
        }
        return ProbeResult.Healthy($"NinjaOne issued a token and answered ({(any ? "organizations readable" : "no organizations yet")}); client id from {Origin(connection, CredentialKind.NinjaOneClientId)}.");
    }

    /// <summary>True when the credentials resolve; a failure other than "not found" counts as set up, so the probe reports it.</summary>
    private static async Task<bool> IsConfiguredAsync(OberaConnectConnection connection, IEngineOutput output, CancellationToken cancellationToken, params CredentialKind[] kinds)
    {
        foreach (var kind in kinds)
        {
            try
            {
                await connection.ResolveAsync(kind, ExplicitValue(connection.Options, kind), cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialNotFoundException ex)
            {
                output.Verbose($"Not checked unless asked for: {ex.Message}");
                return false;
            }
            catch (OberaConnectException)
            {
                return true;
            }
        }
        return true;
    }

    private static string? ExplicitValue(ConnectionOptions options, CredentialKind kind) => kind switch
    {
        CredentialKind.NotionToken => options.NotionToken,
        CredentialKind.UniFiApiKey => options.UniFiApiKey,
        CredentialKind.NinjaOneClientId => options.NinjaOneClientId,
        CredentialKind.NinjaOneClientSecret => options.NinjaOneClientSecret,
        _ => null,
    };

    private static string Origin(OberaConnectConnection connection, CredentialKind kind)
        => connection.ResolvedCredentials.FirstOrDefault(r => r.Kind == kind)?.Origin ?? "an unknown source";

    private static string Join(IReadOnlyList<SchemaDifference> differences)
        => string.Join("; ", differences.Take(3).Select(d => d.Message)) + (differences.Count > 3 ? $"; and {differences.Count - 3} more" : "");

    private static HealthProbe Probe(string component, ComponentImportance importance, Func<CancellationToken, Task<ProbeResult>> check, params string[] dependsOn)
        => new(component, check, importance, dependsOn);

    private static HttpFailure? Failure(OberaConnectConnection connection, string service)
        => connection.RequestStatistics().TryGetValue(service, out var statistics) ? statistics.LastFailure : null;

    private static ComponentImportance Importance(string component)
        => component is HealthComponents.KeyVault or HealthComponents.UniFi or HealthComponents.NinjaOne ? ComponentImportance.Optional : ComponentImportance.Required;

    private static IReadOnlyList<string> BuildKnownComponents()
    {
        var names = new List<string> { HealthComponents.Configuration, HealthComponents.KeyVault, HealthComponents.NotionToken };
        foreach (var key in WorkspaceDefinition.Standard.CreationOrder)
        {
            var title = WorkspaceDefinition.Standard[key].Title;
            names.Add(HealthComponents.Database(title));
            names.Add(HealthComponents.Schema(title));
        }
        names.Add(HealthComponents.UniFi);
        names.Add(HealthComponents.NinjaOne);
        return names;
    }

    /// <summary>A probe; <paramref name="IsSetUp"/>: wildcards match it; <paramref name="IsDefault"/>: checked when nothing is selected.</summary>
    private sealed record Candidate(HealthProbe Probe, bool IsSetUp, bool IsDefault)
    {
        public Candidate(HealthProbe probe, bool isSetUp) : this(probe, isSetUp, isSetUp) { }
    }
}

/// <summary>The probes a health check runs (selected components and what they depend on) and the components it reports.</summary>
public sealed class HealthCheckPlan
{
    internal HealthCheckPlan(IReadOnlyList<HealthProbe> probes, IReadOnlyList<string> reported)
    {
        Probes = probes;
        Reported = reported;
    }

    public IReadOnlyList<HealthProbe> Probes { get; }

    public IReadOnlyList<string> Reported { get; }
}
