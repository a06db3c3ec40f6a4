using System.Globalization;
using System.Runtime.CompilerServices;
using OberaConnect.Engine.Health;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources;

/// <summary>Settings of a <see cref="CustomerSiteSource"/>.</summary>
public sealed class CustomerSiteSourceOptions
{
    /// <summary>Name for messages.</summary>
    public string Name { get; set; } = "UniFi + NinjaOne";

    /// <summary>Explicit UniFi site ⇄ NinjaOne organization pairs, applied before name matching.</summary>
    public SiteMap Map { get; set; } = SiteMap.Empty;

    /// <summary>What the operator knows per site (customer id, contract, contact, flags, config drift).</summary>
    public IReadOnlyList<CustomerSiteDetails> Details { get; set; } = Array.Empty<CustomerSiteDetails>();

    /// <summary>Include sites found in one system only (default). They are reported in the snapshot's mismatches either way.</summary>
    public bool IncludeUnmatched { get; set; } = true;

    /// <summary>A device whose latest finished backup is older than this counts as failed. Default 3 days.</summary>
    public TimeSpan BackupMaxAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Most activities read to find alert severities.</summary>
    public int MaxActivitiesForSeverity { get; set; } = 5000;

    /// <summary>Weights of the health score each site carries; the defaults (30/20/20/15/15) when null.</summary>
    public HealthWeights? HealthWeights { get; set; }

    /// <summary>Clock for "as of" and backup age; the system clock when null.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>The command that lists the site-matching problems one by one, named in the one warning that counts them.</summary>
    public string MismatchCommand { get; set; } = "Get-CustomerSite -IncludeMismatches";
}

/// <summary>
/// The customer-site view over a UniFi source and a NinjaOne source (the real clients or the Sample).
/// Reads both at once, isolates their failures (a source that fails is reported missing per site and
/// in a warning; only when every configured source fails does a call throw), pairs sites through the
/// site map and then by normalized name, and merges each pair into one <see cref="CustomerSite"/>.
/// NinjaOne backups and alert severities are optional parts: if those endpoints fail, the rest of
/// NinjaOne's data still counts (backup status Unknown, severities Unknown) and a warning says why.
/// </summary>
public sealed class CustomerSiteSource : ICustomerSiteSource
{
    private readonly IUniFiSource? _uniFi;
    private readonly INinjaOneSource? _ninjaOne;
    private readonly CustomerSiteSourceOptions _options;
    private readonly IEngineOutput _output;
    private readonly TimeProvider _time;
    private readonly HealthScoreCalculator _health;

    public CustomerSiteSource(IUniFiSource? uniFi, INinjaOneSource? ninjaOne, CustomerSiteSourceOptions? options = null, IEngineOutput? output = null)
    {
        if (uniFi is null && ninjaOne is null)
            throw new OberaConnectException("NoSourceConfigured", FailureKind.Configuration,
                "Neither UniFi Site Manager nor NinjaOne is configured, so there is no customer-site data to read. Configure at least one of them (or use the Sample source).");
        _uniFi = uniFi;
        _ninjaOne = ninjaOne;
        _options = options ?? new CustomerSiteSourceOptions();
        _output = output ?? NullEngineOutput.Instance;
        _time = _options.Time ?? TimeProvider.System;
        _health = new HealthScoreCalculator(_options.HealthWeights);
    }

    public string Name => _options.Name;

    /// <summary>The options in force.</summary>
    public CustomerSiteSourceOptions Options => _options;

    /// <inheritdoc />
    public async Task<CustomerSiteSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var reading = await ReadAsync(uniFiDevices: false, alerts: true, backups: true, cancellationToken).ConfigureAwait(false);
        var match = SiteMatcher.Match(reading.UniFiSites, reading.Organizations, _options.Map,
            _uniFi is null ? SourceState.NotConfigured : SourceState.Unavailable,
            _ninjaOne is null ? SourceState.NotConfigured : SourceState.Unavailable);
        var index = new NinjaOneIndex(reading);
        var details = new DetailsIndex(_options.Details);
        var sites = new List<CustomerSite>(match.Sites.Count);
        foreach (var m in match.Sites)
        {
            if (!_options.IncludeUnmatched && m.Kind == SiteMatchKind.None
                && (m.UniFiState == SourceState.NotMatched || m.NinjaOneState == SourceState.NotMatched))
                continue;
            sites.Add(Merge(m, index, details, reading.AsOf).Scored(_health));
        }

