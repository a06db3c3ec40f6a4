using System.Collections.Concurrent;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// An exclusive lock shared by every process on the machine, held as an open lock file with no sharing
/// (a share-mode lock on Windows, flock on Unix; both are released by the OS if the process dies). Writers
/// of the audit log and the metrics file take it around each append or read-modify-replace, so two
/// scheduled jobs writing at once never interleave or lose each other's data.
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
                    var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    return new Held(stream, gate);
                }
                catch (IOException ex) when (IsContention(ex) && !(time.GetElapsedTime(started) > timeout))
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

    // A missing folder or a bad path is not contention: fail at once instead of spinning until the timeout.
    private static bool IsContention(IOException ex)
        => ex is not DirectoryNotFoundException and not FileNotFoundException and not PathTooLongException and not DriveNotFoundException;

    private sealed class Held : IDisposable
    {
        private FileStream? _stream;
        private SemaphoreSlim? _gate;

        public Held(FileStream stream, SemaphoreSlim gate)
        {
            _stream = stream;
            _gate = gate;
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _stream, null)?.Dispose();
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}
