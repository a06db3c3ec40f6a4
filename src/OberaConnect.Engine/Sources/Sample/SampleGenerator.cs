using System.Globalization;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Sources.Sample;

/// <summary>Builds a <see cref="SampleDataSet"/> deterministically from <see cref="SampleOptions"/>.</summary>
internal static class SampleGenerator
{
    private static readonly string[] FirstWords =
    {
        "Riverside", "Summit", "Gulf Coast", "Magnolia", "Baldwin", "Cahaba", "Harbor", "Pinecrest", "Oak Hollow", "Bluewater",
        "Iron Bridge", "Red Clay", "Southern Pines", "Mobile Bay", "Valley", "Cedar Ridge", "Lakeshore", "Heritage", "Granite",
        "Crescent", "Shoals", "Tidewater", "Meridian", "Canebrake", "Fairhope", "Dogwood", "Lighthouse", "Northstar", "Bayou",
        "Highland", "Wiregrass", "Sand Mountain", "Black Belt", "Peachtree", "Cypress", "Ridgeview", "Stonebridge", "Willow Creek",
        "Palmetto", "Emerald Coast", "Capitol", "Pioneer", "Sunbelt", "Clearwater", "Old Town", "Five Points", "Twin Oaks",
    };

    private static readonly string[] SecondWords =
    {
        "Dental", "Family Medicine", "Pediatrics", "Law Group", "Title", "Insurance", "Realty", "Logistics", "Veterinary Clinic",
        "Orthodontics", "Physical Therapy", "Accounting", "Credit Union", "Auto Group", "Builders", "Engineering", "Eye Care",
        "Dermatology", "Surgical Associates", "Marine", "Storage", "Chiropractic", "Animal Hospital", "Financial", "Architects",
        "Hardware", "Funeral Home", "Church", "Academy", "Pharmacy", "Plumbing", "Electric", "Landscaping", "Roofing", "Outfitters",
    };

    private static readonly string[] MismatchTails = { "Holdings", "Enterprises", "Partners", "Management Group", "Ventures" };

    private static readonly (string State, string Timezone, double Weight)[] States =
    {
        ("Alabama", "America/Chicago", 0.45), ("Florida", "America/Chicago", 0.2), ("Mississippi", "America/Chicago", 0.15),
        ("Georgia", "America/New_York", 0.1), ("Tennessee", "America/Chicago", 0.1),
    };

    private static readonly string[] Isps = { "AT&T", "Spectrum", "Comcast Business", "Mediacom", "C Spire", "WOW!", "Windstream", "Brightspeed" };

    private static readonly string[] Contacts =
    {
        "Avery Collins", "Jordan Ellis", "Morgan Hayes", "Taylor Brooks", "Casey Bennett", "Riley Coleman", "Jamie Foster",
        "Quinn Patterson", "Drew Simmons", "Reese Jenkins", "Parker Russell", "Cameron Price", "Hayden Powell", "Logan Barnes",
    };

    private static readonly (string Subject, string Message)[] AlertTexts =
    {
        ("Disk space low", "Disk C: free space below 10%"),
        ("High CPU", "CPU utilization above 90% for 15 minutes"),
        ("Service stopped", "Windows service 'Veeam Backup Service' is stopped"),
        ("Memory pressure", "Memory utilization above 95% for 10 minutes"),
        ("Antivirus outdated", "Antivirus definitions are more than 3 days old"),
        ("Pending reboot", "Device has needed a reboot for 7 days"),
        ("SMART warning", "Disk 0 reports SMART predictive failure"),
        ("Device offline", "Agent has not checked in for 30 minutes"),
        ("Certificate expiring", "TLS certificate for the RD gateway expires in 10 days"),
        ("Failed logins", "More than 25 failed logons in 10 minutes"),
    };