        var warnings = new List<string>(reading.Warnings);
        var unmatchedU = match.Mismatches.Count(x => x.KindValue == SiteMismatchKind.UnmatchedUniFiSite);
        var unmatchedN = match.Mismatches.Count(x => x.KindValue == SiteMismatchKind.UnmatchedNinjaOneOrganization);
        var other = match.Mismatches.Count - unmatchedU - unmatchedN;
        if (match.Mismatches.Count > 0)
        {
            // One warning per read, however many problems: each is a Verbose line, and the command lists them as objects.
            var msg = $"Site matching: {unmatchedU} UniFi site(s) and {unmatchedN} NinjaOne organization(s) have no counterpart" +
                      (other > 0 ? $", and {other} ambiguous name(s) or site map problem(s) were found" : "") +
                      $". They were not guessed; add site map entries to pair them. '{_options.MismatchCommand}' lists them (and -Verbose shows each).";
            warnings.Add(msg);
            _output.Warning(msg);
            foreach (var mm in match.Mismatches) _output.Verbose(mm.Message);
        }
        return new CustomerSiteSnapshot(sites, match.Mismatches, reading.UniFiStatus, reading.NinjaOneStatus, warnings, reading.AsOf)
        {
            Alerts = AlertsOf(reading, match),
        };
    }

    private static List<SiteAlert> AlertsOf(Reading reading, SiteMatchResult match)
    {
        var siteByOrg = match.Sites.Where(m => m.Organization != null).GroupBy(m => m.Organization!.Id).ToDictionary(g => g.Key, g => g.First());
        var devices = (reading.NinjaOneDevices ?? new List<NinjaOneDevice>()).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First());
        var alerts = new List<SiteAlert>();
        foreach (var a in reading.Alerts ?? new List<NinjaOneAlert>())
        {
            NinjaOneDevice? device = null;
            if (a.DeviceId is { } id) devices.TryGetValue(id, out device);
            SiteMatch? m = null;
            if (device != null) siteByOrg.TryGetValue(device.OrganizationId, out m);
            alerts.Add(ToSiteAlert(a, device, m));
        }
        return alerts;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CustomerSite> GetSitesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        foreach (var site in snapshot.Sites)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return site;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SiteDevice> GetDevicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reading = await ReadAsync(uniFiDevices: true, alerts: false, backups: false, cancellationToken).ConfigureAwait(false);
        var match = SiteMatcher.Match(reading.UniFiSites, reading.Organizations, _options.Map);
        var siteByUniFiId = match.Sites.Where(m => m.UniFiSite != null).ToDictionary(m => m.UniFiSite!.SiteId, m => m, StringComparer.Ordinal);
        var siteByOrg = match.Sites.Where(m => m.Organization != null).GroupBy(m => m.Organization!.Id).ToDictionary(g => g.Key, g => g.First());
        // A device belongs to a site only when its host serves exactly one site; the devices API does not say which site otherwise.
        var siteByHost = (reading.UniFiSites ?? new List<UniFiSite>()).Where(s => s.HostId != null).GroupBy(s => s.HostId!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => siteByUniFiId.TryGetValue(g.First().SiteId, out var m) ? m : null, StringComparer.Ordinal);

        foreach (var d in reading.UniFiDevices ?? new List<UniFiDevice>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            SiteMatch? m = null;
            if (d.HostId != null) siteByHost.TryGetValue(d.HostId, out m);
            yield return new SiteDevice
            {
                Source = SourceSystem.UniFi,
                DeviceId = d.Id,
                SiteName = m?.SiteName,
                SiteKey = m is null ? null : SiteMatcher.Key(m.SiteName),
                Name = d.Name ?? d.Model ?? d.Mac ?? d.Id,
                Model = d.Model,
                Kind = d.ProductLine,
                Mac = d.Mac,
                IpAddress = d.IpAddress,
                IsOnline = d.IsOnline,
                Status = d.Status ?? "",
                FirmwareVersion = d.FirmwareVersion,
                FirmwareStatus = d.FirmwareStatus,
                UpdateAvailable = d.IsUpdateAvailable,
                HostId = d.HostId,
                HostName = d.HostName,
            };
        }
        foreach (var d in reading.NinjaOneDevices ?? new List<NinjaOneDevice>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            siteByOrg.TryGetValue(d.OrganizationId, out var m);
            yield return new SiteDevice
            {
                Source = SourceSystem.NinjaOne,
                DeviceId = d.Id.ToString(CultureInfo.InvariantCulture),
                SiteName = m?.SiteName,
                SiteKey = m is null ? null : SiteMatcher.Key(m.SiteName),
                Name = d.Name,
                Kind = d.NodeClass,
                IsOnline = d.IsOnline,
                Status = d.IsOnline ? "online" : "offline",
                LastContact = d.LastContact,
                NinjaOneOrganizationId = d.OrganizationId,
            };
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SiteAlert> GetAlertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reading = await ReadAsync(uniFiDevices: false, alerts: true, backups: false, cancellationToken).ConfigureAwait(false);
        var match = SiteMatcher.Match(reading.UniFiSites, reading.Organizations, _options.Map);
        foreach (var alert in AlertsOf(reading, match))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return alert;
        }
    }

    private static SiteAlert ToSiteAlert(NinjaOneAlert a, NinjaOneDevice? device, SiteMatch? m) => new()
    {
        Source = SourceSystem.NinjaOne,
        AlertId = a.Uid,
        SiteName = m?.SiteName,
        SiteKey = m is null ? null : SiteMatcher.Key(m.SiteName),
        DeviceId = a.DeviceId?.ToString(CultureInfo.InvariantCulture),
        DeviceName = device?.Name,
        Level = LevelOf(a.SeverityValue),
        Severity = NinjaOneParse.Text(a.SeverityValue),
        Subject = a.Subject,
        Message = a.Message,
        SourceType = a.SourceType,
        CreatedAt = a.CreatedAt,
    };

    /// <summary>Workspace alert level of a NinjaOne severity: CRITICAL/MAJOR critical, NONE info, everything else (unknown included) warning.</summary>
    public static AlertLevel LevelOf(NinjaOneSeverity severity) => severity switch
    {
        NinjaOneSeverity.Critical or NinjaOneSeverity.Major => AlertLevel.Critical,
        NinjaOneSeverity.None => AlertLevel.Info,
        _ => AlertLevel.Warning,
    };

    private CustomerSite Merge(SiteMatch m, NinjaOneIndex ninja, DetailsIndex detailsIndex, DateTimeOffset asOf)
    {
        var u = m.UniFiSite;
        var o = m.Organization;
        var siteKey = SiteMatcher.Key(m.SiteName);
        var details = detailsIndex.Find(m, siteKey);

        var netTotal = u?.DevicesTotal ?? 0;
        var netOffline = Math.Min(netTotal, Math.Max(0, u?.DevicesOffline ?? 0));
        var devices = o is null ? new List<NinjaOneDevice>() : ninja.DevicesOf(o.Id);
        var managedOffline = devices.Count(d => d.IsOffline);
        var alerts = o is null ? new List<(NinjaOneAlert Alert, NinjaOneDevice Device)>() : ninja.AlertsOf(o.Id);
        var (backup, backupOk, backupFailed) = o is null ? (BackupStatus.Unknown, 0, 0) : BackupOf(devices, ninja, asOf);

        var missing = new List<string>();
        if (m.UniFiState != SourceState.Present) missing.Add("UniFi");
        if (m.NinjaOneState != SourceState.Present) missing.Add("NinjaOne");

        bool Mentions(string word) => devices.Any(d =>
            (d.DisplayName ?? "").IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0
            || (d.SystemName ?? "").IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0
            || (d.NodeClass ?? "").IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);

        return new CustomerSite
        {
            SiteName = m.SiteName,
            SiteKey = siteKey,
            CustomerId = details?.CustomerId,
            State = details?.State,
            MatchedByValue = m.Kind,
            UniFiStatusValue = m.UniFiState,
            NinjaOneStatusValue = m.NinjaOneState,
            MissingSources = string.Join(", ", missing),

            UniFiSiteId = u?.SiteId,
            UniFiHostId = u?.HostId,
            UniFiSiteName = u?.Name,
            UniFiInternalName = u?.InternalName,
            Timezone = u?.Timezone,
            GatewayMac = u?.GatewayMac,
            IspName = u?.IspName,
            WanUptimePercent = u?.WanUptimePercent,
            NetworkDevicesTotal = netTotal,
            NetworkDevicesOffline = netOffline,
            NetworkDevicesOnline = netTotal - netOffline,
            WifiClients = u is null ? null : u.WifiClients ?? 0,
            WiredClients = u is null ? null : u.WiredClients ?? 0,
            WeakSignalClients = null,
            CriticalNotifications = u?.CriticalNotifications,
            PendingUpdates = u?.PendingUpdates,

            NinjaOneOrganizationId = o?.Id,
            NinjaOneOrganizationName = o?.Name,
            ManagedDevicesTotal = devices.Count,
            ManagedDevicesOffline = managedOffline,
            ManagedDevicesOnline = devices.Count - managedOffline,
            LastContact = devices.Where(d => d.LastContact != null).Select(d => d.LastContact).DefaultIfEmpty(null).Max(),
            OpenTickets = null,
            ActiveAlerts = alerts.Count,
            CriticalAlerts = alerts.Count(a => LevelOf(a.Alert.SeverityValue) == AlertLevel.Critical),
            WarningAlerts = alerts.Count(a => LevelOf(a.Alert.SeverityValue) == AlertLevel.Warning),
            AlertSummary = Summary(alerts),
            BackupStatusValue = backup,
            BackupDevicesSucceeded = backupOk,
            BackupDevicesFailed = backupFailed,

            DevicesTotal = netTotal + devices.Count,
            DevicesOffline = netOffline + managedOffline,
            DevicesOnline = netTotal - netOffline + devices.Count - managedOffline,

            ConfigDrift = details?.ConfigDrift,
            HasMikroTik = details?.HasMikroTik ?? Mentions("mikrotik"),
            HasSonicWall = details?.HasSonicWall ?? Mentions("sonicwall"),
            HasAzure = details?.HasAzure ?? Mentions("azure"),
            ContractRenewal = details?.ContractRenewal,
            PrimaryContact = details?.PrimaryContact,
            AsOf = asOf,
        };
    }

    private (BackupStatus, int, int) BackupOf(List<NinjaOneDevice> devices, NinjaOneIndex ninja, DateTimeOffset asOf)
    {
        if (!ninja.BackupsKnown) return (BackupStatus.Unknown, 0, 0);
        int ok = 0, failed = 0;
        foreach (var d in devices)
        {
            var latest = ninja.LatestFinishedJob(d.Id);
            if (latest is null) continue;
            var when = latest.EndedAt ?? latest.StartedAt;
            var fresh = when is null || asOf - when.Value <= _options.BackupMaxAge;
            if (latest.Status == NinjaOneBackupJobStatus.Completed && fresh) ok++;
            else failed++;
        }
        var status = ok + failed == 0 ? BackupStatus.Unknown
            : failed == 0 ? BackupStatus.Success
            : ok == 0 ? BackupStatus.Failed
            : BackupStatus.Partial;
        return (status, ok, failed);
    }

    private static string Summary(List<(NinjaOneAlert Alert, NinjaOneDevice Device)> alerts)
    {
        var top = alerts.OrderBy(a => LevelOf(a.Alert.SeverityValue))
            .ThenByDescending(a => a.Alert.Severity)
            .ThenByDescending(a => a.Alert.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Alert.Uid, StringComparer.Ordinal)
            .Take(5)
            .Select(a =>
            {
                var sev = NinjaOneParse.Text(a.Alert.SeverityValue);
                var text = a.Alert.Subject ?? a.Alert.Message ?? "alert";
                if (text.Length > 120) text = text.Substring(0, 119) + "…";
                return $"{(sev.Length == 0 ? "ALERT" : sev)} {a.Device.Name}: {text}";
            });
        return string.Join("; ", top);
    }

    // ------------------------------------------------------------------ reading

    private sealed class Reading
    {
        public List<UniFiSite>? UniFiSites;
        public List<UniFiDevice>? UniFiDevices;
        public List<NinjaOneOrganization>? Organizations;
        public List<NinjaOneDevice>? NinjaOneDevices;
        public List<NinjaOneAlert>? Alerts;
        public List<NinjaOneBackupJob>? BackupJobs;
        public SourceStatus UniFiStatus = new() { System = SourceSystem.UniFi, State = SourceState.NotConfigured };
        public SourceStatus NinjaOneStatus = new() { System = SourceSystem.NinjaOne, State = SourceState.NotConfigured };
        public readonly List<string> Warnings = new();
        public DateTimeOffset AsOf;
    }

    private async Task<Reading> ReadAsync(bool uniFiDevices, bool alerts, bool backups, CancellationToken cancellationToken)
    {
        var reading = new Reading { AsOf = _time.GetUtcNow() };
        var ninjaWarnings = new List<string>();
        // Both systems are read at the same time; each task catches its own failure so the other's data still flows.
        var uniFiTask = _uniFi is null ? Task.CompletedTask : ReadUniFiAsync(reading, uniFiDevices, cancellationToken);
        var ninjaTask = _ninjaOne is null ? Task.CompletedTask : ReadNinjaOneAsync(reading, alerts, backups, ninjaWarnings, cancellationToken);
        await Task.WhenAll(uniFiTask, ninjaTask).ConfigureAwait(false);
        reading.Warnings.AddRange(ninjaWarnings);

        var statuses = new[] { reading.UniFiStatus, reading.NinjaOneStatus };
        if (statuses.All(s => s.State != SourceState.Present))
            throw new SourcesUnavailableException(statuses);
        foreach (var s in statuses.Where(s => s.State == SourceState.Unavailable))
        {
            var other = s.System == SourceSystem.UniFi ? "NinjaOne" : "UniFi";
            reading.Warnings.Insert(0, $"{Describe(s.System)} could not be read, so customer sites carry {other} data only and say {s.System} is missing: {s.Message}");
        }
        foreach (var w in reading.Warnings) _output.Warning(w);
        return reading;
    }

    private async Task ReadUniFiAsync(Reading reading, bool withDevices, CancellationToken cancellationToken)
    {
        try
        {
            var sites = new List<UniFiSite>();
            await foreach (var s in _uniFi!.GetSitesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                sites.Add(s);
            List<UniFiDevice>? devices = null;
            if (withDevices)
            {
                devices = new List<UniFiDevice>();
                var hosts = sites.Select(s => s.HostId).Where(h => h != null).Select(h => h!).Distinct(StringComparer.Ordinal).ToList();
                await foreach (var d in _uniFi.GetDevicesAsync(hosts.Count == 0 ? null : hosts, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    devices.Add(d);
            }
            reading.UniFiSites = sites;
            reading.UniFiDevices = devices;
            reading.UniFiStatus = new SourceStatus
            {
                System = SourceSystem.UniFi, State = SourceState.Present, SitesRead = sites.Count,
                DevicesRead = devices?.Count ?? sites.Sum(s => s.DevicesTotal ?? 0),
            };
            _output.Verbose($"UniFi Site Manager: {sites.Count} sites{(devices is null ? "" : $", {devices.Count} devices")} read.");
        }
        catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
        {
            reading.UniFiStatus = Failed(SourceSystem.UniFi, ex);
        }
    }

    private async Task ReadNinjaOneAsync(Reading reading, bool withAlerts, bool withBackups, List<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            var orgs = new List<NinjaOneOrganization>();
            await foreach (var o in _ninjaOne!.GetOrganizationsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                orgs.Add(o);
            var devices = new List<NinjaOneDevice>();
            await foreach (var d in _ninjaOne.GetDevicesAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                devices.Add(d);
            List<NinjaOneAlert>? alerts = null;
            if (withAlerts)
            {
                alerts = new List<NinjaOneAlert>();
                await foreach (var a in _ninjaOne.GetAlertsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    alerts.Add(a);
                try
                {
                    alerts = (await _ninjaOne.ResolveAsync(alerts, _options.MaxActivitiesForSeverity, cancellationToken).ConfigureAwait(false)).ToList();
                }
                catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
                {
                    warnings.Add($"NinjaOne alert severities could not be read from the activity log, so every open alert counts as a warning: {MessageOf(ex)}");
                }
            }
            List<NinjaOneBackupJob>? jobs = null;
            if (withBackups)
            {
                try
                {
                    jobs = new List<NinjaOneBackupJob>();
                    await foreach (var j in _ninjaOne.GetBackupJobsAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                        jobs.Add(j);
                }
                catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
                {
                    jobs = null;
                    warnings.Add($"NinjaOne backup jobs could not be read, so backup status is Unknown for every site: {MessageOf(ex)}");
                }
            }
            reading.Organizations = orgs;
            reading.NinjaOneDevices = devices;
            reading.Alerts = alerts;
            reading.BackupJobs = jobs;
            reading.NinjaOneStatus = new SourceStatus
            {
                System = SourceSystem.NinjaOne, State = SourceState.Present, SitesRead = orgs.Count, DevicesRead = devices.Count,
            };
            _output.Verbose($"NinjaOne: {orgs.Count} organizations, {devices.Count} devices{(alerts is null ? "" : $", {alerts.Count} alerts")}{(jobs is null ? "" : $", {jobs.Count} backup jobs")} read.");
        }
        catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
        {
            reading.NinjaOneStatus = Failed(SourceSystem.NinjaOne, ex);
        }
    }

    // Anything but the caller's own cancellation makes a source unavailable for this run.
    private static bool IsSourceFailure(Exception ex, CancellationToken cancellationToken)
        => !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static SourceStatus Failed(SourceSystem system, Exception ex) => new()
    {
        System = system,
        State = SourceState.Unavailable,
        ErrorId = ex is OberaConnectException oc ? oc.ErrorId : ex.GetType().Name,
        Message = MessageOf(ex),
        IsTransient = ex is OberaConnectException o ? o.IsTransient : true,
    };

    // Our exceptions carry redacted, actionable messages; anything else is named by type to be safe.
    private static string MessageOf(Exception ex) => ex is OberaConnectException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";

    private static string Describe(SourceSystem system) => system == SourceSystem.UniFi ? "UniFi Site Manager" : "NinjaOne";

    private sealed class NinjaOneIndex
    {
        private readonly Dictionary<long, List<NinjaOneDevice>> _devicesByOrg;
        private readonly Dictionary<long, List<(NinjaOneAlert, NinjaOneDevice)>> _alertsByOrg = new();
        private readonly Dictionary<long, NinjaOneBackupJob> _latestJob = new();

        public NinjaOneIndex(Reading r)
        {
            var devices = r.NinjaOneDevices ?? new List<NinjaOneDevice>();
            _devicesByOrg = devices.GroupBy(d => d.OrganizationId).ToDictionary(g => g.Key, g => g.ToList());
            var byId = devices.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var a in r.Alerts ?? new List<NinjaOneAlert>())
            {
                if (a.DeviceId is not { } id || !byId.TryGetValue(id, out var device)) continue;
                if (!_alertsByOrg.TryGetValue(device.OrganizationId, out var list)) _alertsByOrg[device.OrganizationId] = list = new();
                list.Add((a, device));
            }
            BackupsKnown = r.BackupJobs != null;
            foreach (var j in r.BackupJobs ?? new List<NinjaOneBackupJob>())
            {
                if (!j.IsFinished) continue;
                if (!_latestJob.TryGetValue(j.DeviceId, out var best) || Later(j, best)) _latestJob[j.DeviceId] = j;
            }
        }

        public bool BackupsKnown { get; }

        public List<NinjaOneDevice> DevicesOf(long org) => _devicesByOrg.TryGetValue(org, out var l) ? l : new List<NinjaOneDevice>();

        public List<(NinjaOneAlert Alert, NinjaOneDevice Device)> AlertsOf(long org)
            => _alertsByOrg.TryGetValue(org, out var l) ? l : new List<(NinjaOneAlert, NinjaOneDevice)>();

        public NinjaOneBackupJob? LatestFinishedJob(long deviceId) => _latestJob.TryGetValue(deviceId, out var j) ? j : null;

        private static bool Later(NinjaOneBackupJob a, NinjaOneBackupJob b)
        {
            var ta = a.EndedAt ?? a.StartedAt ?? DateTimeOffset.MinValue;
            var tb = b.EndedAt ?? b.StartedAt ?? DateTimeOffset.MinValue;
            return ta != tb ? ta > tb : string.CompareOrdinal(a.JobId, b.JobId) > 0;
        }
    }

    private sealed class DetailsIndex
    {
        private readonly Dictionary<string, CustomerSiteDetails> _byText = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, CustomerSiteDetails> _byKey = new(StringComparer.Ordinal);

        public DetailsIndex(IEnumerable<CustomerSiteDetails> details)
        {
            foreach (var d in details)
            {
                if (string.IsNullOrWhiteSpace(d.Site)) continue;
                var text = d.Site.Trim();
                if (!_byText.ContainsKey(text)) _byText[text] = d;
                var key = SiteMatcher.Key(text);
                if (!_byKey.ContainsKey(key)) _byKey[key] = d;
            }
        }

        public CustomerSiteDetails? Find(SiteMatch m, string siteKey)
        {
            foreach (var candidate in new[]
                     {
                         m.SiteName, m.UniFiSite?.SiteId, m.Organization?.Id.ToString(CultureInfo.InvariantCulture),
                         m.UniFiSite?.Name, m.Organization?.Name,
                     })
            {
                if (candidate != null && _byText.TryGetValue(candidate, out var d)) return d;
            }
            return _byKey.TryGetValue(siteKey, out var byKey) ? byKey : null;
        }
    }
}
