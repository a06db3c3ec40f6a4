namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// The keys of the seven Notion databases the module keeps, as users type them in -Database and in the
    /// configuration file. (If the engine's workspace configuration grows its own list, point the completer there.)
    /// </summary>
    public static class DatabaseKeys
    {
        public static IReadOnlyList<string> All { get; } = new[]
        {
            "CustomerSites", "DailyHealth", "ConfigChanges", "NetworkDevices", "Alerts", "AzurePipeline", "RunbookLibrary",
        };
    }
}
