using OberaConnect.Engine.Http;

namespace OberaConnect.Engine.Sources.NinjaOne;

/// <summary>
/// Settings of a <see cref="NinjaOneClient"/>. <see cref="SourceClientOptions.PageSize"/> (1 to 10,000, default 200)
/// is given to each endpoint within its documented limits (activities 10 to 1000, backup jobs up to 10,000), so any
/// value in range works. NinjaOne documents no rate limit: when <see cref="SourceClientOptions.Resilience"/> is null
/// the default is conservative (5 a second, burst 5), and 429 is honoured. The process-wide pacer is per instance and
/// client id.
/// </summary>
public sealed class NinjaOneClientOptions : SourceClientOptions
{
    /// <summary>The scope asked for by default: all a read-only client needs, and the least an API app can be granted.</summary>
    public const string DefaultScope = "monitoring";

    /// <summary>The OAuth scopes a NinjaOne API app can be granted (Administration > Apps > API > Client App IDs).</summary>
    public static readonly IReadOnlyList<string> KnownScopes = new[] { "monitoring", "management", "control" };

    /// <summary>
    /// Region codes and their API hosts. Public clients (homotechsual/NinjaOne among them) list the same
    /// six; "fed" is the US federal instance.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RegionHosts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["us"] = "app.ninjarmm.com",
        ["eu"] = "eu.ninjarmm.com",
        ["oc"] = "oc.ninjarmm.com",
        ["ca"] = "ca.ninjarmm.com",
        ["us2"] = "us2.ninjarmm.com",
        ["fed"] = "fed.ninjarmm.com",
    };

    // Other names people use for a region: the host's own prefix (app), us1, and Australia for Oceania.
    private static readonly IReadOnlyDictionary<string, string> RegionAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["app"] = "us",
        ["us1"] = "us",
        ["au"] = "oc",
    };

    /// <summary>The documented pageSize range of GET /v2/activities (NinjaOne's v2 OpenAPI spec: 10 to 1000, default 200).</summary>
    public const int ActivitiesMinPageSize = 10, ActivitiesMaxPageSize = 1000;

    /// <summary>The documented largest pageSize of GET /v2/backup/jobs.</summary>
    public const int BackupJobsMaxPageSize = 10000;

    /// <summary>
    /// Where the tenant lives: a region code — us (app.ninjarmm.com), eu, oc, ca, us2, fed — or a full base
    /// URL such as https://eu.ninjarmm.com (https only, except loopback fakes).
    /// </summary>
    public string Instance { get; set; } = "us";

    /// <summary>
    /// OAuth scopes asked for, space-separated. It must be among the scopes the API app was granted, or NinjaOne
    /// refuses the token (invalid_scope); reading needs only "monitoring".
    /// </summary>
    public string Scope { get; set; } = DefaultScope;

    /// <summary>
    /// How long before expiry the token is renewed (at most half its lifetime), so a request never
    /// leaves with a token that expires on the way.
    /// </summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(5);

    public NinjaOneClientOptions()
        : base(pageSize: 200)
    {
    }

    /// <summary>The API base URL of <see cref="Instance"/>.</summary>
    public Uri BaseUrl => ResolveInstance(Instance);

    /// <summary>The pageSize sent to /v2/activities: <see cref="SourceClientOptions.PageSize"/> within 10 to 1000.</summary>
    internal int ActivitiesPageSize => Math.Min(Math.Max(PageSize, ActivitiesMinPageSize), ActivitiesMaxPageSize);

    /// <summary>The pageSize sent to /v2/backup/jobs: <see cref="SourceClientOptions.PageSize"/>, at most 10,000.</summary>
    internal int BackupJobsPageSize => Math.Min(PageSize, BackupJobsMaxPageSize);

    /// <summary>The region code of a region name or alias (us, eu, oc, ca, us2, fed), or null when it is not one.</summary>
    public static string? RegionCode(string? name)
    {
        var value = (name ?? "").Trim();
        if (RegionAliases.TryGetValue(value, out var alias)) return alias;
        return RegionHosts.ContainsKey(value) ? value.ToLowerInvariant() : null;
    }

    /// <summary>Maps a region code or URL to the API base URL; throws a configuration error for anything else.</summary>
    public static Uri ResolveInstance(string? instance)
    {
        var value = (instance ?? "").Trim();
        if (value.Length == 0) value = "us";
        if (RegionCode(value) is { } code) return new Uri("https://" + RegionHosts[code] + "/");
        if (!value.Contains("://")) value = "https://" + value;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration,
                $"NinjaOne instance '{instance}' is neither a region ({string.Join(", ", RegionHosts.Keys)}) nor a URL such as https://eu.ninjarmm.com.");
        RequireHttpsOrLoopback(uri, "NinjaOneInvalidSetting", "NinjaOne instance URL", "client secret");
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>
    /// <paramref name="scope"/> as the token request sends it (known scopes, lower case, space-separated, each
    /// once), or null with <paramref name="problem"/> saying what is wrong: unknown names, or no "monitoring",
    /// which every read needs.
    /// </summary>
    public static string? NormalizeScope(string? scope, out string? problem)
    {
        var names = (scope ?? "").Split(new[] { ' ', ',', '\t' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var unknown = names.Where(n => !KnownScopes.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            problem = $"'{string.Join(" ", unknown)}' {(unknown.Count == 1 ? "is not a NinjaOne scope" : "are not NinjaOne scopes")}: use {string.Join(", ", KnownScopes)}, separated by spaces.";
            return null;
        }
        if (!names.Contains(DefaultScope))
        {
            problem = $"the scope must include '{DefaultScope}': every read the module makes needs it (got '{scope}').";
            return null;
        }
        problem = null;
        return string.Join(" ", KnownScopes.Where(names.Contains));
    }

    private protected override HttpResilienceOptions DefaultResilience() => new() { RequestsPerSecond = 5, Burst = 5 };

    internal override string PacerScope => $"NinjaOne|{BaseUrl}";

    internal override void Validate()
    {
        _ = BaseUrl;
        RequireRange(PageSize, 1, 10000, "NinjaOneInvalidSetting", "NinjaOne PageSize");
        if (TokenRenewalMargin < TimeSpan.Zero)
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration, "NinjaOne TokenRenewalMargin must not be negative.");
        if (NormalizeScope(Scope, out var problem) is null)
            throw new OberaConnectException("NinjaOneInvalidSetting", FailureKind.Configuration, "NinjaOne Scope: " + problem);
    }
}
