using System.Collections.Concurrent;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// An exclusive lock shared by every process on the machine, held as an open lock file with no sharing
/// (a share-mode lock on Windows, flock on Unix; both are released by the OS if the process dies). Writers
/// of the audit log and the metrics file take it around each append or read-modify-replace, so two
/// scheduled jobs writing at once never interleave or lose each other's data.
/// The lock file exists only while held, so no stray file is left in a textfile collector's folder. On Windows
/// it is opened delete-on-close: nobody can open it while it is held, and it is gone when released (or when the
/// process dies). On Unix flock does not stop another process from opening the file, only from locking it, so a
/// waiter may already hold the file a releaser is about to delete: the releaser unlinks it, then writes one byte
/// into it before closing, and a waiter that then gets the lock on a non-empty file knows it holds a deleted one
/// and starts over. (A process killed between the unlink and that byte is the one case it cannot tell.)
/// <see cref="AcquireFileAsync"/> is the same lock on a file that stays (a ledger in the state directory): the holder
/// reads and writes the locked file itself, and nothing is ever deleted, so that case does not arise.
/// </summary>
internal static class CrossProcessFileLock
{
    // Within one process, writers queue on a semaphore instead of spinning on the file: process-wide
    // by nature, because the file is process-wide. Keyed by full path; entries are tiny and few.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(string lockPath, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(lockPath);
        var gate = InProcess.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = time.GetTimestamp();
            var attempt = 0;
            while (true)
            {
                try
                {
                    var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                        IsWindows ? FileOptions.DeleteOnClose : FileOptions.None);
                    if (!IsWindows && stream.Length > 0)
                    {
                        // A lock file its last holder already deleted: the live one (if any) is a new file at the path.
                        stream.Dispose();
                        if (time.GetElapsedTime(started) > timeout)
                            throw new IOException($"The lock file {full} is not empty, so it is not one this module holds or left. Delete it when no OberaConnect job is running.");
                        await time.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    return new Held(stream, gate, IsWindows ? null : full);
                }
                catch (Exception ex) when (IsContention(ex) && !(time.GetElapsedTime(started) > timeout))
                {
                    // Another process holds it: back off a little, growing to 50 ms.
                    attempt++;
                    var wait = TimeSpan.FromMilliseconds(Math.Min(50, 2 * attempt));
                    await time.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>
    /// Locks <paramref name="path"/> itself, a file that is never deleted, for this process only (FileShare.None: a
    /// share-mode lock on Windows, flock on Unix, both released by the OS when the process ends however it ends), and
    /// hands its stream to the holder. Waits up to <paramref name="timeout"/> for another holder, in this process or
    /// another, calling <paramref name="waiting"/> with the time waited so far every few milliseconds; then throws
    /// <see cref="TimeoutException"/>. The folder must exist.
    /// </summary>
    public static async Task<LockedFile> AcquireFileAsync(string path, TimeProvider time, TimeSpan timeout, Action<TimeSpan>? waiting,
        CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var gate = InProcess.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        var started = time.GetTimestamp();
        // Another holder in this process: wait on the semaphore in short slices, so the wait is reported and bounded.
        while (!await gate.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false))
        {
            var waited = time.GetElapsedTime(started);
            if (waited > timeout) throw new TimeoutException($"The lock file {full} stayed held by another run of this process for {waited.TotalSeconds:0} s.");
            waiting?.Invoke(waited);
        }
        try
        {
            var attempt = 0;
            while (true)
            {
                try
                {
                    return new LockedFile(new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.None), gate);
                }
                catch (Exception ex) when (IsContention(ex))
                {
                    var waited = time.GetElapsedTime(started);
                    if (waited > timeout) throw new TimeoutException($"The lock file {full} stayed held by another process for {waited.TotalSeconds:0} s.", ex);
                    waiting?.Invoke(waited);
                    attempt++;
                    await time.Delay(TimeSpan.FromMilliseconds(Math.Min(50, 2 * attempt)), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static readonly bool IsWindows = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

    // A missing folder or a bad path is not contention: fail at once instead of spinning until the timeout. On
    // Windows a lock file being deleted by its last holder refuses opens with access denied for a moment.
    private static bool IsContention(Exception ex)
        => ex is IOException and not DirectoryNotFoundException and not FileNotFoundException and not PathTooLongException and not DriveNotFoundException
           || (IsWindows && ex is UnauthorizedAccessException);

    private sealed class Held : IDisposable
    {
        private FileStream? _stream;
        private SemaphoreSlim? _gate;
        private readonly string? _deleteOnRelease;

        public Held(FileStream stream, SemaphoreSlim gate, string? deleteOnRelease)
        {
            _stream = stream;
            _gate = gate;
            _deleteOnRelease = deleteOnRelease;
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            if (stream != null)
            {
                try
                {
                    if (_deleteOnRelease != null)
                    {
                        // Unix: unlink while still locked, then mark the file dead for anyone already waiting on it.
                        File.Delete(_deleteOnRelease);
                        stream.WriteByte(1);
                        stream.Flush();
                    }
                }
                catch (IOException)
                {
                    // The lock is released below all the same; a leftover empty file is reused by the next holder.
                }
                catch (UnauthorizedAccessException)
                {
                }
                finally
                {
                    stream.Dispose();
                }
            }
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}

/// <summary>A file held with <see cref="CrossProcessFileLock.AcquireFileAsync"/>: read and write it through <see cref="Stream"/>; dispose to release.</summary>
internal sealed class LockedFile : IDisposable
{
    private SemaphoreSlim? _gate;

    internal LockedFile(FileStream stream, SemaphoreSlim gate)
    {
        Stream = stream;
        _gate = gate;
    }

    public FileStream Stream { get; }

    public void Dispose()
    {
        var gate = Interlocked.Exchange(ref _gate, null);
        if (gate is null) return;
        try
        {
            Stream.Dispose();
        }
        finally
        {
            gate.Release();
        }
    }
}
