namespace OberaConnect.Engine;

/// <summary>
/// An <see cref="IEngineOutput"/> that forwards to callbacks. The cmdlet assembly uses it instead of implementing
/// the interface itself: PowerShell inspects every type of the cmdlet assembly at import, before the engine can be
/// loaded, so no type there may implement an engine interface.
/// </summary>
public sealed class CallbackEngineOutput : IEngineOutput
{
    private readonly Action<string> _verbose;
    private readonly Action<string> _warning;
    private readonly Action<ProgressUpdate> _progress;

    public CallbackEngineOutput(Action<string> verbose, Action<string> warning, Action<ProgressUpdate> progress)
    {
        _verbose = verbose ?? throw new ArgumentNullException(nameof(verbose));
        _warning = warning ?? throw new ArgumentNullException(nameof(warning));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
    }

    public void Verbose(string message) => _verbose(message);

    public void Warning(string message) => _warning(message);

    public void Progress(ProgressUpdate update) => _progress(update);
}
