namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The online help of the cmdlets (HelpUri, what Get-Help -Online opens): the section of the README that lists the
    /// cmdlet, on the project's page (the manifest's ProjectUri). The anchors are GitHub's slugs of README headings; a
    /// Pester test checks that each one names a heading the README has.
    /// </summary>
    internal static class HelpLinks
    {
        private const string Readme = "https://github.com/OberaConnect/OberaConnect.PowerShell#";

        /// <summary>README "Cmdlets": the table of every cmdlet and what the module's cmdlets have in common.</summary>
        public const string Cmdlets = Readme + "cmdlets";

        /// <summary>README "Unattended: Task Scheduler and NinjaOne": jobs, exit codes and scheduled tasks.</summary>
        public const string Unattended = Readme + "unattended-task-scheduler-and-ninjaone";

        /// <summary>README "Configuration": the file, credentials and the connection.</summary>
        public const string Configuration = Readme + "configuration";
    }
}
