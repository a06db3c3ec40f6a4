namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Names of the cmdlets that engine messages and generated documents tell users to run. Kept in one
/// place so a rename is one edit.
/// </summary>
public static class CommandNames
{
    public const string Initialize = "Initialize-OberaNotionWorkspace";
    public const string TestSchema = "Test-NotionSchema";
    public const string NewConfiguration = "New-OberaConnectConfiguration";
    public const string Connect = "Connect-OberaConnect";
    public const string ExportNotion = "Export-NotionDatabase";
    public const string SyncTable = "Sync-NotionTable";
}
