namespace OberaConnect.Engine.Configuration;

/// <summary>
/// Names of the cmdlets that engine messages and generated documents tell users to run. Kept in one
/// place so a rename is one edit.
/// </summary>
public static class CommandNames
{
    public const string Initialize = "Initialize-OberaConnectWorkspace";
    public const string TestSchema = "Test-OberaConnectSchema";
    public const string NewConfiguration = "New-OberaConnectConfiguration";
}