    private static readonly NinjaOneSeverity[] SeverityTable =
    {
        NinjaOneSeverity.Critical, NinjaOneSeverity.Critical, NinjaOneSeverity.Critical,
        NinjaOneSeverity.Major, NinjaOneSeverity.Major, NinjaOneSeverity.Major,
        NinjaOneSeverity.Moderate, NinjaOneSeverity.Moderate, NinjaOneSeverity.Moderate, NinjaOneSeverity.Moderate, NinjaOneSeverity.Moderate, NinjaOneSeverity.Moderate,
        NinjaOneSeverity.Minor, NinjaOneSeverity.Minor, NinjaOneSeverity.Minor, NinjaOneSeverity.Minor, NinjaOneSeverity.Minor, NinjaOneSeverity.Minor,
        NinjaOneSeverity.None, NinjaOneSeverity.None,
    };

    public static SampleDataSet Generate(SampleOptions options)
    {
        options.Validate();
        var seed = options.Seed;
        var n = options.SiteCount;
        var data = new SampleDataSet(options);

        var names = CustomerNames(seed, n, out var usedKeys);
        var mismatched = MismatchIndices(n, options.EffectiveMismatches);
        var uniFiCounts = Apportion(n, options.EffectiveUniFiDevices, i =>
        {
            var r = SampleRandom.For(seed, "unifi-weight", i);
            return r.Chance(0.05) ? 20 : r.Between(1, 9);
        });
        var ninjaCounts = Apportion(n, options.EffectiveNinjaOneDevices, i =>
        {
            var r = SampleRandom.For(seed, "ninja-weight", i);
            return r.Chance(0.05) ? 15 : r.Between(1, 6);
        });

        var hosts = new List<UniFiHost>();
        var sites = new List<UniFiSite>();
        var uniFiDevices = new List<UniFiDevice>();
        var orgs = new List<NinjaOneOrganization>();
        var ninjaDevices = new List<NinjaOneDevice>();
        var alerts = new List<NinjaOneAlert>();
        var activities = new List<NinjaOneActivity>();
        var jobs = new List<NinjaOneBackupJob>();
        var details = new List<CustomerSiteDetails>();
        var lastChange = new Dictionary<string, int>(StringComparer.Ordinal);
        var mapEntries = new List<SiteMapEntry>();
        var mismatchedNames = new List<string>();
        var nextNinjaDeviceId = 1001L;

        for (var i = 0; i < n; i++)
        {
            var r = SampleRandom.For(seed, "site", i);
            var name = names[i];
            var code = Code(name, i);
            var epoch = LastChangeDay(seed, i, options.Day, options.DailyChangeRate);
            lastChange[name] = epoch;
            var epochTime = options.StartDate.AddDays(epoch);
            var s = SampleRandom.For(seed, "state", i, epoch);

            // ---- identity, static per site
            var uniFiName = r.Next(10) switch
            {
                0 or 1 or 2 => name + " - Main Office",
                7 => name + " (HQ)",
                8 => name.ToUpperInvariant(),
                9 => name + " - Office",
                _ => name,
            };
            var ninjaName = r.Next(10) switch
            {
                0 or 1 or 2 or 3 => name + " LLC",
                4 or 5 => name + ", Inc.",
                9 => name + " Corp.",
                _ => name,
            };
            if (mismatched.Contains(i))
            {
                ninjaName = AlternativeName(seed, i, name, usedKeys);
                mismatchedNames.Add(name);
            }
            var state = PickState(ref r);
            var siteId = r.Hex(24).ToLowerInvariant();
            var hostId = r.Hex(64) + ":" + r.Between(100000000, 999999999).ToString(CultureInfo.InvariantCulture);
            var orgId = 100L + i;

            // ---- UniFi devices (static inventory; status per state epoch)
            var count = uniFiCounts[i];
            var roll = s.NextDouble();
            var siteDown = count > 1 && roll < 0.02;
            var offlineCount = siteDown ? count : roll < 0.22 ? 1 : roll < 0.27 ? 2 : 0;
            // Unless the whole site is down the gateway stays up, so at most count - 1 devices (or the only one) are offline.
            if (!siteDown) offlineCount = Math.Min(offlineCount, Math.Max(1, count - 1));
            var offlineSlots = new HashSet<int>();
            if (siteDown) for (var k = 0; k < count; k++) offlineSlots.Add(k);
            else
                while (offlineSlots.Count < offlineCount)
                    offlineSlots.Add(count == 1 ? 0 : 1 + s.Next(count - 1)); // the gateway stays up unless the site is down
            var wifiClients = 0;
            var pending = 0;
            var macPrefix = r.Pick(new[] { "f4:e2:c6", "70:a7:41", "ac:8b:a9", "24:5a:4c", "d8:b3:70" });
            for (var k = 0; k < count; k++)
            {
                var (model, shortName, line, role) = DeviceModel(ref r, k, count);
                var mac = macPrefix + ":" + r.Hex(2).ToLowerInvariant() + ":" + r.Hex(2).ToLowerInvariant() + ":" + r.Hex(2).ToLowerInvariant();
                var update = r.Chance(0.1);
                if (update) pending++;
                var online = !offlineSlots.Contains(k);
                if (role == "AP" && online) wifiClients += s.Between(3, 30);
                uniFiDevices.Add(new UniFiDevice
                {
                    Id = mac.Replace(":", "").ToUpperInvariant(),
                    Mac = mac,
                    Name = $"{code}-{role}-{k:00}",
                    Model = model,
                    ShortName = shortName,
                    IpAddress = $"10.{(i / 250) + 10}.{i % 250}.{k + 1}",
                    ProductLine = line,
                    Status = online ? "online" : "offline",
                    FirmwareVersion = line == "protect" ? "4.69.55" : k == 0 ? "4.1.13" : "7.1.66",
                    FirmwareStatus = update ? "updateAvailable" : "upToDate",
                    UpdateAvailable = update ? (k == 0 ? "4.1.22" : "7.1.68") : null,
                    IsUpdateAvailable = update,
                    IsConsole = k == 0,
                    HostId = hostId,
                    HostName = code + "-UDM",
                });
            }
            var gatewayMac = uniFiDevices[uniFiDevices.Count - count].Mac;
            hosts.Add(new UniFiHost
            {
                Id = hostId, HardwareId = Guid(ref r).ToString(), Type = "console", IpAddress = $"203.0.{113 + (i % 3)}.{i % 250 + 1}",
                Name = code + "-UDM", IsOwner = true, IsBlocked = false, LastConnectionStateChange = epochTime.AddHours(-s.Between(1, 300)),
            });
            sites.Add(new UniFiSite
            {
                SiteId = siteId, HostId = hostId, Name = uniFiName, InternalName = "default", Timezone = StateTimezone(state), GatewayMac = gatewayMac,
                DevicesTotal = count, DevicesOffline = offlineCount, WifiClients = wifiClients, WiredClients = siteDown ? 0 : s.Between(2, 45),
                CriticalNotifications = offlineCount > 0 ? s.Between(1, Math.Max(1, offlineCount)) : (s.Chance(0.04) ? 1 : 0),
                PendingUpdates = pending,
                WanUptimePercent = siteDown ? Math.Round(s.Between(6000, 9500) / 100.0, 2) : Math.Round(99.0 + s.Next(101) / 100.0, 2),
                IspName = r.Pick(Isps), Permission = "admin", IsOwner = true,
            });

            // ---- NinjaOne organization and devices
            orgs.Add(new NinjaOneOrganization { Id = orgId, Name = ninjaName, Description = $"Managed customer {code}" });
            var orgDevices = new List<NinjaOneDevice>();
            var backupEligible = new List<NinjaOneDevice>();
            var ns = SampleRandom.For(seed, "ninja-state", i, epoch);
            for (var k = 0; k < ninjaCounts[i]; k++)
            {
                var nodeRoll = r.NextDouble();
                var (nodeClass, label) = k == 0 && ninjaCounts[i] > 2 ? ("WINDOWS_SERVER", "SRV")
                    : nodeRoll < 0.66 ? ("WINDOWS_WORKSTATION", "WS")
                    : nodeRoll < 0.82 ? ("WINDOWS_SERVER", "SRV")
                    : nodeRoll < 0.92 ? ("MAC", "MAC")
                    : nodeRoll < 0.96 ? ("LINUX_SERVER", "LNX")
                    : ("NMS_SWITCH", "NMS");
                var offline = siteDown ? ns.Chance(0.5) : ns.Chance(0.08);
                var device = new NinjaOneDevice
                {
                    Id = nextNinjaDeviceId++,
                    OrganizationId = orgId,
                    LocationId = orgId * 10,
                    DisplayName = $"{code}-{label}{k + 1:00}",
                    SystemName = $"{code}-{label}{k + 1:00}",
                    DnsName = $"{code}-{label}{k + 1:00}.{code.ToLowerInvariant()}.local",
                    NodeClass = nodeClass,
                    IsOffline = offline,
                    // Anchored on the day the site's state last changed, so unchanged sites stay identical from day to day.
                    LastContact = offline ? epochTime.AddSeconds(-ns.Between(3600, 9 * 86400)) : epochTime.AddSeconds(-ns.Between(10, 900)),
                    ApprovalStatus = "APPROVED",
                };
                orgDevices.Add(device);
                if (nodeClass is "WINDOWS_SERVER" or "LINUX_SERVER" || (nodeClass == "WINDOWS_WORKSTATION" && r.Chance(0.5)))
                    backupEligible.Add(device);
            }
            ninjaDevices.AddRange(orgDevices);

            // ---- alerts with their activities
            var alertRoll = ns.NextDouble();
            var alertCount = siteDown ? 3 : alertRoll < 0.55 ? 0 : alertRoll < 0.80 ? 1 : alertRoll < 0.92 ? 2 : ns.Between(3, 4);
            for (var a = 0; a < alertCount; a++)
            {
                var device = orgDevices[ns.Next(orgDevices.Count)];
                var text = ns.Pick(AlertTexts);
                var severity = ns.Pick(SeverityTable);
                var uid = Guid(ref ns).ToString();
                var created = epochTime.AddSeconds(-ns.Between(120, 3 * 86400));
                alerts.Add(new NinjaOneAlert
                {
                    Uid = uid, DeviceId = device.Id, Subject = text.Subject, Message = text.Message, SourceType = "CONDITION",
                    SourceName = text.Subject, CreatedAt = created, SeverityValue = NinjaOneSeverity.Unknown,
                });
                activities.Add(new NinjaOneActivity
                {
                    ActivityTime = created, DeviceId = device.Id, Severity = severity, Priority = severity >= NinjaOneSeverity.Major ? "HIGH" : "MEDIUM",
                    SeriesUid = uid, ActivityType = "CONDITION", StatusCode = "TRIGGERED", Status = "Triggered", Subject = text.Subject,
                    Message = text.Message, SourceName = text.Subject,
                });
            }
            // Unrelated activity log noise (script runs, logons), which the severity lookup must skip.
            for (var a = 0; a < 2; a++)
            {
                var device = orgDevices[ns.Next(orgDevices.Count)];
                activities.Add(new NinjaOneActivity
                {
                    ActivityTime = epochTime.AddSeconds(-ns.Between(60, 5 * 86400)), DeviceId = device.Id, Severity = NinjaOneSeverity.None,
                    ActivityType = "ACTION", StatusCode = "SCRIPT_RUN", Status = "Completed", Subject = "Maintenance script", Message = "Script ran",
                });
            }

            // ---- backups: a site-level mood decides how often its devices fail
            var moodRoll = ns.NextDouble();
            var failRate = moodRoll < 0.70 ? 0.03 : moodRoll < 0.88 ? 0.35 : moodRoll < 0.93 ? 1.0 : -1;
            if (failRate >= 0)
            {
                foreach (var device in backupEligible)
                {
                    var plan = device.NodeClass == "WINDOWS_WORKSTATION" ? "FILE_FOLDER" : "IMAGE";
                    var latestEnd = options.AsOf.AddHours(-ns.Between(2, 20));
                    var previousEnd = latestEnd.AddDays(-1);
                    jobs.Add(Job(ref ns, device.Id, ns.Chance(0.9) ? NinjaOneBackupJobStatus.Completed : NinjaOneBackupJobStatus.Failed, previousEnd, plan));
                    var failed = ns.Chance(failRate);
                    var latest = failed ? (ns.Chance(0.2) ? NinjaOneBackupJobStatus.Canceled : NinjaOneBackupJobStatus.Failed) : NinjaOneBackupJobStatus.Completed;
                    jobs.Add(Job(ref ns, device.Id, latest, latestEnd, plan));
                    if (ns.Chance(0.05))
                        jobs.Add(new NinjaOneBackupJob
                        {
                            JobId = ns.Hex(16).ToLowerInvariant(), DeviceId = device.Id, Status = NinjaOneBackupJobStatus.Running, StatusText = "RUNNING",
                            StartedAt = options.AsOf.AddMinutes(-ns.Between(5, 50)), PlanType = plan, PlanName = plan == "IMAGE" ? "Nightly image" : "Documents",
                        });
                }
            }

            // ---- what the operator knows
            details.Add(new CustomerSiteDetails
            {
                Site = name,
                CustomerId = "OC-" + (1001 + i).ToString(CultureInfo.InvariantCulture),
                State = state,
                HasMikroTik = r.Chance(0.12),
                HasSonicWall = r.Chance(0.22),
                HasAzure = r.Chance(0.25),
                ContractRenewal = options.StartDate.UtcDateTime.Date.AddDays(r.Between(20, 720)),
                PrimaryContact = r.Pick(Contacts),
                ConfigDrift = s.Chance(0.08),
            });

            if (mismatched.Contains(i) && mapEntries.Count == 0)
                mapEntries.Add(new SiteMapEntry { UniFi = siteId, NinjaOne = orgId.ToString(CultureInfo.InvariantCulture), SiteName = name });
        }

        // Activity ids grow with time, like NinjaOne's; the log is served newest first.
        var ordered = activities.OrderBy(a => a.ActivityTime).ThenBy(a => a.SeriesUid ?? "", StringComparer.Ordinal).ThenBy(a => a.DeviceId).ToList();
        var numbered = ordered.Select((a, idx) => a with { Id = 500000L + idx }).OrderByDescending(a => a.Id).ToList();

        data.UniFiHosts = hosts;
        data.UniFiSites = sites;
        data.UniFiDevices = uniFiDevices;
        data.NinjaOneOrganizations = orgs;
        data.NinjaOneDevices = ninjaDevices;
        data.NinjaOneAlerts = alerts;
        data.NinjaOneActivities = numbered;
        data.NinjaOneBackupJobs = jobs;
        data.Details = details;
        data.SiteMap = new SiteMap(mapEntries);
        data.CustomerNames = names;
        data.MismatchedCustomers = mismatchedNames;
        data.LastChangeDay = lastChange;
        return data;
    }

