using OberaConnect.Engine.Connection;
using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Workspace;

namespace OberaConnect.Engine.State;

/// <summary>
/// What tab completion offers from a <see cref="WorkspaceNameCache"/>: the cached names at once while they are younger
/// than the time to live; older ones at once too, while a read of the workspace refreshes the file in the background
/// for the next Tab; and when nothing is cached yet, the first read, waited for a short while only. A read that fails
/// (no credential, no network, a refused token) leaves the names as they were and is not tried again for a minute,
/// so a workspace that cannot be reached never slows Tab down twice. Nothing here throws, prompts or writes to Notion.
/// PowerShell makes a new completer for every Tab, so the state of the reads in flight is static, keyed by cache file.
/// </summary>
public static class CompletionNames
{
    /// <summary>How long cached names are used without a read (the syncs refresh them after every run too).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(15);

    /// <summary>How long Tab waits for the first read when nothing is cached.</summary>
    public static readonly TimeSpan FirstReadWait = TimeSpan.FromSeconds(3);

    /// <summary>How long a read may take in the background before it is given up.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long after a failed read the workspace is not asked again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    // Guarded by locking Reads.
    private static readonly Dictionary<string, Task> Reads = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, DateTimeOffset> Failures = new(StringComparer.Ordinal);

    /// <summary>The names to offer, refreshed through <paramref name="read"/> as described on the class, on the system clock.</summary>
    public static IReadOnlyList<string> Get(WorkspaceNameCache cache, Func<CancellationToken, Task<IReadOnlyList<string>>> read)
        => Get(cache, read, null, null);

    /// <summary>
    /// The names to offer, refreshed through <paramref name="read"/> as described on the class. <paramref name="wait"/>
    /// overrides <see cref="FirstReadWait"/>; <paramref name="time"/> the clock (tests).
    /// </summary>
    public static IReadOnlyList<string> Get(WorkspaceNameCache cache, Func<CancellationToken, Task<IReadOnlyList<string>>> read,
        TimeSpan? wait, TimeProvider? time)
    {
        if (cache is null) throw new ArgumentNullException(nameof(cache));
        if (read is null) throw new ArgumentNullException(nameof(read));
        time ??= TimeProvider.System;
        var names = cache.Load();
        var now = time.GetUtcNow();
        if (cache.SavedAt is { } saved && now - saved < TimeToLive && now >= saved) return names;
        var refresh = Refresh(cache, read, now);
        if (names.Count > 0 || refresh is null) return names;
        return refresh.Wait(wait ?? FirstReadWait) ? cache.Load() : names;
    }

    /// <summary>Forgets the failures and reads in flight (tests, and a new session after the configuration changed).</summary>
    public static void Reset()
    {
        lock (Reads)
        {
            Reads.Clear();
            Failures.Clear();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> over the workspace of a connection <paramref name="connect"/> gives, disposing it afterwards
    /// when <paramref name="owned"/> (a connection opened for completion; the session's is kept).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Func<OberaConnectConnection> connect, bool owned,
        Func<NotionWorkspace, CancellationToken, Task<IReadOnlyList<string>>> read, CancellationToken cancellationToken)
    {
        if (connect is null) throw new ArgumentNullException(nameof(connect));
        if (read is null) throw new ArgumentNullException(nameof(read));
        var connection = connect();
        try
        {
            var workspace = await NotionWorkspace.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            return await read(workspace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (owned) connection.Dispose();
        }
    }

    /// <summary>The site names Customer Sites holds (one paginated query; pages in the trash left out).</summary>
    public static async Task<IReadOnlyList<string>> SiteNamesAsync(NotionWorkspace workspace, CancellationToken cancellationToken)
    {
        if (workspace is null) throw new ArgumentNullException(nameof(workspace));
        var dataSource = await workspace.DataSourceIdAsync(DatabaseKey.CustomerSites, cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        await foreach (var page in workspace.Notion.QueryAsync(dataSource, new NotionQuery(), cancellationToken).ConfigureAwait(false))
            if (!page.InTrash && !string.IsNullOrWhiteSpace(page.Title)) names.Add(page.Title);
        return names;
    }

    /// <summary>The Tool options Config Changes has: the tools that reported changes so far (one schema read).</summary>
    public static async Task<IReadOnlyList<string>> ToolsAsync(NotionWorkspace workspace, CancellationToken cancellationToken)
    {
        if (workspace is null) throw new ArgumentNullException(nameof(workspace));
        var dataSource = await workspace.DataSourceIdAsync(DatabaseKey.ConfigChanges, cancellationToken).ConfigureAwait(false);
        var schema = await workspace.Notion.GetDataSourceAsync(dataSource, cancellationToken).ConfigureAwait(false);
        return schema.Properties.TryGetValue(Workspace.Databases.ConfigChanges.Tool.Name, out var tool) ? tool.Options.Select(o => o.Name).ToList() : Array.Empty<string>();
    }

    // The read in flight for this cache, a new one, or null while a failed read is being waited out.
    private static Task? Refresh(WorkspaceNameCache cache, Func<CancellationToken, Task<IReadOnlyList<string>>> read, DateTimeOffset now)
    {
        var key = cache.FilePath;
        lock (Reads)
        {
            if (Failures.TryGetValue(key, out var failed) && now - failed < RetryAfterFailure && now >= failed) return null;
            if (Reads.TryGetValue(key, out var running) && !running.IsCompleted) return running;
            var task = Task.Run(async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(ReadTimeout);
                    var names = await read(timeout.Token).ConfigureAwait(false);
                    cache.Save(names);
                    lock (Reads) Failures.Remove(key);
                }
                catch (Exception)
                {
                    // Completion must never fail: whatever went wrong (credential, network, a refused token, an unwritable
                    // state folder), the names stay as they were and the workspace is left alone for a while.
                    lock (Reads) Failures[key] = now;
                }
            });
            Reads[key] = task;
            return task;
        }
    }
}
