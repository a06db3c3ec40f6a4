using static OberaConnect.Engine.Workspace.Define;

namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>What more than one database's columns share: the Site relation and the risk and backup option lists.</summary>
internal static class SharedColumns
{
    /// <summary>Daily Health, Config Changes, Network Devices and Alerts point at their site's page with this column.</summary>
    public static readonly IdsColumn Site = Columns.Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites.");
    public static readonly SelectOption[] RiskLevels =
    {
        Opt("Low", OptionColor.Green), Opt("Medium", OptionColor.Yellow),
        Opt("High", OptionColor.Orange), Opt("Critical", OptionColor.Red),
    };
    public static readonly SelectOption[] BackupStates =
    {
        Opt("Success", OptionColor.Green), Opt("Partial", OptionColor.Yellow),
        Opt("Failed", OptionColor.Red), Opt("Unknown", OptionColor.Gray),
    };
}
