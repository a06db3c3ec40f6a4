namespace OberaConnect.Engine;

/// <summary>
/// How engine work tells its host what is happening. A cmdlet implements it by queueing to the
/// pipeline thread (Write* may only be called there); tests and tools use <see cref="NullEngineOutput"/>
/// or a recording implementation. Implementations must be thread-safe.
/// </summary>
public interface IEngineOutput
{
    /// <summary>Detail for -Verbose.</summary>
    void Verbose(string message);

    /// <summary>Something the user should know that does not stop the work (a fallback, a skipped item).</summary>
    void Warning(string message);

    /// <summary>Progress of a long operation.</summary>
    void Progress(ProgressUpdate update);
}

/// <summary>One progress report. <see cref="ActivityId"/> is stable per kind of operation.</summary>
public sealed record ProgressUpdate(int ActivityId, string Activity, string Status, int PercentComplete = -1, bool Completed = false);

/// <summary>Discards everything.</summary>
public sealed class NullEngineOutput : IEngineOutput
{
    public static readonly NullEngineOutput Instance = new();
    public void Verbose(string message) { }
    public void Warning(string message) { }
    public void Progress(ProgressUpdate update) { }
}