    /// <summary>The last day ≤ <paramref name="day"/> on which site <paramref name="index"/> changed (0 when never).</summary>
    internal static int LastChangeDay(int seed, int index, int day, double rate)
    {
        for (var k = day; k >= 1; k--)
            if (SampleRandom.For(seed, "change", index, k).NextDouble() < rate) return k;
        return 0;
    }

    private static NinjaOneBackupJob Job(ref SampleRandom r, long deviceId, NinjaOneBackupJobStatus status, DateTimeOffset end, string plan) => new()
    {
        JobId = r.Hex(16).ToLowerInvariant(),
        DeviceId = deviceId,
        Status = status,
        StatusText = status.ToString().ToUpperInvariant(),
        StartedAt = end.AddMinutes(-r.Between(10, 90)),
        EndedAt = end,
        PlanType = plan,
        PlanName = plan == "IMAGE" ? "Nightly image" : "Documents",
    };

    private static (string Model, string ShortName, string Line, string Role) DeviceModel(ref SampleRandom r, int k, int count)
    {
        if (k == 0)
            return r.Pick(new[] { ("UniFi Dream Machine Pro", "UDMPRO", "network", "GW"), ("UniFi Dream Machine SE", "UDMPROSE", "network", "GW"), ("UniFi Cloud Gateway Ultra", "UCGULTRA", "network", "GW") });
        if (k == 1 && count >= 3 || k % 6 == 0)
            return r.Pick(new[] { ("UniFi Switch Pro 24 PoE", "USWPRO24P", "network", "SW"), ("UniFi Switch Lite 8 PoE", "USWLITE8P", "network", "SW"), ("UniFi Switch 24 PoE", "USW24P", "network", "SW") });
        if (k % 9 == 8)
            return ("G4 Bullet", "UVCG4BULLET", "protect", "CAM");
        return r.Pick(new[] { ("U6 Pro", "U6PRO", "network", "AP"), ("U6 Long-Range", "U6LR", "network", "AP"), ("U7 Pro", "U7PRO", "network", "AP"), ("U6 Lite", "U6LITE", "network", "AP") });
    }

