using System.Reflection;
using System.Text.RegularExpressions;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Workspace;
using OberaConnect.Engine.Workspace.Databases;

namespace OberaConnect.Engine.Tests.Workspace;

/// <summary>
/// Each column is declared once (Workspace/Databases) and everything else names it through that declaration: a column
/// object the schema does not hold, a writer setting a property the schema does not declare, or a column name spelled
/// as a string elsewhere in src/ fails here.
/// </summary>
public class ColumnDeclarationTests
{
    private static readonly Type[] DatabaseClasses = typeof(CustomerSites).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(CustomerSites).Namespace && t.IsPublic && t.IsAbstract && t.IsSealed)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    private static DatabaseKey KeyOf(Type database) => (DatabaseKey)Enum.Parse(typeof(DatabaseKey), database.Name);

    private static IEnumerable<(string Field, Column Column)> ColumnFields(Type database)
        => database.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(Column).IsAssignableFrom(f.FieldType))
            .Select(f => (f.Name, (Column)f.GetValue(null)!));

    [Fact]
    public void Every_database_of_the_workspace_has_one_class_of_columns()
        => Assert.Equal(Enum.GetNames(typeof(DatabaseKey)).OrderBy(n => n, StringComparer.Ordinal), DatabaseClasses.Select(t => t.Name));

    [Fact]
    public void The_schema_is_exactly_the_declared_columns_in_order()
    {
        foreach (var type in DatabaseClasses)
        {
            var all = (IReadOnlyList<Column>)type.GetProperty("All")!.GetValue(null)!;
            var schema = WorkspaceDefinition.Standard[KeyOf(type)].Properties;
            Assert.Equal(all.Select(c => c.Definition), schema);
        }
    }

    [Fact]
    public void Every_column_a_writer_or_reader_can_name_is_declared_by_the_schema_of_its_database()
    {
        foreach (var type in DatabaseClasses)
        {
            var schema = WorkspaceDefinition.Standard[KeyOf(type)];
            var fields = ColumnFields(type).ToList();
            Assert.NotEmpty(fields);
            foreach (var (field, column) in fields)
            {
                var declared = schema.Find(column.Name);
                Assert.True(declared is not null, $"{type.Name}.{field} names '{column.Name}', which {schema.Title} does not declare.");
                Assert.Equal(declared, column.Definition);
            }
            Assert.Equal(schema.Properties.Count, fields.Count);
        }
    }

    private const string Acme = "11111111-1111-1111-1111-111111111111";
    private static readonly SiteRelationIndex Sites = SiteRelationIndex.From(new Dictionary<string, string> { ["Acme Corp"] = Acme });

    public static TheoryData<string> Writers() => new() { "CustomerSites", "DailyHealth", "ConfigChanges", "NetworkDevices", "Alerts" };

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_writer_sets_only_properties_its_database_declares_as_the_modules(string database)
    {
        var site = new CustomerStatusInput
        {
            SiteName = "Acme Corp", DevicesOnline = 9, DevicesOffline = 1, WifiClients = 30, ActiveAlerts = 2, CriticalAlerts = 1, OpenTickets = 3,
            PendingUpdates = 1, BackupStatus = "Success", ConfigDrift = "false", WanUptimePercent = 99.9, IspName = "Cox", UniFiSiteId = "s1",
            UniFiHostId = "h1", NinjaOneOrganizationId = "7", UniFiStatus = "Present", NinjaOneStatus = "Present",
        };
        var record = database switch
        {
            "CustomerSites" => new CustomerStatusRecords().Build(site),
            "DailyHealth" => new DailyHealthRecords(Sites, new DateTime(2026, 1, 5)).Build(site),
            "ConfigChanges" => new ConfigChangeRecords(Sites).Build(new ConfigChangeInput
            {
                Site = "Acme Corp", Tool = "unifi", Action = "Reboot", Engineer = "jdoe", Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
                Details = "d", ChangeId = "c1", TargetDevice = "gw", Ticket = "T-1", Result = "Success",
            }),
            "NetworkDevices" => new NetworkDeviceRecords(Sites).Build(new NetworkDeviceInput
            {
                SiteName = "Acme Corp", Mac = "aa:bb:cc:dd:ee:ff", Name = "gw", Model = "UDM", Vendor = "Ubiquiti", ProductLine = "Network",
                IpAddress = "10.0.0.1", Status = "Online", FirmwareVersion = "4.0", UpdateAvailable = "true", LastSeen = DateTimeOffset.UtcNow.AddMinutes(-5),
                DeviceId = "d1", Source = "UniFi",
            }),
            _ => new AlertRecords(Sites).Build(new AlertInput
            {
                AlertId = "a1", SiteName = "Acme Corp", DeviceName = "pc", Severity = "CRITICAL", Subject = "Disk", Message = "Disk full",
                SourceType = "condition", CreatedAt = DateTimeOffset.UtcNow.AddHours(-1),
            }),
        };
        Assert.Null(record.Problem);
        var schema = WorkspaceDefinition.Standard[(DatabaseKey)Enum.Parse(typeof(DatabaseKey), database)];
        var owned = schema.ModuleProperties.Select(p => p.Name).ToList();
        Assert.NotEmpty(record.Properties);
        foreach (var name in record.Properties.Keys) Assert.Contains(name, owned);
        foreach (var name in record.Incidental) Assert.Contains(name, owned);
    }

    // String literals equal to a column name that are not that column: parameter and field names of messages, labels, option values.
    private static readonly HashSet<(string File, string Name)> NotColumns = new()
    {
        ("OberaConnect.Engine/Sync/DailyHealthRecords.cs", "Date"),              // -Date, the input field a validation message names
        ("OberaConnect.Engine/Runbooks/RunbookLibrary.cs", "Tags"),              // -Tags
        ("OberaConnect.Engine/Runbooks/RunbookLibrary.cs", "Title"),             // -Title
        ("OberaConnect.Engine/Sources/Sample/SampleGenerator.cs", "Title"),      // a business word of sample names
        ("OberaConnect.Engine/Sources/Sample/SampleGenerator.cs", "MAC"),        // a sample device name
        ("OberaConnect.Engine/Sync/NetworkDeviceRecords.cs", "Update Available"), // the Firmware Status option
        ("OberaConnect.Engine/Validation/ValueSet.cs", "Update Available"),      // the Firmware Status option
        ("OberaConnect.Engine/Unattended/ScheduledJobTask.cs", "Description"),   // a Task Scheduler XML element
        ("OberaConnect.PowerShell/Commands/WriteConfigChangeCommand.cs", "Date"),        // parameter aliases
        ("OberaConnect.PowerShell/Commands/WriteConfigChangeCommand.cs", "Description"),
        ("OberaConnect.PowerShell/Commands/WriteConfigChangeCommand.cs", "Device"),
        ("OberaConnect.PowerShell/Commands/SyncAlertCommand.cs", "Created"),
        ("OberaConnect.PowerShell/Commands/SyncAlertCommand.cs", "Alert"),       // the cmdlet noun
        ("OberaConnect.PowerShell/Commands/GetAlertCommand.cs", "Alert"),
        ("OberaConnect.PowerShell/Commands/SyncNetworkDeviceCommand.cs", "Firmware"),
        ("OberaConnect.PowerShell/Infrastructure/RecordProgress.cs", "Created"), // a SyncStatus name
        ("OberaConnect.PowerShell/Infrastructure/JobResults.cs", "Status"),      // a result's Status property
        ("OberaConnect.PowerShell/Completion/SiteNameCompleter.cs", "Site"),     // completion labels
        ("OberaConnect.PowerShell/Completion/SiteNameCompleter.cs", "Tool"),
        ("OberaConnect.PowerShell/Completion/WorkspaceOptionCompleters.cs", "Severity"), // the value set's name (ValueSet.Named)
    };

    [Fact]
    public void A_column_name_is_spelled_once_in_src_where_its_column_is_declared()
    {
        var src = Path.Combine(GeneratedDocument.RepositoryRoot(), "src");
        var declarations = Path.Combine(src, "OberaConnect.Engine", "Workspace", "Databases") + Path.DirectorySeparatorChar;
        // By reference: a column shared by databases (Site), or taken by one from another (Daily Health's Health Score from
        // Customer Sites), is one declaration; equal definitions in two databases are two.
        var columns = DatabaseClasses.SelectMany(t => ColumnFields(t).Select(f => f.Column.Declaration)).Distinct(ReferenceEqualityComparer.Instance).Cast<Column>().ToList();
        var names = columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        var counts = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var strays = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = file.Substring(src.Length + 1).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Contains("/obj/") || relative.Contains("/bin/")) continue;
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var code = line.TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match m in Regex.Matches(code, "\"((?:[^\"\\\\]|\\\\.)*)\""))
                {
                    var literal = m.Groups[1].Value;
                    if (!counts.ContainsKey(literal)) continue;
                    if (file.StartsWith(declarations, StringComparison.Ordinal))
                    {
                        // There, a name counts where a column is declared (Columns.Number("Health Score", ...)), not as an option value.
                        if (Regex.IsMatch(code.Substring(0, m.Index), @"Columns\.\w+\($")) counts[literal]++;
                    }
                    else if (!NotColumns.Contains((relative, literal))) strays.Add($"{relative}:{number}: \"{literal}\"");
                }
            }
        }
        Assert.True(strays.Count == 0, "Column names spelled outside Workspace/Databases (name the column instead):\n" + string.Join("\n", strays));
        foreach (var name in names)
            Assert.True(counts[name] == columns.Count(c => c.Name == name),
                $"'{name}' is spelled {counts[name]} time(s) in Workspace/Databases for {columns.Count(c => c.Name == name)} column(s).");
        // Once in all: a database that needs another's column takes it (DescribedAs); only columns that differ in kind
        // share a name, each declared in its own database.
        var sameNameOtherKind = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["Category"] = 2, // Azure Pipeline's kinds of service and Runbook Library's kinds of document: two option lists.
            ["Status"] = 2, // an alert's (Open, Resolved) and a device's (Online, Offline, ...): two option lists.
        };
        foreach (var name in names)
        {
            var expected = sameNameOtherKind.TryGetValue(name, out var n) ? n : 1;
            Assert.True(counts[name] == expected, $"'{name}' is declared {counts[name]} time(s) in Workspace/Databases; declare it once and take it elsewhere with DescribedAs.");
        }
    }
}

