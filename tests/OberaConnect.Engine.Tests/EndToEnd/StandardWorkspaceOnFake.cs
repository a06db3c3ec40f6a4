using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Tests.Support;
using OberaConnect.Engine.Workspace;
using OberaConnect.Fakes.Notion;

namespace OberaConnect.Engine.Tests.EndToEnd;

/// <summary>
/// The seven databases of the standard workspace, created in a fresh Notion fake from the definition (the schema
/// Initialize sends), with a real client over HTTP and a <see cref="NotionWorkspace"/> whose clock is manual, so
/// stage history lines and timestamps the engine writes are predictable.
/// </summary>
internal sealed class StandardWorkspaceOnFake : IAsyncDisposable
{
    private StandardWorkspaceOnFake(NotionFake fake, NotionClient client, IReadOnlyDictionary<DatabaseKey, string> sources, ManualTimeProvider clock)
    {
        Fake = fake;
        Client = client;
        Sources = sources;
        Clock = clock;
        Workspace = NotionWorkspace.Of(client, sources, clock);
    }

    public NotionFake Fake { get; }
    public NotionClient Client { get; }
    public IReadOnlyDictionary<DatabaseKey, string> Sources { get; }

    /// <summary>The engine's clock (the HTTP client runs on real time with fast pacing).</summary>
    public ManualTimeProvider Clock { get; }
    public NotionWorkspace Workspace { get; }

    public NotionFakeState State => Fake.State;
    public NotionRequestCounters Requests => Fake.Requests;

    public static async Task<StandardWorkspaceOnFake> StartAsync()
    {
        var fake = await NotionFake.StartAsync(new NotionFakeOptions());
        var sources = new Dictionary<DatabaseKey, string>();
        foreach (var db in WorkspaceDefinition.Standard.Databases)
        {
            var properties = NotionSchemaJson.CreateProperties(db, key => sources[key]);
            sources[db.Key] = fake.State.CreateDatabase(fake.RootPageId, db.Title, properties).DataSourceId;
        }
        var client = NotionClientsOnFake.Create(fake);
        return new StandardWorkspaceOnFake(fake, client, sources, new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 14, 5, 0, TimeSpan.Zero)));
    }

    public string Source(DatabaseKey key) => Sources[key];

    /// <summary>Request log entries that change something (anything but GET and queries).</summary>
    public IReadOnlyList<NotionRecordedRequest> Writes()
        => Requests.Log.Where(r => !r.Endpoint.StartsWith("GET ", StringComparison.Ordinal) && r.Endpoint != "POST /v1/data_sources/{id}/query").ToList();

    /// <summary>Adds Customer Sites pages by name; returns name → page id.</summary>
    public Dictionary<string, string> AddSites(params string[] names)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
            ids[name] = State.InsertPage(Source(DatabaseKey.CustomerSites), new Dictionary<string, object?> { ["Site Name"] = name });
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Fake.DisposeAsync();
    }
}
