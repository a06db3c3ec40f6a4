using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Operations;

/// <summary>
/// The folders a writing run keeps its records in: the audit log (paths.auditDirectory) and the failed-record journal
/// (paths.journalDirectory). They are checked before anything is written, at Connect-OberaConnect and at the start of
/// every writing run, by creating the folder when missing and writing (then deleting) a probe file: a folder that
/// cannot be written would otherwise switch the audit or -RetryFailed off without anyone noticing.
/// A -WhatIf run writes nothing at all, so it checks nothing either.
/// </summary>
public static class RecordFolders
{
    /// <summary>The audit log folder of <paramref name="configuration"/> (the default log folder when none is set).</summary>
    public static string AuditDirectory(OberaConnectConfiguration configuration)
        => Path.GetFullPath(string.IsNullOrWhiteSpace(configuration.Paths.AuditDirectory) ? LogLocation.Default() : configuration.Paths.AuditDirectory!);

    /// <summary>
    /// Throws a <see cref="FailureKind.Configuration"/> error naming the folder and its setting when the audit folder (and,
    /// with <paramref name="journal"/>, the journal folder) cannot be written.
    /// </summary>
    public static void EnsureWritable(OberaConnectConfiguration configuration, bool journal)
    {
        if (configuration is null) throw new ArgumentNullException(nameof(configuration));
        Check(AuditDirectory(configuration), "paths.auditDirectory", "audit log", "AuditFolderNotWritable");
        if (journal)
            Check(Path.GetDirectoryName(Sync.FailureJournal.For(configuration, "probe").FilePath)!, "paths.journalDirectory", "failed-record journal", "JournalFolderNotWritable");
    }

    private static void Check(string directory, string setting, string what, string errorId)
    {
        string full;
        try
        {
            full = Path.GetFullPath(directory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Unwritable(directory, setting, what, errorId, "it is not a valid path", ex);
        }
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, ".oberaconnect-write-check-" + Guid.NewGuid().ToString("N"));
            // DeleteOnClose: the probe never outlives the check, even when the process dies right here.
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unwritable(full, setting, what, errorId, "access was denied", ex);
        }
        catch (IOException ex)
        {
            throw Unwritable(full, setting, what, errorId, ex.Message.TrimEnd('.'), ex);
        }
    }

    private static OberaConnectException Unwritable(string directory, string setting, string what, string errorId, string reason, Exception inner)
        => new(errorId, FailureKind.Configuration,
            $"The {what} folder '{directory}' (setting {setting}) cannot be written: {reason}. Nothing was written. " +
            $"Set {setting} in the configuration file to a folder this account can write to.", inner);
}
