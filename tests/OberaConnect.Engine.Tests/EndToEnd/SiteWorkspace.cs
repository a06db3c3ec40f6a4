using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Sync;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The OberaConnect workspace (the standard definition's schema) on a Notion fake, a configuration file's
/// worth of settings pointing at it, and a connection over them: what a cmdlet has after Connect-OberaConnect.
/// Syncs are driven the way SyncCmdletBase drives them (plan, approve, submit, drain, finish).
/// </summary>
internal sealed class SiteWorkspace : IAsyncDisposable
{
    private readonly List<OberaConnectConnection> _connections = new();
    private readonly TimeProvider _time;

    private SiteWorkspace(NotionFake fake, IReadOnlyDictionary<DatabaseKey, SeededDatabase> databases, string directory, TimeProvider time, Action<OberaConnectConfiguration>? tweak)
    {
        Fake = fake;
        Databases = databases;
        Directory = directory;
        _time = time;
        Tweak = tweak;
        Connection = Connect();
    }

    public NotionFake Fake { get; }
    public IReadOnlyDictionary<DatabaseKey, SeededDatabase> Databases { get; }
    public string Directory { get; }
    public Action<OberaConnectConfiguration>? Tweak { get; }

    /// <summary>The first connection (a "session"); <see cref="Connect"/> makes more (a new process).</summary>
    public OberaConnectConnection Connection { get; }

    public string DataSource(DatabaseKey key) => Databases[key].DataSourceId;

    /// <param name="clock">A manual clock shared by the fake and the client (timeouts, Retry-After and delays jump); null for real time.</param>
    public static async Task<SiteWorkspace> StartAsync(ManualTimeProvider? clock = null, Action<OberaConnectConfiguration>? tweak = null)
    {
        var fake = await NotionFake.StartAsync(new NotionFakeOptions { TimeProvider = clock ?? TimeProvider.System });
        var ids = NotionWorkspaceSeed.CreateStandardWorkspace(fake.State);
        var directory = Path.Combine(Path.GetTempPath(), "oc-sitesync-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        System.IO.Directory.CreateDirectory(directory);
        return new SiteWorkspace(fake, ids, directory, (TimeProvider?)clock ?? new RealTime(), tweak);
    }

    /// <summary>A new connection over the same workspace (as a new PowerShell process would open).</summary>
    public OberaConnectConnection Connect() => Connect(null);

    /// <summary>A new connection with settings of its own, for example another state directory (another machine).</summary>
    public OberaConnectConnection Connect(Action<OberaConnectConfiguration>? tweak)
    {
        // The file the standalone fake writes (--write-config), so that file is what these tests exercise.
        var json = NotionWorkspaceSeed.ConfigurationJson(Fake.BaseUrl, Databases, Directory);
        var configuration = ConfigurationFile.Parse(json, Path.Combine(Directory, "config.json"));
        // Long attempts on a manual clock: it moves while real HTTP is in flight (see NotionClientsOnFake).
        if (_time is ManualTimeProvider) configuration.Notion.TimeoutSeconds = 600;
        // Tests are not slowed to Notion's 3 requests/s (the file caps the setting at 3; the object does not).
        configuration.Notion.RequestsPerSecond = 1000;
        configuration.Notion.Burst = 100;
        configuration.Notion.BreakerFailureThreshold = 50;
        Tweak?.Invoke(configuration);
        tweak?.Invoke(configuration);
        var connection = OberaConnectConnection.FromConfiguration(configuration, new ConnectionOptions { NotionToken = Fake.Token, Time = _time });
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Opens a sync of <paramref name="database"/> as a cmdlet's BeginProcessing does.</summary>
    public Task<SyncDriver> OpenAsync(string operation, DatabaseKey database, OberaConnect.Engine.Notion.NotionFilter? scope = null, OberaConnectConnection? connection = null)
        => SyncDriver.OpenAsync(connection ?? Connection, operation, database, scope, "test-" + operation, NullEngineOutput.Instance, CancellationToken.None);

    /// <summary>Plans, approves (all), submits, drains and finishes: a whole cmdlet invocation. Returns every result and the summary.</summary>
    public static async Task<(IReadOnlyList<SyncResult> Results, SyncSummary Summary)> RunAsync(SyncDriver driver, IEnumerable<DesiredRecord> records,
        Func<IReadOnlyList<PlannedWrite>>? afterInput = null, CancellationToken cancellationToken = default)
    {
        foreach (var record in records) Process(driver, driver.Session.Plan(record), cancellationToken);
        if (afterInput != null)
            foreach (var plan in afterInput()) Process(driver, plan, cancellationToken);
        await driver.DrainAsync(_ => { }, CancellationToken.None);
        var summary = await driver.FinishAsync(CancellationToken.None);
        return (driver.Results, summary);
    }

    /// <summary>What SyncCmdletBase.Process does, with ShouldProcess always answering yes.</summary>
    public static void Process(SyncDriver driver, PlannedWrite plan, CancellationToken cancellationToken = default)
    {
        if (plan.Kind == PlanKind.Done) driver.Track(plan.Done!);
        else driver.Session.Submit(plan, cancellationToken);
        driver.TakeCompleted();
    }

    /// <summary>Text of a property of every page of a database (trash left out).</summary>
    public List<string?> Values(DatabaseKey database, string property)
        => Fake.State.PageIds(DataSource(database)).Select(id => Fake.State.GetPropertyText(id, property)).ToList();

    /// <summary>The page of <paramref name="database"/> whose <paramref name="property"/> reads <paramref name="value"/>.</summary>
    public string PageWhere(DatabaseKey database, string property, string value)
        => Fake.State.PageIds(DataSource(database)).Single(id => Fake.State.GetPropertyText(id, property) == value);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections) c.Dispose();
        await Fake.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The system clock, but not TimeProvider.System: the client then gets a pacer of its own.</summary>
    private sealed class RealTime : TimeProvider
    {
    }
}
