namespace OberaConnect.Engine.Workspace.Databases;

/// <summary>Columns more than one database has: the Site relation, and the Owner and Notes people fill in.</summary>
internal static class SharedColumns
{
    /// <summary>Daily Health, Config Changes, Network Devices and Alerts point at their site's page with this column.</summary>
    public static readonly IdsColumn Site = Columns.Relation("Site", DatabaseKey.CustomerSites, "The site's page in Customer Sites.");

    /// <summary>Azure Pipeline and Runbook Library name a person responsible; each describes it for its pages.</summary>
    public static readonly IdsColumn Owner = Columns.People("Owner", "Who is responsible.").ForUsers();

    /// <summary>Customer Sites and Network Devices keep free text for engineers; each describes it for its pages.</summary>
    public static readonly TextColumn Notes = Columns.Text("Notes", "Free text for engineers.").ForUsers();
}
