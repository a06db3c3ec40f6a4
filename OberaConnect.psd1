# Module manifest of OberaConnect. The build copies it into out/OberaConnect/ and stamps ModuleVersion with the
# version in Directory.Build.props (the one version source); the value below is only a placeholder.
# When you add a cmdlet, list it in CmdletsToExport (no wildcards: PowerShell then knows the commands without
# loading the assembly, and the package gets its PSCmdlet_ tags). The module tests check the list against the code.
@{
    RootModule = 'OberaConnect.PowerShell.dll'
    ModuleVersion = '0.0.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID = '1a202cff-8941-4991-afd3-b30c87458938'
    Author = 'OberaConnect'
    CompanyName = 'OberaConnect'
    Copyright = '(c) OberaConnect. All rights reserved.'
    Description = 'Keeps the OberaConnect Notion operations workspace true from UniFi Site Manager and NinjaOne: customer sites and health scores, daily health history, config-change audit log, network devices, alerts, the Azure service pipeline and the runbook library, with secrets from Azure Key Vault. Runs interactively, from Task Scheduler and from NinjaOne (Windows PowerShell 5.1 and PowerShell 7.4+).'
    PowerShellVersion = '5.1'
    # netstandard2.0 assemblies need .NET Framework 4.7.2 or later under Windows PowerShell.
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess = @('OberaConnect.format.ps1xml')
    CmdletsToExport = @(
        'Connect-OberaConnect'
        'Disconnect-OberaConnect'
        'Get-OberaConnectConfiguration'
        'Export-OberaConnectMetric'
        'Add-DailyHealthSnapshot'
        'Get-OberaConnectExitCode'
        'Invoke-OberaConnectJob'
        'Initialize-OberaNotionWorkspace'
        'New-OberaConnectConfiguration'
        'Register-OberaConnectScheduledTask'
        'Test-NotionSchema'
        'Get-UniFiSite'
        'Get-UniFiDevice'
        'Get-NinjaOneOrganization'
        'Get-NinjaOneDevice'
        'Get-NinjaOneAlert'
        'Get-CustomerSite'
        'Get-HealthScore'
        'Add-AzurePipelineService'
        'Set-AzurePipelineStage'
        'Add-Runbook'
        'Set-Runbook'
        'Get-NotionDuplicate'
        'Remove-NotionDuplicate'
        'Get-CustomerStatus'
        'Get-DailyHealth'
        'Get-ConfigChange'
        'Get-NetworkDevice'
        'Get-Alert'
        'Get-NotionPage'
        'Test-OberaConnectHealth'
        'Sync-Alert'
        'Sync-CustomerStatus'
        'Sync-NetworkDevice'
        'Write-ConfigChange'
        'Export-NotionDatabase'
        'Initialize-NotionExportStore'
        'Sync-NotionTable'
    )
    FunctionsToExport = @()
    AliasesToExport = @()
    VariablesToExport = @()
    PrivateData = @{
        PSData = @{
            Tags = @('Notion', 'UniFi', 'NinjaOne', 'MSP', 'AzureKeyVault', 'Sync', 'Windows')
            # The lead confirms the repository address before the first publish.
            ProjectUri = 'https://github.com/OberaConnect/OberaConnect.PowerShell'
            ReleaseNotes = '0.1.0: first release. Notion client (API 2026-03-11 and 2025-09-03, data sources), workspace setup and schema checks, UniFi and NinjaOne sources with one health score, idempotent syncs of customer status, daily health, config changes, devices, alerts, Azure pipeline and runbooks, duplicates, read-back, Key Vault, audit log, metrics, health check, Notion export and two-way table sync.'
        }
    }
}