    private static List<string> CustomerNames(int seed, int n, out HashSet<string> usedKeys)
    {
        var names = new List<string>(n);
        usedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            string name;
            var attempt = 0;
            do
            {
                var r = SampleRandom.For(seed, "name", i, attempt++);
                name = r.Pick(FirstWords) + " " + r.Pick(SecondWords);
                if (attempt > 20) name += " " + (i + 1).ToString(CultureInfo.InvariantCulture);
            } while (!usedKeys.Add(SiteMatcher.Key(name)));
            names.Add(name);
        }
        return names;
    }

    private static string AlternativeName(int seed, int i, string name, HashSet<string> usedKeys)
    {
        var initials = new string(name.Split(' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0])).ToArray());
        for (var attempt = 0; ; attempt++)
        {
            var r = SampleRandom.For(seed, "alt-name", i, attempt);
            var alt = $"{initials} {r.Pick(MismatchTails)}{(attempt > 5 ? " " + attempt.ToString(CultureInfo.InvariantCulture) : "")} LLC";
            if (usedKeys.Add(SiteMatcher.Key(alt))) return alt;
        }
    }

    private static HashSet<int> MismatchIndices(int n, int count)
    {
        var set = new HashSet<int>();
        for (var k = 0; k < count; k++) set.Add((int)((k + 0.5) * n / count));
        return set;
    }

    private static int[] Apportion(int n, int total, Func<int, double> weight)
    {
        var w = Enumerable.Range(0, n).Select(weight).ToArray();
        var sum = w.Sum();
        var rest = total - n;
        var counts = new int[n];
        var remainders = new (double Fraction, int Index)[n];
        for (var i = 0; i < n; i++)
        {
            var exact = rest * w[i] / sum;
            var whole = (int)Math.Floor(exact);
            counts[i] = 1 + whole;
            remainders[i] = (exact - whole, i);
        }
        var left = total - counts.Sum();
        foreach (var (_, index) in remainders.OrderByDescending(x => x.Fraction).ThenBy(x => x.Index).Take(left)) counts[index]++;
        return counts;
    }

    private static string PickState(ref SampleRandom r)
    {
        var x = r.NextDouble();
        foreach (var s in States)
        {
            if (x < s.Weight) return s.State;
            x -= s.Weight;
        }
        return States[0].State;
    }

    private static string StateTimezone(string state) => States.First(s => s.State == state).Timezone;

    private static string Code(string name, int i)
    {
        var letters = new string(name.Split(' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0])).Take(3).ToArray());
        return letters + (i + 1).ToString("000", CultureInfo.InvariantCulture);
    }

    private static Guid Guid(ref SampleRandom r)
    {
        var bytes = new byte[16];
        var a = r.NextUInt64();
        var b = r.NextUInt64();
        for (var k = 0; k < 8; k++)
        {
            bytes[k] = (byte)(a >> (8 * k));
            bytes[8 + k] = (byte)(b >> (8 * k));
        }
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, so it looks like the real thing
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