/// <summary>The read-back records are filled from the columns of their database, by property name.</summary>
public class RecordMapTests
{
    private sealed class NoSuchColumn : OberaConnect.Engine.ReadBack.WorkspaceRecord
    {
        public string? HealthScores { get; set; }
    }

    [Fact]
    public void Each_read_back_record_maps_every_property_to_a_column_of_its_database()
    {
        // Building a map checks every property; these are the maps the read-back uses.
        _ = new OberaConnect.Engine.ReadBack.RecordMap<OberaConnect.Engine.ReadBack.CustomerStatus>(typeof(CustomerSites));
        _ = new OberaConnect.Engine.ReadBack.RecordMap<OberaConnect.Engine.ReadBack.DailyHealthRecord>(typeof(DailyHealth));
        _ = new OberaConnect.Engine.ReadBack.RecordMap<OberaConnect.Engine.ReadBack.ConfigChangeRecord>(typeof(ConfigChanges));
        _ = new OberaConnect.Engine.ReadBack.RecordMap<OberaConnect.Engine.ReadBack.NetworkDeviceRecord>(typeof(NetworkDevices));
        _ = new OberaConnect.Engine.ReadBack.RecordMap<OberaConnect.Engine.ReadBack.AlertRecord>(typeof(Alerts));
    }

    [Fact]
    public void A_record_property_with_no_column_of_its_name_is_refused_when_the_map_is_built()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OberaConnect.Engine.ReadBack.RecordMap<NoSuchColumn>(typeof(CustomerSites)));
        Assert.Contains("HealthScores", error.Message);
    }
}
